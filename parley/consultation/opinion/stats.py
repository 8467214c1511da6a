"""Pol.is's per-statement statistics, vectorised over statements (pure: numpy only, no Django).

Every formula follows the Pol.is math worker (`compdemocracy/polis:math/`, research note
`polis.md` §1.4 and §1.9-§1.11) closely enough to reproduce its stored output: repness and its
selection, majority ("consensus") statements, group-aware consensus, comment extremity and the
comment priorities that drive routing. Votes use the export sign: agree = +1, disagree = -1,
pass = 0.

Pol.is does its arithmetic on exact Clojure ratios wherever both operands are integers. Here each
such ratio is one float division of exact integers, so equal ratios give equal floats and exact
ties stay ties; Clojure turns a ratio into a double through 16 significant decimal digits, so a
value can differ from Pol.is's in its last bit. Comparisons Pol.is makes on exact ratios
(p > 1/2, r > 1) are made on integers here, so they agree exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce

import numpy as np
import numpy.typing as npt

from parley.consultation.opinion.types import (
    AGREE,
    DISAGREE,
    BoolArray,
    ConsensusStatement,
    FloatArray,
    IntArray,
    RepresentativeStatement,
)

Z_90 = 1.2816  # Pol.is `z-sig-90?`: one-sided 90% threshold, compared with a strict >
META_PRIORITY = 7.0  # Pol.is `meta-priority`, squared like every priority (§1.11)
N_REPRESENTATIVE = 5  # statements shown per group (§1.9)
N_CONSENSUS = 5  # statements per consensus list (§1.10)


@dataclass(frozen=True)
class GroupCounts:
    """Final votes per group and statement: arrays of shape (k, m), int64.

    `seen` counts every vote, passes included, as Pol.is's `ns` and `S` do.
    """

    agree: IntArray
    disagree: IntArray
    seen: IntArray

    def __post_init__(self) -> None:
        shapes = {self.agree.shape, self.disagree.shape, self.seen.shape}
        if len(shapes) != 1 or self.seen.ndim != 2:
            raise ValueError("agree, disagree and seen must be 2-D arrays of one shape (k, m)")


def count_by_group(
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    values: npt.ArrayLike,
    membership: npt.ArrayLike,
    k: int,
    m: int,
) -> GroupCounts:
    """Count the agrees, disagrees and votes seen per group and statement in O(votes).

    `rows`/`cols` are dense participant/statement indices of each participant's latest vote on a
    statement, `values` its sign. `membership[row]` is the participant's group, or -1 to leave
    them out (Pol.is counts only clustered, in-conv participants in group statistics).
    """
    row = np.asarray(rows, dtype=np.int64)
    col = np.asarray(cols, dtype=np.int64)
    group = np.asarray(membership, dtype=np.int64)[row]
    if col.size and (col.min() < 0 or col.max() >= m):
        raise ValueError(f"statement indices must lie in [0, {m})")
    if group.size and group.max() >= k:
        raise ValueError(f"group indices must lie in [-1, {k})")
    kind = np.asarray(values, dtype=np.int64) + 1  # disagree 0, pass 1, agree 2
    if kind.size and (kind.min() < 0 or kind.max() > 2):
        raise ValueError("votes must be -1, 0 or +1 (export sign)")
    counted = group >= 0
    # One bin per (group, statement, vote), so a single bincount fills the whole matrix.
    key = (group[counted] * m + col[counted]) * 3 + kind[counted]
    bins = np.bincount(key, minlength=k * m * 3).astype(np.int64).reshape(k, m, 3)
    return GroupCounts(
        agree=bins[:, :, AGREE + 1].copy(),
        disagree=bins[:, :, DISAGREE + 1].copy(),
        seen=bins.sum(axis=2),
    )


def comment_extremity(center: npt.ArrayLike, components: npt.ArrayLike) -> FloatArray:
    """Return each statement's extremity: how far agreeing with it alone moves a participant.

    Pol.is (`pca-project-cmnts`, §1.4) projects a virtual participant who agreed with statement j
    and voted on nothing else; with the sparsity scaling sqrt(n_cmts / 1) that gives
    E_j = sqrt(n_cmts) * |1 - c_j| * ||(pc1_j, pc2_j)||. `center` must be in the export sign
    (Pol.is stores it in its internal sign, agree = -1: negate it first); the components' sign
    does not matter.
    """
    centre = np.asarray(center, dtype=np.float64)
    comps = np.atleast_2d(np.asarray(components, dtype=np.float64))
    if comps.shape[1] != centre.shape[0]:
        raise ValueError("components must have shape (n_components, len(center))")
    # n_cmts counts every column, moderated-out ones included, as in Pol.is.
    lengths: FloatArray = np.sqrt((comps**2).sum(axis=0))
    distances: FloatArray = np.abs(1.0 - centre) * lengths
    return math.sqrt(centre.shape[0]) * distances


def _ids(statement_ids: npt.ArrayLike, m: int) -> IntArray:
    """Return the statement ids as an array, checking there is one per column."""
    ids = np.asarray(statement_ids, dtype=np.int64)
    if ids.shape != (m,):
        raise ValueError(f"statement_ids must have shape ({m},), not {ids.shape}")
    return ids


def _mask(mask: npt.ArrayLike, m: int) -> BoolArray:
    """Return a per-statement flag array, checking it is boolean with one flag per column."""
    flags = np.asarray(mask)
    if flags.shape != (m,) or flags.dtype != np.bool_:
        raise ValueError(
            f"a boolean mask of shape ({m},) is needed, not {flags.dtype} {flags.shape}"
        )
    return flags


# --- Pol.is `stats.clj` and `comment-stats`, vectorised (§1.9) ---------------------------------


def _ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """Return the float nearest an exact ratio of integers (Pol.is computes a Clojure ratio)."""
    return np.asarray(numerator, dtype=np.float64) / np.asarray(denominator, dtype=np.float64)


def _laplace(successes: IntArray, trials: IntArray) -> FloatArray:
    """Return the smoothed proportion (n + 1) / (N + 2): Pol.is's pa, pd (§1.9)."""
    return _ratio(successes + 1, trials + 2)


