"""Request bodies: what is written, and the 422 answers, which carry the actions' messages."""

from __future__ import annotations

import pytest

from parley.audit.models import AuditEvent
from parley.core.errors import InvalidInput
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import Round
from tests.integration.api.conftest import send, url

pytestmark = pytest.mark.django_db


def test_a_round_created_through_the_api_is_audited_and_listed(world, client_for):
    client = client_for("mediator")
    body = {"name": "Astana I", "sequence": 4, "starts_on": "2017-01", "status": "held"}
    response = send(client, "POST", url("rounds"), body)
    assert response.status_code == 201
    assert response.json()["key"] == "astana-i"
    created = Round.objects.get(process=world.process, key="astana-i")
    event = AuditEvent.objects.get(verb="rounds.created", target_id=str(created.pk))
    assert event.user == world.users["mediator"]
    assert "astana-i" in {row["key"] for row in client.get(url("rounds")).json()}


@pytest.mark.parametrize("method, path", [("POST", ("rounds",)), ("PATCH", ("rounds", "round-1"))])
def test_an_unknown_field_is_named(world, client_for, method, path):
    response = send(client_for("mediator"), method, url(*path), {"name": "X", "colour": "red"})
    assert response.status_code == 422
    assert response.json() == {"errors": {"colour": ["Unknown field."]}}


def test_a_bad_date_gives_the_actions_message(world, client_for):
    with pytest.raises(InvalidInput) as expected:
        actions.create_record(
            user=world.users["mediator"],
            process=world.process,
            kind=KINDS["rounds"],
            data={"name": "X", "starts_on": "2015-13"},
        )
    response = send(client_for("mediator"), "POST", url("rounds"),
                    {"name": "X", "starts_on": "2015-13"})  # fmt: skip
    assert response.status_code == 422
    assert response.json() == {"errors": {"starts_on": expected.value.errors["starts_on"]}}
    assert response.json()["errors"]["starts_on"] == ["'2015-13' has no month 13"]


def test_a_missing_required_field_and_a_wrong_type_are_named(world, client_for):
    response = send(client_for("mediator"), "POST", url("rounds"), {"sequence": "first"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["This field is required."]
    assert set(errors) == {"name", "sequence"}


def test_a_reference_to_a_hidden_row_reads_like_one_to_a_missing_row(world, client_for):
    client = client_for("party_a_lead")
    hidden = send(client, "POST", url("positions"), {"actor": "party-a", "issue": "lead-note"})
    missing = send(client, "POST", url("positions"), {"actor": "party-a", "issue": "no-such"})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.content == missing.content
    assert missing.json() == {"errors": {"issue": ["No such issue in this process."]}}


def test_a_party_head_records_its_own_position_but_not_another_partys(world, client_for):
    body = {"issue": "fighters", "stance": "opposes", "statement": "No"}
    own = send(client_for("party_a_lead"), "POST", url("positions"), {**body, "actor": "party-a"})
    other = send(client_for("party_b_lead"), "POST", url("positions"), {**body, "actor": "party-a"})
    assert own.status_code == 201
    assert (own.json()["visibility"], own.json()["party"]) == ("party", "party-a")
    assert other.status_code == 403


def test_audience_and_references_are_given_and_returned_as_keys(world, client_for):
    client = client_for("mediator")
    body = {"title": "Prisoners", "visibility": "subgroup", "audience": ["party-b", "party-a"],
            "parent": "fighters"}  # fmt: skip
    response = send(client, "POST", url("issues"), body)
    assert response.status_code == 201
    assert (response.json()["audience"], response.json()["parent"]) == (
        ["party-a", "party-b"], "fighters")  # fmt: skip
    cleared = send(client, "PATCH", url("issues", "prisoners"), {"parent": None})
    assert cleared.json()["parent"] is None
