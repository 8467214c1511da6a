"""Hypothesis strategies shared by the consensus property tests."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

from hypothesis import strategies as st

from parley.consensus.clauses import Level, PartyPosition, Stance
from parley.consensus.statements import GroupTally


def tallies_of(min_votes: int = 0, max_votes: int = 80) -> st.SearchStrategy[GroupTally]:
    """One group's counts, with a total between min_votes and max_votes."""

    @st.composite
    def build(draw: st.DrawFn) -> GroupTally:
        total = draw(st.integers(min_votes, max_votes))
        agree = draw(st.integers(0, total))
        disagree = draw(st.integers(0, total - agree))
        return GroupTally(agree, disagree, total - agree - disagree)

    return build()


def statements(
    min_groups: int = 2, max_groups: int = 5, min_votes: int = 0, max_votes: int = 80
) -> st.SearchStrategy[list[GroupTally]]:
    """Per-group tallies of one statement."""
    return st.lists(tallies_of(min_votes, max_votes), min_size=min_groups, max_size=max_groups)


def tally_with_shares(
    agree_at_least: float = 0.0, agree_at_most: float = 1.0, min_votes: int = 20
) -> st.SearchStrategy[GroupTally]:
    """A group of at least min_votes votes whose agree share lies in the given range."""

    @st.composite
    def build(draw: st.DrawFn) -> GroupTally:
        total = draw(st.integers(min_votes, 200))
        low = -(-int(agree_at_least * 1000) * total // 1000)  # ceil, in integers
        high = int(agree_at_most * 1000) * total // 1000
        agree = draw(st.integers(low, high))
        disagree = draw(st.integers(0, total - agree))
        return GroupTally(agree, disagree, total - agree - disagree)

    return build()


taus = st.sampled_from([0.5, 0.55, 0.6, 0.7, 0.8, 0.9])
stances = st.sampled_from(list(Stance))
decided_stances = st.sampled_from([Stance.ACCEPT, Stance.LIVE_WITH, Stance.REJECT])
levels = st.sampled_from(list(Level))


P = TypeVar("P", bound=Hashable)


def position(party: P, stance: Stance, signatory: bool = True) -> PartyPosition[P]:
    """A position with a reason whenever one is required."""
    reason = f"{party} objects" if stance is Stance.REJECT else ""
    return PartyPosition(party, stance, reason=reason, signatory=signatory)


def clause_positions(
    stance_strategy: st.SearchStrategy[Stance] = stances, min_parties: int = 1, max_parties: int = 7
) -> st.SearchStrategy[list[PartyPosition[str]]]:
    """One signatory position per party p0, p1, ..."""
    return st.lists(stance_strategy, min_size=min_parties, max_size=max_parties).map(
        lambda drawn: [position(f"p{i}", stance) for i, stance in enumerate(drawn)]
    )
