"""Where a draft stands: each clause's status and each bracket's choice, from parties' positions.

Pure: this turns the latest positions of a version into the inputs of ``parley.consensus``
(clause acceptability, bridging.md §5a(ii); option choice, §5a(iii)) and back. The board, the
API and the record of a closed draft all read these results, so they cannot disagree.

A clause's own stance is the party's view of keeping the clause; its alternatives are rated
bracket by bracket. Bracket 0 chooses between keeping the clause and "omit": keeping is rated
by the clause stances, omitting by the ratings of the "omit" alternative.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from parley.consensus.clauses import (
    ClauseAssessment,
    DocumentAssessment,
    Level,
    Mode,
    PartyPosition,
    Stance,
    assess_clause,
    assess_document,
)
from parley.consensus.options import OptionChoice, choose_option
from parley.texts.document import OMIT_CLAUSE

KEEP = "keep"
"""Bracket 0's other alternative: keep the clause, rated by the clause stances."""


@dataclass(frozen=True)
class PositionInput:
    """One party's latest official position on a clause (``option`` None) or an alternative."""

    party: int
    clause: str
    option: str | None
    stance: Stance
    reason: str = ""
    rank: int | None = None


@dataclass(frozen=True)
class ClauseInput:
    """A clause's key and its alternatives as (bracket, label) pairs, in order."""

    key: str
    options: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class BracketResult:
    """One bracket's choice, or the parties it waits for before one can be made."""

    bracket: int
    labels: tuple[str, ...]
    choice: OptionChoice[str, int] | None
    waiting: frozenset[int]


@dataclass(frozen=True)
class ClauseResult:
    key: str
    assessment: ClauseAssessment[int]
    brackets: tuple[BracketResult, ...]


@dataclass(frozen=True)
class VersionResult:
    clauses: Mapping[str, ClauseResult]
    document: DocumentAssessment[str, int] | None


def assess_version(
    clauses: Sequence[ClauseInput],
    positions: Iterable[PositionInput],
    *,
    parties: Collection[int],
    refraining: Collection[int] = (),
    mode: Mode | str = Mode.UNANIMITY,
) -> VersionResult:
    """Assess every clause of a version and the document as a whole.

    *parties* are the signatories; a party in *refraining* is advisory only (property 21).
    A signatory without a clause stance is PENDING.
    """
    grouped = _by_clause(positions)
    results = {
        clause.key: _assess(clause, grouped.get(clause.key, ()), parties, refraining, mode)
        for clause in clauses
    }
    assessments = {key: result.assessment for key, result in results.items()}
    document = assess_document(assessments) if assessments else None
    return VersionResult(results, document)


def _by_clause(positions: Iterable[PositionInput]) -> dict[str, list[PositionInput]]:
    grouped: dict[str, list[PositionInput]] = {}
    for position in positions:
        grouped.setdefault(position.clause, []).append(position)
    return grouped


def _assess(
    clause: ClauseInput,
    positions: Sequence[PositionInput],
    parties: Collection[int],
    refraining: Collection[int],
    mode: Mode | str,
) -> ClauseResult:
    stances = {p.party: p for p in positions if p.option is None}
    assessment = assess_clause(
        _clause_positions(stances, parties, refraining), mode=mode, quorum=_quorum(parties)
    )
    ratings = [p for p in positions if p.option is not None and p.party in parties]
    voters = frozenset(parties) - assessment.stood_aside
    return ClauseResult(clause.key, assessment, _brackets(clause, stances, ratings, voters))


def _quorum(parties: Collection[int]) -> int | None:
    # With a single signatory the default quorum of two could never be met.
    return 1 if len(parties) == 1 else None


def _clause_positions(
    stances: Mapping[int, PositionInput], parties: Collection[int], refraining: Collection[int]
) -> list[PartyPosition[int]]:
    signed = [
        PartyPosition(party, stances[party].stance, stances[party].reason)
        if party in stances
        else PartyPosition(party, Stance.PENDING)
        for party in parties
    ]
    advisory = [
        PartyPosition(party, stances[party].stance, stances[party].reason, signatory=False)
        for party in refraining
        if party in stances and party not in parties
    ]
    return signed + advisory


def _brackets(
    clause: ClauseInput,
    stances: Mapping[int, PositionInput],
    ratings: Sequence[PositionInput],
    voters: frozenset[int],
) -> tuple[BracketResult, ...]:
    by_option = {(p.option, p.party): p for p in ratings}
    for party, stance in stances.items():
        by_option[(KEEP, party)] = stance
    numbers = sorted({bracket for bracket, _ in clause.options}, key=lambda b: (b == 0, b))
    results = []
    for number in numbers:
        labels = tuple(label for bracket, label in clause.options if bracket == number)
        if number == 0:
            labels = (KEEP, *labels)
        results.append(_bracket(number, labels, by_option, voters))
    return tuple(results)


def _bracket(
    number: int,
    labels: tuple[str, ...],
    by_option: Mapping[tuple[str | None, int], PositionInput],
    voters: frozenset[int],
) -> BracketResult:
    rated = {
        label: {party: p for party in voters if (p := by_option.get((label, party))) is not None}
        for label in labels
    }
    # A party standing aside on an alternative rates none of that bracket: it neither blocks
    # nor endorses, like a stand-aside on a clause.
    aside = {party for by_party in rated.values() for party, p in by_party.items() if _aside(p)}
    counted = voters - aside
    waiting = frozenset(party for party in counted for label in labels if party not in rated[label])
    if waiting or not counted:
        return BracketResult(number, labels, None, waiting)
    levels = {label: {party: _level(rated[label][party]) for party in counted} for label in labels}
    reasons = {label: {party: rated[label][party].reason for party in counted} for label in labels}
    rankings = {party: _ranking(party, labels, rated, levels) for party in counted}
    choice = choose_option(levels, rankings, reasons=reasons)
    return BracketResult(number, labels, choice, frozenset())


def _aside(position: PositionInput) -> bool:
    return position.stance is Stance.STAND_ASIDE


def _level(position: PositionInput) -> Level:
    level = position.stance.level
    if level is None:  # pragma: no cover - stand-asides and pendings were filtered out
        raise ValueError(f"no level in {position!r}")
    return level


def _ranking(
    party: int,
    labels: tuple[str, ...],
    rated: Mapping[str, Mapping[int, PositionInput]],
    levels: Mapping[str, Mapping[int, Level]],
) -> list[list[str]]:
    """Return the party's weak order: by level first, then its own ranks within a level.

    Ranks only refine ratings, so a rank can never overturn what a party said it can accept.
    """

    def place(label: str) -> tuple[int, int]:
        rank = rated[label][party].rank
        return (-levels[label][party], rank if rank is not None else 1 << 16)

    tiers: dict[tuple[int, int], list[str]] = {}
    for label in sorted(labels, key=place):
        tiers.setdefault(place(label), []).append(label)
    return list(tiers.values())


def chosen_wording(result: ClauseResult) -> dict[int, str | None]:
    """Return bracket number -> the chosen alternative's label, for brackets already settled.

    Bracket 0 is left out: whether the clause is kept is the caller's to show (OMIT_CLAUSE).
    """
    return {
        bracket.bracket: bracket.choice.chosen
        for bracket in result.brackets
        if bracket.bracket != 0 and bracket.choice is not None and bracket.choice.chosen
    }


def is_omitted(result: ClauseResult) -> bool:
    """Return whether the parties chose to leave the clause out."""
    return any(
        b.bracket == 0 and b.choice is not None and b.choice.chosen == OMIT_CLAUSE
        for b in result.brackets
    )
