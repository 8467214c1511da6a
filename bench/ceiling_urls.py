"""Parley's URLconf with the ceiling route in front: a bare view doing one INSERT of a vote.

The ceiling is what the same stack (uvicorn, Django's ASGI handler and middleware, the same
settings and database connection handling) can do when a request does nothing but insert one
row into the vote table: no session, no sign-in, no CSRF, no access check, no participant or
statement lookup, no recompute request. Bench use only; never routed in parley/.

Also here, off unless BENCH_WHATIF names them: stand-ins for changes suggested to the vote path
(bench/README.md), patched in when the servers load their URLs, so that the bench measures
them through the real stack without editing parley/.
"""

from __future__ import annotations

import contextlib
import functools
import os
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from parley.config.urls import urlpatterns as parley_urlpatterns
from parley.consultation import actions, tasks
from parley.consultation.models import Vote
from parley.core.errors import InvalidInput

CEILING_PATH = "bench/ceiling/vote"


@csrf_exempt
def ceiling_vote(request: HttpRequest) -> HttpResponse:
    """Insert the vote the form describes (ids, not numbers): exactly one INSERT, autocommit."""
    form = request.POST
    Vote.objects.create(
        conversation_id=int(form["conversation"]),
        participant_id=int(form["participant"]),
        statement_id=int(form["statement"]),
        value=int(form["value"]),
        client_key=form["client_key"],
    )
    return HttpResponse(status=201)


urlpatterns = [path(CEILING_PATH, ceiling_vote), *parley_urlpatterns]


# What-ifs ------------------------------------------------------------------------------------


def _lean_cast_vote(
    *,
    access: Any,
    participant: Any,
    statement_number: int,
    value: int | str,
    client_key: str | None = None,
) -> Vote:
    """actions.cast_vote without the client_key SELECT before the INSERT (the unique constraint
    catches a retry) and without BEGIN/COMMIT around the one INSERT when not in a transaction
    (a savepoint only inside one, to keep it usable after an IntegrityError)."""
    access.require_take_part()
    limit = getattr(actions, "MAX_CLIENT_KEY", None)
    if client_key is not None and limit is not None and len(client_key) > limit:
        raise InvalidInput({"client_key": [f"Keep it under {limit + 1} characters."]})
    number = actions._vote_value(value)
    statement = actions._votable(access.conversation, statement_number)
    vote = Vote(conversation=access.conversation, participant=participant,
                statement=statement, value=number, client_key=client_key or None)  # fmt: skip
    try:
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            vote.save()
    except IntegrityError:
        return Vote.objects.get(participant=participant, client_key=client_key)
    tasks.recompute_on_commit(access.conversation.pk)  # runs at once outside a transaction
    return vote


@functools.cache
def _redis_client(url: str) -> Any:
    from redis import Redis

    return Redis.from_url(url)


def _cached_redis_connection() -> Any:
    """tasks.redis_connection, one client (and connection pool) per process and URL."""
    from django.conf import settings

    return _redis_client(settings.PARLEY_REDIS_URL)


_WHATIF = set(os.environ.get("BENCH_WHATIF", "").split(","))
if "lean-vote" in _WHATIF:
    actions.cast_vote = _lean_cast_vote
if "redis-client" in _WHATIF:
    tasks.redis_connection = _cached_redis_connection
