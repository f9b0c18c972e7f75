"""The question bank: versions of the themes, questions, rubric levels and actions an
assessment asks and scores. A published version never changes; edits go into a new draft."""

from typing import Any, ClassVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from questionbank import kinds


class BankLockedError(ValidationError):
    """A write to a published or retired version of the question bank, which never changes."""


def _locked_message(version: int, status: str) -> str:
    return (
        f"Version {version} of the question bank is {status}, and a {status} version never "
        "changes. Create a new draft from it and edit the draft."
    )


class QuestionBankQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        locked = self.exclude(status=QuestionBank.Status.DRAFT).values_list("version", "status")
        for version, status in locked[:1]:
            raise BankLockedError(_locked_message(version, status))
        return super().delete()


class BankContentQuerySet(models.QuerySet):
    """Bulk deletes and updates of bank content refuse rows of a non-draft version."""

    def _refuse_locked(self) -> None:
        path = self.model.BANK_PATH
        locked = (
            self.exclude(**{f"{path}__status": QuestionBank.Status.DRAFT})
            .values_list(f"{path}__version", f"{path}__status")
            .order_by(f"-{path}__version")  # the message names the newest locked version
            .distinct()
        )
        for version, status in locked[:1]:
            raise BankLockedError(_locked_message(version, status))

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_locked()
        return super().delete()

    def update(self, **kwargs: Any) -> int:
        self._refuse_locked()
        return super().update(**kwargs)


class BankContentModel(models.Model):
    """Themes, questions, rubric levels and actions: writable only while their version is a
    draft. The guard sits in the model so that the admin, the shell and services all obey it."""

    # Lookup from this model to its QuestionBank, e.g. "theme__bank".
    BANK_PATH: ClassVar[str] = ""
    # The foreign key to the parent row, and the lookup from the parent model to the bank.
    PARENT_FIELD: ClassVar[str] = ""

    objects = BankContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.refuse_if_locked()
        return super().delete(*args, **kwargs)

    def _bank_states(self) -> list[tuple[int, str]]:
        states = []
        if self.pk is not None:
            path = self.BANK_PATH
            states += list(
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list(f"{path}__version", f"{path}__status")
            )
        # PARENT_FIELD names a foreign key: to the bank, or to another BankContentModel.
        parent_field = cast("models.ForeignKey[Any, Any]", self._meta.get_field(self.PARENT_FIELD))
        parent_id = getattr(self, parent_field.attname)
        if parent_id is not None:
            parent_model = parent_field.related_model
            if parent_model is QuestionBank:
                states += list(
                    QuestionBank.objects.filter(pk=parent_id).values_list("version", "status")
                )
            else:
                content_model = cast("type[BankContentModel]", parent_model)
                path = content_model.BANK_PATH
                states += list(
                    content_model._base_manager.filter(pk=parent_id).values_list(
                        f"{path}__version", f"{path}__status"
                    )
                )
        return states

    def refuse_if_locked(self) -> None:
        for version, status in self._bank_states():
            if status != QuestionBank.Status.DRAFT:
                raise BankLockedError(_locked_message(version, status))


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = QuestionBankQuerySet.as_manager()

    # Fields that only the publish service changes (with QuerySet.update).
    LIFECYCLE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"id", "status", "published_at", "published_by"}
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored = QuestionBank.objects.filter(pk=self.pk).values_list("version", "status")
        for version, status in stored:
            if status != self.Status.DRAFT:
                raise BankLockedError(_locked_message(version, status))
        return super().delete(*args, **kwargs)

    def refuse_if_locked(self) -> None:
        """Refuse a change to the content of a stored non-draft version (its title, notes...).
        Saving it unchanged is harmless; status moves only through the publish service."""
        if self.pk is None:
            return
        stored = QuestionBank.objects.filter(pk=self.pk).first()
        if stored is None:
            return
        if stored.status != self.status:
            raise BankLockedError(
                f"Version {stored.version} is {stored.status}: its status changes only by "
                "publishing a draft (which retires the current version), never by editing it."
            )
        if stored.status == self.Status.DRAFT:
            return
        changed = [
            field.verbose_name
            for field in self._meta.concrete_fields
            if field.name not in self.LIFECYCLE_FIELDS
            and field.value_from_object(self) != field.value_from_object(stored)
        ]
        if changed:
            raise BankLockedError(_locked_message(stored.version, stored.status))

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Theme(BankContentModel):
    BANK_PATH = "bank"
    PARENT_FIELD = "bank"

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
        ordering = ["bank_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "slug"], name="unique_theme_slug_per_bank"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(BankContentModel):
    BANK_PATH = "theme__bank"
    PARENT_FIELD = "theme"

    class Kind(models.TextChoices):
        MATURITY = kinds.MATURITY, kinds.LABELS[kinds.MATURITY]
        YES_NO = kinds.YES_NO, kinds.LABELS[kinds.YES_NO]
        SINGLE_CHOICE = kinds.SINGLE_CHOICE, kinds.LABELS[kinds.SINGLE_CHOICE]
        MULTI_CHOICE = kinds.MULTI_CHOICE, kinds.LABELS[kinds.MULTI_CHOICE]
        NUMBER = kinds.NUMBER, kinds.LABELS[kinds.NUMBER]
        TEXT = kinds.TEXT, kinds.LABELS[kinds.TEXT]

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
    sources = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the question comes from, as source tags (e.g. TUK17; LDD).",
    )

    class Meta:
        ordering = ["theme_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "code"], name="unique_question_code_per_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    def clean(self) -> None:
        super().clean()
        target = self.condition_question
        if target is None:
            if self.condition_values:
                raise ValidationError(
                    {"condition_values": "Choose the question these answers belong to."}
                )
            return
        if self.pk is not None and target.pk == self.pk:
            problem = "A question cannot depend on its own answer."
        elif target.theme_id != self.theme_id:
            problem = "A condition must point at an earlier question of the same theme."
        elif (target.order, target.pk) >= (self.order, self.pk or float("inf")):
            problem = (
                f"A condition must point at an earlier question: {target.code} comes after "
                "this one."
            )
        elif not self.condition_values:
            problem = f"Give the answers of {target.code} that show this question."
        else:
            return
        raise ValidationError({"condition_question": problem})

    @property
    def is_scored(self) -> bool:
        return self.kind in kinds.SCORED_KINDS


class RubricLevel(BankContentModel):
    """One answer option of a scored question, with what it looks like and the score it earns.
    For number questions `value` is the lower bound the answer must reach."""

    BANK_PATH = "question__theme__bank"
    PARENT_FIELD = "question"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField(default=0)
    value = models.CharField(max_length=50)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["question_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"], name="unique_rubric_value_per_question"
            ),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="rubric_score_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score})"


class Action(BankContentModel):
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

    BANK_PATH = "question__theme__bank"
    PARENT_FIELD = "question"

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
        ordering = ["question_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
