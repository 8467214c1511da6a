"""Time a large negotiating text: 500 clauses, 20 parties, 30 drafts, 20 parties' positions.

Run: .venv/bin/python bench/texts.py [--runs N] [--pdf-runs N] [--only pages,diff,docx,pdf]
Uses a fresh SQLite file (or DATABASE_URL if set, e.g. a PostgreSQL database it may fill).

What it builds (seeded, so every run builds the same text):

- a process with a mediator and 20 parties, each with a head of delegation (its own user), all
  through ``processes.actions``;
- a text of 500 clauses (every fifth a top-level article, the others its sub-clauses), bodies of
  40-80 words, about 40% of them with one or two brackets of one to three alternatives, made by
  ``texts.actions.create_text``;
- 30 circulated drafts: each next one is ``actions.start_draft``, ``actions.edit_clause`` on 5% of
  the clauses (25), ``actions.circulate``. An edit is local, as between real drafts (a bracket
  settled on one alternative, a new bracket, or a few words replaced); with --rewrite every
  edited clause gets a whole new body, the worst case for diffs;
- on Draft 30, every party's position on every clause and its ratings of every alternative of
  every bracket. These rows (about 20,000) are the one thing written with ``bulk_create``
  instead of ``actions.record_position``, to build in seconds rather than minutes; they hold
  exactly the fields ``record_position`` writes (party level, not advisory, author = the party's
  head).

What it times, each over --runs runs after one warm-up (median and p95, milliseconds):

- the draft reader ``/p/<slug>/texts/<key>/v/30/``, the board ``…/v/30/board/`` and one clause's
  page ``…/v/30/clauses/c-0001/``, through Django's test Client as the mediator and as one
  party's head (whole stack: middleware, session, access, queries, template);
- ``queries.diff_versions`` of Draft 29 -> 30 and Draft 1 -> 30;
- ``docx.render_docx`` and ``pdf.render_pdf`` of ``queries.doc_of(Draft 30)``, the doc_of read
  included (what the export view does).

Times are wall-clock; "CPU" is this process's CPU time (on SQLite that includes the database's
work, on PostgreSQL not). If the database already holds the text (DATABASE_URL of an earlier
run), it is reused instead of built again.

--profile pages|diff|docx|pdf prints a pyinstrument profile of one run of each measurement of that
section instead of timing it (``pip install pyinstrument`` into the venv first).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.process_page import percentile, setup_django  # noqa: E402

SEED = 2015
CLAUSES, PARTIES, VERSIONS = 500, 20, 30
CHANGED_SHARE = 0.05
BRACKETED_SHARE = 0.4
SLUG, KEY = "bench-texts", "big-text"
# Targets (ms): the performance budget for the text pages and exports (the clause page has
# none of its own; it gets the pages' one).
TARGETS = {"reader": 200, "board": 200, "clause": 200, "diff": 100, "docx": 2000, "pdf": 5000}

_VOCABULARY = (
    "the parties shall agree to ensure that all relevant authorities and institutions within the "
    "territory respect implement guarantee protect review establish monitor support promote "
    "provide facilitate consider recognise commit to a joint commission for transitional "
    "arrangements security sector reform ceasefire humanitarian access detainees return of "
    "refugees displaced persons local councils elections constitution federal regional "
    "administration resources revenue sharing within six months of signature in accordance with "
    "international law human rights principles without delay under the supervision of the "
    "guarantors on the basis of mutual respect and good faith including women youth and civil "
    "society representatives at every level of decision making"
)
WORDS = _VOCABULARY.split()


@dataclass
class Built:
    slug: str
    key: str
    mediator: Any
    head: Any
    versions: dict[int, Any]
    positions: int
    options: int
    bracketed: int


# Building -----------------------------------------------------------------------------------


def words(rng: random.Random, low: int, high: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(rng.randint(low, high))]


def clause_tokens(rng: random.Random) -> list[str]:
    """Return 40-80 words; with probability BRACKETED_SHARE, one or two brackets among them.

    A bracket (its alternatives, "[a b] [c d]") is one token, so edits can find it.
    """
    tokens = words(rng, 40, 80)
    if rng.random() < BRACKETED_SHARE:
        count = rng.choice((1, 2))
        # Different places with settled words between, so two brackets never merge into one.
        for place in sorted(rng.sample(range(2, len(tokens) - 2, 3), count), reverse=True):
            tokens.insert(place, bracket(rng))
    return tokens


def bracket(rng: random.Random) -> str:
    return " ".join("[" + " ".join(words(rng, 2, 6)) + "]" for _ in range(rng.randint(1, 3)))


def body_of(tokens: list[str]) -> str:
    return " ".join(tokens).capitalize() + "."


def redraft(rng: random.Random, tokens: list[str], rewrite: bool) -> list[str]:
    """Return the clause's next wording: as between real drafts, one local change (a bracket
    settled on one of its alternatives, a new bracket, or a few words replaced); with *rewrite*,
    a whole new body (the worst case for diffs)."""
    if rewrite:
        return clause_tokens(rng)
    tokens = list(tokens)
    brackets = [i for i, token in enumerate(tokens) if token.startswith("[")]
    plain = [
        i for i in range(1, len(tokens) - 1)
        if not any(tokens[j].startswith("[") for j in (i - 1, i, i + 1))
    ]  # fmt: skip
    roll = rng.random()
    # Settling and adding brackets balance out near BRACKETED_SHARE bracketed clauses.
    if brackets and roll < 0.4:
        at = rng.choice(brackets)
        tokens[at] = rng.choice(re.findall(r"\[([^\]]*)\]", tokens[at]))
    elif len(brackets) < 2 and roll > 0.8 and plain:
        tokens[rng.choice(plain)] = bracket(rng)
    else:
        at = rng.choice(plain or [0])
        span = [i for i in range(at, min(at + rng.randint(3, 8), len(tokens))) if i in plain]
        for i in span:
            tokens[i] = rng.choice(WORDS)
    return tokens


def text_doc(rng: random.Random, bodies: dict[str, list[str]]) -> Any:
    """Return the first draft; *bodies* gets each clause's tokens, for later redrafts."""
    from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc

    clauses = []
    for index in range(CLAUSES):
        article, sub = divmod(index, 5)
        number = f"{article + 1}" if sub == 0 else f"{article + 1}.{sub}"
        status = DraftingStatus.AGREED if rng.random() < 0.3 else DraftingStatus.UNDER_DISCUSSION
        clauses.append(
            ClauseDoc(
                key=(key := f"c-{index + 1:04d}"),
                number=number,
                heading=f"Article {article + 1}" if sub == 0 else "",
                body=body_of(bodies.setdefault(key, clause_tokens(rng))),
                depth=1 if sub == 0 else 2,
                status=status,
            )
        )
    return TextDoc("Bench agreement (synthetic)", tuple(clauses))


