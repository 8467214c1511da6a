"""Reads of the process record, always scoped to a viewer.

Every list goes through ``permissions.visible``. ``process_overview`` loads a whole process page
in a fixed number of queries, however many rounds, actors and positions it holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from parley.core.dates import PartialDate
from parley.core.visibility import Viewer
from parley.processes import models as m
from parley.processes.permissions import visible
from parley.processes.redaction import ReadScope

# Keyed by (model label, row id): finding a row's citations needs no content-type lookup, so a
# page costs the same queries whether or not this server process has cached content types.
CitationMap = dict[tuple[str, int], list[m.Citation]]


@dataclass
class PositionThread:
    """One actor's positions on one issue, newest last; ``current`` is what holds now."""

    actor: m.Actor
    issue: m.Issue
    history: list[m.Position] = field(default_factory=list)

    @property
    def current(self) -> m.Position:
        return self.history[-1]


@dataclass
class ProcessOverview:
    """Everything the process page shows, already filtered for one viewer."""

    process: m.Process
    viewer: Viewer
    rounds: list[m.Round]
    actors: list[m.Actor]
    people: list[m.Person]
    participations: list[m.Participation]
    delegations: list[m.Delegation]
    roles: list[m.RoleAssignment]
    letters: list[m.Letter]
    issues: list[m.Issue]
    threads: list[PositionThread]
    outcomes: list[m.Outcome]
    sources: list[m.Source]
    citations: CitationMap

    def citations_for(self, row: Any) -> list[m.Citation]:
        return cited(self.citations, row)


def cited(citations: CitationMap, row: Any) -> list[m.Citation]:
    """Return the citations of *row* among those the viewer may see."""
    return citations.get((row._meta.label_lower, row.pk), [])


def process_overview(viewer: Viewer, process: m.Process) -> ProcessOverview:
    """Load the process page for *viewer* in a number of queries independent of its size.

    References to rows the viewer may not read come back as None (see redaction.py).
    """
    scope = ReadScope(viewer, process)
    sources = scope.redact(visible(viewer, m.Source, process))
    rounds = scope.redact(_rounds(viewer, process))
    delegations = scope.redact(_delegations(viewer, process))
    letters = scope.redact(_letters(viewer, process))
    outcomes = scope.redact(_outcomes(viewer, process))
    for children in _children(rounds, delegations, letters, outcomes):
        scope.redact(children)
    return ProcessOverview(
        process=process,
        viewer=viewer,
        rounds=rounds,
        actors=scope.redact(visible(viewer, m.Actor, process)),
        people=scope.redact(visible(viewer, m.Person, process).select_related("affiliation")),
        participations=scope.redact(
            visible(viewer, m.Participation, process).select_related("actor", "round")
        ),
        delegations=delegations,
        roles=scope.redact(
            visible(viewer, m.RoleAssignment, process).select_related(
                "person", "actor", "represents", "round"
            )
        ),
        letters=letters,
        issues=scope.redact(visible(viewer, m.Issue, process)),
        threads=position_threads(viewer, process, scope),
        outcomes=outcomes,
        sources=sources,
        citations=citations_visible_to(viewer, process, sources),
    )


def _children(*parents: list[Any]) -> list[list[Any]]:
    """Return the prefetched child lists (sessions, members, signatories, endorsements)."""
    names = ("sessions", "members", "signatories", "endorsements")
    return [
        list(getattr(row, name).all())
        for rows in parents
        for row in rows
        for name in names
        if hasattr(row, name)
    ]


def _rounds(viewer: Viewer, process: m.Process) -> QuerySet[m.Round]:
    sessions = visible(viewer, m.Session, process)
    return (
        visible(viewer, m.Round, process)
        .select_related("venue")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
    )


def _delegations(viewer: Viewer, process: m.Process) -> QuerySet[m.Delegation]:
    members = visible(viewer, m.DelegationMember, process).select_related("person")
    return (
        visible(viewer, m.Delegation, process)
        .select_related("actor", "round")
        .prefetch_related(Prefetch("members", queryset=members))
    )


def _letters(viewer: Viewer, process: m.Process) -> QuerySet[m.Letter]:
    signatories = visible(viewer, m.LetterSignatory, process).select_related("person", "actor")
    return visible(viewer, m.Letter, process).prefetch_related(
        Prefetch("signatories", queryset=signatories)
    )


