from datetime import date

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    URLValidator,
)
from django.db import models
from django.urls import reverse
from django.utils import timezone

from assessments import formatting, limits, scoring
from assessments.answers import AnswerValue


class CityRegion(models.Model):
    """A mayoral combined authority (or any city region) whose readiness is assessed."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    mayor_name = models.CharField("mayor's name", max_length=200)
    mayor_took_office = models.DateField(
        "date the mayor took office",
        help_text="Day 1 of the mayor's first 100 days.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="Seeded demonstration data; its answers are fictional."
    )
    # Open data: set while a region admin has opted in to publishing the region's latest submitted
    # scores (never notes, evidence, free text or names); opting out clears it.
    open_data_since = models.DateTimeField(
        "publishing open data since",
        null=True,
        blank=True,
        help_text="When a region admin opted in to publish the latest submitted scores.",
    )
    open_data_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "city region"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:region-detail", kwargs={"region_slug": self.slug})

    def day_in_office(self, today: date) -> int:
        """Day 1 is the day the mayor took office; before then the day is 0 or negative."""
        return scoring.day_in_office(today, self.mayor_took_office)

    @property
    def hundred_days_end(self) -> date:
        return formatting.day_date(self.mayor_took_office, 100)


class Membership(models.Model):
    class Role(models.TextChoices):
        # Highest first: a region admin can do everything an editor can, and manage the team.
        ADMIN = "admin", "Region admin (leads the team)"
        EDITOR = "editor", "Editor (mayoral staff who answer)"
        VIEWER = "viewer", "Viewer (officials who read and download)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(CityRegion, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="unique_membership_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.region} ({self.get_role_display()})"

    @property
    def is_editor(self) -> bool:
        """May change the assessments: editors and region admins."""
        return self.role in EDITING_ROLES

    @property
    def is_region_admin(self) -> bool:
        """May manage the team and what the region publishes."""
        return self.role == self.Role.ADMIN

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


# The roles that may change a region's assessments (`Membership.is_editor`).
EDITING_ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR)
# What pages call each role in a sentence or a table ("Region admin"), without the explanation.
ROLE_NAMES = {role.value: role.label.split(" (")[0] for role in Membership.Role}


evidence_url_validator = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with http:// or https://",
)


class Assessment(models.Model):
    """One self-assessment of a region, pinned to the question bank version it started on."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    region = models.ForeignKey(CityRegion, on_delete=models.CASCADE, related_name="assessments")
    bank = models.ForeignKey(
        "questionbank.QuestionBank", on_delete=models.PROTECT, related_name="assessments"
    )
    label = models.CharField(
        max_length=limits.LABEL.max_length,
        help_text='For example "Baseline, day 1" or "Day 50 check".',
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reassessments",
        help_text="The earlier assessment this one re-assesses.",
    )
    # What happened to the answers of `based_on` when they were carried over (see
    # assessments.reassessment.services): kept so the page can be shown again.
    carry_over = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["region_id", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(status="in_progress"),
                name="one_in_progress_assessment_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse(
            "assessments:assessment-tasks",
            kwargs={"region_slug": self.region.slug, "pk": self.pk},
        )

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One question's answer in one assessment: one row per question, so colleagues can answer
    different questions at once. `revision` rises on every save (optimistic concurrency)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "questionbank.Question", on_delete=models.PROTECT, related_name="answers"
    )
    # Rubric level values: one for maturity, yes_no and single_choice; any number for multi_choice.
    selected_values = models.JSONField(default=list, blank=True)
    number_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text_value = models.TextField(
        blank=True,
        max_length=limits.TEXT_ANSWER.max_length,
        validators=[MaxLengthValidator(limits.TEXT_ANSWER.max_length)],
    )
    note = models.TextField(
        blank=True,
        max_length=limits.NOTE.max_length,
        validators=[MaxLengthValidator(limits.NOTE.max_length)],
    )
    evidence_url = models.CharField(
        "evidence link",
        max_length=limits.EVIDENCE_URL.max_length,
        blank=True,
        validators=[evidence_url_validator],
    )
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.question.code}"

    @property
    def has_value(self) -> bool:
        return bool(self.selected_values) or self.number_value is not None or bool(self.text_value)

    @property
    def value(self) -> AnswerValue:
        return AnswerValue(
            selected_values=tuple(str(v) for v in self.selected_values or ()),
            number_value=self.number_value,
            text_value=self.text_value,
            note=self.note,
            evidence_url=self.evidence_url,
        )

    def set_value(self, value: AnswerValue) -> None:
        self.selected_values = list(value.selected_values)
        self.number_value = value.number_value
        self.text_value = value.text_value
        self.note = value.note
        self.evidence_url = value.evidence_url

    def as_value(self) -> dict:
        """The answer as plain JSON-able data, as kept in the history."""
        return self.value.to_json()


