"""Reads of conversations, always through a ConversationAccess (see access.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db.models import Case, Q, QuerySet, Value, When

from parley.consultation.access import ConversationAccess, access_for
from parley.consultation.models import (
    Conversation,
    Moderation,
    OpinionMapSnapshot,
    Participant,
    Statement,
    Vote,
)
from parley.consultation.opinion.routing import next_statement as draw_next
from parley.core.errors import NotFound
from parley.core.visibility import Viewer, Visibility
from parley.processes.models import Process
from parley.processes.permissions import processes_visible_to


def conversations_visible_to(user: Any, process: Process | None = None) -> list[ConversationAccess]:
    """Return the conversations *user* may read (in *process* only, when given), newest first."""
    scope = Q(process=process) if process is not None else _candidates(user)
    rows = Conversation.objects.filter(scope).order_by("-created_at", "-pk")
    viewers: dict[int, Viewer | None] = {}
    found = (access_for(user, row, viewers) for row in rows)
    return [access for access in found if access is not None]


def _candidates(user: Any) -> Q:
    """Narrow in the database to rows that may be readable; access_for decides each."""
    standalone = Q(process__isnull=True, visibility=Visibility.PUBLIC.value)
    if getattr(user, "is_authenticated", False):
        standalone |= Q(process__isnull=True, convener=user)
    in_processes = Q(process__in=processes_visible_to(user).values("pk"))
    return standalone | in_processes


def shown_statements(conversation: Conversation) -> QuerySet[Statement]:
    """Return the statements participants see and vote on: accepted ones, and under open
    moderation the pending ones too."""
    shown = [Statement.Status.ACCEPTED]
    if conversation.moderation == Moderation.OPEN:
        shown.append(Statement.Status.PENDING)
    return Statement.objects.filter(conversation=conversation, status__in=shown)


def moderation_queue(access: ConversationAccess) -> QuerySet[Statement]:
    """Return every statement, pending first, for the team that runs the conversation."""
    access.require_manage()
    rows = Statement.objects.filter(conversation=access.conversation)
    done = Case(When(status=Statement.Status.PENDING, then=Value(0)), default=Value(1))
    return rows.annotate(done=done).order_by("done", "number")


def statement_by_number(access: ConversationAccess, number: int) -> Statement:
    """Return statement *number*: any for the team, a shown one for everyone else."""
    rows = (
        Statement.objects.filter(conversation=access.conversation)
        if access.can_manage
        else shown_statements(access.conversation)
    )
    statement = rows.filter(number=number).first()
    if statement is None:
        raise NotFound("statement")
    return statement


def participant_for(access: ConversationAccess, token: str | None) -> Participant | None:
    """Return the user's (or anonymous session's) participant, without creating one."""
    user = access.user
    if getattr(user, "is_authenticated", False):
        lookup: dict[str, Any] = {"user": user}
    elif token:
        lookup = {"token": token}
    else:
        return None
    return Participant.objects.filter(conversation=access.conversation, **lookup).first()


def my_votes(participant: Participant | None) -> dict[int, int]:
    """Return the participant's own latest vote per statement number (theirs only)."""
    if participant is None:
        return {}
    rows = (
        Vote.objects.filter(participant=participant)
        .order_by("id")
        .values_list("statement__number", "value")
    )
    return dict(rows)  # later votes overwrite earlier ones: the latest counts


def latest_snapshot(conversation: Conversation) -> OpinionMapSnapshot | None:
    """Return the newest opinion map of *conversation*, without its private warm-start state."""
    return OpinionMapSnapshot.objects.filter(conversation=conversation).defer("state").first()


def next_statement(
    access: ConversationAccess,
    participant: Participant | None,
    rng: np.random.Generator | None = None,
) -> Statement | None:
    """Return the statement the participant should see next, drawn by priority (Pol.is routing).

    Every shown statement not yet voted on is a candidate: no window, no cap. Statements newer
    than the last snapshot have no priority yet and weigh what Pol.is gives a new statement.
    """
    shown = list(shown_statements(access.conversation).values_list("number", "is_meta"))
    if not shown:
        return None
    numbers = np.array([n for n, _ in shown], dtype=np.int64)
    weights = _priorities(access.conversation, shown)
    voted = np.array(sorted(my_votes(participant)), dtype=np.int64)
    generator = rng if rng is not None else np.random.default_rng()
    chosen = draw_next(numbers, weights, voted, eligible=None, rng=generator)
    if chosen is None:
        return None
    return Statement.objects.get(conversation=access.conversation, number=int(chosen))


# Pol.is's priority of a statement nobody has voted on yet, with no extremity known:
# ((1 - 1/2) * (0 + 1) * 1/2 * 9) ** 2; meta statements get 7 ** 2.
NEW_STATEMENT_PRIORITY = (0.5 * 0.5 * 9) ** 2
META_PRIORITY = 49.0


def _priorities(conversation: Conversation, shown: list[tuple[int, bool]]) -> np.ndarray:
    snapshot = latest_snapshot(conversation)
    known = (snapshot.result.get("priorities", {}) if snapshot else {}) or {}
    return np.array(
        [
            META_PRIORITY if meta else float(known.get(str(n), NEW_STATEMENT_PRIORITY))
            for n, meta in shown
        ],
        dtype=np.float64,
    )


def results(access: ConversationAccess) -> dict[str, Any]:
    """Return what anyone who may read the conversation may see of its opinion map.

    The stored result is public-safe by construction (see results.py); the texts of
    statements are added fresh, so a statement rejected since is not shown.
    """
    snapshot = latest_snapshot(access.conversation)
    if snapshot is None:
        return {"snapshot": 0, "n_votes": 0, "n_participants": 0, "groups": [], "points": []}
    texts = dict(shown_statements(access.conversation).values_list("number", "text"))
    data = dict(snapshot.result)
    data.pop("priorities", None)  # routing weights: for next_statement, not for pages
    data.update(snapshot=snapshot.number, computed_at=snapshot.created_at.isoformat())
    return _with_texts(data, texts)


def _with_texts(data: dict[str, Any], texts: dict[int, str]) -> dict[str, Any]:
    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**item, "text": texts[item["statement"]]}
            for item in items
            if item["statement"] in texts
        ]

    for name in ("bridging", "segment_bridging", "divisive"):
        data[name] = keep(data.get(name, []))
    data["consensus"] = {side: keep(items) for side, items in data.get("consensus", {}).items()}
    data["groups"] = [
        {**group, "representative": keep(group.get("representative", []))}
        for group in data.get("groups", [])
    ]
    return data
