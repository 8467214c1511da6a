"""The demo's negotiating text: ILLUSTRATIVE drafts of the Astana 2015 joint document.

The reports say the Astana round ended with a joint document signed by opposition groups, that
foreign fighters (and whether Hezbollah must leave too) divided them, and that they asked for
another round in Astana. They do not give the document's text: every word of these drafts is
invented. Every position, comment and amendment belongs to the made-up Demo Group A and Demo
Group B (no stance is given to a real group), and every row is marked illustrative.

The story, written through ``texts.actions`` as the demo's users:

- Draft 1: a preamble, the foreign-fighters clause with two brackets (citing a statement of the
  demo consultation) and a clause asking for another round in Astana. Group A rejects 1A with a
  reason, Group B can live with 2B with a reservation, Group A's member adds an advisory view,
  Group B criticises the clause and tables an amendment.
- Draft 2: the mediator adopts Group B's amendment in a (made-up) drafting session of the Astana
  round; bracket 2 is gone, bracket 1 remains and blocks the clause.
- Draft 3: the final text, no brackets, every clause agreed and accepted by both groups.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from parley.consensus.clauses import Stance
from parley.consultation.models import Conversation, Statement
from parley.processes.actions import create_record
from parley.processes.kinds import KINDS
from parley.processes.models import Actor, Process, Round, Session
from parley.processes.permissions import viewer_for
from parley.texts import actions
from parley.texts.access import TextAccess, access_clause, text_access
from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc
from parley.texts.models import Amendment, Clause, NegotiatingText, Option, TextVersion
from parley.texts.queries import working_draft

DEMO_TEXT_KEY = "joint-document"
DEMO_TEXT_TITLE = "Joint document (illustrative demo drafts)"
DEMO_TEXT_DESCRIPTION = (
    "ILLUSTRATIVE: the wording of these drafts is invented. The reports say the Astana round of "
    "May 2015 ended with a joint document signed by Syrian opposition groups, but they do not "
    "give its text. The drafts only show how a single negotiating text moves from brackets to "
    "agreement; the positions, comments and amendments are those of the made-up Demo Group A "
    "and Demo Group B, not of any real group."
)
DEMO_SESSION_KEY = "demo-drafting-session"
CONSULTATION_SLUG = "astana-2015-consultation"
CITED_STATEMENT = 3  # "Foreign fighters need not withdraw immediately; … political process."

MEDIATOR, A_LEAD, A_MEMBER, B_LEAD = "mediator", "party-a-lead", "party-a-member", "party-b-lead"
GROUP_A, GROUP_B = "demo-group-a", "demo-group-b"

PREAMBLE = "preamble"
FIGHTERS = "foreign-fighters"
NEXT_ROUND = "next-round"

FIGHTERS_1 = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the "
    "country [immediately] [as part of the political process]."
)
FIGHTERS_AMENDED = (
    "[All foreign fighters] [All foreign fighters, including Hezbollah,] shall leave the "
    "country as part of the political process, once a ceasefire holds."
)
FIGHTERS_FINAL = (
    "All foreign fighters shall leave the country as part of the political process, once a "
    "ceasefire holds."
)
PREAMBLE_BODY = (
    "The participants, leaders and representatives of Syrian opposition groups, civil-society "
    "groups and independent activists, met in Astana to continue the efforts begun in Moscow "
    "towards a political settlement of the Syrian crisis."
)
NEXT_ROUND_BODY = (
    "The participants ask to hold another round of talks in Astana, and thank the Republic of "
    "Kazakhstan for hosting this one."
)

DRAFT_1 = TextDoc(
    DEMO_TEXT_TITLE,
    (
        ClauseDoc(PREAMBLE, "", "Preamble", PREAMBLE_BODY),
        ClauseDoc(FIGHTERS, "1", "Foreign fighters", FIGHTERS_1),
        ClauseDoc(NEXT_ROUND, "2", "Another round in Astana", NEXT_ROUND_BODY),
    ),
)


def load_demo_text(process: Process) -> NegotiatingText:
    """Return the demo's negotiating text, writing its three drafts first if it is missing.

    Idempotent like the rest of the demo: a text with the demo's key is reused as it is. The
    foreign-fighters clause cites a statement of the demo consultation when that exists (``parley
    demo`` loads it first).
    """
    found = NegotiatingText.objects.filter(process=process, key=DEMO_TEXT_KEY).first()
    if found is not None:
        return found
    with transaction.atomic():
        return _Writer(process).write()


class _Writer:
    """Writes the demo drafts as the demo's users, each through its own TextAccess."""

    def __init__(self, process: Process) -> None:
        self.process = process
        users = get_user_model().objects.filter(username__in=[MEDIATOR, A_LEAD, A_MEMBER, B_LEAD])
        self.users = {user.get_username(): user for user in users}
        self.group_a = Actor.objects.get(process=process, key=GROUP_A)
        self.group_b = Actor.objects.get(process=process, key=GROUP_B)

    def access(self, username: str) -> TextAccess:
        user = self.users[username]
        return text_access(user, self.process, viewer_for(user, self.process), DEMO_TEXT_KEY)

    def write(self) -> NegotiatingText:
        mediator = self.users[MEDIATOR]
        data: dict[str, Any] = {
            "key": DEMO_TEXT_KEY,
            "title": DEMO_TEXT_TITLE,
            "kind": NegotiatingText.Kind.ONE_TEXT.value,
            # Parties may table amendments, so the demo can show one adopted on the record.
            "drafting_mode": NegotiatingText.DraftingMode.OPEN.value,
            "description": DEMO_TEXT_DESCRIPTION,
            "visibility": "process",
            "is_illustrative": True,  # its drafts, positions, comments and amendments inherit it
        }
        actions.create_text(
            user=mediator,
            process=self.process,
            viewer=viewer_for(mediator, self.process),
            data=data,
            doc=DRAFT_1,
        )
        team = self.access(MEDIATOR)
        self.draft_1(team)
        self.draft_2(team)
        self.draft_3(team)
        return team.text

    # Draft 1: brackets, positions, a criticism and an amendment ------------------------------

    def draft_1(self, team: TextAccess) -> None:
        version = self.working(team)
        self.cite(team, version)
        actions.circulate(
            access=team,
            version=version,
            label="Draft 1",
            note="Illustrative first draft: two brackets on foreign fighters.",
        )
        a, a_member, b = self.access(A_LEAD), self.access(A_MEMBER), self.access(B_LEAD)
        fighters = access_clause(version, FIGHTERS)
        for side, party in ((a, self.group_a), (b, self.group_b)):
            for key in (PREAMBLE, NEXT_ROUND):
                self.position(side, version, key, party, Stance.ACCEPT)
        self.position(a, version, FIGHTERS, self.group_a, Stance.REJECT,
                      reason="Group A wants Hezbollah named, and 1A does not name it "
                             "(illustrative).")  # fmt: skip
        self.position(a, version, FIGHTERS, self.group_a, Stance.REJECT, option="1A",
                      reason="1A does not name Hezbollah (illustrative).",
                      counter_wording="All foreign fighters, including Hezbollah,")  # fmt: skip
        self.position(a, version, FIGHTERS, self.group_a, Stance.ACCEPT, option="1B", rank=1)
        self.position(b, version, FIGHTERS, self.group_b, Stance.LIVE_WITH,
                      reservation="Only once a ceasefire holds (illustrative).")  # fmt: skip
        self.position(b, version, FIGHTERS, self.group_b, Stance.REJECT, option="2A",
                      reason="An immediate withdrawal before a ceasefire cannot be carried out "
                             "(illustrative).")  # fmt: skip
        self.position(b, version, FIGHTERS, self.group_b, Stance.LIVE_WITH, option="2B",
                      reservation="Provided the political process starts with a ceasefire "
                                  "(illustrative).")  # fmt: skip
        self.position(a_member, version, FIGHTERS, self.group_a, Stance.LIVE_WITH,
                      reservation="A phased withdrawal would do if the document sets a "
                                  "timetable (advisory, illustrative).")  # fmt: skip
        actions.add_comment(
            access=b, version=version, clause=fighters, party=self.group_b,
            body="'Immediately' cannot be met before a ceasefire holds; the clause should tie "
                 "the withdrawal to the political process. (Illustrative criticism.)",
        )  # fmt: skip
        actions.propose_amendment(
            access=b, clause_key=FIGHTERS, proposed_text=FIGHTERS_AMENDED, party=self.group_b,
            rationale="Ties the withdrawal to the political process and a ceasefire, as our "
                      "criticism of Draft 1 asks. (Illustrative.)",
            visibility="process",
        )  # fmt: skip
        actions.mark_reviewed(access=a, version=version, party=self.group_a)
        actions.mark_reviewed(access=b, version=version, party=self.group_b)

    # Draft 2: the amendment adopted in a session, bracket 1 left --------------------------------

    def draft_2(self, team: TextAccess) -> None:
        actions.start_draft(access=team)
        version = self.working(team)
        amendment = Amendment.objects.get(text=team.text, clause_key=FIGHTERS)
        actions.decide_amendment(
            access=team, amendment=amendment, status=Amendment.Status.ADOPTED,
            session=self.session(), note="Adopted: bracket 2 is settled (illustrative).",
        )  # fmt: skip
        self.edit(team, version, PREAMBLE, status=DraftingStatus.AGREED)
        self.edit(team, version, NEXT_ROUND, status=DraftingStatus.AGREED)
        self.edit(team, version, FIGHTERS, status=DraftingStatus.COMPROMISE)
        actions.circulate(
            access=team, version=version, label="Draft 2",
            note=f"Adopts amendment {amendment.code}; one bracket remains (illustrative).",
        )  # fmt: skip
        a, a_member, b = self.access(A_LEAD), self.access(A_MEMBER), self.access(B_LEAD)
        for side, party in ((a, self.group_a), (b, self.group_b)):
            for key in (PREAMBLE, NEXT_ROUND):
                self.position(side, version, key, party, Stance.ACCEPT)
        self.position(a, version, FIGHTERS, self.group_a, Stance.LIVE_WITH,
                      reservation="If the withdrawal follows a timetable "
                                  "(illustrative).")  # fmt: skip
        self.position(a, version, FIGHTERS, self.group_a, Stance.LIVE_WITH, option="1A",
                      reservation="All foreign fighters must include Hezbollah "
                                  "(illustrative).")  # fmt: skip
        self.position(a, version, FIGHTERS, self.group_a, Stance.ACCEPT, option="1B", rank=1)
        self.position(b, version, FIGHTERS, self.group_b, Stance.REJECT,
                      reason="Naming one force singles it out; 'all foreign fighters' already "
                             "includes it (illustrative).")  # fmt: skip
        self.position(b, version, FIGHTERS, self.group_b, Stance.ACCEPT, option="1A", rank=1)
        self.position(b, version, FIGHTERS, self.group_b, Stance.REJECT, option="1B",
                      reason="Naming one force singles it out (illustrative).")  # fmt: skip
        self.position(a_member, version, FIGHTERS, self.group_a, Stance.ACCEPT)
        actions.mark_reviewed(access=a, version=version, party=self.group_a)

    # Draft 3: the final, clean text -----------------------------------------------------------

    def draft_3(self, team: TextAccess) -> None:
        actions.start_draft(access=team)
        version = self.working(team)
        self.edit(team, version, FIGHTERS, body=FIGHTERS_FINAL, status=DraftingStatus.AGREED)
        actions.circulate(
            access=team, version=version, label="Draft 3 (final)",
            note="Final text: no brackets left, every clause agreed (illustrative).",
        )  # fmt: skip
        a, b = self.access(A_LEAD), self.access(B_LEAD)
        for side, party in ((a, self.group_a), (b, self.group_b)):
            for key in (PREAMBLE, FIGHTERS, NEXT_ROUND):
                self.position(side, version, key, party, Stance.ACCEPT)

    # Helpers --------------------------------------------------------------------------------

    def working(self, team: TextAccess) -> TextVersion:
        version = working_draft(team.text)
        assert version is not None  # create_text and start_draft open one
        return version

    def position(
        self,
        access: TextAccess,
        version: TextVersion,
        key: str,
        party: Actor,
        stance: Stance,
        *,
        option: str | None = None,
        **details: Any,
    ) -> None:
        clause = access_clause(version, key)
        chosen = None if option is None else Option.objects.get(clause=clause, label=option)
        actions.record_position(
            access=access, clause=clause, party=party, stance=stance.value, option=chosen,
            **details,
        )  # fmt: skip

    def edit(self, team: TextAccess, version: TextVersion, key: str, **fields: Any) -> Clause:
        clause = access_clause(version, key)
        data = {name: str(value) for name, value in fields.items()}
        return actions.edit_clause(access=team, clause=clause, data=data, revision=clause.revision)

    def cite(self, team: TextAccess, version: TextVersion) -> None:
        conversation = Conversation.objects.filter(slug=CONSULTATION_SLUG).first()
        if conversation is None:
            return
        statement = Statement.objects.filter(
            conversation=conversation, number=CITED_STATEMENT
        ).first()
        if statement is not None:
            clause = access_clause(version, FIGHTERS)
            actions.cite_statement(access=team, clause=clause, statement=statement)

    def session(self) -> Session:
        """Return the made-up drafting session of Astana I, recording it if missing."""
        found = Session.objects.filter(process=self.process, key=DEMO_SESSION_KEY).first()
        if found is not None:
            return found
        row = create_record(
            user=self.users[MEDIATOR], process=self.process, kind=KINDS["sessions"],
            data={"key": DEMO_SESSION_KEY,
                  "round": Round.objects.get(process=self.process, key="astana-1"),
                  "title": "Demo drafting session (illustrative)",
                  "kind": Session.Kind.WORKING_GROUP.value,
                  "summary": "A made-up session where the demo's amendments are decided.",
                  "visibility": "process", "is_illustrative": True},
        )  # fmt: skip
        assert isinstance(row, Session)
        return row


def demo_text_path(text: NegotiatingText) -> str:
    """Return the site path of the demo text's overview page."""
    return f"p/{text.process.slug}/texts/{text.key}/"
