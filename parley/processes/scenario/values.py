"""Check one value of a scenario file against the model field it fills.

The model field's own ``clean`` gives the messages (unknown choice, bad date, too long), so a
file is told exactly what the web form and the API would say.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

_JSON_TYPES = (str, int, float, bool, list, dict)


def is_required(field: models.Field[Any, Any]) -> bool:
    """Return whether an item must give *field*: it has no default and may not be empty."""
    return not (field.blank or field.null or field.has_default())


def value_problem(field: models.Field[Any, Any], value: Any) -> str | None:
    """Return what is wrong with *value* for the model *field*, or None if nothing is."""
    wrong = _type_problem(field, value)
    if wrong is not None or field.is_relation or value is None:
        return wrong
    try:
        field.clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _type_problem(field: models.Field[Any, Any], value: Any) -> str | None:
    expected, types = _expected(field)
    if value is None:
        return None if field.null else f"expected {expected}, got nothing (null)"
    if field.many_to_many and isinstance(value, list):
        keys = all(isinstance(item, str) for item in value)
        return None if keys else f"expected {expected}, got a list holding something else"
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        hint = " (put it in quotes)" if expected == "text" and _is_scalar(value) else ""
        return f"expected {expected}, got {described(value)}{hint}"
    return None


def _expected(field: models.Field[Any, Any]) -> tuple[str, tuple[type, ...]]:
    """Return how to describe what *field* takes, and the Python types that say it."""
    if field.many_to_many:
        return "a list of keys", (list,)
    if field.is_relation:
        return "a key", (str,)
    if isinstance(field, models.BooleanField):
        return "true or false", (bool,)
    if isinstance(field, models.IntegerField):
        return "a whole number", (int,)
    if isinstance(field, models.JSONField):
        return "a JSON value", _JSON_TYPES
    return "text", (str,)


def described(value: Any) -> str:
    """Return *value* as a problem message names it: "the number 2015", "a list"…"""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else type(value).__name__


def _is_scalar(value: Any) -> bool:
    return isinstance(value, bool | int | float)
