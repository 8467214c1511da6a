"""Turn one opinion-map update into what the public may see (pure: no Django).

What is withheld, and why:
- no participant ids, no individual's votes, no participant x statement matrix;
- no statistics of a group (opinion group or segment) smaller than the minimum group size:
  its counts, representative statements and hull stay out;
- common ground is scored over the groups shown only, because a score bound by a tiny group
  would reveal that group's counts;
- no counts over everyone: with the groups' counts published, everyone's counts would give away
  the votes of the few participants in no group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from parley.consensus.statements import (
    GroupTally,
    StatementScore,
    Status,
    explain,
    score_statement,
)
from parley.consultation.opinion.types import OpinionResult

FORMAT = "parley-results/1"
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIVISIVE_LIMIT = 10


@dataclass(frozen=True)
class Tallies:
    """Latest-vote counts per group and statement: arrays of shape (#groups, #statements)."""

    names: tuple[str, ...]
    sizes: tuple[int, ...]
    agree: npt.NDArray[np.int64]
    disagree: npt.NDArray[np.int64]
    passes: npt.NDArray[np.int64]

    def seen(self, group: int, column: int) -> int:
        return int(
            self.agree[group, column] + self.disagree[group, column] + self.passes[group, column]
        )

    def tally(self, group: int, column: int) -> GroupTally:
        return GroupTally(
            int(self.agree[group, column]),
            int(self.disagree[group, column]),
            int(self.passes[group, column]),
        )


def tally_votes(
    participant_index: npt.NDArray[np.int64],
    statement_index: npt.NDArray[np.int64],
    votes: npt.NDArray[np.int8],
    membership: npt.NDArray[np.int64],
    names: Sequence[str],
    n_statements: int,
) -> Tallies:
    """Count latest votes per group; *membership* maps participant index -> group (-1: none)."""
    k = len(names)
    group = membership[participant_index]
    counted = group >= 0
    cell = group[counted] * n_statements + statement_index[counted]
    values = votes[counted]

    def count(value: int) -> npt.NDArray[np.int64]:
        hits = np.bincount(cell[values == value], minlength=k * n_statements)
        return hits.reshape(k, n_statements).astype(np.int64)

    sizes = np.bincount(membership[membership >= 0], minlength=k)
    return Tallies(tuple(names), tuple(int(s) for s in sizes), count(1), count(-1), count(0))


def public_result(
    result: OpinionResult,
    *,
    groups: Tallies,
    segments: Tallies | None,
    min_group_size: int,
    n_min: int,
) -> dict[str, Any]:
    """Return the JSON-ready results anyone who may read the conversation may see."""
    statements = [int(s) for s in result.statements]
    shown = _shown(groups, min_group_size)
    bridging = _bridging(groups, shown, statements, n_min, prefix="group ")
    return {
        "format": FORMAT,
        "n_votes": int(result.n_votes),
        "n_participants": len(result.participants),
        "n_grouped": int(np.count_nonzero(result.group >= 0)),
        "k": int(result.k),
        "min_group_size": min_group_size,
        "points": _points(result, groups, min_group_size),
        "groups": _groups(result, groups, min_group_size, statements),
        "consensus": _consensus(result),
        "bridging": bridging,
        "divisive": _divisive(bridging),
        "segment_bridging": _segment_bridging(segments, statements, min_group_size, n_min),
        # Routing weights (aggregate, Pol.is priorities); queries keep them off the pages.
        "priorities": {str(s): float(p) for s, p in zip(statements, result.priority, strict=True)},
    }


def _points(result: OpinionResult, tallies: Tallies, min_group_size: int) -> list[list[float]]:
    """Return [x, y, group] per participant, in an order that says nothing about who.

    Members of a withheld group show as ungrouped (-1): counting their points would give the
    group's size away.
    """
    if len(result.participants) < min_group_size:
        return []
    withheld = {g.id for g in result.groups if g.size < min_group_size}
    shown_group = [-1 if g in withheld else g for g in result.group.tolist()]
    rows = sorted(
        zip(result.x.tolist(), result.y.tolist(), shown_group, strict=True),
        key=lambda row: (row[2], row[0], row[1]),
    )
    return [[round(x, 4), round(y, 4), int(g)] for x, y, g in rows]


def _groups(
    result: OpinionResult, tallies: Tallies, min_group_size: int, statements: list[int]
) -> list[dict[str, Any]]:
    column = {statement: i for i, statement in enumerate(statements)}
    shown = _shown(tallies, min_group_size)
    out = []
    for index, group in enumerate(result.groups):
        withheld = group.size < min_group_size
        entry: dict[str, Any] = {
            "id": group.id,
            "label": _label(index),
            "size": group.size if not withheld else None,
            "withheld": withheld,
        }
        if not withheld:
            entry["hull"] = _hull(result, group.id)
            others = [g for g in shown if g != index]
            entry["representative"] = [
                _representative(item, tallies, others, column[int(item.statement)])
                for item in group.representative
            ]
        out.append(entry)
    return out


def _label(index: int) -> str:
    return LABELS[index] if index < len(LABELS) else f"G{index + 1}"


def _representative(item: Any, tallies: Tallies, others: list[int], column: int) -> dict[str, Any]:
    """Describe a representative statement, with the share among the other shown groups."""
    votes = tallies.agree if item.repful == "agree" else tallies.disagree
    others_success = int(sum(votes[g, column] for g in others))
    others_trials = int(sum(tallies.seen(g, column) for g in others))
    return {
        "statement": int(item.statement),
        "repful": item.repful,
        "share": _share(int(item.n_success), int(item.n_trials)),
        "n_success": int(item.n_success),
        "n_trials": int(item.n_trials),
        "others_share": _share(others_success, others_trials) if others_trials else None,
        "repness": round(float(item.repness), 6),
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _hull(result: OpinionResult, group_id: int) -> list[list[float]]:
    """Return the convex hull of a group's points (Andrew's monotone chain; tiny, exact)."""
    mask = result.group == group_id
    points = sorted(set(zip(result.x[mask].tolist(), result.y[mask].tolist(), strict=True)))
    if len(points) <= 2:
        return [[round(x, 4), round(y, 4)] for x, y in points]
    lower = _half_hull(points)
    upper = _half_hull(list(reversed(points)))
    return [[round(x, 4), round(y, 4)] for x, y in lower[:-1] + upper[:-1]]


def _half_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    chain: list[tuple[float, float]] = []
    for p in points:
        while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) <= 0:
            chain.pop()
        chain.append(p)
    return chain


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _consensus(result: OpinionResult) -> dict[str, list[dict[str, Any]]]:
    # Statements only: counts over everyone would expose ungrouped participants (module doc).
    return {
        "agree": [{"statement": int(c.statement)} for c in result.consensus_agree],
        "disagree": [{"statement": int(c.statement)} for c in result.consensus_disagree],
    }


def _shown(tallies: Tallies, min_group_size: int) -> list[int]:
    return [g for g, size in enumerate(tallies.sizes) if size >= min_group_size]


def _bridging(
    tallies: Tallies, shown: list[int], statements: list[int], n_min: int, prefix: str = ""
) -> list[dict[str, Any]]:
    """Score every statement over the shown groups; best common ground first."""
    names = [tallies.names[g] for g in shown]
    scored = []
    for column, statement in enumerate(statements):
        group_tallies = [tallies.tally(g, column) for g in shown]
        score = score_statement(group_tallies, n_min=n_min)
        item = _scored(statement, score, names, group_tallies)
        item["explanation"] = explain(score, group_tallies, [prefix + n for n in names])
        scored.append(item)
    scored.sort(key=_rank)
    return scored


def _rank(item: dict[str, Any]) -> tuple[bool, float, float, int, int]:
    # Best common ground first (bridging.md §5a(i) key); statements still short of votes last,
    # whatever their score: 3 of 3 agreeing is not yet common ground.
    waiting = item["status"] == Status.NEEDS_VOTES.value
    return (waiting, -item["score"], -item["tie_break"], -item["votes"], item["statement"])


def _scored(
    statement: int, score: StatementScore, names: list[str], group_tallies: list[GroupTally]
) -> dict[str, Any]:
    binding = score.binding
    tally = group_tallies[binding] if binding is not None else None
    return {
        "statement": statement,
        "score": round(score.score, 6),
        "rejection": round(score.rejection, 6),
        "tie_break": round(score.tie_break, 6),
        "status": str(score.status),
        "votes": score.total,
        "binding_group": names[binding] if binding is not None else None,
        "binding": _tally_json(tally) if tally is not None else None,
        "rule": score.rule,
        "spread": _spread(group_tallies),
    }


def _tally_json(tally: GroupTally) -> dict[str, int]:
    return {
        "agree": tally.agree,
        "disagree": tally.disagree,
        "pass": tally.passes,
        "total": tally.total,
    }


def _spread(group_tallies: list[GroupTally]) -> float:
    """Return max - min agree share over groups: how far apart the groups are."""
    shares = [t.agree / t.total for t in group_tallies if t.total]
    return round(max(shares) - min(shares), 6) if len(shares) >= 2 else 0.0


def _divisive(bridging: list[dict[str, Any]]) -> list[dict[str, Any]]:
    divisive = [item for item in bridging if item["status"] == Status.DIVISIVE.value]
    divisive.sort(key=lambda item: (-item["spread"], item["statement"]))
    return divisive[:DIVISIVE_LIMIT]


def _segment_bridging(
    segments: Tallies | None, statements: list[int], min_group_size: int, n_min: int
) -> list[dict[str, Any]]:
    if segments is None:
        return []
    return _bridging(segments, _shown(segments, min_group_size), statements, n_min)
