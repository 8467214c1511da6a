"""Every write to a conversation. Web, API and CLI call these, never the ORM.

Each action runs in one transaction: guard -> validate -> write -> audit event. Votes are the
exception to auditing: the vote table is itself an append-only log, and copying each vote into
the audit log would put individuals' votes in front of everyone who reads it (decision 0008).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from parley.audit.record import record_event
from parley.consultation import tasks
from parley.consultation.access import ConversationAccess
from parley.consultation.models import (
    Comparison,
    Conversation,
    Moderation,
    OpinionMapSnapshot,
    Participant,
    Statement,
    Vote,
)
from parley.core.errors import Forbidden, InvalidInput, NotFound
from parley.core.visibility import Visibility
from parley.processes.actions import REQUIRED, _clean, _reject_unknown
from parley.processes.models import Person, Process, Round
from parley.processes.permissions import can, viewer_for
from parley.processes.roles import Permission

CONVERSATION_FIELDS = (
    "title", "question", "round", "visibility", "moderation", "comparison", "segments",
    "is_open", "allow_anonymous", "min_group_size", "is_illustrative",
)  # fmt: skip
MAX_STATEMENT_LENGTH = 280
VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
MAX_CLIENT_KEY = 64  # Vote.client_key's length


@transaction.atomic
def open_conversation(
    *, user: Any, data: dict[str, Any], process: Process | None = None, slug: str | None = None
) -> Conversation:
    """Open a conversation in *process* (mediation team) or standalone (its convener: *user*).

    Like process slugs, conversation slugs get a random suffix so that "already exists" tells
    no one about a conversation they may not see; *slug* keeps one exactly (operator imports).
    """
    if not getattr(user, "is_authenticated", False):
        raise Forbidden("Sign in to open a conversation.")
    if process is not None and not can(viewer_for(user, process), Permission.MANAGE_RECORD):
        raise Forbidden("Only the mediation team may open a conversation in this process.")
    _reject_unknown(data, CONVERSATION_FIELDS)
    data = {**data, "round": _round(process, data.get("round"))}
    conversation = Conversation(
        process=process, convener=None if process else user, slug=slug or _new_slug(data), **data
    )
    _validate(conversation)
    conversation.save()
    record_event(user=user, verb="conversation.opened", target=conversation,
                 process_id=process.pk if process else None,
                 data={"slug": conversation.slug, "title": conversation.title})  # fmt: skip
    return conversation


def _round(process: Process | None, key: Any) -> Round | None:
    """Return the round *key* (or the Round given) of *process*, refusing one from elsewhere."""
    if key in (None, ""):
        return None
    if process is None:
        raise InvalidInput({"round": ["A standalone conversation has no round."]})
    key = key.key if isinstance(key, Round) else str(key)
    row = Round.objects.filter(process=process, key=key).first()
    if row is None:
        raise InvalidInput({"round": ["No such round."]})
    return row


def _new_slug(data: dict[str, Any]) -> str:
    base = slugify(str(data.get("title") or ""))[:60] or "conversation"
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        if not Conversation.objects.filter(slug=slug).exists():
            return slug


def _validate(conversation: Conversation) -> None:
    _clean(conversation)
    segments = conversation.segments
    if not isinstance(segments, list) or not all(isinstance(s, str) and s for s in segments):
        raise InvalidInput({"segments": ["Give a list of segment names."]})
    if conversation.comparison == Comparison.SEGMENTS and len(segments) < 2:
        raise InvalidInput({"segments": ["Name at least two segments to compare."]})
    if conversation.comparison == Comparison.PARTIES and conversation.process_id is None:
        raise InvalidInput({"comparison": ["Only a conversation in a process has parties."]})
    if conversation.process_id is None and conversation.visibility not in _STANDALONE_LEVELS:
        raise InvalidInput({"visibility": ["A standalone conversation is public or private."]})


# A standalone conversation has no process roles: it is public, or its convener's alone.
_STANDALONE_LEVELS = {Visibility.PUBLIC.value, Visibility.MEDIATION.value}


@transaction.atomic
def update_conversation(*, access: ConversationAccess, data: dict[str, Any]) -> Conversation:
    """Change a conversation's settings, e.g. close it (`is_open`: False)."""
    access.require_manage()
    conversation = access.conversation
    _reject_unknown(data, CONVERSATION_FIELDS)
    if "round" in data:
        data = {**data, "round": _round(conversation.process, data["round"])}
    for name, value in data.items():
        setattr(conversation, name, value)
    _validate(conversation)
    conversation.save()
    record_event(user=access.user, verb="conversation.updated", target=conversation,
                 process_id=conversation.process_id,
                 data={name: str(value) for name, value in data.items()})  # fmt: skip
    return conversation


