"""Run red-dwarf 0.4.0's Pol.is pipeline on one conversation; print one JSON object.

Run INSIDE the red-dwarf venv (bench/reddwarf_env.sh makes it), never Parley's:
    bench/.venv-reddwarf/bin/python bench/reddwarf_run.py INPUT [--random-state 42]

INPUT is a Pol.is openData folder (votes.csv when present, else participants-votes.csv) or a
synthetic .npz from bench/synthetic.py. The JSON holds the seconds spent in `run_pipeline` and
in building its input, the process's peak RSS (getrusage), k, and `labels`: participant id ->
group for every participant red-dwarf clustered.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

FIXED_MATRIX_COLUMNS = ["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree"]
FIXED_MATRIX_COLUMNS += ["n-disagree"]


def latest_votes(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep each (voter, comment)'s last event: red-dwarf's pivot refuses duplicates."""
    ordered = frame.sort_values("timestamp", kind="stable")
    return ordered.drop_duplicates(["voter-id", "comment-id"], keep="last")


def folder_votes(folder: Path) -> tuple[list[dict[str, int]], list[int], list[int]]:
    """Return red-dwarf's vote dicts (agree = +1), the moderated-out and the meta comment ids."""
    comments = pd.read_csv(folder / "comments.csv")
    mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].astype(int).tolist()
    meta: list[int] = []
    if "is-meta" in comments:
        is_meta = comments["is-meta"].astype(str).str.lower() == "true"
        meta = comments.loc[is_meta, "comment-id"].astype(int).tolist()
    if (folder / "votes.csv").exists():
        events = latest_votes(pd.read_csv(folder / "votes.csv"))
        columns = zip(
            events["voter-id"],
            events["comment-id"],
            events["vote"],
            events["timestamp"],
            strict=True,
        )
        rows = [(int(p), int(s), int(v), int(t)) for p, s, v, t in columns]
    else:
        matrix = pd.read_csv(folder / "participants-votes.csv", low_memory=False)
        cells = matrix.drop(columns=[c for c in FIXED_MATRIX_COLUMNS if c != "participant"
                                     and c in matrix])  # fmt: skip
        long = cells.melt(id_vars="participant", var_name="comment", value_name="vote").dropna()
        columns = zip(long["participant"], long["comment"], long["vote"], strict=True)
        rows = [(int(p), int(s), int(v), 0) for p, s, v in columns]
    return [as_dict(*row) for row in rows], mod_out, meta


def synthetic_votes(path: Path) -> tuple[list[dict[str, int]], list[int], list[int]]:
    from synthetic import load

    data = load(path)
    rows = zip(data.participant.tolist(), data.statement.tolist(), data.vote.tolist(), strict=True)
    return [as_dict(p, s, v, i) for i, (p, s, v) in enumerate(rows)], [], []


def as_dict(participant: int, statement: int, vote: int, modified: int) -> dict[str, int]:
    return {"participant_id": participant, "statement_id": statement, "vote": vote,
            "modified": modified}  # fmt: skip


def run(path: Path, random_state: int) -> dict[str, Any]:
    started = time.perf_counter()
    votes, mod_out, meta = synthetic_votes(path) if path.suffix == ".npz" else folder_votes(path)
    prepared = time.perf_counter()
    from reddwarf.implementations import polis

    imported = time.perf_counter()
    result = polis.run_pipeline(
        votes=votes,
        mod_out_statement_ids=mod_out,
        meta_statement_ids=meta,
        random_state=random_state,
    )
    finished = time.perf_counter()
    clusters = result.participants_df["cluster_id"].dropna().astype(int)
    labels = {str(int(p)): int(g) for p, g in clusters.items()}
    return {
        "tool": f"red-dwarf {version('red-dwarf')}",
        "input": str(path),
        "participants": int(result.participants_df.shape[0]),
        "statements": int(result.raw_vote_matrix.shape[1]),
        "votes": len(votes),
        "k": len(set(labels.values())),
        "prepare_s": round(prepared - started, 3),
        "import_s": round(imported - prepared, 3),
        "pipeline_s": round(finished - imported, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "labels": labels,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="an openData folder or a synthetic .npz")
    parser.add_argument("--random-state", type=int, default=42)
    args = parser.parse_args()
    np.seterr(all="ignore")  # red-dwarf's statistics divide by zero on empty groups by design
    print(json.dumps(run(args.input, args.random_state)))


if __name__ == "__main__":
    main()
