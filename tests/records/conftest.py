from tests.api.conftest import api as api  # the API client fixture, for search tests
