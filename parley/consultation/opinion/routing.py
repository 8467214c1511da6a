"""Which statement a participant votes on next: Pol.is-style routing with no silent caps (pure).

Pol.is draws the next comment with probability proportional to its priority, but only among
the 999 oldest unvoted comments (`q.limit(999); // TODO paginate`, polis.md §1.11), so in a
big conversation the newer statements are never shown. Here the draw covers *every* eligible
statement the participant has not voted on (polis.md §5 S22, S23), with cumulative sums and a
binary search, so it stays fast at 100k statements.

Meta statements are not special-cased here: Pol.is gives them priority 7^2 = 49, far above a
typical comment's, so with the priorities the opinion map computed they come up early, by
weight, not by force. A caller that must show them strictly first can route among the meta
statements alone (via `eligible`) until they are voted. Eligibility (moderation, active,
strict mode) is the caller's `eligible`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
_SMALL: Final = 1000  # below this many statements, membership by binary search beats np.isin
RELATIVE_EPSILON: Final = 1e-9
"""A non-positive priority becomes this share of the largest one: tiny, but still reachable.

Relative, not absolute, so it stays above the rounding of the cumulative sum (about 2e-16 of
the total) for up to millions of statements, and never outweighs a real priority.
"""


def next_statement(
    statement_ids: npt.ArrayLike,
    priorities: npt.ArrayLike | None,
    voted: Collection[int] | npt.ArrayLike,
    *,
    eligible: npt.ArrayLike | None = None,
    rng: np.random.Generator,
) -> int | None:
    """Draw the next statement id for one participant, or None when none is left.

    A statement is a candidate when it is eligible (all are when `eligible` is None) and its id
    is not in `voted`. One candidate is drawn with probability proportional to its weight
    (see `routing_weights`); `priorities` and `eligible` are aligned with `statement_ids`.
    """
    ids = np.asarray(statement_ids, dtype=np.int64)
    weights = routing_weights(priorities, len(ids))
    candidates = _candidates(ids, voted, eligible)
    if not candidates.any():
        return None
    return _draw(ids[candidates], weights[candidates], rng)


def routing_weights(priorities: npt.ArrayLike | None, count: int) -> FloatArray:
    """Return the draw weight of each statement: its priority, made safe to draw from.

    A missing (NaN) priority weighs 1, as in Pol.is, where a comment newer than the last
    update has no priority yet; a zero or negative one weighs RELATIVE_EPSILON times the
    largest priority, so that every eligible statement stays reachable. None means all 1.
    """
    if priorities is None:
        return np.ones(count)
    weights = np.array(priorities, dtype=np.float64)  # a copy: the caller's array is untouched
    if weights.shape != (count,):
        raise ValueError(f"need one priority per statement: {weights.shape} for {count}")
    if np.isinf(weights).any():
        raise ValueError("a priority cannot be infinite: it would take every draw")
    weights[np.isnan(weights)] = 1.0
    positive = weights > 0.0
    floor = RELATIVE_EPSILON * weights[positive].max() if positive.any() else 1.0
    weights[~positive] = floor
    return weights


def _candidates(
    ids: npt.NDArray[np.int64],
    voted: Collection[int] | npt.ArrayLike,
    eligible: npt.ArrayLike | None,
) -> npt.NDArray[np.bool_]:
    if ids.ndim != 1:
        raise ValueError("statement_ids must be one-dimensional")
    mask = np.ones(len(ids), dtype=bool)
    if eligible is not None:
        eligible = np.asarray(eligible, dtype=bool)
        if eligible.shape != ids.shape:
            raise ValueError(f"need one eligible flag per statement: {eligible.shape}")
        mask &= eligible
    voted_ids = _as_id_array(voted)
    if len(voted_ids):
        mask &= ~_member(ids, voted_ids)
    return mask


def _member(ids: npt.NDArray[np.int64], voted: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    if len(ids) > _SMALL:
        return np.isin(ids, voted)
    # np.isin costs ~13 us even on a dozen ids, and a draw happens on every vote; a binary
    # search over the sorted voted ids does the same in ~2 us.
    sorted_voted = np.sort(voted)
    at = np.minimum(np.searchsorted(sorted_voted, ids), len(sorted_voted) - 1)
    found: npt.NDArray[np.bool_] = sorted_voted[at] == ids
    return found


def _as_id_array(voted: Collection[int] | npt.ArrayLike) -> npt.NDArray[np.int64]:
    if isinstance(voted, (set, frozenset)):
        return np.fromiter(voted, dtype=np.int64, count=len(voted))
    return np.asarray(voted, dtype=np.int64).ravel()


def _draw(ids: npt.NDArray[np.int64], weights: FloatArray, rng: np.random.Generator) -> int:
    cumulative = np.cumsum(weights)
    target = rng.random() * cumulative[-1]
    # side="right": statement i owns [cumulative[i-1], cumulative[i]), an interval as long as
    # its weight. The clip guards the one case rounding lets target reach the total.
    index = min(int(np.searchsorted(cumulative, target, side="right")), len(ids) - 1)
    return int(ids[index])