def reuse() -> Built | None:
    """Return the text an earlier run built in this database (DATABASE_URL), if there is one."""
    from parley.processes.models import RoleAssignment
    from parley.texts.models import ClausePosition, NegotiatingText, Option, TextVersion

    text = NegotiatingText.objects.filter(process__slug=SLUG, key=KEY).first()
    if text is None:
        return None
    roles = RoleAssignment.objects.filter(process=text.process).select_related("person__user")
    mediator = roles.get(role="mediator").person.user
    head = roles.filter(role="head_of_delegation").order_by("key")[0].person.user
    versions = {v.number: v for v in TextVersion.objects.filter(text=text)}
    last = versions[VERSIONS]
    options = Option.objects.filter(clause__version=last)
    return Built(
        SLUG, KEY, mediator, head, versions,
        ClausePosition.objects.filter(clause__version=last).count(), options.count(),
        options.values("clause").distinct().count(),
    )  # fmt: skip


def build(rewrite: bool) -> Built:
    from django.contrib.auth import get_user_model

    from parley.core.visibility import Visibility
    from parley.processes import actions as process_actions
    from parley.processes.kinds import KINDS
    from parley.processes.permissions import viewer_for
    from parley.texts import actions
    from parley.texts.access import access_text
    from parley.texts.actions import start_draft
    from parley.texts.models import Clause, NegotiatingText, TextVersion
    from parley.texts.queries import working_draft

    rng = random.Random(SEED)
    bodies: dict[str, list[str]] = {}
    users = get_user_model().objects
    mediator = users.create_user(username=f"bench-mediator-{os.getpid()}")
    process = process_actions.create_process(
        user=mediator, exact_slug=True,
        data={"slug": SLUG, "title": "Bench process", "visibility": Visibility.PROCESS.value},
    )  # fmt: skip

    def add(kind: str, **data: object) -> Any:
        return process_actions.create_record(
            user=mediator, process=process, kind=KINDS[kind], data=data
        )

    heads = {}
    for i in range(PARTIES):
        actor = add("actors", key=f"party-{i + 1:02d}", name=f"Party {i + 1:02d}")
        person = add("people", key=f"head-{i + 1:02d}", display_name=f"Head {i + 1:02d}",
                     visibility=Visibility.MEDIATION.value)  # fmt: skip
        user = users.create_user(username=f"bench-head-{i + 1:02d}-{os.getpid()}")
        process_actions.link_person(person=person, user=user)
        add("role-assignments", key=f"role-head-{i + 1:02d}", role="head_of_delegation",
            person=person, represents=actor, visibility=Visibility.MEDIATION.value)  # fmt: skip
        heads[actor.pk] = user

    actions.create_text(
        user=mediator, process=process, viewer=viewer_for(mediator, process),
        data={"key": KEY, "title": "Bench agreement (synthetic)",
              "visibility": Visibility.PROCESS.value,
              "drafting_mode": NegotiatingText.DraftingMode.OPEN.value},
        doc=text_doc(rng, bodies),
    )  # fmt: skip
    team = access_text(mediator, SLUG, KEY)
    assert team.text.parties.count() == PARTIES
    keys = [f"c-{i + 1:04d}" for i in range(CLAUSES)]
    for number in range(1, VERSIONS + 1):
        version = start_draft(access=team) if number > 1 else working_draft(team.text)
        assert version is not None
        if number > 1:
            for key in rng.sample(keys, round(CLAUSES * CHANGED_SHARE)):
                clause = Clause.objects.get(version=version, key=key)
                bodies[key] = redraft(rng, bodies[key], rewrite)
                actions.edit_clause(access=team, clause=clause, data={"body": body_of(bodies[key])},
                                    revision=clause.revision)  # fmt: skip
        actions.circulate(access=team, version=version, label=f"Draft {number}")
        print(f"\r  draft {number}/{VERSIONS} circulated", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    versions = {v.number: v for v in TextVersion.objects.filter(text=team.text)}
    positions, options, bracketed = bulk_positions(rng, process, versions[VERSIONS], heads)
    head = next(iter(heads.values()))
    return Built(SLUG, KEY, mediator, head, versions, positions, options, bracketed)


def bulk_positions(
    rng: random.Random, process: Any, version: Any, heads: dict[int, Any]
) -> tuple[int, int, int]:
    """Write every party's position on every clause and alternative of *version* (bulk)."""
    from parley.core.visibility import Visibility
    from parley.texts.models import ClausePosition
    from parley.texts.queries import clauses_of

    clauses = clauses_of(version)
    rows = []

    def position(party: int, clause: Any, option: Any, rank: int | None) -> ClausePosition:
        roll = rng.random()
        stance = "accept" if roll < 0.75 else "live_with" if roll < 0.92 else "reject"
        return ClausePosition(
            process=process, key=f"pos-{secrets.token_hex(8)}",
            visibility=Visibility.PARTY.value, party_id=party, clause=clause, option=option,
            stance=stance, reason="Not acceptable as drafted." if stance == "reject" else "",
            reservation="Subject to the annex." if stance == "live_with" else "", rank=rank,
            is_advisory=False, author=heads[party],
        )  # fmt: skip

    for party in heads:
        for clause in clauses:
            rows.append(position(party, clause, None, None))
            rated = [o for o in clause.options.all() if not o.is_omit]
            for rank, option in enumerate(rated, start=1):
                rows.append(position(party, clause, option, rank))
    ClausePosition.objects.bulk_create(rows, batch_size=2000)
    bracketed = sum(1 for c in clauses if c.options.all())
    alternatives = sum(len(c.options.all()) for c in clauses)
    return len(rows), alternatives, bracketed


# Measuring ----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    target: str
    timings: tuple[list[float], list[float]]  # wall and CPU (this process) milliseconds
    queries: int | None = None

    @property
    def samples(self) -> list[float]:
        return self.timings[0]

    @property
    def cpu(self) -> float:
        return statistics.median(self.timings[1])

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)


