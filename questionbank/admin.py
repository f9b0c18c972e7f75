"""The question bank in the Django admin. Published and retired versions show read-only; the
rules live in the models (the immutability guard) and in services (draft, publish, import)."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from questionbank import selectors, services
from questionbank.bankfile import BankFileError
from questionbank.forms import BankCompareForm, BankImportForm
from questionbank.models import Action, BankLockedError, Question, QuestionBank, RubricLevel, Theme

MAX_PROBLEM_MESSAGES = 25

BankObject = QuestionBank | Theme | Question | RubricLevel | Action

if TYPE_CHECKING:
    # What the mixins below extend, as far as the type checker is concerned; at run time they
    # are plain mixins in front of ModelAdmin or an inline.
    _AdminBase = admin.ModelAdmin[Any]
    _InlineBase = admin.options.InlineModelAdmin[Any, Any]
    from django.contrib.admin.options import _FieldGroups
else:
    _AdminBase = _InlineBase = object


def _bank_of(obj: BankObject | None) -> QuestionBank | None:
    if obj is None:
        return None
    if isinstance(obj, QuestionBank):
        return obj
    if isinstance(obj, Theme):
        return obj.bank
    if isinstance(obj, Question):
        return obj.theme.bank
    return obj.question.theme.bank


def _locked(obj: BankObject | None) -> bool:
    bank = _bank_of(obj)
    return bank is not None and bank.pk is not None and not bank.is_editable


class LockedBankMixin(_AdminBase):
    """Read-only once the version is published or retired; a write that slips through (the
    version was published meanwhile) becomes a message instead of an error page."""

    def has_change_permission(self, request: HttpRequest, obj: BankObject | None = None) -> bool:
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: BankObject | None = None) -> bool:
        return not _locked(obj) and super().has_delete_permission(request, obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except BankLockedError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        obj = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and (bank := _bank_of(obj)) is not None and _locked(bank):
            self.message_user(
                request,
                f"Version {bank.version} is {bank.status}, so it is shown read-only. To change "
                "it, use “Create a new draft from this version” on the list of versions.",
                messages.WARNING,
            )
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except BankLockedError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except BankLockedError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class LockedInlineMixin(_InlineBase):
    """Inlines follow their parent's version: nothing to add, change or delete once locked."""

    def has_add_permission(self, request: HttpRequest, obj: BankObject | None = None) -> bool:
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: BankObject | None = None) -> bool:
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: BankObject | None = None) -> bool:
        return not _locked(obj) and super().has_delete_permission(request, obj)


# ---------------------------------------------------------------------------------------------
# Versions


class ThemeInline(LockedInlineMixin, admin.TabularInline):
    model = Theme
    fields = ["order", "slug", "title", "weight"]
    extra = 0
    show_change_link = True


@admin.register(QuestionBank)
class QuestionBankAdmin(LockedBankMixin, admin.ModelAdmin):
    list_display = ["version", "title", "status", "question_count", "published_at", "preview_link"]
    list_display_links = ["version", "title"]
    list_filter = ["status"]
    search_fields = ["title", "change_notes"]
    ordering = ["-version"]
    inlines = [ThemeInline]
    actions = ["create_draft", "publish"]
    readonly_fields = [
        "version",
        "status",
        "based_on",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
    ]
    change_form_template = "admin/questionbank/questionbank/change_form.html"
    change_list_template = "admin/questionbank/questionbank/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionBank]:
        banks: QuerySet[QuestionBank] = super().get_queryset(request)
        return banks.annotate(_questions=Count("themes__questions"))

    @admin.display(description="questions", ordering="_questions")
    def question_count(self, obj: QuestionBank) -> int:
        count: int = obj._questions  # type: ignore[attr-defined]  # annotated by get_queryset
        return count

    @admin.display(description="preview")
    def preview_link(self, obj: QuestionBank) -> str:
        url = reverse("questionbank:preview", kwargs={"version": obj.version})
        return format_html('<a href="{}">Preview version {}</a>', url, obj.version)

    def get_fields(self, request: HttpRequest, obj: QuestionBank | None = None) -> "_FieldGroups":
        if obj is None:
            return ["title", "change_notes"]
        return ["title", "change_notes", *self.readonly_fields]

    def get_readonly_fields(
        self, request: HttpRequest, obj: QuestionBank | None = None
    ) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: QuestionBank, form: Any, change: bool) -> None:
        if change:
            services.bank_update_draft(bank=obj, title=obj.title, change_notes=obj.change_notes)
        else:
            created = services.bank_create(
                title=obj.title, change_notes=obj.change_notes, created_by=request.user
            )
            obj.pk, obj.version = created.pk, created.version
            obj.refresh_from_db()

    # Actions ---------------------------------------------------------------------------------

    def _one(self, request: HttpRequest, queryset: QuerySet[QuestionBank]) -> QuestionBank | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one version.", messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description="Create a new draft from this version", permissions=["add"])
    def create_draft(
        self, request: HttpRequest, queryset: QuerySet[QuestionBank]
    ) -> HttpResponse | None:
        source = self._one(request, queryset)
        if source is None:
            return None
        draft = services.bank_create_draft(source=source, created_by=request.user)
        self.message_user(
            request,
            f"Version {draft.version} is a new draft copied from version {source.version}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:questionbank_questionbank_change", args=[draft.pk])
        )

    @admin.action(description="Publish", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[QuestionBank]) -> None:
        bank = self._one(request, queryset)
        if bank is None:
            return None
        try:
            services.bank_publish(bank=bank, published_by=request.user)
        except BankLockedError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        except services.BankPublishError as error:
            self.message_problems(
                request, f"Version {bank.version} was not published", error.problems
            )
            return None
        self.message_user(
            request,
            f"Version {bank.version} is published and is now the current version; the "
            "previous version is retired. Assessments already started keep their version.",
            messages.SUCCESS,
        )
        return None

    def message_problems(self, request: HttpRequest, heading: str, problems: list[str]) -> None:
        self.message_user(request, f"{heading}: {len(problems)} problems.", messages.ERROR)
        for problem in problems[:MAX_PROBLEM_MESSAGES]:
            # A prefix, because the admin capitalises the first letter of every message.
            self.message_user(request, f"Problem: {problem}", messages.ERROR)
        if len(problems) > MAX_PROBLEM_MESSAGES:
            more = len(problems) - MAX_PROBLEM_MESSAGES
            self.message_user(request, f"… and {more} more.", messages.ERROR)

    # Extra pages: import, export, what changed -----------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="questionbank_questionbank_import"),
            path("compare/", wrap(self.compare_view), name="questionbank_questionbank_compare"),
            path(
                "<int:object_id>/export/",
                wrap(self.export_view),
                name="questionbank_questionbank_export",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: object) -> dict[str, object]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        problems: list[str] = []
        form = BankImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                bank = services.bank_import(
                    text=form.cleaned_data["file"].read(),
                    publish=form.cleaned_data["publish"],
                    imported_by=request.user,
                )
            except BankFileError as error:
                problems = error.problems
            else:
                self.message_user(request, f"Imported as {bank}.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:questionbank_questionbank_change", args=[bank.pk])
                )
        return TemplateResponse(
            request,
            "admin/questionbank/questionbank/import.html",
            self._context(request, "Import a question-bank file", form=form, problems=problems),
        )

    def export_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        bank = get_object_or_404(QuestionBank, pk=object_id)
        if not self.has_view_permission(request, bank):
            raise PermissionDenied
        response = HttpResponse(
            services.bank_export(bank=bank), content_type="application/yaml; charset=utf-8"
        )
        filename = services.bank_export_filename(bank=bank)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def compare_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = BankCompareForm(request.GET or None)
        diff = None
        if form.is_valid():
            diff = selectors.bank_diff(old=form.cleaned_data["old"], new=form.cleaned_data["new"])
        return TemplateResponse(
            request,
            "admin/questionbank/questionbank/compare.html",
            self._context(request, "What changed between two versions", form=form, diff=diff),
        )