class AnswerHistory(models.Model):
    """Every change to an answer: who, when, the old and the new value."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="history")
    revision = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField()
    # Set when this revision was carried over from an earlier assessment's answer.
    carried_over_from = models.ForeignKey(
        "Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["answer_id", "revision", "pk"]
        verbose_name_plural = "answer history"

    def __str__(self) -> str:
        return f"{self.answer} revision {self.revision}"


class ThemeAssignment(models.Model):
    """The colleague (a member of the region) who owns a theme of an assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="theme_assignments"
    )
    theme = models.ForeignKey(
        "questionbank.Theme", on_delete=models.PROTECT, related_name="assignments"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "theme"], name="one_owner_per_assessment_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme} → {self.assignee}"


class AnswerComment(models.Model):
    """A short thread on one question of an assessment (it may not be answered yet)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(
        "questionbank.Question", on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(
        max_length=limits.COMMENT.max_length,
        validators=[MaxLengthValidator(limits.COMMENT.max_length)],
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment_id", "question_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class AssessmentEvent(models.Model):
    """The assessment's life: started, submitted and reopened (with the reason)."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(
        blank=True,
        max_length=limits.REASON.max_length,
        validators=[MaxLengthValidator(limits.REASON.max_length)],
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.get_kind_display()}"


# --- Results: stored scores and the 100-day action plan -----------------------------------------


class AssessmentScore(models.Model):
    """An assessment's figures as computed by `assessments.scoring`, stored so that pages, exports
    and the PDF read them rather than recompute them. `result` holds the whole
    `AssessmentResult.to_dict()` (explanations, gaps, strengths, milestones)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="score")
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(help_text="The date the milestone statuses were worked out for.")
    is_provisional = models.BooleanField(
        default=False, help_text="Calculated while the assessment was still in progress."
    )
    bank_version = models.PositiveIntegerField()
    readiness_index = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    band = models.CharField(max_length=20, blank=True)
    coverage = models.DecimalField(max_digits=5, decimal_places=4)
    confidence = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    answered = models.PositiveIntegerField(default=0)
    counted = models.PositiveIntegerField(default=0)
    result = models.JSONField()
    # The answers behind the figures as people read them ({question code: "Developing"}), so
    # the explanation of a score shows what was answered without loading the answers again.
    answer_labels = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "assessment score"

    def __str__(self) -> str:
        return f"{self.assessment}: {self.readiness_index}"


class ThemeScore(models.Model):
    """One theme's stored score in an assessment, queryable by other features."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="theme_scores"
    )
    theme = models.ForeignKey("questionbank.Theme", on_delete=models.PROTECT, related_name="scores")
    order = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    band = models.CharField(max_length=20, blank=True)
    coverage = models.DecimalField(max_digits=5, decimal_places=4)
    confidence = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    weight = models.PositiveSmallIntegerField()
    answered = models.PositiveIntegerField(default=0)
    counted = models.PositiveIntegerField(default=0)
    counts_in_index = models.BooleanField(default=False)

    class Meta:
        ordering = ["assessment_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "theme"], name="one_score_per_assessment_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.theme_id}: {self.score}"


class ActionPlanItem(models.Model):
    """One action of the 100-day plan, triggered by an answer that scores below the bank action's
    threshold (or by a scored question left unanswered). Editors' changes (owner's name, due day,
    done) are kept when the plan is regenerated."""

    class Window(models.TextChoices):
        DAYS_1_30 = "1-30", "Days 1 to 30"
        DAYS_31_60 = "31-60", "Days 31 to 60"
        DAYS_61_100 = "61-100", "Days 61 to 100"
        AFTER_100 = "after-100", "After day 100"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="action_plan_items"
    )
    action = models.ForeignKey(
        "questionbank.Action", on_delete=models.PROTECT, related_name="plan_items"
    )
    question = models.ForeignKey(
        "questionbank.Question", on_delete=models.PROTECT, related_name="plan_items"
    )
    # Snapshots of the bank's wording, so the plan reads the same whatever happens to the bank.
    title = models.CharField(max_length=200)
    text = models.TextField()
    question_code = models.CharField(max_length=20)
    theme_title = models.CharField(max_length=200)
    owner_role = models.CharField(max_length=20)
    owner_name = models.CharField(
        "owner's name", max_length=limits.OWNER_NAME.max_length, blank=True
    )
    priority = models.CharField(max_length=10)
    day_from = models.PositiveSmallIntegerField()
    day_to = models.PositiveSmallIntegerField()
    due_day = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    window = models.CharField(max_length=10, choices=Window.choices)
    # Why it is in the plan: the question's score, or None with `unanswered` set.
    trigger_score = models.PositiveSmallIntegerField(null=True, blank=True)
    unanswered = models.BooleanField(default=False)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assessment_id", "due_day", "day_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "action"], name="one_plan_item_per_assessment_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.title}"

    @staticmethod
    def window_for(due_day: int) -> str:
        if due_day <= 30:
            return ActionPlanItem.Window.DAYS_1_30
        if due_day <= 60:
            return ActionPlanItem.Window.DAYS_31_60
        if due_day <= 100:
            return ActionPlanItem.Window.DAYS_61_100
        return ActionPlanItem.Window.AFTER_100


# The team's models (invitations, the record of changes) live in their own sub-package and are
# this app's too: importing them here registers them.
from assessments.team.models import Invitation, TeamEvent  # noqa: E402, F401
