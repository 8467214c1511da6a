"""Response headers that keep confidential pages out of shared caches."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class NoStoreForSignedInMiddleware:
    """Mark every response to a signed-in user as uncacheable and varying by cookie.

    What a signed-in user sees depends on their roles, so no proxy may keep it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] += ", no-store"
        patch_vary_headers(response, ["Cookie"])
        return response
