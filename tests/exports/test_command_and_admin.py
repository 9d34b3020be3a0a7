"""The `export_dataset` command and the admin's "Export" action."""

import datasets
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.exports.models import ExportJob, ExportStatus

CHANGELIST = "admin:datasets_dataset_changelist"


@pytest.fixture
def rated(world, preference, answer):
    dataset, (r0, r1, _r2) = preference
    answer(world.ann1, r0, {"response_ranking": 2})
    answer(world.ann1, r1, {"response_ranking": 1})
    return dataset


def test_command_writes_a_dpo_file_by_id(rated, tmp_path, capsys):
    out = tmp_path / "dpo.jsonl"
    call_command("export_dataset", str(rated.pk), "-o", str(out), "-t", "dpo")
    rows = datasets.Dataset.from_json(str(out))
    assert rows["chosen"] == ["second 0", "first 1"]
    assert "Wrote 2 rows from 3 records" in capsys.readouterr().out


def test_command_finds_a_dataset_by_workspace_and_name_and_writes_hf(rated, tmp_path):
    folder = tmp_path / "hf"
    call_command(
        "export_dataset",
        f"{rated.workspace.name}/{rated.name}",
        "-o",
        str(folder),
        "-t",
        "rm",
        "-O",
        "correction=none",
        "-O",
        "pairs=all",
    )
    assert datasets.load_from_disk(str(folder)).column_names == [
        "prompt",
        "chosen",
        "rejected",
        "active_seconds",
    ]


def test_command_reports_an_impossible_task(rated, tmp_path):
    with pytest.raises(CommandError, match="label_selection"):
        call_command(
            "export_dataset",
            str(rated.pk),
            "-o",
            str(tmp_path / "x.jsonl"),
            "-t",
            "text_classification",
        )
    with pytest.raises(CommandError, match="No dataset"):
        call_command("export_dataset", "nowhere/nothing", "-o", str(tmp_path / "x.jsonl"))


def test_admin_export_action_asks_for_format_then_streams(client, world, rated):
    client.force_login(world.admin)
    form = client.post(
        reverse(CHANGELIST), {"action": "export_datasets", "_selected_action": [rated.pk]}
    )
    assert form.status_code == 200
    assert b'name="format"' in form.content
    page = client.post(
        reverse(CHANGELIST),
        {
            "action": "export_datasets",
            "_selected_action": [rated.pk],
            "apply": "1",
            "format": "jsonl",
            "task": "dpo",
            "options": "",
        },
    )
    assert page.status_code == 200
    assert b"".join(page.streaming_content).count(b"\n") == 2


def test_admin_export_of_several_datasets_runs_in_the_background(
    client, world, rated, make_dataset, django_capture_on_commit_callbacks
):
    other = make_dataset(world.ws_a)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse(CHANGELIST),
            {
                "action": "export_datasets",
                "_selected_action": [rated.pk, other.pk],
                "apply": "1",
                "format": "parquet",
                "task": "records",
                "options": "",
            },
        )
    assert page.status_code == 302
    jobs = ExportJob.objects.all()
    assert {job.dataset_id for job in jobs} == {rated.pk, other.pk}
    assert {job.status for job in jobs} == {ExportStatus.DONE}
    listing = client.get(reverse("admin:exports_exportjob_changelist"))
    assert listing.status_code == 200 and b"Download" in listing.content


def test_admin_export_reports_an_impossible_task(client, world, rated):
    client.force_login(world.admin)
    page = client.post(
        reverse(CHANGELIST),
        {
            "action": "export_datasets",
            "_selected_action": [rated.pk],
            "apply": "1",
            "format": "jsonl",
            "task": "text_classification",
            "options": "",
        },
        follow=True,
    )
    assert b"label_selection" in page.content
    assert not ExportJob.objects.exists()


def test_other_tenant_admin_cannot_see_export_jobs(client, world, rated):
    job = ExportJob.objects.create(dataset=rated, format="jsonl", task="records")
    client.force_login(world.admin_b)
    listing = client.get(reverse("admin:exports_exportjob_changelist"))
    assert str(job.pk) not in listing.content.decode()
