"""Turn an OpinionResult into the `parley-opinion-map/1` JSON document (pure: no Django).

docs/opinion-map-format.md describes every field. Floats are rounded to SIGNIFICANT digits and
keys come in a fixed order, so two runs on the same votes give files that diff line by line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from parley.consultation.opinion.types import (
    BridgingScore,
    ConsensusStatement,
    FloatArray,
    Group,
    IntArray,
    OpinionResult,
    RepresentativeStatement,
)

FORMAT = "parley-opinion-map/1"
SIGNIFICANT = 6

Json = dict[str, Any]


def result_to_json(
    result: OpinionResult, *, statement_texts: Mapping[int, str] | None = None
) -> Json:
    """Return *result* as a JSON-ready dict; statement texts are added where given."""
    texts = statement_texts or {}
    return {
        "format": FORMAT,
        "k": int(result.k),
        "n_participants": len(result.participants),
        "n_statements": len(result.statements),
        "n_votes": int(result.n_votes),
        "participants": _participants(result),
        "groups": [_group(group, texts) for group in result.groups],
        "statements": _statements(result, texts),
        "consensus": {
            "agree": [_consensus(item, texts) for item in result.consensus_agree],
            "disagree": [_consensus(item, texts) for item in result.consensus_disagree],
        },
        "group_aware_consensus": _by_statement(result.statements, result.group_aware_consensus),
        "priorities": _by_statement(result.statements, result.priority),
        "bridging": [_bridging(score) for score in result.bridging],
        "segment_bridging": [_bridging(score) for score in result.segment_bridging],
        "pca": {
            "center": _numbers(result.pca_center),
            "components": [_numbers(row) for row in np.atleast_2d(result.pca_components)],
        },
        "timings_s": {str(name): _number(secs) for name, secs in result.timings_s.items()},
    }


def to_text(document: Json) -> str:
    """Serialise *document* as JSON, one participant or statement per line, ending in a newline.

    Objects and lists holding only plain values go on one line; the rest are indented. A
    change to one participant then shows in a diff as one changed line.
    """
    return _layout(document, "") + "\n"


def _layout(value: Any, indent: str) -> str:
    if isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values()):
        inner = indent + " "
        items = [f"{inner}{_leaf(key)}: {_layout(v, inner)}" for key, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        inner = indent + " "
        return "[\n" + ",\n".join(inner + _layout(v, inner) for v in value) + f"\n{indent}]"
    return _leaf(value)


def _leaf(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _number(value: float | np.floating[Any]) -> float | None:
    """Round to SIGNIFICANT digits; NaN and infinities (no JSON for them) become None."""
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{SIGNIFICANT}g}")


def _numbers(values: Iterable[float] | FloatArray) -> list[float | None]:
    return [_number(v) for v in np.asarray(values, dtype=np.float64).ravel().tolist()]


def _participants(result: OpinionResult) -> list[Json]:
    rows = zip(
        result.participants.tolist(),
        result.group.tolist(),
        _numbers(result.x),
        _numbers(result.y),
        result.in_conv.tolist(),
        strict=True,
    )
    return [
        {"id": pid, "group": None if group < 0 else group, "x": x, "y": y, "in_conv": in_conv}
        for pid, group, x, y, in_conv in rows
    ]


def _with_text(item: Json, statement: int, texts: Mapping[int, str]) -> Json:
    if statement in texts:
        item["text"] = texts[statement]
    return item


def _group(group: Group, texts: Mapping[int, str]) -> Json:
    return {
        "id": int(group.id),
        "size": int(group.size),
        "center": _numbers(group.center),
        "representative": [_representative(item, texts) for item in group.representative],
    }


def _representative(item: RepresentativeStatement, texts: Mapping[int, str]) -> Json:
    statement = int(item.statement)
    fields: Json = {
        "statement": statement,
        "repful": item.repful,
        "n_success": int(item.n_success),
        "n_trials": int(item.n_trials),
        "p_success": _number(item.p_success),
        "p_test": _number(item.p_test),
        "repness": _number(item.repness),
        "repness_test": _number(item.repness_test),
        "best_agree": bool(item.best_agree),
    }
    return _with_text(fields, statement, texts)


def _consensus(item: ConsensusStatement, texts: Mapping[int, str]) -> Json:
    statement = int(item.statement)
    fields: Json = {
        "statement": statement,
        "n_success": int(item.n_success),
        "n_trials": int(item.n_trials),
        "p_success": _number(item.p_success),
        "p_test": _number(item.p_test),
    }
    return _with_text(fields, statement, texts)


def _statements(result: OpinionResult, texts: Mapping[int, str]) -> list[Json]:
    rows = zip(result.statements.tolist(), _numbers(result.extremity), strict=True)
    return [_with_text({"id": sid, "extremity": ext}, sid, texts) for sid, ext in rows]


def _by_statement(statements: IntArray, values: FloatArray) -> dict[str, float | None]:
    # JSON object keys are strings; the order is the statements' (sorted ids).
    return {
        str(sid): value for sid, value in zip(statements.tolist(), _numbers(values), strict=True)
    }


def _bridging(score: BridgingScore) -> Json:
    group = score.binding_group
    return {
        "statement": int(score.statement),
        "score": _number(score.score),
        "rejection": _number(score.rejection),
        "tie_break": _number(score.tie_break),
        "status": str(score.status),
        "binding_group": group if group is None or isinstance(group, str) else int(group),
        "votes": int(score.votes),
        "rule": str(score.rule),
    }