def timed(call: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Return the wall and CPU milliseconds of *runs* calls, after one warm-up call."""
    call()  # warm-up: imports, template loading, first connection
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


class QueryCounter:
    """A database execute wrapper that counts the statements it lets through."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def page_rows(built: Built, runs: int) -> list[Row]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    base = f"/p/{built.slug}/texts/{built.key}/v/{VERSIONS}/"
    rows = []
    for persona, user in (("mediator", built.mediator), ("party head", built.head)):
        client = Client()
        client.force_login(user)
        # The board is cached until its next position; "uncached" is the first view after one.
        board = f"{base}board/"
        pages = (("reader", base, False), ("board", board, False), ("board", board, True),
                 ("clause", f"{base}clauses/c-0001/", False))  # fmt: skip
        for name, url, cold in pages:

            def get(url: str = url, client: Client = client, cold: bool = cold) -> None:
                if cold:
                    cache.clear()
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"GET {url} answered {response.status_code}")

            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                get()
            samples = timed(get, runs)
            label = f"{name} page v{VERSIONS} ({persona}{', uncached' if cold else ''})"
            rows.append(Row(label, f"p95 <= {TARGETS[name]}", samples, counter.count))
    return rows


def diff_rows(built: Built, runs: int) -> list[Row]:
    from parley.texts.queries import diff_versions

    rows = []
    for first in (VERSIONS - 1, 1):
        old, new = built.versions[first], built.versions[VERSIONS]

        def diff(old: Any = old, new: Any = new) -> object:
            return diff_versions(old, new)

        rows.append(Row(f"diff v{first} -> v{VERSIONS}", f"p95 <= {TARGETS['diff']}",
                        timed(diff, runs)))  # fmt: skip
    return rows


