"""Negotiating-text pages: read a draft, see the board, record positions, edit, diff, amend.

Every page works without JavaScript: forms post, then redirect. Views stay thin: they read the
form, call ``parley.texts.access`` (the one door), ``parley.texts.queries`` or
``parley.texts.actions``, and render. Drawing is done by ``parley.web.text_board`` (the clause x
party board) and ``parley.web.text_reader`` (brackets and diffs). A save that started from an
older revision of a clause (``Conflict``) re-renders the edit form with HTTP 409, showing the
user's text beside the current one, so nothing typed is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.consultation.access import access_conversation
from parley.consultation.queries import (
    conversations_visible_to,
    latest_snapshot,
    statement_by_number,
)
from parley.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from parley.core.visibility import Viewer, Visibility
from parley.processes.models import Actor, Process, Session
from parley.processes.permissions import can, require, visible
from parley.processes.roles import Permission
from parley.texts import actions, queries
from parley.texts import docx as text_docx
from parley.texts import format as text_format
from parley.texts.access import (
    TextAccess,
    access_clause,
    access_process,
    access_text,
    access_version,
    parties_visible,
    party_of,
    versions_visible,
)
from parley.texts.diffing import TextDiff
from parley.texts.document import TextDoc
from parley.texts.exports import FORMATS, export_version
from parley.texts.models import (
    STANCE_CHOICES,
    Amendment,
    Clause,
    ClausePosition,
    Comment,
    NegotiatingText,
    Option,
    TextVersion,
)
from parley.web.errors import answers_errors
from parley.web.forms import bound, form_class, new_values, show_action_errors, submit
from parley.web.text_board import STANCES, BoardView, board_view
from parley.web.text_reader import ChangeView, change_view, drafting_legend, render_body
from parley.web.views.common import Fieldset
from parley.web.views.consultations import STATUS_LABELS

TEXT_FIELDS = ("title", "key", "kind", "drafting_mode", "description", "visibility")
CLAUSE_FIELDS = ("number", "heading", "body", "status")
MAX_UPLOAD_BYTES = 20 * 2**20
UPLOAD_HELP = "A .md file in the bracket format, or a .docx file written in Word."
# A draft goes to the parties: never circulated to the mediation team or its lead alone.
CIRCULATION_LEVELS = [
    (level.value, level.label) for level in Visibility if level.rank < Visibility.MEDIATION.rank
]
DECISION_CHOICES = [
    (status.value, status.label) for status in Amendment.Status if status in actions.DECISIONS
]
OPEN_FOR_DECISION = {
    Amendment.Status.PROPOSED, Amendment.Status.REFERRED, Amendment.Status.POSTPONED,
}  # fmt: skip


# What every text page shares ------------------------------------------------------------------


def _basics(access: TextAccess, **more: Any) -> dict[str, Any]:
    """Return what every page of a text needs: the process, the text, who looks."""
    return {
        "process": access.process,
        "text": access.text,
        "viewer": access.viewer,
        "can_manage": access.can_manage,
        "actor_names": _names(access.viewer, access.process),
        **more,
    }


def _names(viewer: Viewer, process: Process) -> dict[int, str]:
    """Return the names of the actors the viewer may read, by id."""
    return dict(visible(viewer, Actor, process).values_list("pk", "name"))


def _version_url(access: TextAccess, version: TextVersion) -> str:
    return reverse("web:text-version", args=[access.process.slug, access.text.key, version.number])


def _clause_url(access: TextAccess, version: TextVersion, key: str) -> str:
    return f"{_version_url(access, version)}clauses/{key}/"


def _label(clause: Clause) -> str:
    return " ".join(part for part in (clause.number, clause.heading) if part) or clause.key


def _bound(cls: type[forms.Form], request: HttpRequest, initial: dict[str, Any]) -> forms.Form:
    """Return the form bound to a POST and its files, or unbound with *initial* for a GET."""
    if request.method == "POST":
        return cls(request.POST, request.FILES, initial=initial)
    return cls(initial=initial)


def _render_form(
    request: HttpRequest,
    form: forms.Form,
    context: dict[str, Any],
    *,
    title: str,
    submit_label: str,
    back: str,
    groups: Iterable[Fieldset] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the texts' form template (the one form template, able to upload files)."""
    page = {
        **context,
        "form": form,
        "fieldsets": list(groups) if groups is not None else [Fieldset("", list(form))],
        "title": title,
        "submit": submit_label,
        "back": back,
    }
    return render(request, "web/texts/form.html", page, status=status)


def _text_area(**attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"dir": "auto", "rows": 4, **attrs})


# Uploads --------------------------------------------------------------------------------------


