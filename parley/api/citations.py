"""Citations: which source a row of the record rests on."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from parley.api.references import kind_by_name, row_by_key
from parley.api.schemas import WRITE_ERRORS, CitationCreated, CitationIn
from parley.api.serialize import citation_data
from parley.processes import actions
from parley.processes.models import Source
from parley.processes.permissions import access_process_by_slug

router = Router(tags=["citations"])


@router.post("/processes/{slug}/citations", response={201: CitationCreated, **WRITE_ERRORS})
def create_citation(request: HttpRequest, slug: str, payload: CitationIn) -> Status[dict[str, Any]]:
    """Cite a source for a row of the record (the mediation team)."""
    process, viewer = access_process_by_slug(request.user, slug)
    kind = kind_by_name("target_kind", payload.target_kind)
    target = row_by_key(viewer, process, kind.model, "target_key", payload.target_key)
    source = row_by_key(viewer, process, Source, "source", payload.source)
    citation = actions.cite(
        user=request.user, process=process, target=target, source=source,  # type: ignore[arg-type]
        quote=payload.quote, locator=payload.locator, field=payload.field,
    )  # fmt: skip
    data = citation_data(citation)
    return Status(201, {**data, "target_kind": kind.name, "target_key": target.key})
