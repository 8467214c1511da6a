"""What one opinion-map update hands to the next, and its byte form for the database.

Pol.is persists its conversation between updates (research note §1.1) and warm-starts PCA, the
base clusters and the in-conv set from it; it loses the per-k group clusterings and the k
smoother on restart. Here all of them are kept, as plain numpy arrays, so that `np.savez` can
store them without pickle.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from parley.consultation.opinion.clusters import KSmoother
from parley.consultation.opinion.matrix import LogMark, VoteMatrix
from parley.consultation.opinion.types import BoolArray, FloatArray, IntArray, OpinionState

STATE_VERSION = 1
_GROUP_PREFIX = "group_labels_k"


@dataclass(frozen=True)
class Memory:
    """The warm-start data of one update, aligned as noted per field."""

    participants: IntArray  # participant ids, in row order
    in_conv: BoolArray  # per participant: clustered (sticky, Pol.is §1.5)
    statements: IntArray  # statement ids, sorted (columns)
    pca_block: FloatArray  # (p, #statements): components first, then guard vectors
    base_ids: IntArray  # base cluster ids, ascending
    base_centers: FloatArray  # (#base, 2)
    base_labels: IntArray  # per participant: base cluster id, -1 when not clustered
    group_labels: dict[int, IntArray]  # per k: each base cluster's group id in that clustering
    smoother: KSmoother | None
    display_labels: IntArray  # per base cluster: the shown group id
    group_agree: IntArray  # (#groups, #statements): the shown groups' votes, for priorities
    group_disagree: IntArray
    group_seen: IntArray
    matrix: VoteMatrix | None = None  # the vote matrix itself, to patch rather than rebuild
    log_mark: LogMark | None = None  # which log built `matrix`


_MATRIX_KEYS = ("matrix_indptr", "matrix_indices", "matrix_values")


def to_state(memory: Memory) -> OpinionState:
    """Wrap a Memory as the opaque OpinionState (a mapping of numpy arrays)."""
    smoother = memory.smoother
    payload: dict[str, np.ndarray] = {
        "version": np.array(STATE_VERSION),
        "participants": memory.participants,
        "in_conv": memory.in_conv,
        "statements": memory.statements,
        "pca_block": memory.pca_block,
        "base_ids": memory.base_ids,
        "base_centers": memory.base_centers,
        "base_labels": memory.base_labels,
        "smoother": np.array(
            [] if smoother is None else [smoother.last_k, smoother.count, smoother.smoothed_k],
            dtype=np.int64,
        ),
        "display_labels": memory.display_labels,
        "group_agree": memory.group_agree,
        "group_disagree": memory.group_disagree,
        "group_seen": memory.group_seen,
    }
    for k, labels in memory.group_labels.items():
        payload[f"{_GROUP_PREFIX}{k}"] = labels
    if memory.matrix is not None and memory.log_mark is not None:
        payload.update(_matrix_payload(memory.matrix, memory.log_mark))
    return OpinionState(payload=payload)


def _matrix_payload(matrix: VoteMatrix, mark: LogMark) -> dict[str, np.ndarray]:
    return {
        "matrix_indptr": matrix.indptr,
        "matrix_indices": matrix.indices,
        "matrix_values": matrix.values,
        "log_length": np.array(mark.length, dtype=np.int64),
        "log_digest": np.frombuffer(mark.digest, dtype=np.uint8),
        "log_last_time": np.array([] if mark.last_time is None else [mark.last_time], np.int64),
    }


def _matrix_from(payload: Mapping[str, Any]) -> tuple[VoteMatrix | None, LogMark | None]:
    if "log_digest" not in payload:
        return None, None
    last_time = np.asarray(payload["log_last_time"])
    mark = LogMark(
        length=int(payload["log_length"]),
        digest=np.asarray(payload["log_digest"], dtype=np.uint8).tobytes(),
        last_time=int(last_time[0]) if last_time.size else None,
    )
    if not all(key in payload for key in _MATRIX_KEYS):
        return None, mark
    matrix = VoteMatrix(
        participants=np.asarray(payload["participants"]),
        statements=np.asarray(payload["statements"]),
        indptr=np.asarray(payload["matrix_indptr"]),
        indices=np.asarray(payload["matrix_indices"]),
        values=np.asarray(payload["matrix_values"]),
    )
    return matrix, mark


def from_state(state: OpinionState) -> Memory | None:
    """Return the Memory inside a state, or None for an empty or foreign state."""
    p = state.payload
    if "version" not in p or int(p["version"]) != STATE_VERSION:
        return None
    smoother = np.asarray(p["smoother"])
    matrix, mark = _matrix_from(p)
    return Memory(
        participants=np.asarray(p["participants"]),
        in_conv=np.asarray(p["in_conv"]),
        statements=np.asarray(p["statements"]),
        pca_block=np.asarray(p["pca_block"]),
        base_ids=np.asarray(p["base_ids"]),
        base_centers=np.asarray(p["base_centers"]),
        base_labels=np.asarray(p["base_labels"]),
        group_labels={
            int(key[len(_GROUP_PREFIX) :]): np.asarray(value)
            for key, value in p.items()
            if key.startswith(_GROUP_PREFIX)
        },
        smoother=KSmoother(*(int(v) for v in smoother)) if smoother.size else None,
        display_labels=np.asarray(p["display_labels"]),
        group_agree=np.asarray(p["group_agree"]),
        group_disagree=np.asarray(p["group_disagree"]),
        group_seen=np.asarray(p["group_seen"]),
        matrix=matrix,
        log_mark=mark,
    )


def state_to_bytes(state: OpinionState, *, include_matrix: bool = True) -> bytes:
    """Serialise a state with `np.savez` (no pickle) for storage in the database.

    The vote matrix makes up most of the bytes (about 5 per vote); it lets the next update patch
    the matrix with the new votes instead of rebuilding it. `include_matrix=False` keeps only
    O(participants + statements) bytes; the next update then rebuilds the matrix (same result).
    """
    buffer = io.BytesIO()
    arrays = {
        key: np.asarray(value)
        for key, value in state.payload.items()
        if include_matrix or key not in _MATRIX_KEYS
    }
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def state_from_bytes(data: bytes) -> OpinionState:
    """Load a state written by `state_to_bytes` (never unpickles)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return OpinionState(payload={key: archive[key] for key in archive.files})
