"""The access matrix: every route × every persona (see tests/integration/access/matrix.py).

- ``test_matrix_is_complete``: the routes come from the resolver and the OpenAPI schema; a route
  without a row, or a row without a route, fails.
- ``test_every_cell``: one test per path template: one world, then every method × case × persona
  (status, canaries, 404 bytes, side effects: see access/runner.py).
- ``test_writes_need_the_csrf_token``: each write route refuses the mediator without the token.
- ``test_undeclared_methods_are_refused``: a route answers only the methods its rows declare.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.integration.access.inventory import (
    HTTP_METHODS,
    api_inventory,
    api_operations,
    resolver_paths,
)
from tests.integration.access.matrix import MATRIX
from tests.integration.access.runner import (
    Cell,
    capture_everything,
    cells,
    check,
    send,
    sign_in_everyone,
)
from tests.integration.access.vocabulary import (
    CHANGED,
    CREATED,
    FORBIDDEN,
    REDIRECT,
    SAVED,
    Row,
)
from tests.integration.access.world import build_matrix_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _static_root(settings: Any, tmp_path: Any) -> None:
    """Point STATIC_ROOT at a directory that exists: WhiteNoise warns (an error here) if not."""
    settings.STATIC_ROOT = str(tmp_path)


def test_matrix_is_complete() -> None:
    """Every route the code serves has a row; every row names a route that still exists."""
    paths, api = resolver_paths(), api_operations()
    rows = {(row.method, row.path) for row in MATRIX}
    assert len(rows) == len(MATRIX), "a (method, path) has two rows"
    assert set(api) <= paths, "the OpenAPI schema documents paths the resolver does not serve"
    missing = sorted(api_inventory() - rows)
    missing += sorted(("(any method)", path) for path in paths - {path for _, path in rows})
    stale = sorted((m, path) for m, path in rows if path not in paths)
    stale += sorted((m, path) for m, path in rows if path in api and m not in api[path])
    assert not missing, f"routes without a row in the matrix: {missing}"
    assert not stale, f"rows for routes that do not exist: {stale}"


def test_every_case_is_sound() -> None:
    """Every row has cases, and every case fills exactly its path's parameters."""
    for row in MATRIX:
        assert row.cases, row.id
        for case in row.cases:
            row.url(case.params)  # raises KeyError for a missing parameter
            unused = [name for name in case.params if f"{{{name}}}" not in row.path]
            assert not unused, f"{row.id} [{case.label}]: unused parameters {unused}"


def by_path() -> dict[str, list[Row]]:
    """Return the matrix's rows grouped by path template, in the matrix's order."""
    groups: dict[str, list[Row]] = {}
    for row in MATRIX:
        groups.setdefault(row.path, []).append(row)
    return groups


@pytest.mark.parametrize("path", list(by_path()))
def test_every_cell(path: str, caplog: pytest.LogCaptureFixture) -> None:
    """Each persona gets what the matrix states, sees no canary it may not, and a request that
    is not a successful write changes nothing. One world per path: every method, case, persona.
    """
    capture_everything(caplog)
    world = build_matrix_world()
    callers = sign_in_everyone(world)
    rows = by_path()[path]
    problems = [problem for cell in cells(world, callers, rows) for problem in check(cell, caplog)]
    assert not problems, f"{len(problems)} cells wrong:\n" + "\n".join(problems)


SUCCESSES = (SAVED, CREATED, CHANGED, REDIRECT)  # sign-in and sign-out are guarded too


def test_writes_need_the_csrf_token(caplog: pytest.LogCaptureFixture) -> None:
    """Each write the mediator may make is refused without the CSRF token: 403, nothing changed.

    One case per write route: the first the mediator succeeds in, sent with the session cookie
    and the CSRF cookie but without the token, as a forged cross-site request would be.
    """
    capture_everything(caplog)
    world = build_matrix_world()
    forger = replace(sign_in_everyone(world)["mediator"], token="")
    problems = []
    for row in MATRIX:
        allowed = [c for c in row.cases if c.expect["mediator"] in SUCCESSES]
        if row.method == "GET" or not allowed:
            continue
        case = replace(allowed[0], expect={**allowed[0].expect, "mediator": FORBIDDEN})
        body = case.body(world) if case.body else None
        problems += check(Cell(forger, row, case, body), caplog)
    assert not problems, "\n".join(problems)


def test_undeclared_methods_are_refused() -> None:
    """Every route answers 405 to each method the matrix does not list for it.

    Sent as the mediator, who may do the most: a refusal cannot come from a permission check.
    """
    world = build_matrix_world()
    mediator = sign_in_everyone(world)["mediator"]
    wrong = []
    for rows in by_path().values():
        url = rows[0].url(rows[0].cases[0].params)
        for method in sorted(set(HTTP_METHODS) - {row.method for row in rows}):
            status = send(mediator, method, url).status_code
            if status != 405:
                wrong.append(f"{method} {url}: {status}")
    assert not wrong, "methods answered though the matrix does not list them:\n" + "\n".join(wrong)
