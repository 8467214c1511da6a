"""The opinion map, end to end: votes -> sparse matrix -> PCA -> clusters -> statistics.

A faithful port of one Pol.is math update (research note `polis.md` §1), built so that memory
grows with the number of votes and an update warm-starts from the previous one's state.

For benchmarks, time `compute` on a VoteLog (export sign; give `time` or pass votes in order)::

    from parley.consultation.opinion.pipeline import compute
    from parley.consultation.opinion.types import StatementSet, VoteLog
    result = compute(log, StatementSet(ids=np.unique(log.statement)))   # cold, full recompute
    update = compute(bigger_log, statements, previous=result.state)      # warm-started update
    result.timings_s   # {"matrix", "pca", "clusters", "stats", "bridging", "total"} in seconds

`replay(log, statements, batches=N)` replays a log in N chronological batches, as Pol.is's
poller would see it. For an incremental update, pass the whole grown log with `previous`: when
the old log is a prefix of the new one (checked by digest), the stored matrix is patched with
the new votes instead of rebuilt. `state_to_bytes(state)` keeps that matrix (about 5 bytes per
vote); `state_to_bytes(state, include_matrix=False)` is small and makes the next update rebuild.
Measure peak memory in a fresh process (`/usr/bin/time -v`); the first touch of fresh memory is
slow on virtual machines, so time a second run too.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from parley.consensus.statements import GroupTally, StatementScore, score_statement
from parley.consultation.opinion import clusters as cl
from parley.consultation.opinion import pca as pc
from parley.consultation.opinion import stats
from parley.consultation.opinion.matrix import (
    LogMark,
    VoteMatrix,
    build_vote_matrix,
    extend_vote_matrix,
    mark_log,
)
from parley.consultation.opinion.state import (
    Memory,
    from_state,
    state_from_bytes,
    state_to_bytes,
    to_state,
)
from parley.consultation.opinion.types import (
    BoolArray,
    BridgingScore,
    ConsensusStatement,
    FloatArray,
    Group,
    IntArray,
    OpinionResult,
    OpinionState,
    RepresentativeStatement,
    Settings,
    StatementSet,
    VoteLog,
)

__all__ = ["compute", "replay", "state_from_bytes", "state_to_bytes"]

STAGES = ("matrix", "pca", "clusters", "stats", "bridging")


class _Clock:
    """Wall time per pipeline stage."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.spent: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.spent[name] += time.perf_counter() - start

    def timings(self) -> dict[str, float]:
        return {**self.spent, "total": time.perf_counter() - self.started}


@dataclass(frozen=True)
class _Columns:
    """Per-column flags: Pol.is `mod-out` (rejected or meta, zeroed in the maths) and meta."""

    mod_out: BoolArray
    meta: BoolArray


def _vote_matrix(log: VoteLog, memory: Memory | None) -> tuple[VoteMatrix, LogMark]:
    """Patch last update's matrix with the new votes when the log only grew, else rebuild."""
    previous = None if memory is None else memory.log_mark
    mark, grew = mark_log(log, previous)
    old = None if memory is None else memory.matrix
    if grew and old is not None and previous is not None and _not_older(log, previous):
        return extend_vote_matrix(old, log, previous.length), mark
    return build_vote_matrix(log), mark


def _not_older(log: VoteLog, previous: LogMark) -> bool:
    """Return whether no new vote predates the old ones (else time order must be re-sorted)."""
    if log.time is None or previous.last_time is None:
        return log.time is None and previous.last_time is None
    new = log.time[previous.length :]
    return bool(new.size == 0 or new.min() >= previous.last_time)


def _columns(matrix: VoteMatrix, statements: StatementSet) -> _Columns:
    """Flag the matrix's columns that are moderated out or meta."""
    ids = matrix.statements
    meta = np.isin(ids, np.fromiter(statements.meta, dtype=np.int64))
    rejected = np.isin(ids, np.fromiter(statements.moderated_out, dtype=np.int64))
    # Pol.is §1.2: mod-out = {mod = -1} ∪ {is_meta}.
    return _Columns(mod_out=rejected | meta, meta=meta)


