"""Model fields shared by every context."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from parley.core.dates import PartialDate, PartialDateError


def validate_partial_date(value: str) -> None:
    """Reject anything that is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    try:
        PartialDate.parse(value)
    except PartialDateError as error:
        raise ValidationError(str(error)) from None


class PartialDateField(models.CharField):  # type: ignore[type-arg]
    """A date known to the year, month or day, stored as its ISO prefix (sorts correctly)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("help_text", "YYYY, YYYY-MM or YYYY-MM-DD: only what is known")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs
