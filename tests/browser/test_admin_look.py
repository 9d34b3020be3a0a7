"""The admin in Loam's look, as the organisation admin sees it all day: the index in
sections, a change list, a change form, at desktop and phone size; and the API docs with no
network at all. Screenshots in tests/browser/artifacts/."""

import pytest

from apps.datasets.demo import DATASET, seed_demo
from apps.datasets.models import Dataset
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SECTIONS = ["Workspaces", "Datasets", "Records", "Responses", "People", "Operations"]


def owner_page(browser, live_server, size):
    seed_demo()
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, "owner", "loam-owner-demo")
    return context, page


@pytest.mark.parametrize("size", SIZES)
def test_admin_pages_in_loams_look(live_server, browser, artifacts, size):
    context, page = owner_page(browser, live_server, size)

    page.goto(f"{live_server.url}/admin/")
    page.screenshot(path=str(artifacts / f"admin-index-{size}.png"), full_page=True)
    captions = page.locator("#content-main .module caption").all_text_contents()
    assert [caption.strip() for caption in captions] == SECTIONS
    # Loam's ink on the header, not Django's blue.
    header = page.locator("#header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(34, 35, 31)"

    page.goto(f"{live_server.url}/admin/datasets/dataset/")
    page.screenshot(path=str(artifacts / f"admin-changelist-{size}.png"), full_page=True)
    assert " ".join(page.locator(".breadcrumbs").inner_text().split()) == "Home › Datasets"
    assert page.locator("#content h1").inner_text() == "Datasets"

    dataset = Dataset.objects.get(name=DATASET)
    page.goto(f"{live_server.url}/admin/datasets/dataset/{dataset.pk}/change/")
    page.screenshot(path=str(artifacts / f"admin-change-form-{size}.png"), full_page=True)
    crumbs = " ".join(page.locator(".breadcrumbs").inner_text().split())
    assert crumbs == f"Home › Datasets › {DATASET}"
    context.close()


def test_admin_stays_light_in_a_dark_browser(live_server, browser, artifacts):
    seed_demo()
    context = browser.new_context(viewport=SIZES["desktop"], color_scheme="dark")
    page = context.new_page()
    log_in(page, live_server.url, "owner", "loam-owner-demo")

    page.goto(f"{live_server.url}/admin/accounts/user/")
    page.screenshot(path=str(artifacts / "admin-dark-browser-desktop.png"), full_page=True)

    body = page.locator("body").evaluate("e => getComputedStyle(e).backgroundColor")
    assert body == "rgb(255, 255, 255)"
    assert page.locator(".theme-toggle").count() == 0
    context.close()


def offline(page, live_server):
    """Every request that is not to the live server fails, as behind a firewall."""
    blocked = []

    def route(request_route):
        if request_route.request.url.startswith(live_server.url):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return blocked


@pytest.mark.parametrize("size", SIZES)
def test_swagger_ui_renders_with_no_network(live_server, browser, artifacts, size):
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    blocked = offline(page, live_server)

    page.goto(f"{live_server.url}/api/docs/")
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/me").first
    operation.wait_for(timeout=20_000)
    page.screenshot(path=str(artifacts / f"api-docs-offline-{size}.png"))

    assert operation.is_visible()
    assert blocked == []  # nothing was even asked of another host
    context.close()


def test_redoc_renders_with_no_network(live_server, browser, artifacts):
    context = browser.new_context(viewport=SIZES["desktop"])
    page = context.new_page()
    blocked = offline(page, live_server)

    page.goto(f"{live_server.url}/api/redoc/")
    page.get_by_text("Loam API").first.wait_for(timeout=20_000)
    page.get_by_text("/api/v1/me").first.wait_for(state="attached", timeout=20_000)
    page.screenshot(path=str(artifacts / "api-redoc-offline-desktop.png"))

    # Only the logo of ReDoc's own "API docs by Redocly" footer link is asked of its CDN
    # (hard-coded in ReDoc; hidden when it fails): no font, no script, no schema.
    assert [url for url in blocked if not url.endswith("redoc.ly/redoc/logo-mini.svg")] == []
    context.close()
