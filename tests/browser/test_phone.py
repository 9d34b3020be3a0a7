"""A phone (390×844, touch): Submit never scrolls away, the guidelines open over the page,
and no keyboard hints are shown."""

import pytest

from apps.datasets.demo import seed_demo
from apps.responses.models import Response
from tests.browser.test_annotator_flow import current_record, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def on_screen(page, selector) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_record_answered_and_submitted_on_a_phone(live_server, phone, artifacts):
    dataset, _added = seed_demo()
    page = phone
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    page.wait_for_selector("#answer-form")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "phone-focus-top.png"))
    submit = "#answer-form [data-action=submit]"
    assert on_screen(page, submit)  # at the top of the page, Submit is already there
    assert page.locator("kbd.key-hint").first.is_hidden()  # no keyboard on a phone

    page.tap("[data-jump-questions]")  # the questions start below the record: one tap away
    page.wait_for_function(
        "document.querySelector('.question').getBoundingClientRect().top"
        " < document.querySelector('#answer-form .actions').getBoundingClientRect().top - 100"
    )
    page.tap("label[data-option]:has-text('2 · the second is better')")
    assert on_screen(page, submit)
    page.screenshot(path=str(artifacts / "phone-focus-questions.png"))
    before = current_record(page)
    page.tap(submit)
    page.wait_for_function(
        "before => document.querySelector('#focus-body').dataset.record !== before", arg=before
    )
    answer = Response.objects.get(user__username="annotator")
    assert (answer.status, answer.values["response_ranking"]["value"]) == ("submitted", 2)

    page.tap("#answer-form .actions [data-toggle-guidelines]")
    guidelines = page.locator("#guidelines").bounding_box()
    assert guidelines["y"] == 0 and guidelines["width"] == PHONE["width"]  # over the page
    page.screenshot(path=str(artifacts / "phone-guidelines.png"))
    page.tap("#guidelines [data-toggle-guidelines]")
    assert page.locator("#guidelines").is_hidden()


def test_the_records_list_and_home_fit_a_phone(live_server, phone, artifacts):
    dataset, _added = seed_demo()
    log_in(phone, live_server.url)
    phone.screenshot(path=str(artifacts / "phone-home.png"), full_page=True)
    phone.goto(f"{live_server.url}/datasets/{dataset.pk}/records")
    # nothing wider than the screen: no sideways scrolling
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(artifacts / "phone-records.png"))
