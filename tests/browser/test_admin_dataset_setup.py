"""An organisation admin who never used the API sets a dataset up in the admin: creates it,
sees what publishing still needs, adds a text field, a rating question, a label question
with titled labels and a metadata property through the forms, previews the guidelines,
publishes and opens the dashboard. On a desktop and on a phone; screenshots of each step in
tests/browser/artifacts/ (admin-dataset-*.png)."""

import pytest

from apps.accounts.models import Role
from apps.datasets.models import Dataset, DatasetStatus
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PASSWORD = "pw-loam-123"


def add_row(page, group: str) -> str:
    """Click the inline's "Add another …" and return the new row's form prefix."""
    before = page.locator(f"#{group}-group .inline-related:not(.empty-form)").count()
    page.click(f"#{group}-group .add-row a")
    return f"{group}-{before}"


def shot(page, artifacts, name: str, size: str, selector: str | None = None) -> None:
    path = str(artifacts / f"admin-dataset-{name}-{size}.png")
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_an_admin_sets_up_and_publishes_a_dataset(
    live_server, browser, artifacts, size, make_user, make_workspace
):
    workspace = make_workspace("Reviews team")
    make_user("lead", role=Role.ADMIN, workspaces=[workspace], password=PASSWORD)
    make_user("ann", role=Role.ANNOTATOR, workspaces=[workspace])
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "lead", PASSWORD)

    # 1. The dataset itself: a name and guidelines, previewed as annotators will read them.
    page.goto(f"{live_server.url}/admin/datasets/dataset/add/")
    page.select_option("#id_workspace", label="Reviews team")
    page.fill("#id_name", "product reviews")
    page.fill("#id_guidelines", "# Rate the review\n\nIs it **helpful**?\n\n- 1: useless")
    page.click(".guidelines-preview-button")
    page.wait_for_selector(".guidelines-preview h1")
    assert page.locator(".guidelines-preview strong").inner_text() == "helpful"
    shot(page, artifacts, "guidelines-preview", size, ".guidelines-editor")
    page.click("input[name=_continue]")
    page.wait_for_selector(".publish-checklist")
    dataset = Dataset.objects.get(name="product reviews")

    # 2. The checklist says what publishing still needs.
    checklist = page.locator(".publish-checklist").inner_text()
    assert "at least one field" in checklist and "at least one question" in checklist
    shot(page, artifacts, "checklist-empty", size)
    page.screenshot(path=str(artifacts / f"admin-dataset-checklist-top-{size}.png"))

    # 3. A text field: only its type's inputs show.
    field = add_row(page, "fields")
    page.fill(f"#id_{field}-name", "review")
    assert page.locator(f"#id_{field}-use_markdown").is_visible()
    assert not page.locator(f"#id_{field}-template").is_visible()
    shot(page, artifacts, "field-form", size, "#fields-group")
    page.click("input[name=_continue]")
    page.wait_for_selector(".publish-checklist")
    checklist = page.locator(".publish-checklist").inner_text()
    assert "at least one question" in checklist and "at least one field" not in checklist

    # 4. A rating question (its values), a label question with titled labels.
    rating = add_row(page, "questions")
    page.fill(f"#id_{rating}-name", "quality")
    page.fill(f"#id_{rating}-title", "How helpful is it?")
    page.fill(f"#id_{rating}-rating_values", "1, 2, 3, 4, 5")
    label = add_row(page, "questions")
    page.fill(f"#id_{label}-name", "sentiment")
    page.select_option(f"#id_{label}-type", "label_selection")
    assert not page.locator(f"#id_{label}-rating_values").is_visible()
    options = page.locator(f"#{label} .options-editor")
    options.locator("input[name$='-value']").nth(0).fill("pos")
    options.locator("input[name$='-text']").nth(0).fill("Positive")
    options.locator("input[name$='-value']").nth(1).fill("neg")
    options.locator("input[name$='-text']").nth(1).fill("Negative")
    options.locator(".add-option").click()
    options.locator("input[name$='-value']").nth(2).fill("mixed")
    options.locator("input[name$='-text']").nth(2).fill("Mixed")
    shot(page, artifacts, "question-forms", size, "#questions-group")

    # 5. A metadata property: terms, one per line.
    prop = add_row(page, "metadata_properties")
    page.fill(f"#id_{prop}-name", "source")
    page.fill(f"#id_{prop}-terms", "shop\nforum")
    shot(page, artifacts, "metadata-form", size, "#metadata_properties-group")

    # 6. The pool: the named-annotators picker appears for a named pool only, listing the
    #    workspace's annotators (not the admin).
    picker = page.locator(".form-row.field-annotators").first
    assert not picker.is_visible()
    page.select_option("select[name='assignment_rules-0-pool_kind']", "named")
    assert picker.is_visible()
    assert [text.strip() for text in picker.locator("label").all_inner_texts()[1:]] == ["ann"]
    picker.locator("input[type=checkbox]").check()
    shot(page, artifacts, "pool", size, "#assignment_rules-group")

    # 7. Save and publish at once.
    page.click("input[name=_publish]")
    page.wait_for_selector(".messagelist .success")
    shot(page, artifacts, "published", size)
    page.screenshot(path=str(artifacts / f"admin-dataset-published-top-{size}.png"))
    shot(page, artifacts, "question-forms-published", size, "#questions-group")
    assert page.locator("#id_questions-0-rating_values").is_disabled()
    assert page.locator("#questions-1 .add-option").count() == 0  # values fixed, texts not
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.READY
    questions = {q.name: q.settings for q in dataset.questions.all()}
    assert [o["value"] for o in questions["quality"]["options"]] == [1, 2, 3, 4, 5]
    assert [(o["value"], o["text"]) for o in questions["sentiment"]["options"]] == [
        ("pos", "Positive"),
        ("neg", "Negative"),
        ("mixed", "Mixed"),
    ]
    assert dataset.metadata_properties.get().settings == {
        "type": "terms",
        "values": ["shop", "forum"],
    }
    assert page.locator(".publish-checklist").count() == 0
    assert [user.username for user in dataset.assignment_rules.annotators.all()] == ["ann"]
    assert page.locator(".form-row.field-annotators").first.is_visible()

    # 8. From the dataset page to its dashboard.
    page.click("a.dataset-page-link:text('Dashboard')")
    page.wait_for_url(f"**/datasets/{dataset.pk}/dashboard")
    assert "product reviews" in page.content()
    context.close()
