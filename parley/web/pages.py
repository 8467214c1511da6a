"""Shape what a query returned into what a page lays out. No reads happen here but scoped ones.

Views stay a few lines long: they fetch through the permission doors, then hand the rows to
one of these builders, whose result is the template's whole context.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import reverse

from parley.audit.models import AuditEvent
from parley.core.visibility import Viewer
from parley.processes.kinds import KINDS, RecordKind
from parley.processes.models import Actor, Issue, Position, Process, ProcessRecord, Round, Source
from parley.processes.permissions import can, visible
from parley.processes.queries import (
    PositionThread,
    ProcessOverview,
    citations_visible_to,
    cited,
    position_history,
)
from parley.processes.redaction import ReadScope
from parley.processes.roles import Permission
from parley.web.presenters import EMPTY, field_label, field_text, record_title


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass
class RoundSection:
    """A round with the participations recorded for it."""

    round: Round
    participations: list[Any] = field(default_factory=list)


@dataclass
class IssueSection:
    """An issue with each party's position thread on it."""

    issue: Issue
    threads: list[PositionThread] = field(default_factory=list)


@dataclass(frozen=True)
class FieldRow:
    label: str
    text: str
    user_written: bool


@dataclass(frozen=True)
class AuditEntry:
    event: AuditEvent
    readable: bool


def process_page(overview: ProcessOverview) -> dict[str, Any]:
    """Return the process page's context: the overview grouped the way the page reads."""
    viewer, process = overview.viewer, overview.process
    by_round: dict[int | None, list[Any]] = defaultdict(list)
    for participation in overview.participations:
        by_round[participation.round_id].append(participation)
    return {
        **_basics(viewer, process, overview.actors, overview.citations),
        "overview": overview,
        "round_sections": [RoundSection(r, by_round.get(r.pk, [])) for r in overview.rounds],
        "process_participations": by_round.get(None, []),
        "issue_sections": _issue_sections(overview.issues, overview.threads),
        "add_links": _add_links(viewer, process),
        "position_links": _position_links(viewer, process, overview.actors),
    }


def timeline_page(overview: ProcessOverview, entries: list[Any]) -> dict[str, Any]:
    """Return the timeline page's context."""
    basics = _basics(overview.viewer, overview.process, overview.actors, overview.citations)
    return {**basics, "entries": entries}


def _basics(
    viewer: Viewer, process: Process, actors: Iterable[Actor], citations: Any
) -> dict[str, Any]:
    """Return what every page of a process needs: who looks, what they may do, the names."""
    return {
        "process": process,
        "viewer": viewer,
        "actor_names": {actor.pk: actor.name for actor in actors},
        "citation_map": citations,
        "can_manage": can(viewer, Permission.MANAGE_RECORD),
        "can_read_audit": can(viewer, Permission.READ_AUDIT_LOG),
    }


def _issue_sections(issues: list[Issue], threads: list[PositionThread]) -> list[IssueSection]:
    sections = {issue.pk: IssueSection(issue) for issue in issues}
    for thread in threads:
        if thread.issue.pk in sections:
            sections[thread.issue.pk].threads.append(thread)
    return list(sections.values())


def _add_links(viewer: Viewer, process: Process) -> list[Link]:
    if not can(viewer, Permission.MANAGE_RECORD):
        return []
    return [Link(f"Add {kind.label}", new_record_url(process, kind)) for kind in KINDS.values()]


def _position_links(viewer: Viewer, process: Process, actors: list[Actor]) -> list[Link]:
    """Return 'Record position for Party A' for each party a head (not the team) speaks for."""
    if can(viewer, Permission.RECORD_ANY_POSITION):
        return []  # the team has "Add position" among its links
    if not can(viewer, Permission.RECORD_OWN_POSITION):
        return []
    url = new_record_url(process, KINDS["positions"])
    named = {actor.pk: actor for actor in actors}
    return [
        Link(f"Record position for {named[pk].name}", f"{url}?actor={named[pk].key}")
        if pk in named
        else Link("Record position", url)
        for pk in sorted(viewer.head_of_party_ids)
    ]


def new_record_url(process: Process, kind: RecordKind) -> str:
    return reverse("web:record-create", args=[process.slug, kind.name])


def record_page(
    kind: RecordKind, row: ProcessRecord, viewer: Viewer, process: Process
) -> dict[str, Any]:
    """Return the record page's context: every field, its citations and (positions) history."""
    reads = ReadScope(viewer, process)
    reads.redact([row])
    sources = reads.redact(visible(viewer, Source, process))
    actors = reads.redact(visible(viewer, Actor, process))
    citations = citations_visible_to(viewer, process, sources)
    return {
        **_basics(viewer, process, actors, citations),
        "kind": kind,
        "row": row,
        "row_citations": cited(citations, row),
        "title": record_title(row, viewer),
        "fields": field_rows(kind, row, reads),
        "history": position_history(reads, row) if isinstance(row, Position) else [],
    }


def field_rows(kind: RecordKind, row: ProcessRecord, reads: ReadScope) -> list[FieldRow]:
    """Return each field of *row* with its label and its text for the viewer."""
    rows = []
    for name in kind.editable_fields:
        model_field = row._meta.get_field(name)
        label = field_label(kind.model, name)
        if model_field.many_to_many:
            rows.append(FieldRow(label, _audience_text(row, reads), False))
            continue
        text = field_text(row, name, reads.viewer)
        typed = not (model_field.is_relation or getattr(model_field, "choices", None))
        rows.append(FieldRow(label, text, typed and model_field.get_internal_type() in _TEXT))
    return rows


_TEXT = {"CharField", "TextField"}


def _audience_text(row: ProcessRecord, reads: ReadScope) -> str:
    seen = reads.visible_ids(Actor)
    names = [actor.name for actor in row.audience.all() if actor.pk in seen]
    return ", ".join(names) or EMPTY


def audit_entries(events: Iterable[AuditEvent], reads: ReadScope) -> list[AuditEntry]:
    """Return the events, each saying whether the viewer may read what it recorded.

    Reading the log needs READ_AUDIT_LOG, but an event's data quotes its row: a co-mediator
    must not read a lead-only row through it.
    """
    return [AuditEntry(event, _may_read_target(event, reads)) for event in events]


def _may_read_target(event: AuditEvent, reads: ReadScope) -> bool:
    try:
        model = apps.get_model(event.target_type)
    except (LookupError, ValueError):
        return reads.viewer.is_lead
    if model is Process:
        return True
    if issubclass(model, ProcessRecord) and event.target_id.isdigit():
        return int(event.target_id) in reads.visible_ids(model)
    return reads.viewer.is_lead
