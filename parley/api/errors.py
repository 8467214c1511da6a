"""Turn Parley's errors into HTTP answers with one JSON shape per kind of failure.

- NotFound -> 404 ``{"detail": "No such round."}``: the same bytes for a missing and a hidden row.
- Forbidden -> 403 ``{"detail": message}``: the caller may see the row but not do this.
- InvalidInput and malformed bodies -> 422 ``{"errors": {field: [messages]}}``.
- Conflict -> 409 ``{"detail", "yours", "current", "revision"}``: someone saved the row since the
  caller's revision; both texts come back, and the revision to save from after merging them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from parley.core.errors import Conflict, Forbidden, InvalidInput, NotFound

# Pydantic's wording where the actions or Django's forms already say it another way.
_MESSAGES = {
    "extra_forbidden": "Unknown field.",
    "missing": "This field is required.",
}


def conflict_body(error: Conflict) -> dict[str, Any]:
    """Return what a 409 says: both texts and the revision to start from."""
    return {
        "detail": str(error),
        "yours": error.yours,
        "current": error.current,
        "revision": error.revision,
    }


_ANSWERS: list[tuple[type[Exception], int, Callable[[Any], dict[str, Any]]]] = [
    (NotFound, 404, lambda error: {"detail": str(error)}),
    (Forbidden, 403, lambda error: {"detail": str(error)}),
    (InvalidInput, 422, lambda error: {"errors": error.errors}),
    (ValidationError, 422, lambda error: {"errors": field_errors(error.errors)}),
    (Conflict, 409, conflict_body),
]


def install(api: NinjaAPI) -> None:
    """Register the handlers on *api*."""
    for error_class, status, body in _ANSWERS:
        api.add_exception_handler(error_class, _handler(api, status, body))


def _handler(
    api: NinjaAPI, status: int, body: Callable[[Any], dict[str, Any]]
) -> Callable[[HttpRequest, Any], HttpResponse]:
    def handle(request: HttpRequest, error: Any) -> HttpResponse:
        return api.create_response(request, body(error), status=status)

    return handle


def field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Return Ninja's validation errors as {field: [messages]}, like InvalidInput's."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        message = _MESSAGES.get(error["type"], error["msg"])
        by_field.setdefault(_field_of(error["loc"]), []).append(message)
    return by_field


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """Return the top-level field an error location points at.

    Ninja prefixes body errors with ("body", <parameter>); a path or query error names the
    parameter itself; an error about the whole body is not about any one field.
    """
    if loc and loc[0] == "body":
        return str(loc[2]) if len(loc) > 2 else NON_FIELD_ERRORS
    return str(loc[-1]) if loc else NON_FIELD_ERRORS
