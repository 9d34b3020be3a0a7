import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(world, api_key_for):
    """api(user) → an APIClient that sends that user's X-Argilla-Api-Key; api(None) sends none."""

    def client_for(user, key=None):
        client = APIClient()
        if user is not None or key is not None:
            client.credentials(HTTP_X_ARGILLA_API_KEY=key or api_key_for(user))
        return client

    return client_for
