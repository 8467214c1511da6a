"""Processes and their timeline."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from parley.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ProcessIn,
    ProcessOut,
    ProcessPatch,
    TimelineEntry,
    given,
)
from parley.api.serialize import process_data, timeline_data
from parley.processes import actions
from parley.processes.permissions import access_process_by_slug, processes_visible_to
from parley.processes.queries import process_overview, timeline

router = Router(tags=["processes"])


@router.get("/processes", response=list[ProcessOut], auth=None)  # type: ignore[valid-type]
def list_processes(request: HttpRequest) -> list[dict[str, Any]]:
    """List the processes you may open: public ones and those you hold a role in."""
    return [process_data(process) for process in processes_visible_to(request.user)]


@router.post("/processes", response={201: ProcessOut, **WRITE_ERRORS})
def create_process(
    request: HttpRequest,
    payload: ProcessIn,  # type: ignore[valid-type]  # a schema built from the model
) -> Status[dict[str, Any]]:
    """Open a new process; you become its mediator."""
    process = actions.create_process(user=request.user, data=given(payload))
    return Status(201, process_data(process))


@router.get("/processes/{slug}", response={200: ProcessOut, **READ_ERRORS}, auth=None)
def get_process(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Show a process."""
    process, _ = access_process_by_slug(request.user, slug)
    return process_data(process)


@router.patch("/processes/{slug}", response={200: ProcessOut, **WRITE_ERRORS})
def update_process(
    request: HttpRequest,
    slug: str,
    payload: ProcessPatch,  # type: ignore[valid-type]  # a schema built from the model
) -> dict[str, Any]:
    """Change a process's own fields (the mediation team)."""
    process, _ = access_process_by_slug(request.user, slug)
    data = given(payload)
    return process_data(actions.update_process(user=request.user, process=process, data=data))


@router.get(
    "/processes/{slug}/timeline", response={200: list[TimelineEntry], **READ_ERRORS}, auth=None
)
def get_timeline(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """List the rounds, letters and outcomes you may see, in date order, with their sources."""
    process, viewer = access_process_by_slug(request.user, slug)
    return [timeline_data(entry) for entry in timeline(process_overview(viewer, process))]
