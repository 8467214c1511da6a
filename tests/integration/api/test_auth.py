"""Sessions, CSRF and the OpenAPI schema."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from django.test import Client

from parley.processes.kinds import KINDS
from parley.processes.models import Round
from tests.integration.api.conftest import SLUG, send, url

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "a" * 32  # an unmasked secret: Django accepts it from the cookie and the header


@functools.cache  # the schema depends on the code only, and takes a while to build
def openapi() -> Any:
    return Client().get("/api/v1/openapi.json").json()


def write_operations() -> list[tuple[str, str]]:
    """Return (method, path) of every write the API documents, path parameters filled in."""
    paths = openapi()["paths"]
    return [(method.upper(), path.replace("{slug}", SLUG).replace("{key}", "round-1")
             .replace("{number}", "1"))
            for path, operations in paths.items()
            for method in operations if method in {"post", "patch", "put", "delete"}]  # fmt: skip


# Anyone may vote and write statements in a conversation that allows anonymous participants;
# like every other session write, these still need the CSRF token.
OPEN_TO_ANONYMOUS = {
    ("POST", f"/api/v1/conversations/{SLUG}/statements"),
    ("POST", f"/api/v1/conversations/{SLUG}/votes"),
}


def test_openapi_lists_every_kinds_endpoints(db) -> None:
    paths = openapi()["paths"]
    for kind in KINDS:
        assert set(paths[f"/api/v1/processes/{{slug}}/{kind}"]) == {"get", "post"}, kind
        assert set(paths[f"/api/v1/processes/{{slug}}/{kind}/{{key}}"]) == {"get", "patch"}, kind


def test_openapi_documents_each_kinds_fields(db) -> None:
    schemas = openapi()["components"]["schemas"]
    for kind in KINDS.values():
        name = kind.model.__name__
        assert set(schemas[f"{name}In"]["properties"]) == set(kind.editable_fields), name
        assert schemas[f"{name}In"]["additionalProperties"] is False, name
        assert set(schemas[name]["properties"]) == {"record_kind", *kind.editable_fields}, name
    assert schemas["RoundIn"]["required"] == ["name"]


def test_there_is_no_docs_page_loading_assets_from_a_cdn(db) -> None:
    assert Client().get("/api/v1/docs").status_code == 404


def test_every_write_refuses_anonymous_callers(world) -> None:
    operations = write_operations()
    # kinds; processes: create, change; citations; conversations: open, change, statements:
    # write, moderate; votes; texts: create, change, versions, circulate, clauses: add, edit,
    # positions, citations; comments, review, amendments: propose, decide
    assert len(operations) == 2 * len(KINDS) + 3 + 5 + 12
    for method, path in operations:
        # Checking CSRF tokens: a caller without a session is still told to sign in, not 403.
        response = send(Client(enforce_csrf_checks=True), method, path, {})
        if (method, path) in OPEN_TO_ANONYMOUS:
            assert response.status_code == 403, (method, path)
            assert response.json() == {"detail": "CSRF check Failed"}
        else:
            assert response.status_code == 401, (method, path)
            assert response.json() == {"detail": "Unauthorized"}


@pytest.fixture
def strict(world) -> Client:
    """Return a client signed in as the mediator that checks CSRF tokens like a browser would."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["mediator"])
    return client


def test_a_session_write_without_a_csrf_token_is_refused(strict) -> None:
    response = send(strict, "POST", url("rounds"), {"name": "Forged", "key": "forged"})
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert not Round.objects.filter(key="forged").exists()


def test_a_session_write_with_the_csrf_token_is_accepted(strict) -> None:
    strict.cookies["csrftoken"] = CSRF_TOKEN
    response = strict.post(
        url("rounds"),
        {"name": "Genuine", "key": "genuine"},
        content_type="application/json",
        headers={"X-CSRFToken": CSRF_TOKEN},
    )
    assert response.status_code == 201
    assert Round.objects.filter(key="genuine").exists()


def test_reads_need_no_csrf_token(strict) -> None:
    assert strict.get(url("rounds")).status_code == 200
