"""The Schulze method over weak orders: the set of winners, never a random pick.

Used by bridging.md §5a(iii) only among alternatives that are equally acceptable to every
party, where a majoritarian pairwise preference harms no one. O(m^3) in the number of
candidates, which is small (the wordings of one bracket).

A ballot maps candidates to tiers: a lower tier is preferred, an equal tier is indifference,
and a candidate missing from a ballot is below every candidate the ballot lists.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

CandidateT = TypeVar("CandidateT", bound=Hashable)
Matrix = list[list[int]]


def schulze_winners(
    candidates: Sequence[CandidateT], ballots: Iterable[Mapping[CandidateT, int]]
) -> frozenset[CandidateT]:
    """Return every candidate no other candidate beats by a stronger beatpath.

    The result is never empty; it has more than one candidate exactly when the ballots cannot
    tell those candidates apart, and then the caller must decide (no random tie-break).
    """
    if len(set(candidates)) != len(candidates):
        raise ValueError("candidates must be distinct")
    paths = strongest_paths(pairwise_preferences(candidates, ballots))
    return frozenset(
        candidate
        for i, candidate in enumerate(candidates)
        if all(paths[i][j] >= paths[j][i] for j in range(len(candidates)) if j != i)
    )


def pairwise_preferences(
    candidates: Sequence[CandidateT], ballots: Iterable[Mapping[CandidateT, int]]
) -> Matrix:
    """Return d, where d[i][j] is the number of ballots ranking candidate i strictly above j."""
    size = len(candidates)
    d = [[0] * size for _ in range(size)]
    for ballot in ballots:
        bottom = max(ballot.values(), default=0) + 1
        tiers = [ballot.get(candidate, bottom) for candidate in candidates]
        for i in range(size):
            for j in range(size):
                if tiers[i] < tiers[j]:
                    d[i][j] += 1
    return d


def strongest_paths(d: Matrix) -> Matrix:
    """Return p, where p[i][j] is the strength of the strongest path from i to j.

    A direct link i -> j exists only when more ballots prefer i to j than j to i, and then its
    strength is the number preferring i ("winning votes"). A path is as strong as its weakest
    link; the widest paths come from a Floyd-Warshall pass.
    """
    size = len(d)
    p = [[d[i][j] if d[i][j] > d[j][i] else 0 for j in range(size)] for i in range(size)]
    for k in range(size):
        for i in range(size):
            if i != k:
                _widen_through(p, i, k)
    return p


def _widen_through(p: Matrix, i: int, k: int) -> None:
    via_k = p[i][k]
    row_k = p[k]
    row_i = p[i]
    for j in range(len(p)):
        if j not in (i, k):
            row_i[j] = max(row_i[j], min(via_k, row_k[j]))
