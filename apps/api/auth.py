"""`X-Argilla-Api-Key` authentication: the header both argilla SDKs send.

Failed attempts (a bad key, or no credentials where they are needed) count against the
client IP's `bad_key` limit (`throttling`); over it, such requests get 429 instead of 401.
A valid key always passes: keys are long random strings, so the limit protects the server
from floods, and one broken script cannot lock out its office's other users.
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from apps.accounts.models import ApiKey
from apps.api import throttling

API_KEY_HEADER = "X-Argilla-Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """A present but unknown key is a 401; an absent key lets session auth try."""

    def authenticate(self, request):
        key = request.headers.get(API_KEY_HEADER)
        if key is None:
            if not request._request.user.is_authenticated:  # no session either
                throttling.refuse_if_over_bad_key_limit(request)
            return None
        user = ApiKey.find_user(key.strip())
        if user is None:
            throttling.refuse_if_over_bad_key_limit(request)
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        request.api_key = key.strip()
        return (user, key)

    def authenticate_header(self, request):
        # DRF asks for this header exactly when it answers 401: a failed attempt, bad key
        # or none. (It also makes DRF answer 401, not 403, when no credentials were sent.)
        throttling.count_bad_key(request)
        return API_KEY_HEADER


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}
