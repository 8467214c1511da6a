"""Recompute one conversation's opinion map from its vote log (what the workers run).

Loads the log as arrays (no per-vote Python objects beyond the database cursor), warm-starts
the maths from the previous snapshot's state, stores the public-safe result and announces the
new snapshot number to open pages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.core.cache import cache
from django.db import transaction

from parley.consultation import actions, live
from parley.consultation.models import (
    Comparison,
    Conversation,
    Moderation,
    OpinionMapSnapshot,
    Participant,
    Statement,
    Vote,
)
from parley.consultation.opinion.pipeline import compute, state_from_bytes, state_to_bytes
from parley.consultation.opinion.types import OpinionResult, OpinionState, StatementSet, VoteLog
from parley.consultation.results import Tallies, public_result, tally_votes
from parley.processes.models import Actor

log = logging.getLogger(__name__)
N_MIN_CONSULTATION = (
    10  # bridging.md §5a(i): votes per group before a status other than needs_votes
)
LOCK_TIMEOUT_S = 600


@dataclass(frozen=True)
class Inputs:
    """One conversation's maths inputs, read in one go."""

    log: VoteLog
    statements: StatementSet
    last_vote_id: int
    segments: dict[int, str]


def recompute(conversation_id: int) -> OpinionMapSnapshot | None:
    """Compute and store a new snapshot; None when another worker holds the conversation."""
    lock = f"parley:recompute-lock:{conversation_id}"
    if not cache.add(lock, 1, timeout=LOCK_TIMEOUT_S):
        return None  # that worker will pick up our votes: it reads the log after we asked
    try:
        return _recompute(Conversation.objects.get(pk=conversation_id))
    finally:
        cache.delete(lock)


def _recompute(conversation: Conversation) -> OpinionMapSnapshot | None:
    inputs = load_inputs(conversation)
    if len(inputs.log.vote) == 0:
        return None
    result = compute(
        inputs.log, inputs.statements, previous=previous_state(conversation),
        segments=inputs.segments,
    )  # fmt: skip
    with transaction.atomic():
        snapshot = actions.save_snapshot(
            conversation=conversation, result=_public(conversation, inputs, result),
            state=state_to_bytes(result.state), last_vote_id=inputs.last_vote_id,
            n_votes=result.n_votes, n_participants=len(result.participants),
        )  # fmt: skip
        transaction.on_commit(lambda: live.announce(conversation.pk, snapshot.number))
    log.info("Opinion map %s #%s: %s", conversation.slug, snapshot.number, result.timings_s)
    return snapshot


def previous_state(conversation: Conversation) -> OpinionState | None:
    """Return the warm start the newest snapshot left, or None before the first."""
    latest = OpinionMapSnapshot.objects.filter(conversation=conversation).first()
    return state_from_bytes(bytes(latest.state)) if latest and latest.state else None


def load_inputs(conversation: Conversation) -> Inputs:
    """Read the vote log, statement set and declared segments of *conversation*."""
    statements = list(
        Statement.objects.filter(conversation=conversation).values_list(
            "pk", "number", "status", "is_meta"
        )
    )
    number_of = {pk: number for pk, number, _, _ in statements}
    rows = Vote.objects.filter(conversation=conversation).order_by("id")
    data = np.array(
        list(rows.values_list("id", "participant_id", "statement_id", "value")), dtype=np.int64
    ).reshape(-1, 4)
    to_number = np.vectorize(number_of.__getitem__, otypes=[np.int64])
    vote_log = VoteLog(
        participant=data[:, 1].copy(),
        statement=to_number(data[:, 2]) if len(data) else np.zeros(0, np.int64),
        vote=data[:, 3].astype(np.int8),
    )
    last = int(data[-1, 0]) if len(data) else 0
    return Inputs(vote_log, _statement_set(conversation, statements), last, _segments(conversation))


def _statement_set(
    conversation: Conversation, statements: list[tuple[int, int, str, bool]]
) -> StatementSet:
    # Strict moderation keeps pending statements out of the maths too (polis.md S24); Pol.is
    # keeps them in.
    out = {Statement.Status.REJECTED.value}
    if conversation.moderation == Moderation.STRICT:
        out.add(Statement.Status.PENDING.value)
    return StatementSet(
        ids=np.array(sorted(n for _, n, _, _ in statements), dtype=np.int64),
        moderated_out=frozenset(n for _, n, status, _ in statements if status in out),
        meta=frozenset(n for _, n, _, meta in statements if meta),
    )


def _segments(conversation: Conversation) -> dict[int, str]:
    """Return participant id -> declared segment or party name, when the conversation compares."""
    participants = Participant.objects.filter(conversation=conversation)
    if conversation.comparison == Comparison.SEGMENTS:
        return dict(participants.exclude(segment="").values_list("pk", "segment"))
    if conversation.comparison == Comparison.PARTIES:
        names = dict(Actor.objects.filter(process=conversation.process).values_list("pk", "name"))
        pairs = participants.filter(party__isnull=False).values_list("pk", "party_id")
        return {pk: names[party] for pk, party in pairs}
    return {}


def _public(conversation: Conversation, inputs: Inputs, result: OpinionResult) -> dict[str, object]:
    index, statement_index, votes = _latest(inputs.log, result)
    group_of = {g.id: i for i, g in enumerate(result.groups)}
    membership = np.array([group_of.get(int(g), -1) for g in result.group], dtype=np.int64)
    names = [chr(ord("A") + i) for i in range(len(result.groups))]
    groups = tally_votes(index, statement_index, votes, membership, names, len(result.statements))
    segments = _segment_tallies(inputs, result, index, statement_index, votes)
    return public_result(
        result, groups=groups, segments=segments,
        min_group_size=conversation.min_group_size, n_min=N_MIN_CONSULTATION,
    )  # fmt: skip


def _latest(
    vote_log: VoteLog, result: OpinionResult
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """Return (participant index, statement index, vote) of each pair's latest vote."""
    p_index = np.searchsorted(np.sort(result.participants), vote_log.participant)
    order = np.argsort(result.participants)
    participant_index = order[p_index]
    statement_index = np.searchsorted(result.statements, vote_log.statement)
    pair = participant_index * len(result.statements) + statement_index
    # The last occurrence of each pair wins: unique over the reversed log keeps it.
    _, last_from_end = np.unique(pair[::-1], return_index=True)
    keep = len(pair) - 1 - last_from_end
    return participant_index[keep], statement_index[keep], vote_log.vote[keep]


def _segment_tallies(
    inputs: Inputs,
    result: OpinionResult,
    index: npt.NDArray[np.int64],
    statement_index: npt.NDArray[np.int64],
    votes: npt.NDArray[np.int8],
) -> Tallies | None:
    if not inputs.segments:
        return None
    names = sorted(set(inputs.segments.values()))
    position = {name: i for i, name in enumerate(names)}
    membership = np.array(
        [position.get(inputs.segments.get(int(p), ""), -1) for p in result.participants],
        dtype=np.int64,
    )
    return tally_votes(index, statement_index, votes, membership, names, len(result.statements))
