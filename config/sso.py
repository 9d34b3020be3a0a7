"""Single sign-on from the environment: which identity providers, who may come in through
them, and whether local passwords still work. `config/settings.py` reads `from_environ()`;
the README's "SSO" section documents every variable.

    LOAM_OIDC_PROVIDERS          JSON list of OpenID Connect providers, each
                                 {"id", "name", "server_url", "client_id", "secret"} and
                                 optionally "pkce" (default true); callback URL:
                                 /accounts/oidc/<id>/login/callback/
    LOAM_GITHUB_CLIENT_ID        GitHub OAuth app (both or neither); callback URL:
    LOAM_GITHUB_CLIENT_SECRET    /accounts/github/login/callback/
    LOAM_SSO_OPEN_SIGNUP         1: someone with no Loam account becomes an annotator
                                 (default 0: only people an admin created, matched by e-mail)
    LOAM_SSO_SIGNUP_WORKSPACES   comma-separated workspaces such newcomers join
    LOAM_PASSWORD_LOGIN          0: the login page offers only the providers

Anything malformed raises ImproperlyConfigured naming the variable, so Loam refuses to
start rather than showing a login button that cannot work.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

OIDC_VAR = "LOAM_OIDC_PROVIDERS"
# The id is part of the callback URL and allauth's provider id.
PROVIDER_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
# Workspace names as Argilla's SDKs parse them (apps.workspaces.models).
WORKSPACE_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
REQUIRED_KEYS = ("id", "name", "server_url", "client_id", "secret")
OPTIONAL_KEYS = ("pkce",)
# allauth's own provider ids: an OpenID Connect provider may not take one.
RESERVED_IDS = {"github", "openid_connect"}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SsoSettings:
    # SOCIALACCOUNT_PROVIDERS for allauth: {"openid_connect": {"APPS": [...]}, "github": …}.
    providers: dict = field(default_factory=dict)
    password_login: bool = True
    open_signup: bool = False
    signup_workspaces: tuple[str, ...] = ()


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def _oidc_app(index: int, entry) -> dict:
    where = f"{OIDC_VAR}[{index}]"
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"{where} must be an object with {', '.join(REQUIRED_KEYS)}")
    missing = [key for key in REQUIRED_KEYS if key not in entry]
    if missing:
        raise ImproperlyConfigured(f"{where} lacks {', '.join(missing)}")
    unknown = sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise ImproperlyConfigured(
            f"{where} has unknown keys {', '.join(unknown)} "
            f"(allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})"
        )
    for key in REQUIRED_KEYS:
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise ImproperlyConfigured(f"{where}.{key} must be a non-empty string")
    provider_id = entry["id"]
    if not PROVIDER_ID_RE.match(provider_id) or provider_id in RESERVED_IDS:
        raise ImproperlyConfigured(
            f"{where}.id {provider_id!r} must be lower-case letters, digits, '-' and '_' "
            f"(at most 50, not {' or '.join(sorted(RESERVED_IDS))}): it becomes the "
            "callback URL /accounts/oidc/<id>/login/callback/"
        )
    url = urlsplit(entry["server_url"])
    if url.scheme not in ("https", "http") or not url.netloc:
        raise ImproperlyConfigured(
            f"{where}.server_url must be the issuer's http(s) URL, got {entry['server_url']!r}"
        )
    pkce = entry.get("pkce", True)
    if not isinstance(pkce, bool):
        raise ImproperlyConfigured(f"{where}.pkce must be true or false")
    return {
        "provider_id": provider_id,
        "name": entry["name"].strip(),
        "client_id": entry["client_id"].strip(),
        "secret": entry["secret"],
        "settings": {
            "server_url": entry["server_url"].strip().rstrip("/"),
            "oauth_pkce_enabled": pkce,
        },
    }


def oidc_apps(raw: str | None) -> list[dict]:
    """The allauth apps `LOAM_OIDC_PROVIDERS` describes (none when unset or blank)."""
    if raw is None or not raw.strip():
        return []
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{OIDC_VAR} is not valid JSON: {error}") from None
    if not isinstance(entries, list):
        raise ImproperlyConfigured(f"{OIDC_VAR} must be a JSON list of provider objects")
    apps = [_oidc_app(index, entry) for index, entry in enumerate(entries)]
    ids = [app["provider_id"] for app in apps]
    duplicates = sorted({provider_id for provider_id in ids if ids.count(provider_id) > 1})
    if duplicates:
        raise ImproperlyConfigured(f"{OIDC_VAR} repeats the id {', '.join(duplicates)}")
    return apps


def github_app(environ: Mapping[str, str]) -> dict | None:
    client_id = environ.get("LOAM_GITHUB_CLIENT_ID", "").strip()
    secret = environ.get("LOAM_GITHUB_CLIENT_SECRET", "").strip()
    if bool(client_id) != bool(secret):
        missing = "LOAM_GITHUB_CLIENT_SECRET" if client_id else "LOAM_GITHUB_CLIENT_ID"
        raise ImproperlyConfigured(f"{missing} must be set too: GitHub needs both")
    if not client_id:
        return None
    return {"client_id": client_id, "secret": secret}


def signup_workspaces(raw: str | None) -> tuple[str, ...]:
    names = tuple(name.strip() for name in (raw or "").split(",") if name.strip())
    for name in names:
        if not WORKSPACE_RE.match(name) or len(name) > 200:
            raise ImproperlyConfigured(
                f"LOAM_SSO_SIGNUP_WORKSPACES: {name!r} is not a workspace name "
                "(letters, digits, '-' and '_')"
            )
    return names


def from_environ(environ: Mapping[str, str]) -> SsoSettings:
    providers = {}
    if apps := oidc_apps(environ.get(OIDC_VAR)):
        providers["openid_connect"] = {"APPS": apps}
    if github := github_app(environ):
        # user:email: GitHub then tells which of the person's addresses are verified.
        providers["github"] = {"APPS": [github], "SCOPE": ["read:user", "user:email"]}
    password_login = _bool(environ, "LOAM_PASSWORD_LOGIN", True)
    if not password_login and not providers:
        raise ImproperlyConfigured(
            "LOAM_PASSWORD_LOGIN=0 needs a provider (LOAM_OIDC_PROVIDERS or "
            "LOAM_GITHUB_CLIENT_ID): nobody could sign in"
        )
    return SsoSettings(
        providers=providers,
        password_login=password_login,
        open_signup=_bool(environ, "LOAM_SSO_OPEN_SIGNUP", False),
        signup_workspaces=signup_workspaces(environ.get("LOAM_SSO_SIGNUP_WORKSPACES")),
    )
