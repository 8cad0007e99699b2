"""Language choice: Chinese unless the user picked English (browser UI), or the caller asked (API).

Django's LocaleMiddleware follows the browser's Accept-Language, so a bank PC with an English
Windows would get English. The UI instead follows only the user's own choice (the language cookie
set by the switcher) and defaults to Chinese; API clients state their language per request.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
