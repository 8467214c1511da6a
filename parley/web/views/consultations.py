"""Consultation pages: vote card by card, write a statement, read the results, moderate, open one.

Every page works without JavaScript: forms post, then redirect. Anonymous participants are
known by a random token in their session (never in a URL or a page), made on their first vote
or statement. The results page may subscribe to the live stream (views/live.py); the map is
drawn by parley/web/opinion_map.py.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.consultation import actions
from parley.consultation.access import ConversationAccess, access_conversation
from parley.consultation.models import Comparison, Conversation, Moderation, Participant, Statement
from parley.consultation.queries import (
    moderation_queue,
    my_votes,
    next_statement,
    participant_for,
    results,
    shown_statements,
    statement_by_number,
)
from parley.core.errors import InvalidInput, NotFound
from parley.core.visibility import Viewer, Visibility
from parley.processes.models import Process
from parley.processes.permissions import access_process_by_slug, require
from parley.processes.roles import Permission
from parley.web.errors import answers_errors
from parley.web.forms import FormScope, bound, form_class, new_values, submit
from parley.web.opinion_map import COLOURS, NO_GROUP, SHAPES, opinion_map
from parley.web.views.common import Fieldset, render_form

TOKEN_KEY = "parley-participant-token"  # the API uses the same key: one participant per browser
VOTES = {"agree": "Agree", "disagree": "Disagree", "pass": "Pass"}


# The voting card ---------------------------------------------------------------------------------


@require_safe
@answers_errors
def conversation_card(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the statement to vote on next, the three buttons and how far the viewer has come."""
    access = access_conversation(request.user, slug)
    participant = participant_for(access, _token(request))
    statement = next_statement(access, participant) if access.can_take_part else None
    context = {
        **_basics(access),
        "statement": statement,
        "client_key": uuid.uuid4().hex,  # one per rendered card: a resent form votes once
        "progress": _progress(access, participant),
        "segments": _segment_choices(access, participant),
    }
    return render(request, "web/consultations/card.html", context)


def _basics(access: ConversationAccess) -> dict[str, Any]:
    """Return what every consultation page needs: the conversation and what the viewer may do."""
    conversation = access.conversation
    return {
        "conversation": conversation,
        "process": conversation.process,
        "can_manage": access.can_manage,
        "can_take_part": access.can_take_part,
        "needs_sign_in": conversation.is_open and not access.can_take_part,
    }


def _progress(access: ConversationAccess, participant: Participant | None) -> dict[str, int]:
    """Return how many of the shown statements the participant has voted on, of how many."""
    shown = shown_statements(access.conversation)
    voted = list(my_votes(participant))
    return {"voted": shown.filter(number__in=voted).count(), "total": shown.count()}


def _segment_choices(access: ConversationAccess, participant: Participant | None) -> list[str]:
    """Return the segments to choose from on a first vote, or none once chosen (or not asked)."""
    conversation = access.conversation
    if conversation.comparison != Comparison.SEGMENTS or participant is not None:
        return []
    return list(conversation.segments)


@require_POST
@answers_errors
def conversation_vote(request: HttpRequest, slug: str) -> HttpResponse:
    """Record one vote from the card, then show the next card."""
    access = access_conversation(request.user, slug)
    participant = _join(request, access)
    vote = request.POST.get("vote", "")
    try:
        actions.cast_vote(
            access=access, participant=participant, statement_number=_number(request),
            value=vote, client_key=_client_key(request),
        )  # fmt: skip
    except NotFound:
        return _statement_gone(request, access)
    messages.success(request, f"Your vote counted: {VOTES.get(vote, vote)}.")
    return redirect("web:consultation", slug)


def _number(request: HttpRequest) -> int:
    """Return the statement number the form names; anything else names no statement."""
    try:
        return int(request.POST.get("statement", ""))
    except ValueError:
        raise NotFound("statement") from None


