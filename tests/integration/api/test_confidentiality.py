"""No response, error body or log line gives a persona what it may not read."""

from __future__ import annotations

import logging

import pytest

from parley.processes.kinds import KINDS, kind_of
from tests.integration.api.conftest import send, url
from tests.world import ALL_CANARIES, CANARY_A, ENTITLED, PERSONAS, add

pytestmark = pytest.mark.django_db


def everything_readable(world, client) -> str:
    """Return every GET answer of the process, including the details of every row it holds."""
    paths = ["/api/v1/processes", url(), url("timeline"), *(url(kind) for kind in KINDS)]
    paths += [url(kind_of(type(row)).name, key) for key, row in world.rows.items()]
    return "\n".join(client.get(path).content.decode() for path in paths)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_persona_reads_exactly_the_canaries_it_is_entitled_to(world, client_for, caplog, persona):
    caplog.set_level(logging.DEBUG)
    text = everything_readable(world, client_for(persona))
    for canary in ALL_CANARIES:
        assert (canary in text) == (canary in ENTITLED[persona]), canary
        if canary not in ENTITLED[persona]:
            assert canary not in caplog.text, canary


def test_party_b_never_receives_party_as_confidential_data(world, client_for):
    """Also not through writes that name party A's rows, nor their error bodies."""
    client = client_for("party_b_lead")
    answers = [
        everything_readable(world, client),
        send(client, "PATCH", url("positions", "pos-a"), {"statement": "x"}).content.decode(),
        send(client, "POST", url("positions"), {"actor": "party-b", "issue": "fighters",
                                                "key": "pos-a"}).content.decode(),
        send(client, "POST", url("citations"), {"target_kind": "positions", "target_key": "pos-a",
                                                "source": "report"}).content.decode(),
    ]  # fmt: skip
    assert CANARY_A not in "\n".join(answers)


def test_a_reference_to_a_hidden_row_reads_as_null(world, client_for):
    venue = add(world, "venues", key="safe-house", name="Safe house", visibility="mediation")
    add(world, "rounds", key="round-x", name="Round X", sequence=5, venue=venue)
    seen = client_for("anonymous").get(url("rounds", "round-x")).json()
    assert seen["venue"] is None
    assert "safe-house" not in client_for("anonymous").get(url("rounds")).content.decode()
    assert client_for("mediator").get(url("rounds", "round-x")).json()["venue"] == "safe-house"


def test_a_required_reference_to_a_hidden_row_reads_as_null_too(world, client_for):
    """A public session of a mediation-only round: Django refuses None for a required field."""
    secret = world.rows["round-secret"]
    add(world, "sessions", key="caucus", title="Caucus", round=secret, visibility="public")
    client = client_for("observer")
    assert client.get(url("sessions", "caucus")).json()["round"] is None
    assert [session["round"] for session in client.get(url("sessions")).json()] == [None]


def test_a_position_of_a_hidden_actor_shows_neither_actor_nor_history(world, client_for):
    ghost = add(world, "actors", key="ghost", name="Ghost", visibility="mediation")
    add(world, "positions", key="unattributed-line", actor=ghost, issue=world.rows["fighters"],
        stance="supports", visibility="public")  # fmt: skip
    client = client_for("anonymous")
    detail = client.get(url("positions", "unattributed-line")).json()
    assert (detail["actor"], detail["party"], detail["history"]) == (None, None, [])
    assert client.get(url("timeline")).status_code == 200
    assert "ghost" not in client.get(url("positions")).content.decode()


def test_the_audience_names_only_parties_the_viewer_may_see(world, client_for):
    secret = add(world, "actors", key="secret-party", name="Secret party", visibility="mediation")
    add(world, "issues", key="prisoners", title="Prisoners", visibility="subgroup",
        audience=[world.party_a, secret])  # fmt: skip
    assert client_for("party_a_lead").get(url("issues", "prisoners")).json()["audience"] == [
        "party-a"]  # fmt: skip
    assert client_for("mediator").get(url("issues", "prisoners")).json()["audience"] == [
        "party-a", "secret-party"]  # fmt: skip


def test_position_history_shows_only_the_positions_the_viewer_may_see(world, client_for):
    def history(persona: str) -> list[str]:
        response = client_for(persona).get(url("positions", "pos-a-public"))
        return [position["key"] for position in response.json()["history"]]

    assert history("party_a_lead") == ["pos-a", "pos-a-public"]
    assert history("party_b_lead") == ["pos-a-public"]


def test_a_person_is_shown_without_its_user_account(world, client_for):
    client = client_for("mediator")
    expected = {"record_kind", *KINDS["people"].editable_fields}
    people = client.get(url("people")).json()
    assert people and all(set(person) == expected for person in people)
    detail = client.get(url("people", "party-a-lead")).json()
    assert set(detail) == expected | {"citations"}
    assert "user" not in expected


def test_api_withholds_a_name_its_person_did_not_consent_to(world, client_for):
    """A public person row that may not be named reads like the web page: no name, no title."""
    from tests.world import add

    add(world, "people", key="witness", display_name="Real Name Of Witness", title="Minister",
        consent_to_be_named="none", pseudonym="Witness 4")  # fmt: skip
    for persona, shows in [("outsider", False), ("observer", False), ("mediator", True)]:
        body = client_for(persona).get(f"/api/v1/processes/{world.process.slug}/people/witness")
        assert body.status_code == 200
        assert ("Real Name Of Witness" in body.content.decode()) is shows, persona
        assert ("Minister" in body.content.decode()) is shows, persona
