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
from parley.texts.document import ClauseDoc, TextDoc
from parley.texts.format import render_text
from parley.web.forms import cite_form_class, form_class, initial_from_row, record_form_class
from parley.web.views.consultations import conversation_form_class
from parley.web.views.processes import EDITABLE_FIELDS
from parley.web.views.texts import CLAUSE_FIELDS, clause_form_class, text_form_class
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


# Negotiating texts ---------------------------------------------------------------------------

NEW_TEXT = {"key": "opened-here", "title": "Opened here"}
NEW_CLAUSE = {"key": "added-here", "heading": "Added here", "body": "Added [now] [later]."}
CLAUSE_CHANGE = {"heading": "Changed here"}
AMENDMENT = {"proposed_text": "A [new] [fresh] wording.", "rationale": "Tabled by the matrix"}
COMMENT = {"body": "A comment from the access matrix"}
DECISION = {"status": "rejected", "note": "Decided by the access matrix"}
# The next draft, pasted or sent as bracket text: what an import writes.
IMPORTED = render_text(TextDoc("Imported", (ClauseDoc("imported", "1", "Imported", "Imported."),)))


def api_new_text() -> Body:
    return lambda world: dict(NEW_TEXT)


def api_text_change() -> Body:
    return lambda world: {"description": "Changed through the API"}


def api_next_draft(*, imported: bool) -> Body:
    """Return the body starting the next working draft, or importing IMPORTED as it."""
    return lambda world: {"source": IMPORTED} if imported else {}


def api_circulate() -> Body:
    return lambda world: {"label": "Circulated here", "visibility": "process"}


def api_new_clause() -> Body:
    return lambda world: dict(NEW_CLAUSE)


def api_clause_change(slug: str, text: str, number: int, clause: str) -> Body:
    """Return the change of a clause, from the revision it has in the world (no conflict)."""

    def body(world: MatrixWorld) -> dict[str, Any]:
        row = world.clause(slug, text, number, clause)
        return {"revision": row.revision, **CLAUSE_CHANGE}

    return body


def api_position(party: str) -> Body:
    """Return *party*'s (actor key) acceptance of a clause."""
    return lambda world: {"party": party, "stance": "accept"}


def api_cite_statement(conversation: str) -> Body:
    """Return the citation of statement 1 of *conversation* (accepted in every conversation)."""
    return lambda world: {"conversation": conversation, "number": 1}


def api_comment(clause: str) -> Body:
    return lambda world: {**COMMENT, "clause": clause}


def api_review() -> Body:
    return lambda world: {}


def api_amendment(clause: str) -> Body:
    """Return an amendment to *clause*, naming no party: the team's, or the caller's party's."""
    return lambda world: {"clause": clause, **AMENDMENT}


def api_decision() -> Body:
    return lambda world: dict(DECISION)


def web_new_text() -> Body:
    """Return the form opening a text, as shown, without a file: an empty first draft."""
    cls = text_form_class()
    return lambda world: posted(cls(initial={**NEW_TEXT, "visibility": "process"}))


def web_next_draft(*, circulate: bool) -> Body:
    """Return the "issue next draft" form: start a working draft, or circulate the open one."""
    circulated = {"action": "circulate", "label": "Circulated here", "visibility": "process"}
    return lambda world: dict(circulated) if circulate else {"action": "start"}


def web_import() -> Body:
    return lambda world: {"source": IMPORTED}


def web_new_clause() -> Body:
    """Return the form adding a clause at the end of the working draft, as shown."""
    cls = clause_form_class(with_key=True, after=[])
    return lambda world: posted(cls(initial=NEW_CLAUSE))


def web_clause_change(slug: str, text: str, number: int, clause: str) -> Body:
    """Return a clause's edit form as shown (its revision hidden in it), with CLAUSE_CHANGE."""
    cls = clause_form_class()

    def body(world: MatrixWorld) -> dict[str, Any]:
        row = world.clause(slug, text, number, clause)
        initial = {name: getattr(row, name) for name in CLAUSE_FIELDS}
        return posted(cls(initial={**initial, "revision": row.revision, **CLAUSE_CHANGE}))

    return body


def web_position(party: str) -> Body:
    """Return the position form accepting a clause for *party* (actor key). The team's form
    asks which party; a delegation's names its own party, so *party* says what it means."""
    return lambda world: {"party": party, "stance": "accept"}


def web_comment() -> Body:
    return lambda world: {**COMMENT, "kind": "criticism"}


def web_cite_statement(conversation: str) -> Body:
    return lambda world: {"conversation": conversation, "number": "1"}


def web_review() -> Body:
    return lambda world: {}


def web_amendment(clause: str) -> Body:
    """Return the amendment form naming no proposer: the team's, or the caller's party's."""
    return lambda world: {"clause": clause, "op": "replace", **AMENDMENT}


def web_decision() -> Body:
    return lambda world: dict(DECISION)
