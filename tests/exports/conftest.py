"""Exports fixtures: the immediate task backend, a scratch export folder, answer helpers."""

import pytest

from apps.records import services as record_services
from apps.responses import services as response_services


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LOAM_EXPORT_DIR = str(tmp_path / "exports")


@pytest.fixture
def add_records(db):
    """add_records(dataset, [{"fields": {...}, "suggestions": [...]}, ...]) → records."""

    def add(dataset, items):
        return record_services.create_records(dataset=dataset, items=items)

    return add


@pytest.fixture
def answer(db):
    """answer(user, record, {question: value, ...}, status="submitted") → the response."""

    def respond(user, record, values, status="submitted"):
        return response_services.save_response(
            user=user,
            record=record,
            values={name: {"value": value} for name, value in values.items()},
            status=status,
        )

    return respond


@pytest.fixture
def preference(world, make_dataset, add_records):
    """The seed's comparison dataset with three records."""
    dataset = make_dataset(world.ws_a, name="preference")
    records = add_records(
        dataset,
        [
            {
                "fields": {
                    "prompt": f"prompt {i}",
                    "response-1": f"first {i}",
                    "response-2": f"second {i}",
                }
            }
            for i in range(3)
        ],
    )
    return dataset, records
