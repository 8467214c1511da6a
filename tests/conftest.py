"""Shared fixtures: the personas' world (see tests/world.py) and clients signed in as each."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import PERSONAS, World, build_world


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start each test with an empty cache: live-update versions are keyed by row ids, which
    repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for(world: World):
    """Return a function giving a Client signed in as a persona (anonymous: not signed in)."""

    def make(persona: str) -> Client:
        assert persona in PERSONAS, persona
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return make
