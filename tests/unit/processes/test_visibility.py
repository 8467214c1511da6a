"""Viewer-scoped reads: each persona sees exactly the rows its roles entitle it to."""

from __future__ import annotations

import pytest

from parley.processes.models import Issue, Position, Round
from parley.processes.permissions import viewer_for, visible
from parley.processes.queries import process_overview
from tests.world import ALL_CANARIES, ENTITLED, PERSONAS

pytestmark = pytest.mark.django_db


def _texts(world, persona):
    viewer = viewer_for(world.users[persona], world.process)
    rows = [
        *(p.statement for p in visible(viewer, Position, world.process)),
        *(r.name for r in visible(viewer, Round, world.process)),
        *(i.title for i in visible(viewer, Issue, world.process)),
    ]
    return " ".join(rows)


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_rows_carry_only_entitled_canaries(world, persona):
    """A persona reads every canary it is entitled to and none of the others."""
    text = _texts(world, persona)
    for canary in ALL_CANARIES:
        assert (canary in text) == (canary in ENTITLED[persona]), canary


def test_position_history_keeps_the_public_line_for_outsiders(world):
    """An outsider sees party A's public position as its current one, not the confidential one."""
    overview = process_overview(viewer_for(world.users["outsider"], world.process), world.process)
    [thread] = overview.threads
    assert thread.current.statement == "A's public line"
    assert len(thread.history) == 1


def test_reference_to_a_hidden_row_reads_as_none(world):
    """A public round held at a mediation-only venue shows no venue to an outsider."""
    from tests.world import add

    venue = add(world, "venues", key="safe-house", name="Safe house", visibility="mediation")
    add(world, "rounds", key="round-x", name="Round X", sequence=5, venue=venue)
    outsider = viewer_for(world.users["outsider"], world.process)
    mediator = viewer_for(world.users["mediator"], world.process)
    [seen] = [r for r in process_overview(outsider, world.process).rounds if r.key == "round-x"]
    [full] = [r for r in process_overview(mediator, world.process).rounds if r.key == "round-x"]
    assert seen.venue is None
    assert full.venue == venue


def test_a_redacted_copy_cannot_be_saved(world):
    """Saving a row whose references were hidden for a viewer would erase them: it is refused."""
    from tests.world import add

    venue = add(world, "venues", key="safe-house", name="Safe house", visibility="mediation")
    add(world, "rounds", key="round-x", name="Round X", sequence=5, venue=venue)
    outsider = viewer_for(world.users["outsider"], world.process)
    [seen] = [r for r in process_overview(outsider, world.process).rounds if r.key == "round-x"]
    with pytest.raises(RuntimeError, match="read-only"):
        seen.save()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("party_a_member", True), ("party_a_lead", True), ("party_b_lead", False),
     ("observer", False), ("mediator", True)],
)  # fmt: skip
def test_a_subgroup_row_reaches_its_audience_only(world, persona, sees):
    """A bilateral's record names party A as audience: A and the team read it, B does not."""
    from tests.world import add

    row = add(world, "rounds", key="bilateral", name="Bilateral with A", sequence=7,
              visibility="subgroup")  # fmt: skip
    row.audience.set([world.party_a])
    viewer = viewer_for(world.users[persona], world.process)
    keys = list(visible(viewer, Round, world.process).values_list("key", flat=True))
    assert ("bilateral" in keys) is sees
    assert len(keys) == len(set(keys))  # each row once


def test_a_hidden_required_reference_reads_as_none_everywhere(world):
    """A public position on a mediation-only issue: its issue reads as None, not an error."""
    from parley.processes.kinds import KINDS, values_of
    from parley.processes.redaction import ReadScope
    from parley.web.presenters import NOT_DISCLOSED, holder_text
    from tests.world import add

    hidden = add(world, "issues", key="hidden-issue", title="Hidden", visibility="mediation")
    add(world, "positions", key="on-hidden", actor=world.party_a, issue=hidden,
        visibility="public")  # fmt: skip
    outsider = viewer_for(world.users["outsider"], world.process)
    scope = ReadScope(outsider, world.process)
    [row] = scope.redact(visible(outsider, Position, world.process).filter(key="on-hidden"))
    assert row.issue is None
    assert values_of(KINDS["positions"], row)["issue"] is None
    assert holder_text(row, outsider, "issue") == NOT_DISCLOSED
