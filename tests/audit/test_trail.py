"""Entries are written after the commit only, never changed, and pruned by age."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.accounts import signals as accounts_signals
from apps.accounts.models import User
from apps.audit import trail as audit_trail
from apps.audit.context import acting
from apps.audit.models import AppendOnly, AuditEntry, Face
from apps.datasets import services as datasets
from apps.records import services as records
from apps.workspaces import services as workspaces
from tests.audit.conftest import trail


def test_rolled_back_work_leaves_no_entry(transactional_db, world):
    with pytest.raises(RuntimeError), transaction.atomic():
        datasets.create_dataset(workspace=world.ws_a, name="rolled-back")
        raise RuntimeError("the request failed after the write")
    assert trail() == []
    datasets.create_dataset(workspace=world.ws_a, name="kept")
    assert trail("dataset_name") == [("command", "dataset.created", "", "kept")]


def test_the_entry_waits_for_the_commit(world, committed):
    with committed():
        workspaces.add_member(workspace=world.ws_b, user=world.ann1)
        assert not AuditEntry.objects.exists()  # not yet: the transaction is open
    assert trail("target_label") == [("command", "membership.added", "", "ann1")]


def test_a_command_may_say_for_whom_it_acts(world, committed):
    with committed(), acting(user=world.owner, face=Face.COMMAND):
        datasets.create_dataset(workspace=world.ws_a, name="for-olivia")
    assert trail("actor_id") == [("command", "dataset.created", "olivia", world.owner.pk)]


def test_records_deleted_one_by_one_or_in_bulk(world, demo, committed):
    dataset, created = demo
    with committed():
        records.delete_record(record=created[0])
        records.delete_records(dataset=dataset, ids=[r.pk for r in created[1:]])
        records.delete_records(dataset=dataset, ids=[created[0].pk])  # gone already: nothing
    assert trail("dataset_name", "target_label") == [
        ("command", "records.deleted", "", dataset.name, "1"),
        ("command", "records.deleted", "", dataset.name, "2"),
    ]


def test_a_setting_moved_and_a_dataset_saved_unchanged(world, make_dataset, committed):
    dataset = make_dataset(world.ws_a, publish=False)
    field = dataset.fields.order_by("position").first()
    with committed():
        datasets.move_setting(setting=field, position=5)
        datasets.update_dataset(dataset=dataset, name=dataset.name)  # no change: no entry
    assert trail("details") == [
        (
            "command",
            "dataset.setting_updated",
            "",
            {"type": "text", "changes": {"position": [0, 5]}},
        )
    ]


@pytest.mark.parametrize(
    ("signal", "action"),
    [
        (accounts_signals.user_deactivated, "user.deactivated"),
        (accounts_signals.user_reactivated, "user.reactivated"),
        (accounts_signals.user_deleting, "user.deleted"),
    ],
)
def test_what_the_people_services_announce_is_recorded(world, committed, signal, action):
    # Deactivation and hard delete are another part of issue 18: they send these signals.
    with committed():
        signal.send(sender=User, user=world.ann2)
    assert trail("target_label") == [("command", action, "", "ann2")]


def test_an_entry_is_never_changed_nor_deleted(world, committed):
    with committed():
        workspaces.add_member(workspace=world.ws_b, user=world.ann1)
    entry = AuditEntry.objects.get()
    entry.target_label = "someone else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(target_label="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().target_label == "ann1"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET target_label = 'forged'",
        "UPDATE audit_auditentry SET actor_id = NULL, target_label = 'forged'",
        "DELETE FROM audit_auditentry",
    ],
)
def test_the_database_refuses_changes_too(world, login, committed, sql):
    client = login(world.admin)
    with committed():
        client.post("/profile/api-key")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get().target_label == "adam"


def test_a_deleted_actor_keeps_their_name_on_their_entries(world, login, committed):
    client = login(world.admin)
    with committed():
        client.post("/profile/api-key")
    world.admin.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor_id is None and entry.actor_username == "adam"


def _age_entries(days: int) -> None:
    # Entries written `days` ago: raw SQL, past the database's guard as the prune gets past it.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL loam.audit_prune = 'on'")
        cursor.execute("UPDATE audit_auditentry SET at = at - %s", [timedelta(days=days)])
        cursor.execute("SET LOCAL loam.audit_prune = 'off'")


def _one_entry(world, committed):
    with committed():
        workspaces.add_member(workspace=world.ws_b, user=world.ann1)
        workspaces.remove_member(workspace=world.ws_b, user=world.ann1)


def test_prune_forgets_what_the_retention_no_longer_keeps(world, committed, settings):
    settings.LOAM_AUDIT_RETENTION_DAYS = 30
    _one_entry(world, committed)
    _age_entries(31)
    audit_trail.forget_last_prune()  # a new day (or a new process)
    with committed():
        workspaces.add_member(workspace=world.ws_b, user=world.ann2)
    # The write above was the day's first: it pruned the two old entries.
    assert trail("target_label") == [("command", "membership.added", "", "ann2")]


def test_the_write_prunes_at_most_once_a_day(world, committed, settings):
    settings.LOAM_AUDIT_RETENTION_DAYS = 30
    assert audit_trail.prune_now_and_then() == 0  # first call prunes (nothing yet)
    _one_entry(world, committed)
    _age_entries(31)
    assert audit_trail.prune_now_and_then() == 0  # pruned less than a day ago
    tomorrow = timezone.now() + timedelta(days=1, seconds=1)
    assert audit_trail.prune_now_and_then(tomorrow) == 2


def test_zero_days_keeps_every_entry(world, committed, settings):
    settings.LOAM_AUDIT_RETENTION_DAYS = 0
    _one_entry(world, committed)
    _age_entries(10_000)
    out = StringIO()
    call_command("prune_audit", stdout=out)
    assert "every entry is kept" in out.getvalue()
    assert AuditEntry.objects.count() == 2


def test_the_prune_command(world, committed, settings):
    settings.LOAM_AUDIT_RETENTION_DAYS = 365
    _one_entry(world, committed)
    _age_entries(366)
    with committed():
        workspaces.add_member(workspace=world.ws_b, user=world.ann2)  # recent: kept
    out = StringIO()
    call_command("prune_audit", stdout=out)
    assert "Deleted 2 audit entries older than 365 days." in out.getvalue()
    assert trail("target_label") == [("command", "membership.added", "", "ann2")]
