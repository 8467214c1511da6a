"""Viewer-scoped reads: each persona sees exactly the rows its roles entitle it to."""

from __future__ import annotations

import pytest

from parley.processes.models import Issue, Position, Round
from parley.processes.permissions import viewer_for, visible
from parley.processes.queries import process_overview
from tests.world import ALL_CANARIES, ENTITLED, PERSONAS

pytestmark = pytest.mark.django_db


def _texts(world, persona):  # type: ignore[no-untyped-def]
    viewer = viewer_for(world.users[persona], world.process)
    rows = [
        *(p.statement for p in visible(viewer, Position, world.process)),
        *(r.name for r in visible(viewer, Round, world.process)),
        *(i.title for i in visible(viewer, Issue, world.process)),
    ]
    return " ".join(rows)


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_rows_carry_only_entitled_canaries(world, persona):  # type: ignore[no-untyped-def]
    """A persona reads every canary it is entitled to and none of the others."""
    text = _texts(world, persona)
    for canary in ALL_CANARIES:
        assert (canary in text) == (canary in ENTITLED[persona]), canary


def test_position_history_keeps_the_public_line_for_outsiders(world):  # type: ignore[no-untyped-def]
    """An outsider sees party A's public position as its current one, not the confidential one."""
    overview = process_overview(viewer_for(world.users["outsider"], world.process), world.process)
    [thread] = overview.threads
    assert thread.current.statement == "A's public line"
    assert len(thread.history) == 1
