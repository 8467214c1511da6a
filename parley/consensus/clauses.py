"""Acceptability of a clause across parties, and of a whole document (bridging.md §5a(ii)).

Each signatory party records one position per clause through its authorised delegate:
ACCEPT, LIVE_WITH (consent with a reservation), REJECT (a reasoned objection), STAND_ASIDE
(neither blocking nor endorsing) or PENDING. Parties are equal: one party, one voice, whatever
the size of its delegation. Parties that refrain from the whole agreement are not signatories;
their positions are carried along for display and never change a status (property 21).

Parties, clauses and blocs are any hashable ids, so the negotiating text can reuse this.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from fractions import Fraction
from typing import Final, Generic, TypeVar

from parley.consensus.rules import (
    CLAUSE_PARALLEL_CONSENT_RULE,
    CLAUSE_UNANIMITY_RULE,
    CLAUSE_WEIGHTED_MAJORITY_RULE,
    DOCUMENT_RULE,
)

PartyT = TypeVar("PartyT", bound=Hashable)
ClauseT = TypeVar("ClauseT", bound=Hashable)
Weight = int | float | Fraction
Shares = tuple[Fraction | None, dict[Hashable, Fraction | None]]  # (overall, per bloc)


class Level(IntEnum):
    """How acceptable a text is to a party; higher is better."""

    REJECT = 0
    LIVE_WITH = 1
    ACCEPT = 2


class Stance(StrEnum):
    """A party's recorded position on a clause: a level, or standing aside, or not yet."""

    ACCEPT = "accept"
    LIVE_WITH = "live_with"
    REJECT = "reject"
    STAND_ASIDE = "stand_aside"
    PENDING = "pending"

    @property
    def level(self) -> Level | None:
        """Return the level this stance expresses; None for STAND_ASIDE and PENDING."""
        return _LEVELS.get(self)


_LEVELS: Final = {
    Stance.ACCEPT: Level.ACCEPT,
    Stance.LIVE_WITH: Level.LIVE_WITH,
    Stance.REJECT: Level.REJECT,
}


class ClauseStatus(StrEnum):
    """Where a clause stands; the rules are tried in this order."""

    PENDING = "pending"
    INSUFFICIENT_PARTICIPATION = "insufficient_participation"
    BLOCKED = "blocked"
    AGREED = "agreed"
    AGREED_WITH_RESERVATIONS = "agreed_with_reservations"


AGREED_STATUSES: Final = frozenset({ClauseStatus.AGREED, ClauseStatus.AGREED_WITH_RESERVATIONS})
# A document takes the first of these that any clause has: the clause rules' own order, then
# reservations before full agreement.
_WEAKEST_FIRST: Final = (
    ClauseStatus.PENDING,
    ClauseStatus.INSUFFICIENT_PARTICIPATION,
    ClauseStatus.BLOCKED,
    ClauseStatus.AGREED_WITH_RESERVATIONS,
    ClauseStatus.AGREED,
)


class Mode(StrEnum):
    """The decision rule the rules of procedure adopted; unanimity unless they say otherwise."""

    UNANIMITY = "unanimity"
    PARALLEL_CONSENT = "parallel_consent"
    WEIGHTED_MAJORITY = "weighted_majority"


# (overall, every bloc) support thresholds of the sufficient-consensus modes (§5a(ii)).
_THRESHOLDS: Final = {
    Mode.PARALLEL_CONSENT: (Fraction(1, 2), Fraction(1, 2)),
    Mode.WEIGHTED_MAJORITY: (Fraction(3, 5), Fraction(2, 5)),
}
_RULES: Final = {
    Mode.UNANIMITY: CLAUSE_UNANIMITY_RULE,
    Mode.PARALLEL_CONSENT: CLAUSE_PARALLEL_CONSENT_RULE,
    Mode.WEIGHTED_MAJORITY: CLAUSE_WEIGHTED_MAJORITY_RULE,
}


@dataclass(frozen=True)
class PartyPosition(Generic[PartyT]):
    """One party's position on one clause; a REJECT must give its reason."""

    party: PartyT
    stance: Stance
    reason: str = ""
    signatory: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "stance", Stance(self.stance))
        if self.stance is Stance.REJECT and not self.reason.strip():
            # A sociocratic "reasoned objection": a block without a reason cannot be answered.
            raise ValueError(f"party {self.party!r} rejects without a reason")


