"""Assignment rules and progress on the dataset admin pages."""

from django.urls import reverse

from apps.annotation.models import Assignment, AssignmentRules
from apps.annotation.services import update_rules
from tests.admin_helpers import change_url, form_data, messages_of
from tests.annotation.conftest import answer

RULES = "assignment_rules"


def _post(client, dataset, **changes):
    page = client.get(change_url(dataset))
    data = form_data(page)
    for name, value in changes.items():
        data[name if name.startswith(RULES) or "-" in name else name] = value
    return client.post(change_url(dataset), data)


def _errors(page) -> str:
    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == RULES)
    form_errors = [str(e) for form in inline.formset.forms for e in form.errors.values()]
    return " ".join(form_errors + [str(e) for e in inline.formset.non_form_errors()])


def test_the_change_page_shows_the_rules_and_each_annotators_progress(client, world, queue_dataset):
    dataset = queue_dataset(3)
    answer(world.ann1, dataset.records.first())
    client.force_login(world.admin)
    page = client.get(change_url(dataset))
    assert page.status_code == 200
    assert any(i.formset.prefix == RULES for i in page.context["inline_admin_formsets"])
    html = page.content.decode()
    assert "<td>ann1</td><td>yes</td><td>1</td><td>0</td><td>0</td><td>2</td>" in html
    assert "<td>ann2</td><td>yes</td><td>0</td><td>0</td><td>0</td><td>2</td>" in html


def test_the_list_shows_records_progress(client, world, queue_dataset):
    dataset = queue_dataset(3)
    answer(world.ann1, dataset.records.first())
    client.force_login(world.admin)
    page = client.get(reverse("admin:datasets_dataset_changelist"))
    assert "1 / 3 (2 pending)" in page.content.decode()


def test_choosing_assigned_mode_spreads_the_records(client, world, queue_dataset):
    dataset = queue_dataset(4)
    client.force_login(world.admin)
    page = _post(client, dataset, **{f"{RULES}-0-mode": "assigned"})
    assert page.status_code == 302, _errors(page)
    assert AssignmentRules.objects.get(dataset=dataset).mode == "assigned"
    assert Assignment.objects.filter(dataset=dataset).count() == 4


def test_a_pool_smaller_than_min_submitted_is_a_form_error(client, world, queue_dataset):
    dataset = queue_dataset(1, min_submitted=2)
    client.force_login(world.admin)
    page = _post(
        client,
        dataset,
        **{f"{RULES}-0-pool_kind": "named", f"{RULES}-0-annotators": [str(world.ann1.pk)]},
    )
    assert page.status_code == 200
    assert "The pool has 1 annotator but min_submitted is 2" in _errors(page)
    assert AssignmentRules.objects.get(dataset=dataset).pool_kind == "workspace"


def test_raising_min_submitted_above_the_named_pool_is_a_form_error(client, world, queue_dataset):
    dataset = queue_dataset(1)
    update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann1, world.ann2])
    client.force_login(world.admin)
    page = _post(client, dataset, min_submitted=3)
    assert page.status_code == 200
    assert "min_submitted is 3" in _errors(page)
    dataset.refresh_from_db()
    assert dataset.min_submitted == 1


def test_raising_min_submitted_in_assigned_mode_rebalances(client, world, queue_dataset):
    dataset = queue_dataset(3)
    update_rules(dataset=dataset, mode="assigned")
    client.force_login(world.admin)
    page = _post(client, dataset, min_submitted=2)
    assert page.status_code == 302, _errors(page)
    assert Assignment.objects.filter(dataset=dataset).count() == 6


def test_the_rebalance_action(client, world, make_user, queue_dataset):
    dataset = queue_dataset(4)
    update_rules(dataset=dataset, mode="assigned")
    make_user("ann3", workspaces=[world.ws_a])
    client.force_login(world.admin)
    page = client.post(
        reverse("admin:datasets_dataset_changelist"),
        {"action": "rebalance_assignments", "_selected_action": [dataset.pk]},
    )
    assert page.status_code == 302
    [message] = messages_of(page)
    assert message.endswith(": 1 assignment added, 1 removed.")
    users = set(Assignment.objects.filter(dataset=dataset).values_list("user__username", flat=True))
    assert users == {"ann1", "ann2", "ann3"}


def test_another_workspaces_admin_cannot_open_the_page(client, world, queue_dataset):
    dataset = queue_dataset(1)
    client.force_login(world.admin_b)
    assert client.get(change_url(dataset)).status_code == 302  # "doesn't exist" redirect