def _outcomes(viewer: Viewer, process: m.Process) -> QuerySet[m.Outcome]:
    endorsements = visible(viewer, m.Endorsement, process).select_related("actor")
    return (
        visible(viewer, m.Outcome, process)
        .select_related("round", "next_round")
        .prefetch_related(Prefetch("endorsements", queryset=endorsements))
    )


def position_threads(
    viewer: Viewer, process: m.Process, scope: ReadScope | None = None
) -> list[PositionThread]:
    """Return each actor × issue position history the viewer may see, oldest first."""
    scope = scope or ReadScope(viewer, process)
    positions = scope.redact(
        visible(viewer, m.Position, process)
        .select_related("actor", "issue")
        .order_by("issue__title", "actor__name", "created_at", "id")
    )
    threads: dict[tuple[int, int], PositionThread] = {}
    for position in positions:
        pair = (position.actor_id, position.issue_id)
        if pair not in threads:
            threads[pair] = PositionThread(position.actor, position.issue)
        threads[pair].history.append(position)
    # A thread whose actor or issue is hidden is dropped whole: it would say nothing true.
    return [t for t in threads.values() if t.actor is not None and t.issue is not None]


def position_history(scope: ReadScope, position: m.Position) -> list[m.Position]:
    """Return the positions of *position*'s actor on its issue the viewer may read, oldest first.

    A position whose actor or issue is hidden has no history to show, as ``position_threads``
    drops its thread: it would say nothing true.
    """
    if position.actor_id is None or position.issue_id is None:
        return []
    rows = visible(scope.viewer, m.Position, scope.process).filter(
        actor_id=position.actor_id, issue_id=position.issue_id
    )
    return scope.redact(rows.select_related("actor", "issue").order_by("created_at", "id"))


def citations_visible_to(
    viewer: Viewer, process: m.Process, sources: list[m.Source]
) -> CitationMap:
    """Return citations keyed by (model label, row id), only where the source is visible.

    The target's own visibility is enforced by the caller looking up only rows it shows.
    """
    source_ids = {source.pk for source in sources}
    by_target: CitationMap = defaultdict(list)
    rows = m.Citation.objects.filter(process=process, source_id__in=source_ids)
    for citation in rows.select_related("source", "target_type"):
        target = citation.target_type
        by_target[(f"{target.app_label}.{target.model}", citation.target_id)].append(citation)
    return dict(by_target)


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing on the process timeline: a round, a letter or an outcome."""

    when: str
    placed_before: bool
    date_text: str
    kind: str
    row: Any
    citations: list[m.Citation]


def timeline(overview: ProcessOverview) -> list[TimelineEntry]:
    """Return rounds, letters and outcomes in date order.

    A round with no known date is placed just before the next dated round in its sequence,
    so 'Geneva (date unknown)' still reads before 'Moscow I'.
    """
    entries = [_round_entry(overview, r, overview.rounds) for r in overview.rounds]
    entries += [
        _entry(overview, letter, "letter", letter.sent_on, _human(letter.sent_on))
        for letter in overview.letters
    ]
    entries += [
        _entry(overview, outcome, "outcome", outcome.adopted_on, _human(outcome.adopted_on))
        for outcome in overview.outcomes
    ]
    return sorted(
        entries, key=lambda e: (e.when, not e.placed_before, _KIND_ORDER[e.kind], str(e.row))
    )


_KIND_ORDER = {"letter": 0, "round": 1, "outcome": 2}


def _entry(
    overview: ProcessOverview, row: Any, kind: str, when: str, text: str, before: bool = False
) -> TimelineEntry:
    return TimelineEntry(when or "9999", before, text, kind, row, overview.citations_for(row))


def _round_entry(overview: ProcessOverview, row: m.Round, rounds: list[m.Round]) -> TimelineEntry:
    if row.starts_on:
        return _entry(overview, row, "round", row.starts_on, row.dates)
    later = [r.starts_on for r in rounds if r.sequence > row.sequence and r.starts_on]
    # An undated round takes the date of the next dated round and is placed just before it.
    return _entry(overview, row, "round", min(later, default=""), row.dates, before=bool(later))


def _human(value: str) -> str:
    return PartialDate.parse(value).human() if value else "date unknown"