def read_upload(upload: UploadedFile[Any] | None, source: str = "", field: str = "file") -> TextDoc:
    """Return the draft an uploaded .md/.docx file (or pasted bracket text) holds.

    Every problem is reported on *field* with its line and column (a Word paragraph for
    .docx), as InvalidInput: nothing is written.
    """
    if upload is None:
        if not source.strip():
            raise InvalidInput({field: ["Upload a file or paste the text."]})
        return _parse(lambda: text_format.parse_text(source, name="pasted text"), field, "Line")
    name = upload.name or "upload"
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        # python-docx reads a whole file into memory: refuse a huge one before reading it.
        raise InvalidInput({field: [f"{name} is larger than {MAX_UPLOAD_BYTES // 2**20} MB."]})
    data = upload.read()
    if name.lower().endswith(".docx"):
        return _parse(lambda: text_docx.read_docx(data, name=name), field, "Paragraph")
    if not name.lower().endswith((".md", ".txt", ".markdown")):
        raise InvalidInput({field: [f"{name}: {UPLOAD_HELP}"]})
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput({field: [f"{name} is not UTF-8 text."]}) from None
    return _parse(lambda: text_format.parse_text(source, name=name), field, "Line")


def _parse(read: Any, field: str, unit: str) -> TextDoc:
    try:
        doc: TextDoc = read()
    except text_format.TextFormatError as error:
        problems = [
            f"{unit} {p.line}, column {p.column}: {p.message}" if p.line else p.message
            for p in error.problems
        ]
        raise InvalidInput({field: problems}) from None
    return doc


# The list of texts and a new text -------------------------------------------------------------


@require_safe
@answers_errors
def text_list(request: HttpRequest, slug: str) -> HttpResponse:
    """List the process's negotiating texts the viewer may read."""
    process, viewer = access_process(request.user, slug)
    context = {
        "process": process,
        "viewer": viewer,
        "texts": list(queries.texts_visible(viewer, process)),
        "can_manage": can(viewer, Permission.MANAGE_RECORD),
        "actor_names": _names(viewer, process),
    }
    return render(request, "web/texts/list.html", context)


def text_form_class() -> type[forms.Form]:
    """Return the form opening a text, with an optional first draft to upload."""
    extra = {
        "file": forms.FileField(
            required=False, label="First draft (optional)",
            help_text=f"{UPLOAD_HELP} Leave empty to start with an empty draft.",
        )
    }  # fmt: skip
    cls: type[forms.Form] = type("TextForm", (form_class(NegotiatingText, TEXT_FIELDS),), extra)
    cls.base_fields["title"].required = False  # it may come from the uploaded file
    cls.base_fields["title"].help_text = "Leave empty to take the uploaded file's title."
    return cls


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def text_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a negotiating text (mediation team), optionally from a file as its first draft."""
    process, viewer = access_process(request.user, slug)
    require(viewer, Permission.MANAGE_RECORD)
    form = _bound(text_form_class(), request, {"visibility": Visibility.PROCESS.value})

    def create() -> NegotiatingText:
        data = new_values(form)
        upload = data.pop("file", None)
        doc = read_upload(upload) if upload is not None else None
        if doc is not None and not data.get("title"):
            data["title"] = doc.title
        return actions.create_text(
            user=request.user, process=process, viewer=viewer, data=data, doc=doc
        )

    text = submit(request, form, create)
    if text is not None:
        messages.success(request, "Text opened: its first working draft is ready to edit.")
        return redirect("web:text", process.slug, text.key)
    back = reverse("web:texts", args=[process.slug])
    context = {"process": process, "viewer": viewer}
    return _render_form(request, form, context, title="Open a negotiating text",
                        submit_label="Open text", back=back)  # fmt: skip


# A text and its drafts ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    party: Actor
    reviewed: TextVersion | None


@require_safe
@answers_errors
def text_detail(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """Show a text: its drafts the viewer may read, and where the viewer's party is."""
    access = access_text(request.user, slug, text)
    versions = list(versions_visible(access))
    circulated = [v for v in versions if not v.is_working]
    reviews = []
    for party in _own_parties(access):
        review = queries.last_review(access, party)
        reviews.append(ReviewLine(party, review.version if review else None))
    context = _basics(
        access,
        versions=versions,
        working=next((v for v in versions if v.is_working), None),
        latest=circulated[-1] if circulated else None,
        previous=circulated[-2] if len(circulated) > 1 else None,
        reviews=reviews,
        may_propose=bool(circulated) and _may_propose(access),
    )
    return render(request, "web/texts/overview.html", context)


@dataclass(frozen=True)
class ClauseRow:
    clause: Clause
    label: str
    body: Any
    citations: list[tuple[queries.CitedStatement, str]]
    indent: int


