"""Turn rows a viewer may read into plain response data.

Every row passed in here has been through ``ReadScope.redact``: references to hidden rows are
already None. What this module adds is the audience list, which redaction does not touch.
"""

from __future__ import annotations

from typing import Any

from parley.processes.actions import PROCESS_FIELDS
from parley.processes.kinds import RecordKind, kind_of, values_of
from parley.processes.models import Actor, Citation, Person, Process, ProcessRecord
from parley.processes.naming import withhold_names
from parley.processes.queries import TimelineEntry
from parley.processes.redaction import ReadScope

# The row's own date for each kind the timeline shows; None when unknown.
_TIMELINE_DATE = {"round": "starts_on", "letter": "sent_on", "outcome": "adopted_on"}


def process_data(process: Process) -> dict[str, Any]:
    """Return the process's own fields."""
    return {name: getattr(process, name) for name in PROCESS_FIELDS}


def row_data(kind: RecordKind, row: ProcessRecord, scope: ReadScope) -> dict[str, Any]:
    """Return *row* (already redacted for *scope*) as the kind's fields, references as keys."""
    values = values_of(kind, row)
    # Naming a hidden party in the audience would disclose that it exists and what it is shown.
    shown = scope.visible_ids(Actor)
    values["audience"] = sorted(actor.key for actor in row.audience.all() if actor.pk in shown)
    if isinstance(row, Person):
        values = withhold_names(row, scope.viewer, values)
    return {"record_kind": kind.name, **values}


def citation_data(citation: Citation) -> dict[str, Any]:
    """Return a citation the viewer may see: its source by key, with the quote."""
    return {
        "source": citation.source.key,
        "source_title": citation.source.title,
        "field": citation.field,
        "quote": citation.quote,
        "locator": citation.locator,
    }


def timeline_data(entry: TimelineEntry) -> dict[str, Any]:
    """Return one timeline entry with the citations of its row."""
    kind = kind_of(type(entry.row))
    return {
        "kind": entry.kind,
        "record_kind": kind.name,
        "key": entry.row.key,
        "title": str(getattr(entry.row, kind.title_field)),
        "date": getattr(entry.row, _TIMELINE_DATE[entry.kind]) or None,
        "date_text": entry.date_text,
        "sources": [citation_data(citation) for citation in entry.citations],
    }
