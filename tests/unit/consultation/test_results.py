"""What the public sees of an opinion map: nothing about individuals, no small groups."""

from __future__ import annotations

import json

import numpy as np

from parley.consultation.opinion.types import Group, OpinionResult, OpinionState
from parley.consultation.results import public_result, tally_votes

# Two groups: A has 6 members (0-5), B has 2 (6, 7); participant 8 is in no group.
MEMBERSHIP = np.array([0, 0, 0, 0, 0, 0, 1, 1, -1])
PARTICIPANT_IDS = np.array([101, 102, 103, 104, 105, 106, 107, 108, 109])


def _result() -> OpinionResult:
    n = len(PARTICIPANT_IDS)
    rng = np.random.default_rng(1)
    return OpinionResult(
        participants=PARTICIPANT_IDS, x=rng.normal(size=n), y=rng.normal(size=n),
        group=MEMBERSHIP.copy(), in_conv=MEMBERSHIP >= 0, statements=np.array([1, 2]), k=2,
        groups=(Group(0, 6, (0.0, 0.0)), Group(1, 2, (1.0, 1.0))),
        pca_center=np.zeros(2), pca_components=np.zeros((2, 2)), extremity=np.zeros(2),
        consensus_agree=(), consensus_disagree=(), group_aware_consensus=np.ones(2),
        priority=np.ones(2), bridging=(), segment_bridging=(), n_votes=18,
        state=OpinionState(), timings_s={},
    )  # fmt: skip


def _tallies():
    # Everyone votes on both statements: agree on 1; on 2, A agrees and B disagrees.
    participant = np.repeat(np.arange(9), 2)
    statement = np.tile([0, 1], 9)
    votes = np.where((statement == 1) & (MEMBERSHIP[participant] == 1), -1, 1).astype(np.int8)
    return tally_votes(participant, statement, votes, MEMBERSHIP, ["A", "B"], 2)


def test_tallies_count_latest_votes_per_group():
    tallies = _tallies()
    assert tallies.sizes == (6, 2)
    assert tallies.agree.tolist() == [[6, 6], [2, 0]]
    assert tallies.disagree.tolist() == [[0, 0], [0, 2]]


def test_a_group_below_the_minimum_size_is_withheld_and_does_not_bind():
    data = public_result(_result(), groups=_tallies(), segments=None, min_group_size=5, n_min=3)
    a, b = data["groups"]
    assert not a["withheld"] and a["size"] == 6
    assert b == {"id": 1, "label": "B", "size": None, "withheld": True}
    # Statement 2 divides A and B, but B is withheld: nothing about B may show through.
    assert {item["binding_group"] for item in data["bridging"]} == {"A"}


def test_no_participant_ids_and_no_counts_over_everyone():
    data = public_result(_result(), groups=_tallies(), segments=None, min_group_size=2, n_min=3)
    text = json.dumps(data)
    for pid in PARTICIPANT_IDS:
        assert str(pid) not in text
    assert all(set(item) == {"statement"} for item in data["consensus"]["agree"])
    assert len(data["points"]) == len(PARTICIPANT_IDS)


def test_no_points_below_the_minimum_number_of_participants():
    data = public_result(_result(), groups=_tallies(), segments=None, min_group_size=10, n_min=3)
    assert data["points"] == []


def test_divisive_statements_are_those_the_groups_split_on():
    data = public_result(_result(), groups=_tallies(), segments=None, min_group_size=2, n_min=2)
    assert [item["statement"] for item in data["divisive"]] == [2]
    best = data["bridging"][0]
    assert best["statement"] == 1 and best["binding"]["total"] in (2, 6)