@require_safe
@answers_errors
def version_detail(request: HttpRequest, slug: str, text: str, number: int) -> HttpResponse:
    """Read one draft: each clause with its brackets labelled, its status and its citations."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    clauses = queries.clauses_of(version, options=False)
    cited = queries.citations(access, clauses)
    rows = [
        ClauseRow(c, _label(c), render_body(c.body, c.status), _cited(cited.get(c.pk, [])),
                  c.depth - 1)
        for c in clauses
    ]  # fmt: skip
    own = _own_parties(access)
    is_current = _is_current(access, version)
    context = _basics(
        access,
        version=version,
        rows=rows,
        legend=drafting_legend(),
        is_current=is_current,
        may_position=is_current and (access.can_manage or bool(own)),
        review_parties=[] if version.is_working else own,
        exports=list(FORMATS),
        # One prefix rather than three reversed URLs per clause: 1,500 reversals on 500 clauses.
        clauses_url=f"{_version_url(access, version)}clauses/",
    )
    return render(request, "web/texts/reader.html", context)


def _cited(found: list[queries.CitedStatement]) -> list[tuple[queries.CitedStatement, str]]:
    """Return each cited statement with its bridging status in words."""
    return [(c, STATUS_LABELS.get(c.status, c.status.replace("_", " "))) for c in found]


def _is_current(access: TextAccess, version: TextVersion) -> bool:
    """Return whether *version* takes positions: the latest circulated draft."""
    latest = queries.latest_circulated(access.text)
    return latest is not None and latest.pk == version.pk


def _own_parties(access: TextAccess) -> list[Actor]:
    return [p for p in parties_visible(access) if access.is_member_of(p)]


@require_safe
@answers_errors
def version_board(request: HttpRequest, slug: str, text: str, number: int) -> HttpResponse:
    """Show the clause x party board of a draft, as far as the viewer may see positions."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    view = _board_view(access, version, f"{_version_url(access, version)}clauses/")
    context = _basics(access, version=version, view=view)
    return render(request, "web/texts/board.html", context)


BOARD_SECONDS = 24 * 3600


def _board_view(access: TextAccess, version: TextVersion, clause_prefix: str) -> BoardView:
    """Return the drawn board, from the cache while nothing it shows has changed.

    Drawing 500 clauses x 20 parties takes about half a second; the key (queries.board_key)
    changes with every new position, so a cached board is never stale.
    """
    key = queries.board_key(access, version)
    if key is None:
        return board_view(queries.board(access, version), clause_prefix)
    prefix = hashlib.sha256(clause_prefix.encode()).hexdigest()[:16]
    cache_key = f"text-board:{key}:{prefix}"
    found: BoardView | None = cache.get(cache_key)
    if found is None:
        found = board_view(queries.board(access, version), clause_prefix)
        cache.set(cache_key, found, BOARD_SECONDS)
    return found


# One clause -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionLine:
    position: ClausePosition
    party: str
    stance: str
    option: str


