"""Processes and the timeline: one allowed and one denied case per endpoint."""

from __future__ import annotations

import pytest

from parley.processes import actions
from tests.integration.api.conftest import send, url

pytestmark = pytest.mark.django_db

PROCESSES = "/api/v1/processes"


def slugs(response) -> set[str]:
    return {process["slug"] for process in response.json()}


@pytest.fixture
def closed(world):
    """Return a process-level process of the mediator's: participants only, not the public."""
    return actions.create_process(exact_slug=True, user=world.users["mediator"],
                                  data={"slug": "closed", "title": "Closed talks"})  # fmt: skip


def test_anyone_lists_public_processes_and_only_those(world, closed, client_for):
    assert slugs(client_for("anonymous").get(PROCESSES)) == {"talks"}
    assert slugs(client_for("outsider").get(PROCESSES)) == {"talks"}
    assert slugs(client_for("mediator").get(PROCESSES)) == {"talks", "closed"}


def test_a_signed_in_user_opens_a_process_and_becomes_its_mediator(world, client_for):
    client = client_for("outsider")
    response = send(client, "POST", PROCESSES, {"slug": "new-talks", "title": "New talks"})
    assert response.status_code == 201
    assert response.json()["visibility"] == "process"
    slug = response.json()["slug"]
    assert slug.startswith("new-talks-")  # a random suffix: see actions.create_process
    changed = send(client, "PATCH", f"{PROCESSES}/{slug}", {"phase": "negotiation"})
    assert changed.status_code == 200
    assert changed.json()["phase"] == "negotiation"


def test_anonymous_may_not_open_a_process(world, client_for):
    response = send(client_for("anonymous"), "POST", PROCESSES, {"slug": "x", "title": "X"})
    assert response.status_code == 401
    assert not any(s.startswith("x") for s in slugs(client_for("mediator").get(PROCESSES)))


def test_anyone_reads_a_public_process(world, client_for):
    response = client_for("anonymous").get(url())
    assert response.status_code == 200
    assert response.json()["title"] == "Talks"


def test_a_process_one_may_not_open_reads_as_missing(world, closed, client_for):
    client = client_for("observer")
    response = client.get(f"{PROCESSES}/closed")
    assert response.status_code == 404
    assert response.content == client.get(f"{PROCESSES}/no-such-process").content


def test_mediator_changes_the_process(world, client_for):
    response = send(client_for("mediator"), "PATCH", url(), {"phase": "concluded"})
    assert response.status_code == 200
    assert client_for("anonymous").get(url()).json()["phase"] == "concluded"


def test_party_lead_may_not_change_the_process(world, client_for):
    response = send(client_for("party_a_lead"), "PATCH", url(), {"phase": "concluded"})
    assert response.status_code == 403
    assert client_for("anonymous").get(url()).json()["phase"] == "exploratory"


def test_the_slug_cannot_be_changed(world, client_for):
    response = send(client_for("mediator"), "PATCH", url(), {"slug": "renamed"})
    assert response.status_code == 422
    assert response.json() == {"errors": {"slug": ["Unknown field."]}}


def test_timeline_shows_what_the_viewer_may_see_in_date_order(world, client_for):
    actions.cite(
        user=world.users["mediator"],
        process=world.process,
        target=world.rows["round-1"],
        source=world.rows["report"],
        quote="Talks opened",
    )
    response = client_for("anonymous").get(url("timeline"))
    assert response.status_code == 200
    [entry] = response.json()
    assert entry == {
        "kind": "round", "record_kind": "rounds", "key": "round-1", "title": "Round 1",
        "date": "2015-05-25", "date_text": "from 25 May 2015",
        "sources": [{"source": "report", "source_title": "A public report", "field": "",
                     "quote": "Talks opened", "locator": ""}],
    }  # fmt: skip
    mediator_keys = [entry["key"] for entry in client_for("mediator").get(url("timeline")).json()]
    assert mediator_keys == ["round-1", "round-secret"]


def test_timeline_of_a_process_one_may_not_open_reads_as_missing(world, closed, client_for):
    client = client_for("outsider")
    response = client.get(f"{PROCESSES}/closed/timeline")
    assert response.status_code == 404
    assert response.content == client.get(f"{PROCESSES}/no-such-process/timeline").content
