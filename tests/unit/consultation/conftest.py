"""A public conversation in the personas' world, seeded by the mediator."""

from __future__ import annotations

import pytest

from parley.consultation import actions
from parley.consultation.access import ConversationAccess, access_for
from parley.consultation.models import Conversation
from tests.world import World

SEEDS = (
    "All foreign fighters should leave.",
    "Hezbollah must leave too.",
    "Talks should continue in Astana.",
)


def open_public(world: World, **data: object) -> Conversation:
    """Open a public conversation in the world's process with three seed statements."""
    conversation = actions.open_conversation(
        user=world.users["mediator"], process=world.process, data={"title": "Poll", **data}
    )
    team = access_for(world.users["mediator"], conversation)
    assert team is not None
    for text in SEEDS:
        actions.seed_statement(access=team, text=text)
    return conversation


def access(world: World, persona: str, conversation: Conversation) -> ConversationAccess:
    found = access_for(world.users[persona], conversation)
    assert found is not None, persona
    return found


@pytest.fixture
def conversation(world: World) -> Conversation:
    return open_public(world)
