"""Negotiating texts: drafts, clauses, positions, the board, diffs, exports and amendments.

Every row comes through ``parley.texts.access`` (texts, versions, clauses) or the viewer-scoped
``parley.texts.queries`` (positions, comments, amendments, citations), and every write through
``parley.texts.actions``. A clause has no visibility of its own: it is readable exactly when its
version is. A working draft is mediation-level until circulated, so only the team reads it.

Positions and comments are confidential to their party and the mediation team; the board shows
a party only its own cells, and a clause's status only to a viewer who sees every signatory's
position. ``closing_results`` (where a draft's board stood when the next one was issued) is
mediation-team data. Rows refer to each other by key: parties by actor key, sessions by session
key, statements by conversation slug and number, versions by number, clauses by clause key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, cast

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.params.functions import Query

from parley.api.references import row_by_key
from parley.api.schemas import READ_ERRORS, WRITE_ERRORS, Errors, Input
from parley.consultation.access import access_conversation
from parley.consultation.queries import statement_by_number
from parley.core.errors import InvalidInput, NotFound
from parley.core.visibility import Visibility
from parley.processes.models import Actor, ProcessRecord, Session
from parley.processes.permissions import visible
from parley.texts import actions
from parley.texts import format as bracket_format
from parley.texts.access import (
    TextAccess,
    access_clause,
    access_process,
    access_text,
    access_version,
    party_of,
    versions_visible,
)
from parley.texts.diffing import ClauseChange, WordOp
from parley.texts.document import ClauseDoc, TextDoc
from parley.texts.exports import FORMATS, export_version
from parley.texts.models import (
    Amendment,
    Clause,
    ClausePosition,
    Comment,
    NegotiatingText,
    Option,
    TextVersion,
)
from parley.texts.queries import (
    Board,
    BoardRow,
    CitedStatement,
    PartyColumn,
    amendments_visible,
    board,
    citations,
    clauses_citing,
    clauses_of,
    comments_visible,
    diff_versions,
    last_review,
    latest_positions,
    texts_visible,
)
from parley.texts.scoring import BracketResult, ClauseResult

R = TypeVar("R", bound=ProcessRecord)
T = TypeVar("T")

router = Router(tags=["texts"])
statements_router = Router(tags=["consultations"])

TEXTS = "/processes/{slug}/texts"
TEXT = TEXTS + "/{key}"
VERSION = TEXT + "/versions/{number}"
CLAUSE = VERSION + "/clauses/{clause}"

FROM_DEFAULT = "Default: the draft your party last reviewed, else the one before 'to'."
TO_DEFAULT = "Default: the latest draft you may read."


# Schemas ---------------------------------------------------------------------------------------


def _choices(values: Iterable[str]) -> dict[str, Any]:
    return {"enum": list(values)}


class TextOut(Schema):
    """A negotiating text, and where its drafts stand for you."""

    key: str
    title: str
    kind: str
    drafting_mode: str
    description: str
    visibility: str
    parties: list[str] = Field(description="Keys of the signatory parties you may see.")
    refraining: list[str] = Field(description="Keys of parties refraining (advisory only).")
    current: int | None = Field(description="Number of the latest draft you may read.")
    working_draft: int | None = Field(description="Number of the open working draft (team).")
    can_manage: bool = Field(description="You draft this text (the mediation team).")


class VersionOut(Schema):
    """One draft of a text. A working draft is the mediation team's until circulated."""

    number: int
    label: str
    state: str = Field(json_schema_extra=_choices(TextVersion.State.values))
    visibility: str
    note: str
    circulated_at: datetime | None
    fingerprint: str = Field(description="SHA-256 of the canonical bracket text; '' if working.")
    based_on: int | None = Field(description="Number of the draft it was started from.")
    closing_results: dict[str, Any] | None = Field(
        description="Where its board stood when the next draft was issued (the team only)."
    )


class TextDetail(TextOut):
    versions: list[VersionOut] = Field(description="The drafts you may read, oldest first.")


class OptionOut(Schema):
    """One alternative parties rate: "1A", "1B"… of a bracket, or "omit" (bracket 0)."""

    label: str
    bracket: int
    text: str
    is_omit: bool


class StatementCitationOut(Schema):
    """A consultation statement the clause cites, with its bridging status."""

    conversation: str = Field(description="Slug of the conversation.")
    statement: int = Field(description="The statement's number in it.")
    text: str
    status: str = Field(description="Its bridging status in the latest opinion map; '' none.")


class ClauseOut(Schema):
    """A clause as one draft has it; ``key`` is its identity across drafts."""

    key: str
    number: str
    heading: str
    body: str = Field(description="The wording, in bracket syntax.")
    depth: int
    parent: str | None = Field(description="Key of the clause it belongs to.")
    status: str
    revision: int = Field(description="Send it back with a change: a stale one is a conflict.")
    options: list[OptionOut]
    citations: list[StatementCitationOut]


class VersionDetail(VersionOut):
    clauses: list[ClauseOut]


class ClausePositionOut(Schema):
    """A party's position on a clause or one of its alternatives (advisory: a member's view)."""

    key: str
    clause: str
    option: str | None = Field(description="Label of the alternative; null: the clause.")
    party: str | None
    stance: str
    reason: str
    reservation: str
    counter_wording: str
    rank: int | None
    advisory: bool
    created_at: datetime


class CommentOut(Schema):
    key: str
    kind: str
    body: str
    clause: str | None
    party: str | None = Field(description="The party it speaks for; null: the mediation team.")
    visibility: str
    created_at: datetime