def _aligned(values: np.ndarray, old_ids: IntArray, new_ids: IntArray, fill: object) -> np.ndarray:
    """Re-index the last axis of `values` from `old_ids` to `new_ids`, filling ids not seen."""
    shape = (*values.shape[:-1], len(new_ids))
    out = np.full(shape, fill, dtype=values.dtype)
    if len(old_ids) == 0 or len(new_ids) == 0:
        return out
    at = np.clip(np.searchsorted(old_ids, new_ids), 0, len(old_ids) - 1)
    found = old_ids[at] == new_ids
    out[..., found] = values[..., at[found]]
    return out


def _lookup(old_ids: IntArray, old_values: IntArray, new_ids: IntArray, fill: int) -> IntArray:
    """Map each of `new_ids` to its value among unsorted `old_ids` (fill when absent)."""
    order = np.argsort(old_ids, kind="stable")
    return _aligned(old_values[order], old_ids[order], new_ids, fill)


# --- PCA and projection ---


@dataclass(frozen=True)
class _Map:
    """The PCA, every participant's (x, y) and each statement's extremity."""

    pca: pc.PCAResult
    xy: FloatArray  # (n, 2)
    extremity: FloatArray


def _map(matrix: VoteMatrix, columns: _Columns, memory: Memory | None, seed: int) -> _Map:
    """Run the PCA (warm from last update's block) and project every participant."""
    center = pc.column_center(matrix, columns.mod_out)
    xc = pc.centered(matrix, center, columns.mod_out)
    start = None
    if memory is not None and memory.pca_block.size:
        start = _aligned(memory.pca_block, memory.statements, matrix.statements, 0.0)
    result = pc.principal_components(xc, center, start=start, seed=seed)
    xy = pc.project(matrix, xc, result.components, columns.mod_out)
    return _Map(result, xy, stats.comment_extremity(center, result.components))


# --- clustering ---


@dataclass(frozen=True)
class _Groups:
    """Who is clustered, the base and group clusterings, and the shown groups' names."""

    in_conv: BoolArray  # per participant
    base: cl.Clustering  # points = in-conv participants in row order
    clusterings: dict[int, cl.Clustering]  # per k; points = base clusters
    smoother: cl.KSmoother | None
    display: IntArray  # per base cluster: shown group id (-1 if none)
    group_ids: IntArray  # shown group ids, ascending


def _cluster(
    matrix: VoteMatrix, xy: FloatArray, memory: Memory | None, settings: Settings
) -> _Groups:
    """Choose who is clustered, then run the base and group levels and name the groups."""
    previous_in = None
    if memory is not None:
        previous_in = np.isin(matrix.participants, memory.participants[memory.in_conv])
    in_conv = cl.select_in_conv(
        matrix.row_counts(),
        matrix.shape[1],
        previous_in,
        min_votes=settings.min_votes_in_conv,
        greedy=settings.greedy_in_conv,
    )
    base = _base_clusters(matrix, xy, in_conv, memory, settings)
    sizes = base.sizes()
    clusterings = cl.group_clusterings(
        base.centers,
        sizes,
        _previous_groupings(base, memory),
        max_k=settings.max_k,
        max_iters=settings.group_iters,
    )
    smoother, chosen = _choose(base, clusterings, memory, settings.k_buffer)
    display = _display_ids(base, sizes, chosen, memory)
    return _Groups(in_conv, base, clusterings, smoother, display, np.unique(display[display >= 0]))