@dataclass(frozen=True)
class ClauseAssessment(Generic[PartyT]):
    """The status of one clause and everything needed to explain it.

    `key` is (-rejects, accepts): compare keys to rank clauses (leximin over the three levels).
    `acceptability` is the display scalar in [-1, 1]. `objections` holds every signatory REJECT
    with its reason; `blocking` the same only when the clause is blocked (in a
    sufficient-consensus mode a rejection can be outvoted). `support` and `bloc_support` are
    the weighted support shares of the sufficient-consensus modes (None / empty otherwise).
    """

    status: ClauseStatus
    key: tuple[int, int]
    acceptability: float
    rule: str
    signatories: frozenset[PartyT]
    blocking: Mapping[PartyT, str]
    objections: Mapping[PartyT, str]
    reservations: Mapping[PartyT, str]
    stood_aside: frozenset[PartyT]
    pending: frozenset[PartyT]
    advisory: Mapping[PartyT, PartyPosition[PartyT]]
    support: float | None = None
    bloc_support: Mapping[Hashable, float | None] = field(default_factory=dict)

    def blocks(self, party: PartyT) -> bool:
        """Return whether *party* stands in the way of this clause: it rejects, and not outvoted."""
        return party in self.objections and self.status not in AGREED_STATUSES


@dataclass(frozen=True)
class DocumentAssessment(Generic[ClauseT, PartyT]):
    """The weakest clause binds the document; a party that blocks any clause cannot sign.

    `can_sign` is the necessary condition only (the party blocks no clause); signing the
    agreement still needs `status` to be agreed. `refrained` lists non-signatory parties.
    """

    status: ClauseStatus
    acceptability: float
    bottlenecks: frozenset[ClauseT]
    signatories: frozenset[PartyT]
    can_sign: frozenset[PartyT]
    blockers: Mapping[PartyT, frozenset[ClauseT]]
    stood_aside: Mapping[PartyT, frozenset[ClauseT]]
    refrained: frozenset[PartyT]
    rule: str = DOCUMENT_RULE


def default_quorum(signatories: int) -> int:
    """Return q = max(2, ceil(|P| / 2)): the fewest parties that must not stand aside."""
    return max(2, math.ceil(signatories / 2))


def assess_clause(
    positions: Iterable[PartyPosition[PartyT]],
    *,
    quorum: int | None = None,
    mode: Mode | str = Mode.UNANIMITY,
    blocs: Mapping[Hashable, Collection[PartyT]] | None = None,
    weights: Mapping[PartyT, Weight] | None = None,
    strict_thresholds: bool = False,
) -> ClauseAssessment[PartyT]:
    """Assess one clause from every party's position (bridging.md §5a(ii)).

    Pass PENDING for a signatory that has not spoken yet. `blocs` and `weights` apply only to
    the sufficient-consensus modes (parallel_consent, weighted_majority), which the rules of
    procedure must adopt; weights default to one per party. `strict_thresholds` makes the
    thresholds ">" instead of ">=", as those rules of procedure say.
    """
    mode = Mode(mode)
    signed, advisory = _split(positions)
    q = default_quorum(len(signed)) if quorum is None else quorum
    if q < 1:
        raise ValueError(f"a quorum is at least one party, got {q}")
    levels = {
        party: level for party, pos in signed.items() if (level := pos.stance.level) is not None
    }
    shares = _shares(mode, signed, levels, blocs, weights)
    status = _status(signed, levels, q, mode, shares, strict_thresholds)
    objections = {p: pos.reason for p, pos in signed.items() if pos.stance is Stance.REJECT}
    return ClauseAssessment(
        status=status,
        key=clause_key(levels.values()),
        acceptability=acceptability(levels.values()),
        rule=_RULES[mode],
        signatories=frozenset(signed),
        blocking=objections if status is ClauseStatus.BLOCKED else {},
        objections=objections,
        reservations={p: pos.reason for p, pos in signed.items() if pos.stance is Stance.LIVE_WITH},
        stood_aside=_with_stance(signed, Stance.STAND_ASIDE),
        pending=_with_stance(signed, Stance.PENDING),
        advisory=advisory,
        support=None if shares is None else _as_float(shares[0]),
        bloc_support={} if shares is None else {b: _as_float(s) for b, s in shares[1].items()},
    )


