"""Process pages: open one, read it (page, timeline, audit log), edit its own fields."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from parley.audit.models import AuditEvent
from parley.core.errors import NotFound
from parley.processes import actions
from parley.processes.models import Process
from parley.processes.permissions import access_process_by_slug, can, require
from parley.processes.queries import process_overview, timeline
from parley.processes.redaction import ReadScope
from parley.processes.roles import Permission
from parley.web.errors import answers_errors
from parley.web.forms import bound, changed_values, form_class, new_values, submit
from parley.web.pages import audit_entries, process_page, timeline_page
from parley.web.views.common import render_form

# The slug names the process in every URL, so it is set once, when the process is opened.
EDITABLE_FIELDS = tuple(name for name in actions.PROCESS_FIELDS if name != "slug")


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def process_create(request: HttpRequest) -> HttpResponse:
    """Open a new process; the user who opens it becomes its mediator."""
    form = bound(form_class(Process, actions.PROCESS_FIELDS), request, {})
    process = submit(
        request, form, lambda: actions.create_process(user=request.user, data=new_values(form))
    )
    if process is not None:
        messages.success(request, "Process opened. You are its mediator.")
        return redirect("web:process-detail", process.slug)
    back = reverse("web:home")
    return render_form(request, form, title="Open a process", submit="Open process", back=back)


@require_safe
@answers_errors
def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the process record as far as the viewer may read it."""
    process, viewer = access_process_by_slug(request.user, slug)
    overview = process_overview(viewer, process)
    return render(request, "web/process/detail.html", process_page(overview))


@require_safe
@answers_errors
def process_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the dated rounds, letters and outcomes in order, each with its sources."""
    process, viewer = access_process_by_slug(request.user, slug)
    overview = process_overview(viewer, process)
    return render(request, "web/process/timeline.html", timeline_page(overview, timeline(overview)))


@require_http_methods(["GET", "POST"])
@login_required
@answers_errors
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the process's own fields (title, phase, visibility…)."""
    process, viewer = access_process_by_slug(request.user, slug)
    require(viewer, Permission.MANAGE_RECORD)
    initial = forms.model_to_dict(process, fields=list(EDITABLE_FIELDS))
    form = bound(form_class(Process, EDITABLE_FIELDS), request, initial)

    def save() -> Process:
        return actions.update_process(user=request.user, process=process, data=changed_values(form))

    if submit(request, form, save) is not None:
        messages.success(request, "Process saved.")
        return redirect("web:process-detail", process.slug)
    back = reverse("web:process-detail", args=[process.slug])
    return render_form(
        request, form, title=f"Edit {process.title}", submit="Save", back=back, process=process
    )


@require_safe
@answers_errors
def process_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """List the process's audit events to the mediation team; to others it does not exist."""
    process, viewer = access_process_by_slug(request.user, slug)
    if not can(viewer, Permission.READ_AUDIT_LOG):
        raise NotFound()  # the log is a mediation-only record: hidden, not forbidden
    events = AuditEvent.objects.filter(process_id=process.pk).select_related("user")
    entries = audit_entries(events, ReadScope(viewer, process))
    return render(request, "web/process/audit.html", {"process": process, "entries": entries})
