"""Pol.is's per-statement statistics against Pol.is's own output (polis.md §5 S7, S10-S13).

Counts come from Pol.is's own group memberships (group -> base clusters -> participants) and each
participant's latest vote, in columns ordered as Pol.is's `tids`. The shared data lives next to
the repository root; when it is missing these tests FAIL saying where it should be, never skip.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from parley.consultation.opinion import stats
from parley.consultation.opinion.types import VoteLog
from tests.shared_data import SHARED
from tests.unit.consultation.opinion.fixtures import (
    FIXTURES,
    MISSING_VOTES_FIXTURE,
    Fixture,
    load_fixture,
)

REPNESS_TOLERANCE = 1e-6  # S10; Pol.is stores repness-test as float32
GAC_TOLERANCE = 1e-12  # S12
PRIORITY_RELATIVE_TOLERANCE = 1e-9  # S13
EXTREMITY_TOLERANCE = 1e-9  # S7 asks 1e-4 of a recomputed PCA; from Pol.is's own PCA it is exact
BG2050 = SHARED / "data" / "polis" / "bg2050-volunteers"


def latest(log: VoteLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (participant, statement, vote) of each pair's last vote in the log's order."""
    pair = np.stack([log.participant, log.statement])
    # np.unique keeps the first occurrence, so read the log backwards to keep the last vote.
    _, last = np.unique(pair[:, ::-1], axis=1, return_index=True)
    keep = len(log.vote) - 1 - last
    return log.participant[keep], log.statement[keep], log.vote[keep].astype(np.int64)


@dataclass(frozen=True)
class Conversation:
    """One fixture in the shape `stats` takes, with Pol.is's columns and group order."""

    fixture: Fixture
    tids: np.ndarray
    group_ids: list[int]
    counts: stats.GroupCounts  # clustered participants, by Pol.is group
    counts_all: stats.GroupCounts  # every participant, one group
    mod_out: np.ndarray
    meta: np.ndarray

    @property
    def math(self) -> dict[str, Any]:
        return self.fixture.math

    def column(self, tid: int | str) -> int:
        return int(np.searchsorted(self.tids, int(tid)))


