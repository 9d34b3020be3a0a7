"""The signed-in user's chosen language wins over the browser's Accept-Language."""

from django.utils import translation


class UserLanguageMiddleware:
    """Runs after authentication: LocaleMiddleware runs before it and cannot see the user.

    LocaleMiddleware's response half still sets Content-Language from the active language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
