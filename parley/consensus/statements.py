"""Cross-group consensus of a short statement voted agree / disagree / pass (bridging.md §5a(i)).

A statement's bridging score is the *least-convinced* group's Wilson lower bound of its agree
share. Every group counts equally, whatever its size, so recruiting more members can never
raise a score above what the least-convinced group allows (the anti-majoritarian core).

Group order is the caller's: `binding` is an index into the tallies passed in, and `explain`
takes the group names in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final, Protocol, TypeVar

from parley.consensus.rules import STATEMENT_RULE
from parley.consensus.wilson import wilson_lower, wilson_upper

MAJORITY: Final = Fraction(1, 2)
DIVISIVE_SPREAD: Final = Fraction(3, 10)  # max - min agree share that counts as divisive
STRONG: Final = 0.6  # Jigsaw's bar: common ground this clear is "strong"
ROUTING_BAND: Final = 0.15  # route votes while |B+ - tau| is below this

AGREE, DISAGREE, PASS = 1, -1, 0  # Pol.is signs, as in parley.consultation.opinion.types


class Status(StrEnum):
    """What the votes say about a statement; the rules are tried in this order."""

    NEEDS_VOTES = "needs_votes"
    COMMON_GROUND = "common_ground"
    SHARED_REJECTION = "shared_rejection"
    UNCLEAR = "unclear"
    DIVISIVE = "divisive"
    EMERGING = "emerging"
    MIXED = "mixed"


@dataclass(frozen=True)
class GroupTally:
    """One group's latest vote per person on one statement."""

    agree: int
    disagree: int
    passes: int

    def __post_init__(self) -> None:
        if min(self.agree, self.disagree, self.passes) < 0:
            raise ValueError(f"vote counts cannot be negative: {self}")

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passes

    @classmethod
    def from_votes(cls, votes: Iterable[int]) -> GroupTally:
        """Count votes signed as Pol.is does: agree = +1, disagree = -1, pass = 0."""
        counts = {AGREE: 0, DISAGREE: 0, PASS: 0}
        for vote in votes:
            if vote not in counts:
                raise ValueError(f"a vote is +1, -1 or 0, got {vote!r}")
            counts[vote] += 1
        return cls(agree=counts[AGREE], disagree=counts[DISAGREE], passes=counts[PASS])


@dataclass(frozen=True)
class StatementScore:
    """A statement's bridging score over one partition into groups.

    `score` is B+ (min over groups of the Wilson lower bound of the agree share, a pass counting
    as "not agree"), `rejection` is B- (the same for disagree), `tie_break` is T (the geometric
    mean of (A+1)/(N+2)), `total` the votes over all groups, `binding` the index of the group
    that sets B+ (None without groups) and `strong` whether common ground clears 0.6.
    """

    score: float
    rejection: float
    tie_break: float
    total: int
    status: Status
    binding: int | None
    rule: str
    strong: bool


def score_statement(
    tallies: Sequence[GroupTally], *, n_min: int = 10, tau: float = 0.5
) -> StatementScore:
    """Score one statement from its per-group tallies (bridging.md §5a(i)).

    `n_min` is the fewest votes every group needs (5 for negotiations, 10 for consultations);
    `tau` the common-ground threshold, at least 0.5 so that common ground always means a
    majority of every group (properties 10 and 11 rely on it).
    """
    _check_settings(n_min, tau)
    agree_bounds = [wilson_lower(t.agree, t.total) for t in tallies]
    score = min(agree_bounds, default=0.0)
    rejection = min((wilson_lower(t.disagree, t.total) for t in tallies), default=0.0)
    status = _status(tallies, score, rejection, n_min=n_min, tau=tau)
    return StatementScore(
        score=score,
        rejection=rejection,
        tie_break=_tie_break(tallies),
        total=sum(t.total for t in tallies),
        status=status,
        # The first group at the minimum, so the choice is deterministic (property 14).
        binding=agree_bounds.index(score) if agree_bounds else None,
        rule=STATEMENT_RULE,
        strong=status is Status.COMMON_GROUND and score >= STRONG,
    )


def robust_common_ground(scores: Iterable[StatementScore]) -> bool:
    """Return whether a statement is common ground under every partition scored (§5a(i), Groups).

    Pass one score per partition, e.g. declared segments and inferred opinion groups.
    """
    statuses = [score.status for score in scores]
    return bool(statuses) and all(status is Status.COMMON_GROUND for status in statuses)


