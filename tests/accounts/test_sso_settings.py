"""The SSO environment (config/sso.py): what an operator writes becomes allauth's settings;
anything malformed stops Loam with an error naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config import sso

ROOT = Path(__file__).resolve().parents[2]

KEYCLOAK = {
    "id": "keycloak",
    "name": "Acme Keycloak",
    "server_url": "https://sso.acme.example/realms/acme/",
    "client_id": "loam",
    "secret": "s3cret",
}


def providers(*entries) -> dict:
    return {"LOAM_OIDC_PROVIDERS": json.dumps(list(entries))}


def test_nothing_set_means_passwords_only():
    parsed = sso.from_environ({})

    assert parsed == sso.SsoSettings()
    assert parsed.providers == {} and parsed.password_login and not parsed.open_signup


def test_an_oidc_provider_becomes_an_allauth_app():
    parsed = sso.from_environ(providers(KEYCLOAK))

    assert parsed.providers == {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "keycloak",
                    "name": "Acme Keycloak",
                    "client_id": "loam",
                    "secret": "s3cret",
                    "settings": {
                        "server_url": "https://sso.acme.example/realms/acme",
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    }


def test_several_providers_and_github():
    okta = {**KEYCLOAK, "id": "okta", "name": "Okta", "pkce": False}
    parsed = sso.from_environ(
        {
            **providers(KEYCLOAK, okta),
            "LOAM_GITHUB_CLIENT_ID": "gh-id",
            "LOAM_GITHUB_CLIENT_SECRET": "gh-secret",
        }
    )

    apps = parsed.providers["openid_connect"]["APPS"]
    assert [app["provider_id"] for app in apps] == ["keycloak", "okta"]
    assert apps[1]["settings"]["oauth_pkce_enabled"] is False
    assert parsed.providers["github"] == {
        "APPS": [{"client_id": "gh-id", "secret": "gh-secret"}],
        "SCOPE": ["read:user", "user:email"],
    }


def test_the_policy_variables():
    parsed = sso.from_environ(
        {
            **providers(KEYCLOAK),
            "LOAM_PASSWORD_LOGIN": "0",
            "LOAM_SSO_OPEN_SIGNUP": "true",
            "LOAM_SSO_SIGNUP_WORKSPACES": " annotators, team_b ,",
        }
    )

    assert parsed.password_login is False
    assert parsed.open_signup is True
    assert parsed.signup_workspaces == ("annotators", "team_b")


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LOAM_OIDC_PROVIDERS": "[{'id': 'x'}]"}, "LOAM_OIDC_PROVIDERS is not valid JSON"),
        ({"LOAM_OIDC_PROVIDERS": json.dumps(KEYCLOAK)}, "LOAM_OIDC_PROVIDERS must be a JSON list"),
        (providers("keycloak"), "LOAM_OIDC_PROVIDERS[0] must be an object"),
        (
            providers({k: v for k, v in KEYCLOAK.items() if k != "secret"}),
            "LOAM_OIDC_PROVIDERS[0] lacks secret",
        ),
        (
            providers(KEYCLOAK, {**KEYCLOAK, "id": "b", "client-id": "x"}),
            "LOAM_OIDC_PROVIDERS[1] has unknown keys client-id",
        ),
        (providers({**KEYCLOAK, "name": " "}), "LOAM_OIDC_PROVIDERS[0].name must be a non-empty"),
        (providers({**KEYCLOAK, "client_id": 7}), "LOAM_OIDC_PROVIDERS[0].client_id must be"),
        (providers({**KEYCLOAK, "id": "Key Cloak"}), "LOAM_OIDC_PROVIDERS[0].id 'Key Cloak'"),
        (providers({**KEYCLOAK, "id": "github"}), "LOAM_OIDC_PROVIDERS[0].id 'github'"),
        (
            providers({**KEYCLOAK, "server_url": "sso.acme.example"}),
            "LOAM_OIDC_PROVIDERS[0].server_url must be the issuer's http(s) URL",
        ),
        (
            providers({**KEYCLOAK, "pkce": "no"}),
            "LOAM_OIDC_PROVIDERS[0].pkce must be true or false",
        ),
        (providers(KEYCLOAK, KEYCLOAK), "LOAM_OIDC_PROVIDERS repeats the id keycloak"),
        ({"LOAM_GITHUB_CLIENT_ID": "gh-id"}, "LOAM_GITHUB_CLIENT_SECRET must be set too"),
        ({"LOAM_GITHUB_CLIENT_SECRET": "gh"}, "LOAM_GITHUB_CLIENT_ID must be set too"),
        ({"LOAM_PASSWORD_LOGIN": "0"}, "LOAM_PASSWORD_LOGIN=0 needs a provider"),
        ({"LOAM_PASSWORD_LOGIN": "maybe"}, "LOAM_PASSWORD_LOGIN must be a boolean"),
        ({"LOAM_SSO_OPEN_SIGNUP": "sure"}, "LOAM_SSO_OPEN_SIGNUP must be a boolean"),
        (
            {"LOAM_SSO_SIGNUP_WORKSPACES": "team a"},
            "LOAM_SSO_SIGNUP_WORKSPACES: 'team a' is not a workspace name",
        ),
    ],
)
def test_a_malformed_value_names_the_variable(environ, message):
    with pytest.raises(ImproperlyConfigured) as error:
        sso.from_environ(environ)

    assert str(error.value).startswith(message), str(error.value)


def start_django(**env) -> subprocess.CompletedProcess:
    """Load Loam's settings in a fresh process with `env`; print what SSO made of it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOAM_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SOCIALACCOUNT_ONLY, settings.LOAM_SSO_OPEN_SIGNUP, "
        "settings.LOAM_SSO_SIGNUP_WORKSPACES, sorted(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_loam_refuses_to_start_with_a_malformed_provider_list():
    result = start_django(LOAM_OIDC_PROVIDERS="[{")

    assert result.returncode != 0
    assert "ImproperlyConfigured: LOAM_OIDC_PROVIDERS is not valid JSON" in result.stderr


def test_settings_carry_the_environment():
    result = start_django(
        **providers(KEYCLOAK),
        LOAM_GITHUB_CLIENT_ID="gh-id",
        LOAM_GITHUB_CLIENT_SECRET="gh-secret",
        LOAM_PASSWORD_LOGIN="0",
        LOAM_SSO_OPEN_SIGNUP="1",
        LOAM_SSO_SIGNUP_WORKSPACES="annotators",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "True True ['annotators'] ['github', 'openid_connect']\n"


def test_the_readme_example_is_a_valid_configuration():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## SSO") : readme.index("## Configuration")]
    line = next(row for row in section.splitlines() if row.startswith("export LOAM_OIDC_"))
    value = line.split("=", 1)[1].strip("'")

    app = sso.from_environ({"LOAM_OIDC_PROVIDERS": value}).providers["openid_connect"]["APPS"][0]

    callback = f"/accounts/oidc/{app['provider_id']}/login/callback/"
    assert f"https://loam.example.org{callback}" in section
    assert reverse("openid_connect_callback", kwargs={"provider_id": "keycloak"}) == callback