def _prop_test(successes: IntArray, trials: IntArray) -> FloatArray:
    """Return Pol.is's one-proportion z: 2 sqrt(N+1) ((n+1)/(N+1) - 1/2), note +1/+1 (§1.9)."""
    n = trials + 1
    return 2.0 * np.sqrt(n) * (_ratio(successes + 1, n) - 0.5)


def _two_prop_test(
    succ_in: IntArray, succ_out: IntArray, pop_in: IntArray, pop_out: IntArray
) -> FloatArray:
    """Return Pol.is's two-proportion z with all four counts +1, and 0 when pi-hat is 1 (§1.9)."""
    a, c = succ_in + 1, succ_out + 1
    b, d = pop_in + 1, pop_out + 1
    pooled_s, pooled_n = a + c, b + d
    # Pol.is forms pi1 - pi2 and the variance as exact ratios; so do we, up to one rounding each.
    difference = _ratio(a * d - c * b, b * d)
    variance = _ratio(
        pooled_s.astype(np.float64) * (pooled_n - pooled_s),
        pooled_n.astype(np.float64) * b * d,
    )
    degenerate = pooled_s == pooled_n  # pi-hat = 1: Pol.is returns 0 rather than a limit
    spread = np.sqrt(np.where(degenerate, 1.0, variance))
    return np.where(degenerate, 0.0, difference / spread)


@dataclass(frozen=True)
class _Side:
    """One side (agree or disagree) of Pol.is's comment stats, arrays of shape (k, m) (§1.9)."""

    n: IntArray  # successes in the group: na or nd
    p: FloatArray  # pa / pd
    p_test: FloatArray  # pat / pdt
    r: FloatArray  # ra / rd
    r_test: FloatArray  # rat / rdt
    p_above_half: BoolArray  # p > 1/2, on integers as Pol.is's exact ratio is compared
    r_above_one: BoolArray  # r > 1, likewise


def _side(successes: IntArray, seen: IntArray) -> _Side:
    """Compute one side's stats for each group against the sum of all the other groups."""
    rest_successes = successes.sum(axis=0) - successes
    rest_seen = seen.sum(axis=0) - seen
    # r = p_in / ((N_out + 1) / (S_out + 2)): Pol.is keeps it an exact ratio of integers.
    r_numerator = (successes + 1) * (rest_seen + 2)
    r_denominator = (seen + 2) * (rest_successes + 1)
    return _Side(
        n=successes,
        p=_laplace(successes, seen),
        p_test=_prop_test(successes, seen),
        r=_ratio(r_numerator, r_denominator),
        r_test=_two_prop_test(successes, rest_successes, seen, rest_seen),
        p_above_half=2 * successes > seen,  # (n + 1) / (S + 2) > 1/2
        r_above_one=r_numerator > r_denominator,
    )