@require_safe
@answers_errors
def clause_detail(
    request: HttpRequest, slug: str, text: str, number: int, clause: str
) -> HttpResponse:
    """Show one clause: its alternatives, the positions, comments, citations and amendments
    the viewer may see."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    row = access_clause(version, clause)
    names = _names(access.viewer, access.process)
    lines = [
        _position_line(p, names)
        for p in queries.latest_positions(version, access.viewer, clause=row)
    ]
    context = _basics(
        access,
        version=version,
        clause=row,
        label=_label(row),
        body=render_body(row.body, row.status),
        options=list(row.options.order_by("order")),
        positions=[line for line in lines if not line.position.is_advisory],
        advisory=[line for line in lines if line.position.is_advisory],
        comments=list(queries.comments_visible(access, version, row)),
        citations=_cited(queries.citations(access, [row]).get(row.pk, [])),
        amendments=_amendments_on(access, row, names),
        is_current=_is_current(access, version),
        may_comment=access.can_manage or bool(_own_parties(access)),
        comment_kinds=Comment.Kind.choices,
        own_parties=_own_parties(access),
        conversations=_conversations(access) if access.can_manage and version.is_working else [],
    )
    return render(request, "web/texts/clause.html", context)


def _amendments_on(access: TextAccess, clause: Clause, names: dict[int, str]) -> list[Any]:
    rows = list(queries.amendments_visible(access).filter(clause_key=clause.key))
    seen = {s.pk for s in _sessions(access)} if any(a.decided_in_id for a in rows) else set()
    return [_amendment_line(a, access, names, seen) for a in rows]


def _position_line(position: ClausePosition, names: dict[int, str]) -> PositionLine:
    return PositionLine(
        position=position,
        party=names.get(position.party_id or 0, "A party"),
        stance=STANCES.get(position.stance, STANCES["pending"])[3],
        option=position.option.label if position.option else "",
    )


def _conversations(access: TextAccess) -> list[Any]:
    return [found.conversation for found in conversations_visible_to(access.user, access.process)]


# Positions ------------------------------------------------------------------------------------


def position_form_class(options: list[Option], parties: list[Actor]) -> type[forms.Form]:
    """Return the position form: the clause stance, the notes, one rating per alternative."""
    fields: dict[str, forms.Field] = {}
    if len(parties) > 1:
        fields["party"] = forms.ChoiceField(
            choices=[(p.key, p.name) for p in parties], label="Party"
        )
    stances = [("", "No position on the clause itself"), *STANCE_CHOICES]
    fields["stance"] = forms.ChoiceField(
        choices=stances, required=False, widget=forms.RadioSelect,
        label="Position on the clause",
    )  # fmt: skip
    fields["reason"] = forms.CharField(
        required=False, widget=_text_area(), label="Reason",
        help_text="Required when you reject the clause or an alternative, so it can be answered.",
    )  # fmt: skip
    fields["reservation"] = forms.CharField(
        required=False, widget=_text_area(), label="Reservation",
        help_text="What “can live with it” is subject to.",
    )  # fmt: skip
    fields["counter_wording"] = forms.CharField(
        required=False, widget=_text_area(), label="Wording your party could accept"
    )
    ratings = [("", "—"), *STANCE_CHOICES]
    for option in options:
        wording = option.text or ("leave the whole clause out" if option.bracket == 0 else
                                  "leave these words out")  # fmt: skip
        fields[f"rating-{option.label}"] = forms.ChoiceField(
            choices=ratings, required=False, label=f"{option.label} — “{wording}”",
            label_suffix="",
        )  # fmt: skip
        fields[f"rank-{option.label}"] = forms.IntegerField(
            required=False, min_value=1, label=f"Rank of {option.label} (1 = preferred)"
        )
    return type("PositionForm", (forms.Form,), fields)


def _acting_parties(access: TextAccess) -> list[Actor]:
    """Return the parties the user may speak for here: any for the team, else their own."""
    if access.can_manage:
        return parties_visible(access)
    return _own_parties(access) or [party_of(access, None)]


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def clause_position(
    request: HttpRequest, slug: str, text: str, number: int, clause: str
) -> HttpResponse:
    """Record a party's position on a clause and its alternatives (a member's is advisory)."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    row = access_clause(version, clause)
    parties = _acting_parties(access)
    options = list(row.options.order_by("order"))
    form = bound(position_form_class(options, parties), request, {})

    def save() -> tuple[Actor, list[ClausePosition]]:
        # A party named in the post is honoured, never swapped for the user's own: the action
        # refuses a party the user does not speak for.
        key = form.cleaned_data.get("party") or request.POST.get("party") or None
        party = party_of(access, key) if key else parties[0]
        return party, _record(access, row, party, options, form.cleaned_data)

    saved = submit(request, form, save)
    if saved is not None:
        party, written = saved
        messages.success(request, _recorded(party, row, written))
        return redirect(_clause_url(access, version, row.key))
    context = _basics(
        access, version=version, clause=row, label=_label(row),
        body=render_body(row.body, row.status), is_current=_is_current(access, version),
        current=queries.latest_circulated(access.text), form=form,
        party=parties[0] if len(parties) == 1 else None,
        advisory=len(parties) == 1 and not access.speaks_for(parties[0]),
        rating_rows=[(o, form[f"rating-{o.label}"], form[f"rank-{o.label}"]) for o in options],
    )  # fmt: skip
    return render(request, "web/texts/position.html", context)


def _record(
    access: TextAccess, clause: Clause, party: Actor, options: list[Option], data: dict[str, Any]
) -> list[ClausePosition]:
    """Record the clause stance and each rated alternative, all or nothing."""
    written = []
    with transaction.atomic():
        if data.get("stance"):
            written.append(actions.record_position(
                access=access, clause=clause, party=party, stance=data["stance"],
                reason=data["reason"], reservation=data["reservation"],
                counter_wording=data["counter_wording"],
            ))  # fmt: skip
        for option in options:
            stance = data.get(f"rating-{option.label}")
            if not stance:
                continue
            try:
                written.append(actions.record_position(
                    access=access, clause=clause, party=party, stance=stance, option=option,
                    reason=data["reason"] if stance == "reject" else "",
                    reservation=data["reservation"] if stance == "live_with" else "",
                    rank=data.get(f"rank-{option.label}"),
                ))  # fmt: skip
            except InvalidInput as error:
                errors = {f"rating-{option.label}" if k == "stance" else k: v
                          for k, v in error.errors.items()}  # fmt: skip
                raise InvalidInput(errors) from None
    if not written:
        raise InvalidInput({"stance": ["Choose a position on the clause or rate an alternative."]})
    return written


def _recorded(party: Actor, clause: Clause, written: list[ClausePosition]) -> str:
    if written[0].is_advisory:
        return (
            f"Your view on {_label(clause)} is recorded as advisory: {party.name}'s position "
            "is recorded by its authorised delegate."
        )
    return f"{party.name}'s position on {_label(clause)} is recorded."


# Editing the working draft --------------------------------------------------------------------


