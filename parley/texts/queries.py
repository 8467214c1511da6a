"""Every read of a negotiating text for a viewer: drafts, the board, diffs, citations.

Positions, comments and amendments are ProcessRecords filtered by ``visible_q`` in the database,
so a page, the API and an export for one viewer cannot show different things. The board's
results are computed by ``texts.scoring`` from exactly the positions the viewer may see; a
clause's status is shown only when every signatory's position on it is visible to the viewer,
since a status computed from part of the positions would mislead (and "blocked" would tell a
party what another party said).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet

from parley.consensus.clauses import Mode, Stance
from parley.consultation.access import access_for
from parley.consultation.models import Statement
from parley.consultation.queries import latest_snapshot
from parley.core.visibility import Viewer
from parley.processes.models import Actor
from parley.processes.permissions import viewer_for, visible, visible_q
from parley.texts.access import TextAccess
from parley.texts.diffing import TextDiff, diff_texts
from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc
from parley.texts.models import (
    Amendment,
    Clause,
    ClausePosition,
    Comment,
    NegotiatingText,
    Option,
    PartyReview,
    TextVersion,
)
from parley.texts.scoring import ClauseInput, ClauseResult, PositionInput, assess_version

# Drafts ----------------------------------------------------------------------------------------


def texts_visible(viewer: Viewer, process: Any) -> QuerySet[NegotiatingText]:
    return visible(viewer, NegotiatingText, process).order_by("title")


def clauses_of(version: TextVersion, *, options: bool = True, bodies: bool = True) -> list[Clause]:
    """Return a version's clauses in reading order, with their options unless told not to.

    The board needs no bodies and the reader no options; on 500 clauses each saves a tenth of
    the page's time.
    """
    rows = Clause.objects.filter(version=version).order_by("order")
    if not bodies:
        rows = rows.defer("body")
    if options:
        rows = rows.prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order")))
    return list(rows)


def working_draft(text: NegotiatingText) -> TextVersion | None:
    return TextVersion.objects.filter(text=text, state=TextVersion.State.WORKING).first()


def latest_circulated(text: NegotiatingText) -> TextVersion | None:
    rows = TextVersion.objects.filter(text=text, state=TextVersion.State.CIRCULATED)
    return rows.order_by("-number").first()


def doc_of_clause(clause: Clause) -> ClauseDoc:
    return ClauseDoc(key=clause.key, number=clause.number, heading=clause.heading,
                     body=clause.body, depth=clause.depth,
                     status=DraftingStatus(clause.status))  # fmt: skip


def doc_of(version: TextVersion) -> TextDoc:
    """Return a version as plain values: what exports, fingerprints and diffs read."""
    clauses = Clause.objects.filter(version=version).order_by("order")
    return TextDoc(version.text.title, tuple(doc_of_clause(c) for c in clauses))


def diff_versions(old: TextVersion, new: TextVersion) -> TextDiff:
    """Return the clause-by-clause, word-level changes from *old* to *new*."""
    return diff_texts(doc_of(old), doc_of(new))


def last_review(access: TextAccess, party: Actor) -> PartyReview | None:
    """Return the version *party* last marked reviewed (its own members and the team only)."""
    if not (access.is_member_of(party) or access.can_manage):
        return None
    return (
        PartyReview.objects.filter(text=access.text, party=party).select_related("version").first()
    )


def amendments_visible(access: TextAccess) -> QuerySet[Amendment]:
    rows = visible(access.viewer, Amendment, access.process).filter(text=access.text)
    return rows.select_related("version", "proposer", "decided_in").order_by("created_at", "pk")


def comments_visible(
    access: TextAccess, version: TextVersion, clause: Clause | None = None
) -> QuerySet[Comment]:
    rows = visible(access.viewer, Comment, access.process).filter(version=version)
    if clause is not None:
        rows = rows.filter(clause=clause)
    return rows.select_related("party", "clause").order_by("created_at", "pk")


# Positions and the board -----------------------------------------------------------------------


def latest_positions(
    version: TextVersion, viewer: Viewer | None = None, *, clause: Clause | None = None
) -> list[ClausePosition]:
    """Return the positions that count on *version* (or one *clause* of it): the latest per
    party, clause, alternative (and member, for advisory views); only those *viewer* may read,
    when one is given."""
    rows = ClausePosition.objects.filter(clause__version=version)
    if clause is not None:
        rows = rows.filter(clause=clause)
    if viewer is not None:
        rows = rows.filter(visible_q(viewer, ClausePosition))
    latest: dict[tuple[Any, ...], ClausePosition] = {}
    for row in rows.select_related("clause", "option").order_by("pk"):
        latest[_identity(row)] = row
    return list(latest.values())


def _identity(row: Any) -> tuple[Any, ...]:
    """What a later position replaces: the same party, clause, alternative (and member)."""
    author = row.author_id if row.is_advisory else None
    return (row.party_id, row.clause_id, row.option_id, row.is_advisory, author)


@dataclass(frozen=True, slots=True)
class PositionRow:
    """A position as the board reads it: its own columns only, no model instance.

    A draft of 500 clauses and 20 parties holds tens of thousands of positions; building model
    objects for them took most of the board's time.
    """

    pk: int
    party_id: int
    clause_id: int
    option_id: int | None
    stance: str
    reason: str
    reservation: str
    counter_wording: str
    rank: int | None
    is_advisory: bool
    author_id: int | None


_ROW_FIELDS = [f.name for f in fields(PositionRow)]


def latest_position_rows(version: TextVersion, viewer: Viewer | None = None) -> list[PositionRow]:
    """Return what ``latest_positions`` returns, as plain rows (for the board and its record)."""
    rows = ClausePosition.objects.filter(clause__version=version)
    if viewer is not None:
        rows = rows.filter(visible_q(viewer, ClausePosition))
    latest: dict[tuple[Any, ...], PositionRow] = {}
    for values in rows.order_by("pk").values_list(*_ROW_FIELDS):
        row = PositionRow(*values)
        latest[_identity(row)] = row
    return list(latest.values())


@dataclass(frozen=True)
class PartyColumn:
    pk: int
    key: str
    name: str


@dataclass(frozen=True)
class Cell:
    """One party's official position on one clause, as far as the viewer may see it."""

    party: PartyColumn
    position: PositionRow | None
    shown: bool  # False: the viewer may not see this party's positions

    @property
    def stance(self) -> str:
        if not self.shown:
            return "hidden"
        return self.position.stance if self.position else Stance.PENDING.value