# ---------------------------------------------------------------------------------------------
# Themes and questions


class QuestionInline(LockedInlineMixin, admin.TabularInline):
    model = Question
    fields = ["order", "code", "text", "kind", "weight", "milestone_day", "required"]
    extra = 0
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(LockedBankMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "bank_version", "order", "weight"]
    list_filter = ["bank__status", "bank__version"]
    search_fields = ["title", "slug", "description"]
    list_select_related = ["bank"]
    ordering = ["-bank__version", "order"]
    inlines = [QuestionInline]
    fields = ["bank", "order", "slug", "title", "description", "why_it_matters", "weight"]

    @admin.display(description="version", ordering="bank__version")
    def bank_version(self, obj: Theme) -> int:
        return obj.bank.version

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bank":
            kwargs["queryset"] = QuestionBank.objects.filter(status=QuestionBank.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RubricLevelInline(LockedInlineMixin, admin.TabularInline):
    model = RubricLevel
    fields = ["order", "value", "label", "score", "description"]
    extra = 0


class ActionInline(LockedInlineMixin, admin.StackedInline):
    model = Action
    fields = [
        "order",
        "text",
        ("owner_role", "priority"),
        ("applies_below_score", "day_from", "day_to"),
    ]
    extra = 0


@admin.register(Question)
class QuestionAdmin(LockedBankMixin, admin.ModelAdmin):
    list_display = ["code", "short_text", "theme", "bank_version", "kind", "milestone_day"]
    list_display_links = ["code", "short_text"]
    list_filter = ["theme__bank__status", "theme__bank__version", "kind", "theme__slug"]
    search_fields = ["code", "text", "guidance", "sources"]
    list_select_related = ["theme__bank"]
    ordering = ["-theme__bank__version", "theme__order", "order"]
    inlines = [RubricLevelInline, ActionInline]
    fieldsets = [
        (None, {"fields": ["theme", "order", "code", "text", "guidance", "kind"]}),
        ("Scoring and the 100 days", {"fields": ["weight", "required", "milestone_day"]}),
        (
            "Condition",
            {
                "fields": ["condition_question", "condition_values"],
                "description": "Ask this question only when an earlier question of the same "
                'theme has one of these answer values, e.g. ["yes"].',
            },
        ),
        ("Across versions", {"fields": ["replaces_codes", "sources"]}),
    ]

    @admin.display(description="question")
    def short_text(self, obj: Question) -> str:
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:89]}…"

    @admin.display(description="version", ordering="theme__bank__version")
    def bank_version(self, obj: Question) -> int:
        return obj.theme.bank.version

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._questionbank_question = obj
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            kwargs["queryset"] = (
                Theme.objects.filter(bank__status=QuestionBank.Status.DRAFT)
                .select_related("bank")
                .order_by("-bank__version", "order", "pk")
            )
        if db_field.name == "condition_question":
            question = getattr(request, "_questionbank_question", None)
            if question is not None:
                kwargs["queryset"] = Question.objects.filter(
                    theme_id=question.theme_id, order__lte=question.order
                ).exclude(pk=question.pk)
            else:
                kwargs["queryset"] = Question.objects.filter(
                    theme__bank__status=QuestionBank.Status.DRAFT
                ).order_by("-theme__bank__version", "theme__order", "theme_id", "order", "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
