"""Assignment rules and progress on the dataset admin pages.

`DatasetAssignmentAdminMixin` goes in front of the dataset admin: the rules inline on the
change page (validated and saved by `services.update_rules`, like the API), records
progress in the list (no query per row), the annotators' progress on the change page and a
"re-balance" action.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.accounts.models import Role, User
from apps.annotation import progress, services
from apps.annotation.models import AssignmentRules, PoolKind
from apps.annotation.rules import clean_rules
from apps.core.errors import Problems, ValidationFailed
from apps.datasets.models import Dataset, Question
from apps.workspaces.admin_scoping import ScopedAdminMixin, scope_queryset

_RULE_FIELDS = ("pool_kind", "annotators", "mode", "order", "order_question", "lease_minutes")


class AssignmentRulesForm(forms.ModelForm):
    """Checked by the shared rule (`clean_rules`) against the overlap being saved with it."""

    class Meta:
        model = AssignmentRules
        fields = _RULE_FIELDS
        # A short list of people: check boxes read better than a two-pane picker on a phone.
        widgets = {"annotators": forms.CheckboxSelectMultiple}

    class Media:
        js = ("js/admin_pool.js",)

    def __init__(self, *args, dataset, min_submitted_before: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset  # the dataset form's instance: it holds the new overlap
        self.min_submitted_before = min_submitted_before
        # The people who annotate in the dataset's workspace: not its owners or admins.
        self.fields["annotators"].queryset = User.objects.filter(
            memberships__workspace_id=dataset.workspace_id, is_active=True, role=Role.ANNOTATOR
        ).order_by("username")
        # Shown only for a named pool (admin_pool.js follows the select as it changes).
        wrapper = self.fields["annotators"].widget
        wrapper.can_add_related = False  # people join through their workspace, not from here
        checkboxes = getattr(wrapper, "widget", wrapper)  # (the admin wraps it for its links)
        hidden = " pool-hidden" if self["pool_kind"].value() != PoolKind.NAMED else ""
        # A new dict: the wrapper's copy shares its `attrs` with the class-level widget.
        checkboxes.attrs = {**checkboxes.attrs, "class": "pool-annotators" + hidden}
        self.fields["annotators"].help_text = _(
            "The annotators of the workspace who answer this dataset's records."
        )
        self.fields["order_question"].queryset = Question.objects.filter(dataset=dataset)

    def overlap_changed(self) -> bool:
        return self.dataset.min_submitted != self.min_submitted_before

    def has_changed(self) -> bool:
        # A new overlap re-balances pre-assigned records, so it counts as a change here too.
        return super().has_changed() or self.overlap_changed()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = Problems()
        clean_rules(
            problems,
            dataset=self.dataset,
            pool_kind=cleaned.get("pool_kind"),
            annotators=list(cleaned.get("annotators") or []),
            mode=cleaned.get("mode"),
            order=cleaned.get("order"),
            order_question=cleaned.get("order_question"),
            lease_minutes=cleaned.get("lease_minutes"),
            min_submitted=self.dataset.min_submitted,
        )
        for problem in problems.items:
            field = problem.loc[0] if problem.loc else None
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem.message)
            else:
                self.add_error(None, str(problem))
        return cleaned

    def save(self, commit=True):
        """Through the service whatever `commit` says: it re-balances and restarts queues."""
        data = self.cleaned_data
        return services.update_rules(
            dataset=self.dataset,
            pool_kind=data["pool_kind"],
            annotators=data["annotators"],
            mode=data["mode"],
            order=data["order"],
            order_question=data["order_question"],
            lease_minutes=data["lease_minutes"],
            rebalance=self.overlap_changed(),
        )


class _RulesFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built before the dataset form applies its changes (the forms come later).
        self.min_submitted_before = self.instance.min_submitted

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "dataset": self.instance,
            "min_submitted_before": self.min_submitted_before,
        }

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            dataset=self.instance,
            min_submitted_before=self.min_submitted_before,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


class AssignmentRulesInline(ScopedAdminMixin, admin.StackedInline):
    model = AssignmentRules
    form = AssignmentRulesForm
    formset = _RulesFormSet
    fields = _RULE_FIELDS
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name_plural = _("assignment rules")

    def get_queryset(self, request):
        # The dataset link is one-to-one, which the generic scoping does not follow.
        datasets = scope_queryset(Dataset.objects.all(), request.user)
        return admin.StackedInline.get_queryset(self, request).filter(dataset__in=datasets)


class DatasetAssignmentAdminMixin:
    """For the dataset ModelAdmin: rules inline, progress columns, re-balance action."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return (*inlines, AssignmentRulesInline) if obj is not None else inlines

    def get_queryset(self, request):
        return progress.with_record_counts(super().get_queryset(request))

    @admin.display(description=_("records completed"))
    def records_progress(self, obj) -> str:
        total = getattr(obj, "records_total", 0)
        completed = getattr(obj, "records_completed", 0)
        return _("%(completed)d / %(total)d (%(pending)d pending)") % {
            "completed": completed,
            "total": total,
            "pending": total - completed,
        }

    @admin.display(description=_("annotators"))
    def annotators_progress(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        rows = progress.annotator_progress(obj)
        if not rows:
            return _("Nobody is in the pool yet.")
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("annotator"),
            _("in the pool"),
            _("submitted"),
            _("draft"),
            _("discarded"),
            _("remaining"),
        )
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row.username,
                    _("yes") if row.in_pool else _("no"),
                    row.submitted,
                    row.draft,
                    row.discarded,
                    row.remaining,
                )
                for row in rows
            ),
        )
        # Scrolls sideways on a phone rather than cutting the last columns off.
        return format_html('<div class="progress-table"><table>{}{}</table></div>', head, body)

    @admin.action(
        description=_("Re-balance pre-assigned records over the pool"), permissions=["change"]
    )
    def rebalance_assignments(self, request, queryset):
        for dataset in queryset:
            try:
                result = services.rebalance_assignments(dataset=dataset)
            except ValidationFailed as error:
                problems = "; ".join(str(problem.message) for problem in error.problems)
                messages.error(request, f"{dataset.name}: {problems}")
                continue
            messages.success(
                request,
                ngettext(
                    "%(dataset)s: %(added)d assignment added, %(removed)d removed.",
                    "%(dataset)s: %(added)d assignments added, %(removed)d removed.",
                    result.added,
                )
                % {"dataset": dataset.name, "added": result.added, "removed": result.removed},
            )
