"""The `parley-opinion-map/1` JSON built from an OpinionResult (docs/opinion-map-format.md)."""

from __future__ import annotations

import json

import numpy as np

from parley.consultation.opinion.report import FORMAT, result_to_json, to_text
from parley.consultation.opinion.types import (
    BridgingScore,
    ConsensusStatement,
    Group,
    OpinionResult,
    OpinionState,
    RepresentativeStatement,
)

TOP_LEVEL = [
    "format",
    "k",
    "n_participants",
    "n_statements",
    "n_votes",
    "participants",
    "groups",
    "statements",
    "consensus",
    "group_aware_consensus",
    "priorities",
    "bridging",
    "segment_bridging",
    "pca",
    "timings_s",
]


def bridging(statement: int, group: int | str | None) -> BridgingScore:
    return BridgingScore(
        statement=statement,
        score=0.123456789,
        rejection=0.01,
        tie_break=float("nan"),
        status="common ground",
        binding_group=group,
        votes=12,
        rule="wilson",
    )


def a_result() -> OpinionResult:
    """Three participants (one not clustered) and two statements, 10 and 20."""
    statements = np.array([10, 20], dtype=np.int64)
    return OpinionResult(
        participants=np.array([7, 3, 9], dtype=np.int64),
        x=np.array([0.1234567891, -2.0, 1e-9]),
        y=np.array([1.0, 3.3333333333, np.nan]),
        group=np.array([0, 1, -1], dtype=np.int64),
        in_conv=np.array([True, True, False]),
        statements=statements,
        k=2,
        groups=(
            Group(
                id=0,
                size=1,
                center=(0.1234567891, 1.0),
                representative=(
                    RepresentativeStatement(
                        statement=20,
                        repful="agree",
                        n_success=np.int64(4),  # type: ignore[arg-type]
                        n_trials=5,
                        p_success=0.7142857142857143,
                        p_test=1.6329931618554523,
                        repness=2.142857142857143,
                        repness_test=2.23606797749979,
                        best_agree=True,
                    ),
                ),
            ),
            Group(id=1, size=1, center=(-2.0, 3.3333333333)),
        ),
        pca_center=np.array([0.5, -0.25]),
        pca_components=np.array([[0.6, 0.8], [-0.8, 0.6]]),
        extremity=np.array([1.5, np.inf]),
        consensus_agree=(
            ConsensusStatement(statement=10, n_success=2, n_trials=2, p_success=0.75, p_test=1.5),
        ),
        consensus_disagree=(),
        group_aware_consensus=np.array([0.5, 0.0625]),
        priority=np.array([49.0, 2.718281828459045]),
        bridging=(bridging(10, np.int64(1)), bridging(20, None)),  # type: ignore[arg-type]
        segment_bridging=(bridging(10, "members"),),
        n_votes=5,
        state=OpinionState(),
        timings_s={"pca": 0.0123456789, "total": 1.5},
    )


def test_top_level_keys_come_in_a_fixed_order():
    document = result_to_json(a_result())
    assert list(document) == TOP_LEVEL
    assert document["format"] == FORMAT == "parley-opinion-map/1"
    assert (document["k"], document["n_participants"], document["n_statements"]) == (2, 3, 2)
    assert document["n_votes"] == 5


def test_participants_carry_group_or_null_and_rounded_positions():
    assert result_to_json(a_result())["participants"] == [
        {"id": 7, "group": 0, "x": 0.123457, "y": 1.0, "in_conv": True},
        {"id": 3, "group": 1, "x": -2.0, "y": 3.33333, "in_conv": True},
        {"id": 9, "group": None, "x": 1e-09, "y": None, "in_conv": False},
    ]


def test_groups_list_representative_statements_with_their_repness_fields():
    groups = result_to_json(a_result(), statement_texts={20: "Twenty"})["groups"]
    assert [(g["id"], g["size"], g["center"]) for g in groups] == [
        (0, 1, [0.123457, 1.0]),
        (1, 1, [-2.0, 3.33333]),
    ]
    assert groups[0]["representative"] == [
        {
            "statement": 20,
            "repful": "agree",
            "n_success": 4,
            "n_trials": 5,
            "p_success": 0.714286,
            "p_test": 1.63299,
            "repness": 2.14286,
            "repness_test": 2.23607,
            "best_agree": True,
            "text": "Twenty",
        }
    ]
    assert groups[1]["representative"] == []


def test_statement_maps_are_keyed_by_id_in_statement_order():
    document = result_to_json(a_result())
    assert document["group_aware_consensus"] == {"10": 0.5, "20": 0.0625}
    assert document["priorities"] == {"10": 49.0, "20": 2.71828}
    assert document["statements"] == [
        {"id": 10, "extremity": 1.5},
        {"id": 20, "extremity": None},  # infinite: JSON has no infinity
    ]


def test_consensus_and_bridging_are_listed():
    document = result_to_json(a_result(), statement_texts={10: "Ten"})
    assert document["consensus"] == {
        "agree": [
            {
                "statement": 10,
                "n_success": 2,
                "n_trials": 2,
                "p_success": 0.75,
                "p_test": 1.5,
                "text": "Ten",
            }
        ],
        "disagree": [],
    }
    first = document["bridging"][0]
    assert first == {
        "statement": 10,
        "score": 0.123457,
        "rejection": 0.01,
        "tie_break": None,
        "status": "common ground",
        "binding_group": 1,
        "votes": 12,
        "rule": "wilson",
    }
    assert document["bridging"][1]["binding_group"] is None
    assert document["segment_bridging"][0]["binding_group"] == "members"


def test_pca_and_timings_are_rounded():
    document = result_to_json(a_result())
    assert document["pca"] == {"center": [0.5, -0.25], "components": [[0.6, 0.8], [-0.8, 0.6]]}
    assert document["timings_s"] == {"pca": 0.0123457, "total": 1.5}


def test_the_text_is_strict_json_and_the_same_for_the_same_result():
    text = to_text(result_to_json(a_result(), statement_texts={10: "Dix: « ten »"}))
    assert text == to_text(result_to_json(a_result(), statement_texts={10: "Dix: « ten »"}))
    assert text.endswith("}\n")
    assert "« ten »" in text  # UTF-8, not \u escapes
    assert json.loads(text)["statements"][0]["text"] == "Dix: « ten »"


def test_the_text_puts_one_participant_per_line():
    lines = to_text(result_to_json(a_result())).splitlines()
    assert '  {"id": 7, "group": 0, "x": 0.123457, "y": 1.0, "in_conv": true},' in lines
    assert '  {"id": 9, "group": null, "x": 1e-09, "y": null, "in_conv": false}' in lines
    assert ' "group_aware_consensus": {"10": 0.5, "20": 0.0625},' in lines
