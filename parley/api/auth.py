"""Who is calling: the Django session, the same one the web pages use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth as NinjaSessionAuth


class SessionAuth(NinjaSessionAuth):
    """Accept a signed-in session; check its CSRF token on every request it guards.

    Ninja checks CSRF before it looks at the user, so an anonymous write without a token would
    read "CSRF check Failed" (403). A caller without a session has nothing to forge, so it is
    told it is not signed in (401) instead, and only sessions go through the CSRF check.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = SessionAuth(csrf=True)
