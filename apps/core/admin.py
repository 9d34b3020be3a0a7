"""What every app's admin shares: writes go through the domain services, refusals show.

Nothing is registered here. `ServiceAdminMixin` goes in front of a ModelAdmin whose saves,
deletes and actions call services (`apps/*/services.py`). A service refuses with
`ValidationFailed` (or `Conflict`), a list of problems located by `loc`. Django runs each
admin write in one transaction; the refusal rolls it back whole (nothing half-written) and
the person sees the service's own words, never a 500:

- on an add/change form, the same forms again with each problem next to its input: a
  problem located `(name, …)` goes under the form field `name`, one located
  `(inline prefix, row index, name, …)` under that field of that inline row (see
  `save_rows`), anything else above the form;
- on a delete or an action, as an error message.

The forms may validate ahead with the same validators the services call (quicker feedback,
every row at once); the service stays the rule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponseRedirect

from apps.core.errors import Problem, ValidationFailed


def add_problems(
    form: forms.BaseForm, problems: list[Problem], aliases: dict[str, str] | None = None
) -> None:
    """Each problem under the form field its `loc` names (through `aliases`), or above the
    form (also when that field is not editable or already shows an error)."""
    aliases = aliases or {}
    for problem in problems:
        key = aliases.get(problem.loc[0], problem.loc[0]) if problem.loc else None
        if key in form.fields and not form.fields[key].disabled and key not in form.errors:
            form.add_error(key, str(Problem(problem.loc[1:], problem.message)))
        else:
            form.add_error(None, str(problem))


def become(instance: Model, saved: Model) -> None:
    """Make the form's `instance` the row a service created.

    The admin built the inline formsets on the form's instance before saving: once the
    service has created the real row, the inlines (and the admin's log) must point at it.
    """
    instance.__dict__.update(saved.__dict__)


def _is_row_problem(problem: Problem) -> bool:
    return len(problem.loc) >= 2 and isinstance(problem.loc[1], int)


@dataclass
class _Refusal:
    """A service's refusal of the first attempt, replayed onto the forms of the second."""

    problems: list[Problem]
    inline_prefixes: set[str] = field(default_factory=set)

    def for_form(self) -> list[Problem]:
        return [p for p in self.problems if not self._on_a_row(p)]

    def _on_a_row(self, problem: Problem) -> bool:
        return _is_row_problem(problem) and problem.loc[0] in self.inline_prefixes

    def for_row(self, prefix: str, index: int) -> list[Problem]:
        return [
            Problem(p.loc[2:], p.message)
            for p in self.problems
            if _is_row_problem(p) and p.loc[0] == prefix and p.loc[1] == index
        ]


class ServiceAdminMixin:
    """For a ModelAdmin saving through services: refusals as form errors and messages."""

    # A problem's first `loc` key → the form field that shows it, where their names differ.
    problem_field_aliases: dict[str, str] = {}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationFailed as error:
            if request.method != "POST":
                raise
            refusal = _Refusal(error.problems)
        # Django's transaction rolled the attempt back: show the same forms again, invalid
        # with the service's problems, so nothing is saved this time.
        request.service_refusal = refusal
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationFailed as error:  # not expected: the forms are invalid by now
            self.message_problems(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form_class
        aliases = self.problem_field_aliases

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                add_problems(self, refusal.for_form(), aliases)
                return cleaned

        RefusedForm.__name__ = form_class.__name__
        return RefusedForm

    def get_formsets_with_inlines(self, request, obj=None):
        refusal = getattr(request, "service_refusal", None)
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            if refusal is not None:
                refusal.inline_prefixes.add(formset_class.get_default_prefix())
                formset_class = _refused_formset(formset_class, refusal)
            yield formset_class, inline

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationFailed as error:
            self.message_problems(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        """Actions (the bulk delete among them) run in one transaction; a refusal undoes it."""
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except ValidationFailed as error:
            self.message_problems(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def message_problems(self, request, error: ValidationFailed, subject: str = "") -> None:
        for problem in error.problems:
            text = str(problem.message) if len(problem.loc) <= 1 else str(problem)
            self.message_user(request, f"{subject}: {text}" if subject else text, messages.ERROR)


def _refused_formset(formset_class, refusal: _Refusal):
    class RefusedFormSet(formset_class):
        def clean(self):
            super().clean()
            for index, row in enumerate(self.forms):
                add_problems(row, refusal.for_row(self.prefix, index))

    RefusedFormSet.__name__ = formset_class.__name__
    return RefusedFormSet


def save_rows(
    formset: forms.BaseModelFormSet,
    *,
    add: Callable[[forms.ModelForm], Model],
    change: Callable[[forms.ModelForm], Model],
    delete: Callable[[forms.ModelForm], None],
) -> None:
    """Write an inline formset's rows through services instead of `formset.save()`.

    Deletions first (a new row may take a deleted row's name), then changes, then additions,
    in row order. A refusal is located at (prefix, row index, …) so that the form shows it on
    that row. Sets what Django's change message reads (`new_objects`, …).
    """
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    deleted = set(formset.deleted_forms)
    rows = list(enumerate(formset.forms))
    existing, new = rows[: formset.initial_form_count()], rows[formset.initial_form_count() :]
    for index, row in existing:
        if row in deleted:
            _located(formset, index, delete, row)
            formset.deleted_objects.append(row.instance)
    for index, row in existing:
        if row not in deleted and row.has_changed():
            saved = _located(formset, index, change, row)
            formset.changed_objects.append((saved, row.changed_data))
    for index, row in new:
        if row not in deleted and row.has_changed():
            saved = _located(formset, index, add, row)
            row.instance = saved
            formset.new_objects.append(saved)


def _located(formset, index: int, write, row):
    try:
        return write(row)
    except ValidationFailed as error:
        raise error.prefixed(formset.prefix, index) from None
