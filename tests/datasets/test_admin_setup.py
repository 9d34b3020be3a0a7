"""Setting a dataset up in the admin: the publish checklist, "Save and publish", the links to
the dataset's pages, the guidelines preview, the named-annotators picker, tenancy, and a
change page whose query count does not grow with the dataset's settings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.annotation.models import AssignmentRules
from apps.annotation.services import update_rules
from apps.datasets import services
from apps.datasets.models import DatasetStatus
from tests.admin_helpers import change_url, form_data, inline_formset, messages_of

PREVIEW = "admin:datasets_dataset_guidelines_preview"
RULES = "assignment_rules"


# The checklist and "Save and publish"


def test_an_empty_draft_lists_everything_it_misses(client, world):
    draft = services.create_dataset(workspace=world.ws_a, name="empty")
    client.force_login(world.admin)

    page = client.get(change_url(draft))

    assert page.context["publish_missing"] == [
        "A dataset needs at least one field to be published.",
        "A dataset needs at least one question to be published.",
    ]
    html = page.content.decode()
    assert 'class="publish-checklist is-incomplete"' in html
    assert 'name="_publish"' in html


def test_a_draft_with_only_optional_fields_needs_a_required_one(client, world, make_dataset):
    optional = [{"name": "text", "required": False, "settings": {"type": "text"}}]
    draft = make_dataset(world.ws_a, fields=optional, publish=False)
    client.force_login(world.admin)

    page = client.get(change_url(draft))

    assert page.context["publish_missing"] == ["A dataset needs at least one required field."]


def test_a_complete_draft_is_ready_and_save_and_publish_publishes_it(client, world, make_dataset):
    draft = make_dataset(world.ws_a, publish=False)
    client.force_login(world.admin)
    page = client.get(change_url(draft))
    assert page.context["publish_missing"] == []
    assert "is-ready" in page.content.decode()

    saved = client.post(change_url(draft), {**form_data(page), "_publish": "Save and publish"})

    assert saved.status_code == 302 and saved.url == change_url(draft)
    draft.refresh_from_db()
    assert draft.status == DatasetStatus.READY
    assert messages_of(saved)[-1] == f"{draft.name} is published: annotators can start."


def test_save_and_publish_saves_and_says_why_it_did_not_publish(client, world):
    draft = services.create_dataset(workspace=world.ws_a, name="empty")
    client.force_login(world.admin)
    data = form_data(client.get(change_url(draft)))

    saved = client.post(change_url(draft), {**data, "name": "renamed", "_publish": "1"})

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.status) == ("renamed", DatasetStatus.DRAFT)
    assert messages_of(saved) == [
        "A dataset needs at least one field to be published.",
        "A dataset needs at least one question to be published.",
    ]


def test_a_published_dataset_links_to_its_pages_and_has_no_checklist(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)

    page = client.get(change_url(dataset))

    html = page.content.decode()
    assert "publish-checklist" not in html and 'name="_publish"' not in html
    for url in (
        reverse("exports:dashboard", args=[dataset.pk]),
        reverse("annotation:records", args=[dataset.pk]),
        reverse("annotation:annotate", args=[dataset.pk]),
    ):
        assert f'href="{url}" class="dataset-page-link"' in html
    assert client.get(reverse("exports:dashboard", args=[dataset.pk])).status_code == 200


# Guidelines preview


def test_the_guidelines_preview_renders_sanitised_markdown(client, world):
    client.force_login(world.admin)

    page = client.post(reverse(PREVIEW), {"guidelines": "**Be kind**\n\n<script>alert(1)</script>"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>Be kind</strong>" in html
    assert "<script>" not in html


def test_the_guidelines_preview_needs_csrf_a_post_and_an_admin(world, client, login):
    checked = login(world.admin, csrf=True)
    assert checked.post(reverse(PREVIEW), {"guidelines": "x"}).status_code == 403  # no token
    client.force_login(world.admin)
    assert client.get(reverse(PREVIEW)).status_code == 405
    client.force_login(world.ann1)
    refused = client.post(reverse(PREVIEW), {"guidelines": "**x**"})
    assert refused.status_code in (302, 403)  # the admin's "not for you", however it is shown
    assert b"<strong>x</strong>" not in refused.content


def test_the_guidelines_widget_points_at_the_preview(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)

    html = client.get(change_url(dataset)).content.decode()

    assert f'data-preview-url="{reverse(PREVIEW)}"' in html
    assert "guidelines-preview-button" in html


# The named-annotators picker


def rules_form(page):
    return inline_formset(page, RULES).formset.forms[0]


def test_the_picker_lists_only_the_workspaces_annotators(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)

    form = rules_form(client.get(change_url(dataset)))

    names = [user.username for user in form.fields["annotators"].queryset]
    assert names == ["ann1", "ann2"]  # not the admin (adam), the owner, nor B's outsider


def test_the_picker_is_hidden_unless_the_pool_is_named(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)

    everyone = client.get(change_url(dataset)).content.decode()
    update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann1])
    named = client.get(change_url(dataset)).content.decode()

    picker = f'<div id="id_{RULES}-0-annotators" class="pool-annotators'
    assert f'{picker} pool-hidden">' in everyone
    assert f'{picker}">' in named
    assert "js/admin_pool.js" in named


def test_an_admin_cannot_pick_another_workspaces_annotator(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)
    data = form_data(client.get(change_url(dataset)))
    data[f"{RULES}-0-pool_kind"] = "named"
    data[f"{RULES}-0-annotators"] = [str(world.outsider.pk)]

    page = client.post(change_url(dataset), data)

    assert page.status_code == 200
    assert "Select a valid choice" in str(rules_form(page).errors["annotators"])
    assert not AssignmentRules.objects.filter(dataset=dataset, pool_kind="named").exists()


# Tenancy


def test_an_admin_cannot_open_or_change_another_workspaces_dataset(client, world, make_dataset):
    theirs = make_dataset(world.ws_b, publish=False)
    client.force_login(world.admin)

    opened = client.get(change_url(theirs))
    posted = client.post(change_url(theirs), {"name": "taken-over", "_publish": "1"})

    assert opened.status_code == 302 and posted.status_code == 302  # "doesn't exist"
    theirs.refresh_from_db()
    assert theirs.name != "taken-over" and theirs.status == DatasetStatus.DRAFT


# Query count


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_change_page_query_count_does_not_grow_with_the_settings(client, world, make_dataset):
    from tests.worlds import ALL_TYPES_FIELDS, ALL_TYPES_QUESTIONS

    def dataset(name, *, fields, questions, metadata, publish):
        made = make_dataset(
            world.ws_a, name=name, fields=fields, questions=questions, publish=publish
        )
        for index in range(metadata):
            services.add_metadata_property(
                dataset=made, name=f"meta-{index}", settings={"type": "terms", "values": ["a"]}
            )
        update_rules(dataset=made, pool_kind="named", annotators=[world.ann1, world.ann2])
        return made

    one_each = {"fields": ALL_TYPES_FIELDS[:1], "questions": ALL_TYPES_QUESTIONS[:1], "metadata": 1}
    every = {"fields": ALL_TYPES_FIELDS, "questions": ALL_TYPES_QUESTIONS, "metadata": 5}
    client.force_login(world.admin)
    for publish in (False, True):
        small = dataset(f"small-{publish}", **one_each, publish=publish)
        big = dataset(f"big-{publish}", **every, publish=publish)
        _count_queries(client, change_url(small))  # warm caches (content types, sessions)

        assert _count_queries(client, change_url(big)) == _count_queries(client, change_url(small))
