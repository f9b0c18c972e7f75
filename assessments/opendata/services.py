"""Writes for open data: a region admin opts the region in to publishing its latest submitted
scores, or out again (which removes it from the public page and the downloads at once: they are
read live)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.models import CityRegion
from assessments.selectors import membership_require_region_admin


@transaction.atomic
def open_data_publish(*, region: CityRegion, user: User) -> CityRegion:
    """Opt in. Publishing again keeps the first date and region admin."""
    membership_require_region_admin(user=user, region=region)
    locked = CityRegion.objects.select_for_update().get(pk=region.pk)
    if locked.open_data_since is None:
        locked.open_data_since = timezone.now()
        locked.open_data_by = user
        locked.save(update_fields=["open_data_since", "open_data_by"])
    region.open_data_since, region.open_data_by = locked.open_data_since, locked.open_data_by
    return region


@transaction.atomic
def open_data_withdraw(*, region: CityRegion, user: User) -> CityRegion:
    """Opt out: nothing of the region is published from now on."""
    membership_require_region_admin(user=user, region=region)
    CityRegion.objects.filter(pk=region.pk).update(open_data_since=None, open_data_by=None)
    region.open_data_since = None
    region.open_data_by = None
    return region
