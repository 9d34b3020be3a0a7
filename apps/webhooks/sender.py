"""One signed POST to a vetted address: no redirects followed, a timeout on every step.

http.client rather than a client library: it never follows redirects, and the connection
can be opened to the address `targets.check` vetted while TLS still verifies the host name.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings

from apps.webhooks import signing, targets

TIMEOUT_SECONDS = 10


@dataclass
class Outcome:
    status: int | None  # the receiver's HTTP status, None when there was no answer
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        """Network errors, 5xx and 429 are worth another try; other answers are final."""
        return self.status is None or self.status >= 500 or self.status == 429


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: targets.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: targets.Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(*, url: str, secret: str, msg_id: str, body: bytes, timeout=TIMEOUT_SECONDS) -> Outcome:
    """POST `body` signed for `msg_id`; the target is checked (DNS included) right before."""
    try:
        target = targets.check(url)
    except targets.UnsafeTarget as error:
        return Outcome(None, str(error))
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"Loam/{settings.LOAM_VERSION}",
        **signing.headers(secret, msg_id, int(time.time()), body),
    }
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # a little of the answer, so the connection closes cleanly
        reason = "" if 200 <= response.status < 300 else f"{response.status} {response.reason}"
        return Outcome(response.status, reason)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(None, f"{type(error).__name__}: {error}"[:500])
    finally:
        connection.close()
