"""The sparse latest-vote matrix (research note §1.2, spec S1-S2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.consultation.opinion import matrix as matrix_module
from parley.consultation.opinion.matrix import build_vote_matrix, extend_vote_matrix, mark_log
from parley.consultation.opinion.types import VoteLog


def _log(rows, time=None) -> VoteLog:
    participant, statement, vote = (np.array(c, dtype=np.int64) for c in zip(*rows, strict=True))
    return VoteLog(
        participant,
        statement,
        vote.astype(np.int8),
        None if time is None else np.array(time, dtype=np.int64),
    )


def _cells(matrix) -> dict[tuple[int, int], int]:
    rows = matrix.rows()
    return {
        (int(matrix.participants[r]), int(matrix.statements[c])): int(v)
        for r, c, v in zip(rows, matrix.indices, matrix.values, strict=True)
    }


def _reference(log: VoteLog) -> tuple[list[int], dict[tuple[int, int], int]]:
    """Replay the log one vote at a time, as Pol.is's `update-nmat` does."""
    order = list(range(len(log.vote)))
    if log.time is not None:
        time = log.time
        order.sort(key=lambda i: (time[i], i))
    seen: list[int] = []
    cells: dict[tuple[int, int], int] = {}
    for i in order:
        p = int(log.participant[i])
        if p not in seen:
            seen.append(p)
        cells[(p, int(log.statement[i]))] = int(log.vote[i])
    return seen, cells


def test_latest_vote_wins_in_array_order():
    matrix = build_vote_matrix(_log([(5, 2, 1), (5, 2, -1), (9, 2, 0), (5, 2, 0)]))
    assert _cells(matrix) == {(5, 2): 0, (9, 2): 0}


def test_latest_vote_wins_by_time_not_position():
    log = _log([(5, 2, 1), (5, 2, -1), (7, 1, 1)], time=[30, 10, 20])
    matrix = build_vote_matrix(log)
    assert _cells(matrix) == {(5, 2): 1, (7, 1): 1}
    # Rows follow the first vote in time: participant 5 voted at t=10, 7 at t=20.
    assert matrix.participants.tolist() == [5, 7]


def test_rows_in_first_appearance_order_and_columns_sorted():
    matrix = build_vote_matrix(_log([(30, 9, 1), (10, 4, 1), (30, 1, -1), (20, 9, 0)]))
    assert matrix.participants.tolist() == [30, 10, 20]
    assert matrix.statements.tolist() == [1, 4, 9]


def test_passes_are_stored_as_votes_not_as_missing():
    matrix = build_vote_matrix(_log([(1, 1, 0), (1, 2, 1), (2, 2, 0)]))
    assert matrix.nnz == 3
    assert matrix.row_counts().tolist() == [2, 1]
    assert matrix.col_counts().tolist() == [1, 2]


def test_small_dtypes():
    matrix = build_vote_matrix(_log([(1, 1, 0), (1, 2, 1), (2, 2, -1)]))
    assert matrix.values.dtype == np.int8
    assert matrix.indices.dtype == np.int32
    assert matrix.indptr.dtype == np.int32


def test_huge_and_negative_ids_use_the_sorting_path():
    matrix = build_vote_matrix(_log([(10**15, -3, 1), (-7, 10**12, -1), (10**15, 10**12, 0)]))
    assert matrix.participants.tolist() == [10**15, -7]
    assert matrix.statements.tolist() == [-3, 10**12]
    assert _cells(matrix) == {(10**15, -3): 1, (-7, 10**12): -1, (10**15, 10**12): 0}


def test_empty_log():
    empty = np.zeros(0, dtype=np.int64)
    matrix = build_vote_matrix(VoteLog(empty, empty, np.zeros(0, dtype=np.int8)))
    assert matrix.shape == (0, 0)
    assert matrix.nnz == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 12), st.integers(0, 6), st.sampled_from([-1, 0, 1]), st.integers(0, 5)
        ),
        min_size=1,
        max_size=80,
    )
)
def test_matches_a_vote_by_vote_replay(events):
    log = _log([e[:3] for e in events], time=[e[3] for e in events])
    matrix = build_vote_matrix(log)
    participants, cells = _reference(log)
    assert matrix.participants.tolist() == participants
    assert matrix.statements.tolist() == sorted({s for _, s in cells})
    assert _cells(matrix) == cells
    # CSR invariants: column indices sorted within each row.
    for r in range(matrix.shape[0]):
        row = matrix.indices[matrix.indptr[r] : matrix.indptr[r + 1]]
        assert np.all(np.diff(row) > 0)


@pytest.mark.parametrize("seed", range(4))
def test_building_in_row_buckets_matches_the_replay(monkeypatch, seed):
    """Large logs are sorted bucket by bucket; tiny buckets must give the same matrix."""
    rng = np.random.default_rng(seed)
    n = 300
    columns = (rng.integers(0, 40, n) * 7, rng.integers(0, 9, n), rng.integers(-1, 2, n))
    log = _log(list(zip(*columns, strict=True)), time=rng.integers(0, 50, n).tolist())
    monkeypatch.setattr(matrix_module, "_CHUNK", 16)
    matrix = build_vote_matrix(log)
    participants, cells = _reference(log)
    assert matrix.participants.tolist() == participants
    assert _cells(matrix) == cells


# --- incremental patching ---------------------------------------------------------------------


def _same(a, b) -> None:
    for name in ("participants", "statements", "indptr", "indices", "values"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def _cut(log: VoteLog, end: int) -> VoteLog:
    time = None if log.time is None else log.time[:end]
    return VoteLog(log.participant[:end], log.statement[:end], log.vote[:end], time)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 8), st.sampled_from([-1, 0, 1])),
        min_size=1,
        max_size=80,
    ),
    st.integers(0, 80),
)
def test_patching_with_new_votes_equals_a_rebuild(events, cut):
    log = _log(events, time=list(range(len(events))))
    cut = min(cut, len(events))
    patched = extend_vote_matrix(build_vote_matrix(_cut(log, cut)), log, cut)
    _same(patched, build_vote_matrix(log))


def test_mark_log_recognises_its_own_prefix_only():
    log = _log([(1, 1, 1), (2, 1, -1), (1, 2, 0)], time=[1, 2, 3])
    mark, _ = mark_log(_cut(log, 2))
    assert mark_log(log, mark)[1]
    changed = VoteLog(log.participant, log.statement, np.int8([1, 1, 0]), log.time)
    assert not mark_log(changed, mark)[1]
    assert not mark_log(_cut(log, 1), mark)[1]  # a shorter log cannot extend it
    assert mark_log(log)[0].last_time == 3
