"""A day in Chinese with only the keyboard: five records, Tab to Submit, Back to change one,
and not one English Loam string on the pages walked."""

import pytest

from apps.accounts.models import User
from apps.annotation.web.choices import choices_of
from apps.datasets.demo import seed_demo
from apps.responses.models import Response
from tests.browser.test_annotator_flow import current_record, log_in
from tests.i18n.english import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the pages show from the data, which stays as its authors wrote it.
# (Charts label their bars with names and titles, shortened.)
DATA_SELECTORS = (
    ".record-field, .span-text, tr[data-record] td:nth-child(2), .metadata, .guidelines, svg"
)
# A detached copy has no layout: its text holds hidden parts too (stricter), run together.
VISIBLE_TEXT = """(selectors) => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll(selectors).forEach((el) => el.remove());
  body.querySelectorAll("script, style, kbd, code").forEach((el) => el.remove());
  body.querySelectorAll("option").forEach((el) => { el.textContent += "\\n"; });
  const shown = [body.innerText];
  document.querySelectorAll("[title], [aria-label], [placeholder]").forEach((el) => {
    if (el.closest(selectors)) return;
    shown.push(el.title, el.getAttribute("aria-label") || "", el.placeholder || "");
  });
  return shown.join("\\n");
}"""


def data_words(dataset, user):
    values = [dataset.name, dataset.workspace.name, user.username]
    for question in dataset.questions.all():
        values += [question.name, question.title, question.description]
        values += [choice.text for choice in choices_of(question)]
    values += list(dataset.fields.values_list("title", flat=True))
    values += list(dataset.metadata_properties.values_list("title", flat=True))
    return values


def english_on(page, dataset, user):
    text = page.evaluate(VISIBLE_TEXT, DATA_SELECTORS)
    return english_words(text, data_words(dataset, user))


def wait_for_next(page, before):
    """The next record is shown and has put focus on its first question, as it does."""
    page.wait_for_function(
        """before => document.querySelector('#focus-body').dataset.record !== before
                     && document.activeElement.closest('.question')""",
        arg=before,
    )


def tab_to_submit(page, limit=8) -> int:
    """Press Tab until Submit has focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "submit":
            return presses
    raise AssertionError(f"Submit not reached in {limit} presses of Tab")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_five_records_in_chinese_with_the_keyboard_only(live_server, page, artifacts):
    dataset, _added = seed_demo()
    annotator = User.objects.get(username="annotator")
    base = live_server.url
    log_in(page, base)
    page.click("button[lang=zh-hans]")  # the header's language switch
    page.wait_for_selector("h1:has-text('你的数据集')")
    annotator.refresh_from_db()
    assert annotator.language == "zh-hans"
    assert english_on(page, dataset, annotator) == []

    page.click(f"[data-dataset='{dataset.name}'] >> text=开始标注")
    page.wait_for_selector("#answer-form")
    assert page.inner_text("[data-position]") == "第 1 / 60 条"
    page.screenshot(path=str(artifacts / "zh-focus-desktop.png"), full_page=True)
    assert english_on(page, dataset, annotator) == []

    done = []
    for n, rating in enumerate(("1", "2", "3", "1", "2")):
        before = current_record(page)
        page.keyboard.press(rating)
        if n % 2:
            assert tab_to_submit(page) <= 3  # rating → correction → Submit
            page.keyboard.press("Enter")
        else:
            page.keyboard.press("Control+Enter")
        wait_for_next(page, before)
        done.append(before)
    assert page.inner_text("[data-position]") == "第 6 / 60 条"
    assert page.inner_text("#focus-body .notice") == "已提交。"
    answers = Response.objects.filter(user=annotator, status="submitted")
    assert answers.count() == 5

    # Back to the last one, change it by keyboard, and resubmit.
    page.keyboard.press("b")
    page.wait_for_function(
        "id => document.querySelector('#focus-body').dataset.record === id", arg=done[-1]
    )
    assert page.locator("input[name='q-response_ranking'][value='2']").is_checked()
    page.screenshot(path=str(artifacts / "zh-back-desktop.png"), full_page=True)
    page.keyboard.press("3")
    page.keyboard.press("Control+Enter")
    wait_for_next(page, done[-1])
    assert answers.get(record_id=done[-1]).values["response_ranking"]["value"] == 3
    assert answers.count() == 5

    # A click in the record text (to select a passage) does not stop the number keys.
    page.click(".record-field >> nth=0")
    page.keyboard.press("2")
    assert page.locator("input[name='q-response_ranking'][value='2']").is_checked()
    # Typing in the text box keeps the digits; Esc leaves it and the keys work again.
    page.click("textarea[name='q-correct_response']")
    page.keyboard.type("1")
    assert page.locator("input[name='q-response_ranking'][value='2']").is_checked()
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    assert page.locator("input[name='q-response_ranking'][value='1']").is_checked()

    page.keyboard.press("?")
    assert page.locator("dialog#shortcuts").is_visible()
    assert english_on(page, dataset, annotator) == []
    page.keyboard.press("Escape")

    # The walk through my submitted records, and the other pages, in Chinese.
    page.click("[data-view=submitted]")
    page.wait_for_selector("[data-position]:has-text('第 1 / 5 条')")
    assert english_on(page, dataset, annotator) == []
    for path in ("/", f"/datasets/{dataset.pk}/records", "/profile"):
        page.goto(base + path)
        assert english_on(page, dataset, annotator) == [], path
    page.goto(f"{base}/datasets/{dataset.pk}/records")
    page.screenshot(path=str(artifacts / "zh-records-desktop.png"), full_page=True)


def test_tab_reaches_every_control_in_order(live_server, page):
    dataset, _added = seed_demo()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/datasets/{dataset.pk}/annotate")
    page.wait_for_selector("#answer-form")
    tab_to_submit(page)
    seen = []
    for _ in range(5):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                """() => { const a = document.activeElement;
                  return a.dataset.action || Object.keys(a.dataset)[0] || a.tagName; }"""
            )
        )
    assert seen == ["discard", "skip", "draft", "openShortcuts", "toggleGuidelines"]
    # and Shift+Tab walks back up: the five, Submit, the markdown preview, the text box
    for _ in range(7):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == "q-correct_response"
