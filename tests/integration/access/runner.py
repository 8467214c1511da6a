"""Send one cell's request as one persona and list everything wrong with the answer.

Each cell runs in a savepoint that is rolled back, and the persona's cookies are put back
afterwards, so every cell meets the same world (a sign-out or a saved form changes nothing
for the next one).

The leak check reads what a caller would: the body as sent, and the text inside an exported
Word file (its XML, unzipped) or PDF (its text layer), where a canary is not in the raw bytes.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import mail
from django.db import connection, models, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from parley.audit.models import AuditEvent
from parley.consultation.models import (
    Conversation,
    OpinionMapSnapshot,
    Participant,
    Statement,
    Vote,
)
from parley.processes.kinds import KINDS
from parley.processes.models import Citation, Process
from parley.texts.models import (
    Amendment,
    Clause,
    ClausePosition,
    Comment,
    NegotiatingText,
    Option,
    PartyReview,
    TextVersion,
)
from tests.integration.access.vocabulary import Case, Outcome, Row
from tests.integration.access.world import CANARIES, ENTITLED, MatrixWorld
from tests.world import PERSONAS

if TYPE_CHECKING:  # the test client's response: an HttpResponse with the request attached
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

API_PREFIX = "/api/"
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*')


@dataclass
class Caller:
    """A persona's browser: a client enforcing CSRF checks, and the token its pages gave it."""

    persona: str
    client: Client
    token: str


def sign_in_everyone(world: MatrixWorld) -> dict[str, Caller]:
    """Return a Caller per persona, signed in (anonymous: not), holding a real CSRF token."""
    callers = {}
    for persona in PERSONAS:
        client = Client(enforce_csrf_checks=True)
        if world.users[persona] is not None:
            client.force_login(world.users[persona])
        client.get(reverse("web:login"))  # the page sets the CSRF cookie, as in a browser
        callers[persona] = Caller(persona, client, client.cookies[settings.CSRF_COOKIE_NAME].value)
    return callers


def send(caller: Caller, method: str, url: str, body: Any = None) -> Response:
    """Send *body* the way its door takes it: JSON to the API, a posted form to the web.

    A streamed answer (a file download) is read whole, so it is checked like any other.
    """
    client, headers = caller.client, {"X-CSRFToken": caller.token}
    if method == "GET":
        response = client.get(url)
    elif url.startswith(API_PREFIX):
        data = "" if body is None else json.dumps(body)
        response = client.generic(method, url, data, "application/json", headers=headers)
    elif method == "POST":
        response = client.post(url, {**(body or {}), "csrfmiddlewaretoken": caller.token})
    else:
        response = client.generic(method, url, headers=headers)
    return _read_whole(response) if response.streaming else response


def _read_whole(streamed: Response) -> Response:
    """Return a streamed answer as a plain one: the same status, headers, cookies and bytes."""
    content = b"".join(streamed.streaming_content)  # type: ignore[attr-defined]
    response = HttpResponse(content, status=streamed.status_code)
    for name, value in streamed.headers.items():
        response.headers[name] = value
    response.cookies = streamed.cookies
    return response  # type: ignore[return-value]


CONSULTATION = [Conversation, Statement, Participant, Vote, OpinionMapSnapshot]
TEXTS = [NegotiatingText, TextVersion, Clause, Option, ClausePosition, Comment, Amendment,
         PartyReview]  # fmt: skip
# What a counted vote may add: its row, the voter's participant on a first vote, and (if the
# recompute ran at once) a snapshot.
VOTE_EFFECTS = {m._meta.label_lower for m in (Vote, Participant, OpinionMapSnapshot)}


def _watched() -> list[type[models.Model]]:
    """Return what a request may not change: every kind's rows, every texts table (texts,
    versions, clauses, options, positions, comments, amendments, reviews) and their links
    (audiences, a text's parties, a clause's cited statements), processes, citations, audit
    events and every consultation table."""
    watched: list[type[models.Model]] = [kind.model for kind in KINDS.values()] + TEXTS
    links = [field.remote_field.through for m in watched for field in m._meta.many_to_many]
    return [*watched, *links, Process, Citation, AuditEvent, *CONSULTATION]  # type: ignore[list-item]


