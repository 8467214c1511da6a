"""`parley opinion-map DIR --out FILE.json` on a real Pol.is openData folder.

No test here is marked django_db: pytest-django refuses any database access in them, so they
also check that the command never touches the database.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from parley.consultation.opinion.opendata import latest_votes, read_folder
from parley.consultation.opinion.report import FORMAT
from tests.shared_data import POLIS, SHARED

SEATTLE = POLIS / "15-per-hour-seattle"
PARLEY = Path(sys.executable).with_name("parley")

KEYS = {
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
    "run",
}


@pytest.fixture
def seattle() -> Path:
    if not (SEATTLE / "comments.csv").is_file():
        pytest.fail(
            f"Pol.is openData conversation not found at {SEATTLE}: the CLI tests need the "
            f"shared data folder {SHARED}: set PARLEY_SHARED_DIR if it is elsewhere."
        )
    return SEATTLE


@pytest.fixture
def copy(seattle: Path, tmp_path: Path) -> Path:
    """Return a writable copy of the Seattle folder."""
    folder = tmp_path / "copy"
    shutil.copytree(seattle, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("opinion-map", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_writes_the_opinion_map_and_prints_one_line(seattle, tmp_path):
    target = tmp_path / "map.json"
    out, _ = run(str(seattle), "--out", str(target))
    summary = r"339 participants, 54 statements, 2872 votes, k=\d, \d+\.\d\d s -> "
    assert re.fullmatch(summary + re.escape(str(target)) + "\n", out)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert set(document) == KEYS
    assert document["format"] == FORMAT
    assert (document["n_participants"], document["n_statements"]) == (339, 54)
    assert document["run"] == {
        "folder": "15-per-hour-seattle",
        "source": "votes.csv",
        "seed": 0,
        "replay_batches": None,
    }
    assert 2 <= document["k"] == len(document["groups"]) <= 5


def test_every_participant_with_seven_votes_has_a_group(seattle, tmp_path):
    target = tmp_path / "map.json"
    run(str(seattle), "--out", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    final = latest_votes(read_folder(seattle).log)
    ids, counts = np.unique(final.participant, return_counts=True)
    eligible = set(ids[counts >= 7].tolist())
    group_of = {p["id"]: p["group"] for p in document["participants"]}
    assert eligible
    assert {pid for pid in eligible if group_of[pid] is None} == set()
    group_ids = {g["id"] for g in document["groups"]}
    assert {g for g in group_of.values() if g is not None} == group_ids


def test_statement_texts_come_with_the_map(seattle, tmp_path):
    target = tmp_path / "map.json"
    run(str(seattle), "--out", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    texts = {s["id"]: s.get("text") for s in document["statements"]}
    assert texts[0]
    for group in document["groups"]:
        for item in group["representative"]:
            assert item["text"] == texts[item["statement"]]


def test_replay_warm_starts_over_chronological_batches(seattle, tmp_path):
    target = tmp_path / "map.json"
    out, _ = run(str(seattle), "--out", str(target), "--replay", "5", "--seed", "3")
    assert out.startswith("339 participants, 54 statements, 2872 votes, k=")
    run_info = json.loads(target.read_text(encoding="utf-8"))["run"]
    assert (run_info["seed"], run_info["replay_batches"]) == (3, 5)


def test_replay_without_timestamps_says_it_goes_by_participant(copy, tmp_path):
    (copy / "votes.csv").unlink()
    target = tmp_path / "map.json"
    out, err = run(str(copy), "--out", str(target), "--replay", "3")
    assert "participants-votes.csv has no timestamps" in err
    assert json.loads(target.read_text(encoding="utf-8"))["run"]["source"] == (
        "participants-votes.csv"
    )
    assert out.startswith("339 participants, 54 statements, 2872 votes")


def test_a_bad_folder_names_file_line_and_reason_and_writes_nothing(copy, tmp_path):
    lines = (copy / "votes.csv").read_text(encoding="utf-8").split("\n")
    lines[16] = lines[16].rsplit(",", 1)[0] + ",2"
    lines[30] = lines[30].rsplit(",", 1)[0]
    (copy / "votes.csv").write_text("\n".join(lines), encoding="utf-8")
    target = tmp_path / "map.json"
    with pytest.raises(CommandError) as caught:
        run(str(copy), "--out", str(target))
    message = str(caught.value)
    assert "votes.csv:17: vote '2' is not one of 1, -1, 0" in message
    assert "votes.csv:31: row has 4 fields, the header has 5" in message
    assert not target.exists()


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run(str(tmp_path / "nowhere"), "--out", str(tmp_path / "map.json"))


def test_an_unwritable_output_is_refused(seattle, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run(str(seattle), "--out", str(tmp_path / "missing" / "map.json"))


def test_replay_needs_a_positive_batch_count(seattle, tmp_path):
    with pytest.raises(CommandError, match="is not at least 1"):
        run(str(seattle), "--out", str(tmp_path / "map.json"), "--replay", "0")


def test_the_parley_command_exits_non_zero_on_a_bad_folder(copy, tmp_path):
    (copy / "comments.csv").unlink()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'never-created.sqlite3'}"
    done = subprocess.run(
        [str(PARLEY), "opinion-map", str(copy), "--out", str(tmp_path / "map.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "comments.csv: file is missing" in done.stderr
    assert not (tmp_path / "never-created.sqlite3").exists()  # the database was never opened
