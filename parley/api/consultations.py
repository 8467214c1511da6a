"""Conversations (consultations): open and run them, vote, read the opinion map.

Reads are open to anyone who may read the conversation (auth=None; access_conversation scopes
them). Taking part (voting, writing a statement) is open to anonymous callers too when the
conversation allows it: they are known by a random token in their session, exactly as on the
web, and like every write they must send the session's CSRF token.

Privacy: no endpoint returns another participant's votes, pseudonym or any participant x
statement data. ``my-votes`` returns the caller's own; the results are the public-safe summary
of the latest opinion map, with statistics of groups below the minimum size withheld.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.security.apikey import APIKeyCookie

from parley.api.schemas import READ_ERRORS, WRITE_ERRORS, Input
from parley.consultation import actions
from parley.consultation.access import ConversationAccess, access_conversation
from parley.consultation.models import Conversation, Participant, Statement, Vote
from parley.consultation.queries import (
    conversations_visible_to,
    moderation_queue,
    my_votes,
    next_statement,
    participant_for,
    results,
    shown_statements,
    statement_by_number,
)
from parley.core.errors import InvalidInput, NotFound
from parley.processes.models import Process, Round
from parley.processes.permissions import access_process_by_slug
from parley.processes.redaction import ReadScope

router = Router(tags=["consultations"])

# The same session key the web pages use, so a browser votes as one participant on both.
TOKEN_KEY = "parley-participant-token"
VOTE_NAMES = {1: "agree", -1: "disagree", 0: "pass"}
ONE = "/conversations/{slug}"


class TakingPartAuth(APIKeyCookie):
    """Let signed-in and anonymous callers through, but only with the session's CSRF token.

    The API's own session auth answers 401 to anonymous callers; taking part in a conversation
    that allows anonymous participants is the one write they may make. They have a session to
    forge, so the CSRF token is checked for them too (APIKeyCookie checks it first).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user  # AnonymousUser too: the action decides who may take part


taking_part = TakingPartAuth(csrf=True)


# Schemas ---------------------------------------------------------------------------------------


class ConversationOut(Schema):
    """A conversation's settings, and what the caller may do with it."""

    slug: str
    title: str
    question: str
    process: str | None = Field(description="Slug of its process; null: a standalone one.")
    round: str | None = Field(description="Key of its round; null: none, or one you may not see.")
    visibility: str
    moderation: str
    comparison: str
    segments: list[str]
    is_open: bool
    allow_anonymous: bool
    min_group_size: int
    is_illustrative: bool
    can_manage: bool = Field(description="You run this conversation.")
    can_take_part: bool = Field(description="You may vote and write statements now.")


class ConversationPatch(Input):
    """Change a conversation's settings; e.g. ``{"is_open": false}`` closes it."""

    title: str | None = None
    question: str | None = None
    round: str | None = Field(None, description="Key of a round of the conversation's process.")
    visibility: str | None = None
    moderation: str | None = None
    comparison: str | None = None
    segments: list[str] | None = None
    is_open: bool | None = None
    allow_anonymous: bool | None = None
    min_group_size: int | None = None
    is_illustrative: bool | None = None


class ConversationIn(ConversationPatch):
    """Open a conversation: in a process (its mediation team), or standalone (anyone signed in)."""

    title: str  # required to open one, optional to change it
    question: str = ""
    process: str | None = Field(None, description="Slug of the process; leave out: standalone.")


class StatementOut(Schema):
    """A statement; its number is its id within the conversation. Authors are never named."""

    number: int
    text: str
    origin: str
    status: str
    is_meta: bool


class StatementIn(Input):
    """Add a statement: the team's is accepted at once, a participant's is moderated."""

    text: str
    is_meta: bool = Field(False, description="About the conversation itself (the team only).")
    segment: str = Field("", description="Your segment, on your first statement or vote.")


class ModerationIn(Input):
    """Accept or reject a statement, or mark it meta."""

    status: str | None = Field(None, json_schema_extra={"enum": list(Statement.Status.values)})
    is_meta: bool | None = None


class VoteIn(Input):
    """One vote; send the same client_key again to retry safely."""

    statement: int = Field(description="The statement's number.")
    vote: str = Field(json_schema_extra={"enum": ["agree", "disagree", "pass"]})
    client_key: str | None = Field(None, max_length=64, description="Your idempotency key.")
    segment: str = Field("", description="Your segment, on your first statement or vote.")


class VoteOut(Schema):
    statement: int
    vote: str
    client_key: str | None


class Representative(Schema):
    statement: int
    text: str
    repful: str = Field(description="agree or disagree: what sets the group apart.")
    share: float = Field(description="Share of the group's voters on it who vote that way.")
    n_success: int
    n_trials: int
    others_share: float | None = Field(
        description="The same share among the other groups shown; null if there are none."
    )


class GroupOut(Schema):
    id: int
    label: str
    size: int | None = Field(description="null when withheld.")
    withheld: bool = Field(description="Fewer members than the minimum group size.")
    hull: list[list[float]] = []
    representative: list[Representative] = []


