"""The seeded world the API fuzzer runs in: real ids for every path parameter.

Workspace A of the named test world gets a published dataset of every field and question type
(with metadata properties of every type and a vector setting), records with suggestions,
vectors and responses, a draft dataset whose settings can still be deleted, and an export job.
Destructive operations get objects of their own ("victims"), so that a DELETE that succeeds
does not turn every later call into a 404.
"""

from dataclasses import dataclass, field

from apps.accounts.models import Role
from apps.datasets import services as dataset_services
from apps.exports import services as export_services
from apps.exports.models import ExportJob
from apps.records.models import Suggestion
from apps.records.services import create_records
from apps.responses import services as response_services
from tests.conftest import database_has_pgvector, vector_settings
from tests.worlds import ALL_TYPES_FIELDS, ALL_TYPES_QUESTIONS

# The shared every-type settings, plus a custom field.
FIELDS = [
    *ALL_TYPES_FIELDS,
    {
        "name": "card",
        "required": False,
        "settings": {"type": "custom", "template": "<p>{{record.fields.card.title}}</p>"},
    },
]
METADATA = [
    {"name": "split", "settings": {"type": "terms", "values": ["train", "test"]}},
    {"name": "length", "settings": {"type": "integer", "min": 0, "max": 1000}},
    {"name": "score", "settings": {"type": "float", "min": 0.0, "max": 1.0}},
]
ANSWER = {
    "rating": {"value": 2},
    "label": {"value": "good"},
    "topics": {"value": ["a", "c"]},
    "order": {"value": [{"value": "y", "rank": 1}, {"value": "x", "rank": 2}]},
    "ents": {"value": [{"label": "PER", "start": 0, "end": 5}]},
    "note": {"value": "Fine."},
}


def _record(i: int) -> dict:
    return {
        "external_id": f"fuzz-{i}",
        "fields": {
            "text": f"Alice wrote record number {i}.",
            "chat": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hey"}],
            "picture": "https://example.org/cat.png",
            "card": {"title": f"Card {i}"},
        },
        "metadata": {"split": "train", "length": 10 * i, "score": 0.5},
        "vectors": {"embedding": [1.0, float(i), 0.5]},
        "suggestions": [
            {"question_name": "rating", "value": 1, "score": 0.4, "agent": "model-1"},
            {"question_name": "label", "value": "bad", "score": 0.9, "agent": "model-1"},
        ],
    }


def _every_type_dataset(workspace, name: str, *, publish: bool):
    dataset = dataset_services.create_dataset(workspace=workspace, name=name, guidelines="Be fair.")
    for spec in FIELDS:
        dataset_services.add_field(dataset=dataset, **spec)
    for spec in ALL_TYPES_QUESTIONS:
        dataset_services.add_question(dataset=dataset, **spec)
    for spec in METADATA:
        dataset_services.add_metadata_property(dataset=dataset, **spec)
    if database_has_pgvector():
        dataset_services.add_vector_settings(dataset=dataset, name="embedding", dimensions=3)
    else:  # the service refuses without pgvector: stored vectors still work (PostgreSQL 15)
        vector_settings(dataset, "embedding", 3)
    if publish:
        dataset_services.publish_dataset(dataset=dataset)
    return dataset


@dataclass
class FuzzWorld:
    """Ids by path parameter; `victims` by operation ("DELETE /api/v1/records/{record_id}")."""

    ids: dict[str, str]
    victims: dict[str, dict[str, str]] = field(default_factory=dict)


