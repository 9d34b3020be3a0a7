"""Webhook fixtures: a receiver on 127.0.0.1 (allowed by LOAM_WEBHOOK_ALLOWED_HOSTS), webhooks,
and API clients."""

import pytest

from apps.webhooks import services
from tests.webhooks.receiver import Receiver


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