def _client_key(request: HttpRequest) -> str | None:
    key = request.POST.get("client_key", "") or None
    actions.check_client_key(key)  # before joining: a refused vote leaves no participant behind
    return key


def _statement_gone(request: HttpRequest, access: ConversationAccess) -> HttpResponse:
    """Say that the card's statement takes no votes, whether it never existed, awaits
    moderation or was rejected meanwhile: the same words for all three."""
    context = _basics(access)
    return render(request, "web/consultations/statement_gone.html", context, status=404)


def _token(request: HttpRequest) -> str | None:
    return None if request.user.is_authenticated else request.session.get(TOKEN_KEY)


def _join(request: HttpRequest, access: ConversationAccess) -> Participant:
    """Return the viewer's participant, creating it (and an anonymous viewer's token) first."""
    access.require_take_part()  # before a token is made: a refused viewer gets no session
    token = None
    if not request.user.is_authenticated:
        token = request.session.setdefault(TOKEN_KEY, secrets.token_urlsafe(24))
    segment = request.POST.get("segment", "")
    return actions.join(access=access, token=token, segment=segment)


# Writing a statement -------------------------------------------------------------------------


class StatementForm(forms.Form):
    text = forms.CharField(
        label="Your statement",
        max_length=actions.MAX_STATEMENT_LENGTH,
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 3}),
        help_text=f"One idea, in a sentence others can agree or disagree with "
        f"(at most {actions.MAX_STATEMENT_LENGTH} characters).",
    )


class SeedForm(StatementForm):
    is_meta = forms.BooleanField(
        required=False, label="About the conversation itself (meta): shown first, not counted"
    )


@require_http_methods(["GET", "POST"])
@answers_errors
def statement_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a statement: the team's is accepted at once, a participant's is moderated."""
    access = access_conversation(request.user, slug)
    if not access.can_manage:
        access.require_take_part()
    form = bound(SeedForm if access.can_manage else StatementForm, request, {})
    statement = submit(request, form, lambda: _add_statement(request, access, form))
    if statement is not None:
        messages.success(request, _thanks(access, statement))
        return redirect("web:consultation", slug)
    context = {**_basics(access), "form": form}
    context["segments"] = _segment_choices(access, participant_for(access, _token(request)))
    return render(request, "web/consultations/statement_form.html", context)


def _add_statement(request: HttpRequest, access: ConversationAccess, form: forms.Form) -> Statement:
    text = form.cleaned_data["text"]
    if access.can_manage:
        is_meta = form.cleaned_data.get("is_meta", False)
        return actions.seed_statement(access=access, text=text, is_meta=is_meta)
    participant = _join(request, access)
    return actions.submit_statement(access=access, participant=participant, text=text)


def _thanks(access: ConversationAccess, statement: Statement) -> str:
    if statement.status == Statement.Status.ACCEPTED:
        return f"Statement {statement.number} added."
    if access.conversation.moderation == Moderation.OPEN:
        return "Thank you: your statement is shown to others now."
    return "Thank you: your statement waits for the moderators."


# Moderation ----------------------------------------------------------------------------------

# A moderation button -> (new status, new meta flag); None keeps what the statement has.
DECISIONS: dict[str, tuple[str | None, bool | None]] = {
    "accept": (Statement.Status.ACCEPTED, None),
    "meta": (Statement.Status.ACCEPTED, True),
    "not-meta": (None, False),
    "reject": (Statement.Status.REJECTED, None),
}


@require_safe
@login_required
@answers_errors
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """List the statements waiting for a decision, then every statement with its status."""
    access = access_conversation(request.user, slug)
    statements = list(moderation_queue(access))  # Forbidden unless the viewer runs it
    pending = [row for row in statements if row.status == Statement.Status.PENDING]
    counts = Counter(row.status for row in statements)
    context = {
        **_basics(access),
        "pending": pending,
        "statements": statements,
        "counts": [(label, counts[value]) for value, label in Statement.Status.choices],
    }
    return render(request, "web/consultations/moderation.html", context)


@require_POST
@login_required
@answers_errors
def statement_moderate(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Accept, reject or (un)mark as meta one statement, then go back to the queue."""
    access = access_conversation(request.user, slug)
    access.require_manage()  # before the lookup: nobody else learns which numbers exist
    statement = statement_by_number(access, number)
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        raise InvalidInput({"decision": [f"Choose one of: {', '.join(DECISIONS)}."]})
    status, is_meta = DECISIONS[decision]
    actions.moderate_statement(
        access=access, statement=statement, status=status or statement.status, is_meta=is_meta
    )
    messages.success(request, f"Statement {number}: {statement.get_status_display().lower()}.")
    return redirect("web:consultation-moderation", slug)