@transaction.atomic
def seed_statement(*, access: ConversationAccess, text: str, is_meta: bool = False) -> Statement:
    """Add a statement from the team: accepted at once."""
    access.require_manage()
    statement = _add_statement(
        access.conversation, text, origin=Statement.Origin.SEED,
        status=Statement.Status.ACCEPTED, is_meta=is_meta,
    )  # fmt: skip
    _audit_statement(access, statement, "statement.seeded")
    return statement


@transaction.atomic
def submit_statement(
    *, access: ConversationAccess, participant: Participant, text: str
) -> Statement:
    """Add a participant's statement to the moderation queue."""
    access.require_take_part()
    statement = _add_statement(
        access.conversation, text, origin=Statement.Origin.PARTICIPANT,
        status=Statement.Status.PENDING, author=participant,
    )  # fmt: skip
    _audit_statement(access, statement, "statement.submitted")
    return statement


def _add_statement(conversation: Conversation, text: str, **fields: Any) -> Statement:
    text = " ".join(str(text or "").split())
    _check_text(conversation, text)
    # Lock the conversation row so two statements cannot take the same number.
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    last = Statement.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
    statement = Statement(conversation=conversation, number=(last or 0) + 1, text=text, **fields)
    statement.save()
    return statement


def _check_text(conversation: Conversation, text: str) -> None:
    if not text:
        raise InvalidInput({"text": [REQUIRED]})
    if len(text) > MAX_STATEMENT_LENGTH:
        raise InvalidInput({"text": [f"Keep it under {MAX_STATEMENT_LENGTH} characters."]})
    same = Statement.objects.filter(conversation=conversation, text__iexact=text)
    if same.exclude(status=Statement.Status.REJECTED).exists():
        raise InvalidInput({"text": ["This statement is already in the conversation."]})


def _audit_statement(access: ConversationAccess, statement: Statement, verb: str) -> None:
    record_event(user=access.user, verb=verb, target=statement,
                 process_id=access.conversation.process_id,
                 data={"number": statement.number, "status": statement.status})  # fmt: skip


@transaction.atomic
def moderate_statement(
    *, access: ConversationAccess, statement: Statement, status: str, is_meta: bool | None = None
) -> Statement:
    """Accept or reject a statement (or mark it meta); the opinion map is recomputed."""
    access.require_manage()
    if status not in Statement.Status.values:
        raise InvalidInput({"status": [f"Choose one of: {', '.join(Statement.Status.values)}."]})
    before = statement.status
    statement.status = status
    statement.is_meta = statement.is_meta if is_meta is None else is_meta
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "is_meta", "moderated_at"])
    record_event(user=access.user, verb="statement.moderated", target=statement,
                 process_id=access.conversation.process_id,
                 data={"number": statement.number, "old": before, "new": status,
                       "is_meta": statement.is_meta})  # fmt: skip
    tasks.recompute_on_commit(access.conversation.pk)
    return statement


def join(*, access: ConversationAccess, token: str | None, segment: str = "") -> Participant:
    """Return the user's (or anonymous session's) participant, creating it on first use.

    Anonymous participants are known only by *token*, a random string kept in their session.
    """
    access.require_take_part()
    conversation, user = access.conversation, access.user
    signed_in = getattr(user, "is_authenticated", False)
    if not signed_in and not token:
        raise InvalidInput({"token": ["An anonymous participant needs a session."]})
    lookup = {"user": user} if signed_in else {"token": token}
    found = Participant.objects.filter(conversation=conversation, **lookup).first()
    if found is not None:
        return found
    _check_segment(conversation, segment)
    return _create_participant(access, lookup, segment)


