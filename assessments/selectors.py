from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from assessments.models import CityRegion, Membership


def membership_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("region").order_by("region__name")


def membership_get_or_404(
    *, user: AbstractBaseUser | AnonymousUser, region_slug: str
) -> Membership:
    """A user outside the region gets 404, never 403, so the region's existence stays private."""
    if not user.is_authenticated:
        raise Http404("No such region")
    try:
        return Membership.objects.select_related("region").get(user=user, region__slug=region_slug)
    except Membership.DoesNotExist:
        raise Http404("No such region") from None


def region_list_for_user(*, user: AbstractBaseUser) -> QuerySet[CityRegion]:
    return CityRegion.objects.filter(memberships__user=user).order_by("name")