# Results -------------------------------------------------------------------------------------

# The map's drawing area, in SVG user units; the page scales it to the screen.
# Colours that stay apart for the common colour-vision deficiencies (Okabe-Ito), and a shape
# per group so the map reads in greyscale and print too.
COMMON_GROUND = {"common_ground", "emerging"}  # the statuses the "Common ground" list shows
# What the votes say about a statement (parley.consensus.statements.Status), in words.
STATUS_LABELS = {
    "common_ground": "Common ground",
    "shared_rejection": "Shared rejection",
    "emerging": "Emerging common ground",
    "divisive": "Divides the groups",
    "mixed": "Mixed",
    "unclear": "Unclear",
    "needs_votes": "Needs more votes",
}


@require_safe
@answers_errors
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the opinion map and what it says; ``?fragment=1`` returns the results part alone
    (what live.js swaps in when a newer map is announced)."""
    access = access_conversation(request.user, slug)
    context = {**_basics(access), **results_context(results(access), access.conversation)}
    if request.GET.get("fragment"):
        return render(request, "web/consultations/results_fragment.html", context)
    return render(request, "web/consultations/results.html", context)


def results_context(data: dict[str, Any], conversation: Conversation) -> dict[str, Any]:
    """Return the results page's context: the map drawn, groups, common ground, divisions."""
    groups = [_group(index, group) for index, group in enumerate(data.get("groups", []))]
    labels = {group["label"]: group for group in groups}
    bridging = [_scored(item, labels) for item in data.get("bridging", [])]
    return {
        "version": data.get("snapshot", 0),
        "n_votes": data.get("n_votes", 0),
        "n_participants": data.get("n_participants", 0),
        "computed_at": _moment(data.get("computed_at")),
        "min_group_size": data.get("min_group_size", conversation.min_group_size),
        "map": opinion_map(data.get("points", []), groups),
        "groups": groups,
        "consensus": data.get("consensus", {}),
        "bridging": bridging,
        "common_ground": [item for item in bridging if item["status"] in COMMON_GROUND],
        "segment_bridging": [_scored(i, {}) for i in data.get("segment_bridging", [])],
        "divisive": [_scored(item, labels) for item in data.get("divisive", [])],
    }


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _group(index: int, group: dict[str, Any]) -> dict[str, Any]:
    """Return a group with its colour and shape, and each representative statement worded."""
    shown = not group.get("withheld")
    return {
        **group,
        "colour": COLOURS[index % len(COLOURS)] if shown else NO_GROUP,
        "shape": SHAPES[index % len(SHAPES)] if shown else "circle",
        "representative": [_representative(item) for item in group.get("representative", [])],
    }


def _representative(item: dict[str, Any]) -> dict[str, Any]:
    others = item.get("others_share")
    return {
        **item,
        "percent": round(100 * float(item.get("share", 0.0))),
        "others_percent": None if others is None else round(100 * float(others)),
    }


