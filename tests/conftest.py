"""The named test world: two tenants.

Workspace A: owner `olivia`, admin `adam`, annotators `ann1` and `ann2`.
Workspace B: admin `bob` and annotator `outsider`.
Factories are fixtures returning callables that make unique names by construction; so are the
clients: `api(user)` for the API, `login(user)` for the web app. See tests/README.md.
"""

import itertools
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import ApiKey, Role, User
from apps.datasets import services as dataset_services
from apps.records.services import create_records
from apps.workspaces.models import Workspace, WorkspaceMember
from tests.worlds import ALL_TYPES_FIELDS, ALL_TYPES_QUESTIONS

_counter = itertools.count(1)


def pytest_configure(config):
    """Compile stale translation catalogues, as `make install` does, before Django loads them."""
    for po in Path(__file__).resolve().parents[1].glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as source:
                catalogue = read_po(source, locale=po.parts[-3])
            with open(mo, "wb") as target:
                write_mo(target, catalogue)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    def make(username=None, *, role=Role.ANNOTATOR, workspaces=(), password="pw-loam-123"):
        user = User(username=username or unique("user"), role=role)
        user.set_password(password)
        user.save()
        for workspace in workspaces:
            WorkspaceMember.objects.create(workspace=workspace, user=user)
        return user

    return make


@pytest.fixture
def make_workspace(db):
    def make(name=None):
        return Workspace.objects.create(name=name or unique("ws"))

    return make


@pytest.fixture
def api_key_for(db):
    def make(user):
        return ApiKey.issue(user=user)[1]

    return make


@pytest.fixture
def world(make_user, make_workspace):
    class World:
        pass

    w = World()
    w.ws_a = make_workspace("workspace-a")
    w.ws_b = make_workspace("workspace-b")
    w.owner = make_user("olivia", role=Role.OWNER)
    w.admin = make_user("adam", role=Role.ADMIN, workspaces=[w.ws_a])
    w.ann1 = make_user("ann1", workspaces=[w.ws_a])
    w.ann2 = make_user("ann2", workspaces=[w.ws_a])
    w.admin_b = make_user("bob", role=Role.ADMIN, workspaces=[w.ws_b])
    w.outsider = make_user("outsider", workspaces=[w.ws_b])
    return w


PREFERENCE_FIELDS = [
    {"name": "prompt", "settings": {"type": "text", "use_markdown": False}},
    {"name": "response-1", "settings": {"type": "text", "use_markdown": True}},
    {"name": "response-2", "settings": {"type": "text", "use_markdown": True}},
]
PREFERENCE_QUESTIONS = [
    {
        "name": "response_ranking",
        "required": True,
        "settings": {"type": "rating", "options": [{"value": 1}, {"value": 2}, {"value": 3}]},
    },
    {
        "name": "correct_response",
        "required": False,
        "settings": {"type": "text", "use_markdown": True},
    },
]


@pytest.fixture
def make_dataset(db):
    """A dataset in `workspace`, published unless publish=False (the seed's preference task)."""

    def make(
        workspace,
        *,
        name=None,
        fields=PREFERENCE_FIELDS,
        questions=PREFERENCE_QUESTIONS,
        publish=True,
        **attrs,
    ):
        dataset = dataset_services.create_dataset(
            workspace=workspace, name=name or unique("dataset"), **attrs
        )
        for field in fields:
            dataset_services.add_field(dataset=dataset, **field)
        for question in questions:
            dataset_services.add_question(dataset=dataset, **question)
        if publish:
            dataset_services.publish_dataset(dataset=dataset)
        return dataset

    return make


@pytest.fixture
def every_type_dataset(world, make_dataset):
    return make_dataset(world.ws_a, fields=ALL_TYPES_FIELDS, questions=ALL_TYPES_QUESTIONS)


@pytest.fixture
def demo(world, make_dataset):
    """The seed's preference dataset in workspace A with 3 records."""
    dataset = make_dataset(world.ws_a, guidelines="Read **carefully**.")
    records = create_records(
        dataset=dataset,
        items=[
            {
                "external_id": f"r{i}",
                "fields": {"prompt": f"Prompt {i}", "response-1": "One", "response-2": "Two"},
            }
            for i in range(3)
        ],
    )
    return dataset, records


@pytest.fixture
def api(world, api_key_for):
    """api(user) → an APIClient that sends that user's X-Argilla-Api-Key; api(None) sends none."""

    def client_for(user, key=None):
        client = APIClient()
        if user is not None or key is not None:
            client.credentials(HTTP_X_ARGILLA_API_KEY=key or api_key_for(user))
        return client

    return client_for


@pytest.fixture
def login():
    """login(user) → a web client logged in as that user (csrf=True enforces CSRF checks)."""

    def client_for(user, *, csrf=False):
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(user)
        return client

    return client_for


def database_has_pgvector() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
        return cursor.fetchone() is not None


@pytest.fixture
def needs_pgvector(db):
    """Skip on a server without pgvector (the machine's PostgreSQL 15): vector settings
    cannot be created there (tests/records/test_pgvector.py shows the error instead)."""
    if not database_has_pgvector():
        pytest.skip("this PostgreSQL server has no pgvector (the embedded server has it)")


def vector_settings(dataset, name: str, dimensions: int):
    """A vector setting made through the ORM, on any server. The service refuses one without
    pgvector (a 422), but vectors are stored and validated there all the same: tests of
    storage and validation run on PostgreSQL 15 too; similarity tests use `needs_pgvector`."""
    from apps.datasets.models import VectorSettings

    return VectorSettings.objects.create(
        dataset=dataset, name=name, title=name, dimensions=dimensions, position=99
    )
