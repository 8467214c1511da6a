"""Conversations for tests: opened by the personas' mediator, with three seed statements."""

from __future__ import annotations

from typing import Any

from parley.consultation import actions
from parley.consultation.access import access_for
from parley.consultation.models import Conversation
from tests.world import World

SEEDS = (
    "All foreign fighters should leave.",
    "Hezbollah must leave too.",
    "Talks should continue in Astana.",
)


def open_conversation(world: World, slug: str | None = None, **data: Any) -> Conversation:
    """Open a conversation in the personas' process as the mediator, with the three seeds.

    Without *slug* it gets a random one, as any conversation the team opens does.
    """
    mediator = world.users["mediator"]
    conversation = actions.open_conversation(
        user=mediator, process=world.process, slug=slug, data={"title": "Poll", **data}
    )
    team = access_for(mediator, conversation)
    assert team is not None
    for text in SEEDS:
        actions.seed_statement(access=team, text=text)
    return conversation