def _check_segment(conversation: Conversation, segment: str) -> None:
    if conversation.comparison != Comparison.SEGMENTS:
        return
    if segment not in conversation.segments:
        choices = ", ".join(conversation.segments)
        raise InvalidInput({"segment": [f"Choose one of: {choices}."]})


def _create_participant(
    access: ConversationAccess, lookup: dict[str, Any], segment: str
) -> Participant:
    party_ids = sorted(access.viewer.party_ids)
    party = party_ids[0] if party_ids else None
    try:
        with transaction.atomic():
            return Participant.objects.create(
                conversation=access.conversation, pseudonym=f"P-{secrets.token_hex(3)}",
                segment=segment, party_id=party, **lookup,
            )  # fmt: skip
    except IntegrityError:
        # Two first votes raced; the other request created the participant.
        return Participant.objects.get(conversation=access.conversation, **lookup)


def cast_vote(
    *,
    access: ConversationAccess,
    participant: Participant,
    statement_number: int,
    value: int | str,
    client_key: str | None = None,
) -> Vote:
    """Record one vote: one INSERT, committed before this returns; the latest vote counts.

    A retry with the same *client_key* returns the vote already recorded and adds nothing.
    """
    access.require_take_part()
    check_client_key(client_key)
    number = _vote_value(value)
    statement = _votable(access.conversation, statement_number)
    # No lookup first: the unique constraint finds a retry, and a new vote (the common case on
    # this hot path) costs only its INSERT.
    vote = Vote(conversation=access.conversation, participant=participant,
                statement=statement, value=number, client_key=client_key or None)  # fmt: skip
    try:
        with transaction.atomic():
            vote.save()
            tasks.recompute_on_commit(access.conversation.pk)
    except IntegrityError:
        return Vote.objects.get(participant=participant, client_key=client_key)
    return vote


def check_client_key(client_key: str | None) -> None:
    """Refuse an idempotency key longer than the vote table keeps (front doors ask first)."""
    if client_key is not None and len(client_key) > MAX_CLIENT_KEY:
        raise InvalidInput({"client_key": [f"Keep it to {MAX_CLIENT_KEY} characters or fewer."]})


def _vote_value(value: int | str) -> int:
    if isinstance(value, str) and value in VOTE_VALUES:
        return VOTE_VALUES[value]
    if value in (1, -1, 0) and not isinstance(value, bool):
        return int(value)
    raise InvalidInput({"vote": ["Choose agree, disagree or pass."]})


def _votable(conversation: Conversation, number: int) -> Statement:
    """Return the statement *number* if votes on it count now, else raise NotFound / Forbidden."""
    statement = Statement.objects.filter(conversation=conversation, number=number).first()
    if statement is None or not _shown(conversation, statement):
        raise NotFound("statement")
    return statement


def _shown(conversation: Conversation, statement: Statement) -> bool:
    if statement.status == Statement.Status.ACCEPTED:
        return True
    open_ = conversation.moderation == Moderation.OPEN
    return open_ and statement.status == Statement.Status.PENDING


@transaction.atomic
def link_participant(
    *, access: ConversationAccess, participant: Participant, person: Person | None
) -> Participant:
    """Link a participant to a Person of the process (the team's decision), or unlink it."""
    access.require_manage()
    if person is not None and person.process_id != access.conversation.process_id:
        raise InvalidInput({"person": ["No such person."]})
    participant.person = person
    participant.save(update_fields=["person"])
    record_event(user=access.user, verb="participant.linked", target=participant,
                 process_id=access.conversation.process_id,
                 data={"person": person.key if person else None})  # fmt: skip
    return participant