@dataclass(frozen=True)
class BoardRow:
    clause: Clause
    cells: tuple[Cell, ...]
    options: dict[int, list[PositionRow]]  # option id -> visible official ratings
    advisory: list[PositionRow]
    result: ClauseResult | None  # None: the viewer does not see every signatory's position


@dataclass(frozen=True)
class Board:
    version: TextVersion
    parties: tuple[PartyColumn, ...]
    rows: tuple[BoardRow, ...]
    result: Any  # DocumentAssessment, or None when the viewer cannot see every position
    complete: bool


def board(access: TextAccess, version: TextVersion) -> Board:
    """Return where *version* stands, clause by clause and party by party, for the viewer."""
    parties = _party_columns(access)
    seen = _parties_seen(access.viewer, parties)
    positions = latest_position_rows(version, access.viewer)
    official = [p for p in positions if not p.is_advisory]
    clauses = clauses_of(version, bodies=False)
    keys, labels = _names_of(clauses)
    computed = assess_version(
        [_clause_input(c) for c in clauses],
        [_position_input(p, keys, labels) for p in official],
        parties=[p.pk for p in parties], refraining=_refraining(access), mode=_mode(access),
    )  # fmt: skip
    by_clause = _group(official, positions)
    rows = tuple(
        _row(clause, parties, seen, by_clause.get(clause.pk, _Grouped()), computed.clauses)
        for clause in clauses
    )
    complete = seen == {p.pk for p in parties}
    return Board(version, parties, rows, computed.document if complete else None, complete)


