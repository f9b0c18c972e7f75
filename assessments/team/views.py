"""The team page (every member reads it; region admins change the team from it) and following
an invitation's link (anyone with the link, signed in or not)."""

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessments.access import POST, READ, READ_AND_POST, region_view
from assessments.models import Membership
from assessments.team import presenters, selectors, services
from assessments.team.forms import InviteForm, NewcomerForm, RoleForm
from assessments.team.models import Invitation
from assessments.views.common import add_form_errors

ADMINS_ONLY_MESSAGE = "Only the region's admins can change its team."
LINK_NOT_VALID = "not-valid"


def _team_url(membership: Membership) -> str:
    return reverse("assessments:team", kwargs={"region_slug": membership.region.slug})


def _user(request: HttpRequest) -> User:
    # Behind the access layer's login_required, or checked with is_authenticated: a User.
    return cast(User, request.user)


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form's data: an empty POST is a submitted form too (it gets its error messages)."""
    return request.POST if request.method == "POST" else None


@region_view(methods=READ, staff_read=True)
def team(request: HttpRequest, membership: Membership) -> HttpResponse:
    page = presenters.team_page(membership=membership, now=timezone.now())
    return render(
        request,
        "assessments/team/team.html",
        {"membership": membership, "region": membership.region, "page": page},
    )


