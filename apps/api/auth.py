"""`X-Argilla-Api-Key` authentication: the header both argilla SDKs send."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from apps.accounts.models import ApiKey

API_KEY_HEADER = "X-Argilla-Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A present but unknown key is a 401; an absent key lets session auth try."""

    def authenticate(self, request):
        key = request.headers.get(API_KEY_HEADER)
        if key is None:
            return None
        user = ApiKey.find_user(key.strip())
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        request.api_key = key.strip()
        return (user, key)

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when no credentials were sent.
        return API_KEY_HEADER


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}
