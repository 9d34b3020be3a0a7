"""`manage.py export_dataset <dataset id | workspace/name> -o out.jsonl [--task dpo] [-O k=v]`"""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ValidationFailed
from apps.datasets.models import Dataset
from apps.exports import services
from apps.exports.training import TASKS
from apps.exports.writers import FORMATS


def find_dataset(ref: str) -> Dataset:
    """A dataset by id or by `workspace/name` (the operator's command sees every tenant)."""
    datasets = Dataset.objects.select_related("workspace")
    try:
        found = datasets.filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        workspace, _, name = ref.partition("/")
        found = datasets.filter(workspace__name=workspace, name=name).first()
    if found is None:
        raise CommandError(f"No dataset {ref!r} (give its id or workspace/name).")
    return found


class Command(BaseCommand):
    help = "Export a dataset's records or a training task (SFT, RM, DPO, text classification)."

    def add_arguments(self, parser):
        parser.add_argument("dataset", help="dataset id, or workspace/name")
        parser.add_argument("-o", "--output", required=True, help="file (a folder for hf)")
        parser.add_argument("-f", "--format", choices=FORMATS, help="default: from the suffix")
        parser.add_argument("-t", "--task", choices=TASKS, default="records")
        parser.add_argument(
            "-O",
            "--option",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a task option, e.g. -O question=response_ranking (repeatable)",
        )

    def handle(self, *args, dataset, output, format, task, option, **kwargs):
        output = Path(output)
        fmt = format or {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}.get(
            output.suffix, "hf"
        )
        options = {}
        for item in option:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--option {item!r}: expected KEY=VALUE.")
            options[key.strip()] = value.strip()
        found = find_dataset(dataset)
        try:
            export = services.prepare_export(dataset=found, format=fmt, task=task, options=options)
        except ValidationFailed as error:
            raise CommandError(str(error)) from None
        counts = {"records": 0, "rows": 0}

        def progress(records: int, rows: int) -> None:
            counts["records"] += records
            counts["rows"] += rows

        written = services.write_export(export, output, progress)
        services.announce_download(dataset=found, format=fmt, task=task)
        self.stdout.write(
            f"Wrote {counts['rows']} rows from {counts['records']} records to {written} ({fmt})."
        )
