"""The browser counts active time only: an idle or hidden tab adds nothing."""

import pytest

from apps.datasets.demo import seed_demo
from apps.responses.models import Response
from tests.browser.test_annotator_flow import current_record, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_idle_or_hidden_tab_does_not_count(live_server, page, settings):
    settings.LOAM_IDLE_SECONDS = 2
    dataset, _added = seed_demo()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    page.wait_for_selector("#answer-form")
    record = current_record(page)

    page.keyboard.press("2")  # active now, then idle for 6 seconds
    page.wait_for_timeout(6_000)
    with page.expect_response(lambda r: r.url.endswith("/draft")):
        page.keyboard.press("Control+s")
    draft = Response.objects.get(record_id=record)
    assert 1 <= draft.active_seconds <= 3  # the idle limit, not the 6 seconds

    # A hidden tab does not count, however much the pointer moves over it.
    page.evaluate(
        """() => {
          const hidden = { value: "hidden", configurable: true };
          Object.defineProperty(document, "visibilityState", hidden);
          document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    for x in range(6):
        page.mouse.move(100 + 10 * x, 200)
        page.wait_for_timeout(500)
    page.evaluate("() => { delete document.visibilityState; }")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "before => document.querySelector('#focus-body').dataset.record !== before", arg=record
    )
    submitted = Response.objects.get(record_id=record)
    assert submitted.status == "submitted"
    assert submitted.active_seconds - draft.active_seconds <= 1


def test_working_time_counts(live_server, page):
    dataset, _added = seed_demo()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    page.wait_for_selector("#answer-form")
    record = current_record(page)
    page.keyboard.press("1")
    page.locator("textarea").focus()
    for _ in range(4):  # someone typing for four seconds
        page.keyboard.type("word ")
        page.wait_for_timeout(1_000)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "before => document.querySelector('#focus-body').dataset.record !== before", arg=record
    )
    assert 3 <= Response.objects.get(record_id=record).active_seconds <= 6


def test_going_back_gives_the_held_record_back(live_server, page):
    from apps.annotation.models import AnnotatorQueue

    dataset, _added = seed_demo()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    page.wait_for_selector("#answer-form")
    first = current_record(page)
    page.keyboard.press("1")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "before => document.querySelector('#focus-body').dataset.record !== before", arg=first
    )
    held = AnnotatorQueue.objects.get(dataset=dataset, user__username="annotator")
    assert held.record_id is not None and str(held.record_id) != first
    page.keyboard.press("b")  # Back to the first: the second is free for others meanwhile
    page.wait_for_function(
        "id => document.querySelector('#focus-body').dataset.record === id", arg=first
    )
    for _ in range(20):  # the beacon travels beside the page load: give it a moment
        held.refresh_from_db()
        if held.record_id is None:
            break
        page.wait_for_timeout(100)
    assert held.record_id is None