def _contents_sql(model: type[models.Model]) -> str:
    """Return SQL answering (label, row count, every row's every column as one text)."""
    quote = connection.ops.quote_name
    cells = [f"COALESCE(CAST({quote(f.column)} AS TEXT), '-')" for f in model._meta.concrete_fields]
    row = " || '|' || ".join(cells)
    rows = f"SELECT {row} AS r FROM {quote(model._meta.db_table)}"
    if connection.vendor == "postgresql":
        joined = "string_agg(r, ';' ORDER BY r)"
    else:
        joined, rows = "group_concat(r, ';')", f"{rows} ORDER BY r"
    return f"SELECT '{model._meta.label_lower}', COUNT(*), {joined} FROM ({rows}) AS t"


@cache
def _snapshot_sql() -> str:
    return " UNION ALL ".join(_contents_sql(model) for model in _watched())


def snapshot() -> dict[str, tuple[int, str]]:
    """Return (row count, full contents) of every watched table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql())
        return {label: (count, contents) for label, count, contents in cursor.fetchall()}


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XML_TAG = re.compile(r"<[^>]+>")


def opened(response: Response) -> list[str]:
    """Return the text a reader finds inside an exported file: a Word file's every part (its
    XML, and the XML without tags, so a canary split across runs still reads whole); a PDF's
    text layer, also without whitespace, so a canary broken across lines still reads whole."""
    kind, content = response.headers.get("Content-Type", ""), response.content
    if kind.startswith(DOCX):
        with zipfile.ZipFile(io.BytesIO(content)) as word:
            parts = [word.read(name).decode(errors="replace") for name in word.namelist()]
        return parts + [_XML_TAG.sub("", part) for part in parts]
    if kind.startswith("application/pdf"):
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        return [text, re.sub(r"\s+", "", text)]
    return []


def exposed(response: Response) -> list[str]:
    """Return everything *response* shows its caller: body (and the text of an exported file),
    headers, cookies, flash messages."""
    texts = [response.content.decode(errors="replace"), *opened(response)]
    texts += [f"{name}: {value}" for name, value in response.headers.items()]
    texts.append(response.cookies.output())
    messages = response.cookies.get("messages")
    if messages is not None and messages.value:
        # The messages cookie is signed and may be compressed: read what it says.
        storage = CookieStorage(HttpRequest())
        texts.append(str(storage._decode(messages.value)))  # type: ignore[attr-defined]
    return texts


def leaks(persona: str, texts: Iterable[str]) -> list[str]:
    """Return the canaries *persona* may not read that appear in *texts*."""
    text = "\n".join(texts)
    return sorted(canary for canary in CANARIES - ENTITLED[persona] if canary in text)


def elsewhere(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return what the request left in the logs and the outbox."""
    texts = [caplog.text, *(record.getMessage() for record in caplog.records)]
    return texts + [message.message().as_string() for message in mail.outbox]


def masked(content: bytes) -> bytes:
    """Return *content* with CSRF tokens masked: they differ on every page."""
    return _CSRF_FIELD.sub(rb"\1(masked)", content)


@dataclass
class Cell:
    """One request of the matrix: a row, a case (with its body, built), a persona."""

    caller: Caller
    row: Row
    case: Case
    body: Any

    @property
    def outcome(self) -> Outcome:
        return self.case.expect[self.caller.persona]

    @property
    def url(self) -> str:
        return self.row.url(self.case.params, self.case.query)

    def __str__(self) -> str:
        return f"{self.caller.persona:18} {self.row.method} {self.url} [{self.case.label}]"


def cells(world: MatrixWorld, callers: dict[str, Caller], rows: Iterable[Row]) -> Iterator[Cell]:
    """Yield every cell of *rows*: each case of each row, for each persona."""
    for row in rows:
        for case in row.cases:
            body = case.body(world) if case.body else None
            for persona in PERSONAS:
                yield Cell(callers[persona], row, case, body)