def seed(world, make_user, caller) -> FuzzWorld:
    """Seed workspace A of `world` for `caller` (whose own responses the ids point at)."""
    ws = world.ws_a
    dataset = _every_type_dataset(ws, "fuzz-every-type", publish=True)
    draft = _every_type_dataset(ws, "fuzz-draft", publish=False)
    to_publish = _every_type_dataset(ws, "fuzz-to-publish", publish=False)
    spare = _every_type_dataset(ws, "fuzz-spare", publish=True)
    records = create_records(dataset=dataset, items=[_record(i) for i in range(6)])
    record, victim_record = records[0], records[-1]
    # The caller's own response where they may answer; another annotator's elsewhere.
    author = caller if caller.role == Role.ANNOTATOR else world.ann1
    response = response_services.save_response(
        user=author, record=records[1], values=ANSWER, status="submitted"
    )
    victim_response = response_services.save_response(
        user=author, record=records[2], values=ANSWER, status="draft"
    )
    response_services.save_response(
        user=world.ann2, record=records[1], values=ANSWER, status="submitted"
    )
    suggestion, victim_suggestion = Suggestion.objects.filter(record=record).order_by("pk")[:2]
    # A finished export, so that its file can be downloaded (LOAM_EXPORT_DIR: the caller's).
    export = export_services.run_export(
        ExportJob.objects.create(
            dataset=dataset, requested_by=world.owner, format="jsonl", task="records"
        )
    )
    victim_ws = ws.__class__.objects.create(name="fuzz-victim-workspace")
    users = {
        n: make_user(f"fuzz-{n}", workspaces=[ws])
        for n in ("member", "legacy-member", "v1", "legacy")
    }

    def setting(kind, name, of=dataset):
        return str(getattr(of, kind).get(name=name).pk)

    world_ids = {
        "workspace_id": str(ws.pk),
        "dataset_id": str(dataset.pk),
        "record_id": str(record.pk),
        "response_id": str(response.pk),
        "suggestion_id": str(suggestion.pk),
        "user_id": str(caller.pk),
        "export_id": str(export.pk),
    }
    v1 = "/api/v1"
    victims = {
        f"DELETE {v1}/datasets/{{dataset_id}}": {"dataset_id": str(spare.pk)},
        # Settings can be added to a draft only, and a draft published once.
        f"POST {v1}/datasets/{{dataset_id}}/fields": {"dataset_id": str(draft.pk)},
        f"POST {v1}/datasets/{{dataset_id}}/questions": {"dataset_id": str(draft.pk)},
        f"PUT {v1}/datasets/{{dataset_id}}/publish": {"dataset_id": str(to_publish.pk)},
        f"DELETE {v1}/workspaces/{{workspace_id}}": {"workspace_id": str(victim_ws.pk)},
        f"DELETE {v1}/records/{{record_id}}": {"record_id": str(victim_record.pk)},
        f"DELETE {v1}/responses/{{response_id}}": {"response_id": str(victim_response.pk)},
        f"DELETE {v1}/suggestions/{{suggestion_id}}": {"suggestion_id": str(victim_suggestion.pk)},
        f"PATCH {v1}/users/{{user_id}}": {"user_id": str(users["v1"].pk)},
        f"DELETE {v1}/users/{{user_id}}": {"user_id": str(users["v1"].pk)},
        "DELETE /api/users/{user_id}": {"user_id": str(users["legacy"].pk)},
        f"PATCH {v1}/fields/{{setting_id}}": {"setting_id": setting("fields", "text")},
        f"DELETE {v1}/fields/{{setting_id}}": {"setting_id": setting("fields", "card", draft)},
        f"PATCH {v1}/questions/{{setting_id}}": {"setting_id": setting("questions", "rating")},
        f"DELETE {v1}/questions/{{setting_id}}": {
            "setting_id": setting("questions", "note", draft)
        },
        f"PATCH {v1}/metadata-properties/{{setting_id}}": {
            "setting_id": setting("metadata_properties", "split")
        },
        f"DELETE {v1}/metadata-properties/{{setting_id}}": {
            "setting_id": setting("metadata_properties", "score", draft)
        },
        f"PATCH {v1}/vectors-settings/{{setting_id}}": {
            "setting_id": setting("vectors_settings", "embedding")
        },
        f"DELETE {v1}/vectors-settings/{{setting_id}}": {
            "setting_id": setting("vectors_settings", "embedding", draft)
        },
    }
    # Member operations name a user who is not the caller, one per path: the v1 DELETE must
    # not leave the legacy one only a non-member to remove.
    for path, member in (
        (f"{v1}/workspaces/{{workspace_id}}/users/{{user_id}}", users["member"]),
        ("/api/workspaces/{workspace_id}/users/{user_id}", users["legacy-member"]),
    ):
        for method in ("POST", "DELETE"):
            victims[f"{method} {path}"] = {"user_id": str(member.pk)}
    return FuzzWorld(ids=world_ids, victims=victims)
