"""The personas' world: one process with two parties, confidential rows and canaries.

Personas (the same names as docs/permissions.md): mediator, party_a_lead, party_a_member,
party_b_lead, observer, public_participant, outsider, anonymous. Every confidential row of a
party carries that party's canary string; no other persona may ever receive it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parley.accounts.models import User
from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import Actor, Process, ProcessRecord
from parley.processes.roles import Role

PERSONAS = (
    "mediator", "party_a_lead", "party_a_member", "party_b_lead",
    "observer", "public_participant", "outsider", "anonymous",
)  # fmt: skip
PASSWORD = "correct-horse-battery"
CANARY_A = "CANARY-PARTY-A-7f3c9e"
CANARY_B = "CANARY-PARTY-B-2d81aa"
CANARY_MEDIATION = "CANARY-MEDIATION-5b0e44"
CANARY_LEAD = "CANARY-LEAD-91c7d3"

# Which canaries each persona is entitled to read.
ENTITLED = {
    "mediator": {CANARY_A, CANARY_B, CANARY_MEDIATION, CANARY_LEAD},
    "party_a_lead": {CANARY_A},
    "party_a_member": {CANARY_A},
    "party_b_lead": {CANARY_B},
    "observer": set(),
    "public_participant": set(),
    "outsider": set(),
    "anonymous": set(),
}
ALL_CANARIES = {CANARY_A, CANARY_B, CANARY_MEDIATION, CANARY_LEAD}


@dataclass
class World:
    process: Process
    users: dict[str, User | None]
    party_a: Actor
    party_b: Actor
    rows: dict[str, ProcessRecord] = field(default_factory=dict)


def add(world: World, kind: str, **data: Any) -> ProcessRecord:
    """Add a record as the mediator and remember it by key."""
    row = actions.create_record(
        user=world.users["mediator"], process=world.process, kind=KINDS[kind], data=data
    )
    world.rows[row.key] = row
    return row


def build_world(slug: str = "talks") -> World:
    """Create the personas' process; return it with its users and notable rows."""
    users: dict[str, User | None] = {
        name: User.objects.create_user(username=f"{slug}-{name}", password=PASSWORD)
        for name in PERSONAS
        if name != "anonymous"
    }
    users["anonymous"] = None
    process = actions.create_process(
        exact_slug=True,
        user=users["mediator"],
        data={"slug": slug, "title": "Talks", "visibility": Visibility.PUBLIC.value},
    )
    world = World(process, users, party_a=None, party_b=None)  # type: ignore[arg-type]
    world.party_a = add(world, "actors", key="party-a", name="Party A")  # type: ignore[assignment]
    world.party_b = add(world, "actors", key="party-b", name="Party B")  # type: ignore[assignment]
    _grant_roles(world)
    _add_confidential_rows(world)
    return world


def _grant_roles(world: World) -> None:
    grants = {
        "party_a_lead": (Role.HEAD_OF_DELEGATION, world.party_a),
        "party_a_member": (Role.DELEGATE, world.party_a),
        "party_b_lead": (Role.HEAD_OF_DELEGATION, world.party_b),
        "observer": (Role.OBSERVER, None),
        "public_participant": (Role.PUBLIC_PARTICIPANT, None),
    }
    for persona, (role, party) in grants.items():
        person = add(world, "people", key=persona.replace("_", "-"), display_name=persona,
                     visibility=Visibility.MEDIATION.value)  # fmt: skip
        world.users[persona].people.add(person)  # type: ignore[union-attr, arg-type]
        add(world, "role-assignments", key=f"role-{person.key}", role=role, person=person,
            represents=party, visibility=Visibility.MEDIATION.value)  # fmt: skip


def _add_confidential_rows(world: World) -> None:
    issue = add(world, "issues", key="fighters", title="Foreign fighters")
    add(world, "positions", key="pos-a", actor=world.party_a, issue=issue, stance="supports",
        statement=f"A's bottom line {CANARY_A}")  # fmt: skip
    add(world, "positions", key="pos-b", actor=world.party_b, issue=issue, stance="opposes",
        statement=f"B's bottom line {CANARY_B}")  # fmt: skip
    add(
        world,
        "positions",
        key="pos-a-public",
        actor=world.party_a,
        issue=issue,
        stance="conditional",
        statement="A's public line",
        visibility=Visibility.PUBLIC.value,
    )
    add(world, "rounds", key="round-1", name="Round 1", sequence=1, status="held",
        starts_on="2015-05-25")  # fmt: skip
    add(world, "rounds", key="round-secret", name=f"Back channel {CANARY_MEDIATION}",
        sequence=2, status="planned", visibility=Visibility.MEDIATION.value)  # fmt: skip
    add(world, "issues", key="lead-note", title=f"Lead's note {CANARY_LEAD}",
        visibility=Visibility.LEAD.value)  # fmt: skip
    add(world, "sources", key="report", title="A public report", url="https://example.org/r")
