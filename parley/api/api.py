"""The one NinjaAPI of Parley: REST API v1, its OpenAPI schema at /api/v1/openapi.json."""

from __future__ import annotations

from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.operation import Operation

from parley.api import citations, consultations, errors, processes, records, texts
from parley.api.auth import session_auth

DESCRIPTION = """\
The record of mediated processes, scoped to the caller: anonymous callers read public rows of
public processes; signed-in callers read what their roles in a process entitle them to.

Sign in through the web pages; the API uses the same session. Writes need the session's CSRF
token in the `X-CSRFToken` header. Rows refer to each other by key. A row that does not exist
and a row you may not see give the same 404.
"""


class ParleyAPI(NinjaAPI):
    """NinjaAPI naming each operation after its view ("list_processes"), not its module path."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__


# Deny by default: every endpoint needs a session unless it declares auth=None (the reads).
# No docs page: Swagger UI loads its assets from a CDN, which a closed network cannot reach.
# The schema answers GET (and HEAD) only; without require_safe Ninja serves it to any method.
api = ParleyAPI(
    title="Parley",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=session_auth,
    docs_url=None,
    docs_decorator=require_safe,
)
errors.install(api)
api.add_router("", processes.router)
api.add_router("", records.router)
api.add_router("", citations.router)
api.add_router("", consultations.router)
api.add_router("", texts.router)
api.add_router("", texts.statements_router)
