"""Who may open a region's pages, by which HTTP methods, and the one page that refuses them.

Every member page is wrapped in `region_view` (a page of the region) or `assessment_view` (a
page of one of its assessments). In this order, the decorator:

1. sends anonymous visitors to the sign-in page (`login_required`);
2. loads the visitor's membership of `region_slug`, and for `assessment_view` the assessment
   `pk` of that region: outsiders, unknown regions and other regions' assessments get 404, never
   403, so a region's existence stays private (on a page with `staff_read=True`, service staff
   outside the region read it as a viewer would);
3. answers any method outside `methods` with 405 (`require_http_methods`; `ANY_METHOD` lets
   every method through);
4. refuses a viewer (and, with `in_progress=True`, a submitted assessment) the requests that
   need an editor (`editor_for`), and anyone but a region admin the requests that need one
   (`admin_for`: the team, open data), with the refusal page (403) and the view's message;

and then calls the view with the membership (and the assessment) after the request, in place of
the `region_slug` (and `pk`) URL arguments. A `PermissionDenied` from a service (a role that
changed mid-request) gets the same refusal page.
"""

from collections.abc import Callable, Collection
from functools import wraps
from typing import Concatenate, Literal, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from assessments import selectors
from assessments.models import Assessment, Membership
from citydigital.http import AuthenticatedHttpRequest

P = ParamSpec("P")
# A view as the decorators receive it, and as the URL conf calls it (by the URL's arguments).
RegionPage = Callable[Concatenate[AuthenticatedHttpRequest, Membership, P], HttpResponseBase]
AssessmentPage = Callable[
    Concatenate[AuthenticatedHttpRequest, Membership, Assessment, P], HttpResponseBase
]
Page = Callable[..., HttpResponseBase]

READ = ("GET", "HEAD")
READ_AND_POST = ("GET", "HEAD", "POST")
POST = ("POST",)
# The briefing pages (reports) have always answered any method; kept so, and said so.
ANY_METHOD = None

READ_ONLY_MESSAGE = "You can read this region's assessments but not change them."
SUBMITTED_MESSAGE = (
    "This assessment has been submitted, so its answers cannot be changed. An editor can reopen it."
)

# Which requests need an editor (or, for `admin_for`, a region admin): only POSTs (the page
# itself is for every member), or every request (the page is only a form).
EditorFor = Literal["POST", "ALL"]


def refusal(request: HttpRequest, membership: Membership, message: str) -> HttpResponse:
    """The one refusal page: a member may read this but not do what they asked."""
    return render(
        request,
        "assessments/forbidden.html",
        {"region": membership.region, "membership": membership, "message": message},
        status=403,
    )


def _needed(request: HttpRequest, needed_for: EditorFor | None) -> bool:
    return needed_for == "ALL" or (needed_for == "POST" and request.method == "POST")


def _refusal_message(
    request: HttpRequest,
    membership: Membership,
    assessment: Assessment | None,
    *,
    editor_for: EditorFor | None,
    admin_for: EditorFor | None,
    in_progress: bool,
    message: str,
) -> str | None:
    if _needed(request, admin_for) and not membership.is_region_admin:
        return message
    if not _needed(request, editor_for):
        return None
    if not membership.is_editor:
        return message
    if in_progress and assessment is not None and not assessment.is_in_progress:
        return SUBMITTED_MESSAGE
    return None


def _guarded(
    view: Page,
    *,
    methods: Collection[str] | None,
    editor_for: EditorFor | None,
    admin_for: EditorFor | None = None,
    in_progress: bool,
    message: str,
) -> Page:
    """`view` behind the method and role checks, called with what the URL named: the membership,
    then the assessment for an assessment's page (`loaded`)."""

    def checked(
        request: AuthenticatedHttpRequest,
        membership: Membership,
        *loaded: Assessment,
        **kwargs: object,
    ) -> HttpResponseBase:
        refused = _refusal_message(
            request,
            membership,
            loaded[0] if loaded else None,
            editor_for=editor_for,
            admin_for=admin_for,
            in_progress=in_progress,
            message=message,
        )
        if refused is not None:
            return refusal(request, membership, refused)
        try:
            return view(request, membership, *loaded, **kwargs)
        except PermissionDenied:
            return refusal(request, membership, message)

    return checked if methods is None else require_http_methods(list(methods))(checked)


def region_view(
    *,
    methods: Collection[str] | None,
    editor_for: EditorFor | None = None,
    admin_for: EditorFor | None = None,
    message: str = READ_ONLY_MESSAGE,
    staff_read: bool = False,
) -> Callable[[RegionPage[P]], Page]:
    """A page of the member's region: the view gets `(request, membership, **other_kwargs)`.
    `admin_for` names the requests only a region admin may make (give its own `message`).
    `staff_read`: superusers outside the region get an unsaved viewer membership (`pk` None)."""
    load = (
        selectors.membership_or_staff_reader_or_404
        if staff_read
        else selectors.membership_get_or_404
    )

    def decorator(view: RegionPage[P]) -> Page:
        checked = _guarded(
            view,
            methods=methods,
            editor_for=editor_for,
            admin_for=admin_for,
            in_progress=False,
            message=message,
        )

        @wraps(view)
        @login_required
        def wrapper(
            request: AuthenticatedHttpRequest, region_slug: str, **kwargs: object
        ) -> HttpResponseBase:
            membership = load(user=request.user, region_slug=region_slug)
            return checked(request, membership, **kwargs)

        return wrapper

    return decorator


def assessment_view(
    *,
    methods: Collection[str] | None,
    editor_for: EditorFor | None = None,
    in_progress: bool = False,
    message: str = READ_ONLY_MESSAGE,
    pk_kwarg: str = "pk",
) -> Callable[[AssessmentPage[P]], Page]:
    """A page of one assessment of the member's region (the URL argument `pk_kwarg`): the view
    gets `(request, membership, assessment, **other_kwargs)`. With `in_progress=True` the
    requests that need an editor also need the assessment to be in progress."""

    def decorator(view: AssessmentPage[P]) -> Page:
        checked = _guarded(
            view, methods=methods, editor_for=editor_for, in_progress=in_progress, message=message
        )

        @wraps(view)
        @login_required
        def wrapper(
            request: AuthenticatedHttpRequest, region_slug: str, **kwargs: object
        ) -> HttpResponseBase:
            pk = int(str(kwargs.pop(pk_kwarg)))  # the URL pattern's <int:...>
            membership = selectors.membership_get_or_404(user=request.user, region_slug=region_slug)
            assessment = selectors.assessment_get_or_404(region=membership.region, pk=pk)
            return checked(request, membership, assessment, **kwargs)

        return wrapper

    return decorator