def _base_clusters(
    matrix: VoteMatrix,
    xy: FloatArray,
    in_conv: BoolArray,
    memory: Memory | None,
    settings: Settings,
) -> cl.Clustering:
    """Run Pol.is's base k-means (k = 100) on the in-conv participants, warm when possible."""
    points = xy[in_conv]
    if len(points) == 0:
        return cl.Clustering(np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64))
    previous = None
    if memory is not None:
        ids = matrix.participants[in_conv]
        previous = _lookup(memory.participants, memory.base_labels, ids, -1)
    weights = np.ones(len(points))
    start = cl.start_clusters(points, weights, previous, settings.base_k)
    return cl.kmeans(points, weights, start, max_iters=settings.base_iters)


def _previous_groupings(base: cl.Clustering, memory: Memory | None) -> dict[int, IntArray]:
    """Return, per k, each current base cluster's group id last time (-1 for new clusters)."""
    if memory is None:
        return {}
    return {
        k: _aligned(labels, memory.base_ids, base.ids, -1)
        for k, labels in memory.group_labels.items()
    }


def _choose(
    base: cl.Clustering,
    clusterings: Mapping[int, cl.Clustering],
    memory: Memory | None,
    buffer: int,
) -> tuple[cl.KSmoother | None, cl.Clustering | None]:
    """Pick k by silhouette, smoothed over updates (Pol.is §1.7); None without two base clusters."""
    previous = None if memory is None else memory.smoother
    if not clusterings:
        # Fewer than two base clusters: no k to choose, everyone clustered is one group.
        if len(base.ids) == 0:
            return previous, None
        labels = np.zeros(len(base.ids), dtype=np.int64)
        return previous, cl.Clustering(np.zeros(1, np.int64), base.centers[:1], labels)
    scores = {k: cl.silhouette(base.centers, c.labels) for k, c in clusterings.items()}
    smoother = cl.smooth_k(previous, cl.best_k(scores), buffer)
    if smoother.smoothed_k not in clusterings:
        # The shown k is no longer possible (fewer base clusters): show the winner now.
        smoother = cl.KSmoother(smoother.last_k, smoother.count, smoother.last_k)
    return smoother, clusterings[smoother.smoothed_k]


def _display_ids(
    base: cl.Clustering, sizes: FloatArray, chosen: cl.Clustering | None, memory: Memory | None
) -> IntArray:
    """Name the shown groups: keep last update's id for the group sharing most members.

    Overlap is counted on base clusters (stable ids under warm starts), weighted by their sizes;
    groups left unmatched take the smallest ids not in use.
    """
    if chosen is None:
        return np.full(len(base.ids), -1, dtype=np.int64)
    groups, labels = np.unique(chosen.labels, return_inverse=True)
    previous = np.full(len(base.ids), -1, dtype=np.int64)
    if memory is not None:
        previous = _aligned(memory.display_labels, memory.base_ids, base.ids, -1)
    names = _match_names(labels, previous, sizes, len(groups))
    return names[labels]


def _match_names(labels: IntArray, previous: IntArray, sizes: FloatArray, k: int) -> IntArray:
    """Assign each of k groups a name, maximising overlap with the previous names."""
    names = np.full(k, -1, dtype=np.int64)
    known = previous >= 0
    if known.any():
        old, old_index = np.unique(previous[known], return_inverse=True)
        overlap = np.zeros((k, len(old)))
        np.add.at(overlap, (labels[known], old_index), sizes[known])
        rows, cols = linear_sum_assignment(overlap, maximize=True)
        hit = overlap[rows, cols] > 0
        names[rows[hit]] = old[cols[hit]]
    used = set(names.tolist())
    free = (i for i in itertools.count() if i not in used)
    for g in np.flatnonzero(names < 0):
        names[g] = next(free)
    return names


def _participant_groups(matrix: VoteMatrix, groups: _Groups) -> IntArray:
    """Return each participant's shown group id (-1 when not clustered)."""
    out = np.full(matrix.shape[0], -1, dtype=np.int64)
    if len(groups.base.ids):
        base_index = groups.base.index_of(groups.base.labels)
        out[groups.in_conv] = groups.display[base_index]
    return out


