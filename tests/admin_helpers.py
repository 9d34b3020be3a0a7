"""Helpers for the admin tests: two tenants' data (`build_tenant_data`), URLs, form bodies."""

from django.contrib.messages import get_messages
from django.forms import BooleanField
from django.urls import reverse

from apps.accounts.models import Role
from apps.datasets.models import VectorSettings
from apps.records.models import Record, Suggestion, Vector
from apps.responses.models import Response


def add_records(dataset, count, *, prefix, user=None, vector_settings=None):
    """`count` records in `dataset`, each with a suggestion, and a response by `user` if given."""
    question = dataset.questions.order_by("position").first()
    records = []
    for index in range(count):
        record = Record.objects.create(
            dataset=dataset,
            external_id=f"{prefix}-{index}",
            fields={"prompt": "p", "response-1": "a", "response-2": "b"},
        )
        Suggestion.objects.create(record=record, question=question, value=2, agent=f"{prefix}-bot")
        if user is not None:
            Response.objects.create(record=record, user=user, values={}, status="submitted")
        if vector_settings is not None:
            Vector.objects.create(record=record, vector_settings=vector_settings, value=[0.5, 1.0])
        records.append(record)
    return records


def build_tenant_data(world, make_dataset):
    """Workspace A: dataset "alpha-data"; workspace B: dataset "bravo-secret". Each with a
    record ("rec-a-0" / "rec-b-0") carrying a suggestion, a vector and a submitted response
    (by ann1 in A, by outsider in B)."""
    world.ds_a = make_dataset(world.ws_a, name="alpha-data")
    world.ds_b = make_dataset(world.ws_b, name="bravo-secret")
    for dataset, prefix, user in (
        (world.ds_a, "rec-a", world.ann1),
        (world.ds_b, "rec-b", world.outsider),
    ):
        vectors = VectorSettings.objects.create(
            dataset=dataset, name=f"{prefix}-emb", title="Embedding", dimensions=2
        )
        add_records(dataset, 1, prefix=prefix, user=user, vector_settings=vectors)
    world.rec_a = Record.objects.get(external_id="rec-a-0")
    world.rec_b = Record.objects.get(external_id="rec-b-0")
    return world


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def messages_of(page) -> list[str]:
    return [str(message) for message in get_messages(page.wsgi_request)]


def form_data(page) -> dict:
    """What the browser would post back unchanged: the main form and every inline formset."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif hasattr(field.widget, "post_data"):  # an input made of several (options)
                data.update(field.widget.post_data(form.add_prefix(name), value))
            elif value is not None:
                data[form.add_prefix(name)] = value
    return data


def inline_formset(page, prefix: str):
    return next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == prefix)


def user_change_data(user, **changes) -> dict:
    body = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": user.role,
        "is_active": "on",
        **inline_management("memberships", 0),
        **inline_management("api_keys", 0),
    }
    body.update(changes)
    return body


def user_add_data(workspace, *, memberships=1, role=Role.ANNOTATOR) -> dict:
    body = {
        "username": "newbie",
        "role": role,
        "password1": "a-Long-pass-4321",
        "password2": "a-Long-pass-4321",
        **inline_management("memberships", memberships),
        **inline_management("api_keys", 0),
    }
    if memberships:
        body["memberships-0-workspace"] = workspace.pk
    return body


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial}
