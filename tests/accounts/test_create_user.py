import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import ApiKey, Role, User, hash_api_key
from apps.accounts.services import create_user
from apps.core.errors import Conflict
from apps.workspaces.models import Workspace
from tests.accounts.racing import username_taken_alongside


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_owner_with_given_key():
    output = run("alice", "--role", "owner", "--api-key", "K")
    alice = User.objects.get(username="alice")
    assert alice.role == Role.OWNER and alice.is_superuser and alice.is_staff
    assert ApiKey.find_user("K") == alice
    assert "api key" not in output  # a key the caller chose is not echoed back
    # never stored in clear
    assert not ApiKey.objects.filter(hashed_key="K").exists()
    assert ApiKey.objects.get(user=alice).hashed_key == hash_api_key("K")


@pytest.mark.django_db
def test_generated_key_and_password_are_printed_and_work():
    output = run("bea", "--role", "annotator", "--workspace", "team-1", "team-2")
    bea = User.objects.get(username="bea")
    key = next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("api key"))
    password = next(
        line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("password")
    )
    assert ApiKey.find_user(key) == bea
    assert bea.check_password(password)
    assert not bea.is_staff
    assert sorted(bea.workspaces.values_list("name", flat=True)) == ["team-1", "team-2"]
    assert "Created workspace team-1" in output


@pytest.mark.django_db
def test_admin_joins_existing_workspace_without_creating_it():
    Workspace.objects.create(name="ops")
    output = run("carl", "--role", "admin", "--password", "a-long-password", "--workspace", "ops")
    carl = User.objects.get(username="carl")
    assert carl.is_staff and not carl.is_superuser
    assert carl.check_password("a-long-password")
    assert "Created workspace" not in output
    assert Workspace.objects.filter(name="ops").count() == 1


@pytest.mark.django_db
def test_existing_user_is_a_clear_error():
    run("dora")
    with pytest.raises(CommandError, match="already exists"):
        run("dora", "--role", "owner")
    assert User.objects.get(username="dora").role == Role.ANNOTATOR


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["bad!name"], "not a valid username"),
        (["eve", "--password", "short"], "8 to 100"),
        (["eve", "--workspace", "bad name"], "not a valid workspace"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not User.objects.filter(username="eve").exists()


@pytest.mark.django_db
def test_reused_api_key_is_rejected():
    run("fred", "--api-key", "same-key")
    with pytest.raises(CommandError, match="already in use"):
        run("gina", "--api-key", "same-key")
    assert not User.objects.filter(username="gina").exists()


def test_unknown_role_is_rejected():
    with pytest.raises(CommandError):
        run("hank", "--role", "superhero")


@pytest.mark.django_db(transaction=True)
def test_a_username_taken_alongside_is_a_conflict_not_a_server_error():
    with username_taken_alongside("dana"), pytest.raises(Conflict) as raised:
        create_user(username="dana")
    assert raised.value.problems[0].loc == ("username",)
    assert User.objects.filter(username="dana").count() == 1
