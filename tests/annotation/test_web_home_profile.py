from django.urls import reverse

from apps.accounts.models import ApiKey
from apps.datasets import services as dataset_services
from apps.records.services import create_records
from apps.responses.services import save_response


def test_home_lists_my_workspaces_datasets_with_progress(
    world, make_dataset, login, django_assert_num_queries
):
    mine = make_dataset(world.ws_a, name="ours")
    make_dataset(world.ws_b, name="theirs")
    draft = dataset_services.create_dataset(workspace=world.ws_a, name="not-yet")
    assert not draft.is_published
    records = create_records(
        dataset=mine,
        items=[{"fields": {"prompt": "p", "response-1": "a", "response-2": "b"}} for _ in range(4)],
    )
    save_response(
        user=world.ann1,
        record=records[0],
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    save_response(
        user=world.ann2,
        record=records[1],
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    client = login(world.ann1)
    client.get("/")
    # session, user, datasets, team progress, my progress.
    with django_assert_num_queries(5):
        page = client.get("/")
    html = page.content.decode()
    assert 'data-dataset="ours"' in html
    assert "theirs" not in html and "not-yet" not in html
    assert "1 submitted" in html  # mine
    assert "2 / 4" in html  # the team's completed records


def test_profile_rotates_the_api_key_and_shows_it_once(world, login):
    _old, old_key = ApiKey.issue(user=world.ann1)
    client = login(world.ann1)
    page = client.post(reverse("annotation:rotate_api_key"), follow=True)
    html = page.content.decode()
    [new_key] = [k for k in html.split("data-new-key>")[1:2]]
    new_key = new_key.split("<")[0]
    assert ApiKey.find_user(new_key) == world.ann1
    assert ApiKey.find_user(old_key) is None
    assert new_key not in client.get(reverse("annotation:profile")).content.decode()


def test_rotating_needs_post_and_csrf(world, login):
    client = login(world.ann1, csrf=True)
    assert client.get(reverse("annotation:rotate_api_key")).status_code == 405
    assert client.post(reverse("annotation:rotate_api_key")).status_code == 403


def test_login_page_and_closed_signup(client, world):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"login": "ann1", "password": "pw-loam-123"})
    assert response.status_code == 302
    signup = client.get("/accounts/signup/")
    assert b'name="password1"' not in signup.content
