"""`parley polis import / export`: real openData folders in and out, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parley.consultation.models import Conversation, OpinionMapSnapshot, Statement, Vote
from parley.consultation.opinion.opendata import latest_votes, read_folder
from tests.shared_data import POLIS
from tests.world import World

pytestmark = pytest.mark.django_db

SEATTLE = POLIS / "15-per-hour-seattle"


@pytest.fixture
def seattle() -> Path:
    assert SEATTLE.is_dir(), f"the shared Pol.is data is missing: {SEATTLE}"
    return SEATTLE


def _import(world: World, folder: Path, persona: str = "mediator", *extra: str) -> Conversation:
    username = world.users[persona].username
    call_command("polis", "import", str(folder), "--as", username, *extra)
    return Conversation.objects.order_by("-pk")[0]


def test_import_loads_every_event_and_computes_a_first_map(world: World, seattle: Path):
    conversation = _import(world, seattle, "mediator", "--process", world.process.slug)
    assert conversation.process == world.process
    source = read_folder(seattle)
    assert Vote.objects.filter(conversation=conversation).count() == len(source.log.vote)
    assert Statement.objects.filter(conversation=conversation).count() == len(source.comments)
    snapshot = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert snapshot.n_participants == 339 and snapshot.n_votes == 2872


def test_export_writes_the_same_final_votes_back(world: World, seattle: Path, tmp_path: Path):
    conversation = _import(world, seattle)
    mediator = world.users["mediator"].username
    call_command("polis", "export", conversation.slug, str(tmp_path), "--as", mediator)
    assert {p.name for p in tmp_path.iterdir()} >= {
        "comments.csv", "votes.csv", "participants-votes.csv", "summary.csv",
        "stats-history.csv",
    }  # fmt: skip
    before, after = read_folder(seattle), read_folder(tmp_path)
    assert _cells(latest_votes(after.log)) == _cells(latest_votes(before.log))
    assert {c.id: (c.text, c.moderated) for c in after.comments} == {
        c.id: (c.text, c.moderated) for c in before.comments
    }


def _cells(log) -> set[tuple[int, int, int]]:
    return set(
        zip(log.participant.tolist(), log.statement.tolist(), log.vote.tolist(), strict=True)
    )


@pytest.mark.parametrize("persona", ["party_a_lead", "observer", "outsider"])
def test_only_the_team_exports_the_vote_matrix(
    world: World, seattle: Path, tmp_path: Path, persona: str
):
    conversation = _import(world, seattle, "mediator", "--process", world.process.slug)
    username = world.users[persona].username
    with pytest.raises(CommandError, match="may do this"):
        call_command("polis", "export", conversation.slug, str(tmp_path), "--as", username)
    assert not list(tmp_path.iterdir())


def test_a_broken_folder_is_refused_with_file_and_line_and_nothing_is_written(
    world: World, seattle: Path, tmp_path: Path
):
    broken = tmp_path / "broken"
    shutil.copytree(seattle, broken)
    votes = broken / "votes.csv"
    lines = votes.read_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",7"
    votes.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match=r"votes\.csv:4: .*'7'"):
        _import(world, broken)
    assert not Conversation.objects.exists()
