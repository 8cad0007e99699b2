"""API authentication: bearer tokens for systems, the session (with CSRF) for the browser."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from arrears.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            # A presented token that fails is refused outright, never retried as the session.
            raise AuthenticationError()
        user = found.user
        # The token acts with the role it was issued for; the copy in memory is never saved.
        user.role = found.role
        request.user = user
        request.api_token = found
        return user


class SessionAuth(APIKeyCookie):
    """The browser's logged-in session; ninja checks the CSRF token for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
