"""The annotator's pages, the dashboard and the admin speak Chinese to a Chinese user."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services as accounts
from apps.records.services import create_records
from tests.i18n.english import english_words, visible_text
from tests.worlds import ALL_TYPES_FIELDS, ALL_TYPES_QUESTIONS


@pytest.fixture
def chinese_world(world, make_dataset):
    dataset = make_dataset(
        world.ws_a, name="demo", fields=ALL_TYPES_FIELDS, questions=ALL_TYPES_QUESTIONS
    )
    create_records(
        dataset=dataset,
        items=[{"external_id": "r1", "fields": {"text": "Hello world", "chat": None}}],
    )
    for user in (world.ann1, world.admin):
        accounts.set_language(user=user, language="zh-hans")
    return dataset


def data_of(dataset, *users):
    """What the page shows from the data itself, which stays as the user wrote it."""
    values = [dataset.name, dataset.workspace.name, "Hello world", "r1"]
    values += [u.username for u in users]
    for q in dataset.questions.all():
        values += [q.name, q.title]
        values += [str(o.get("text", "")) for o in q.settings.get("options", [])]
        values += [str(o.get("value", "")) for o in q.settings.get("options", [])]
    for f in dataset.fields.all():
        values += [f.name, f.title]
    return values


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "page",
    ["annotation:home", "annotation:profile", "annotation:annotate", "annotation:records"],
)
def test_annotator_pages_have_no_english_left(chinese_world, world, page):
    args = [chinese_world.pk] if page.endswith(("annotate", "records")) else []
    response = client_for(world.ann1).get(reverse(page, args=args))
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    text = visible_text(response.content.decode())
    assert english_words(text, data_of(chinese_world, world.ann1)) == []


def test_the_dashboard_has_no_english_left(chinese_world, world):
    response = client_for(world.admin).get(reverse("exports:dashboard", args=[chinese_world.pk]))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert english_words(text, data_of(chinese_world, world.admin)) == []


def test_the_admin_shows_loam_labels_in_chinese(chinese_world, world):
    # Django's own admin strings come from Django's catalogue; Loam's labels from ours.
    page = client_for(world.admin).get(reverse("admin:datasets_dataset_changelist"))
    html = page.content.decode()
    assert "Loam 管理后台" in html and "发布所选数据集" in html and "已完成记录" in html


def test_the_language_is_remembered_per_user(world):
    client = client_for(world.ann2)
    response = client.post(
        reverse("annotation:set_language"), {"language": "zh-hans", "next": "/profile"}
    )
    assert response.status_code == 302 and response["Location"] == "/profile"
    world.ann2.refresh_from_db()
    assert world.ann2.language == "zh-hans"
    # A new session (another browser, no cookie) still gets Chinese.
    page = client_for(world.ann2).get(reverse("annotation:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "你的数据集" in page.content.decode()
    # Back to the browser's choice.
    client.post(reverse("annotation:set_language"), {"language": ""})
    page = client_for(world.ann2).get(reverse("annotation:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Your datasets" in page.content.decode()


def test_an_unknown_language_is_a_400_naming_the_field(world):
    response = client_for(world.ann1).post(reverse("annotation:set_language"), {"language": "xx"})
    assert response.status_code == 400
    assert response.content.decode().startswith("language: 'xx' is not a language of Loam")


def test_the_login_page_follows_the_switch_before_login(db):
    client = Client()
    client.post(reverse("annotation:set_language"), {"language": "zh-hans"})
    page = client.get(reverse("account_login"))
    assert "登录 Loam" in page.content.decode()


def test_a_foreign_next_url_is_not_followed(world):
    response = client_for(world.ann1).post(
        reverse("annotation:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("annotation:home")


def test_dates_are_localised(world):
    from apps.accounts.models import ApiKey

    ApiKey.issue(user=world.ann1)
    accounts.set_language(user=world.ann1, language="zh-hans")
    page = client_for(world.ann1).get(reverse("annotation:profile")).content.decode()
    assert "年" in page  # SHORT_DATETIME_FORMAT in Chinese: 2026年12月2日 …


def test_a_chinese_request_leaves_the_thread_as_it_found_it(chinese_world, world):
    from django.utils import translation

    before = translation.get_language()
    client_for(world.ann1).get(reverse("annotation:home"))
    assert translation.get_language() == before