@region_view(methods=READ_AND_POST, admin_for="ALL", message=ADMINS_ONLY_MESSAGE)
def team_invite(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = InviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitation_create(
                region=membership.region,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=_user(request),
            )
        except ValidationError as error:
            add_form_errors(form, error, default_field="email")
        else:
            invitation = issued.invitation
            messages.success(request, f"Invitation sent to {invitation.name} ({invitation.email}).")
            return redirect(_team_url(membership))
    return render(
        request,
        "assessments/team/invite.html",
        {"membership": membership, "region": membership.region, "form": form},
    )


@region_view(methods=POST, admin_for="ALL", message=ADMINS_ONLY_MESSAGE)
def invitation_resend(
    request: HttpRequest, membership: Membership, invitation_pk: int
) -> HttpResponse:
    invitation = selectors.invitation_of_region_get_or_404(
        region=membership.region, pk=invitation_pk
    )
    try:
        services.invitation_resend(invitation=invitation, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"A new invitation was sent to {invitation.email}. The link in the earlier email no "
            "longer works.",
        )
    return redirect(_team_url(membership))


@region_view(methods=POST, admin_for="ALL", message=ADMINS_ONLY_MESSAGE)
def invitation_revoke(
    request: HttpRequest, membership: Membership, invitation_pk: int
) -> HttpResponse:
    invitation = selectors.invitation_of_region_get_or_404(
        region=membership.region, pk=invitation_pk
    )
    try:
        services.invitation_revoke(invitation=invitation, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} was revoked.")
    return redirect(_team_url(membership))


@region_view(methods=READ_AND_POST, admin_for="ALL", message=ADMINS_ONLY_MESSAGE)
def member_role(request: HttpRequest, membership: Membership, member_pk: int) -> HttpResponse:
    member = selectors.team_member_get_or_404(region=membership.region, pk=member_pk)
    name = presenters.member_name(member)
    form = RoleForm(_posted(request), name=name, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.member_change_role(
                membership=member, role=form.cleaned_data["role"], by=_user(request)
            )
        except ValidationError as error:
            add_form_errors(form, error, default_field="role")
        else:
            messages.success(request, f"{name} is now {changed.role_name.lower()}.")
            return redirect(_team_url(membership))
    return render(
        request,
        "assessments/team/member_role.html",
        {"membership": membership, "region": membership.region, "member": member, "form": form},
    )


def _remove_page(
    request: HttpRequest, membership: Membership, member: Membership, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "assessments/team/member_remove.html",
        {
            "membership": membership,
            "region": membership.region,
            "member": member,
            "name": presenters.member_name(member),
            "leaving": member.pk == membership.pk,
            "error": error,
        },
    )


@region_view(methods=READ_AND_POST, admin_for="ALL", message=ADMINS_ONLY_MESSAGE)
def member_remove(request: HttpRequest, membership: Membership, member_pk: int) -> HttpResponse:
    member = selectors.team_member_get_or_404(region=membership.region, pk=member_pk)
    if member.pk == membership.pk:
        return redirect("assessments:team-leave", region_slug=membership.region.slug)
    if request.method == "POST":
        try:
            services.member_remove(membership=member, by=_user(request))
        except ValidationError as error:
            return _remove_page(request, membership, member, " ".join(error.messages))
        messages.success(request, f"{presenters.member_name(member)} was removed from the team.")
        return redirect(_team_url(membership))
    return _remove_page(request, membership, member)


@region_view(methods=READ_AND_POST)
def team_leave(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Any member may leave (but not the last region admin)."""
    if request.method == "POST":
        try:
            services.member_leave(membership=membership)
        except ValidationError as error:
            return _remove_page(request, membership, membership, " ".join(error.messages))
        messages.success(request, f"You left {membership.region.name}.")
        return redirect("assessments:region-list")
    return _remove_page(request, membership, membership)


# --- following an invitation's link -----------------------------------------------------------


def _unusable(request: HttpRequest, invitation: Invitation | None, status: str) -> HttpResponse:
    """The one page for a link that cannot be used: what happened and who to ask."""
    contacts = presenters.invitation_contacts(invitation=invitation) if invitation else []
    return render(
        request,
        "assessments/team/invitation_unusable.html",
        {"invitation": invitation, "status": status, "contacts": contacts},
        status=404 if invitation is None else 410,
    )


def _unusable_or_joined(request: HttpRequest, invitation: Invitation, status: str) -> HttpResponse:
    """Whoever accepted the invitation, clicking again, goes to the region (a double click);
    anyone else is told the link has been used."""
    accepted_by_them = (
        status == Invitation.Status.ACCEPTED
        and request.user.is_authenticated
        and invitation.accepted_by_id == request.user.pk
    )
    if accepted_by_them:
        return redirect(invitation.region.get_absolute_url())
    return _unusable(request, invitation, status)


def _accepted(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.success(
        request, f"You joined {membership.region.name} as {membership.role_name.lower()}."
    )
    return redirect(membership.region.get_absolute_url())


@require_http_methods(READ_AND_POST)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        return _unusable(request, None, LINK_NOT_VALID)
    status = invitation.status_at(now)
    if status != Invitation.Status.PENDING:
        return _unusable_or_joined(request, invitation, status)
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation, token)
    if selectors.user_by_email(email=invitation.email) is not None:
        return _sign_in_first(request, token)
    return _newcomer(request, invitation, token)


def _sign_in_first(request: HttpRequest, token: str) -> HttpResponse:
    """The address has an account: its owner signs in, and comes back here to accept."""
    here = reverse("invitations:accept", kwargs={"token": token})
    return redirect(f"{reverse('citydigital:sign-in')}?{urlencode({'next': here})}")


def _accept_signed_in(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    user = _user(request)
    for_someone_else = not services.invitation_is_for(invitation, user)
    if request.method == "POST" and not for_someone_else:
        try:
            membership = services.invitation_accept(token=token, user=user)
        except services.InvitationUnusable as unusable:
            return _unusable_or_joined(request, unusable.invitation, unusable.status)
        return _accepted(request, membership)
    return render(
        request,
        "assessments/team/invitation_accept.html",
        {
            "invitation": invitation,
            "role_name": presenters.role_name(invitation.role),
            "inviter": presenters.inviter_name(invitation),
            "for_someone_else": for_someone_else,
        },
    )


def _sign_in(request: HttpRequest, user: User, password: str) -> None:
    """Sign the new account in through the configured backends, as the sign-in page would."""
    signed_in = authenticate(request, username=user.get_username(), password=password)
    login(
        request,
        signed_in or user,
        backend=None if signed_in else settings.AUTHENTICATION_BACKENDS[-1],
    )


def _newcomer(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    first, _, last = invitation.name.rpartition(" ")
    form = NewcomerForm(
        _posted(request),
        email=invitation.email,
        initial={"first_name": first or last, "last_name": last if first else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_as_newcomer(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnusable as unusable:
            return _unusable(request, unusable.invitation, unusable.status)
        except services.InvitationNeedsSignIn:
            return _sign_in_first(request, token)
        _sign_in(request, membership.user, form.cleaned_data["password1"])
        return _accepted(request, membership)
    return render(
        request,
        "assessments/team/invitation_newcomer.html",
        {
            "invitation": invitation,
            "form": form,
            "role_name": presenters.role_name(invitation.role),
            "inviter": presenters.inviter_name(invitation),
        },
    )


@login_required
@require_http_methods(POST)
def invitation_join(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept an invitation listed on "Your regions" (sent to the signed-in user's address)."""
    try:
        membership = services.invitation_accept_waiting(invitation_pk=pk, user=_user(request))
    except Invitation.DoesNotExist:
        raise Http404("No such invitation") from None
    except services.InvitationUnusable as unusable:
        return _unusable_or_joined(request, unusable.invitation, unusable.status)
    return _accepted(request, membership)