def clause_key(levels: Iterable[Level]) -> tuple[int, int]:
    """Return K = (-rejects, accepts): leximin over three levels, compared as a tuple."""
    counted = list(levels)
    return (-counted.count(Level.REJECT), counted.count(Level.ACCEPT))


def acceptability(levels: Iterable[Level]) -> float:
    """Return the display scalar: accepts/|P'| without rejects, else -rejects/|P'|; 0 if empty."""
    counted = list(levels)
    if not counted:
        return 0.0
    rejects = counted.count(Level.REJECT)
    if rejects:
        return -rejects / len(counted)
    return counted.count(Level.ACCEPT) / len(counted)


def assess_document(
    clauses: Mapping[ClauseT, ClauseAssessment[PartyT]],
) -> DocumentAssessment[ClauseT, PartyT]:
    """Assess a whole text: its weakest clause binds, and who may sign (bridging.md §5a(ii))."""
    if not clauses:
        raise ValueError("a document needs at least one clause")
    worst = min(clauses.values(), key=lambda c: c.acceptability).acceptability
    signatories = frozenset().union(*(c.signatories for c in clauses.values()))
    blockers = _clauses_by_party(clauses, lambda c, p: c.blocks(p))
    return DocumentAssessment(
        status=_weakest_status(c.status for c in clauses.values()),
        acceptability=worst,
        bottlenecks=frozenset(cid for cid, c in clauses.items() if c.acceptability == worst),
        signatories=signatories,
        can_sign=signatories - blockers.keys(),
        blockers=blockers,
        stood_aside=_clauses_by_party(clauses, lambda c, p: p in c.stood_aside),
        refrained=frozenset().union(*(c.advisory.keys() for c in clauses.values())) - signatories,
    )


def _split(
    positions: Iterable[PartyPosition[PartyT]],
) -> tuple[dict[PartyT, PartyPosition[PartyT]], dict[PartyT, PartyPosition[PartyT]]]:
    signed: dict[PartyT, PartyPosition[PartyT]] = {}
    advisory: dict[PartyT, PartyPosition[PartyT]] = {}
    for position in positions:
        if position.party in signed or position.party in advisory:
            # One party, one voice (property 19): a second position would be a second vote.
            raise ValueError(f"party {position.party!r} has two positions on one clause")
        (signed if position.signatory else advisory)[position.party] = position
    return signed, advisory


def _with_stance(
    signed: Mapping[PartyT, PartyPosition[PartyT]], stance: Stance
) -> frozenset[PartyT]:
    return frozenset(p for p, pos in signed.items() if pos.stance is stance)


def _status(
    signed: Mapping[PartyT, PartyPosition[PartyT]],
    levels: Mapping[PartyT, Level],
    quorum: int,
    mode: Mode,
    shares: Shares | None,
    strict: bool,
) -> ClauseStatus:
    # §5a(ii) lists the rules in this order: pending and quorum come before blocking, so a
    # clause missing positions is never reported as settled either way (property 20).
    if any(pos.stance is Stance.PENDING for pos in signed.values()):
        return ClauseStatus.PENDING
    if len(levels) < quorum:
        return ClauseStatus.INSUFFICIENT_PARTICIPATION
    if mode is Mode.UNANIMITY:
        return _consent_status(levels.values())
    assert shares is not None  # computed for every sufficient-consensus mode
    return _sufficient_status(mode, shares, levels.values(), strict)


def _consent_status(levels: Iterable[Level]) -> ClauseStatus:
    counted = list(levels)
    if Level.REJECT in counted:
        return ClauseStatus.BLOCKED  # one reasoned objection is a veto (property 15)
    if Level.LIVE_WITH in counted:
        return ClauseStatus.AGREED_WITH_RESERVATIONS
    return ClauseStatus.AGREED