@transaction.atomic
def save_snapshot(
    *, conversation: Conversation, result: dict[str, Any], state: bytes, last_vote_id: int,
    n_votes: int, n_participants: int,
) -> OpinionMapSnapshot:  # fmt: skip
    """Store a computed opinion map (the worker's only write; derived data, not audited)."""
    last = OpinionMapSnapshot.objects.filter(conversation=conversation).aggregate(n=Max("number"))
    return OpinionMapSnapshot.objects.create(
        conversation=conversation, number=(last["n"] or 0) + 1, result=result, state=state,
        last_vote_id=last_vote_id, n_votes=n_votes, n_participants=n_participants,
    )  # fmt: skip


@dataclass(frozen=True)
class ImportedStatement:
    """A statement from another system (a Pol.is export), keeping its number."""

    number: int
    text: str
    status: str = Statement.Status.ACCEPTED
    is_meta: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True)
class ImportedVotes:
    """A vote log from another system: participants by their external id, in log order."""

    participant: Sequence[int]
    statement: Sequence[int]
    value: Sequence[int]
    created_at: Sequence[datetime | None]
    segments: Mapping[int, str] = field(default_factory=dict)


IMPORT_BATCH = 5000


@transaction.atomic
def import_log(
    *,
    access: ConversationAccess,
    statements: Sequence[ImportedStatement],
    votes: ImportedVotes,
    source: str,
) -> None:
    """Load statements and a vote log into an empty conversation, all or nothing.

    Participants become pseudonymous rows known by their external id ("<source>:<id>"), never
    linked to a person. The caller's reader has validated the file; this checks again that
    every vote names an imported statement and a valid value.
    """
    access.require_manage()
    conversation = access.conversation
    if Statement.objects.filter(conversation=conversation).exists():
        raise InvalidInput({"conversation": ["Import only into a new, empty conversation."]})
    rows = _import_statements(conversation, statements)
    people = _import_participants(conversation, votes, source)
    _import_votes(conversation, rows, people, votes)
    record_event(user=access.user, verb="conversation.imported", target=conversation,
                 process_id=conversation.process_id,
                 data={"source": source, "statements": len(rows), "participants": len(people),
                       "votes": len(votes.value)})  # fmt: skip
    tasks.recompute_on_commit(conversation.pk)


def _import_statements(
    conversation: Conversation, statements: Sequence[ImportedStatement]
) -> dict[int, int]:
    Statement.objects.bulk_create(
        [
            Statement(conversation=conversation, number=s.number, text=s.text,
                      origin=Statement.Origin.IMPORTED, status=s.status, is_meta=s.is_meta)
            for s in statements
        ],
        batch_size=IMPORT_BATCH,
    )  # fmt: skip
    rows = Statement.objects.filter(conversation=conversation).values_list("number", "pk")
    return dict(rows)


def _import_participants(
    conversation: Conversation, votes: ImportedVotes, source: str
) -> dict[int, int]:
    ids = list(dict.fromkeys(int(p) for p in votes.participant))
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, token=f"{source}:{pid}",
                        pseudonym=f"{source}-{pid}", segment=votes.segments.get(pid, ""))
            for pid in ids
        ],
        batch_size=IMPORT_BATCH,
    )  # fmt: skip
    rows = Participant.objects.filter(conversation=conversation).values_list("token", "pk")
    prefix = len(source) + 1
    return {int(str(token)[prefix:]): pk for token, pk in rows}


def _import_votes(
    conversation: Conversation,
    statements: dict[int, int],
    people: dict[int, int],
    votes: ImportedVotes,
) -> None:
    now = timezone.now()
    batch: list[Vote] = []
    for line, (pid, number, value, when) in enumerate(
        zip(votes.participant, votes.statement, votes.value, votes.created_at, strict=True),
        start=1,
    ):
        if int(number) not in statements or int(value) not in (1, -1, 0):
            raise InvalidInput({"votes": [f"Vote {line}: no statement {number} or bad value."]})
        batch.append(Vote(conversation=conversation, participant_id=people[int(pid)],
                          statement_id=statements[int(number)], value=int(value),
                          created_at=when or now))  # fmt: skip
        if len(batch) >= IMPORT_BATCH:
            Vote.objects.bulk_create(batch)
            batch = []
    Vote.objects.bulk_create(batch)