# --- statistics ---


@dataclass(frozen=True)
class _Stats:
    """The statement statistics of one update (Pol.is §1.9-§1.11)."""

    counts: stats.GroupCounts
    representative: list[tuple[RepresentativeStatement, ...]]
    consensus: tuple[tuple[ConsensusStatement, ...], tuple[ConsensusStatement, ...]]
    gac: FloatArray
    priority: FloatArray


def _statistics(
    matrix: VoteMatrix,
    group_ids: IntArray,
    group: IntArray,
    columns: _Columns,
    opinion_map: _Map,
    memory: Memory | None,
    settings: Settings,
) -> _Stats:
    """Count votes per shown group and derive Pol.is's statement statistics from them."""
    k = len(group_ids)
    membership = np.where(group >= 0, np.searchsorted(group_ids, group), -1)
    counts, counts_all = _count(matrix, membership, k)
    ids = matrix.statements
    return _Stats(
        counts=counts,
        representative=stats.repness(counts, ids, columns.mod_out, settings.z_90),
        consensus=stats.consensus(counts_all, ids, columns.mod_out),
        gac=stats.group_aware_consensus(counts),
        priority=stats.priorities(
            _lagged(counts, ids, memory), opinion_map.extremity, columns.meta
        ),
    )


def _count(
    matrix: VoteMatrix, membership: IntArray, k: int
) -> tuple[stats.GroupCounts, stats.GroupCounts]:
    """Return the votes per shown group (clustered only) and over everyone, in one pass.

    Participants outside every group are counted as an extra group k, so that one pass over the
    votes gives both the group counts and (summing all k + 1 rows) the counts over everyone.
    """
    both = _count_by_group(matrix, np.where(membership >= 0, membership, k), k + 1)
    counts = stats.GroupCounts(both.agree[:k], both.disagree[:k], both.seen[:k])
    everyone = stats.GroupCounts(
        both.agree.sum(axis=0, keepdims=True),
        both.disagree.sum(axis=0, keepdims=True),
        both.seen.sum(axis=0, keepdims=True),
    )
    return counts, everyone


def _count_by_group(matrix: VoteMatrix, membership: IntArray, k: int) -> stats.GroupCounts:
    """Sum `stats.count_by_group` over blocks of rows: the same counts, small temporaries.

    One call on 100M votes would build several vote-sized int64 temporaries at once.
    """
    m = matrix.shape[1]
    total = [np.zeros((k, m), dtype=np.int64) for _ in range(3)]
    for a, b in matrix.row_blocks():
        low, high = matrix.indptr[a], matrix.indptr[b]
        rows = np.repeat(np.arange(a, b), np.diff(matrix.indptr[a : b + 1]))
        part = stats.count_by_group(
            rows, matrix.indices[low:high], matrix.values[low:high], membership, k, m
        )
        for into, add in zip(total, (part.agree, part.disagree, part.seen), strict=True):
            into += add
    return stats.GroupCounts(*total)


def _lagged(counts: stats.GroupCounts, ids: IntArray, memory: Memory | None) -> stats.GroupCounts:
    """Return last update's group votes, which Pol.is's priorities read (§1.11); else current."""
    if memory is None or memory.group_seen.size == 0:
        return counts
    return stats.GroupCounts(
        agree=_aligned(memory.group_agree, memory.statements, ids, 0),
        disagree=_aligned(memory.group_disagree, memory.statements, ids, 0),
        seen=_aligned(memory.group_seen, memory.statements, ids, 0),
    )


# --- bridging ---


Tallies = tuple[tuple[int, int, int], ...]  # per group: (agree, disagree, passes)


@lru_cache(maxsize=1 << 16)
def _score(tallies: Tallies) -> StatementScore:
    """Score one statement; memoised since most statements' tallies repeat between updates."""
    return score_statement([GroupTally(*tally) for tally in tallies])


