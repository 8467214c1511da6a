"""Pol.is openData folders in and out of the database (`parley polis import / export`).

Reading and writing the files is pure (opinion/opendata.py); this module maps them onto
conversations through the actions, so an import is one transaction with its audit event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction

from parley.consultation import actions
from parley.consultation.access import ConversationAccess, access_for
from parley.consultation.models import Conversation, Moderation, Participant, Statement, Vote
from parley.consultation.opinion.opendata import (
    CommentRow,
    OpenDataConversation,
    OpenDataExport,
    read_folder,
    write_folder,
)
from parley.consultation.opinion.pipeline import compute
from parley.consultation.opinion.types import VoteLog
from parley.consultation.recompute import load_inputs, previous_state
from parley.processes.models import Process

SOURCE = "polis"
_STATUS_OF_MODERATED = {
    1: Statement.Status.ACCEPTED,
    0: Statement.Status.PENDING,
    -1: Statement.Status.REJECTED,
}
_MODERATED_OF_STATUS = {status: code for code, status in _STATUS_OF_MODERATED.items()}


def import_folder(
    *, user: Any, folder: Path, process: Process | None = None, title: str | None = None
) -> Conversation:
    """Load an openData folder into a new conversation, all or nothing.

    Raises OpenDataError (file, line, reason) before anything is written. Moderation is open,
    as in the Pol.is conversations openData comes from: unmoderated statements stay in.
    """
    data = read_folder(folder)
    topic = title or data.summary.get("topic") or folder.name
    with transaction.atomic():
        conversation = actions.open_conversation(
            user=user, process=process,
            data={"title": topic[:200], "moderation": Moderation.OPEN,
                  "question": data.summary.get("conversation-description", "")},
        )  # fmt: skip
        team = access_for(user, conversation)
        assert team is not None  # the user just opened it
        actions.import_log(
            access=team, statements=_statements(data), votes=_votes(data), source=SOURCE
        )
    return conversation


def _statements(data: OpenDataConversation) -> list[actions.ImportedStatement]:
    return [
        actions.ImportedStatement(
            number=c.id,
            text=c.text,
            status=_STATUS_OF_MODERATED[c.moderated],
            is_meta=c.is_meta,
            created_at=_time(c.timestamp),
        )  # fmt: skip
        for c in data.comments
    ]


def _votes(data: OpenDataConversation) -> actions.ImportedVotes:
    log = data.log
    times = log.time.tolist() if log.time is not None else [None] * len(log.vote)
    return actions.ImportedVotes(
        participant=log.participant.tolist(),
        statement=log.statement.tolist(),
        value=log.vote.tolist(),
        created_at=[_time(t) for t in times],
    )


def _time(milliseconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(milliseconds / 1000, tz=UTC) if milliseconds else None


def export_folder(*, access: ConversationAccess, folder: Path) -> None:
    """Write the conversation as the five openData files: for the team that runs it only.

    The vote event log and matrix name every participant's votes (by pseudonymous id), which
    is why this is never public.
    """
    access.require_manage()
    conversation = access.conversation
    pids = _pids(conversation)
    inputs = load_inputs(conversation)
    groups, consensus = _groups(conversation, inputs)
    write_folder(
        folder,
        OpenDataExport(
            comments=_comments(conversation, pids),
            votes=_vote_events(conversation, pids),
            group_ids={pids[p]: g for p, g in groups.items()},
            summary={"topic": conversation.title,
                     "conversation-description": conversation.question},
            group_informed_consensus=consensus,
        ),
    )  # fmt: skip


def _pids(conversation: Conversation) -> dict[int, int]:
    """Return participant pk -> Pol.is pid: imported ids kept, others numbered after them."""
    rows = Participant.objects.filter(conversation=conversation).order_by("pk")
    imported = {
        pk: int(token.split(":", 1)[1])
        for pk, token in rows.values_list("pk", "token")
        if token and token.startswith(f"{SOURCE}:") and token.split(":", 1)[1].isdigit()
    }
    start = max(imported.values(), default=-1) + 1
    others = [pk for pk in rows.values_list("pk", flat=True) if pk not in imported]
    return {**imported, **{pk: start + i for i, pk in enumerate(others)}}


def _comments(conversation: Conversation, pids: dict[int, int]) -> tuple[CommentRow, ...]:
    return tuple(
        CommentRow(
            id=s.number,
            author=pids.get(s.author_id, -1) if s.author_id else -1,
            text=s.text,
            moderated=_MODERATED_OF_STATUS[Statement.Status(s.status)],
            is_meta=s.is_meta,
            is_seed=s.origin == Statement.Origin.SEED,
            timestamp=int(s.created_at.timestamp() * 1000),
        )  # fmt: skip
        for s in Statement.objects.filter(conversation=conversation).order_by("number")
    )


def _vote_events(conversation: Conversation, pids: dict[int, int]) -> VoteLog:
    rows = list(
        Vote.objects.filter(conversation=conversation)
        .order_by("id")
        .values_list("participant_id", "statement__number", "value", "created_at")
    )
    return VoteLog(
        participant=np.array([pids[p] for p, _, _, _ in rows], dtype=np.int64),
        statement=np.array([n for _, n, _, _ in rows], dtype=np.int64),
        vote=np.array([v for _, _, v, _ in rows], dtype=np.int8),
        time=np.array([int(t.timestamp() * 1000) for _, _, _, t in rows], dtype=np.int64),
    )


def _groups(conversation: Conversation, inputs: Any) -> tuple[dict[int, int], dict[int, float]]:
    """Return participant pk -> opinion group, and statement -> group-aware consensus, now."""
    if len(inputs.log.vote) == 0:
        return {}, {}
    result = compute(inputs.log, inputs.statements, previous=previous_state(conversation))
    groups = {
        int(p): int(g) for p, g in zip(result.participants, result.group, strict=True) if g >= 0
    }
    consensus = {
        int(s): float(c)
        for s, c in zip(result.statements, result.group_aware_consensus, strict=True)
    }
    return groups, consensus
