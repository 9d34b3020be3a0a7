"""Who is acting, and through which face: set per request by `AuditContextMiddleware`, read
when a signal is turned into an entry.

The request itself is held, not its user: the API authenticates by key inside the view
(DRF sets `request.user` then), after the middleware ran. Outside a request (a management
command, the worker, a shell) the face is `command` and nobody in particular acts, unless
`acting()` says who.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from django.urls import reverse

from apps.audit.models import Face

API_PREFIX = "/api/"  # config/urls.py: the API's root


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")


@dataclass(frozen=True)
class Who:
    face: str
    user: object = None  # a User, or None
    ip: str | None = None


_request: ContextVar = ContextVar("audit_request", default=None)
_acting: ContextVar = ContextVar("audit_acting", default=None)


def face_of(path: str) -> str:
    if path.startswith(API_PREFIX):
        return Face.API
    if path.startswith(_admin_prefix()):
        return Face.ADMIN
    return Face.WEB


def who_of(request) -> Who:
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return Who(
        face=face_of(request.path_info),
        user=user if authenticated else None,
        ip=request.META.get("REMOTE_ADDR") or None,
    )


def current() -> Who:
    """Who acts now: `acting()` first, then the request being served, else a command."""
    acting = _acting.get()
    if acting is not None:
        return acting
    request = _request.get()
    if request is not None:
        return who_of(request)
    return Who(face=Face.COMMAND)


@contextmanager
def serving(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting(*, user=None, face: str = Face.COMMAND, ip: str | None = None):
    """Attribute what happens inside to `user` through `face` (a command acting for someone)."""
    token = _acting.set(Who(face=face, user=user, ip=ip))
    try:
        yield
    finally:
        _acting.reset(token)
