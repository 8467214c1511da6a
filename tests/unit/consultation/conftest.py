"""A public conversation in the personas' world, seeded by the mediator."""

from __future__ import annotations

import pytest

from parley.consultation.access import ConversationAccess, access_for
from parley.consultation.models import Conversation
from tests.consultations import open_conversation
from tests.world import World


def access(world: World, persona: str, conversation: Conversation) -> ConversationAccess:
    found = access_for(world.users[persona], conversation)
    assert found is not None, persona
    return found


@pytest.fixture
def conversation(world: World) -> Conversation:
    return open_conversation(world)