def clause_form_class(
    with_key: bool = False, after: list[Clause] | None = None
) -> type[forms.Form]:
    """Return the clause form: number, heading, body (bracket syntax) and drafting status."""
    names = (("key",) if with_key else ()) + CLAUSE_FIELDS
    base = form_class(Clause, names)
    extra: dict[str, forms.Field] = {}
    if after is None:
        extra["revision"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    else:
        extra["after"] = forms.ChoiceField(
            required=False, label="Place it after",
            choices=[("", "At the end"), *[(c.key, _label(c)) for c in after]],
        )  # fmt: skip
    cls: type[forms.Form] = type("ClauseForm", (base,), extra)
    body = cls.base_fields["body"]
    body.widget.attrs.update({"rows": 8, "dir": "auto"})
    body.help_text = (
        "Alternatives in square brackets, side by side: “[All foreign fighters] [All foreign "
        "fighters, including Hezbollah,]”. A lone bracket may be struck out. Write \\[ for a "
        "literal bracket."
    )
    return cls


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def clause_edit(
    request: HttpRequest, slug: str, text: str, number: int, clause: str
) -> HttpResponse:
    """Edit a clause of the working draft; a save that crossed another one is a conflict."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    row = access_clause(version, clause)
    access.require_manage()
    actions.require_working(version)
    initial = {**{name: getattr(row, name) for name in CLAUSE_FIELDS}, "revision": row.revision}
    form = bound(clause_form_class(), request, initial)
    context = _basics(access, version=version, clause=row, label=_label(row))
    back = _clause_url(access, version, row.key)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CLAUSE_FIELDS}
        try:
            actions.edit_clause(access=access, clause=row, data=data,
                                revision=form.cleaned_data["revision"])  # fmt: skip
        except InvalidInput as error:
            show_action_errors(form, error)
        except Conflict as conflict:
            return _conflict(request, form, conflict, context, back)
        else:
            messages.success(request, f"{_label(row)} saved.")
            return redirect(f"{_version_url(access, version)}#clause-{row.key}")
    return _render_edit(request, form, context, back)


def _render_edit(
    request: HttpRequest, form: forms.Form, context: dict[str, Any], back: str, status: int = 200
) -> HttpResponse:
    return render(request, "web/texts/edit.html", {**context, "form": form, "back": back},
                  status=status)  # fmt: skip


def _conflict(
    request: HttpRequest,
    form: forms.Form,
    conflict: Conflict,
    context: dict[str, Any],
    back: str,
) -> HttpResponse:
    """Show the user's text beside the one saved meanwhile; their form keeps what they typed
    and now starts from the new revision, so saving again is a deliberate choice."""
    data = request.POST.copy()
    data["revision"] = str(conflict.revision)
    again = type(form)(data)
    again.is_valid()
    fields: list[tuple[str, bool, str, str]] = []
    for name in CLAUSE_FIELDS:
        yours, current = conflict.yours.get(name, ""), conflict.current.get(name, "")
        if name == "body":
            fields.append((name, yours != current, render_body(yours), render_body(current)))
        else:
            fields.append((name, yours != current, yours, current))
    page = {**context, "conflict": conflict, "conflict_fields": fields}
    return _render_edit(request, again, page, back, status=409)


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def clause_create(request: HttpRequest, slug: str, text: str, number: int) -> HttpResponse:
    """Add a clause to the working draft (mediation team)."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    access.require_manage()
    actions.require_working(version)
    clauses = queries.clauses_of(version)
    form = bound(clause_form_class(with_key=True, after=clauses), request, {})

    def add() -> Clause:
        data = new_values(form)
        after_key = data.pop("after", "")
        after = next((c for c in clauses if c.key == after_key), None)
        return actions.add_clause(access=access, version=version, data=data, after=after)

    added = submit(request, form, add)
    if added is not None:
        messages.success(request, f"{_label(added)} added.")
        return redirect(f"{_version_url(access, version)}#clause-{added.key}")
    context = _basics(access, version=version)
    return _render_form(request, form, context, title=f"Add a clause to {version.display_label}",
                        submit_label="Add clause", back=_version_url(access, version))  # fmt: skip


# Comments, citations, reviews -----------------------------------------------------------------


@require_POST
@login_required
@answers_errors
def clause_comment(
    request: HttpRequest, slug: str, text: str, number: int, clause: str
) -> HttpResponse:
    """Add a comment on a clause: a party's (party level) or the team's own note."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    row = access_clause(version, clause)
    kind = request.POST.get("kind") or Comment.Kind.CRITICISM
    if kind not in Comment.Kind.values:
        raise InvalidInput({"kind": [f"Value {kind!r} is not a valid choice."]})
    party = None if access.can_manage else party_of(access, request.POST.get("party") or None)
    actions.add_comment(access=access, version=version, body=request.POST.get("body", ""),
                        kind=kind, clause=row, party=party)  # fmt: skip
    messages.success(request, "Comment added.")
    return redirect(f"{_clause_url(access, version, row.key)}#comments")


@require_POST
@login_required
@answers_errors
def clause_cite(
    request: HttpRequest, slug: str, text: str, number: int, clause: str
) -> HttpResponse:
    """Note that a consultation statement informed a clause of the working draft (team)."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    row = access_clause(version, clause)
    access.require_manage()
    try:
        conversation = access_conversation(request.user, request.POST.get("conversation", ""))
        statement = statement_by_number(conversation, int(request.POST.get("number", "")))
    except (NotFound, ValueError):
        raise InvalidInput(
            {"statement": ["No such statement in this process's consultations."]}
        ) from None
    actions.cite_statement(access=access, clause=row, statement=statement)
    messages.success(request, f"{_label(row)} now cites statement {statement.number}.")
    return redirect(f"{_clause_url(access, version, row.key)}#citations")


@require_POST
@login_required
@answers_errors
def version_reviewed(request: HttpRequest, slug: str, text: str, number: int) -> HttpResponse:
    """Mark a circulated draft as reviewed by the user's party: its changes start from here."""
    access = access_text(request.user, slug, text)
    version = access_version(access, number)
    party = party_of(access, request.POST.get("party") or None)
    actions.mark_reviewed(access=access, version=version, party=party)
    messages.success(request, f"{version.display_label} marked as reviewed for {party.name}.")
    return redirect("web:text-changes", access.process.slug, access.text.key)


# Exports --------------------------------------------------------------------------------------


@require_safe
@answers_errors
def version_export(
    request: HttpRequest, slug: str, text: str, number: int, fmt: str
) -> HttpResponse:
    """Download a draft as .md (bracket format), .docx or .pdf, with its label and fingerprint.

    The .md file is the canonical text itself: its SHA-256 is the fingerprint.
    """
    if fmt not in FORMATS:
        raise NotFound()
    access = access_text(request.user, slug, text)
    exported = export_version(access_version(access, number), fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["X-Parley-Fingerprint"] = exported.fingerprint
    return response


# Diffs ----------------------------------------------------------------------------------------


def _number(value: str | None) -> int | None:
    """Return a draft number from the query string; anything else names no draft."""
    try:
        return int(value or "")
    except ValueError:
        return None


def _changes(diff: TextDiff) -> list[ChangeView]:
    return [change_view(change) for change in diff.changed]


@require_safe
@answers_errors
def text_diff(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """Compare two drafts the viewer may read, inline or side by side."""
    access = access_text(request.user, slug, text)
    versions = list(versions_visible(access))
    view = "side" if request.GET.get("view") == "side" else "inline"
    context = _basics(access, versions=versions, view=view, old=None, new=None, changes=[])
    if len(versions) < 2:
        return render(request, "web/texts/diff.html", context)  # nothing to compare yet
    # A draft the query names that the viewer may not read is left out like a missing one:
    # the page falls back to the latest draft and the one before it.
    by_number = {v.number: v for v in versions}
    new = by_number.get(_number(request.GET.get("to")) or 0) or versions[-1]
    earlier = [v for v in versions if v.number < new.number]
    old = by_number.get(_number(request.GET.get("from")) or 0) or (earlier or [new])[-1]
    context.update(old=old, new=new, changes=_changes(queries.diff_versions(old, new)))
    return render(request, "web/texts/diff.html", context)


@require_safe
@answers_errors
def text_changes(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """Show what changed since the draft the viewer's party last marked reviewed."""
    access = access_text(request.user, slug, text)
    key = request.GET.get("party") or None
    context = _basics(access, party=None, review=None, latest=None, changes=[],
                      parties=parties_visible(access))  # fmt: skip
    if access.can_manage and key is None and not _own_parties(access):
        return render(request, "web/texts/changes.html", context)  # the team picks a party
    party = party_of(access, key)
    review = queries.last_review(access, party)
    circulated = [v for v in versions_visible(access) if not v.is_working]
    latest = circulated[-1] if circulated else None
    context.update(party=party, review=review, latest=latest)
    if review is not None and latest is not None and review.version.number < latest.number:
        context["changes"] = _changes(queries.diff_versions(review.version, latest))
    return render(request, "web/texts/changes.html", context)


# Issuing the next draft -----------------------------------------------------------------------


def circulate_form_class(parties: list[Actor]) -> type[forms.Form]:
    fields = {
        "label": forms.CharField(required=False, max_length=80,
                                 help_text='e.g. "Draft 3" or "Rev.1"; empty: "Draft N".'),
        "visibility": forms.ChoiceField(choices=CIRCULATION_LEVELS, label="Circulate to",
                                        initial=Visibility.PROCESS.value),
        "audience": forms.MultipleChoiceField(
            required=False, choices=[(p.key, p.name) for p in parties],
            widget=forms.CheckboxSelectMultiple,
            help_text="For a subgroup: the parties that receive it.",
        ),
        "note": forms.CharField(required=False, widget=_text_area(), label="Covering note"),
    }  # fmt: skip
    return type("CirculateForm", (forms.Form,), fields)


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def text_draft(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """Issue the next draft (team): start a working draft, then circulate it."""
    access = access_text(request.user, slug, text)
    access.require_manage()
    draft = queries.working_draft(access.text)
    parties = parties_visible(access)
    form = circulate_form_class(parties)(
        request.POST if request.POST.get("action") == "circulate" else None,
        initial={"label": f"Draft {draft.number}" if draft else ""},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            version = actions.start_draft(access=access)
            messages.success(request, f"{version.display_label} opened as the working draft.")
            return redirect(_version_url(access, version))
        if action != "circulate":
            raise InvalidInput({"action": ["Choose start or circulate."]})
        if draft is None:
            raise Forbidden("No working draft is open: start one first.")
        if form.is_valid():
            done = _circulate(access, draft, form, parties)
            if done is not None:
                messages.success(request, f"{done.display_label} circulated.")
                return redirect(_version_url(access, done))
    latest = queries.latest_circulated(access.text)
    context = _basics(access, draft=draft, latest=latest, form=form)
    return render(request, "web/texts/draft.html", context)


def _circulate(
    access: TextAccess, draft: TextVersion, form: forms.Form, parties: list[Actor]
) -> TextVersion | None:
    data = form.cleaned_data
    audience = [p for p in parties if p.key in set(data["audience"])]
    try:
        return actions.circulate(access=access, version=draft, label=data["label"],
                                 visibility=data["visibility"], audience=audience,
                                 note=data["note"])  # fmt: skip
    except InvalidInput as error:
        show_action_errors(form, error)
        return None


class ImportForm(forms.Form):
    file = forms.FileField(required=False, label="Draft file", help_text=UPLOAD_HELP)
    source = forms.CharField(
        required=False, widget=_text_area(rows=12), label="Or paste the text",
        help_text="The bracket format: “# Title”, then “## 1. Heading {#key}” and the body.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def text_import(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """Make an uploaded file (or pasted text) the next working draft (team)."""
    access = access_text(request.user, slug, text)
    access.require_manage()
    form = _bound(ImportForm, request, {})

    def load() -> TextVersion:
        doc = read_upload(form.cleaned_data.get("file"), form.cleaned_data.get("source", ""))
        return actions.import_draft(access=access, doc=doc)

    version = submit(request, form, load)
    if version is not None:
        messages.success(request, f"{version.display_label} imported as the working draft.")
        return redirect(_version_url(access, version))
    draft = queries.working_draft(access.text)
    context = _basics(access, notice=(
        f"{draft.display_label} is open as the working draft: circulate it before importing "
        "the next one." if draft else ""))  # fmt: skip
    back = reverse("web:text", args=[access.process.slug, access.text.key])
    return _render_form(request, form, context, title=f"Import the next draft of {access.text}",
                        submit_label="Import", back=back)  # fmt: skip


# Amendments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmendmentLine:
    amendment: Amendment
    proposer: str
    proposed: Any
    clause_url: str
    session: str
    may_decide: bool


def _amendment_line(
    amendment: Amendment, access: TextAccess, names: dict[int, str], sessions: set[int]
) -> AmendmentLine:
    proposer = (
        "The mediation team"
        if amendment.proposer_id is None
        else names.get(amendment.proposer_id, "A party")
    )
    session = ""
    if amendment.decided_in_id is not None and amendment.decided_in_id in sessions:
        session = amendment.decided_in.title
    return AmendmentLine(
        amendment=amendment,
        proposer=proposer,
        proposed=render_body(amendment.proposed_text) if amendment.proposed_text else "",
        clause_url=_clause_url(access, amendment.version, amendment.clause_key),
        session=session,
        may_decide=access.can_manage and amendment.status in OPEN_FOR_DECISION,
    )


def _sessions(access: TextAccess) -> list[Session]:
    return list(visible(access.viewer, Session, access.process).order_by("held_on", "title"))


@require_safe
@answers_errors
def amendment_list(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """List the amendments the viewer may see, with what the mediator decided on each."""
    access = access_text(request.user, slug, text)
    names = _names(access.viewer, access.process)
    sessions = _sessions(access)
    seen = {s.pk for s in sessions}
    rows = [_amendment_line(a, access, names, seen) for a in queries.amendments_visible(access)]
    context = _basics(
        access,
        rows=rows,
        sessions=sessions if access.can_manage else [],
        decisions=DECISION_CHOICES,
        may_propose=_may_propose(access),
    )
    return render(request, "web/texts/amendments.html", context)


def _proposers(access: TextAccess) -> list[tuple[str, str]]:
    """Return who the user may table an amendment for: "" is the mediation team."""
    choices = [("", "The mediation team")] if access.can_manage else []
    if access.text.drafting_mode == NegotiatingText.DraftingMode.OPEN:
        choices += [(p.key, p.name) for p in parties_visible(access) if access.speaks_for(p)]
    return choices


def _may_propose(access: TextAccess) -> bool:
    return bool(_proposers(access))


def amendment_form_class(
    clauses: list[Clause], proposers: list[tuple[str, str]], team: bool
) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {
        "clause": forms.ChoiceField(choices=[(c.key, _label(c)) for c in clauses],
                                    label="Clause"),
        "op": forms.ChoiceField(choices=Amendment.Op.choices, label="Change",
                                initial=Amendment.Op.REPLACE),
        "proposed_text": forms.CharField(required=False, widget=_text_area(rows=6),
                                         label="Proposed wording",
                                         help_text="The bracket format, as in a clause body."),
        "rationale": forms.CharField(required=False, widget=_text_area(), label="Rationale"),
    }  # fmt: skip
    if len(proposers) > 1:
        fields["proposer"] = forms.ChoiceField(choices=proposers, required=False,
                                               label="Proposed by")  # fmt: skip
    if not team:
        fields["visibility"] = forms.ChoiceField(
            required=False, label="Who may read it",
            choices=[("", "Your party and the mediation team"),
                     (Visibility.PROCESS.value, Visibility.PROCESS.label)],
        )  # fmt: skip
    return type("AmendmentForm", (forms.Form,), fields)


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def amendment_create(request: HttpRequest, slug: str, text: str) -> HttpResponse:
    """Table an amendment to the current draft: the team always, party delegates when the
    text is open to amendments."""
    access = access_text(request.user, slug, text)
    proposers = _proposers(access)
    if not proposers:
        own = [party for party in parties_visible(access) if access.is_member_of(party)]
        actions.check_proposer(access, own[0] if own else None)
    latest = queries.latest_circulated(access.text)
    if latest is None:
        raise Forbidden("Nothing has been circulated yet to amend.")
    version = access_version(access, latest.number)
    clauses = queries.clauses_of(version)
    initial = {"clause": request.GET.get("clause", "")}
    form = bound(amendment_form_class(clauses, proposers, access.can_manage), request, initial)

    def propose() -> Amendment:
        data = form.cleaned_data
        key = data.get("proposer", proposers[0][0]) or None
        party = party_of(access, key) if key else None
        return actions.propose_amendment(
            access=access, clause_key=data["clause"], op=data["op"],
            proposed_text=data["proposed_text"], rationale=data["rationale"], party=party,
            visibility=data.get("visibility") or None,
        )  # fmt: skip

    amendment = submit(request, form, propose)
    if amendment is not None:
        messages.success(request, f"Amendment {amendment.code} tabled.")
        return redirect("web:text-amendments", access.process.slug, access.text.key)
    back = reverse("web:text-amendments", args=[access.process.slug, access.text.key])
    context = _basics(access, version=version)
    return _render_form(request, form, context, title=f"Propose an amendment to {version}",
                        submit_label="Table amendment", back=back)  # fmt: skip


@require_POST
@login_required
@answers_errors
def amendment_decide(request: HttpRequest, slug: str, text: str, code: str) -> HttpResponse:
    """Record the mediator's decision on an amendment, and the session it was taken in."""
    access = access_text(request.user, slug, text)
    amendment = queries.amendments_visible(access).filter(code=code).first()
    if amendment is None:
        raise NotFound("amendment")
    access.require_manage()
    session = None
    if request.POST.get("session"):
        session = (
            visible(access.viewer, Session, access.process)
            .filter(key=request.POST["session"])
            .first()
        )
        if session is None:
            raise InvalidInput({"session": ["No such session in this process."]})
    decided = actions.decide_amendment(
        access=access, amendment=amendment, status=request.POST.get("status", ""),
        session=session, note=request.POST.get("note", "").strip(),
    )  # fmt: skip
    applied = f" and written into {decided.applied_to.display_label}" if decided.applied_to else ""
    messages.success(request, f"{decided.code}: {decided.get_status_display().lower()}{applied}.")
    return redirect("web:text-amendments", access.process.slug, access.text.key)


# A consultation statement and the clauses citing it -------------------------------------------


@require_safe
@answers_errors
def statement_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Show a consultation statement and the clauses, in drafts the viewer may read, citing it."""
    access = access_conversation(request.user, slug)
    statement = statement_by_number(access, number)
    conversation = access.conversation
    slug_of_process = conversation.process.slug if conversation.process else ""
    citing = [
        (row, reverse("web:text-clause", args=[slug_of_process, row.text.key,
                                               row.version.number, row.clause.key]))
        for row in queries.clauses_citing(request.user, statement)
    ]  # fmt: skip
    context = {
        "conversation": conversation,
        "process": conversation.process,
        "can_manage": access.can_manage,
        "can_take_part": access.can_take_part,
        "statement": statement,
        "bridging": _bridging_status(conversation, statement.number),
        "citing": citing,
    }
    return render(request, "web/texts/statement.html", context)


def _bridging_status(conversation: Any, number: int) -> str:
    snapshot = latest_snapshot(conversation)
    for item in snapshot.result.get("bridging", []) if snapshot else []:
        if int(item.get("statement", 0)) == number:
            status = str(item.get("status", ""))
            return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())
    return ""
