"""The matrix's world: the personas' process (tests/world.py) and what the matrix adds to it.

Added to the personas' process "talks":

- a public sample row of every kind, key ``sample-<kind>``;
- a subgroup-level issue for party A (``subgroup-a``, canary A), a process-level issue
  (``process-note``, CANARY_PROCESS: accredited personas only), a mediation-only source
  (``dossier``, mediation canary);
- citations whose quotes carry canaries: pos-a cites the public report (canary A), the public
  round-1 cites the mediation-only dossier (mediation canary).

And a second process, "backroom": mediation-only, opened by the mediator, titled with the
mediation canary, holding its own sample row of every kind. Every other persona must find it
exactly as missing as a process that does not exist.

And conversations (consultations), each with seed statement 1 accepted (see CONVERSATIONS):
in "talks" a public one whose pending and rejected statements carry the mediation canary (under
strict moderation only the team reads them), a mediation-level one and a party-level one titled
with the mediation and party A canaries, a closed public one; a public one in "backroom"; and a
standalone public one that its convener, the outsider, runs and only signed-in users join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from parley.consultation import actions as consultation
from parley.consultation.access import access_conversation
from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import Process, ProcessRecord
from tests.integration.access.vocabulary import ACCREDITED, BACKROOM, TALKS
from tests.samples import SAMPLES
from tests.world import (
    ALL_CANARIES,
    CANARY_A,
    CANARY_MEDIATION,
    PERSONAS,
    World,
    build_world,
)
from tests.world import ENTITLED as PERSONA_CANARIES

CANARY_PROCESS = "CANARY-PROCESS-4e2a61"
CANARIES = ALL_CANARIES | {CANARY_PROCESS}
ENTITLED = {
    persona: PERSONA_CANARIES[persona] | ({CANARY_PROCESS} if persona in ACCREDITED else set())
    for persona in PERSONAS
}


# Public rows each process holds besides its samples, for FRESH to name.
OTHERS: dict[str, dict[str, Any]] = {
    "actors": {"key": "other-bloc", "name": "Other bloc"},
    "people": {"key": "other-person", "display_name": "Other person"},
}
# What a new row changes beside its sample, so it does not repeat a pair that must be unique.
FRESH: dict[str, dict[str, Any]] = {
    "delegation-members": {"person": "other-person"},
    "letter-signatories": {"order": 2},
    "endorsements": {"actor": "other-bloc"},
}


def fresh(kind: str) -> dict[str, Any]:
    """Return data for a new public row of *kind* (references by key, no key of its own)."""
    return {**SAMPLES[kind], **FRESH.get(kind, {})}


@dataclass
class MatrixWorld:
    """The personas' world and the backroom process, with rows found by process and key."""

    base: World
    processes: dict[str, Process]

    @property
    def users(self) -> dict[str, Any]:
        return self.base.users

    def row(self, slug: str, kind: str, key: str) -> ProcessRecord:
        """Return the row *key* of *kind* in process *slug*."""
        model = KINDS[kind].model
        return model._default_manager.get(process=self.processes[slug], key=key)

    def by_keys(self, slug: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """Return *data* with each reference key replaced by its row in process *slug*."""
        resolved = dict(data)
        for name, model in KINDS[kind].reference_fields().items():
            value = resolved.get(name)
            if isinstance(value, str):
                resolved[name] = model._default_manager.get(process=self.processes[slug], key=value)
            elif isinstance(value, list):
                resolved[name] = [self.by_keys(slug, kind, {name: key})[name] for key in value]
        return resolved

    def add(self, slug: str, kind: str, data: dict[str, Any]) -> ProcessRecord:
        """Add a row to process *slug* as the mediator, from data with references by key."""
        process, rows = self.processes[slug], self.by_keys(slug, kind, data)
        return actions.create_record(
            user=self.users["mediator"], process=process, kind=KINDS[kind], data=rows
        )


def build_matrix_world() -> MatrixWorld:
    """Build the personas' world, then what the matrix adds (see the module docstring)."""
    base = build_world(TALKS)
    backroom = actions.create_process(exact_slug=True,
        user=base.users["mediator"],
        data={"slug": BACKROOM, "title": f"Backroom {CANARY_MEDIATION}",
              "visibility": Visibility.MEDIATION.value},
    )  # fmt: skip
    world = MatrixWorld(base, {TALKS: base.process, BACKROOM: backroom})
    for slug in world.processes:
        for kind, data in OTHERS.items():
            world.add(slug, kind, data)
        for kind, data in SAMPLES.items():
            world.add(slug, kind, {**data, "key": f"sample-{kind}"})
    _add_confidential_rows(world)
    _add_conversations(world)
    return world


def _add_confidential_rows(world: MatrixWorld) -> None:
    add = world.add
    add(
        TALKS,
        "issues",
        {
            "key": "subgroup-a",
            "title": f"A's agenda {CANARY_A}",
            "visibility": Visibility.SUBGROUP.value,
            "audience": ["party-a"],
        },
    )
    add(
        TALKS,
        "issues",
        {
            "key": "process-note",
            "title": f"Participants' note {CANARY_PROCESS}",
            "visibility": Visibility.PROCESS.value,
        },
    )
    add(
        TALKS,
        "sources",
        {
            "key": "dossier",
            "title": f"Mediators' dossier {CANARY_MEDIATION}",
            "visibility": Visibility.MEDIATION.value,
        },
    )
    report, dossier = world.row(TALKS, "sources", "report"), world.row(TALKS, "sources", "dossier")
    mediator, talks = world.users["mediator"], world.processes[TALKS]
    actions.cite(
        user=mediator,
        process=talks,
        target=world.row(TALKS, "positions", "pos-a"),
        source=report,
        quote=f"A's quote {CANARY_A}",
    )
    actions.cite(user=mediator, process=talks, target=world.row(TALKS, "rounds", "round-1"),
                 source=dossier, quote=f"Dossier quote {CANARY_MEDIATION}")  # fmt: skip


# Conversations: slug -> (process slug or None for standalone, who opens it, settings).
CONVERSATIONS: dict[str, tuple[str | None, str, dict[str, Any]]] = {
    "talks-consultation": (TALKS, "mediator", {"title": "Talks consultation"}),
    "talks-team-consultation": (TALKS, "mediator", {
        "title": f"Team consultation {CANARY_MEDIATION}", "visibility": Visibility.MEDIATION.value,
    }),
    "talks-party-consultation": (TALKS, "mediator", {
        "title": f"Party A consultation {CANARY_A}", "visibility": Visibility.PARTY.value,
    }),
    "talks-closed-consultation": (TALKS, "mediator", {"title": "Closed consultation"}),
    "backroom-consultation": (BACKROOM, "mediator", {"title": "Backroom consultation"}),
    "standalone-consultation": (None, "outsider", {
        "title": "Standalone consultation", "allow_anonymous": False,
    }),
}  # fmt: skip
# Under strict moderation only the team reads these: pending (number 2) and rejected (3).
PENDING_TEXT = f"A participant's pending statement {CANARY_MEDIATION}"
REJECTED_TEXT = f"A participant's rejected statement {CANARY_MEDIATION}"


def _add_conversations(world: MatrixWorld) -> None:
    for slug, (process_slug, opener, data) in CONVERSATIONS.items():
        user = world.users[opener]
        process = world.processes[process_slug] if process_slug else None
        consultation.open_conversation(user=user, data=data, process=process, slug=slug)
        access = access_conversation(user, slug)
        consultation.seed_statement(access=access, text=f"Seed statement of {data['title']}")
    _add_participant_statements(world)
    closed = access_conversation(world.users["mediator"], "talks-closed-consultation")
    consultation.update_conversation(access=closed, data={"is_open": False})


def _add_participant_statements(world: MatrixWorld) -> None:
    """Have an anonymous participant write two statements to "talks-consultation"; the team
    leaves one pending and rejects the other."""
    access = access_conversation(AnonymousUser(), "talks-consultation")
    author = consultation.join(access=access, token="matrix-author")
    consultation.submit_statement(access=access, participant=author, text=PENDING_TEXT)
    rejected = consultation.submit_statement(access=access, participant=author, text=REJECTED_TEXT)
    team = access_conversation(world.users["mediator"], "talks-consultation")
    consultation.moderate_statement(access=team, statement=rejected, status="rejected")
