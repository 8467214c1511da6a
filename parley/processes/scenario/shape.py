"""The shape of a scenario file: its format tag, its sections and the order of their fields."""

from __future__ import annotations

from parley.processes.kinds import KINDS, RecordKind

FORMAT = "parley-scenario/1"
CITATION_FIELDS = ("target", "source", "field", "quote", "locator")
SECTIONS = ("format", "process", *KINDS, "citations")


def item_fields(kind: RecordKind) -> tuple[str, ...]:
    """Return the fields of a *kind* item in the order export writes them: the key first."""
    return ("key", *(name for name in kind.editable_fields if name != "key"))