class AmendmentOut(Schema):
    """A proposed change coded by its proposer ("B-3"), and what the mediator decided."""

    code: str
    clause: str = Field(description="Key of the clause it changes or follows.")
    op: str
    proposed_text: str
    rationale: str
    proposer: str | None = Field(description="Key of the proposing party; null: the team.")
    version: int | None = Field(description="Number of the draft it was proposed against.")
    status: str
    decided_in: str | None = Field(description="Key of the session that decided it.")
    decided_at: datetime | None
    decision_note: str
    applied_to: int | None = Field(description="Number of the draft it was written into.")
    visibility: str


class ClauseDetail(ClauseOut):
    positions: list[ClausePositionOut] = Field(description="The latest positions you may see.")
    comments: list[CommentOut]
    amendments: list[AmendmentOut]


class PartyOut(Schema):
    key: str | None = Field(description="null: a party you may not see by name.")
    name: str
    shown: bool = Field(description="You see this party's positions.")


class CellOut(Schema):
    party: str | None
    stance: str = Field(description="accept, live_with, reject, stand_aside or pending.")
    reason: str
    reservation: str
    counter_wording: str


class RatingOut(Schema):
    party: str | None
    stance: str
    rank: int | None


class OptionRatings(Schema):
    label: str
    ratings: list[RatingOut]


class ChoiceOut(Schema):
    status: str
    chosen: str | None
    tied: list[str]
    least_blocked: list[str]
    decided_by: str
    rule: str
    blocking: dict[str, dict[str, str]] = Field(description="Alternative -> party -> reason.")


class AdvisoryOut(Schema):
    """A delegation member's own view on the board: shown, never counted."""

    party: str | None
    option: str | None = Field(description="Label of the alternative; null: the clause.")
    stance: str
    reason: str
    reservation: str


class BracketOut(Schema):
    bracket: int
    labels: list[str]
    waiting: list[str | None] = Field(description="Parties that have not rated every option.")
    choice: ChoiceOut | None


class ClauseResultOut(Schema):
    status: str
    rule: str
    acceptability: float
    blocking: dict[str, str] = Field(description="Party -> reason, for each blocking party.")
    reservations: dict[str, str]
    pending: list[str | None]
    stood_aside: list[str | None]
    brackets: list[BracketOut]


class BoardRowOut(Schema):
    clause: str
    number: str
    heading: str
    cells: list[CellOut] = Field(description="Only the parties whose positions you may see.")
    options: list[OptionRatings]
    advisory: list[AdvisoryOut]
    result: ClauseResultOut | None = Field(
        description="null unless you see every signatory's position on the clause."
    )


class DocumentResultOut(Schema):
    status: str
    rule: str
    acceptability: float
    bottlenecks: list[str]
    can_sign: list[str | None]
    blockers: dict[str, list[str]]


class BoardOut(Schema):
    """Where a draft stands, clause by clause and party by party, as far as you may see."""

    version: int
    label: str
    complete: bool = Field(description="You see every signatory's positions.")
    parties: list[PartyOut]
    rows: list[BoardRowOut]
    result: DocumentResultOut | None


class OpOut(Schema):
    tag: str = Field(json_schema_extra=_choices(["equal", "insert", "delete"]))
    text: str


class ClauseBrief(Schema):
    number: str
    heading: str
    body: str
    depth: int
    status: str


class ChangeOut(Schema):
    key: str
    kind: str = Field(
        json_schema_extra=_choices(
            ["added", "removed", "moved", "changed", "moved_and_changed", "unchanged"]
        )
    )
    old: ClauseBrief | None
    new: ClauseBrief | None
    heading: list[OpOut]
    body: list[OpOut] = Field(description="Word operations over the bracket syntax.")
    number_changed: bool
    status_changed: bool


class DiffOut(Schema):
    from_version: int = Field(alias="from")
    to_version: int = Field(alias="to")
    counts: dict[str, int]
    changes: list[ChangeOut]


class ReviewOut(Schema):
    party: str
    version: int
    reviewed_at: datetime


class CitingClauseOut(Schema):
    process: str
    text: str = Field(description="Key of the text.")
    text_title: str
    version: int
    version_label: str
    clause: str
    number: str
    heading: str


class ConflictOut(Schema):
    """Someone saved the clause since your revision: nothing was overwritten."""

    detail: str
    yours: dict[str, str] = Field(description="What you tried to save.")
    current: dict[str, str] = Field(description="What the clause holds now.")
    revision: int = Field(description="The revision to send once you have merged the two.")


CONFLICT_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ConflictOut}

VISIBILITIES = [level.value for level in Visibility]
_VISIBILITIES = _choices(VISIBILITIES)


class TextPatch(Input):
    """Change a text; ``parties`` and ``refraining`` replace the lists (actor keys)."""

    title: str | None = None
    kind: str | None = Field(None, json_schema_extra=_choices(NegotiatingText.Kind.values))
    drafting_mode: str | None = Field(
        None, json_schema_extra=_choices(NegotiatingText.DraftingMode.values)
    )
    description: str | None = None
    visibility: str | None = Field(None, json_schema_extra=_VISIBILITIES)
    parties: list[str] | None = Field(None, description="Keys of the signatory parties.")
    refraining: list[str] | None = Field(None, description="Keys of the refraining parties.")


