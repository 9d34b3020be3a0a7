"""Starts the real OpenID Connect provider (tests/oidc/server.js: panva's oidc-provider on
node) for a test, and points Loam's settings at it through config/sso.py, the way an
operator's LOAM_OIDC_PROVIDERS would.

Skips where node or the provider's packages are missing (`make install-oidc`); with
LOAM_REQUIRE_OIDC set (CI) it fails instead.
"""

import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from config import sso

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.js"
CLIENT_ID = "loam-tests"
CLIENT_SECRET = "a-client-secret-for-tests-only"
STARTUP_SECONDS = 20


@dataclass(frozen=True)
class Provider:
    issuer: str
    provider_id: str
    name: str

    def environ(self) -> dict[str, str]:
        """The environment an operator would set for this provider (README's example)."""
        entry = {
            "id": self.provider_id,
            "name": self.name,
            "server_url": self.issuer,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
        }
        return {"LOAM_OIDC_PROVIDERS": json.dumps([entry])}

    def use(self, settings, **environ: str) -> None:
        """Configure `settings` (pytest-django's fixture) as Loam would start with this
        provider and `environ`'s policy variables."""
        parsed = sso.from_environ({**self.environ(), **environ})
        settings.SOCIALACCOUNT_PROVIDERS = parsed.providers
        settings.SOCIALACCOUNT_ONLY = not parsed.password_login
        settings.LOAM_SSO_OPEN_SIGNUP = parsed.open_signup
        settings.LOAM_SSO_SIGNUP_WORKSPACES = list(parsed.signup_workspaces)


def _unavailable(reason: str):
    if os.environ.get("LOAM_REQUIRE_OIDC"):
        pytest.fail(f"{reason}, and LOAM_REQUIRE_OIDC is set")
    pytest.skip(reason)


def callback_url(base_url: str, provider_id: str) -> str:
    return f"{base_url}/accounts/oidc/{provider_id}/login/callback/"


@contextmanager
def running_provider(redirect_uris: list[str], provider_id: str, name: str = "Test IdP"):
    node = shutil.which(os.environ.get("LOAM_NODE", "node"))
    if node is None:
        _unavailable("node is not installed (apt-get install nodejs)")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        _unavailable("the test OIDC provider's packages are missing (make install-oidc)")
    clients = [
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}
    ]
    process = subprocess.Popen(
        [node, str(SERVER)],
        cwd=HERE,
        env={**os.environ, "LOAM_OIDC_CLIENTS": json.dumps(clients)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        # The server prints its issuer once it listens (or exits, closing stdout).
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the OIDC provider exited with {process.wait(STARTUP_SECONDS)}")
        yield Provider(issuer=json.loads(line)["issuer"], provider_id=provider_id, name=name)
    finally:
        process.stdin.close()  # the server stops when its stdin closes
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sign_in(client, provider: Provider, email: str, *, next_url: str | None = None):
    """Sign in through `provider` as `email` with Django's test client on Loam's side and
    plain HTTP on the provider's (its login page, the redirects): the real protocol, the
    real provider, no browser. Returns Loam's answer to the provider's callback."""
    import requests

    start = f"/accounts/oidc/{provider.provider_id}/login/"
    answer = client.post(start + (f"?next={next_url}" if next_url else ""))
    assert answer.status_code == 302, answer
    at_provider = requests.Session()
    page = at_provider.get(answer.url, timeout=10)
    assert page.status_code == 200 and "/login" in page.text, page.text
    action = page.url.rstrip("/") + "/login"
    location = at_provider.post(action, data={"email": email}, allow_redirects=False, timeout=10)
    # The provider resumes the authorization, then sends the browser back to Loam.
    for _hop in range(5):
        url = location.headers["Location"]
        if url.startswith("http://testserver/"):
            return client.get(url.removeprefix("http://testserver"))
        location = at_provider.get(
            requests.compat.urljoin(location.url, url), allow_redirects=False, timeout=10
        )
    raise AssertionError(f"the provider never sent the browser back to Loam: {location.text}")
