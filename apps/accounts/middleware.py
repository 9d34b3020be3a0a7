"""The signed-in user's chosen language wins over the browser's Accept-Language."""

from django.utils import translation


class UserLanguageMiddleware:
    """Runs after authentication: LocaleMiddleware runs before it and cannot see the user.

    The language is active for this request only (the thread goes back to what it had),
    and the response says which one it speaks (LocaleMiddleware keeps that header).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not (user.is_authenticated and user.language):
            return self.get_response(request)
        with translation.override(user.language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
