"""Conversation actions: who may do what, validation, votes, and all-or-nothing imports."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from parley.audit.models import AuditEvent
from parley.consultation import actions, queries
from parley.consultation.access import access_conversation, access_for
from parley.consultation.models import Conversation, Statement, Vote
from parley.core.errors import Forbidden, InvalidInput, NotFound
from tests.consultations import SEEDS, open_conversation
from tests.unit.consultation.conftest import access
from tests.world import World

pytestmark = pytest.mark.django_db


def _join(world: World, persona: str, conversation: Conversation):
    who = access(world, persona, conversation)
    return who, actions.join(access=who, token=None)


def test_the_team_opens_a_conversation_with_a_random_slug_and_an_audit_event(world: World):
    conversation = open_conversation(world)
    assert conversation.slug.startswith("poll-") and len(conversation.slug) == len("poll-") + 6
    verbs = AuditEvent.objects.filter(process_id=world.process.pk).values_list("verb", flat=True)
    assert "conversation.opened" in verbs and "statement.seeded" in verbs


@pytest.mark.parametrize("persona", ["party_a_lead", "observer", "outsider"])
def test_only_the_team_opens_a_conversation_in_a_process(world: World, persona: str):
    with pytest.raises(Forbidden):
        actions.open_conversation(
            user=world.users[persona], process=world.process, data={"title": "Mine"}
        )


def test_anyone_signed_in_convenes_a_standalone_conversation(world: World):
    conversation = actions.open_conversation(user=world.users["outsider"], data={"title": "Q"})
    assert conversation.convener == world.users["outsider"]
    assert access_for(world.users["outsider"], conversation).can_manage
    assert not access_for(world.users["mediator"], conversation).can_manage
    with pytest.raises(Forbidden):
        actions.open_conversation(user=AnonymousUser(), data={"title": "Q"})


def test_a_hidden_conversation_and_a_missing_one_look_alike(world: World):
    hidden = open_conversation(world, visibility="mediation")
    with pytest.raises(NotFound) as seen:
        access_conversation(world.users["party_a_lead"], hidden.slug)
    with pytest.raises(NotFound) as missing:
        access_conversation(world.users["party_a_lead"], "no-such-conversation")
    assert str(seen.value) == str(missing.value)


def test_statements_are_numbered_and_checked(world: World, conversation: Conversation):
    team = access(world, "mediator", conversation)
    numbers = Statement.objects.filter(conversation=conversation).values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3]
    with pytest.raises(InvalidInput) as duplicate:
        actions.seed_statement(access=team, text=SEEDS[0].upper())
    assert "text" in duplicate.value.errors
    with pytest.raises(InvalidInput) as long:
        actions.seed_statement(access=team, text="x" * (actions.MAX_STATEMENT_LENGTH + 1))
    assert "under" in long.value.errors["text"][0]
    with pytest.raises(InvalidInput, match="required"):
        actions.seed_statement(access=team, text="   ")


def test_participant_statements_wait_for_moderation_under_strict(world: World, conversation):
    who, me = _join(world, "public_participant", conversation)
    written = actions.submit_statement(access=who, participant=me, text="Ask the refugees.")
    assert written.status == Statement.Status.PENDING
    assert written not in queries.shown_statements(conversation)
    with pytest.raises(Forbidden):
        actions.moderate_statement(access=who, statement=written, status="accepted")
    team = access(world, "mediator", conversation)
    assert list(queries.moderation_queue(team))[0] == written
    actions.moderate_statement(access=team, statement=written, status="accepted")
    assert written in queries.shown_statements(conversation)


def test_open_moderation_shows_pending_statements(world: World):
    conversation = open_conversation(world, moderation="open")
    who, me = _join(world, "observer", conversation)
    written = actions.submit_statement(access=who, participant=me, text="Ask the refugees.")
    assert written in queries.shown_statements(conversation)


def test_the_latest_vote_counts_and_a_retry_adds_nothing(world: World, conversation):
    who, me = _join(world, "observer", conversation)
    actions.cast_vote(access=who, participant=me, statement_number=1, value="agree")
    first = actions.cast_vote(
        access=who, participant=me, statement_number=1, value="disagree", client_key="k1"
    )
    again = actions.cast_vote(
        access=who, participant=me, statement_number=1, value="disagree", client_key="k1"
    )
    assert again.pk == first.pk
    assert Vote.objects.filter(participant=me).count() == 2
    assert queries.my_votes(me) == {1: -1}


def test_votes_stay_out_of_the_audit_log(world: World, conversation: Conversation):
    who, me = _join(world, "observer", conversation)
    before = AuditEvent.objects.count()
    actions.cast_vote(access=who, participant=me, statement_number=2, value="pass")
    assert AuditEvent.objects.count() == before


def test_a_vote_on_a_rejected_or_unknown_statement_is_refused(world: World, conversation):
    team = access(world, "mediator", conversation)
    statement = Statement.objects.get(conversation=conversation, number=3)
    actions.moderate_statement(access=team, statement=statement, status="rejected")
    who, me = _join(world, "observer", conversation)
    for number in (3, 99):
        with pytest.raises(NotFound, match="No such statement"):
            actions.cast_vote(access=who, participant=me, statement_number=number, value=1)
    with pytest.raises(InvalidInput) as bad:
        actions.cast_vote(access=who, participant=me, statement_number=1, value="maybe")
    assert bad.value.errors == {"vote": ["Choose agree, disagree or pass."]}
    assert not Vote.objects.filter(participant=me).exists()


def test_a_closed_conversation_takes_no_votes(world: World, conversation: Conversation):
    who, me = _join(world, "observer", conversation)
    actions.update_conversation(access=access(world, "mediator", conversation),
                                data={"is_open": False})  # fmt: skip
    who = access(world, "observer", conversation)
    with pytest.raises(Forbidden, match="closed"):
        actions.cast_vote(access=who, participant=me, statement_number=1, value=1)


def test_anonymous_participants_need_a_session_token(world: World, conversation):
    anonymous = access_for(AnonymousUser(), conversation)
    with pytest.raises(InvalidInput):
        actions.join(access=anonymous, token=None)
    me = actions.join(access=anonymous, token="t-1")
    assert actions.join(access=anonymous, token="t-1") == me
    assert me.user is None and me.person is None


def test_segments_are_chosen_from_the_declared_list(world: World):
    conversation = open_conversation(world, comparison="segments", segments=["North", "South"])
    who = access(world, "observer", conversation)
    with pytest.raises(InvalidInput) as bad:
        actions.join(access=who, token=None, segment="East")
    assert bad.value.errors == {"segment": ["Choose one of: North, South."]}
    assert actions.join(access=who, token=None, segment="South").segment == "South"


def test_an_import_with_a_bad_vote_writes_nothing(world: World):
    conversation = actions.open_conversation(
        user=world.users["mediator"], process=world.process, data={"title": "Imported"}
    )
    team = access(world, "mediator", conversation)
    votes = actions.ImportedVotes(
        participant=[1, 2], statement=[0, 7], value=[1, 1], created_at=[None, None]
    )
    with pytest.raises(InvalidInput, match="Vote 2"):
        actions.import_log(access=team, statements=[actions.ImportedStatement(0, "A")],
                           votes=votes, source="polis")  # fmt: skip
    assert not Statement.objects.filter(conversation=conversation).exists()
    assert not AuditEvent.objects.filter(verb="conversation.imported").exists()
