"""Valid request bodies, so that the only reason a request can fail is who sends it.

Each function returns a Body: ``body(world) -> data``, built once per case when its row runs.
API bodies name rows by key, as the API takes them. Web bodies are what a browser would post
from the form the mediation team sees (references by primary key, booleans as "on"), built
from the same form classes as the pages, so a new required field cannot make them invalid.
"""

from __future__ import annotations

from typing import Any

from django import forms

from parley.processes.actions import PROCESS_FIELDS
from parley.processes.kinds import KINDS
from parley.processes.models import Process
from parley.processes.permissions import viewer_for
from parley.processes.redaction import ReadScope
from parley.web.forms import cite_form_class, form_class, initial_from_row, record_form_class
from parley.web.views.consultations import conversation_form_class
from parley.web.views.processes import EDITABLE_FIELDS
from tests.integration.access.vocabulary import Body
from tests.integration.access.world import MatrixWorld, fresh
from tests.world import PASSWORD

NEW_PROCESS = {"slug": "opened-here", "title": "Opened here"}
CHANGE = {"is_illustrative": True}  # every kind has this field; it changes no one's access


def posted(form: forms.Form) -> dict[str, Any]:
    """Return what a browser submits for *form* as shown: each field's value (a reference as
    its primary key, a checked box as "on"; an empty field is left out)."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value not in (None, [], ""):
            data[name] = value
    return data


# API bodies ----------------------------------------------------------------------------------


def api_new(kind: str, **changes: Any) -> Body:
    """Return the body adding a row of *kind*: its sample with *changes*."""
    return lambda world: {**fresh(kind), **changes}


def api_change() -> Body:
    return lambda world: dict(CHANGE)


def api_new_process() -> Body:
    return lambda world: dict(NEW_PROCESS)


def api_process_change() -> Body:
    return lambda world: {"summary": "Changed through the API"}


def api_cite(target_kind: str, target_key: str, source: str) -> Body:
    return lambda world: {
        "target_kind": target_kind, "target_key": target_key, "source": source,
    }  # fmt: skip


# Web bodies ----------------------------------------------------------------------------------


def _mediator_scope(world: MatrixWorld, slug: str) -> tuple[Any, Process]:
    process = world.processes[slug]
    return viewer_for(world.users["mediator"], process), process


def web_new(slug: str, kind: str, **changes: Any) -> Body:
    """Return the form adding a row of *kind* to *slug*: its sample with *changes*."""

    def body(world: MatrixWorld) -> dict[str, Any]:
        viewer, process = _mediator_scope(world, slug)
        cls = record_form_class(KINDS[kind], viewer, process)
        return posted(cls(initial=world.by_keys(slug, kind, {**fresh(kind), **changes})))

    return body


def web_change(slug: str, kind: str, key: str) -> Body:
    """Return the edit form of row *key*, as shown to the mediation team, with CHANGE made."""

    def body(world: MatrixWorld) -> dict[str, Any]:
        viewer, process = _mediator_scope(world, slug)
        row = world.row(slug, kind, key)
        initial = initial_from_row(KINDS[kind], row, ReadScope(viewer, process))
        cls = record_form_class(KINDS[kind], viewer, process)
        return posted(cls(initial={**initial, **CHANGE}))

    return body


def web_new_process() -> Body:
    cls = form_class(Process, PROCESS_FIELDS)
    return lambda world: posted(cls(initial=NEW_PROCESS))


def web_process_change(slug: str) -> Body:
    cls = form_class(Process, EDITABLE_FIELDS)

    def body(world: MatrixWorld) -> dict[str, Any]:
        initial = forms.model_to_dict(world.processes[slug], fields=list(EDITABLE_FIELDS))
        return posted(cls(initial={**initial, "summary": "Changed on the web"}))

    return body


def web_cite(slug: str, kind: str, source: str) -> Body:
    """Return the form citing source *source* for a row of *kind* in *slug*."""

    def body(world: MatrixWorld) -> dict[str, Any]:
        viewer, process = _mediator_scope(world, slug)
        cls = cite_form_class(KINDS[kind], viewer, process)
        return posted(cls(initial={"source": world.row(slug, "sources", source)}))

    return body


# Consultations -------------------------------------------------------------------------------

NEW_CONVERSATION = {"title": "Opened here"}
NEW_STATEMENT = {"text": "A new statement from the access matrix"}
VOTE = {"statement": 1, "vote": "agree", "client_key": "matrix-vote"}


def api_new_conversation(process: str | None) -> Body:
    """Return the body opening a conversation in *process* (its slug), or a standalone one."""
    named = {"process": process} if process else {}
    return lambda world: {**NEW_CONVERSATION, **named}


def api_conversation_change() -> Body:
    return lambda world: {"is_illustrative": True}  # changes no one's access


def api_statement() -> Body:
    return lambda world: dict(NEW_STATEMENT)


def api_moderation() -> Body:
    return lambda world: {"status": "accepted"}


def api_vote() -> Body:
    return lambda world: dict(VOTE)


def web_new_conversation(slug: str | None) -> Body:
    """Return the form opening a conversation in process *slug* (or standalone), as shown."""

    def body(world: MatrixWorld) -> dict[str, Any]:
        viewer, process = _mediator_scope(world, slug) if slug else (None, None)
        cls = conversation_form_class(viewer, process)
        return posted(cls(initial=NEW_CONVERSATION))

    return body


def web_vote() -> Body:
    return lambda world: {name: str(value) for name, value in VOTE.items()}


def web_statement() -> Body:
    return lambda world: dict(NEW_STATEMENT)


def web_moderation() -> Body:
    return lambda world: {"decision": "accept"}


def credentials(persona: str) -> Body:
    """Return the sign-in form with *persona*'s credentials (any persona may post it)."""

    def body(world: MatrixWorld) -> dict[str, str]:
        return {"username": world.users[persona].get_username(), "password": PASSWORD}

    return body
