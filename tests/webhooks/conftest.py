"""Webhook fixtures: a real HTTP receiver on 127.0.0.1 (allowed by LOAM_WEBHOOK_ALLOWED_HOSTS)
that records what it gets and answers with the statuses it is told to."""

import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.webhooks import services


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []  # {"path", "headers", "body"}
        self.answers: deque = deque()  # statuses (or (status, headers)) for the next requests
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                answer = receiver.answers.popleft() if receiver.answers else 200
                status, headers = answer if isinstance(answer, tuple) else (answer, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def allow_loopback(settings):
    settings.LOAM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def receiver(allow_loopback):
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def make_webhook(db, allow_loopback):
    def make(url, events=("dataset.created",), **changes):
        webhook = services.create_webhook(url=url, events=list(events))
        if changes:
            services.update_webhook(webhook=webhook, **changes)
        return webhook

    return make


@pytest.fixture
def api(world, api_key_for):
    """api(user) → an APIClient sending that user's X-Argilla-Api-Key; api(None) sends none."""
    from rest_framework.test import APIClient

    def client_for(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_X_ARGILLA_API_KEY=api_key_for(user))
        return client

    return client_for
