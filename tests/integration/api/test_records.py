"""Every kind's four endpoints: one allowed and one denied case each, with the personas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.processes import actions
from parley.processes.kinds import KINDS
from tests.integration.api.conftest import (
    add_by_keys,
    add_sample,
    second,
    send,
    url,
)
from tests.samples import SAMPLES

pytestmark = pytest.mark.django_db

EDITABLE = [name for name, kind in KINDS.items() if not kind.append_only]
APPEND_ONLY = [name for name, kind in KINDS.items() if kind.append_only]


def keys(response) -> set[str]:
    return {row["key"] for row in response.json()}


def test_every_kind_has_a_sample() -> None:
    """A new kind must get a sample row here, or none of its endpoints would be tested."""
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_anyone_lists_public_rows(world, client_for, kind):
    key = add_sample(world, kind)
    response = client_for("anonymous").get(url(kind))
    assert response.status_code == 200
    [row] = [row for row in response.json() if row["key"] == key]
    assert row["record_kind"] == kind


def test_outsider_cannot_list_a_process_it_may_not_open(world, client_for):
    actions.update_process(user=world.users["mediator"], process=world.process,
                           data={"visibility": "process"})  # fmt: skip
    client = client_for("outsider")
    for kind in KINDS:
        response = client.get(url(kind))
        missing = client.get(f"/api/v1/processes/no-such-process/{kind}")
        assert response.status_code == missing.status_code == 404, kind
        assert response.content == missing.content, kind


@pytest.mark.parametrize("kind", KINDS)
def test_mediator_creates_a_row(world, client_for, kind):
    add_sample(world, kind)
    client = client_for("mediator")
    response = send(client, "POST", url(kind), {**second(kind), "key": "fresh"})
    assert response.status_code == 201, response.json()
    assert response.json()["key"] == "fresh"
    assert "fresh" in keys(client.get(url(kind)))


def test_observer_may_not_create_a_row(world, client_for):
    observer, mediator = client_for("observer"), client_for("mediator")
    for kind in KINDS:
        add_sample(world, kind)
        response = send(observer, "POST", url(kind), {**SAMPLES[kind], "key": "fresh"})
        assert response.status_code == 403, kind
        assert "fresh" not in keys(mediator.get(url(kind))), kind


@pytest.mark.parametrize("kind", KINDS)
def test_anyone_reads_a_public_row(world, client_for, kind):
    key = add_sample(world, kind)
    response = client_for("anonymous").get(url(kind, key))
    assert response.status_code == 200
    assert response.json()["key"] == key
    assert response.json()["citations"] == []


def test_a_hidden_row_reads_as_missing(world, client_for):
    observer, mediator = client_for("observer"), client_for("mediator")
    for kind in KINDS:
        key = add_sample(world, kind, hidden=True)
        response = observer.get(url(kind, key))
        missing = observer.get(url(kind, "no-such-key"))
        assert response.status_code == missing.status_code == 404, kind
        assert response.content == missing.content, kind
        assert mediator.get(url(kind, key)).status_code == 200, kind


@pytest.mark.parametrize("kind", EDITABLE)
def test_mediator_changes_a_row(world, client_for, kind):
    path = url(kind, add_sample(world, kind))
    client = client_for("mediator")
    response = send(client, "PATCH", path, {"is_illustrative": True})
    assert response.status_code == 200, response.json()
    assert response.json()["is_illustrative"] is True
    assert client.get(path).json()["is_illustrative"] is True


def test_party_lead_may_not_change_a_row(world, client_for):
    lead, mediator = client_for("party_a_lead"), client_for("mediator")
    for kind in KINDS:
        path = url(kind, add_sample(world, kind))
        response = send(lead, "PATCH", path, {"is_illustrative": True})
        assert response.status_code == 403, kind
        assert mediator.get(path).json()["is_illustrative"] is False, kind


@pytest.mark.parametrize("kind", APPEND_ONLY)
def test_append_only_rows_refuse_changes_with_the_actions_message(world, client_for, kind):
    path = url(kind, add_sample(world, kind))
    response = send(client_for("mediator"), "PATCH", path, {"statement": "changed"})
    assert response.status_code == 403
    label = KINDS[kind].label_plural.capitalize()
    assert response.json() == {"detail": f"{label} are append-only: record a new one."}


def test_a_list_takes_as_many_queries_for_many_rows_as_for_one(world, client_for):
    client = client_for("party_a_lead")
    for kind in KINDS:
        add_sample(world, kind)
    counts = {kind: len(queries_of(client, url(kind))) for kind in KINDS}
    for kind in KINDS:
        add_by_keys(world, kind, {**second(kind), "key": "another"})
    grown = {kind: len(queries_of(client, url(kind))) for kind in KINDS}
    assert grown == counts


def queries_of(client, path: str) -> list[dict[str, str]]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return context.captured_queries
