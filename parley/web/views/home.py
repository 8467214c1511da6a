"""The front page and the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parley.processes.permissions import processes_visible_to


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """List the processes the user may open."""
    processes = processes_visible_to(request.user)
    return render(request, "web/home.html", {"processes": processes})


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 'ok' once the database answers, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