@dataclass(frozen=True)
class _Final:
    """Pol.is `finalize-cmt-stats` for every (group, statement): its more representative side."""

    for_agree: BoolArray
    n_success: IntArray
    n_trials: IntArray
    p_success: FloatArray
    p_test: FloatArray
    repness: FloatArray
    repness_test: FloatArray


def _finalize(agree: _Side, disagree: _Side, seen: IntArray) -> _Final:
    """Take the agree side where rat > rdt, else the disagree side (a tie goes to disagree)."""
    for_agree = agree.r_test > disagree.r_test
    return _Final(
        for_agree=for_agree,
        n_success=np.where(for_agree, agree.n, disagree.n),
        n_trials=seen,  # ns counts passes too (Pol.is `count-votes` keeps every non-nil cell)
        p_success=np.where(for_agree, agree.p, disagree.p),
        p_test=np.where(for_agree, agree.p_test, disagree.p_test),
        repness=np.where(for_agree, agree.r, disagree.r),
        repness_test=np.where(for_agree, agree.r_test, disagree.r_test),
    )


# --- Pol.is `select-rep-comments` (§1.9) --------------------------------------------------------


def _records(candidates: IntArray, metric: FloatArray, threshold: float) -> IntArray:
    """Return the candidates, in order, that beat `threshold` and every earlier one (strict >)."""
    values = metric[candidates]
    bar = np.maximum.accumulate(np.concatenate(([threshold], values)))[:-1]
    return candidates[values > bar]


def _best_agree(agree: _Side, g: int, candidates: IntArray, z: float) -> int | None:
    """Replay Pol.is's `beats-best-agr?` scan of group g over `candidates`, in column order.

    The first statement taken needs pat significant, or ra > 1 and pa > 1/2. Later statements
    replace the best when they beat it on ra*rat*pa*pat while the best has ra > 1, else on
    pa*pat. Between changes of criterion the winners are running-maximum records, so the loop
    runs once per change of criterion, not once per statement: a few times on real data, at
    worst once per statement (under a second for 10,000 statements built to alternate).
    """
    by_repness = agree.r_above_one[g]
    starts = (agree.p_test[g] > z) | (by_repness & agree.p_above_half[g])
    first = candidates[starts[candidates]]
    if not first.size:
        return None
    pa, pat, ra, rat = agree.p[g], agree.p_test[g], agree.r[g], agree.r_test[g]
    # Pol.is multiplies left to right; keeping its order keeps its ties.
    metrics = {False: pa * pat, True: ra * rat * pa * pat}
    best = int(first[0])
    rest = candidates[candidates > best]
    while rest.size:
        mode = bool(by_repness[best])
        winners = _records(rest, metrics[mode], float(metrics[mode][best]))
        switches = winners[by_repness[winners] != mode]
        if not switches.size:
            return int(winners[-1]) if winners.size else best
        best = int(switches[0])
        rest = rest[rest > best]
    return best


def _best_by_test(agree: _Side, disagree: _Side, g: int, candidates: IntArray) -> int | None:
    """Replay Pol.is's `beats-best-by-test?` fallback: the statement with the largest max(rat, rdt).

    Pol.is compares each statement's max(rat, rdt) (a double) with the best's stored
    repness-test, which `finalize-cmt-stats` has rounded to float32; replaying that rounding
    keeps its choice when two values agree to float32 precision. Only groups where no statement
    passes reach this, so one step per change of best is cheap enough.
    """
    if not candidates.size:
        return None
    z_max = np.maximum(agree.r_test[g], disagree.r_test[g])[candidates]
    at = 0
    while True:
        stored = float(np.float32(z_max[at]))
        later = np.flatnonzero(z_max[at + 1 :] > stored)
        if not later.size:
            return int(candidates[at])
        at += 1 + int(later[0])


def _repness_order(final: _Final, g: int, chosen: IntArray) -> IntArray:
    """Sort `chosen` by Pol.is's `repness-metric`, descending and stable (`repness-sort`)."""
    # repness-test is stored as float32 before this product is taken (`finalize-cmt-stats`).
    stored_test = final.repness_test[g, chosen].astype(np.float32).astype(np.float64)
    metric = final.repness[g, chosen] * stored_test * final.p_success[g, chosen]
    metric = metric * final.p_test[g, chosen]
    return chosen[np.argsort(-metric, kind="stable")]


