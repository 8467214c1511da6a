"""API test helpers: one sample row of every kind, and JSON requests as a persona."""

from __future__ import annotations

from typing import Any

from django.test import Client

from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import ProcessRecord
from tests.samples import SAMPLES
from tests.world import World

SLUG = "talks"


# What a second row of a kind changes so it does not repeat a pair the sample holds once.
SECOND: dict[str, dict[str, Any]] = {
    "delegation-members": {"person": "party-a-lead"},
    "letter-signatories": {"order": 2},
    "endorsements": {"actor": "party-b"},
}


def second(kind: str) -> dict[str, Any]:
    """Return data for another row of *kind* beside its sample (references as keys)."""
    return {**SAMPLES[kind], **SECOND.get(kind, {})}


def url(*parts: str) -> str:
    """Return the API path of *parts* in the personas' process: url("rounds", "round-1")."""
    return "/".join(["/api/v1/processes", SLUG, *parts])


def add_by_keys(world: World, kind: str, data: dict[str, Any]) -> ProcessRecord:
    """Add a row as the mediator from data whose references are keys; remember it by key.

    Not tests.world.add: several kinds have a field named "kind", which its signature takes.
    """
    refs = KINDS[kind].reference_fields()
    rows = {name: _lookup(world, value) for name, value in data.items() if name in refs}
    row = actions.create_record(user=world.users["mediator"], process=world.process,
                                kind=KINDS[kind], data={**data, **rows})  # fmt: skip
    world.rows[row.key] = row
    return row


def _lookup(world: World, key: Any) -> Any:
    if isinstance(key, list):
        return [world.rows[k] for k in key]
    return world.rows[key]


def add_sample(world: World, kind: str, *, hidden: bool = False) -> str:
    """Add the sample row of *kind* (and the samples it refers to); return its key.

    *hidden*: add a mediation-only row "hidden-<kind>" beside the sample instead.
    """
    for parent in _sample_parents(kind):
        if f"sample-{parent}" not in world.rows:
            add_sample(world, parent)
    if hidden:
        data = {**second(kind), "key": f"hidden-{kind}", "visibility": Visibility.MEDIATION.value}
    else:
        data = {**SAMPLES[kind], "key": f"sample-{kind}"}
    return add_by_keys(world, kind, data).key


def _sample_parents(kind: str) -> list[str]:
    values = [*SAMPLES[kind].values(), *SECOND.get(kind, {}).values()]
    refs = [value for value in values if isinstance(value, str)]
    return [ref.removeprefix("sample-") for ref in refs if ref.startswith("sample-")]


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    """Send *data* as JSON with *method*; return the response."""
    call = getattr(client, method.lower())
    if data is None:
        return call(path)
    return call(path, data, content_type="application/json")
