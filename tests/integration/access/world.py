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

And negotiating texts (see TEXTS and ``_add_texts``), after the conversations they cite:

- in "talks", "joint" (process level, titled with CANARY_PROCESS, open amendments): Draft 1
  circulated to the process, the foreign-fighters clause with brackets citing statement 1 of
  "talks-consultation" (public), the next-round clause citing statement 1 of the team's
  conversation (its text carries the mediation canary: only the team may see that citation);
  on the fighters clause party A's position (reason with canary A) and its member's advisory
  view (canary A), party B's (reservation with canary B); party A's amendment "PA-1" (party
  level, rationale with canary A) and the team's "M-1" (process level, CANARY_PROCESS); a
  comment by party B (canary B) and a team comment (mediation canary); Draft 2, the team's
  working draft, with a clause "team-note" whose body carries the mediation canary;
- in "talks", "charter" (process level, one-text procedure): Draft 1, which both parties
  rejected (reasons with canaries A and B) and party A marked reviewed; Draft 2 circulated after
  it, so Draft 1 is closed (no more positions) and keeps where its board stood, the parties'
  reasons included (the team's to read); no working draft, so the team may start or import the
  next one;
- in "talks", "team-text" (mediation level, titled with the mediation canary): Draft 1
  circulated to the process and citing statement 1 of "talks-consultation"; only the team may
  find it, through a page or through the statement it cites;
- in "backroom", "backroom-text": Draft 1 circulated, Draft 2 working; its party is the
  backroom's sample bloc, so the team records positions there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from parley.consultation import actions as consultation
from parley.consultation.access import access_conversation
from parley.consultation.models import Statement
from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import Actor, Process, ProcessRecord
from parley.processes.permissions import viewer_for
from parley.texts import actions as texts
from parley.texts.access import TextAccess, access_text
from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc
from parley.texts.models import Clause, NegotiatingText, TextVersion
from parley.texts.queries import working_draft
from tests.integration.access.vocabulary import ACCREDITED, BACKROOM, TALKS
from tests.samples import SAMPLES
from tests.world import (
    ALL_CANARIES,
    CANARY_A,
    CANARY_B,
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

    def text_access(self, slug: str, text: str, persona: str = "mediator") -> TextAccess:
        """Return *persona*'s access to text *text* of process *slug* (the team's by default)."""
        return access_text(self.users[persona], slug, text)

    def version(self, slug: str, text: str, number: int) -> TextVersion:
        """Return version *number* of text *text* in process *slug*."""
        return TextVersion.objects.get(process=self.processes[slug], text__key=text, number=number)

    def clause(self, slug: str, text: str, number: int, key: str) -> Clause:
        """Return clause *key* of version *number* of text *text* in process *slug*."""
        return Clause.objects.get(version=self.version(slug, text, number), key=key)


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
    _add_texts(world)
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


# Negotiating texts ------------------------------------------------------------------------------

JOINT, CHARTER, TEAM_TEXT, BACKROOM_TEXT = "joint", "charter", "team-text", "backroom-text"
FIGHTERS = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the "
    "country [immediately] [as part of the political process]."
)
JOINT_DRAFT = TextDoc(
    f"Joint document {CANARY_PROCESS}",
    (
        ClauseDoc("preamble", "", "Preamble", "The participants met in Astana.", 1,
                  DraftingStatus.AGREED),
        ClauseDoc("fighters", "1", "Foreign fighters", FIGHTERS),
        ClauseDoc("next-round", "2", "Next round", "The participants ask for another round."),
    ),
)  # fmt: skip
# Each text: (process slug, settings, its Draft 1's clauses, whether a working Draft 2 follows).
TEXTS: dict[str, tuple[str, dict[str, Any], tuple[ClauseDoc, ...], bool]] = {
    JOINT: (TALKS, {"title": JOINT_DRAFT.title, "visibility": Visibility.PROCESS.value,
                    "drafting_mode": NegotiatingText.DraftingMode.OPEN.value},
            JOINT_DRAFT.clauses, True),
    CHARTER: (TALKS, {"title": "Charter", "visibility": Visibility.PROCESS.value},
              (ClauseDoc("scope", "1", "Scope", "This charter governs the talks."),), False),
    TEAM_TEXT: (TALKS, {"title": f"Team text {CANARY_MEDIATION}",
                        "visibility": Visibility.MEDIATION.value},
                (ClauseDoc("opening", "1", "Opening", f"Team wording {CANARY_MEDIATION}"),),
                False),
    BACKROOM_TEXT: (BACKROOM, {"title": "Backroom text", "visibility": Visibility.PROCESS.value},
                    (ClauseDoc("terms", "1", "Terms", "[Terms] [Other terms] apply."),), True),
}  # fmt: skip
# The clause of each text's Draft 1 that the matrix asks about.
FIRST_CLAUSE = {JOINT: "fighters", CHARTER: "scope", TEAM_TEXT: "opening", BACKROOM_TEXT: "terms"}
TEAM_NOTE = "team-note"  # the clause joint's working Draft 2 adds (mediation canary)
TEAM_AMENDMENT, PARTY_AMENDMENT = "M-1", "PA-1"  # joint's amendments, by their codes
CITED = "talks-consultation"  # statement 1 of it: cited by joint's and team-text's Draft 1
# Which clause of a text's Draft 1 cites statement 1 of which conversation.
CITATIONS = {
    JOINT: {"fighters": CITED, "next-round": "talks-team-consultation"},
    TEAM_TEXT: {"opening": CITED},
}


def _add_texts(world: MatrixWorld) -> None:
    for key, (slug, data, clauses, working) in TEXTS.items():
        team = _create_text(world, slug, key, data, clauses)
        draft_1 = working_draft(team.text)
        assert draft_1 is not None
        for clause, conversation in CITATIONS.get(key, {}).items():
            statement = Statement.objects.get(conversation__slug=conversation, number=1)
            texts.cite_statement(access=team, clause=world.clause(slug, key, 1, clause),
                                 statement=statement)  # fmt: skip
        texts.circulate(access=team, version=draft_1, label="Draft 1")
        if key == JOINT:
            _add_joint_records(world, team, draft_1)
        if key == CHARTER:
            _add_charter_history(world, team, draft_1)
        if working:
            texts.start_draft(access=team)
    draft_2 = world.version(TALKS, JOINT, 2)
    texts.add_clause(access=world.text_access(TALKS, JOINT), version=draft_2,
                     data={"key": TEAM_NOTE, "heading": "Team note",
                           "body": f"Team wording {CANARY_MEDIATION}"})  # fmt: skip


def _create_text(
    world: MatrixWorld, slug: str, key: str, data: dict[str, Any], clauses: tuple[ClauseDoc, ...]
) -> TextAccess:
    mediator, process = world.users["mediator"], world.processes[slug]
    texts.create_text(user=mediator, process=process, viewer=viewer_for(mediator, process),
                      data={"key": key, **data}, doc=TextDoc(data["title"], clauses))  # fmt: skip
    team = world.text_access(slug, key)
    if slug == BACKROOM:  # no delegation there: the sample bloc is the text's party
        bloc = Actor.objects.get(process=process, key="sample-actors")
        texts.set_parties(access=team, parties=[bloc], refraining=[])
    return team


def _add_joint_records(world: MatrixWorld, team: TextAccess, draft: TextVersion) -> None:
    """Add joint's positions, amendments and comments on its Draft 1 (module docstring)."""
    fighters = world.clause(TALKS, JOINT, 1, "fighters")
    party_a, party_b = (Actor.objects.get(process=world.processes[TALKS], key=key)
                        for key in ("party-a", "party-b"))  # fmt: skip
    a_lead, a_member, b_lead = (
        world.text_access(TALKS, JOINT, persona)
        for persona in ("party_a_lead", "party_a_member", "party_b_lead")
    )
    texts.record_position(
        access=a_lead,
        clause=fighters,
        party=party_a,
        stance="reject",
        reason=f"Names one group only {CANARY_A}",
    )
    texts.record_position(
        access=a_lead,
        clause=fighters,
        party=party_a,
        stance="accept",
        option=fighters.options.get(label="1B"),
    )
    texts.record_position(
        access=a_member,
        clause=fighters,
        party=party_a,
        stance="live_with",
        reservation=f"A member's doubt {CANARY_A}",
    )
    texts.record_position(
        access=b_lead,
        clause=fighters,
        party=party_b,
        stance="live_with",
        reservation=f"Only with a timetable {CANARY_B}",
    )
    texts.propose_amendment(
        access=team,
        clause_key="next-round",
        proposed_text="The participants meet again within a month.",
        rationale=f"The team's proposal {CANARY_PROCESS}",
    )
    texts.propose_amendment(
        access=a_lead,
        clause_key="fighters",
        party=party_a,
        proposed_text="All foreign fighters shall leave the country.",
        rationale=f"Even-handed {CANARY_A}",
    )
    texts.add_comment(
        access=b_lead,
        version=draft,
        clause=fighters,
        party=party_b,
        body=f"B's criticism {CANARY_B}",
    )
    texts.add_comment(access=team, version=draft, body=f"Team note {CANARY_MEDIATION}")


def _add_charter_history(world: MatrixWorld, team: TextAccess, draft: TextVersion) -> None:
    """Have both parties reject charter's Draft 1, party A mark it reviewed, and the team
    circulate a changed Draft 2 (module docstring)."""
    scope = world.clause(TALKS, CHARTER, 1, "scope")
    for persona, party, canary in (("party_a_lead", "party-a", CANARY_A),
                                   ("party_b_lead", "party-b", CANARY_B)):  # fmt: skip
        actor = Actor.objects.get(process=world.processes[TALKS], key=party)
        head = world.text_access(TALKS, CHARTER, persona)
        texts.record_position(access=head, clause=scope, party=actor, stance="reject",
                              reason=f"Too narrow {canary}")  # fmt: skip
        if party == "party-a":
            texts.mark_reviewed(access=head, version=draft, party=actor)
    draft_2 = texts.start_draft(access=team)
    texts.edit_clause(access=team, clause=world.clause(TALKS, CHARTER, 2, "scope"),
                      data={"body": "This charter governs the talks and their follow-up."},
                      revision=1)  # fmt: skip
    texts.circulate(access=team, version=draft_2, label="Draft 2")
