"""The process page costs a fixed number of queries, however large the process grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.processes.permissions import viewer_for
from parley.processes.queries import process_overview, timeline
from tests.scale import grow_process

pytestmark = pytest.mark.django_db


def _grow(world, **counts) -> None:
    """Grow the world's process; the small step makes every kind of reference exist."""
    grow_process(world.users["mediator"], world.process, **counts)


def _queries_to_load(world, persona: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        viewer = viewer_for(world.users[persona], world.process)
        timeline(process_overview(viewer, world.process))
    return len(captured)


def _queries_to_render(client, world) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/p/{world.process.slug}/")
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["mediator", "party_a_lead", "outsider"])
def test_overview_queries_do_not_grow_with_the_process(world, persona):
    """Small process vs. 50 actors, 20 rounds and 500 positions: the same query count."""
    _grow(world, actors=2, rounds=2, positions=4, tag="s")
    small = _queries_to_load(world, persona)
    _grow(world, actors=50, rounds=20, positions=500, tag="l")
    assert _queries_to_load(world, persona) == small


@pytest.mark.parametrize("persona", ["mediator", "party_a_lead", "anonymous"])
def test_process_page_queries_do_not_grow_with_the_process(world, client_for, persona):
    client = client_for(persona)
    _grow(world, actors=2, rounds=2, positions=4, tag="s")
    small = _queries_to_render(client, world)
    _grow(world, actors=50, rounds=20, positions=500, tag="l")
    assert _queries_to_render(client, world) == small
