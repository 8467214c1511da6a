"""The participant x statement vote matrix, sparse: memory grows with the number of votes only.

Pol.is (research note `polis.md` §1.2) keeps a dense, nil-filled matrix whose cells hold each
participant's latest vote; rows are participants in order of first vote and columns are the
comments with at least one vote. Here the same matrix is a CSR structure: `indptr`/`indices`
(int32 while they fit) say which cells hold a vote, `values` (int8, export sign) what it is.
Passes are stored as explicit zeros, so "voted pass" and "did not vote" stay distinct.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

from parley.consultation.opinion.types import BoolArray, IntArray, VoteArray, VoteLog

Index = npt.NDArray[np.signedinteger[Any]]  # int32 while it fits, else int64

# Ids below max(_TABLE_MIN, #votes / _VOTES_PER_TABLE_ENTRY) are coded through a dense lookup
# table (O(n), at most 5 bytes per vote); larger or negative ids fall back to sorting.
_TABLE_MIN = 1 << 20
_VOTES_PER_TABLE_ENTRY = 4


@dataclass(frozen=True)
class VoteMatrix:
    """Latest vote per (participant, statement), as CSR arrays with sorted column indices."""

    participants: IntArray  # row -> participant id, in order of first vote
    statements: IntArray  # column -> statement id, sorted
    indptr: Index
    indices: Index
    values: VoteArray

    @property
    def shape(self) -> tuple[int, int]:
        """Return (#participants, #statements)."""
        return len(self.participants), len(self.statements)

    @property
    def nnz(self) -> int:
        """Return the number of cells holding a vote (passes included)."""
        return len(self.values)

    def row_counts(self) -> IntArray:
        """Return each participant's number of votes, passes included (Pol.is user-vote-counts)."""
        return np.diff(self.indptr).astype(np.int64)

    def col_counts(self) -> IntArray:
        """Return each statement's number of votes, passes included."""
        return np.bincount(self.indices, minlength=self.shape[1]).astype(np.int64)

    def rows(self) -> Index:
        """Return the row index of every stored vote, aligned with `indices` and `values`."""
        n = self.shape[0]
        rows: Index = np.repeat(np.arange(n, dtype=self.indices.dtype), np.diff(self.indptr))
        return rows

    def row_blocks(self) -> list[tuple[int, int]]:
        """Split the rows into consecutive blocks of about a few million votes each."""
        return _row_blocks(self.indptr)

    def csr(self, data: npt.NDArray[np.generic] | None = None) -> sp.csr_array:
        """Return a scipy CSR array over this structure, holding `data` (default: the votes)."""
        values = self.values if data is None else data
        return sp.csr_array((values, self.indices, self.indptr), shape=self.shape, copy=False)


def build_vote_matrix(log: VoteLog) -> VoteMatrix:
    """Build the sparse latest-vote matrix from a vote log (later votes replace earlier ones).

    Votes are first bucketed by blocks of rows (a linear-time radix pass), then each bucket of a
    few million votes is sorted on its own: the same result as one global sort, with small,
    cache-friendly temporaries.
    """
    participant, statement, vote = _chronological(log)
    participants, row = _distinct_codes(participant)  # rows in id order until the end
    statements, col = _distinct_codes(statement)
    del participant, statement
    blocks = [
        _block(participants, statements, row, col, vote, bucket)
        for bucket in _row_buckets(row, len(participants))
    ]
    by_id = _stack(participants, statements, [matrix for matrix, _ in blocks])
    first_vote = np.concatenate([first for _, first in blocks])
    # Pol.is numbers rows in order of first vote (§1.2).
    return _reorder_rows(by_id, np.argsort(first_vote, kind="stable"))


@dataclass(frozen=True)
class _Bucket:
    """The votes (positions in the log, in time order) of the rows first_row ... end_row - 1."""

    positions: IntArray
    first_row: int
    end_row: int


def _row_buckets(row: Index, n_rows: int) -> list[_Bucket]:
    """Group the votes by blocks of consecutive rows, keeping time order within each block."""
    n_buckets = max(1, -(-len(row) // _CHUNK))
    if n_buckets == 1:
        return [_Bucket(np.arange(len(row), dtype=np.int64), 0, n_rows)]
    rows_per = -(-n_rows // n_buckets)
    bucket = (row // rows_per).astype(np.uint16)
    # A stable argsort of 16-bit keys is a radix sort: linear, and time order survives in it.
    order = np.argsort(bucket, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(bucket, minlength=n_buckets))])
    return [
        _Bucket(order[bounds[b] : bounds[b + 1]], b * rows_per, min((b + 1) * rows_per, n_rows))
        for b in range(n_buckets)
        if b * rows_per < n_rows
    ]


def _block(
    participants: IntArray,
    statements: IntArray,
    row: Index,
    col: Index,
    vote: VoteArray,
    bucket: _Bucket,
) -> tuple[VoteMatrix, IntArray]:
    """Build one bucket's rows of the matrix and the log position of each row's first vote."""
    positions = bucket.positions
    local = row[positions] - bucket.first_row
    key = _cell_keys(local, col[positions], len(statements))
    cells = _sorted_cells(key, len(statements), n_rows=bucket.end_row - bucket.first_row)
    rows = participants[bucket.first_row : bucket.end_row]
    matrix = _from_sorted_keys(rows, statements, cells.key, vote[positions[cells.last]])
    return matrix, positions[cells.first_by_row]


def _stack(participants: IntArray, statements: IntArray, blocks: list[VoteMatrix]) -> VoteMatrix:
    """Stack row blocks (in row order) into one matrix."""
    if len(blocks) == 1:
        return blocks[0]
    offsets = np.cumsum([0] + [b.nnz for b in blocks])[:-1]
    shifted = [b.indptr[1:].astype(np.int64) + o for b, o in zip(blocks, offsets, strict=True)]
    return VoteMatrix(
        participants=participants,
        statements=statements,
        indptr=_small_index(np.concatenate([np.zeros(1, dtype=np.int64), *shifted])),
        indices=np.concatenate([b.indices for b in blocks]),
        values=np.concatenate([b.values for b in blocks]),
    )


def _chronological(log: VoteLog) -> tuple[IntArray, IntArray, VoteArray]:
    """Return the log's arrays in time order (stable), without copying when already in order."""
    participant = np.asarray(log.participant, dtype=np.int64)
    statement = np.asarray(log.statement, dtype=np.int64)
    vote = np.asarray(log.vote, dtype=np.int8)
    if log.time is None or _is_sorted(np.asarray(log.time)):
        return participant, statement, vote
    order = np.argsort(log.time, kind="stable")
    return participant[order], statement[order], vote[order]


def _is_sorted(values: IntArray) -> bool:
    """Return whether the values never decrease."""
    return bool(values.size < 2 or np.all(values[1:] >= values[:-1]))


def _distinct_codes(ids: IntArray) -> tuple[IntArray, Index]:
    """Return the sorted distinct ids and each id's position among them, in O(n) when possible."""
    if ids.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    low, high = int(ids.min()), int(ids.max())
    limit = min(max(_TABLE_MIN, ids.size // _VOTES_PER_TABLE_ENTRY), np.iinfo(np.int32).max)
    if low < 0 or high >= limit:
        distinct, inverse = np.unique(ids, return_inverse=True)
        return distinct, _small_index(inverse.ravel())
    present = np.zeros(high + 1, dtype=np.bool_)
    present[ids] = True
    distinct = np.flatnonzero(present).astype(np.int64)
    table = np.cumsum(present, dtype=np.int32)
    table -= 1
    return distinct, table[ids]


def _small_index(values: IntArray) -> Index:
    """Return int32 indices when they fit, as scipy.sparse and memory both prefer."""
    if values.size == 0 or int(values.max()) < np.iinfo(np.int32).max:
        return values.astype(np.int32, copy=False)
    return values


@dataclass(frozen=True)
class _Cells:
    """The distinct voted cells, sorted, with the position of each one's latest vote."""

    key: IntArray  # row * m + col, ascending
    last: IntArray  # position in the log of the cell's latest vote
    first_by_row: IntArray  # position of each row's first vote (when asked for)


_CHUNK = 1 << 22  # elements per chunk where a temporary would otherwise be as long as the log


def _cell_keys(row: Index, col: Index, m: int) -> IntArray:
    """Return row * m + col per vote, as int64."""
    key = row.astype(np.int64)
    key *= m
    key += col
    return key


def _sorted_cells(key: IntArray, m: int, n_rows: int | None = None) -> _Cells:
    """Sort the votes by cell and, within a cell, by position in the (chronological) log.

    Pol.is overwrites a cell with each newer vote (`nm/update-nmat`, §1.2), so a cell's value is
    its last vote. Packing the vote's position under the cell key lets one unstable sort order
    both (a lexsort takes over when that would overflow 63 bits). `key` is used up in place, to
    keep the peak memory of a 100M-vote build down.
    """
    n_votes = len(key)
    if n_votes == 0 or (int(key.max()) + 1) * n_votes >= np.iinfo(np.int64).max:
        position = np.lexsort((np.arange(n_votes), key))
        return _runs(key[position], position, m, n_rows)
    cell = np.arange(n_votes, dtype=np.int64)
    key *= n_votes
    key += cell
    key.sort()
    np.floor_divide(key, n_votes, out=cell)
    for start in range(0, n_votes, _CHUNK):  # key -= cell * n_votes, without a full temporary
        key[start : start + _CHUNK] -= cell[start : start + _CHUNK] * n_votes
    return _runs(cell, key, m, n_rows)


def _runs(cell: IntArray, position: IntArray, m: int, n_rows: int | None) -> _Cells:
    """Collapse runs of equal cell keys to their last vote; find each row's first vote."""
    first_by_row = np.zeros(0, dtype=np.int64)
    if n_rows:
        # Votes are sorted by row, so each row's earliest vote is a min over one slice.
        starts = np.searchsorted(cell, np.arange(n_rows, dtype=np.int64) * m)
        first_by_row = np.minimum.reduceat(position, starts)
    last = np.empty(len(cell), dtype=np.bool_)
    last[-1:] = True
    np.not_equal(cell[1:], cell[:-1], out=last[:-1])
    return _Cells(key=cell[last], last=position[last], first_by_row=first_by_row)


def _reorder_rows(matrix: VoteMatrix, order: IntArray) -> VoteMatrix:
    """Return the matrix with its rows permuted into `order` (a cheap no-op when in order)."""
    n = len(order)
    if np.array_equal(order, np.arange(n)):
        return matrix
    counts = np.diff(matrix.indptr)[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    shift = matrix.indptr[:-1][order].astype(np.int64) - indptr[:-1]
    indices, values = np.empty_like(matrix.indices), np.empty_like(matrix.values)
    for a, b in _row_blocks(indptr):
        low, high = indptr[a], indptr[b]
        source = np.repeat(shift[a:b], counts[a:b]) + np.arange(low, high, dtype=np.int64)
        indices[low:high] = matrix.indices[source]
        values[low:high] = matrix.values[source]
    return VoteMatrix(
        participants=matrix.participants[order],
        statements=matrix.statements,
        indptr=_small_index(indptr),
        indices=indices,
        values=values,
    )


def _row_blocks(indptr: IntArray) -> list[tuple[int, int]]:
    """Split the rows into consecutive blocks of about _CHUNK entries each."""
    cuts = np.searchsorted(indptr, np.arange(_CHUNK, int(indptr[-1]), _CHUNK))
    bounds = np.unique(np.concatenate([[0], cuts, [len(indptr) - 1]]))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))


def _from_sorted_keys(
    participants: IntArray, statements: IntArray, key: IntArray, values: VoteArray
) -> VoteMatrix:
    """Assemble CSR arrays from sorted, distinct cell keys row*m+col."""
    n, m = len(participants), max(len(statements), 1)
    indptr = np.searchsorted(key, np.arange(n + 1, dtype=np.int64) * m)
    wide = m >= np.iinfo(np.int32).max
    indices: Index = np.empty(len(key), dtype=np.int64) if wide else np.empty(len(key), np.int32)
    for start in range(0, len(key), _CHUNK):  # key % m, chunked (and // is the fast division)
        part = key[start : start + _CHUNK]
        indices[start : start + _CHUNK] = part - (part // m) * m
    return VoteMatrix(
        participants=participants,
        statements=statements,
        indptr=_small_index(indptr),
        indices=indices,
        values=np.ascontiguousarray(values, dtype=np.int8),
    )


# --- incremental updates ---------------------------------------------------------------------


@dataclass(frozen=True)
class LogMark:
    """Where a vote log stood at one update: its length, a digest of it and its latest time."""

    length: int
    digest: bytes
    last_time: int | None


def _log_arrays(log: VoteLog) -> list[npt.NDArray[np.generic]]:
    """Return the log's arrays as contiguous buffers of fixed dtypes, ready for hashing."""
    arrays: list[npt.NDArray[np.generic]] = [
        np.ascontiguousarray(log.participant, dtype=np.int64),
        np.ascontiguousarray(log.statement, dtype=np.int64),
        np.ascontiguousarray(log.vote, dtype=np.int8),
    ]
    if log.time is not None:
        arrays.append(np.ascontiguousarray(log.time, dtype=np.int64))
    return arrays


def mark_log(log: VoteLog, previous: LogMark | None = None) -> tuple[LogMark, bool]:
    """Return the log's mark and whether `previous` marked a prefix of this very log.

    One pass of SHA-256 per array: the hasher is copied at the previous length to check the
    prefix, then fed the rest, so checking costs nothing beyond marking.
    """
    arrays = _log_arrays(log)
    n = len(arrays[0])
    cut = previous.length if previous is not None and previous.length <= n else n
    prefix, full = hashlib.sha256(), hashlib.sha256()
    for array in arrays:
        head = hashlib.sha256(array[:cut].data)
        prefix.update(head.copy().digest())
        head.update(array[cut:].data)
        full.update(head.digest())
    last_time = int(arrays[3].max()) if len(arrays) == 4 and n else None
    mark = LogMark(length=n, digest=full.digest(), last_time=last_time)
    same = previous is not None and cut == previous.length and prefix.digest() == previous.digest
    return mark, same


def extend_vote_matrix(matrix: VoteMatrix, log: VoteLog, start: int) -> VoteMatrix:
    """Apply the votes log[start:] to a matrix built from log[:start] (same result as a rebuild).

    The caller guarantees that log[:start] built `matrix` and that the new votes are not older
    than the old ones; then cells are overwritten or inserted in O(nnz) instead of re-sorted.
    """
    suffix = VoteLog(
        log.participant[start:],
        log.statement[start:],
        log.vote[start:],
        None if log.time is None else log.time[start:],
    )
    participant, statement, vote = _chronological(suffix)
    participants, row = _append_participants(matrix.participants, participant)
    statements = np.union1d(matrix.statements, statement).astype(np.int64)
    m = max(len(statements), 1)
    old_key = matrix.rows().astype(np.int64) * m + _remap(matrix, statements)
    new = _sorted_cells(_cell_keys(row, np.searchsorted(statements, statement), m), m)
    key, values = _merge(old_key, matrix.values, new.key, vote[new.last])
    return _from_sorted_keys(participants, statements, key, values)


def _positions(table: IntArray, ids: IntArray) -> tuple[IntArray, BoolArray]:
    """Return each id's index in `table` (distinct, unsorted) and whether it is there at all."""
    if len(table) == 0:
        return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=np.bool_)
    order = np.argsort(table, kind="stable")
    at = np.clip(np.searchsorted(table[order], ids), 0, len(table) - 1)
    return order[at], table[order][at] == ids


def _append_participants(known: IntArray, ids: IntArray) -> tuple[IntArray, IntArray]:
    """Return the rows of `ids`, appending unknown ids in order of first appearance."""
    index, found = _positions(known, ids)
    fresh, first = np.unique(ids[~found], return_index=True)
    fresh = fresh[np.argsort(first, kind="stable")]
    fresh_index, _ = _positions(fresh, ids)
    row = np.where(found, index, len(known) + fresh_index)
    return np.concatenate([known, fresh]).astype(np.int64), row


def _remap(matrix: VoteMatrix, statements: IntArray) -> IntArray:
    """Return the matrix's column indices renumbered for the (larger) sorted statement list."""
    if len(statements) == len(matrix.statements):
        return matrix.indices.astype(np.int64)
    return np.searchsorted(statements, matrix.statements)[matrix.indices]


def _merge(
    old_key: IntArray, old_values: VoteArray, new_key: IntArray, new_values: VoteArray
) -> tuple[IntArray, VoteArray]:
    """Overwrite cells present in both (sorted) key lists, insert the others in order."""
    at = np.searchsorted(old_key, new_key)
    hit = at < len(old_key)
    hit[hit] = old_key[at[hit]] == new_key[hit]
    values = old_values.copy()
    values[at[hit]] = new_values[hit]
    miss = ~hit
    key = np.insert(old_key, at[miss], new_key[miss])
    return key, np.insert(values, at[miss], new_values[miss])
