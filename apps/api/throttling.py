"""The API's rate limits, counted in Django's shared cache (settings: CACHES), so they hold
across web processes.

* `bad_key`: requests with a bad or missing API key, per client IP
  (LOAM_API_BAD_KEY_RATE); `auth.ApiKeyAuthentication` counts them.
* `user`: every authenticated request, per user (LOAM_API_USER_RATE): a generous budget a
  bulk SDK upload never reaches, against runaway scripts.

Over a limit the answer is 429 with `Retry-After` and a body naming the limit:
`{"detail": {"code": "loam.api.errors::TooManyRequests", "message": ..., "params":
{"limit": ..., "rate": ..., "retry_after": seconds}}}`. Both limits are sliding windows of
request times (DRF's `SimpleRateThrottle`); the cache's read-then-write is not atomic, so two
processes counting the same instant may each count one request: the limits err on the
generous side, never the strict one.
"""

import math
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework import exceptions, throttling

BAD_KEY = "bad_key"
USER = "user"


class LimitExceeded(exceptions.Throttled):
    """429 naming the limit; DRF's handler adds `Retry-After` from `wait`."""

    def __init__(self, *, limit: str, rate: str, wait: float):
        super().__init__(wait=max(1, math.ceil(wait)))
        self.detail = {
            "detail": {
                "code": "loam.api.errors::TooManyRequests",
                "message": _(
                    "Too many requests: the %(limit)s limit is %(rate)s. "
                    "Try again in %(wait)d seconds."
                )
                % {"limit": limit, "rate": rate, "wait": self.wait},
                "params": {"limit": limit, "rate": rate, "retry_after": self.wait},
            }
        }


def client_ip(request) -> str:
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT), so sign-in and
    API limits agree on who the client is behind a proxy."""
    return get_adapter().get_client_ip(request) or "unknown"


def parse_rate(rate: str) -> tuple[int, int]:
    """DRF's rate format: "60/minute" (second, minute, hour, day; first letter is enough)."""
    amount, period = rate.split("/")
    return int(amount), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0]]


class SlidingWindow:
    """Request times under one cache key, the newest first."""

    def __init__(self, key: str, rate: str):
        self.key, self.rate = key, rate
        self.amount, self.duration = parse_rate(rate)

    def _history(self, now: float) -> list[float]:
        return [t for t in cache.get(self.key, []) if t > now - self.duration]

    def wait(self) -> float | None:
        """Seconds until one more request is allowed, or None when it is now."""
        now = time.time()
        history = self._history(now)
        if len(history) < self.amount:
            return None
        return history[self.amount - 1] + self.duration - now

    def record(self) -> None:
        now = time.time()
        cache.set(self.key, [now, *self._history(now)][: self.amount], self.duration)


def bad_key_window(request) -> SlidingWindow:
    return SlidingWindow(f"loam:rl:{BAD_KEY}:{client_ip(request)}", settings.LOAM_API_BAD_KEY_RATE)


def refuse_if_over_bad_key_limit(request) -> None:
    window = bad_key_window(request)
    wait = window.wait()
    if wait is not None:
        raise LimitExceeded(limit=BAD_KEY, rate=window.rate, wait=wait)


def count_bad_key(request) -> None:
    bad_key_window(request).record()


class UserBudget(throttling.UserRateThrottle):
    """Per-user budget of authenticated requests; anonymous requests are `bad_key`'s."""

    scope = USER

    def get_rate(self):
        return settings.LOAM_API_USER_RATE  # read per request: tests and operators may change it

    def allow_request(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return True
        if super().allow_request(request, view):
            return True
        raise LimitExceeded(limit=USER, rate=self.rate, wait=self.wait() or 1)
