"""The demo world `seed_demo` builds: the seed's comparison task, ready to annotate.

Idempotent: running it again leaves existing users, passwords and records alone.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from apps.accounts.models import ApiKey, Role, User, hash_api_key
from apps.datasets import services as dataset_services
from apps.datasets.models import Dataset
from apps.records.models import Record
from apps.records.services import create_records
from apps.workspaces.models import Workspace, WorkspaceMember

DEMO_DATA = Path(__file__).with_name("demo_data.jsonl")
WORKSPACE = "demo"
DATASET = "preference-demo"
GUIDELINES = """\
## Which response is better?

Read the **prompt**, then both responses.

* **1**: the first response is better
* **2**: the second response is better
* **3**: both are equally good (or equally bad)

If neither response is helpful and correct, write a better one in *correct_response*.
"""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str
    api_key: str


# Development-only credentials, printed by `make run`; never use seed_demo in production.
LOGINS = (
    DemoLogin("owner", Role.OWNER, "loam-owner-demo", "loam-demo-owner-key"),
    DemoLogin("annotator", Role.ANNOTATOR, "loam-annotator-demo", "loam-demo-annotator-key"),
)


def _ensure_user(login: DemoLogin, workspace: Workspace) -> User:
    user = User.objects.filter(username=login.username).first()
    if user is None:
        user = User(username=login.username, role=login.role)
        user.set_password(login.password)
        user.save()
    if not ApiKey.objects.filter(hashed_key=hash_api_key(login.api_key)).exists():
        ApiKey.issue(user=user, key=login.api_key, name="demo")
    WorkspaceMember.objects.get_or_create(workspace=workspace, user=user)
    return user


def _ensure_dataset(workspace: Workspace) -> Dataset:
    dataset = Dataset.objects.filter(workspace=workspace, name=DATASET).first()
    if dataset is not None:
        return dataset
    dataset = dataset_services.create_dataset(
        workspace=workspace, name=DATASET, guidelines=GUIDELINES, min_submitted=1
    )
    for name, title in (
        ("prompt", "Prompt"),
        ("response-1", "Response 1"),
        ("response-2", "Response 2"),
    ):
        dataset_services.add_field(
            dataset=dataset,
            name=name,
            title=title,
            required=True,
            settings={"type": "text", "use_markdown": name != "prompt"},
        )
    dataset_services.add_question(
        dataset=dataset,
        name="response_ranking",
        title="Which response is better?",
        description="1: the first is better, 2: the second is better, 3: both are equal.",
        required=True,
        settings={"type": "rating", "options": [{"value": 1}, {"value": 2}, {"value": 3}]},
    )
    dataset_services.add_question(
        dataset=dataset,
        name="correct_response",
        title="If neither response is helpful and correct, write one",
        required=False,
        settings={"type": "text", "use_markdown": True},
    )
    dataset_services.add_metadata_property(
        dataset=dataset,
        name="category",
        title="Category",
        settings={"type": "terms", "values": None},
    )
    return dataset_services.publish_dataset(dataset=dataset)


def _ensure_records(dataset: Dataset) -> int:
    rows = [json.loads(line) for line in DEMO_DATA.read_text().splitlines() if line.strip()]
    existing = set(Record.objects.filter(dataset=dataset).values_list("external_id", flat=True))
    items = [
        {
            "external_id": f"demo-{index:03d}",
            "fields": {k: row[k] for k in ("prompt", "response-1", "response-2")},
            "metadata": {"category": row["category"]},
        }
        for index, row in enumerate(rows, start=1)
        if f"demo-{index:03d}" not in existing
    ]
    if items:
        create_records(dataset=dataset, items=items)
    return len(items)


@transaction.atomic
def seed_demo() -> tuple[Dataset, int]:
    """Build (or complete) the demo world; return the dataset and how many records were added."""
    workspace, _created = Workspace.objects.get_or_create(name=WORKSPACE)
    for login in LOGINS:
        _ensure_user(login, workspace)
    dataset = _ensure_dataset(workspace)
    return dataset, _ensure_records(dataset)