def check(cell: Cell, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Send *cell*'s request in a savepoint rolled back after; return what is wrong."""
    cookies = deepcopy(cell.caller.client.cookies)
    caplog.clear()
    mail.outbox.clear()
    try:
        with transaction.atomic():
            problems = _check(cell, caplog)
            transaction.set_rollback(True)
    except Exception as error:  # a 500 is a finding like any other: report it with the rest
        problems = [f"raised {type(error).__name__}: {error}"]
    finally:
        cell.caller.client.cookies = cookies
    return [f"{cell}: {problem}" for problem in problems]


def _check(cell: Cell, caplog: pytest.LogCaptureFixture) -> list[str]:
    before = snapshot()
    response = send(cell.caller, cell.row.method, cell.url, cell.body)
    after = snapshot()
    problems = _status(cell, response) + _effects(cell.outcome, before, after)
    texts = exposed(response) + elsewhere(caplog)
    if cell.outcome.probe and response.status_code == cell.outcome.status:
        twin_url, twin_body = cell.case.twin(cell.row.path, cell.case.params, cell.body)
        if cell.case.query and "?" not in twin_url:
            twin_url += f"?{urlencode(cell.case.query)}"
        twin = send(cell.caller, cell.row.method, twin_url, twin_body)
        texts += exposed(twin)
        problems += _same_as_missing(response, twin, twin_url)
    leaked = leaks(cell.caller.persona, texts)
    if leaked:
        problems.append(f"LEAK of {', '.join(leaked)} (body, headers, logs or mail)")
    return problems


def _status(cell: Cell, response: Response) -> list[str]:
    outcome, got = cell.outcome, response.status_code
    if got != outcome.status:
        shown = response.content[:160].decode(errors="replace").replace("\n", " ")
        return [f"expected {outcome} ({outcome.status}), got {got}: {shown}"]
    if got not in (301, 302):
        return []
    location = response["Location"]
    sign_in = f"{reverse('web:login')}?next="
    if outcome.to_sign_in and location != sign_in + cell.url:
        return [f"expected the sign-in page, redirected to {location}"]
    if not outcome.to_sign_in and location.startswith(sign_in):
        return [f"expected {outcome}, sent to sign in"]
    return []


def _effects(
    outcome: Outcome, before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    """A successful write adds one audit event, a counted vote one vote; any other request
    changes nothing at all."""
    audits = AuditEvent._meta.label_lower
    if outcome.votes:
        return _vote_effects(before, after)
    if outcome.writes:
        added = after[audits][0] - before[audits][0]
        return [] if added == 1 else [f"a write should add one audit event, added {added}"]
    changed = sorted(label for label in before if before[label] != after[label])
    return [f"changed {', '.join(changed)} though it was not a write"] if changed else []


def _vote_effects(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    votes = Vote._meta.label_lower
    added = after[votes][0] - before[votes][0]
    changed = sorted(label for label in before if before[label] != after[label])
    problems = [] if added == 1 else [f"a vote should add one vote row, added {added}"]
    others = [label for label in changed if label not in VOTE_EFFECTS]
    return problems + ([f"a vote changed {', '.join(others)}"] if others else [])


def seen(response: Response) -> dict[str, object]:
    """Return what a caller can compare between two answers, without what changes every time:
    CSRF tokens in the body, cookie values (fresh tokens), the clock in ``Expires``."""
    parts: dict[str, object] = {f"header {k}": v for k, v in response.headers.items()}
    parts.pop("header Expires", None)
    parts.update(status=response.status_code, body=masked(response.content))
    parts["cookies"] = sorted(response.cookies)
    return parts


def _same_as_missing(response: Response, twin: Response, twin_url: str) -> list[str]:
    """A hidden thing must be answered exactly as a missing one."""
    ours, theirs = seen(response), seen(twin)
    differ = sorted(
        name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name)
    )
    if not differ:
        return []
    return [f"answered unlike something missing ({twin_url}): {', '.join(differ)} differ"]


def capture_everything(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log record, debug included, so the leak check reads them all."""
    caplog.set_level(logging.DEBUG)
