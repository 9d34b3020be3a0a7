"""Real headless Chromium (Debian's package) driven by Playwright against live_server.

Skips with a reason where Chromium or Playwright is missing; .ci/run installs both.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LOAM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _unavailable(reason: str):
    if os.environ.get("LOAM_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and LOAM_REQUIRE_BROWSER is set")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fresh_sign_in_limits(request):
    """Each browser test starts with no sign-ins counted. allauth counts them (at most 30 a
    minute from one address) in the database's cache, which outlives a test: a suite that
    signed in faster than that from 127.0.0.1 had its next login refused with a 429."""
    if "live_server" in request.fixturenames:
        from django.core.cache import cache

        request.getfixturevalue("live_server")  # the test's database, where the cache is
        cache.clear()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("playwright is not installed (make install-dev)")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
