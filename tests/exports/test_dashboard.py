"""The dataset dashboard: owners and admins only, links, agreement reasons, export buttons."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.exports.urls")

FIELDS = {"prompt": "p", "response-1": "a", "response-2": "b"}


@pytest.fixture
def rated(world, preference, answer):
    dataset, (r0, r1, _r2) = preference
    answer(world.ann1, r0, {"response_ranking": 1})
    answer(world.ann2, r0, {"response_ranking": 1})
    answer(world.ann1, r1, {"response_ranking": 2})
    return dataset


def agreement_cell(html: str, question: str) -> str:
    row = re.search(rf'<tr data-question="{question}">(.*?)</tr>', html, re.S)
    assert row, f"no agreement row for {question}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))).strip()


def test_admin_sees_the_line_the_bars_and_agreement(client, world, rated):
    client.force_login(world.admin)
    page = client.get(reverse("exports:dashboard", args=[rated.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 1 and 'class="line"' in html  # the progress line
    assert re.search(r'data-annotator="ann1".*?data-status="submitted"[^>]*>2<', html, re.S)
    # Every record answered by two people agrees on 1, the other has one answer: no alpha,
    # and the page says why rather than drawing an empty "response_ranking —" bar.
    assert "Every answer so far is the same value" in agreement_cell(html, "response_ranking")
    assert "not measured for this question type" in agreement_cell(html, "correct_response")


def test_the_reason_names_the_overlap_when_one_answer_per_record_is_asked(
    client, world, make_dataset, add_records, answer
):
    dataset = make_dataset(world.ws_a, min_submitted=1)  # the demo's setting
    (record,) = add_records(dataset, [{"fields": FIELDS}])
    answer(world.ann1, record, {"response_ranking": 2})
    client.force_login(world.owner)
    html = client.get(reverse("exports:dashboard", args=[dataset.pk])).content.decode()
    cell = agreement_cell(html, "response_ranking")
    assert "Needs two answers per record: overlap is 1." in cell
    assert "—" not in cell


def test_the_reason_says_no_record_has_two_answers_yet(
    client, world, make_dataset, add_records, answer
):
    dataset = make_dataset(world.ws_a, min_submitted=2)
    records = add_records(dataset, [{"fields": FIELDS} for _i in range(2)])
    answer(world.ann1, records[0], {"response_ranking": 2})
    answer(world.ann2, records[1], {"response_ranking": 3})
    client.force_login(world.owner)
    html = client.get(reverse("exports:dashboard", args=[dataset.pk])).content.decode()
    assert "No record has two submitted answers yet." in agreement_cell(html, "response_ranking")


def test_measured_alpha_shows_its_value_and_no_reason(client, world, rated, answer):
    r2 = rated.records.order_by("inserted_at")[2]
    r1 = rated.records.order_by("inserted_at")[1]
    answer(world.ann2, r1, {"response_ranking": 3})
    answer(world.ann1, r2, {"response_ranking": 3})
    answer(world.ann2, r2, {"response_ranking": 3})
    client.force_login(world.admin)
    html = client.get(reverse("exports:dashboard", args=[rated.pk])).content.decode()
    cell = agreement_cell(html, "response_ranking")
    assert re.fullmatch(r"-?\d\.\d{3}", cell.split()[-1]), cell


def test_links_to_records_annotate_and_the_admin(client, world, rated, make_dataset):
    client.force_login(world.admin)
    html = client.get(reverse("exports:dashboard", args=[rated.pk])).content.decode()
    assert f'href="{reverse("annotation:records", args=[rated.pk])}"' in html
    assert f'href="{reverse("annotation:annotate", args=[rated.pk])}"' in html
    assert f'href="{reverse("admin:datasets_dataset_change", args=[rated.pk])}"' in html
    draft = make_dataset(world.ws_a, publish=False)
    html = client.get(reverse("exports:dashboard", args=[draft.pk])).content.decode()
    assert 'data-link="annotate"' not in html  # nothing to annotate in a draft
    assert 'data-link="records"' in html and 'data-link="admin"' in html


def test_the_admin_link_follows_the_admin_site(client, world, rated, monkeypatch):
    from django.contrib import admin

    monkeypatch.setattr(admin.site, "has_permission", lambda request: False)
    client.force_login(world.admin)
    html = client.get(reverse("exports:dashboard", args=[rated.pk])).content.decode()
    assert 'data-link="admin"' not in html and 'data-link="records"' in html


def test_annotator_is_forbidden_and_other_tenant_gets_404(client, world, rated):
    url = reverse("exports:dashboard", args=[rated.pk])
    client.force_login(world.ann1)
    assert client.get(url).status_code == 403
    client.force_login(world.admin_b)
    assert client.get(url).status_code == 404


def test_export_controls_are_labelled_and_styled(client, world, rated):
    client.force_login(world.owner)
    html = client.get(reverse("exports:dashboard", args=[rated.pk])).content.decode()
    assert 'class="export-form"' in html and "css/dashboard.css" in html
    assert re.search(r'<label>Format <select name="format">', html)
    assert "csrfmiddlewaretoken" in html


def test_download_button_streams_the_export(client, world, rated):
    client.force_login(world.owner)
    response = client.post(
        reverse("exports:export", args=[rated.pk]), {"format": "jsonl", "task": "dpo"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).count(b"\n") == 2


def test_impossible_task_comes_back_as_a_message(client, world, rated):
    client.force_login(world.owner)
    page = client.post(
        reverse("exports:export", args=[rated.pk]),
        {"format": "jsonl", "task": "text_classification"},
        follow=True,
    )
    assert "label_selection" in page.content.decode()


def test_reasons_and_axis_dates_in_chinese(client, world, make_dataset, add_records, answer):
    from apps.accounts import services as accounts

    dataset = make_dataset(world.ws_a, min_submitted=1)
    (record,) = add_records(dataset, [{"fields": FIELDS}])
    answer(world.ann1, record, {"response_ranking": 2})
    accounts.set_language(user=world.admin, language="zh-hans")
    client.force_login(world.admin)
    html = client.get(reverse("exports:dashboard", args=[dataset.pk])).content.decode()
    assert "每条记录需要两个回答：当前重叠数为 1。" in agreement_cell(html, "response_ranking")
    assert "此类问题不计算一致性。" in agreement_cell(html, "correct_response")
    ticks = re.findall(r'<span class="tick"[^>]*>([^<]+)<', html)
    assert ticks and re.fullmatch(r"\d{1,2}月\d{1,2}日 \d\d:\d\d", ticks[0]), ticks
