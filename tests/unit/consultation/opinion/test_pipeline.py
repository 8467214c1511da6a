"""compute() and replay(): determinism, warm starts, stable group ids, state bytes, bridging."""

from __future__ import annotations

import io

import numpy as np
import pytest

from parley.consultation.opinion import matrix as matrix_module
from parley.consultation.opinion import stats
from parley.consultation.opinion.agreement import adjusted_rand_index
from parley.consultation.opinion.pipeline import (
    _match_names,
    compute,
    replay,
    state_from_bytes,
    state_to_bytes,
)
from parley.consultation.opinion.types import OpinionResult, Settings, StatementSet, VoteLog

from .fixtures import load_fixture

ARRAYS = (
    *("participants", "x", "y", "group", "in_conv", "statements", "pca_center"),
    *("pca_components", "extremity", "group_aware_consensus", "priority"),
)


def _opinions(seed: int = 0, n: int = 240, m: int = 36, per: int = 20) -> VoteLog:
    """Three clearly separated camps voting on `per` random statements each, in time order."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 3, n)
    stance = rng.choice([-1, 1], size=(3, m))
    rows = []
    for p in range(n):
        for s in rng.choice(m, size=per, replace=False):
            vote = stance[camp[p], s] if rng.random() > 0.1 else 0
            rows.append((p + 100, s, vote, rng.random()))
    rows.sort(key=lambda r: r[3])
    participant, statement, vote, _ = zip(*rows, strict=True)
    return VoteLog(
        np.array(participant),
        np.array(statement),
        np.array(vote, dtype=np.int8),
        np.arange(len(rows), dtype=np.int64) * 1000,
    )


def _head(log: VoteLog, end: int) -> VoteLog:
    time = None if log.time is None else log.time[:end]
    return VoteLog(log.participant[:end], log.statement[:end], log.vote[:end], time)


def _statements(m: int = 36, **kwargs) -> StatementSet:
    return StatementSet(ids=np.arange(m), **kwargs)


def _assert_same(a: OpinionResult, b: OpinionResult) -> None:
    for name in ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.groups == b.groups
    assert a.bridging == b.bridging
    assert (a.consensus_agree, a.consensus_disagree) == (b.consensus_agree, b.consensus_disagree)


def test_same_seed_gives_identical_output():
    log = _opinions()
    _assert_same(compute(log, _statements()), compute(log, _statements()))
    seeded = Settings(seed=7)
    _assert_same(
        compute(log, _statements(), settings=seeded), compute(log, _statements(), settings=seeded)
    )


def test_replay_is_deterministic_and_reports_every_update():
    log = _opinions(1)
    seen: list[OpinionResult] = []
    first = replay(log, _statements(), batches=6, on_update=seen.append)
    second = replay(log, _statements(), batches=6)
    _assert_same(first, second)
    assert len(seen) == 6
    assert [r.n_votes for r in seen] == sorted(r.n_votes for r in seen)
    assert seen[-1] is first


def test_the_camps_are_found():
    result = compute(_opinions(2), _statements())
    camp = np.random.default_rng(2).integers(0, 3, 240)
    assert result.k == 3
    assert adjusted_rand_index(result.group, camp[result.participants - 100]) == 1.0


def test_a_warm_update_with_a_few_new_votes_keeps_group_ids():
    log = _opinions(3)
    n = len(log.vote)
    before = compute(_head(log, n - 30), _statements())
    after = compute(log, _statements(), previous=before.state)
    assert after.k == before.k
    assert [g.id for g in after.groups] == [g.id for g in before.groups]
    old = len(before.participants)
    assert np.array_equal(after.participants[:old], before.participants)
    assert np.array_equal(after.group[:old], before.group)


def test_a_warm_update_from_a_relabelled_state_keeps_the_old_names():
    """Names follow the previous update's groups, not the order k-means finds them in."""
    log = _opinions(4)
    first = compute(log, _statements())
    payload = dict(first.state.payload)
    payload["display_labels"] = np.where(
        payload["display_labels"] >= 0, 10 + payload["display_labels"], -1
    )
    renamed = type(first.state)(payload=payload)
    again = compute(log, _statements(), previous=renamed)
    assert [g.id for g in again.groups] == [10 + g.id for g in first.groups]
    assert np.array_equal(again.group, np.where(first.group >= 0, first.group + 10, -1))


def test_match_names_maximises_overlap_and_reuses_free_small_ids():
    labels = np.array([0, 0, 1, 1, 2])  # new group of each base cluster
    previous = np.array([5, 5, 3, 3, -1])  # last update's names
    sizes = np.ones(5)
    assert _match_names(labels, previous, sizes, 3).tolist() == [5, 3, 0]


