"""An annotator's day in a real browser: keyboard-only annotation, drafts, spans, bulk answers."""

import re

import pytest

from apps.accounts.models import User
from apps.datasets.demo import seed_demo
from apps.records.services import create_records
from apps.responses.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    dataset, _added = seed_demo()
    return dataset


def log_in(page, base, username="annotator", password="loam-annotator-demo"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def my_answers():
    return Response.objects.filter(user__username="annotator")


def current_record(page) -> str:
    return page.locator("#focus-body").get_attribute("data-record")


def test_keyboard_only_annotation_with_draft_and_progress(live_server, page, demo, artifacts):
    base = live_server.url
    log_in(page, base)
    page.click(f"[data-dataset='{demo.name}'] >> text=Annotate")
    page.wait_for_selector("#answer-form")
    page.screenshot(path=str(artifacts / "focus-view.png"), full_page=True)

    submitted_text = page.locator("[data-my-submitted]")
    for rating in ("1", "2", "3"):
        before = current_record(page)
        page.keyboard.press(rating)  # the first question has focus: pick its value
        page.keyboard.press("Control+Enter")
        page.wait_for_function(
            "before => document.querySelector('#focus-body').dataset.record !== before", arg=before
        )
    assert submitted_text.get_attribute("data-my-submitted") == "3"
    assert sorted(r.values["response_ranking"]["value"] for r in my_answers()) == [1, 2, 3]
    assert all(r.status == "submitted" for r in my_answers())

    # Mid-record: answer, type a correction, wait for the autosave, reload.
    record_id = current_record(page)
    page.keyboard.press("2")
    page.keyboard.press("Tab")
    page.keyboard.type("A better answer, typed without a mouse.")
    page.wait_for_selector("#save-state:has-text('Draft saved')")
    page.reload()
    assert current_record(page) == record_id
    assert (
        page.input_value("textarea[name='q-correct_response']")
        == "A better answer, typed without a mouse."
    )
    assert page.locator("input[name='q-response_ranking'][value='2']").is_checked()
    page.locator("textarea").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "before => document.querySelector('#focus-body').dataset.record !== before", arg=record_id
    )
    assert my_answers().filter(status="submitted").count() == 4

    # the shortcut sheet and the guidelines, by key
    page.locator(".question").first.focus()
    page.keyboard.press("?")
    assert page.locator("dialog#shortcuts").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    assert page.locator("#guidelines").is_visible()

    page.goto(f"{base}/")
    assert "4 submitted" in page.inner_text(f"[data-dataset='{demo.name}']")


def test_span_annotation_with_the_mouse(live_server, page, demo):
    from apps.datasets import services as dataset_services

    dataset = dataset_services.create_dataset(workspace=demo.workspace, name="entities")
    dataset_services.add_field(dataset=dataset, name="text", settings={"type": "text"})
    dataset_services.add_question(
        dataset=dataset,
        name="ents",
        settings={"type": "span", "field": "text", "options": [{"value": "PER", "text": "Person"}]},
    )
    dataset_services.publish_dataset(dataset=dataset)
    [record] = create_records(
        dataset=dataset, items=[{"fields": {"text": "Ada Lovelace met Babbage."}}]
    )

    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    text = page.locator("[data-span-text]")
    box = text.bounding_box()
    # select "Ada Lovelace" by dragging across it
    page.evaluate(
        """() => {
          const node = document.querySelector('[data-span-text]').firstChild;
          const range = document.createRange();
          range.setStart(node, 0); range.setEnd(node, 12);
          const selection = window.getSelection();
          selection.removeAllRanges(); selection.addRange(range);
        }"""
    )
    assert box is not None
    page.click("[data-span-label='PER']")
    assert page.locator("mark.span").inner_text().startswith("Ada Lovelace")
    page.click("button[data-action='submit']")
    page.wait_for_selector("text=All done here")
    response = Response.objects.get(record=record)
    assert response.values["ents"]["value"] == [{"label": "PER", "start": 0, "end": 12}]


def test_records_list_filter_and_bulk_answer(live_server, page, demo, artifacts):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{demo.pk}/records")
    page.select_option("select[name=meta]", "category")
    page.fill("input[name=meta_value]", "brainstorming")
    page.click("button:has-text('Filter')")
    page.wait_for_url(re.compile(r".*meta_value=brainstorming.*"))
    rows = page.locator("tr[data-record]")
    expected = demo.records.filter(metadata__category="brainstorming").count()
    assert rows.count() == expected > 0
    page.screenshot(path=str(artifacts / "records-list.png"), full_page=True)

    rows.nth(0).locator("input[name=ids]").check()
    rows.nth(1).locator("input[name=ids]").check()
    assert not page.locator("[data-bulk-question]").is_visible()  # hidden until asked for
    page.click("[data-bulk] summary")
    page.select_option("[data-bulk-question]", "response_ranking")
    page.select_option("[data-bulk-values='response_ranking'] select", "3")
    page.click("button:has-text('Review and confirm')")
    summary = page.inner_text("[data-bulk-summary]")
    assert summary == "Answer “Which response is better?” with “3 · both are equal” on 2 records?"
    page.screenshot(path=str(artifacts / "bulk-confirm.png"), full_page=True)
    assert not Response.objects.exists()
    page.click("button:has-text('Answer 2 records')")
    page.wait_for_selector("text=Answered 2 records")
    annotator = User.objects.get(username="annotator")
    answers = Response.objects.filter(user=annotator, status="submitted")
    assert answers.count() == 2
    assert {a.values["response_ranking"]["value"] for a in answers} == {3}