class ScoredStatement(Schema):
    statement: int
    text: str
    score: float = Field(description="Bridging score: the least-convinced group's agreement.")
    status: str
    votes: int
    binding_group: str | None = Field(description="The group that limits the score.")
    binding: dict[str, int] | None = Field(
        description="That group's counts: agree, disagree, pass, total; null when withheld."
    )
    explanation: str


class StatementRef(Schema):
    statement: int
    text: str


class Consensus(Schema):
    agree: list[StatementRef] = []
    disagree: list[StatementRef] = []


class ResultsOut(Schema):
    """The latest opinion map, as far as anyone may see it: no individual's votes."""

    snapshot: int = Field(description="The opinion map's number; 0: none yet.")
    computed_at: str | None
    n_votes: int
    n_participants: int
    min_group_size: int
    points: list[list[float]] = Field(
        description="[x, y, group] per participant, in no particular order; group -1: none."
    )
    groups: list[GroupOut]
    consensus: Consensus
    bridging: list[ScoredStatement] = Field(description="Common ground, best first.")
    segment_bridging: list[ScoredStatement]
    divisive: list[ScoredStatement]


# Conversations ---------------------------------------------------------------------------------


@router.get("/conversations", response=list[ConversationOut], auth=None)
def list_conversations(request: HttpRequest) -> list[dict[str, Any]]:
    """List the conversations you may read, newest first."""
    return [conversation_data(access) for access in conversations_visible_to(request.user)]


@router.post("/conversations", response={201: ConversationOut, **WRITE_ERRORS})
def open_conversation(request: HttpRequest, payload: ConversationIn) -> Status[dict[str, Any]]:
    """Open a conversation; in a process, you must be on its mediation team."""
    data = payload.model_dump(exclude_unset=True)
    process = _process_named(request, data.pop("process", None))
    conversation = actions.open_conversation(user=request.user, data=data, process=process)
    return Status(201, conversation_data(access_conversation(request.user, conversation.slug)))


def _process_named(request: HttpRequest, slug: str | None) -> Process | None:
    """Return the process a body names; one the caller may not see reads as unknown (422)."""
    if slug is None:
        return None
    try:
        process, _ = access_process_by_slug(request.user, slug)
    except NotFound:
        raise InvalidInput({"process": ["No such process."]}) from None
    return process