def _bridging(
    counts: stats.GroupCounts,
    names: list[int] | list[str],
    ids: IntArray,
    columns: _Columns,
) -> tuple[BridgingScore, ...]:
    """Score every statement in the maths (not mod-out) over the given partition."""
    if counts.seen.shape[0] == 0:
        return ()
    passes = counts.seen - counts.agree - counts.disagree
    # (statement, group, [agree, disagree, passes]) as plain ints, one tolist() for all.
    table = np.stack([counts.agree, counts.disagree, passes], axis=-1).transpose(1, 0, 2).tolist()
    return tuple(
        _bridging_score(int(ids[j]), _score(tuple(map(tuple, table[j]))), names)
        for j in np.flatnonzero(~columns.mod_out)
    )


def _bridging_score(
    statement: int, score: StatementScore, names: list[int] | list[str]
) -> BridgingScore:
    return BridgingScore(
        statement=statement,
        score=score.score,
        rejection=score.rejection,
        tie_break=score.tie_break,
        status=str(score.status),
        binding_group=None if score.binding is None else names[score.binding],
        votes=score.total,
        rule=score.rule,
    )


def _segment_bridging(
    matrix: VoteMatrix, segments: Mapping[int, str] | None, columns: _Columns
) -> tuple[BridgingScore, ...]:
    """Score statements over the participants' declared segments (every voter with a label)."""
    if not segments:
        return ()
    labels = sorted(set(segments.values()))
    index = {label: i for i, label in enumerate(labels)}
    membership = np.array(
        [index[segments[p]] if p in segments else -1 for p in matrix.participants.tolist()],
        dtype=np.int64,
    )
    counts = _count_by_group(matrix, membership, len(labels))
    return _bridging(counts, labels, matrix.statements, columns)


# --- the update ---


@dataclass(frozen=True)
class _Update:
    """Everything one update computed, before it is packed into an OpinionResult."""

    matrix: VoteMatrix
    mark: LogMark
    opinion_map: _Map
    groups: _Groups
    group: IntArray  # per participant: shown group id, -1 when not clustered
    figures: _Stats
    bridging: tuple[BridgingScore, ...]
    segment_bridging: tuple[BridgingScore, ...]


def compute(
    log: VoteLog,
    statements: StatementSet,
    *,
    previous: OpinionState | None = None,
    settings: Settings = Settings(),  # noqa: B008 - frozen, so one shared default is safe
    segments: Mapping[int, str] | None = None,
) -> OpinionResult:
    """Run one Pol.is update on the whole log, warm-started from `previous` when given."""
    clock = _Clock()
    memory = None if previous is None else from_state(previous)
    with clock.stage("matrix"):
        matrix, mark = _vote_matrix(log, memory)
        columns = _columns(matrix, statements)
    with clock.stage("pca"):
        opinion_map = _map(matrix, columns, memory, settings.seed)
    with clock.stage("clusters"):
        groups = _cluster(matrix, opinion_map.xy, memory, settings)
        group = _participant_groups(matrix, groups)
    with clock.stage("stats"):
        figures = _statistics(
            matrix, groups.group_ids, group, columns, opinion_map, memory, settings
        )
    with clock.stage("bridging"):
        bridging = _bridging(figures.counts, groups.group_ids.tolist(), matrix.statements, columns)
        segment_bridging = _segment_bridging(matrix, segments, columns)
    update = _Update(matrix, mark, opinion_map, groups, group, figures, bridging, segment_bridging)
    return _result(update, clock)