class TextIn(Input):
    """Open a text (the mediation team); ``source``: its first draft in bracket syntax."""

    key: str | None = None
    title: str | None = Field(None, description="Required unless the source has a title.")
    kind: str | None = Field(None, json_schema_extra=_choices(NegotiatingText.Kind.values))
    drafting_mode: str | None = Field(
        None, json_schema_extra=_choices(NegotiatingText.DraftingMode.values)
    )
    description: str | None = None
    visibility: str | None = Field(None, json_schema_extra=_VISIBILITIES)
    source: str | None = Field(None, description="The first draft in the bracket format.")


class DraftIn(Input):
    """Start the next working draft: a copy of the latest circulated one, or ``source``."""

    source: str | None = Field(None, description="The draft in the bracket format, imported.")


class CirculateIn(Input):
    """Issue the working draft: it is frozen, fingerprinted and shown to its audience."""

    label: str = Field("", description='e.g. "Draft 3"; empty: "Draft <number>".')
    visibility: str = Field(Visibility.PROCESS.value, json_schema_extra=_VISIBILITIES)
    audience: list[str] = Field([], description="Actor keys, for a subgroup draft.")
    note: str = Field("", description="The covering note.")


class ClauseIn(Input):
    """Add a clause to the working draft, after clause ``after`` (at the end without one)."""

    key: str | None = None
    number: str = ""
    heading: str = ""
    body: str = Field("", description="The wording, in bracket syntax.")
    status: str | None = None
    after: str | None = Field(None, description="Key of the clause it follows.")


class ClausePatch(Input):
    """Save a clause of the working draft, starting from ``revision``."""

    revision: int = Field(description="The revision you started from.")
    number: str | None = None
    heading: str | None = None
    body: str | None = None
    status: str | None = None


class ClausePositionIn(Input):
    """Your party's position on the clause or one alternative; a reject needs a reason."""

    stance: str = Field(
        json_schema_extra=_choices(["accept", "live_with", "reject", "stand_aside"])
    )
    option: str | None = Field(None, description='Label of the alternative ("1B", "omit").')
    reason: str = ""
    reservation: str = ""
    counter_wording: str = Field("", description="Wording your party could accept.")
    rank: int | None = Field(None, ge=1, le=99, description="Preference in the bracket (1 = best).")
    party: str | None = Field(None, description="Actor key; leave out: your only party.")


class StatementCitationIn(Input):
    """Cite a consultation statement in a clause of the working draft (the team)."""

    conversation: str = Field(description="Slug of the conversation.")
    number: int = Field(description="The statement's number.")


class CommentIn(Input):
    """Comment on a draft or one clause: for your party, or (the team) a team note."""

    body: str
    kind: str = Field(Comment.Kind.CRITICISM.value, json_schema_extra=_choices(Comment.Kind.values))
    clause: str | None = Field(None, description="Key of the clause; leave out: the draft.")
    party: str | None = Field(None, description="Actor key; leave out: your only party.")


class ReviewIn(Input):
    party: str | None = Field(None, description="Actor key; leave out: your only party.")


class AmendmentIn(Input):
    """Table an amendment to the current draft: for your party, or (left out) the team's."""

    clause: str = Field(description="Key of the clause it changes or follows.")
    op: str = Field(Amendment.Op.REPLACE.value, json_schema_extra=_choices(Amendment.Op.values))
    proposed_text: str = Field("", description="The wording, in bracket syntax.")
    rationale: str = ""
    party: str | None = Field(None, description="Actor key; the team leaves it out.")
    visibility: str | None = Field(None, json_schema_extra=_VISIBILITIES)


class DecisionIn(Input):
    """The mediator's decision on an amendment, and the session it was taken in."""

    status: str = Field(
        json_schema_extra=_choices(sorted(str(status) for status in actions.DECISIONS))
    )
    session: str | None = Field(None, description="Key of the session.")
    note: str = ""


# Texts -----------------------------------------------------------------------------------------


