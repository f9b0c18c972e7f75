"""The emails assessments send, through `notifications.services.notify`: a theme assigned to
someone, a comment on a theme someone owns. Called by `assessments.services` inside their
transactions; each email's key makes a second call for the same event send nothing."""

from django.contrib.auth.models import User
from django.urls import reverse

from assessments import selectors
from assessments.models import AnswerComment, ThemeAssignment
from notifications.models import Event
from notifications.services import absolute_url, notify
from questionbank.snapshot import QuestionSnapshot, ThemeSnapshot


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else "A colleague"


def theme_assigned(*, assignment: ThemeAssignment, theme: ThemeSnapshot) -> None:
    """Tell the new owner, unless they made themselves the owner."""
    if assignment.assignee_id == assignment.assigned_by_id:
        return
    assessment = assignment.assessment
    url = reverse(
        "assessments:theme-detail",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "theme_slug": theme.slug,
        },
    )
    notify(
        user=assignment.assignee,
        event=Event.THEME_ASSIGNED,
        key=f"theme_assigned:{assignment.pk}:{assignment.assigned_at.timestamp()}",
        template="theme_assigned",
        context={
            "theme_title": theme.title,
            "region_name": assessment.region.name,
            "assessment_label": assessment.label,
            "assigned_by_name": _name(assignment.assigned_by),
            "url": absolute_url(url),
        },
    )


def comment_added(*, comment: AnswerComment, question: QuestionSnapshot) -> None:
    """Tell the owner of the question's theme, unless they wrote the comment."""
    assessment = comment.assessment
    owner = selectors.theme_assignment_get(assessment=assessment, theme_id=question.theme_id)
    if owner is None or owner.assignee_id == comment.author_id:
        return
    theme = selectors.assessment_bank(assessment=assessment).theme_by_id[question.theme_id]
    url = reverse(
        "assessments:question-detail",
        kwargs={
            "region_slug": assessment.region.slug,
            "pk": assessment.pk,
            "question_pk": question.id,
        },
    )
    notify(
        user=owner.assignee,
        event=Event.COMMENT_ON_OWNED_THEME,
        key=f"comment:{comment.pk}",
        template="comment_on_owned_theme",
        context={
            "theme_title": theme.title,
            "region_name": assessment.region.name,
            "assessment_label": assessment.label,
            "author_name": _name(comment.author),
            "question_code": question.code,
            "question_text": question.text,
            "comment_text": comment.text,
            "url": absolute_url(url) + f"#comment-{comment.pk}",
        },
    )
