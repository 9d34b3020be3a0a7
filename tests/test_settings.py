"""Settings come from the environment; production refuses to start without a secret."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env) -> subprocess.CompletedProcess:
    unset = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, settings.ALLOWED_HOSTS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_secret_key_and_postgres_url():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db.example:5432/loam",
        ALLOWED_HOSTS="loam.example.org, api.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 2) == [
        "django.db.backends.postgresql",
        "False",
        "['loam.example.org', 'api.example.org']\n",
    ]


def test_embedded_postgres_is_the_default():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("config.embedded_postgres True")


def test_a_database_url_must_name_postgres():
    result = load_settings(DATABASE_URL="mysql://u:p@db.example:3306/loam")
    assert result.returncode != 0
    assert "Loam runs on PostgreSQL only" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_is_a_clear_error(value):
    result = load_settings(DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def readme_production_environment() -> dict:
    """The variables the README's Production section exports (its secret generated)."""
    section = (ROOT / "README.md").read_text().split("### Production", 1)[1]
    commands = section.split("```bash", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    exports = next(line for line in commands.splitlines() if line.startswith("export "))
    env = dict(re.findall(r'([A-Z_]+)=("[^"]*"|\S+)', exports))
    assert env.pop("SECRET_KEY") == '"$(openssl rand -hex 32)"'
    return {**env, "SECRET_KEY": secrets.token_hex(32)}


def test_check_deploy_passes_with_the_readme_production_environment():
    env = readme_production_environment()
    assert env["DEBUG"] == "false" and "DATABASE_URL" in env
    # (The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; no deployment would.)
    unset = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _mail_backend(**env) -> str:
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_a_mail_server_password_resets_go_to_the_console():
    assert _mail_backend() == "django.core.mail.backends.console.EmailBackend  587"


def test_email_host_turns_on_smtp():
    backend = _mail_backend(EMAIL_HOST="smtp.example.org", EMAIL_PORT="2525")
    assert backend == "django.core.mail.backends.smtp.EmailBackend smtp.example.org 2525"
