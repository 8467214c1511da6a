"""Export -> import into an empty database -> export gives the same bytes, history included."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.db import transaction

from parley.processes import actions
from parley.processes.actions import ensure_user
from parley.processes.demo import load_demo
from parley.processes.kinds import KINDS
from parley.processes.models import Position, Process
from parley.processes.permissions import viewer_for
from parley.processes.scenario import (
    export_scenario,
    import_scenario,
    read_scenario,
)
from parley.processes.scenario.shape import item_fields
from tests.world import build_world

pytestmark = pytest.mark.django_db


class _Forget(Exception):
    """Raised to roll back everything a test built, leaving an empty database."""


def exported_then_forgotten(build: Callable[[], Process], format: str = "yaml") -> str:
    """Return the export of the process *build* makes, then roll the database back to empty."""
    text = ""
    try:
        with transaction.atomic():
            text = export_scenario(build(), format=format)
            raise _Forget
    except _Forget:
        assert not Process.objects.exists()
        return text


def reimported(text: str, filename: str, username: str) -> str:
    """Import *text* as *username* into the (empty) database and return its export."""
    result = import_scenario(read_scenario(text, filename), user=ensure_user(username=username))
    return export_scenario(result.process)


def test_the_world_survives_a_round_trip():
    first = exported_then_forgotten(lambda: build_world().process)
    assert reimported(first, "world.yaml", "talks-mediator") == first


def test_the_demo_survives_a_round_trip_with_its_position_history_in_order():
    first = exported_then_forgotten(lambda: load_demo()[0])
    assert reimported(first, "demo.yaml", "parley-system") == first
    history = Position.objects.filter(actor__key="demo-group-a").order_by("created_at", "id")
    assert [p.key for p in history] == [
        "demo-group-a-foreign-fighters-1",
        "demo-group-a-foreign-fighters-2",
    ]


def test_a_json_export_imports_to_the_same_process():
    first = exported_then_forgotten(lambda: load_demo()[0], format="json")
    process = import_scenario(read_scenario(first, "demo.json")).process
    assert export_scenario(process, format="json") == first
    assert json.loads(first)["format"] == "parley-scenario/1"


def test_the_importer_becomes_the_processs_lead_mediator():
    first = exported_then_forgotten(lambda: build_world().process)
    user = ensure_user(username="someone-else")
    process = import_scenario(read_scenario(first, "world.yaml"), user=user).process
    assert viewer_for(user, process).is_lead


def test_export_writes_every_field_in_a_fixed_order(world):
    document = read_scenario(export_scenario(world.process), "w.yaml").document.data
    assert list(document)[:3] == ["format", "process", "sources"]
    assert list(document)[-1] == "citations"
    for kind in KINDS.values():
        for item in document[kind.name]:
            assert tuple(item) == item_fields(kind)
    assert export_scenario(world.process) == export_scenario(world.process)


def test_export_sorts_the_keys_of_names(world):
    mediator = world.users["mediator"]
    actions.create_record(
        user=mediator, process=world.process, kind=KINDS["people"],
        data={"key": "named", "display_name": "Named", "names": {"ru": "Б", "ar": "أ"}},
    )  # fmt: skip
    assert "names:\n    ar: أ\n    ru: Б\n" in export_scenario(world.process)


def test_a_parent_updated_to_a_later_issue_is_exported_before_its_child(world):
    mediator, kinds = world.users["mediator"], KINDS["issues"]
    child = world.rows["fighters"]
    parent = actions.create_record(
        user=mediator, process=world.process, kind=kinds, data={"key": "security", "title": "S"}
    )
    actions.update_record(
        user=mediator, process=world.process, kind=kinds, row=child, data={"parent": parent}
    )
    text = export_scenario(world.process)
    assert text.index("- key: security") < text.index("- key: fighters")
    read_scenario(text, "w.yaml")  # every reference points to an earlier item