def _result(update: _Update, clock: _Clock) -> OpinionResult:
    """Pack an update into the shared OpinionResult contract."""
    matrix, opinion_map, figures = update.matrix, update.opinion_map, update.figures
    return OpinionResult(
        participants=matrix.participants,
        x=opinion_map.xy[:, 0].copy(),
        y=opinion_map.xy[:, 1].copy(),
        group=update.group,
        in_conv=update.groups.in_conv,
        statements=matrix.statements,
        k=len(update.groups.group_ids),
        groups=_group_summaries(opinion_map.xy, update.group, update.groups.group_ids, figures),
        pca_center=opinion_map.pca.center,
        pca_components=opinion_map.pca.components,
        extremity=opinion_map.extremity,
        consensus_agree=figures.consensus[0],
        consensus_disagree=figures.consensus[1],
        group_aware_consensus=figures.gac,
        priority=figures.priority,
        bridging=update.bridging,
        segment_bridging=update.segment_bridging,
        n_votes=matrix.nnz,
        state=to_state(_memory(update)),
        timings_s=clock.timings(),
    )


def _group_summaries(
    xy: FloatArray, group: IntArray, group_ids: IntArray, figures: _Stats
) -> tuple[Group, ...]:
    """Describe each shown group: id, size, centre of its members and representative statements."""
    out = []
    for g, gid in enumerate(group_ids.tolist()):
        members = group == gid
        center = xy[members].mean(axis=0)
        out.append(
            Group(
                id=gid,
                size=int(members.sum()),
                center=(float(center[0]), float(center[1])),
                representative=figures.representative[g],
            )
        )
    return tuple(out)


def _memory(update: _Update) -> Memory:
    """Keep what the next update warm-starts from (see `state.Memory`)."""
    matrix, groups, figures = update.matrix, update.groups, update.figures
    base = groups.base
    base_labels = np.full(matrix.shape[0], -1, dtype=np.int64)
    base_labels[groups.in_conv] = base.labels
    return Memory(
        participants=matrix.participants,
        in_conv=groups.in_conv,
        statements=matrix.statements,
        pca_block=update.opinion_map.pca.block,
        base_ids=base.ids,
        base_centers=base.centers,
        base_labels=base_labels,
        group_labels={k: c.labels for k, c in groups.clusterings.items()},
        smoother=groups.smoother,
        display_labels=groups.display,
        group_agree=figures.counts.agree,
        group_disagree=figures.counts.disagree,
        group_seen=figures.counts.seen,
        matrix=matrix,
        log_mark=update.mark,
    )


def replay(
    log: VoteLog,
    statements: StatementSet,
    *,
    batches: int,
    settings: Settings = Settings(),  # noqa: B008 - frozen, so one shared default is safe
    segments: Mapping[int, str] | None = None,
    on_update: Callable[[OpinionResult], None] | None = None,
) -> OpinionResult:
    """Replay the log in `batches` equal chronological batches, warm-starting each update.

    This is what Pol.is's poller sees (§1.1): every batch triggers a full update on all votes so
    far, started from the previous update's state.
    """
    if batches < 1:
        raise ValueError("batches must be at least 1")
    ordered = _in_time_order(log)
    n = len(ordered.vote)
    result: OpinionResult | None = None
    for i in range(1, batches + 1):
        end = (i * n) // batches
        prefix = _prefix(ordered, end)
        previous = None if result is None else result.state
        result = compute(
            prefix, statements, previous=previous, settings=settings, segments=segments
        )
        if on_update is not None:
            on_update(result)
    assert result is not None
    return result


def _in_time_order(log: VoteLog) -> VoteLog:
    """Return the log sorted by time (stable); array order is the order without times."""
    if log.time is None:
        return log
    order = np.argsort(log.time, kind="stable")
    return VoteLog(log.participant[order], log.statement[order], log.vote[order], log.time[order])


def _prefix(log: VoteLog, end: int) -> VoteLog:
    """Return the first `end` votes of the log (views, no copies)."""
    time_ = None if log.time is None else log.time[:end]
    return VoteLog(log.participant[:end], log.statement[:end], log.vote[:end], time_)
