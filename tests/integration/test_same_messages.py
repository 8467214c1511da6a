"""The web form and the API refuse the same input with the same words on the same field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from parley.accounts.models import User
from tests.world import add

pytestmark = pytest.mark.django_db

VALID = {"name": "Round 9", "sequence": "9", "status": "planned", "visibility": "public"}
BAD_INPUTS = [
    ("starts_on", "2015-13"),  # no month 13
    ("name", ""),  # required
    ("status", "finished"),  # not a choice
    ("venue", "safe-house"),  # a venue the viewer may not see reads as no venue at all
]


def _web_errors(client, world, data) -> dict[str, list[str]]:
    # The form names a venue by its id; the API by its key. Both point at the hidden venue.
    if "venue" in data:
        data = {**data, "venue": str(world.rows["safe-house"].pk)}
    response = client.post(f"/p/{world.process.slug}/rounds/new/", data)
    assert response.status_code == 200, "the form should come back with its errors"
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _api_errors(client, world, data) -> dict[str, list[str]]:
    body = {**data, "sequence": int(data["sequence"])}
    response = client.post(
        f"/api/v1/processes/{world.process.slug}/rounds", json.dumps(body), "application/json"
    )
    assert response.status_code == 422
    return response.json()["errors"]


@pytest.mark.parametrize(("field", "value"), BAD_INPUTS)
def test_web_and_api_say_the_same(world, field, value):
    add(world, "venues", key="safe-house", name="Safe house", visibility="lead")
    client = Client()
    client.force_login(_co_mediator(world))
    data = {**VALID, field: value}
    web, api = _web_errors(client, world, data), _api_errors(client, world, data)
    assert web[field] == api[field]
    assert list(web) == list(api) == [field]


def _co_mediator(world):
    """Return a co-mediator: a writer who may not see the lead's hidden venue."""
    user = User.objects.create_user(username="co-mediator", password="x")
    person = add(world, "people", display_name="Co", visibility="mediation")
    user.people.add(person)
    add(world, "role-assignments", role="co_mediator", person=person, visibility="mediation")
    return user
