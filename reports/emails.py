"""The email reports sends, through `notifications.services.notify`: a briefing someone asked
for is ready, or failed. Called by `reports.services` in the transaction that sets the status."""

from notifications.models import Event
from notifications.services import absolute_url, notify
from reports.models import Briefing


def briefing_finished(*, briefing: Briefing) -> None:
    """Tell whoever asked for it. One email per render round: `started_at` is set anew each
    time the briefing is claimed (attempts restart at 0 on "Try again", so they would repeat),
    and a second call for the same round sends nothing."""
    if briefing.requested_by is None or not briefing.is_finished:
        return
    started = briefing.started_at.timestamp() if briefing.started_at else "never"
    assessment = briefing.assessment
    notify(
        user=briefing.requested_by,
        event=Event.BRIEFING_FINISHED,
        key=f"briefing:{briefing.pk}:{briefing.status}:{started}",
        template="briefing_finished",
        context={
            "ready": briefing.status == Briefing.Status.READY,
            "region_name": assessment.region.name,
            "assessment_label": assessment.label,
            "url": absolute_url(briefing.get_absolute_url()),
        },
    )