def export_rows(built: Built, runs: int, fmt: str) -> list[Row]:
    from parley.texts.queries import doc_of

    version = built.versions[VERSIONS]
    if fmt == "docx":
        from parley.texts.docx import render_docx as render
    else:
        from parley.texts.pdf import render_pdf as render

    def export() -> bytes:
        return render(doc_of(version), label=version.display_label,
                      fingerprint=version.fingerprint)  # fmt: skip

    return [Row(f"{fmt.upper()} export v{VERSIONS}", f"p95 <= {TARGETS[fmt]}", timed(export, runs))]


def profile(built: Built, section: str) -> None:
    from pyinstrument import Profiler

    calls: list[tuple[str, Callable[[], object]]] = []
    if section == "pages":
        from django.test import Client

        client = Client()
        client.force_login(built.mediator)
        base = f"/p/{built.slug}/texts/{built.key}/v/{VERSIONS}/"
        for url in (base, f"{base}board/", f"{base}clauses/c-0001/"):

            def get(url: str = url) -> object:
                return client.get(url)

            calls.append((url, get))
    elif section == "diff":
        from parley.texts.queries import diff_versions

        v = built.versions
        calls = [("diff v1 -> v30", lambda: diff_versions(v[1], v[VERSIONS]))]
    else:
        calls = [(section, lambda: export_rows(built, 1, section))]
    for name, call in calls:
        call()  # warm-up
        profiler = Profiler(interval=0.0005)
        profiler.start()
        call()
        profiler.stop()
        print(f"=== {name}")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pdf-runs", type=int, default=None, help="default: --runs")
    parser.add_argument("--only", default="pages,diff,docx,pdf")
    parser.add_argument("--profile", choices=("pages", "diff", "docx", "pdf"))
    parser.add_argument(
        "--rewrite", action="store_true", help="redraft changed clauses whole (worst case)"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    found = reuse()
    built = found or build(args.rewrite)
    edits = "whole rewrites" if args.rewrite else "local edits"
    how = "reused" if found else f"built ({edits}) in {time.perf_counter() - started:.1f} s"
    print(f"database: {connection.vendor}; {CLAUSES} clauses x {VERSIONS} drafts, {PARTIES} "
          f"parties, {built.bracketed} bracketed clauses on draft {VERSIONS} ({built.options} "
          f"alternatives), {built.positions} positions; {how}")  # fmt: skip
    if args.profile:
        profile(built, args.profile)
        return
    sections = set(args.only.split(","))
    rows: list[Row] = []
    if "pages" in sections:
        rows += page_rows(built, args.runs)
    if "diff" in sections:
        rows += diff_rows(built, args.runs)
    if "docx" in sections:
        rows += export_rows(built, args.runs, "docx")
    if "pdf" in sections:
        rows += export_rows(built, args.pdf_runs or args.runs, "pdf")
    print()
    print("| measurement | runs | queries | median ms | p95 ms | CPU median ms | target ms | met |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        limit = float(row.target.split()[-1])
        met = "yes" if row.p95 <= limit else "**no**"
        queries = "" if row.queries is None else str(row.queries)
        print(f"| {row.name} | {len(row.samples)} | {queries} | {row.median:.1f} | "
              f"{row.p95:.1f} | {row.cpu:.1f} | {row.target} | {met} |")  # fmt: skip


if __name__ == "__main__":
    main()