@router.get(ONE, response={200: ConversationOut, **READ_ERRORS}, auth=None)
def get_conversation(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Show a conversation's settings."""
    return conversation_data(access_conversation(request.user, slug))


@router.patch(ONE, response={200: ConversationOut, **WRITE_ERRORS})
def update_conversation(
    request: HttpRequest, slug: str, payload: ConversationPatch
) -> dict[str, Any]:
    """Change a conversation's settings (the team that runs it)."""
    access = access_conversation(request.user, slug)
    actions.update_conversation(access=access, data=payload.model_dump(exclude_unset=True))
    return conversation_data(access_conversation(request.user, slug))


# Statements ------------------------------------------------------------------------------------


@router.get(ONE + "/statements", response={200: list[StatementOut], **READ_ERRORS}, auth=None)
def list_statements(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """List the statements participants see and vote on."""
    access = access_conversation(request.user, slug)
    return [statement_data(row) for row in shown_statements(access.conversation)]


@router.post(ONE + "/statements", response={201: StatementOut, **WRITE_ERRORS}, auth=taking_part)
def add_statement(request: HttpRequest, slug: str, payload: StatementIn) -> Status[dict[str, Any]]:
    """Add a statement: the team seeds one (accepted at once); a participant submits one."""
    access = access_conversation(request.user, slug)
    if access.can_manage:
        row = actions.seed_statement(access=access, text=payload.text, is_meta=payload.is_meta)
    else:
        if payload.is_meta:
            access.require_manage()  # only the team marks a statement as meta
        participant = _join(request, access, payload.segment)
        row = actions.submit_statement(access=access, participant=participant, text=payload.text)
    return Status(201, statement_data(row))


@router.patch(ONE + "/statements/{number}", response={200: StatementOut, **WRITE_ERRORS})
def moderate_statement(
    request: HttpRequest, slug: str, number: int, payload: ModerationIn
) -> dict[str, Any]:
    """Accept or reject a statement, or mark it meta (the team that runs the conversation)."""
    access = access_conversation(request.user, slug)
    access.require_manage()  # before the lookup: nobody else learns which numbers exist
    statement = statement_by_number(access, number)
    status = payload.status if payload.status is not None else statement.status
    row = actions.moderate_statement(
        access=access, statement=statement, status=status, is_meta=payload.is_meta
    )
    return statement_data(row)


@router.get(ONE + "/moderation", response={200: list[StatementOut], **WRITE_ERRORS})
def get_moderation_queue(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """List every statement, pending ones first (the team that runs the conversation)."""
    access = access_conversation(request.user, slug)
    return [statement_data(row) for row in moderation_queue(access)]


@router.get(ONE + "/next", response={200: StatementOut, 204: None, **READ_ERRORS}, auth=None)
def get_next_statement(request: HttpRequest, slug: str) -> Status[dict[str, Any] | None]:
    """Return the statement to vote on next; 204 when you have voted on every one."""
    access = access_conversation(request.user, slug)
    statement = next_statement(access, participant_for(access, _token(request)))
    if statement is None:
        return Status(204, None)
    return Status(200, statement_data(statement))


# Votes -----------------------------------------------------------------------------------------


@router.post(
    ONE + "/votes", response={200: VoteOut, 201: VoteOut, **WRITE_ERRORS}, auth=taking_part
)
def cast_vote(request: HttpRequest, slug: str, payload: VoteIn) -> Status[dict[str, Any]]:
    """Vote agree, disagree or pass; the latest vote on a statement counts.

    201: recorded (committed before the answer). 200: a retry with a client_key already used,
    answered with the vote recorded then. 404: no such statement open for votes (it does not
    exist, awaits moderation or was rejected). 403: the conversation is closed.
    """
    access = access_conversation(request.user, slug)
    participant = _join(request, access, payload.segment)
    asked_at = timezone.now()
    vote = actions.cast_vote(
        access=access, participant=participant, statement_number=payload.statement,
        value=payload.vote, client_key=payload.client_key,
    )  # fmt: skip
    # The action returns the earlier vote for a client_key already used: no new row.
    return Status(201 if vote.created_at >= asked_at else 200, vote_data(vote, payload.statement))


@router.get(ONE + "/my-votes", response={200: dict[int, str], **READ_ERRORS}, auth=None)
def get_my_votes(request: HttpRequest, slug: str) -> dict[int, str]:
    """Return your own latest vote per statement number (nobody else's, ever)."""
    access = access_conversation(request.user, slug)
    votes = my_votes(participant_for(access, _token(request)))
    return {number: VOTE_NAMES[value] for number, value in votes.items()}


@router.get(ONE + "/results", response={200: ResultsOut, **READ_ERRORS}, auth=None)
def get_results(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Return the latest opinion map: groups, common ground, what divides."""
    access = access_conversation(request.user, slug)
    return results_data(access.conversation, results(access))


# Participants ----------------------------------------------------------------------------------


def _token(request: HttpRequest) -> str | None:
    return None if request.user.is_authenticated else request.session.get(TOKEN_KEY)


def _join(request: HttpRequest, access: ConversationAccess, segment: str) -> Participant:
    """Return the caller's participant, creating it (and an anonymous caller's token) first."""
    access.require_take_part()  # before a token is made: a refused caller gets no session
    token = None
    if not request.user.is_authenticated:
        token = request.session.setdefault(TOKEN_KEY, secrets.token_urlsafe(24))
    return actions.join(access=access, token=token, segment=segment)


# Response data ---------------------------------------------------------------------------------


def conversation_data(access: ConversationAccess) -> dict[str, Any]:
    conversation = access.conversation
    return {
        "slug": conversation.slug,
        "title": conversation.title,
        "question": conversation.question,
        "process": conversation.process.slug if conversation.process else None,
        "round": _round_key(access),
        "visibility": conversation.visibility,
        "moderation": conversation.moderation,
        "comparison": conversation.comparison,
        "segments": list(conversation.segments),
        "is_open": conversation.is_open,
        "allow_anonymous": conversation.allow_anonymous,
        "min_group_size": conversation.min_group_size,
        "is_illustrative": conversation.is_illustrative,
        "can_manage": access.can_manage,
        "can_take_part": access.can_take_part,
    }


def _round_key(access: ConversationAccess) -> str | None:
    """Return the round's key if the caller may read the round: its key names it."""
    conversation = access.conversation
    if conversation.round_id is None or conversation.process is None:
        return None
    scope = ReadScope(access.viewer, conversation.process)
    if conversation.round_id not in scope.visible_ids(Round):
        return None
    return conversation.round.key if conversation.round else None


def statement_data(row: Statement) -> dict[str, Any]:
    return {
        "number": row.number,
        "text": row.text,
        "origin": row.origin,
        "status": row.status,
        "is_meta": row.is_meta,
    }


def vote_data(vote: Vote, number: int) -> dict[str, Any]:
    return {"statement": number, "vote": VOTE_NAMES[vote.value], "client_key": vote.client_key}


def results_data(conversation: Conversation, data: dict[str, Any]) -> dict[str, Any]:
    """Return the results in the documented shape: the schema leaves out whatever else the
    stored result holds (routing weights, the maths' bookkeeping)."""
    groups = data.get("groups", [])
    return {
        "snapshot": data.get("snapshot", 0),
        "computed_at": data.get("computed_at"),
        "n_votes": data.get("n_votes", 0),
        "n_participants": data.get("n_participants", 0),
        "min_group_size": data.get("min_group_size", conversation.min_group_size),
        "points": data.get("points", []),
        "groups": groups,
        "consensus": data.get("consensus", {}),
        "bridging": data.get("bridging", []),
        "segment_bridging": data.get("segment_bridging", []),
        "divisive": data.get("divisive", []),
    }
