"""One way for every page to answer NotFound, Forbidden and stray InvalidInput.

A missing row and a hidden one must be indistinguishable, so the 404 page never says what was
asked for: it is the same bytes for both (and for URLs that match nothing, see 404.html).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parley.core.errors import Forbidden, InvalidInput, NotFound

View = Callable[..., HttpResponse]


def not_found(request: HttpRequest) -> HttpResponse:
    """Return the one 404 page, identical whatever was missing or hidden."""
    return render(request, "web/errors/404.html", status=404)


def forbidden(request: HttpRequest, error: Forbidden) -> HttpResponse:
    """Return the 403 page with the action's message (the viewer can see the row already)."""
    return render(request, "web/errors/403.html", {"message": str(error)}, status=403)


def invalid(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    """Return the 400 page listing each field's messages, as the action wrote them."""
    return render(request, "web/errors/400.html", {"errors": error.errors}, status=400)


def answers_errors(view: View) -> View:
    """Wrap *view* so Parley's errors become the same pages everywhere."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return not_found(request)
        except Forbidden as error:
            return forbidden(request, error)
        except InvalidInput as error:
            return invalid(request, error)

    return wrapper
