"""Hide references to rows a viewer may not read.

A row the viewer may read can point at one it may not (a public round at a confidential
venue). Read paths pass rows through ``ReadScope.redact`` so such a reference reads as None;
templates and serializers then show "not disclosed" and never the hidden row's name or key.
Redacted rows are marked read-only, so a redacted copy can never be saved by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models

from parley.core.visibility import Viewer
from parley.processes.models import Process, ProcessRecord
from parley.processes.permissions import visible

R = TypeVar("R", bound=models.Model)


class ReadScope:
    """One viewer's reads in one process, remembering which rows of each model it may see."""

    def __init__(self, viewer: Viewer, process: Process) -> None:
        self.viewer = viewer
        self.process = process
        self._ids: dict[type[models.Model], set[int]] = {}

    def visible_ids(self, model: type[ProcessRecord]) -> set[int]:
        """Return the primary keys of *model* the viewer may read (one query per model)."""
        if model not in self._ids:
            self._ids[model] = set(
                visible(self.viewer, model, self.process).values_list("pk", flat=True)
            )
        return self._ids[model]

    def redact(self, rows: Iterable[R]) -> list[R]:
        """Return *rows* with every reference to an unreadable process record set to None."""
        rows = list(rows)
        for row in rows:
            self._redact_row(row)
        return rows

    def _redact_row(self, row: models.Model) -> None:
        for field in row._meta.concrete_fields:
            target = field.related_model
            if not (field.many_to_one and isinstance(target, type)):
                continue
            if not issubclass(target, ProcessRecord):
                continue
            target_id = getattr(row, field.attname)
            if target_id is not None and target_id not in self.visible_ids(target):
                # Write the cache directly: the descriptor refuses None on non-null fields.
                row.__dict__[field.attname] = None
                field.set_cached_value(row, None)  # type: ignore[attr-defined]
                row.is_redacted_copy = True  # type: ignore[attr-defined]
