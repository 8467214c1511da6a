"""A recompute turns the vote log into a public-safe snapshot and announces it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser

from parley.consultation import actions, live, queries
from parley.consultation.access import access_for
from parley.consultation.demo import DEMO_CONVERSATION_SLUG, load_demo_consultation
from parley.consultation.models import Conversation, OpinionMapSnapshot, Participant, Statement
from parley.consultation.recompute import load_inputs, recompute
from tests.consultations import open_conversation
from tests.unit.consultation.conftest import access
from tests.world import World

pytestmark = pytest.mark.django_db


def _crowd(conversation: Conversation, n: int = 24, seed: int = 3) -> list[Participant]:
    """Let *n* anonymous participants vote: two camps that split on statement 2."""
    anonymous = access_for(AnonymousUser(), conversation)
    rng = np.random.default_rng(seed)
    people = []
    for i in range(n):
        me = actions.join(access=anonymous, token=f"token-{i}")
        camp = i % 2
        for number, lean in ((1, 0.9), (2, 0.9 if camp else 0.1), (3, 0.7)):
            value = 1 if rng.random() < lean else -1
            actions.cast_vote(access=anonymous, participant=me, statement_number=number,
                              value=value)  # fmt: skip
        people.append(me)
    return people


def test_a_recompute_stores_a_snapshot_and_announces_it(world: World, conversation):
    _crowd(conversation)
    snapshot = recompute(conversation.pk)
    assert snapshot is not None and snapshot.number == 1
    assert snapshot.n_votes == 24 * 3 and snapshot.n_participants == 24
    assert live.current_version(conversation.pk) == 1
    shown = queries.results(access(world, "anonymous", conversation))
    assert shown["snapshot"] == 1
    assert {item["statement"] for item in shown["bridging"]} == {1, 2, 3}
    assert "priorities" not in shown


def test_results_name_no_participant(world: World, conversation):
    people = _crowd(conversation)
    recompute(conversation.pk)
    text = json.dumps(queries.results(access(world, "anonymous", conversation)))
    for person in people:
        assert person.pseudonym not in text and str(person.token) not in text


def test_a_second_recompute_warm_starts_from_the_first(world: World, conversation):
    _crowd(conversation)
    first = recompute(conversation.pk)
    second = recompute(conversation.pk)
    assert second.number == first.number + 1
    assert second.result["k"] == first.result["k"]
    assert OpinionMapSnapshot.objects.filter(conversation=conversation).count() == 2


def test_strict_moderation_keeps_pending_statements_out_of_the_maths(world: World):
    conversation = open_conversation(world)
    who = access(world, "observer", conversation)
    me = actions.join(access=who, token=None)
    actions.submit_statement(access=who, participant=me, text="Pending one.")
    inputs = load_inputs(conversation)
    pending = Statement.objects.get(conversation=conversation, text="Pending one.").number
    assert pending in inputs.statements.moderated_out
    open_ = open_conversation(world, moderation="open")
    who = access(world, "observer", open_)
    me = actions.join(access=who, token=None)
    actions.submit_statement(access=who, participant=me, text="Pending one.")
    assert not load_inputs(open_).statements.moderated_out


def test_votes_on_statements_count_latest_first(world: World, conversation):
    who = access(world, "observer", conversation)
    me = actions.join(access=who, token=None)
    actions.cast_vote(access=who, participant=me, statement_number=1, value="agree")
    actions.cast_vote(access=who, participant=me, statement_number=1, value="disagree")
    log = load_inputs(conversation).log
    assert log.vote.tolist() == [1, -1]  # the log keeps both, in order; the maths keeps the last


def test_the_demo_consultation_loads_once_with_a_first_map(world: World):
    mediator = world.users["mediator"]
    conversation, loaded = load_demo_consultation(world.process, mediator)
    assert loaded and conversation.slug == DEMO_CONVERSATION_SLUG
    assert conversation.is_illustrative
    snapshot = OpinionMapSnapshot.objects.get(conversation=conversation)
    assert snapshot.result["k"] >= 2
    again, loaded_again = load_demo_consultation(world.process, mediator)
    assert again == conversation and not loaded_again