def test_state_round_trips_through_bytes_without_pickle():
    log = _opinions(5)
    n = len(log.vote)
    first = compute(_head(log, n - 50), _statements())
    data = state_to_bytes(first.state)
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        assert set(archive.files) == set(first.state.payload)
    restored = state_from_bytes(data)
    for key, value in first.state.payload.items():
        assert np.array_equal(restored.payload[key], value), key
    _assert_same(
        compute(log, _statements(), previous=restored),
        compute(log, _statements(), previous=first.state),
    )


def test_every_result_field_is_filled_and_aligned():
    statements = _statements(moderated_out=frozenset({3}), meta=frozenset({5}))
    result = compute(_opinions(6), statements)
    n, m = len(result.participants), len(result.statements)
    for name in ("x", "y", "group", "in_conv"):
        assert getattr(result, name).shape == (n,)
    for name in ("pca_center", "extremity", "group_aware_consensus", "priority"):
        assert getattr(result, name).shape == (m,)
    assert result.pca_components.shape == (2, m)
    assert set(result.timings_s) == {"matrix", "pca", "clusters", "stats", "bridging", "total"}
    assert np.array_equal(result.group >= 0, result.in_conv)
    assert sum(g.size for g in result.groups) == result.in_conv.sum()
    assert all(g.representative for g in result.groups)
    # Meta statements are routed first (7² = 49); mod-out and meta never enter the lists.
    assert result.priority[5] == 49.0
    assert {3, 5}.isdisjoint(
        c.statement for c in result.consensus_agree + result.consensus_disagree
    )
    assert {b.statement for b in result.bridging} == set(range(36)) - {3, 5}
    assert {b.binding_group for b in result.bridging} <= {g.id for g in result.groups}
    assert result.n_votes == len(
        {(p, s) for p, s in zip(_opinions(6).participant, _opinions(6).statement, strict=True)}
    )


def test_segment_bridging_names_segments():
    log = _opinions(7)
    segments = {int(p): ("north" if p % 2 else "south") for p in np.unique(log.participant)}
    result = compute(log, _statements(), segments=segments)
    assert len(result.segment_bridging) == 36
    assert {b.binding_group for b in result.segment_bridging} <= {"north", "south"}
    votes = {b.statement: b.votes for b in result.segment_bridging}
    assert sum(votes.values()) == result.n_votes
    assert compute(log, _statements()).segment_bridging == ()


def test_warm_priorities_use_the_previous_updates_group_votes():
    """Pol.is §1.11 reads `(:group-votes conv)`: last update's counts, today's extremity."""
    log = _opinions(8)
    n = len(log.vote)
    first = compute(_head(log, n // 2), _statements())
    second = compute(log, _statements(), previous=first.state)
    p = first.state.payload
    lagged = stats.GroupCounts(p["group_agree"], p["group_disagree"], p["group_seen"])
    expected = stats.priorities(lagged, second.extremity, np.zeros(36, dtype=np.bool_))
    np.testing.assert_allclose(second.priority, expected)


def test_working_in_small_chunks_changes_nothing(monkeypatch):
    """Large logs are built and counted in blocks of rows; the blocks must not show."""
    log = _opinions(9)
    whole = compute(log, _statements(), segments={100: "a", 101: "b"})
    monkeypatch.setattr(matrix_module, "_CHUNK", 50)
    _assert_same(compute(log, _statements(), segments={100: "a", 101: "b"}), whole)


def test_empty_log_gives_an_empty_map():
    empty = np.zeros(0, dtype=np.int64)
    result = compute(VoteLog(empty, empty, np.zeros(0, dtype=np.int8)), _statements())
    assert result.k == 0 and result.groups == () and result.n_votes == 0
    assert result.x.shape == (0,) and result.pca_components.shape == (2, 0)


def test_tiny_conversations_do_not_break():
    log = VoteLog(np.array([1, 2, 2]), np.array([1, 1, 2]), np.int8([1, -1, 1]))
    result = compute(log, _statements(3))
    assert result.in_conv.all()
    # Two distinct points make two base clusters and, as in Pol.is, two singleton groups.
    assert result.k == 2 and [g.size for g in result.groups] == [1, 1]
    one = compute(VoteLog(np.array([1]), np.array([1]), np.int8([1])), _statements(3))
    assert one.k == 1 and one.group.tolist() == [0]


@pytest.mark.parametrize("batches", [1, 4])
def test_replay_on_a_polis_fixture_finds_its_k(batches):
    fixture = load_fixture("150ptpt-3gp-no-strict-no-meta")
    result = replay(fixture.votes, fixture.statements, batches=batches)
    assert result.k == len(fixture.math["group-clusters"])
