"""List, show, create and change the records of a process: four endpoints for every kind.

The endpoints are made in a loop over KINDS, so a new kind of record gets its API (and its
OpenAPI documentation) without a line here.

No ``from __future__ import annotations`` in this module: Ninja reads each view's parameter
annotations to find the request body, and the body schemas here are local to the loop. As
strings ("schemas.create") they could not be resolved from the module's globals.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.constants import NOT_SET

from parley.api.references import resolve_references
from parley.api.schemas import KIND_SCHEMAS, READ_ERRORS, WRITE_ERRORS, KindSchemas, given
from parley.api.serialize import citation_data, row_data
from parley.core.visibility import Viewer
from parley.processes import actions
from parley.processes.kinds import KINDS, RecordKind
from parley.processes.models import Position, Process, ProcessRecord, Source
from parley.processes.permissions import (
    access_process_by_slug,
    access_record_by_key,
    viewer_for,
    visible,
)
from parley.processes.queries import citations_visible_to, cited, position_history
from parley.processes.redaction import ReadScope

router = Router()


def register(kind: RecordKind) -> None:
    """Add the list, create, detail and update endpoints of *kind* to the router."""
    schemas = KIND_SCHEMAS[kind.name]
    _register_collection(kind, schemas)
    _register_item(kind, schemas)


def _register_collection(kind: RecordKind, schemas: KindSchemas) -> None:
    path = f"/processes/{{slug}}/{kind.name}"

    def list_records(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
        process, viewer = access_process_by_slug(request.user, slug)
        scope = ReadScope(viewer, process)
        return [row_data(kind, row, scope) for row in scope.redact(_rows(viewer, kind, process))]

    def create_record(
        request: HttpRequest,
        slug: str,
        payload: schemas.create,  # type: ignore[name-defined]
    ) -> Status[dict[str, Any]]:
        process, viewer = access_process_by_slug(request.user, slug)
        data = resolve_references(viewer, process, kind, given(payload))
        row = actions.create_record(user=request.user, process=process, kind=kind, data=data)
        return Status(201, _written(request, kind, process, row))

    listing = list[schemas.row]  # type: ignore[name-defined]
    _add(kind, path, "GET", list_records, listing, f"List the {kind.label_plural} you may see")
    _add(kind, path, "POST", create_record, schemas.row, f"Add a {kind.label}")


def _register_item(kind: RecordKind, schemas: KindSchemas) -> None:
    path = f"/processes/{{slug}}/{kind.name}/{{key}}"

    def get_record(request: HttpRequest, slug: str, key: str) -> dict[str, Any]:
        process, viewer = access_process_by_slug(request.user, slug)
        row = access_record_by_key(viewer, kind.model, process, key)
        return _detail(viewer, kind, process, row)

    def update_record(
        request: HttpRequest,
        slug: str,
        key: str,
        payload: schemas.update,  # type: ignore[name-defined]
    ) -> dict[str, Any]:
        process, viewer = access_process_by_slug(request.user, slug)
        row = access_record_by_key(viewer, kind.model, process, key)
        data = resolve_references(viewer, process, kind, given(payload))
        row = actions.update_record(
            user=request.user, process=process, kind=kind, row=row, data=data
        )
        return _written(request, kind, process, row)

    _add(kind, path, "GET", get_record, schemas.detail, f"Show a {kind.label} with its sources")
    summary = f"Change a {kind.label}"
    if kind.append_only:
        summary = f"Refused: {kind.label_plural} are append-only (record a new one)"
    _add(kind, path, "PATCH", update_record, schemas.row, summary)


_VERBS = {"GET": "list", "POST": "create", "PATCH": "update"}
_SUCCESS = {"GET": 200, "POST": 201, "PATCH": 200}


def _add(kind: RecordKind, path: str, method: str, view: Any, body: Any, summary: str) -> None:
    """Register *view* answering *body*; reads also answer anonymous callers, writes do not."""
    is_item = path.endswith("{key}")
    verb = "get" if (method == "GET" and is_item) else _VERBS[method]
    noun = kind.name if verb == "list" else kind.label
    reading = method == "GET"
    router.add_api_operation(
        path,
        [method],
        view,
        response={_SUCCESS[method]: body, **(READ_ERRORS if reading else WRITE_ERRORS)},
        summary=summary,
        tags=[kind.name],
        operation_id=f"{verb} {noun}".replace("-", " ").replace(" ", "_"),
        url_name=f"{kind.name}-{'item' if is_item else 'list'}",
        auth=None if reading else NOT_SET,
    )


def _rows(viewer: Viewer, kind: RecordKind, process: Process) -> QuerySet[ProcessRecord]:
    """Return the kind's rows the viewer may read, with what serialising them needs."""
    rows = visible(viewer, kind.model, process)
    return rows.select_related(*kind.single_references()).prefetch_related("audience")


def _detail(
    viewer: Viewer, kind: RecordKind, process: Process, row: ProcessRecord
) -> dict[str, Any]:
    """Return *row* with its visible citations (a position also with its visible history)."""
    scope = ReadScope(viewer, process)
    [row] = scope.redact([row])
    sources = scope.redact(visible(viewer, Source, process))
    citations = cited(citations_visible_to(viewer, process, sources), row)
    data = row_data(kind, row, scope)
    data["citations"] = [citation_data(citation) for citation in citations]
    if isinstance(row, Position):
        data["history"] = [row_data(kind, p, scope) for p in position_history(scope, row)]
    return data


def _written(
    request: HttpRequest, kind: RecordKind, process: Process, row: ProcessRecord
) -> dict[str, Any]:
    """Return a row just written, as the writer may now see it (their roles may have changed)."""
    scope = ReadScope(viewer_for(request.user, process), process)
    [row] = scope.redact([row])
    return row_data(kind, row, scope)


for _kind in KINDS.values():
    register(_kind)
