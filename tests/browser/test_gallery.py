"""Screenshots of every page this work changed, in Chinese, on a desktop and on a phone
(tests/browser/artifacts/zh-*.png), each checked for English left on it."""

import pytest

from apps.accounts.models import User
from apps.accounts.services import set_language
from apps.datasets.demo import seed_demo
from apps.responses.services import save_response
from tests.browser.test_annotator_flow import log_in
from tests.browser.test_chinese_keyboard import english_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("size", SIZES)
def test_pages_in_chinese(live_server, browser, artifacts, size):
    dataset, _added = seed_demo()
    owner = User.objects.get(username="owner")
    set_language(user=owner, language="zh-hans")
    for index, record in enumerate(dataset.records.order_by("inserted_at")[:4]):
        save_response(
            user=owner,
            record=record,
            values={"response_ranking": {"value": index % 3 + 1}},
            status="submitted",
            active_seconds=20 + 15 * index,
        )
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        base = live_server.url
        log_in(page, base, "owner", "loam-owner-demo")
        pages = {
            "home": "/",
            "profile": "/profile",
            "records": f"/datasets/{dataset.pk}/records",
            "dashboard": f"/datasets/{dataset.pk}/dashboard",
            "focus": f"/datasets/{dataset.pk}/annotate",
            "walk": f"/datasets/{dataset.pk}/annotate?view=submitted",
        }
        for name, path in pages.items():
            page.goto(base + path)
            page.screenshot(path=str(artifacts / f"zh-{name}-{size}.png"), full_page=True)
            assert english_on(page, dataset, owner) == [], name
        page.goto(f"{base}/datasets/{dataset.pk}/records")
        page.click("[data-bulk] summary")
        page.select_option("[data-bulk-question]", "response_ranking")
        page.select_option("[data-bulk-values='response_ranking'] select", "3")
        page.check("input[name=all_matching]")
        page.click("[data-bulk] button[type=submit]")
        page.wait_for_selector("[data-bulk-summary]")
        page.screenshot(path=str(artifacts / f"zh-bulk-confirm-{size}.png"), full_page=True)
        assert english_on(page, dataset, owner) == []
    finally:
        context.close()