class _Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


IdT = TypeVar("IdT", bound=_Comparable)


def ranking_key(score: StatementScore, statement_id: IdT) -> tuple[float, float, int, IdT]:
    """Return the sort key that lists statements best first: (B+, T, total) descending, then id.

    Sort ascending by this key. Status is not part of it: gating (e.g. hiding `needs_votes`
    statements from a common-ground list) is the caller's choice.
    """
    return (-score.score, -score.tie_break, -score.total, statement_id)


def routing_weight(tally: GroupTally, score: StatementScore, tau: float = 0.5) -> float:
    """Return w(s, g): the priority of showing the statement to members of this group.

    It is the width of the group's Wilson interval, while the status is still undecided
    (needs_votes, emerging, or B+ within 0.15 of tau); 0 otherwise. Votes thus go where the
    binding group's uncertainty decides the status (§5a(i), "Vote routing").
    """
    undecided = score.status in (Status.NEEDS_VOTES, Status.EMERGING)
    if not (undecided or abs(score.score - tau) < ROUTING_BAND):
        return 0.0
    return wilson_upper(tally.agree, tally.total) - wilson_lower(tally.agree, tally.total)


def explain(score: StatementScore, tallies: Sequence[GroupTally], names: Sequence[str]) -> str:
    """Say which group limits the score, e.g. "limited by Party B: 14/40 agree (35%), ..."."""
    if len(names) != len(tallies):
        raise ValueError(f"{len(names)} names for {len(tallies)} groups")
    if score.binding is None:
        return "no groups to compare"
    tally = tallies[score.binding]
    name = names[score.binding]
    if tally.total == 0:
        return f"limited by {name}: no votes yet"
    return (
        f"limited by {name}: {tally.agree}/{tally.total} agree "
        f"({_percent(tally.agree, tally.total)}%), "
        f"{tally.disagree} disagree, {tally.passes} pass"
    )


def _percent(part: int, whole: int) -> int:
    # Round half up in integers: the same text on every platform (property 12).
    return (200 * part + whole) // (2 * whole)


def _check_settings(n_min: int, tau: float) -> None:
    if n_min < 1:
        raise ValueError(f"n_min must be at least 1 (an absent group never counts), got {n_min}")
    if not 0.5 <= tau < 1.0:
        raise ValueError(f"tau must be in [0.5, 1) so common ground is a majority, got {tau}")


def _tie_break(tallies: Sequence[GroupTally]) -> float:
    if not tallies:
        return 0.0
    # Sum logs with fsum, which rounds exactly once: T is then bit-identical whatever the
    # group order (properties 8 and 12); a running product would not be.
    logs = [math.log((t.agree + 1) / (t.total + 2)) for t in tallies]
    return math.exp(math.fsum(logs) / len(tallies))


def _status(
    tallies: Sequence[GroupTally], score: float, rejection: float, *, n_min: int, tau: float
) -> Status:
    # First match wins, in the order of §5a(i).
    if _needs_votes(tallies, n_min):
        return Status.NEEDS_VOTES
    if score >= tau:
        return Status.COMMON_GROUND
    if rejection >= tau:
        return Status.SHARED_REJECTION
    if any(Fraction(t.passes, t.total) >= MAJORITY for t in tallies):
        return Status.UNCLEAR
    if _divisive(tallies):
        return Status.DIVISIVE
    if all(Fraction(t.agree, t.total) >= MAJORITY for t in tallies):
        return Status.EMERGING
    return Status.MIXED


def _needs_votes(tallies: Sequence[GroupTally], n_min: int) -> bool:
    voted = [t for t in tallies if t.total > 0]
    # An absent group gets no free ride (property 4): n_min >= 1 catches it.
    return len(voted) < 2 or min(t.total for t in tallies) < n_min


def _divisive(tallies: Sequence[GroupTally]) -> bool:
    # Exact fractions: 0.7 - 0.4 is 0.2999... in floating point, and the spread rule must not
    # depend on rounding.
    agree = [Fraction(t.agree, t.total) for t in tallies]
    disagree = [Fraction(t.disagree, t.total) for t in tallies]
    split = any(
        agree[g] >= MAJORITY and disagree[h] >= MAJORITY
        for g in range(len(tallies))
        for h in range(len(tallies))
        if g != h
    )
    return split or max(agree) - min(agree) >= DIVISIVE_SPREAD
