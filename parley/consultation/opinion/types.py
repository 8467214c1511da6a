"""The opinion map's inputs and outputs: plain arrays and frozen dataclasses (pure: no Django).

Signs follow Pol.is's export convention at every boundary: agree = +1, disagree = -1, pass = 0.
Participant and statement ids are the caller's own integers (Pol.is `pid` / `tid`, or Parley's
per-conversation numbers); the maths maps them to dense indices internally and back on output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

AGREE, DISAGREE, PASS = 1, -1, 0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
VoteArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class VoteLog:
    """Vote events in chronological order; a later event for the same pair replaces an earlier one.

    `time` is milliseconds since the epoch when known; without it, array order is the order.
    """

    participant: IntArray
    statement: IntArray
    vote: VoteArray
    time: IntArray | None = None

    def __post_init__(self) -> None:
        n = len(self.participant)
        lengths = {len(self.statement), len(self.vote)}
        if self.time is not None:
            lengths.add(len(self.time))
        if lengths != {n}:
            raise ValueError("participant, statement, vote (and time) must have the same length")


@dataclass(frozen=True)
class StatementSet:
    """What the maths must know about statements besides their votes.

    `moderated_out` statements (rejected, and pending ones under strict moderation) are zeroed
    out of the maths, as Pol.is does; `meta` statements are zeroed too but routed first.
    """

    ids: IntArray
    moderated_out: frozenset[int] = frozenset()
    meta: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Settings:
    """The Pol.is defaults, named; change them only to experiment."""

    n_components: int = 2
    base_k: int = 100
    max_k: int = 5
    k_buffer: int = 4  # a new k must win this many updates in a row before it is shown
    base_iters: int = 100
    group_iters: int = 20  # Pol.is passes 100 but its k-means ignores it and uses 20
    min_votes_in_conv: int = 7
    greedy_in_conv: int = 15
    z_90: float = 1.2816
    seed: int = 0


@dataclass(frozen=True)
class RepresentativeStatement:
    """Why a statement characterises one opinion group (Pol.is `repness` item)."""

    statement: int
    repful: Literal["agree", "disagree"]
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with, over everyone (Pol.is consensus)."""

    statement: int
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class Group:
    """One opinion group: an id stable across updates, its members and what sets it apart."""

    id: int
    size: int
    center: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...] = ()


@dataclass(frozen=True)
class BridgingScore:
    """One statement's common-ground score over one partition (opinion groups or segments).

    Mirrors `parley.consensus.statements.StatementScore`, keyed by the statement id and with the
    binding group named by its id in the partition.
    """

    statement: int
    score: float  # B+: min over groups of the Wilson lower bound of the agree share
    rejection: float  # B-: the same for disagree
    tie_break: float
    status: str
    binding_group: int | str | None
    votes: int
    rule: str


@dataclass(frozen=True)
class OpinionState:
    """What the next update warm-starts from; opaque to callers, serialisable with `to_bytes`."""

    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OpinionResult:
    """Everything one update of the opinion map produces.

    Arrays are aligned with `participants` (order of first vote) and `statements` (sorted ids).
    `group` is -1 for participants not clustered (fewer than min(7, #statements) votes).
    """

    participants: IntArray
    x: FloatArray
    y: FloatArray
    group: IntArray
    in_conv: BoolArray
    statements: IntArray
    k: int
    groups: tuple[Group, ...]
    pca_center: FloatArray
    pca_components: FloatArray  # shape (2, #statements)
    extremity: FloatArray
    consensus_agree: tuple[ConsensusStatement, ...]
    consensus_disagree: tuple[ConsensusStatement, ...]
    group_aware_consensus: FloatArray
    priority: FloatArray
    bridging: tuple[BridgingScore, ...]
    segment_bridging: tuple[BridgingScore, ...]
    n_votes: int
    state: OpinionState
    timings_s: Mapping[str, float]
