"""A negotiating text in the personas' world, for the texts tests of every door.

``build_text(world)`` adds to the world's process the text "joint" (process level) with:

- Draft 1, circulated to the process: a preamble, the foreign-fighters clause with two brackets
  (FIGHTERS) and a clause on the next round;
- positions on Draft 1: party A's delegate rejects clause "fighters" with a reason carrying
  CANARY_A and rates alternative 1B; party B's delegate accepts it with a reservation carrying
  CANARY_B; party A's member adds an advisory view;
- party A's untabled amendment "PA-1" (party level, rationale with CANARY_A) and a team comment
  with CANARY_MEDIATION;
- Draft 2, the mediation team's working draft, whose new clause carries CANARY_MEDIATION.
"""

from __future__ import annotations

from dataclasses import dataclass

from parley.processes.permissions import viewer_for
from parley.texts import actions, queries
from parley.texts.access import TextAccess, access_text
from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc
from parley.texts.models import Clause, NegotiatingText, TextVersion
from tests.world import CANARY_A, CANARY_B, CANARY_MEDIATION, World

FIGHTERS = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the "
    "country [immediately] [as part of the political process]."
)
DRAFT_1 = TextDoc(
    "Joint document",
    (
        ClauseDoc("preamble", "", "Preamble", "The participants met in Astana.", 1,
                  DraftingStatus.AGREED),
        ClauseDoc("fighters", "1", "Foreign fighters", FIGHTERS),
        ClauseDoc("next-round", "2", "Next round", "The participants ask for another round."),
    ),
)  # fmt: skip
TEXT = "joint"


@dataclass
class TextWorld:
    world: World
    text: NegotiatingText
    draft_1: TextVersion
    draft_2: TextVersion

    def access(self, persona: str) -> TextAccess:
        return access_text(self.world.users[persona], self.world.process.slug, TEXT)

    def clause(self, version: TextVersion, key: str) -> Clause:
        return Clause.objects.get(version=version, key=key)


def build_text(world: World) -> TextWorld:
    """Add the text "joint" to *world* (see the module docstring)."""
    mediator = world.users["mediator"]
    process = world.process
    team = access_text(mediator, process.slug, _create(world).key)
    draft_1 = queries.working_draft(team.text)
    assert draft_1 is not None
    actions.circulate(access=team, version=draft_1, label="Draft 1")
    _positions(world, draft_1)
    _amendment_and_comment(world, team, draft_1)
    draft_2 = actions.start_draft(access=team)
    note = {"key": "team-note", "body": f"Team wording {CANARY_MEDIATION}"}
    actions.add_clause(access=team, version=draft_2, data=note)
    return TextWorld(world, team.text, draft_1, draft_2)


def _create(world: World) -> NegotiatingText:
    mediator = world.users["mediator"]
    return actions.create_text(
        user=mediator, process=world.process, viewer=viewer_for(mediator, world.process),
        data={"key": TEXT, "title": "Joint document", "visibility": "process",
              "drafting_mode": NegotiatingText.DraftingMode.OPEN},
        doc=DRAFT_1,
    )  # fmt: skip


def _positions(world: World, draft: TextVersion) -> None:
    fighters = Clause.objects.get(version=draft, key="fighters")
    a = access_text(world.users["party_a_lead"], world.process.slug, TEXT)
    actions.record_position(access=a, clause=fighters, party=world.party_a, stance="reject",
                            reason=f"Names one group only {CANARY_A}")  # fmt: skip
    actions.record_position(access=a, clause=fighters, party=world.party_a, stance="accept",
                            option=fighters.options.get(label="1B"))  # fmt: skip
    b = access_text(world.users["party_b_lead"], world.process.slug, TEXT)
    actions.record_position(access=b, clause=fighters, party=world.party_b, stance="live_with",
                            reservation=f"Only with a timetable {CANARY_B}")  # fmt: skip
    member = access_text(world.users["party_a_member"], world.process.slug, TEXT)
    actions.record_position(access=member, clause=fighters, party=world.party_a,
                            stance="accept")  # fmt: skip


def _amendment_and_comment(world: World, team: TextAccess, draft: TextVersion) -> None:
    a = access_text(world.users["party_a_lead"], world.process.slug, TEXT)
    actions.propose_amendment(access=a, clause_key="fighters", party=world.party_a,
                              proposed_text="All foreign fighters shall leave the country.",
                              rationale=f"Even-handed {CANARY_A}")  # fmt: skip
    actions.add_comment(access=team, version=draft, body=f"Team note {CANARY_MEDIATION}")
