"""The shape of a scenario file: its format tag, its sections and the order of their fields."""

from __future__ import annotations

from django.db import models

from parley.processes.kinds import KINDS, RecordKind

FORMAT = "parley-scenario/1"
CITATION_FIELDS = ("target", "source", "field", "quote", "locator")
SECTIONS = ("format", "process", *KINDS, "citations")


def item_fields(kind: RecordKind) -> tuple[str, ...]:
    """Return the fields of a *kind* item in the order export writes them: the key first."""
    return ("key", *(name for name in kind.editable_fields if name != "key"))


def references(kind: RecordKind) -> dict[str, type[models.Model]]:
    """Return *kind*'s fields that name one row by key, with the model they name.

    ``audience`` names many actors and is handled on its own.
    """
    return {name: model for name, model in kind.reference_fields().items() if name != "audience"}