def board_key(access: TextAccess, version: TextVersion) -> str | None:
    """Return a key that changes whenever *version*'s board could change for this viewer.

    A circulated draft's clauses never change, and positions are only ever added, so the board
    depends on: who the viewer is (what they may read), the positions (their count, newest id
    and latest change, which a widened visibility moves), the text's parties as the viewer sees
    them, and the decision rule. None for a working draft, whose clauses still change.
    """
    if version.is_working:
        return None
    viewer = access.viewer
    stats = ClausePosition.objects.filter(clause__version=version).aggregate(
        n=Count("pk"), last=Max("pk"), changed=Max("updated_at")
    )
    parts = (
        version.pk, viewer.is_lead, viewer.is_mediation, viewer.is_accredited,
        sorted(viewer.party_ids), stats["n"], stats["last"], str(stats["changed"]),
        _party_columns(access), _refraining(access), _mode(access).value,
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _party_columns(access: TextAccess) -> tuple[PartyColumn, ...]:
    """Return the text's signatories; a party the viewer may not see by name is "a party"."""
    named = {a.pk: a for a in visible(access.viewer, Actor, access.process)}
    ids = access.text.parties.order_by("name").values_list("pk", "key")
    return tuple(
        PartyColumn(pk, key if pk in named else "", named[pk].name if pk in named else "A party")
        for pk, key in ids
    )


def _parties_seen(viewer: Viewer, parties: Sequence[PartyColumn]) -> set[int]:
    """Return the parties whose positions the viewer may read (positions are party-level by
    default; a party may widen single positions, but a status needs them all)."""
    if viewer.is_mediation:
        return {p.pk for p in parties}
    return {p.pk for p in parties if p.pk in viewer.party_ids}


def _refraining(access: TextAccess) -> list[int]:
    return list(access.text.refraining.values_list("pk", flat=True))


def _mode(access: TextAccess) -> Mode:
    rule = (access.process.decision_rule or "").strip().lower().replace(" ", "_")
    return Mode(rule) if rule in set(Mode) else Mode.UNANIMITY


def _clause_input(clause: Clause) -> ClauseInput:
    return ClauseInput(clause.key, tuple((o.bracket, o.label) for o in clause.options.all()))


def _names_of(clauses: Sequence[Clause]) -> tuple[dict[int, str], dict[int, str]]:
    """Return clause id -> key and option id -> label, from clauses with options prefetched."""
    keys = {clause.pk: clause.key for clause in clauses}
    labels = {option.pk: option.label for clause in clauses for option in clause.options.all()}
    return keys, labels


def _position_input(
    position: PositionRow, keys: dict[int, str], labels: dict[int, str]
) -> PositionInput:
    return PositionInput(
        party=position.party_id, clause=keys[position.clause_id],
        option=labels[position.option_id] if position.option_id is not None else None,
        stance=Stance(position.stance), reason=position.reason, rank=position.rank,
    )  # fmt: skip


@dataclass
class _Grouped:
    stances: dict[int, PositionRow] | None = None
    options: dict[int, list[PositionRow]] | None = None
    advisory: list[PositionRow] | None = None


def _group(official: Iterable[PositionRow], every: Iterable[PositionRow]) -> dict[int, _Grouped]:
    grouped: dict[int, _Grouped] = {}
    for p in official:
        g = grouped.setdefault(p.clause_id, _Grouped({}, {}, []))
        if p.option_id is None:
            g.stances[p.party_id or 0] = p  # type: ignore[index]
        else:
            g.options.setdefault(p.option_id, []).append(p)  # type: ignore[union-attr]
    for p in every:
        if p.is_advisory:
            grouped.setdefault(p.clause_id, _Grouped({}, {}, [])).advisory.append(p)  # type: ignore[union-attr]
    return grouped


def _row(
    clause: Clause,
    parties: Sequence[PartyColumn],
    seen: set[int],
    grouped: _Grouped,
    results: Any,
) -> BoardRow:
    stances = grouped.stances or {}
    cells = tuple(
        Cell(p, stances.get(p.pk) if p.pk in seen else None, p.pk in seen) for p in parties
    )
    complete = len(seen) == len(parties)
    return BoardRow(clause, cells, grouped.options or {}, grouped.advisory or [],
                    results.get(clause.key) if complete else None)  # fmt: skip


def results_record(version: TextVersion) -> dict[str, Any]:
    """Return the board of *version* as the mediation team sees it, as JSON with every rule.

    Stored with a draft when the next one is issued: the record of where each clause stood and
    which rule (and version of it) decided.
    """
    text = version.text
    clauses = clauses_of(version)
    positions = [p for p in latest_position_rows(version) if not p.is_advisory]
    parties = dict(text.parties.values_list("pk", "key"))
    keys, labels = _names_of(clauses)
    computed = assess_version(
        [_clause_input(c) for c in clauses],
        [_position_input(p, keys, labels) for p in positions],
        parties=list(parties), refraining=list(text.refraining.values_list("pk", flat=True)),
    )  # fmt: skip
    document = computed.document
    return {
        "clauses": {key: _result_json(r, parties) for key, r in computed.clauses.items()},
        "document": None if document is None else {
            "status": str(document.status), "rule": document.rule,
            "bottlenecks": sorted(document.bottlenecks),
        },
    }  # fmt: skip


def _result_json(result: ClauseResult, parties: dict[int, str]) -> dict[str, Any]:
    a = result.assessment
    return {
        "status": str(a.status), "rule": a.rule, "key": list(a.key),
        "blocking": {parties.get(p, str(p)): reason for p, reason in a.blocking.items()},
        "brackets": {
            str(b.bracket): None if b.choice is None else {
                "status": str(b.choice.status), "chosen": b.choice.chosen,
                "tied": sorted(b.choice.tied), "decided_by": str(b.choice.decided_by),
                "rule": b.choice.rule,
            }
            for b in result.brackets
        },
    }  # fmt: skip


# Links to the consultation ---------------------------------------------------------------------


@dataclass(frozen=True)
class CitedStatement:
    statement: Statement
    conversation_slug: str
    status: str  # its bridging status in the latest opinion map, "" before the first one


def citations(access: TextAccess, clauses: Sequence[Clause]) -> dict[int, list[CitedStatement]]:
    """Return, per clause, the consultation statements it cites that the user may read."""
    links = Clause.cites.through.objects.filter(clause__in=clauses).select_related(
        "statement__conversation"
    )
    readable: dict[int, bool] = {}
    statuses: dict[int, dict[int, str]] = {}
    cited: dict[int, list[CitedStatement]] = {}
    for link in links:
        statement = link.statement
        conversation = statement.conversation
        if conversation.pk not in readable:
            readable[conversation.pk] = access_for(access.user, conversation) is not None
            statuses[conversation.pk] = _bridging_statuses(conversation)
        if readable[conversation.pk] and statement.status == Statement.Status.ACCEPTED:
            status = statuses[conversation.pk].get(statement.number, "")
            cited.setdefault(link.clause_id, []).append(
                CitedStatement(statement, conversation.slug, status)
            )
    return cited


def _bridging_statuses(conversation: Any) -> dict[int, str]:
    snapshot = latest_snapshot(conversation)
    items = snapshot.result.get("bridging", []) if snapshot else []
    return {int(item["statement"]): str(item["status"]) for item in items}


@dataclass(frozen=True)
class CitingClause:
    text: NegotiatingText
    version: TextVersion
    clause: Clause


def clauses_citing(user: Any, statement: Statement) -> list[CitingClause]:
    """Return the clauses, in drafts *user* may read, that cite *statement*."""
    process = statement.conversation.process
    if process is None:
        return []
    viewer = viewer_for(user, process)
    versions = visible(viewer, TextVersion, process)
    texts = visible(viewer, NegotiatingText, process)
    rows = Clause.objects.filter(
        cites=statement, version__in=versions.values("pk"), version__text__in=texts.values("pk")
    ).select_related("version__text")
    return [CitingClause(c.version.text, c.version, c) for c in rows.order_by("version__number")]