def memberships(math: dict[str, Any], pids: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Return Pol.is's group ids in order and each participant's group index (-1: none)."""
    base = dict(zip(math["base-clusters"]["id"], math["base-clusters"]["members"], strict=True))
    groups = sorted(math["group-clusters"], key=lambda group: group["id"])
    member = np.full(len(pids), -1, dtype=np.int64)
    for index, group in enumerate(groups):
        pid_list = [pid for bid in group["members"] for pid in base[bid]]
        rows = np.searchsorted(pids, pid_list)
        # A clustered participant may have no vote left in the API export (the flagged fixture).
        found = (rows < len(pids)) & (pids[np.minimum(rows, len(pids) - 1)] == pid_list)
        member[rows[found]] = index
    return [group["id"] for group in groups], member


@cache
def conversation(name: str) -> Conversation:
    """Build the counts of one fixture from its votes and Pol.is's own memberships."""
    fixture = load_fixture(name)
    math = fixture.math
    tids = np.array(math["tids"], dtype=np.int64)
    assert (np.diff(tids) > 0).all(), "Pol.is scans columns in `tids` order; sorted here"
    pid, tid, vote = latest(fixture.votes)
    in_matrix = np.isin(tid, tids)
    pid, tid, vote = pid[in_matrix], tid[in_matrix], vote[in_matrix]
    pids = np.unique(pid)
    rows, cols = np.searchsorted(pids, pid), np.searchsorted(tids, tid)
    group_ids, member = memberships(math, pids)
    k, m = len(group_ids), len(tids)
    everyone = np.zeros(len(pids), dtype=np.int64)
    return Conversation(
        fixture=fixture,
        tids=tids,
        group_ids=group_ids,
        counts=stats.count_by_group(rows, cols, vote, member, k, m),
        counts_all=stats.count_by_group(rows, cols, vote, everyone, 1, m),
        mod_out=np.isin(tids, math["mod-out"]),
        meta=np.isin(tids, math["meta-tids"]),
    )


def polis_group_votes(conv: Conversation) -> stats.GroupCounts:
    """Return Pol.is's stored `group-votes` as GroupCounts, in our group and column order."""
    shape = (len(conv.group_ids), len(conv.tids))
    arrays = {key: np.zeros(shape, dtype=np.int64) for key in "ADS"}
    for g, gid in enumerate(conv.group_ids):
        for tid, tallies in conv.math["group-votes"][str(gid)]["votes"].items():
            for key in "ADS":
                arrays[key][g, conv.column(tid)] = tallies[key]
    return stats.GroupCounts(agree=arrays["A"], disagree=arrays["D"], seen=arrays["S"])


def by_tid(conv: Conversation, mapping: dict[str, float]) -> np.ndarray:
    """Return a Pol.is {tid: value} map as an array over our columns."""
    assert sorted(int(tid) for tid in mapping) == conv.tids.tolist()
    return np.array([mapping[str(tid)] for tid in conv.tids], dtype=np.float64)


@pytest.mark.parametrize("name", FIXTURES)
def test_counts_from_polis_memberships_equal_polis_group_votes(name: str) -> None:
    conv = conversation(name)
    stored = polis_group_votes(conv)

    np.testing.assert_array_equal(conv.counts.agree, stored.agree)
    np.testing.assert_array_equal(conv.counts.disagree, stored.disagree)
    np.testing.assert_array_equal(conv.counts.seen, stored.seen)


@pytest.mark.parametrize("name", FIXTURES)
def test_repness_selects_what_polis_selects(name: str) -> None:
    conv = conversation(name)

    selected = stats.repness(conv.counts, conv.tids, conv.mod_out)

    assert len(selected) == len(conv.group_ids)
    for gid, ours in zip(conv.group_ids, selected, strict=True):
        theirs = conv.math["repness"][str(gid)]
        assert [r.statement for r in ours] == [t["tid"] for t in theirs], f"group {gid}"
        for r, t in zip(ours, theirs, strict=True):
            assert (r.repful, r.best_agree) == (t["repful-for"], t.get("best-agree", False))
            assert (r.n_success, r.n_trials) == (t["n-success"], t["n-trials"])
            for ours_value, key in [
                (r.repness, "repness"),
                (r.repness_test, "repness-test"),
                (r.p_success, "p-success"),
                (r.p_test, "p-test"),
            ]:
                assert ours_value == pytest.approx(t[key], abs=REPNESS_TOLERANCE), (gid, key)
            # Pol.is stores repness-test as float32: ours rounds to the very same float32.
            assert np.float32(r.repness_test) == np.float32(t["repness-test"])


@pytest.mark.parametrize("name", FIXTURES)
def test_consensus_lists_equal_polis(name: str) -> None:
    conv = conversation(name)

    agree, disagree = stats.consensus(conv.counts_all, conv.tids, conv.mod_out)

    for ours, side in [(agree, "agree"), (disagree, "disagree")]:
        theirs = conv.math["consensus"][side]
        assert [c.statement for c in ours] == [t["tid"] for t in theirs], side
        for c, t in zip(ours, theirs, strict=True):
            assert (c.n_success, c.n_trials) == (t["n-success"], t["n-trials"])
            assert c.p_success == pytest.approx(t["p-success"], rel=1e-12)
            assert c.p_test == pytest.approx(t["p-test"], rel=1e-12)


@pytest.mark.parametrize("name", FIXTURES)
def test_group_aware_consensus_equals_polis(name: str) -> None:
    conv = conversation(name)

    ours = stats.group_aware_consensus(conv.counts)

    theirs = by_tid(conv, conv.math["group-aware-consensus"])
    assert np.max(np.abs(ours - theirs)) <= GAC_TOLERANCE


@pytest.mark.parametrize("name", [name for name in FIXTURES if name != MISSING_VOTES_FIXTURE])
def test_priorities_equal_polis(name: str) -> None:
    conv = conversation(name)
    # Pol.is reads the previous update's group votes; the stored ones are that lag's best proxy
    # (they equal our current counts in every fixture, so the last update brought no new votes).
    extremity = np.array(conv.math["pca"]["comment-extremity"], dtype=np.float64)

    ours = stats.priorities(polis_group_votes(conv), extremity, conv.meta)

    theirs = by_tid(conv, conv.math["comment-priorities"])
    assert np.max(np.abs(ours - theirs) / theirs) <= PRIORITY_RELATIVE_TOLERANCE
    assert (ours[conv.meta] == 49.0).all()


def test_the_excluded_fixture_stores_only_meta_priorities() -> None:
    # Why S13 leaves it out: its Pol.is build sent every comment down the meta branch (upstream
    # compdemocracy/polis#2571), although it has no meta comment at all.
    conv = conversation(MISSING_VOTES_FIXTURE)

    assert not conv.meta.any()
    assert set(conv.math["comment-priorities"].values()) == {49}


@pytest.mark.parametrize("name", FIXTURES)
def test_comment_extremity_from_polis_pca_equals_polis(name: str) -> None:
    conv = conversation(name)
    pca = conv.math["pca"]
    # Pol.is stores its centre in its internal sign (agree = -1); the function takes export sign.
    center = -np.array(pca["center"], dtype=np.float64)

    ours = stats.comment_extremity(center, np.array(pca["comps"], dtype=np.float64))

    theirs = np.array(pca["comment-extremity"], dtype=np.float64)
    assert np.max(np.abs(ours - theirs)) <= EXTREMITY_TOLERANCE


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        pytest.fail(
            f"{path} not found: this test needs the shared data folder {SHARED}: set "
            "PARLEY_SHARED_DIR if it is elsewhere."
        )
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_group_aware_consensus_equals_bg2050_export() -> None:
    matrix = read_csv(BG2050 / "participants-votes.csv")
    groups = {int(r["participant"]): r["group-id"] for r in matrix}
    exported = {
        int(r["comment-id"]): float(r["group-informed-consensus"])
        for r in read_csv(BG2050 / "comments.csv")
    }
    votes = sorted(read_csv(BG2050 / "votes.csv"), key=lambda r: int(r["timestamp"]))
    final = {(int(r["voter-id"]), int(r["comment-id"])): int(r["vote"]) for r in votes}
    pids = np.array(sorted(groups), dtype=np.int64)
    tids = np.array(sorted(exported), dtype=np.int64)
    gids = sorted({int(g) for g in groups.values() if g})
    member = np.array([gids.index(int(groups[p])) if groups[p] else -1 for p in pids.tolist()])
    pairs = np.array(list(final), dtype=np.int64)

    counts = stats.count_by_group(
        np.searchsorted(pids, pairs[:, 0]),
        np.searchsorted(tids, pairs[:, 1]),
        np.array(list(final.values()), dtype=np.int64),
        member,
        len(gids),
        len(tids),
    )
    ours = stats.group_aware_consensus(counts)

    assert len(tids) == 371
    np.testing.assert_array_equal(ours, [exported[t] for t in tids.tolist()])
