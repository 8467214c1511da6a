"""Citations: written by the mediation team, shown only where source and row are visible."""

from __future__ import annotations

import pytest

from tests.integration.api.conftest import send, url
from tests.world import add

pytestmark = pytest.mark.django_db


def cite(client, target_kind="rounds", target_key="round-1", source="report", **extra):
    body = {"target_kind": target_kind, "target_key": target_key, "source": source, **extra}
    return send(client, "POST", url("citations"), body)


def test_mediator_cites_a_source_and_the_row_shows_it(world, client_for):
    response = cite(client_for("mediator"), quote="Talks opened", locator="para 2", field="name")
    assert response.status_code == 201
    assert response.json() == {
        "source": "report", "source_title": "A public report", "field": "name",
        "quote": "Talks opened", "locator": "para 2",
        "target_kind": "rounds", "target_key": "round-1",
    }  # fmt: skip
    [shown] = client_for("anonymous").get(url("rounds", "round-1")).json()["citations"]
    assert shown["quote"] == "Talks opened"


def test_party_lead_may_not_cite(world, client_for):
    response = cite(client_for("party_a_lead"), quote="Talks opened")
    assert response.status_code == 403
    assert client_for("mediator").get(url("rounds", "round-1")).json()["citations"] == []


def test_a_citation_of_a_hidden_source_is_not_shown(world, client_for):
    add(world, "sources", key="memo", title="Mediation memo", visibility="mediation")
    assert cite(client_for("mediator"), source="memo", quote="secret").status_code == 201
    assert client_for("anonymous").get(url("rounds", "round-1")).json()["citations"] == []
    [shown] = client_for("mediator").get(url("rounds", "round-1")).json()["citations"]
    assert shown["source"] == "memo"


def test_citing_a_hidden_row_reads_like_citing_a_missing_one(world, client_for):
    client = client_for("party_b_lead")
    hidden = cite(client, target_kind="positions", target_key="pos-a")
    missing = cite(client, target_kind="positions", target_key="no-such")
    assert hidden.status_code == missing.status_code == 422
    assert hidden.content == missing.content


@pytest.mark.parametrize("body, field", [
    ({"target_kind": "letters-of-marque"}, "target_kind"),
    ({"source": "no-such"}, "source"),
    ({"field": "colour"}, "field"),
    ({"quote": "x", "page": 3}, "page"),
])  # fmt: skip
def test_a_bad_citation_names_the_field(world, client_for, body, field):
    response = cite(client_for("mediator"), **body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
