"""Turn the keys a request names into rows the caller may read.

A key that does not exist and a key the caller may not see give the same message (the one the
actions use), so a request cannot probe for hidden rows.
"""

from __future__ import annotations

from typing import Any, cast

from parley.core.errors import InvalidInput, NotFound
from parley.core.visibility import Viewer
from parley.processes.actions import no_such
from parley.processes.kinds import KINDS, RecordKind
from parley.processes.models import Process, ProcessRecord
from parley.processes.permissions import access_record_by_key


def row_by_key(
    viewer: Viewer, process: Process, model: type[ProcessRecord], field: str, key: str
) -> ProcessRecord:
    """Return the row *key* of *model* the caller may read; else raise InvalidInput on *field*."""
    try:
        return access_record_by_key(viewer, model, process, key)
    except NotFound:
        raise InvalidInput({field: [no_such(model)]}) from None


def kind_by_name(field: str, name: str) -> RecordKind:
    """Return the kind named *name*; raise InvalidInput on *field* for an unknown one."""
    if name not in KINDS:
        raise InvalidInput({field: ["No such kind of record."]})
    return KINDS[name]


def resolve_references(
    viewer: Viewer, process: Process, kind: RecordKind, data: dict[str, Any]
) -> dict[str, Any]:
    """Return *data* with each reference given by key replaced by its row (lists: by rows)."""
    resolved = dict(data)
    for name, target in kind.reference_fields().items():
        # A process record refers only to other process records (see ProcessRecord).
        model = cast(type[ProcessRecord], target)
        value = resolved.get(name)
        if value is None:
            continue
        if kind.model._meta.get_field(name).many_to_many:
            resolved[name] = [row_by_key(viewer, process, model, name, key) for key in value]
        else:
            resolved[name] = row_by_key(viewer, process, model, name, value)
    return resolved
