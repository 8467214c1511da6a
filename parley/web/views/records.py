"""Record pages for every kind in the registry: add, read, edit, cite a source."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from parley.core.errors import Forbidden, NotFound
from parley.core.visibility import Viewer
from parley.processes import actions
from parley.processes.kinds import KINDS, RecordKind
from parley.processes.models import Process, ProcessRecord
from parley.processes.permissions import (
    access_process_by_slug,
    access_record_by_key,
    can,
    can_record_position_for,
    require,
    visible,
)
from parley.processes.redaction import ReadScope
from parley.processes.roles import Permission
from parley.web.errors import answers_errors
from parley.web.forms import (
    bound,
    changed_values,
    cite_form_class,
    initial_for_new,
    initial_from_row,
    new_values,
    record_form_class,
    submit,
)
from parley.web.pages import record_page
from parley.web.presenters import record_title
from parley.web.views.common import render_form


def kind_named(name: str) -> RecordKind:
    """Return the kind *name* from the URL; an unknown kind is a missing page like any other."""
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound()
    return kind


def may_add(viewer: Viewer, kind: RecordKind) -> bool:
    """Return whether the action could let *viewer* add a record of *kind* at all."""
    if kind is KINDS["positions"]:
        heads = viewer.head_of_party_ids
        any_party = can(viewer, Permission.RECORD_ANY_POSITION)
        return any_party or any(can_record_position_for(viewer, party) for party in heads)
    return can(viewer, Permission.MANAGE_RECORD)


def _row(
    request: HttpRequest, slug: str, kind: str, key: str
) -> tuple[Process, Viewer, RecordKind, ProcessRecord]:
    """Return the process, viewer, kind and row a record URL names, or raise NotFound.

    The row comes redacted for the viewer: fit to show, not to save (see record_edit).
    """
    process, viewer = access_process_by_slug(request.user, slug)
    record_kind = kind_named(kind)
    row = access_record_by_key(viewer, record_kind.model, process, key)
    return process, viewer, record_kind, ReadScope(viewer, process).redact([row])[0]


def row_url(process: Process, row: ProcessRecord, kind: RecordKind) -> str:
    return reverse("web:record-detail", args=[process.slug, kind.name, row.key])


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def record_create(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Add a record of *kind*; party heads use this page to record their party's positions."""
    process, viewer = access_process_by_slug(request.user, slug)
    record_kind = kind_named(kind)
    if not may_add(viewer, record_kind):
        raise Forbidden(f"You may not add {record_kind.label_plural} in this process.")
    cls = record_form_class(record_kind, viewer, process)
    form = bound(cls, request, initial_for_new(record_kind, cls, request.GET))

    def save() -> ProcessRecord:
        return actions.create_record(
            user=request.user, process=process, kind=record_kind, data=new_values(form)
        )

    row = submit(request, form, save)
    if row is not None:
        messages.success(request, f"{record_kind.label.capitalize()} added.")
        return redirect(_after_create(viewer, process, record_kind, row))
    back = reverse("web:process-detail", args=[process.slug])
    title = "Record position" if record_kind is KINDS["positions"] else f"Add {record_kind.label}"
    return render_form(request, form, title=title, submit=title, back=back, process=process)


def _after_create(viewer: Viewer, process: Process, kind: RecordKind, row: ProcessRecord) -> str:
    """Return the new row's page, or the process page if its author may not read it."""
    if visible(viewer, kind.model, process).filter(pk=row.pk).exists():
        return row_url(process, row, kind)
    return reverse("web:process-detail", args=[process.slug])


@require_safe
@answers_errors
def record_detail(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    """Show every field of one record, its citations and, for a position, its history."""
    process, viewer, record_kind, row = _row(request, slug, kind, key)
    context = record_page(record_kind, row, viewer, process)
    return render(request, "web/records/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def record_edit(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    """Change a record's fields; only the fields the user changed are sent to the action."""
    process, viewer, record_kind, shown = _row(request, slug, kind, key)
    actions.require_editable(record_kind)
    require(viewer, Permission.MANAGE_RECORD)
    # The shown row is redacted and read-only; the action changes a fresh copy of it.
    row = access_record_by_key(viewer, record_kind.model, process, key)
    initial = initial_from_row(record_kind, row, ReadScope(viewer, process))
    form = bound(record_form_class(record_kind, viewer, process), request, initial)

    def save() -> ProcessRecord:
        return actions.update_record(user=request.user, process=process, kind=record_kind,
                                     row=row, data=changed_values(form))  # fmt: skip

    if submit(request, form, save) is not None:
        messages.success(request, f"{record_kind.label.capitalize()} saved.")
        return redirect(row_url(process, row, record_kind))
    title = f"Edit {record_kind.label}: {record_title(shown, viewer)}"
    back = row_url(process, shown, record_kind)
    return render_form(request, form, title=title, submit="Save", back=back, process=process)


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def record_cite(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    """Record that a record (or one of its facts) rests on a source the viewer may read."""
    process, viewer, record_kind, row = _row(request, slug, kind, key)
    require(viewer, Permission.MANAGE_RECORD)
    form = bound(cite_form_class(record_kind, viewer, process), request, {})

    def save() -> object:
        return actions.cite(user=request.user, process=process, target=row, **form.cleaned_data)

    back = row_url(process, row, record_kind)
    if submit(request, form, save) is not None:
        messages.success(request, "Source cited.")
        return redirect(back)
    title = f"Cite a source for {record_title(row, viewer)}"
    return render_form(request, form, title=title, submit="Cite", back=back, process=process)