@router.get(TEXTS, response={200: list[TextOut], **READ_ERRORS}, auth=None)
def list_texts(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """List the negotiating texts of a process you may read."""
    process, viewer = access_process(request.user, slug)
    keys = _Keys(visible(viewer, Actor, process))
    return [
        text_data(TextAccess(request.user, process, viewer, text), keys)
        for text in texts_visible(viewer, process)
    ]


@router.post(TEXTS, response={201: TextDetail, **WRITE_ERRORS})
def create_text(request: HttpRequest, slug: str, payload: TextIn) -> Status[dict[str, Any]]:
    """Open a text with its first working draft (the mediation team)."""
    process, viewer = access_process(request.user, slug)
    data = payload.model_dump(exclude_unset=True)
    source = data.pop("source", None)
    doc = _parsed(source) if source is not None else None
    if doc is not None and not data.get("title") and doc.title:
        data["title"] = doc.title
    data = {name: value for name, value in data.items() if value is not None}
    text = actions.create_text(user=request.user, process=process, viewer=viewer, data=data,
                               doc=doc)  # fmt: skip
    return Status(201, text_detail(access_text(request.user, slug, text.key)))


@router.get(TEXT, response={200: TextDetail, **READ_ERRORS}, auth=None)
def get_text(request: HttpRequest, slug: str, key: str) -> dict[str, Any]:
    """Show a text and the drafts of it you may read."""
    return text_detail(access_text(request.user, slug, key))


@router.patch(TEXT, response={200: TextDetail, **WRITE_ERRORS})
def update_text(request: HttpRequest, slug: str, key: str, payload: TextPatch) -> dict[str, Any]:
    """Change a text's title, kind, drafting mode, description, audience or parties."""
    access = access_text(request.user, slug, key)
    access.require_manage()
    data = payload.model_dump(exclude_unset=True)
    parties, refraining = data.pop("parties", None), data.pop("refraining", None)
    if parties is not None or refraining is not None:
        actions.set_parties(
            access=access,
            parties=_actors(access, "parties", parties, default=access.text.parties.all()),
            refraining=_actors(access, "refraining", refraining,
                               default=access.text.refraining.all()),
        )  # fmt: skip
    if data or (parties is None and refraining is None):
        actions.update_text(access=access, data={k: v or "" for k, v in data.items()})
    return text_detail(access_text(request.user, slug, key))


# Versions --------------------------------------------------------------------------------------


@router.get(TEXT + "/versions", response={200: list[VersionOut], **READ_ERRORS}, auth=None)
def list_text_versions(request: HttpRequest, slug: str, key: str) -> list[dict[str, Any]]:
    """List the drafts you may read, oldest first (the working draft: the team only)."""
    access = access_text(request.user, slug, key)
    versions = list(versions_visible(access))
    numbers = {version.pk: version.number for version in versions}
    return [version_data(access, version, numbers) for version in versions]


@router.post(TEXT + "/versions", response={201: VersionDetail, **WRITE_ERRORS})
def add_text_version(
    request: HttpRequest, slug: str, key: str, payload: DraftIn | None = None
) -> Status[dict[str, Any]]:
    """Start the next working draft as a copy of the latest circulated one, or import
    ``source`` as the next draft (the mediation team)."""
    access = access_text(request.user, slug, key)
    access.require_manage()
    source = payload.source if payload is not None else None
    if source is None:
        version = actions.start_draft(access=access)
    else:
        version = actions.import_draft(access=access, doc=_parsed(source))
    return Status(201, version_detail(access, version))


@router.get(VERSION, response={200: VersionDetail, **READ_ERRORS}, auth=None)
def get_text_version(request: HttpRequest, slug: str, key: str, number: int) -> dict[str, Any]:
    """Show a draft: its clauses in reading order, each with its alternatives and citations."""
    access = access_text(request.user, slug, key)
    return version_detail(access, access_version(access, number))


@router.post(VERSION + "/circulate", response={200: VersionOut, **WRITE_ERRORS})
def circulate_text_version(
    request: HttpRequest, slug: str, key: str, number: int, payload: CirculateIn
) -> dict[str, Any]:
    """Issue the working draft to its audience: frozen, labelled and fingerprinted."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    access.require_manage()
    if payload.visibility not in VISIBILITIES:
        raise InvalidInput({"visibility": [f"'{payload.visibility}' is not a visibility level."]})
    audience = _actors(access, "audience", payload.audience, default=[])
    version = actions.circulate(access=access, version=version, label=payload.label,
                                visibility=payload.visibility, audience=audience,
                                note=payload.note)  # fmt: skip
    numbers = {row.pk: row.number for row in versions_visible(access)}
    return version_data(access, version, numbers)


@router.get(VERSION + "/board", response={200: BoardOut, **READ_ERRORS}, auth=None)
def get_text_board(request: HttpRequest, slug: str, key: str, number: int) -> dict[str, Any]:
    """Where a draft stands, clause by clause and party by party, as far as you may see it.

    A party sees its own cells; a clause's status, the rule that decided it and who blocks it
    show only to a viewer who sees every signatory's position (the mediation team).
    """
    access = access_text(request.user, slug, key)
    return board_data(board(access, access_version(access, number)))


_EXPORT_RESPONSES = {
    200: {
        "description": "The draft as a file; the footer carries its label and fingerprint.",
        "content": {media: {"schema": {"type": "string"}} for media in FORMATS.values()},
    }
}


@router.get(
    VERSION + "/export",
    response={**READ_ERRORS, 422: Errors},
    auth=None,
    openapi_extra={"responses": _EXPORT_RESPONSES},
)
def export_text_version(
    request: HttpRequest,
    slug: str,
    key: str,
    number: int,
    file_format: Annotated[Literal["md", "docx", "pdf"], Query(alias="format")] = "md",
) -> HttpResponse:
    """Download a draft: md is its canonical bracket text, whose SHA-256 is the fingerprint."""
    access = access_text(request.user, slug, key)
    exported = export_version(access_version(access, number), file_format)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# Clauses ---------------------------------------------------------------------------------------


@router.post(VERSION + "/clauses", response={201: ClauseOut, **WRITE_ERRORS})
def add_text_clause(
    request: HttpRequest, slug: str, key: str, number: int, payload: ClauseIn
) -> Status[dict[str, Any]]:
    """Add a clause to the working draft (the mediation team)."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    access.require_manage()
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    after_key = data.pop("after", None)
    after = _clause_named(version, "after", after_key) if after_key else None
    clause = actions.add_clause(access=access, version=version, data=data, after=after)
    return Status(201, clause_data(access, _with_options(clause)))


@router.get(CLAUSE, response={200: ClauseDetail, **READ_ERRORS}, auth=None)
def get_text_clause(
    request: HttpRequest, slug: str, key: str, number: int, clause: str
) -> dict[str, Any]:
    """Show a clause with the positions, comments and amendments on it you may see."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    return clause_detail(access, _with_options(access_clause(version, clause)))


@router.patch(CLAUSE, response={200: ClauseOut, **CONFLICT_ERRORS})
def edit_text_clause(
    request: HttpRequest, slug: str, key: str, number: int, clause: str, payload: ClausePatch
) -> dict[str, Any]:
    """Save a clause of the working draft from ``revision``.

    409: someone saved it since; the answer holds your text, the current one and the revision
    to start from. Nothing is overwritten.
    """
    access = access_text(request.user, slug, key)
    row = access_clause(access_version(access, number), clause)
    data = payload.model_dump(exclude_unset=True)
    revision = data.pop("revision")
    saved = actions.edit_clause(access=access, clause=row, data=data, revision=revision)
    return clause_data(access, _with_options(saved))


@router.post(CLAUSE + "/positions", response={201: ClausePositionOut, **WRITE_ERRORS})
def record_clause_position(
    request: HttpRequest, slug: str, key: str, number: int, clause: str, payload: ClausePositionIn
) -> Status[dict[str, Any]]:
    """Record your party's position on a clause of the current draft, or on one alternative.

    The party's authorised delegate (or the mediation team) records its position; a member of
    its delegation records an advisory view. 403 on a draft that is no longer the current one.
    """
    access = access_text(request.user, slug, key)
    row = access_clause(access_version(access, number), clause)
    party = _party(access, payload.party)
    option = _option_named(row, payload.option) if payload.option is not None else None
    position = actions.record_position(
        access=access, clause=row, party=party, stance=payload.stance, option=option,
        reason=payload.reason, reservation=payload.reservation,
        counter_wording=payload.counter_wording, rank=payload.rank,
    )  # fmt: skip
    return Status(201, position_data(position, {party.pk: party.key}))


@router.post(CLAUSE + "/citations", response={201: ClauseOut, **WRITE_ERRORS})
def cite_clause_statement(
    request: HttpRequest,
    slug: str,
    key: str,
    number: int,
    clause: str,
    payload: StatementCitationIn,
) -> Status[dict[str, Any]]:
    """Cite a consultation statement in a clause of the working draft (the mediation team)."""
    access = access_text(request.user, slug, key)
    row = access_clause(access_version(access, number), clause)
    access.require_manage()
    try:
        conversation = access_conversation(request.user, payload.conversation)
    except NotFound:
        raise InvalidInput({"conversation": ["No such conversation."]}) from None
    try:
        statement = statement_by_number(conversation, payload.number)
    except NotFound:
        raise InvalidInput({"number": ["No such statement."]}) from None
    actions.cite_statement(access=access, clause=row, statement=statement)
    return Status(201, clause_data(access, _with_options(row)))


# Positions, comments, reviews ------------------------------------------------------------------


@router.get(
    VERSION + "/positions", response={200: list[ClausePositionOut], **READ_ERRORS}, auth=None
)
def list_version_positions(
    request: HttpRequest, slug: str, key: str, number: int
) -> list[dict[str, Any]]:
    """List the positions on a draft that count and that you may see (your party's)."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    keys = _Keys(visible(access.viewer, Actor, access.process))
    rows = latest_positions(version, access.viewer)
    return [position_data(row, keys.actors) for row in sorted(rows, key=_reading_order)]


@router.get(VERSION + "/comments", response={200: list[CommentOut], **READ_ERRORS}, auth=None)
def list_version_comments(
    request: HttpRequest, slug: str, key: str, number: int
) -> list[dict[str, Any]]:
    """List the comments on a draft you may see, oldest first."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    keys = _Keys(visible(access.viewer, Actor, access.process))
    return [comment_data(row, keys.actors) for row in comments_visible(access, version)]


@router.post(VERSION + "/comments", response={201: CommentOut, **WRITE_ERRORS})
def add_version_comment(
    request: HttpRequest, slug: str, key: str, number: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    """Comment on a draft or one of its clauses: for your party, or a note of the team."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    row = _clause_named(version, "clause", payload.clause) if payload.clause else None
    party = None
    if payload.party is not None or not access.can_manage:
        party = _party(access, payload.party)
    comment = actions.add_comment(access=access, version=version, body=payload.body,
                                  kind=payload.kind, clause=row, party=party)  # fmt: skip
    keys = {party.pk: party.key} if party is not None else {}
    return Status(201, comment_data(comment, keys))


@router.post(VERSION + "/review", response={200: ReviewOut, **WRITE_ERRORS})
def mark_version_reviewed(
    request: HttpRequest, slug: str, key: str, number: int, payload: ReviewIn | None = None
) -> dict[str, Any]:
    """Mark a draft as reviewed by your party: your next diff starts from it."""
    access = access_text(request.user, slug, key)
    version = access_version(access, number)
    party = _party(access, payload.party if payload is not None else None)
    review = actions.mark_reviewed(access=access, version=version, party=party)
    return {"party": party.key, "version": version.number, "reviewed_at": review.reviewed_at}


# Diffs -----------------------------------------------------------------------------------------


@router.get(
    TEXT + "/diff", response={200: DiffOut, **READ_ERRORS, 422: Errors}, auth=None, by_alias=True
)
def diff_text_versions(
    request: HttpRequest,
    slug: str,
    key: str,
    old: Annotated[int | None, Query(alias="from", description=FROM_DEFAULT)] = None,
    new: Annotated[int | None, Query(alias="to", description=TO_DEFAULT)] = None,
) -> dict[str, Any]:
    """What changed between two drafts you may read: per clause (by key) and word by word."""
    access = access_text(request.user, slug, key)
    newer = access_version(access, new) if new is not None else _latest(access)
    older = access_version(access, old) if old is not None else _before(access, newer)
    changes = diff_versions(older, newer)
    return {
        "from": older.number,
        "to": newer.number,
        "counts": {str(kind): count for kind, count in changes.counts().items()},
        "changes": [change_data(change) for change in changes.changes],
    }


def _latest(access: TextAccess) -> TextVersion:
    version = versions_visible(access).last()
    if version is None:
        raise NotFound("version")
    return version


def _before(access: TextAccess, newer: TextVersion) -> TextVersion:
    """Return the draft the viewer's party last reviewed, else the one before *newer*."""
    own = list(visible(access.viewer, Actor, access.process).filter(pk__in=access.viewer.party_ids))
    review = last_review(access, own[0]) if len(own) == 1 else None
    if review is not None and review.version.number < newer.number:
        return access_version(access, review.version.number)
    earlier = versions_visible(access).filter(number__lt=newer.number).last()
    return earlier or newer


# Amendments ------------------------------------------------------------------------------------


@router.get(TEXT + "/amendments", response={200: list[AmendmentOut], **READ_ERRORS}, auth=None)
def list_text_amendments(request: HttpRequest, slug: str, key: str) -> list[dict[str, Any]]:
    """List the amendments you may see, in the order they were tabled."""
    access = access_text(request.user, slug, key)
    names = _Names(access)
    return [amendment_data(row, names) for row in amendments_visible(access)]


@router.post(TEXT + "/amendments", response={201: AmendmentOut, **WRITE_ERRORS})
def propose_text_amendment(
    request: HttpRequest, slug: str, key: str, payload: AmendmentIn
) -> Status[dict[str, Any]]:
    """Table an amendment to the current draft: the team's, or your party's (its delegate,
    when the text is open to amendments); coded by its proposer, "PA-2"."""
    access = access_text(request.user, slug, key)
    party = None
    if payload.party is not None or not access.can_manage:
        party = _party(access, payload.party)
    amendment = actions.propose_amendment(
        access=access, clause_key=payload.clause, op=payload.op,
        proposed_text=payload.proposed_text, rationale=payload.rationale, party=party,
        visibility=payload.visibility,
    )  # fmt: skip
    return Status(201, amendment_data(amendment, _Names(access)))


@router.patch(TEXT + "/amendments/{code}", response={200: AmendmentOut, **WRITE_ERRORS})
def decide_text_amendment(
    request: HttpRequest, slug: str, key: str, code: str, payload: DecisionIn
) -> dict[str, Any]:
    """Record the mediator's decision (adopted, rejected, referred, postponed, dropped) and the
    session it was taken in; an adopted amendment is written into the open working draft."""
    access = access_text(request.user, slug, key)
    amendment = amendments_visible(access).filter(code=code).first()
    if amendment is None:
        raise NotFound("amendment")
    access.require_manage()
    session = None
    if payload.session is not None:
        session = _named(access, Session, "session", payload.session)
    decided = actions.decide_amendment(access=access, amendment=amendment, status=payload.status,
                                       session=session, note=payload.note)  # fmt: skip
    return amendment_data(decided, _Names(access))


# Statements and the clauses citing them --------------------------------------------------------


@statements_router.get(
    "/conversations/{slug}/statements/{number}/clauses",
    response={200: list[CitingClauseOut], **READ_ERRORS},
    auth=None,
)
def list_statement_clauses(request: HttpRequest, slug: str, number: int) -> list[dict[str, Any]]:
    """List the clauses, in drafts you may read, that cite a consultation statement."""
    conversation = access_conversation(request.user, slug)
    statement = statement_by_number(conversation, number)
    process = conversation.conversation.process
    return [
        {
            "process": process.slug if process else "",
            "text": row.text.key,
            "text_title": row.text.title,
            "version": row.version.number,
            "version_label": row.version.display_label,
            "clause": row.clause.key,
            "number": row.clause.number,
            "heading": row.clause.heading,
        }
        for row in clauses_citing(request.user, statement)
    ]


# Looking up what a request names ---------------------------------------------------------------


def _parsed(source: str) -> TextDoc:
    """Return *source* read in the bracket format; a problem is a 422 naming line and column."""
    try:
        return bracket_format.parse_text(source, name="source")
    except bracket_format.TextFormatError as error:
        messages = [f"Line {p.line}, column {p.column}: {p.message}" for p in error.problems]
        raise InvalidInput({"source": messages}) from None


def _actors(access: TextAccess, field: str, keys: list[str] | None, default: Any) -> list[Actor]:
    """Return the actors *keys* names (the viewer's to see); None: *default*."""
    if keys is None:
        return list(default)
    return [_named(access, Actor, field, key) for key in keys]


def _party(access: TextAccess, key: str | None) -> Actor:
    """Return the party a body names, or the caller's only party when it names none."""
    if key is None:
        return party_of(access, None)
    return _named(access, Actor, "party", key)


def _named(access: TextAccess, model: type[R], field: str, key: str) -> R:
    """Return row *key* of *model* the caller may read; else a 422 on *field*."""
    return cast(R, row_by_key(access.viewer, access.process, model, field, key))


def _clause_named(version: TextVersion, field: str, key: str) -> Clause:
    try:
        return access_clause(version, key)
    except NotFound:
        raise InvalidInput({field: [f"No clause {key!r} in {version.display_label}."]}) from None


def _option_named(clause: Clause, label: str) -> Option:
    option = Option.objects.filter(clause=clause, label=label).first()
    if option is None:
        raise InvalidInput({"option": ["No such alternative in this clause."]})
    return option


def _with_options(clause: Clause) -> Clause:
    """Return *clause* afresh with its options in order, its draft and its parent."""
    options = Prefetch("options", queryset=Option.objects.order_by("order"))
    rows = Clause.objects.select_related("version__text", "parent").prefetch_related(options)
    return rows.get(pk=clause.pk)


def _lookup(found: Mapping[int, T], pk: int | None) -> T | None:
    """Return what *found* holds for row *pk*: None for no row, or a row the viewer may not see."""
    return None if pk is None else found.get(pk)


def _reading_order(position: ClausePosition) -> tuple[int, int]:
    return (position.clause.order, position.pk)


class _Keys:
    """The keys of the actors a viewer may see, by primary key."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors: dict[int, str] = {actor.pk: actor.key for actor in actors}

    def of(self, ids: Iterable[int]) -> list[str]:
        return [self.actors[pk] for pk in ids if pk in self.actors]


class _Names:
    """What an amendment may name for the viewer: actors, sessions and drafts it may see."""

    def __init__(self, access: TextAccess) -> None:
        viewer, process = access.viewer, access.process
        self.actors = dict(visible(viewer, Actor, process).values_list("pk", "key"))
        self.sessions = dict(visible(viewer, Session, process).values_list("pk", "key"))
        self.versions = dict(versions_visible(access).values_list("pk", "number"))


# Response data ---------------------------------------------------------------------------------


def text_data(access: TextAccess, keys: _Keys) -> dict[str, Any]:
    text = access.text
    versions = list(versions_visible(access))
    circulated = [v.number for v in versions if not v.is_working]
    working = [v.number for v in versions if v.is_working and access.can_manage]
    return {
        "key": text.key,
        "title": text.title,
        "kind": text.kind,
        "drafting_mode": text.drafting_mode,
        "description": text.description,
        "visibility": text.visibility,
        "parties": keys.of(text.parties.order_by("name").values_list("pk", flat=True)),
        "refraining": keys.of(text.refraining.order_by("name").values_list("pk", flat=True)),
        "current": circulated[-1] if circulated else None,
        "working_draft": working[0] if working else None,
        "can_manage": access.can_manage,
    }


def text_detail(access: TextAccess) -> dict[str, Any]:
    data = text_data(access, _Keys(visible(access.viewer, Actor, access.process)))
    versions = list(versions_visible(access))
    numbers = {version.pk: version.number for version in versions}
    return {**data, "versions": [version_data(access, v, numbers) for v in versions]}


def version_data(
    access: TextAccess, version: TextVersion, numbers: Mapping[int, int]
) -> dict[str, Any]:
    """Return a draft; *numbers* are the drafts the viewer may read (pk -> number)."""
    return {
        "number": version.number,
        "label": version.display_label,
        "state": version.state,
        "visibility": version.visibility,
        "note": version.note,
        "circulated_at": version.circulated_at,
        "fingerprint": version.fingerprint,
        "based_on": numbers.get(version.based_on_id) if version.based_on_id else None,
        # Mediation-team data: who blocked what, with their reasons.
        "closing_results": version.closing_results if access.can_manage else None,
    }


def version_detail(access: TextAccess, version: TextVersion) -> dict[str, Any]:
    numbers = dict(versions_visible(access).values_list("pk", "number"))
    clauses = clauses_of(version)
    cited = citations(access, clauses)
    keys = {clause.pk: clause.key for clause in clauses}
    return {
        **version_data(access, version, numbers),
        "clauses": [_clause_fields(c, keys, cited.get(c.pk, [])) for c in clauses],
    }


def clause_data(access: TextAccess, clause: Clause) -> dict[str, Any]:
    parent = {clause.parent.pk: clause.parent.key} if clause.parent else {}
    cited = citations(access, [clause]).get(clause.pk, [])
    return _clause_fields(clause, parent, cited)


def _clause_fields(
    clause: Clause, keys: Mapping[int, str], cited: list[CitedStatement]
) -> dict[str, Any]:
    return {
        "key": clause.key,
        "number": clause.number,
        "heading": clause.heading,
        "body": clause.body,
        "depth": clause.depth,
        "parent": _lookup(keys, clause.parent_id),
        "status": clause.status,
        "revision": clause.revision,
        "options": [
            {"label": o.label, "bracket": o.bracket, "text": o.text, "is_omit": o.is_omit}
            for o in clause.options.all()
        ],
        "citations": [
            {
                "conversation": c.conversation_slug,
                "statement": c.statement.number,
                "text": c.statement.text,
                "status": c.status,
            }
            for c in cited
        ],
    }


def clause_detail(access: TextAccess, clause: Clause) -> dict[str, Any]:
    names = _Names(access)
    version = clause.version
    positions = latest_positions(version, access.viewer, clause=clause)
    comments = comments_visible(access, version, clause)
    amendments = amendments_visible(access).filter(clause_key=clause.key)
    return {
        **clause_data(access, clause),
        "positions": [position_data(p, names.actors) for p in positions],
        "comments": [comment_data(c, names.actors) for c in comments],
        "amendments": [amendment_data(a, names) for a in amendments],
    }


def position_data(position: ClausePosition, actors: Mapping[int, str | None]) -> dict[str, Any]:
    return {
        "key": position.key,
        "clause": position.clause.key,
        "option": position.option.label if position.option else None,
        "party": _lookup(actors, position.party_id),
        "stance": position.stance,
        "reason": position.reason,
        "reservation": position.reservation,
        "counter_wording": position.counter_wording,
        "rank": position.rank,
        "advisory": position.is_advisory,
        "created_at": position.created_at,
    }


def comment_data(comment: Comment, actors: Mapping[int, str]) -> dict[str, Any]:
    return {
        "key": comment.key,
        "kind": comment.kind,
        "body": comment.body,
        "clause": comment.clause.key if comment.clause else None,
        "party": _lookup(actors, comment.party_id),
        "visibility": comment.visibility,
        "created_at": comment.created_at,
    }


def amendment_data(amendment: Amendment, names: _Names) -> dict[str, Any]:
    """Return an amendment; a party, session or draft the viewer may not see reads as null."""
    return {
        "code": amendment.code,
        "clause": amendment.clause_key,
        "op": amendment.op,
        "proposed_text": amendment.proposed_text,
        "rationale": amendment.rationale,
        "proposer": _lookup(names.actors, amendment.proposer_id),
        "version": names.versions.get(amendment.version_id),
        "status": amendment.status,
        "decided_in": _lookup(names.sessions, amendment.decided_in_id),
        "decided_at": amendment.decided_at,
        "decision_note": amendment.decision_note,
        "applied_to": _lookup(names.versions, amendment.applied_to_id),
        "visibility": amendment.visibility,
    }


# The board -------------------------------------------------------------------------------------


def board_data(state: Board) -> dict[str, Any]:
    """Return the board: only the cells the viewer sees, results only when it sees them all."""
    parties = {column.pk: column.key or None for column in state.parties}
    document = state.result
    return {
        "version": state.version.number,
        "label": state.version.display_label,
        "complete": state.complete,
        "parties": [_party_column(column, state) for column in state.parties],
        "rows": [_board_row(row, parties) for row in state.rows],
        "result": None if document is None else {
            "status": str(document.status), "rule": document.rule,
            "acceptability": document.acceptability,
            "bottlenecks": sorted(document.bottlenecks),
            "can_sign": [parties.get(pk) for pk in sorted(document.can_sign)],
            "blockers": {_party_name(parties, pk): sorted(clauses)
                         for pk, clauses in document.blockers.items()},
        },
    }  # fmt: skip


def _party_column(column: PartyColumn, state: Board) -> dict[str, Any]:
    shown = any(cell.shown for row in state.rows for cell in row.cells if cell.party == column)
    return {"key": column.key or None, "name": column.name, "shown": shown or state.complete}


def _party_name(parties: Mapping[int, str | None], pk: int) -> str:
    return parties.get(pk) or "a party"


def _board_row(row: BoardRow, parties: Mapping[int, str | None]) -> dict[str, Any]:
    labels = {option.pk: option.label for option in row.clause.options.all()}
    return {
        "clause": row.clause.key,
        "number": row.clause.number,
        "heading": row.clause.heading,
        "cells": [
            {
                "party": cell.party.key or None,
                "stance": cell.stance,
                "reason": cell.position.reason if cell.position else "",
                "reservation": cell.position.reservation if cell.position else "",
                "counter_wording": cell.position.counter_wording if cell.position else "",
            }
            for cell in row.cells
            if cell.shown
        ],
        "options": [
            {
                "label": labels[option_id],
                "ratings": [
                    {"party": parties.get(p.party_id or 0), "stance": p.stance, "rank": p.rank}
                    for p in ratings
                ],
            }
            for option_id, ratings in row.options.items()
            if option_id in labels
        ],
        "advisory": [
            {
                "party": parties.get(p.party_id),
                "option": labels.get(p.option_id) if p.option_id is not None else None,
                "stance": p.stance,
                "reason": p.reason,
                "reservation": p.reservation,
            }
            for p in row.advisory
        ],
        "result": None if row.result is None else _clause_result(row.result, parties),
    }


def _clause_result(result: ClauseResult, parties: Mapping[int, str | None]) -> dict[str, Any]:
    a = result.assessment

    def by_party(reasons: Mapping[int, str]) -> dict[str, str]:
        return {_party_name(parties, pk): reason for pk, reason in reasons.items()}

    return {
        "status": str(a.status),
        "rule": a.rule,
        "acceptability": a.acceptability,
        "blocking": by_party(a.blocking),
        "reservations": by_party(a.reservations),
        "pending": [parties.get(pk) for pk in sorted(a.pending)],
        "stood_aside": [parties.get(pk) for pk in sorted(a.stood_aside)],
        "brackets": [_bracket(b, parties) for b in result.brackets],
    }


def _bracket(bracket: BracketResult, parties: Mapping[int, str | None]) -> dict[str, Any]:
    choice = bracket.choice
    return {
        "bracket": bracket.bracket,
        "labels": list(bracket.labels),
        "waiting": [parties.get(pk) for pk in sorted(bracket.waiting)],
        "choice": None if choice is None else {
            "status": str(choice.status), "chosen": choice.chosen,
            "tied": sorted(choice.tied), "least_blocked": sorted(choice.least_blocked),
            "decided_by": str(choice.decided_by), "rule": choice.rule,
            "blocking": {option: {_party_name(parties, pk): reason for pk, reason in by.items()}
                         for option, by in choice.blocking.items()},
        },
    }  # fmt: skip


# Diffs -----------------------------------------------------------------------------------------


def change_data(change: ClauseChange) -> dict[str, Any]:
    return {
        "key": change.key,
        "kind": str(change.kind),
        "old": _brief(change.old),
        "new": _brief(change.new),
        "heading": _ops(change.heading),
        "body": _ops(change.body),
        "number_changed": change.number_changed,
        "status_changed": change.status_changed,
    }


def _brief(clause: ClauseDoc | None) -> dict[str, Any] | None:
    if clause is None:
        return None
    return {"number": clause.number, "heading": clause.heading, "body": clause.body,
            "depth": clause.depth, "status": str(clause.status)}  # fmt: skip


def _ops(ops: tuple[WordOp, ...]) -> list[dict[str, str]]:
    return [{"tag": op.tag, "text": op.text} for op in ops]