def _statement(
    final: _Final, g: int, j: int, ids: IntArray, best_agree: bool
) -> RepresentativeStatement:
    """Build the shared-contract record for statement column j in group g."""
    return RepresentativeStatement(
        statement=int(ids[j]),
        repful="agree" if final.for_agree[g, j] else "disagree",
        n_success=int(final.n_success[g, j]),
        n_trials=int(final.n_trials[g, j]),
        p_success=float(final.p_success[g, j]),
        p_test=float(final.p_test[g, j]),
        repness=float(final.repness[g, j]),
        repness_test=float(final.repness_test[g, j]),
        best_agree=best_agree,
    )


@dataclass(frozen=True)
class _GroupInputs:
    """What selecting one group's statements needs; built once for all groups."""

    agree: _Side
    disagree: _Side
    final: _Final
    sufficient: BoolArray  # (k, m): passes-by-test? and not moderated out
    eligible: IntArray  # columns not moderated out, in order
    voted: BoolArray  # (k, m): na + nd > 0, without which `beats-best-agr?` refuses
    ids: IntArray


def _fallback(
    inputs: _GroupInputs, g: int, best_agree: int | None
) -> tuple[RepresentativeStatement, ...]:
    """Return the lone statement Pol.is shows when nothing passes: best agree, else best by test."""
    head = best_agree
    if head is None:
        head = _best_by_test(inputs.agree, inputs.disagree, g, inputs.eligible)
    if head is None:
        return ()
    return (_statement(inputs.final, g, head, inputs.ids, best_agree=head == best_agree),)


def _select_group(inputs: _GroupInputs, g: int, z: float) -> tuple[RepresentativeStatement, ...]:
    """Select group g's representative statements as Pol.is's `select-rep-comments` does."""
    candidates = inputs.eligible[inputs.voted[g, inputs.eligible]]
    best_agree = _best_agree(inputs.agree, g, candidates, z)
    chosen = np.flatnonzero(inputs.sufficient[g])
    if not chosen.size:
        return _fallback(inputs, g, best_agree)
    lead = []
    if best_agree is not None:
        # The best agree goes first whether or not it passes; drop it from the sorted rest.
        lead = [best_agree]
        chosen = chosen[chosen != best_agree]
    ranked = _repness_order(inputs.final, g, chosen)[: N_REPRESENTATIVE - len(lead)]
    picked = lead + [int(j) for j in ranked]
    # Agrees before disagrees, each keeping its order (`agrees-before-disagrees`).
    picked.sort(key=lambda j: not inputs.final.for_agree[g, j])
    return tuple(_statement(inputs.final, g, j, inputs.ids, j == best_agree) for j in picked)


def repness(
    counts: GroupCounts,
    statement_ids: npt.ArrayLike,
    mod_out: npt.ArrayLike,
    z: float = Z_90,
) -> list[tuple[RepresentativeStatement, ...]]:
    """Return each group's representative statements, selected and ordered as Pol.is does (§1.9).

    For group g and statement c, with n = the group's counts and N = all other groups' summed:
    pa = (na+1)/(ns+2); pat = 2 sqrt(ns+1) ((na+1)/(ns+1) - 1/2); ra = pa / ((Na+1)/(Ns+2));
    rat = the two-proportion z with all four counts +1; likewise for disagree. A statement
    passes when (rat > z and pat > z) or (rdt > z and pdt > z); it is representative "for"
    agree when rat > rdt. Passing statements are sorted by repness * repness-test * p-success *
    p-test; the best-agree statement (`beats-best-agr?`) goes first; the first five are kept
    and agrees are moved before disagrees. A group where nothing passes gets its best-agree
    statement alone, else the statement with the largest max(rat, rdt).

    `counts` are the clustered participants' final votes per group (Pol.is counts on its rating
    matrix, where moderated-out columns are zeroed; they are excluded from selection here, so
    raw counts give the same result). `mod_out` marks the statements never to select. Columns
    are scanned in their order, which breaks ties: Pol.is scans statements in order of first
    vote, which for its fixtures is the order of ids. Pol.is has no column for a statement nobody
    voted on; leave such statements out (or in `mod_out`) to mirror it exactly.
    """
    m = counts.seen.shape[1]
    ids, keep = _ids(statement_ids, m), ~_mask(mod_out, m)
    agree = _side(counts.agree, counts.seen)
    disagree = _side(counts.disagree, counts.seen)
    passes = ((agree.r_test > z) & (agree.p_test > z)) | (
        (disagree.r_test > z) & (disagree.p_test > z)
    )
    inputs = _GroupInputs(
        agree=agree,
        disagree=disagree,
        final=_finalize(agree, disagree, counts.seen),
        sufficient=passes & keep,
        eligible=np.flatnonzero(keep),
        voted=(counts.agree + counts.disagree) > 0,
        ids=ids,
    )
    return [_select_group(inputs, g, z) for g in range(counts.seen.shape[0])]


