"""Rate limits hold across web processes: the test's live_server and a second Loam process
(tests/api/second_server.py) share nothing but the database, whose cache table holds the
counts. Each test spends part of a budget on one process and the rest on the other, so a
per-process count (Django's local-memory cache) would let the last request through.

Rates are small here (the `limits` fixture, the same in both processes); the defaults are in
config/settings.py.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from django.db import connection

from apps.accounts.models import ApiKey, Role, User

SECOND_SERVER = Path(__file__).with_name("second_server.py")
RATES = {
    "LOAM_API_BAD_KEY_RATE": "4/minute",
    "LOAM_API_USER_RATE": "6/minute",
    "LOAM_LOGIN_FAILED_RATE": "100/m/ip,3/5m/key",
    "LOAM_PASSWORD_RESET_RATE": "100/m/ip,3/m/key",
}
ME = "/api/v1/me"


@pytest.fixture
def limits(settings, transactional_db):
    """This process's settings as RATES sets the second's; an empty cache before and after
    (the cache table is no model: the database flush between tests leaves it)."""
    settings.LOAM_API_BAD_KEY_RATE = RATES["LOAM_API_BAD_KEY_RATE"]
    settings.LOAM_API_USER_RATE = RATES["LOAM_API_USER_RATE"]
    settings.ACCOUNT_RATE_LIMITS = {
        "login_failed": RATES["LOAM_LOGIN_FAILED_RATE"],
        "reset_password": RATES["LOAM_PASSWORD_RESET_RATE"],
    }
    cache.clear()
    yield
    cache.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def second_server(live_server, limits, tmp_path):
    """The URL of a second Loam process serving the test database."""
    port = _free_port()
    log = open(tmp_path / "second_server.log", "w+")
    process = subprocess.Popen(
        [sys.executable, str(SECOND_SERVER), str(port), connection.settings_dict["NAME"]],
        env={**os.environ, **RATES},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{url}/api/v1/status", timeout=5).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                pytest.fail(f"the second server did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # the embedded database's client may hold SIGTERM
        process.kill()
        process.wait(timeout=5)
    log.close()


@pytest.fixture
def servers(live_server, second_server):
    return live_server.url, second_server


def _key(user) -> str:
    return ApiKey.issue(user=user)[1]


def _me(base: str, key: str | None) -> requests.Response:
    headers = {} if key is None else {"X-Argilla-Api-Key": key}
    return requests.get(base + ME, headers=headers, timeout=10)


def assert_limited(answer: requests.Response, *, limit: str, rate: str) -> None:
    """429 with Retry-After, in the API's error shape, naming the limit."""
    assert answer.status_code == 429, answer.text
    detail = answer.json()["detail"]
    assert detail["code"] == "loam.api.errors::TooManyRequests"
    assert detail["params"]["limit"] == limit and detail["params"]["rate"] == rate
    wait = detail["params"]["retry_after"]
    assert isinstance(wait, int) and 1 <= wait <= 60
    assert answer.headers["Retry-After"] == str(wait)
    assert limit in detail["message"]


def test_bad_and_missing_keys_are_limited_per_ip_across_two_processes(servers, make_user):
    first, second = servers
    user = make_user(role=Role.ANNOTATOR)
    good = _key(user)

    # 4 failed attempts: 2 on each process (a bad key and none on each).
    for base in (first, second):
        assert _me(base, "loam_not-a-key").status_code == 401
        assert _me(base, None).status_code == 401

    for base in (first, second):
        assert_limited(_me(base, "loam_not-a-key"), limit="bad_key", rate="4/minute")
        assert_limited(_me(base, None), limit="bad_key", rate="4/minute")
    # A valid key still works from that address: the limit is on failures only.
    assert _me(second, good).status_code == 200


def test_the_user_budget_holds_across_two_processes(servers, make_user):
    first, second = servers
    heavy, other = make_user(), make_user()
    key, other_key = _key(heavy), _key(other)

    for base in (first, second, first, second, first, second):
        assert _me(base, key).status_code == 200

    assert_limited(_me(first, key), limit="user", rate="6/minute")
    assert_limited(_me(second, key), limit="user", rate="6/minute")
    assert _me(second, other_key).status_code == 200  # per user, not per address


def _post_form(url: str, data: dict) -> requests.Response:
    session = requests.Session()
    # One public host name in front of both processes, as behind a proxy: allauth's
    # per-username key includes the site's host (with its port).
    session.headers["Host"] = "localhost"
    page = session.get(url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        url, {**data, "csrfmiddlewaretoken": token}, timeout=10, allow_redirects=False
    )


def _log_in(base: str, username: str, password: str) -> requests.Response:
    return _post_form(f"{base}/accounts/login/", {"login": username, "password": password})


TOO_MANY = "Too many failed login attempts"


def test_failed_logins_are_limited_across_two_processes(servers, make_user):
    first, second = servers
    user = make_user(password="right-pass-123")

    assert _log_in(first, user.username, "wrong-1").status_code == 200
    assert _log_in(first, user.username, "wrong-2").status_code == 200
    assert _log_in(second, user.username, "wrong-3").status_code == 200

    # The second process saw one failure; the shared count says three: the right password
    # is refused on both until the window passes.
    for base in (second, first):
        refused = _log_in(base, user.username, "right-pass-123")
        assert refused.status_code == 200 and TOO_MANY in refused.text
        assert "sessionid" not in refused.cookies


def test_a_right_password_logs_in_below_the_limit(servers, make_user):
    first, second = servers
    user = make_user(password="right-pass-123")

    assert _log_in(first, user.username, "wrong-1").status_code == 200
    assert _log_in(second, user.username, "right-pass-123").status_code == 302


def _reset(base: str, email: str) -> requests.Response:
    return _post_form(f"{base}/accounts/password/reset/", {"email": email})


def test_password_reset_requests_are_limited_across_two_processes(servers, make_user):
    first, second = servers
    user = make_user()
    User.objects.filter(pk=user.pk).update(email="reset-me@example.com")

    for base in (first, second, first):
        assert _reset(base, "reset-me@example.com").status_code == 302
    assert _reset(second, "reset-me@example.com").status_code == 429
    assert _reset(first, "reset-me@example.com").status_code == 429
