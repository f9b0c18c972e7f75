"""The question bank: versions of the themes, questions, rubric levels and actions an
assessment asks and scores. A published version never changes; edits go into a new draft."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class QuestionBank(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    change_notes = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = "question bank version"
        constraints = [
            # Exactly one current version: at most one published at a time.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="one_published_question_bank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version}, {self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Theme(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    why_it_matters = models.TextField("why it matters in the first 100 days", blank=True)
    weight = models.PositiveSmallIntegerField(
        default=10, help_text="Share of the overall readiness index (weights are relative)."
    )

    class Meta:
        ordering = ["bank", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "slug"], name="unique_theme_slug_per_bank"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        MATURITY = "maturity", "Maturity scale"
        YES_NO = "yes_no", "Yes or no"
        SINGLE_CHOICE = "single_choice", "One choice"
        MULTI_CHOICE = "multi_choice", "Several choices"
        NUMBER = "number", "Number"
        TEXT = "text", "Text (not scored)"

    SCORED_KINDS = frozenset(
        {Kind.MATURITY, Kind.YES_NO, Kind.SINGLE_CHOICE, Kind.MULTI_CHOICE, Kind.NUMBER}
    )

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(
        max_length=20,
        help_text="Stable identity across versions, e.g. CDIC-01. A reworded question keeps it.",
    )
    text = models.TextField("question")
    guidance = models.TextField(
        blank=True, help_text="What good looks like and what evidence to give."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MATURITY)
    weight = models.PositiveSmallIntegerField(default=1)
    required = models.BooleanField(default=True)
    milestone_day = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="A 100-day milestone: the day of the mayor's term by which it should be done.",
    )
    replaces_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of earlier questions this one replaces (split or merged).",
    )
    condition_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependent_questions",
        help_text="Ask this question only when an earlier question of the same theme has one "
        "of the values below.",
    )
    condition_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["theme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "code"], name="unique_question_code_per_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def is_scored(self) -> bool:
        return self.kind in self.SCORED_KINDS


class RubricLevel(models.Model):
    """One answer option of a scored question, with what it looks like and the score it earns.
    For number questions `value` is the lower bound the answer must reach."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField(default=0)
    value = models.CharField(max_length=50)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"], name="unique_rubric_value_per_question"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="rubric_score_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score})"


class Action(models.Model):
    """What to do when a question's answer scores below the threshold: feeds the 100-day plan."""

    class OwnerRole(models.TextChoices):
        MAYOR = "mayor", "Mayor"
        CDIC = "cdic", "Chief Digital and Innovation Champion"
        CA_OFFICERS = "ca_officers", "Combined authority officers"
        COUNCILS = "councils", "Constituent councils"
        PARTNERS = "partners", "Partners (industry, education, community)"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    owner_role = models.CharField(max_length=20, choices=OwnerRole.choices)
    applies_below_score = models.PositiveSmallIntegerField(
        default=75,
        validators=[MaxValueValidator(101)],
        help_text="The action is recommended when the question scores below this (0-100).",
    )
    day_from = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    day_to = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