# --- Majority ("consensus") statements and group-aware consensus (§1.10) ------------------------


def _consensus_side(
    successes: IntArray, seen: IntArray, keep: BoolArray, ids: IntArray
) -> tuple[ConsensusStatement, ...]:
    """Return the top five statements with p > 1/2 and p-test > z, by p * p-test (stable)."""
    p = _laplace(successes, seen)
    test = _prop_test(successes, seen)
    chosen = np.flatnonzero(keep & (2 * successes > seen) & (test > Z_90))
    metric = p[chosen] * test[chosen]
    top = chosen[np.argsort(-metric, kind="stable")][:N_CONSENSUS]
    return tuple(
        ConsensusStatement(
            statement=int(ids[j]),
            n_success=int(successes[j]),
            n_trials=int(seen[j]),
            p_success=float(p[j]),
            p_test=float(test[j]),
        )
        for j in top
    )


def consensus(
    counts_all: GroupCounts, statement_ids: npt.ArrayLike, mod_out: npt.ArrayLike
) -> tuple[tuple[ConsensusStatement, ...], tuple[ConsensusStatement, ...]]:
    """Return Pol.is's majority statements: (agree top 5, disagree top 5) (§1.10).

    `counts_all` has one row (k = 1) counting every participant's final votes, clustered or not:
    Pol.is takes these over its whole rating matrix. Moderated-out statements are never chosen.
    """
    if counts_all.seen.shape[0] != 1:
        raise ValueError("consensus needs counts over all participants as one group (k = 1)")
    m = counts_all.seen.shape[1]
    ids, keep = _ids(statement_ids, m), ~_mask(mod_out, m)
    seen = counts_all.seen[0]
    return (
        _consensus_side(counts_all.agree[0], seen, keep, ids),
        _consensus_side(counts_all.disagree[0], seen, keep, ids),
    )


def group_aware_consensus(counts: GroupCounts) -> FloatArray:
    """Return each statement's product over groups of (A_g + 1) / (S_g + 2) (§1.10).

    S_g counts passes, so passing counts against consensus. Pol.is takes the counts from its raw
    matrix (moderated-out statements are not zeroed) over clustered participants only.
    """
    # Pol.is's stored values equal (A + 1) * (1 / (S + 2)) bit for bit (all five fixtures and
    # bg2050's export), where (A + 1) / (S + 2) differs in the last bit for a third of them.
    shares = (counts.agree + 1.0) * (1.0 / (counts.seen + 2.0))
    # Multiply group by group, in group order, as Pol.is's `reduce *` does.
    return reduce(np.multiply, shares, np.ones(counts.seen.shape[1]))


# --- Comment priorities (§1.11) -------------------------------------------------------------------


def priorities(counts: GroupCounts, extremity: npt.ArrayLike, meta: npt.ArrayLike) -> FloatArray:
    """Return Pol.is's routing priority for each statement (§1.11); meta statements get 7² = 49.

    With A, D, S summed over groups and P = S - A - D:
    importance = (1 - (P+1)/(S+2)) (E+1) (A+1)/(S+2) and
    priority = (importance * (1 + 8 * 2^(-S/5)))², the factor boosting new statements.

    Pol.is computes this from the *previous* update's group votes (`:comment-priorities` reads
    `(:group-votes conv)`, the state before the update) with the current extremity. Pass the
    previous update's counts to reproduce Pol.is's lag, or the current counts to drop it.
    """
    agree = counts.agree.sum(axis=0)
    disagree = counts.disagree.sum(axis=0)
    seen = counts.seen.sum(axis=0)
    # 1 - (P+1)/(S+2) = (A+D+1)/(S+2): Pol.is subtracts exact ratios, so this is that ratio.
    not_passed = _ratio(agree + disagree + 1, seen + 2)
    agreed = _ratio(agree + 1, seen + 2)
    importance = not_passed * (np.asarray(extremity, dtype=np.float64) + 1.0) * agreed
    novelty = 1.0 + 8.0 * np.power(2.0, _ratio(seen, -5))
    priority = (importance * novelty) ** 2
    return np.where(_mask(meta, len(seen)), META_PRIORITY**2, priority)