def _scored(item: dict[str, Any], groups: dict[str, Any]) -> dict[str, Any]:
    """Return a scored statement with its status worded and the limiting group's colour."""
    binding = groups.get(item.get("binding_group") or "")
    status = str(item.get("status", ""))
    return {
        **item,
        "status_label": STATUS_LABELS.get(status, status.replace("_", " ").capitalize()),
        "percent": round(100 * float(item.get("score", 0.0))),
        "colour": binding["colour"] if binding else NO_GROUP,
    }


# Opening a consultation ----------------------------------------------------------------------

OPEN_FIELDS = (
    "title", "question", "visibility", "moderation", "comparison", "allow_anonymous",
    "min_group_size", "is_illustrative",
)  # fmt: skip
# A standalone conversation is public, or its convener's alone (the action's rule).
STANDALONE_LEVELS = [
    (Visibility.PUBLIC.value, "Public: anyone with the link"),
    (Visibility.MEDIATION.value, "Private: only you"),
]


def conversation_form_class(viewer: Viewer | None, process: Process | None) -> type[forms.Form]:
    """Return the form opening a conversation; in a process it also offers the process's rounds
    the viewer may read."""
    names = (*OPEN_FIELDS[:2], "round", *OPEN_FIELDS[2:]) if process else OPEN_FIELDS
    scope = FormScope(viewer, process) if viewer is not None and process is not None else None
    lines = {"dir": "auto", "rows": 4}
    extra = {
        "segments": forms.CharField(
            required=False, widget=forms.Textarea(attrs=lines),
            help_text="One per line; participants choose one when they first vote.",
        ),
        "seeds": forms.CharField(
            required=False, label="Seed statements", widget=forms.Textarea(attrs=lines),
            help_text="One per line; accepted at once. You can add more later.",
        ),
    }  # fmt: skip
    cls: type[forms.Form] = type(
        "ConversationForm", (form_class(Conversation, names, scope),), extra
    )
    if process is None:
        visibility = cls.base_fields["visibility"]
        visibility.choices = STANDALONE_LEVELS  # type: ignore[attr-defined]
    return cls


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def consultation_create(request: HttpRequest) -> HttpResponse:
    """Open a standalone consultation: the user who opens it runs it."""
    return _open_form(request, None, None)


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def consultation_create_in_process(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a consultation in a process (its mediation team)."""
    process, viewer = access_process_by_slug(request.user, slug)
    require(viewer, Permission.MANAGE_RECORD)
    return _open_form(request, process, viewer)


def _open_form(
    request: HttpRequest, process: Process | None, viewer: Viewer | None
) -> HttpResponse:
    form = bound(conversation_form_class(viewer, process), request, {})
    conversation = submit(request, form, lambda: _open(request.user, process, form))
    if conversation is not None:
        messages.success(request, "Consultation opened. Share this page's address to invite.")
        return redirect("web:consultation", conversation.slug)
    back = reverse("web:process-detail", args=[process.slug]) if process else reverse("web:home")
    groups = [
        Fieldset("", [form[name] for name in form.fields if name not in ("segments", "seeds")]),
        Fieldset("Segments and seed statements", [form["segments"], form["seeds"]]),
    ]
    return render_form(request, form, title="Open a consultation", submit="Open consultation",
                       back=back, process=process, groups=groups)  # fmt: skip


def _open(user: Any, process: Process | None, form: forms.Form) -> Conversation:
    """Open the conversation and add its seed statements, all or nothing."""
    data = new_values(form)
    seeds = _lines(data.pop("seeds", ""))
    data["segments"] = _lines(data.pop("segments", ""))
    with transaction.atomic():
        conversation = actions.open_conversation(user=user, data=data, process=process)
        access = access_conversation(user, conversation.slug)
        for seed in seeds:
            try:
                actions.seed_statement(access=access, text=seed)
            except InvalidInput as error:
                # Name the line, on the field it came from.
                problems = [f"“{seed[:40]}”: {m}" for m in error.errors.get("text", [])]
                raise InvalidInput({"seeds": problems or [str(error)]}) from None
    return conversation


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text).splitlines() if line.strip()]