def _sufficient_status(
    mode: Mode,
    shares: Shares,
    levels: Iterable[Level],
    strict: bool,
) -> ClauseStatus:
    overall, by_bloc = shares
    bloc_shares = [share for share in by_bloc.values() if share is not None]
    if overall is None or len(bloc_shares) < len(by_bloc):
        # A declared bloc with no party taking part cannot give (or refuse) its consent.
        return ClauseStatus.INSUFFICIENT_PARTICIPATION
    overall_min, bloc_min = _THRESHOLDS[mode]
    passed = _clears(overall, overall_min, strict) and all(
        _clears(share, bloc_min, strict) for share in bloc_shares
    )
    if not passed:
        return ClauseStatus.BLOCKED
    # A passed clause with outvoted rejections is agreed, but not without reservations.
    if all(level is Level.ACCEPT for level in levels):
        return ClauseStatus.AGREED
    return ClauseStatus.AGREED_WITH_RESERVATIONS


def _clears(share: Fraction, threshold: Fraction, strict: bool) -> bool:
    return share > threshold if strict else share >= threshold


def _shares(
    mode: Mode,
    signed: Mapping[PartyT, PartyPosition[PartyT]],
    levels: Mapping[PartyT, Level],
    blocs: Mapping[Hashable, Collection[PartyT]] | None,
    weights: Mapping[PartyT, Weight] | None,
) -> Shares | None:
    if mode is Mode.UNANIMITY:
        if blocs is not None or weights is not None:
            # Size must not leak into unanimity (property 19): refuse rather than ignore.
            raise ValueError("blocs and weights apply only to a sufficient-consensus mode")
        return None
    exact = _exact_weights(signed, weights)
    members = _bloc_members(blocs or {}, levels)
    overall = _support(levels, levels.keys(), exact)
    by_bloc = {bloc: _support(levels, parties, exact) for bloc, parties in members.items()}
    return overall, by_bloc


def _exact_weights(
    signed: Mapping[PartyT, PartyPosition[PartyT]], weights: Mapping[PartyT, Weight] | None
) -> dict[PartyT, Fraction]:
    if weights is None:
        return dict.fromkeys(signed, Fraction(1))
    missing = [p for p in signed if p not in weights]
    if missing:
        raise ValueError(f"no weight for signatory parties {missing!r}")
    exact = {p: _exact(weights[p]) for p in signed}
    if any(w <= 0 for w in exact.values()):
        raise ValueError("party weights must be positive")
    return exact


def _exact(weight: Weight) -> Fraction:
    # Fractions keep "support >= 60%" exact, and a float is read as the decimal it prints as:
    # weights 0.1 + 0.2 + 0.3 out of 1.0 are 60%, though not in binary floating point.
    if isinstance(weight, float):
        if not math.isfinite(weight):
            raise ValueError(f"a party weight must be finite, got {weight}")
        return Fraction(repr(weight))
    return Fraction(weight)


def _bloc_members(
    blocs: Mapping[Hashable, Collection[PartyT]], levels: Mapping[PartyT, Level]
) -> dict[Hashable, list[PartyT]]:
    seen: set[PartyT] = set()
    members: dict[Hashable, list[PartyT]] = {}
    for bloc, parties in blocs.items():
        if seen & set(parties):
            raise ValueError(f"bloc {bloc!r} shares parties with another bloc")
        seen |= set(parties)
        # Non-signatories and parties standing aside neither support nor oppose (property 21).
        members[bloc] = [p for p in parties if p in levels]
    return members


def _support(
    levels: Mapping[PartyT, Level], parties: Iterable[PartyT], weights: Mapping[PartyT, Fraction]
) -> Fraction | None:
    chosen = list(parties)
    total = sum((weights[p] for p in chosen), Fraction(0))
    if total == 0:
        return None
    support = sum((weights[p] for p in chosen if levels[p] >= Level.LIVE_WITH), Fraction(0))
    return support / total


def _as_float(share: Fraction | None) -> float | None:
    return None if share is None else float(share)


def _weakest_status(statuses: Iterable[ClauseStatus]) -> ClauseStatus:
    present = set(statuses)
    return next(status for status in _WEAKEST_FIRST if status in present)


def _clauses_by_party(
    clauses: Mapping[ClauseT, ClauseAssessment[PartyT]],
    test: Callable[[ClauseAssessment[PartyT], PartyT], bool],
) -> dict[PartyT, frozenset[ClauseT]]:
    found: dict[PartyT, set[ClauseT]] = {}
    for cid, clause in clauses.items():
        for party in clause.signatories:
            if test(clause, party):
                found.setdefault(party, set()).add(cid)
    return {party: frozenset(cids) for party, cids in found.items()}
