"""The access matrix: for every route Parley serves, what every persona gets.

Each ``Row`` is one (method, path template) of the inventory (see inventory.py). ``row()``
makes it from a list of *targets* (a process, a kind in a process, or one row of the world,
each with who may read it) and a rule turning a target into the outcome per persona, written
with the vocabulary (vocabulary.py):

- ``reads(readers)``: 200 for *readers*, for everyone else the 404 a missing row gets;
- ``acts(door, readers, actors, done)``: *done* for *actors*, 403 for the other *readers*,
  404 for the rest; anonymous callers are stopped at the door first (web: sent to sign in,
  API: 401);
- ``each(outcome)``: the same for everyone.

Who reads which row is stated here, in READERS, from the visibility levels the world gives the
rows; it is not computed by the code under test. The runner (runner.py) checks, for every cell:
the status; that no canary outside the persona's ENTITLED set appears in the body, a header, a
cookie, a log record or an e-mail; that a 404 (and the citations API's 422 for a hidden
reference) is byte-identical to the answer for something that does not exist; and that a
request that is not a successful write changes no row (a successful one adds one audit event).

Coverage: every kind's routes, web and API, on the public process ("talks") and on the
mediation-only one ("backroom"), each with the kind's public sample row, plus the rows in
READERS (party A's and B's positions, a public position, a public and a mediation-only round,
the lead's note, a subgroup and a process-level issue, a mediation-only source, a persona's
person and role rows).

Consultations: every page and API operation of a conversation, on each conversation of the
world (CONSULTATIONS, with who reads, runs and takes part in each) and on one that does not
exist.

Nothing the resolver lists is excluded. Not in the resolver, so not in the matrix:
``/static/…``, which WhiteNoise serves before URL resolution (public CSS only). HEAD and
OPTIONS are not cells: HEAD is answered as GET without a body, OPTIONS only lists methods.

How to add a row for a new endpoint
-----------------------------------
1. Run ``pytest tests/integration/test_access_matrix.py -k complete``: it names the
   (method, path) that has no row (an API endpoint's methods come from its OpenAPI entry; for a
   plain Django view, add a row for each method it answers: the 405 test refuses the others).
2. Add ``row(method, path, targets, rule)`` below, in the section of its door: the targets
   are PROCESSES, ``kinds_in()`` or ``records()`` (both processes, every kind, the READERS
   rows); the rule says who may see the target and who may act, e.g.
   ``lambda t: acts(WEB, t.readers, MEDIATION, SAVED)``.
3. A write needs a valid body (bodies.py), made per target: the case must succeed for its
   actors, so the only reason anyone else fails is authorisation. Give ``twin=`` if "cannot
   see" is answered for something named in the body rather than in the path.
4. If the endpoint shows rows no existing canary covers, give them a canary in world.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from parley.processes.kinds import KINDS
from tests.integration.access import bodies
from tests.integration.access.inventory import HTTP_METHODS
from tests.integration.access.vocabulary import (
    ACCREDITED,
    API,
    BACKROOM,
    CHANGED,
    CREATED,
    EVERYONE,
    FORBIDDEN,
    HEADS,
    HIDDEN,
    MEDIATION,
    NOBODY,
    OK,
    PARTY_A,
    PARTY_B,
    RECORDED,
    REDIRECT,
    REFUSED,
    SAVED,
    SIGNED_IN,
    TALKS,
    UNKNOWN_REF,
    VOTED,
    WEB,
    Body,
    Case,
    Door,
    Expect,
    Outcome,
    Row,
    Twin,
    acts,
    each,
    missing_in_body,
    missing_in_path,
    reads,
)


@dataclass(frozen=True)
class Target:
    """What a case asks about: a process, a kind in it, or one row; and who may read it."""

    slug: str
    readers: frozenset[str]
    kind: str | None = None
    key: str | None = None

    @property
    def label(self) -> str:
        return "/".join(part for part in (self.slug, self.kind, self.key) if part) or "site"

    def params(self, path: str) -> dict[str, str]:
        """Return the values of *path*'s parameters ({slug}, {kind}, {key})."""
        named = {"slug": self.slug, "kind": self.kind, "key": self.key}
        return {name: value for name, value in named.items() if f"{{{name}}}" in path and value}


# Who may open each process; SITE: no process, for the routes outside any.
PROCESSES = [Target(TALKS, EVERYONE), Target(BACKROOM, MEDIATION)]
SITE = [Target("", EVERYONE)]

# Who may read each notable row of "talks", from the visibility the world gives it.
READERS: dict[tuple[str, str], frozenset[str]] = {
    ("positions", "pos-a"): MEDIATION | PARTY_A,  # party level, party A
    ("positions", "pos-b"): MEDIATION | PARTY_B,  # party level, party B
    ("positions", "pos-a-public"): EVERYONE,
    ("rounds", "round-1"): EVERYONE,
    ("rounds", "round-secret"): MEDIATION,
    ("issues", "lead-note"): MEDIATION,  # lead level: the mediator is the lead
    ("issues", "subgroup-a"): MEDIATION | PARTY_A,  # subgroup level, audience party A
    ("issues", "process-note"): ACCREDITED,  # process level: not the public participant
    ("sources", "dossier"): MEDIATION,
    ("people", "party-a-lead"): MEDIATION,
    ("role-assignments", "role-party-a-lead"): MEDIATION,
}
# Names that match nothing: a key of another kind (/issues/round-1/), a kind that does not exist.
WRONG_KIND = Target(TALKS, NOBODY, "issues", "round-1")
UNKNOWN_KIND = Target(TALKS, NOBODY, "no-such-kind")
SOURCE = "sample-sources"  # the public source each process holds, for citations
# Recording a party's position: (the party's actor key, its head, the other party's head).
PARTY_POSITIONS = [("party-a", "party_a_lead", "party_b_lead"),
                   ("party-b", "party_b_lead", "party_a_lead")]  # fmt: skip


def kinds_in(kinds: Iterable[str] = KINDS) -> list[Target]:
    """Return each of *kinds* in each process."""
    return [Target(p.slug, p.readers, kind) for kind in kinds for p in PROCESSES]


def records(kind: str | None = None, *, missing: bool = False) -> list[Target]:
    """Return rows of the world (of *kind*, or every kind): each kind's public sample in both
    processes, then the rows in READERS; *missing*: also WRONG_KIND, a row that does not exist.
    """
    samples = [Target(t.slug, t.readers, t.kind, f"sample-{t.kind}") for t in kinds_in()]
    notable = [Target(TALKS, readers, k, key) for (k, key), readers in READERS.items()]
    targets = samples + notable + ([WRONG_KIND] if missing else [])
    return [target for target in targets if kind in (None, target.kind)]


Rule = Callable[[Target], Expect]
BodyFor = Callable[[Target], Body]


def cases(
    path: str,
    targets: Iterable[Target],
    rule: Rule,
    body: BodyFor | None = None,
    twin: Twin = missing_in_path,
) -> tuple[Case, ...]:
    """Return a case per target: *path* filled from it, outcomes from *rule*."""
    return tuple(Case(t.label, t.params(path), rule(t), body and body(t), twin) for t in targets)


def row(
    method: str,
    path: str,
    targets: Iterable[Target],
    rule: Rule,
    body: BodyFor | None = None,
    *,
    more: Iterable[Case] = (),
) -> Row:
    """Return the row of (*method*, *path*): a case per target, then the cases in *more*."""
    return Row(method, path, (*cases(path, targets, rule, body), *more))


def editors(kind: str) -> frozenset[str]:
    """Return who may change a row of *kind*: the mediation team, no one for append-only."""
    return NOBODY if KINDS[kind].append_only else MEDIATION


def adders(kind: str) -> frozenset[str]:
    """Return who may open the form adding a row of *kind*: party heads too, for positions."""
    return MEDIATION | HEADS if kind == "positions" else MEDIATION


def is_party_positions(target: Target) -> bool:
    """Whose positions "talks" records depends on the body: see the party cases instead."""
    return (target.slug, target.kind) == (TALKS, "positions")


def readable(target: Target) -> Expect:
    return reads(target.readers)


# Web pages ------------------------------------------------------------------------------------


def web_site() -> list[Row]:
    """Return the pages outside any process: open to all; opening a process needs a sign-in."""
    return [
        row("GET", "/", SITE, readable),
        row("GET", "/healthz", SITE, readable),
        row("GET", "/login/", SITE, readable),
        row("POST", "/login/", SITE, lambda t: each(REDIRECT),
            lambda t: bodies.credentials("outsider")),
        row("POST", "/logout/", SITE, lambda t: each(REDIRECT)),
        row("GET", "/processes/new/", SITE, lambda t: acts(WEB, EVERYONE, SIGNED_IN, OK)),
        row("POST", "/processes/new/", SITE, lambda t: acts(WEB, EVERYONE, SIGNED_IN, SAVED),
            lambda t: bodies.web_new_process()),
    ]  # fmt: skip


def web_process() -> list[Row]:
    """Return the pages of a process: its readers read it, the mediation team edits it and
    alone knows its audit log exists."""
    page = "/p/{slug}/"
    return [
        row("GET", page, PROCESSES, readable),
        row("GET", page + "timeline/", PROCESSES, readable),
        row("GET", page + "edit/", PROCESSES, lambda t: acts(WEB, t.readers, MEDIATION, OK)),
        row("POST", page + "edit/", PROCESSES, lambda t: acts(WEB, t.readers, MEDIATION, SAVED),
            lambda t: bodies.web_process_change(t.slug)),
        row("GET", page + "audit/", PROCESSES, lambda t: reads(MEDIATION)),
    ]  # fmt: skip


def web_new_record() -> list[Row]:
    """Return the "add a record" page of every kind: the mediation team; party heads for their
    own party's positions (the other head's form offers only its own party: refused)."""
    page = "/p/{slug}/{kind}/new/"
    parties = [
        Case(f"{party}'s position", {"slug": TALKS, "kind": "positions"},
             acts(WEB, EVERYONE, MEDIATION | {head}, SAVED) | {other_head: REFUSED},
             bodies.web_new(TALKS, "positions", actor=party, issue="fighters", visibility="party"))
        for party, head, other_head in PARTY_POSITIONS
    ]  # fmt: skip
    return [
        row("GET", page, [*kinds_in(), UNKNOWN_KIND],
            lambda t: acts(WEB, t.readers, adders(t.kind), OK)),
        row("POST", page, [t for t in kinds_in() if not is_party_positions(t)],
            lambda t: acts(WEB, t.readers, MEDIATION, SAVED),
            lambda t: bodies.web_new(t.slug, t.kind), more=parties),
    ]  # fmt: skip


def web_record() -> list[Row]:
    """Return the pages of a record: its readers read it; the mediation team edits it (never
    a position: append-only) and cites sources for it."""
    page = "/p/{slug}/{kind}/{key}/"
    return [
        row("GET", page, records(missing=True), readable),
        row("GET", page + "edit/", records(missing=True),
            lambda t: acts(WEB, t.readers, editors(t.kind), OK)),
        row("POST", page + "edit/", records(),
            lambda t: acts(WEB, t.readers, editors(t.kind), SAVED),
            lambda t: bodies.web_change(t.slug, t.kind, t.key)),
        row("GET", page + "cite/", records(missing=True),
            lambda t: acts(WEB, t.readers, MEDIATION, OK)),
        row("POST", page + "cite/", records(missing=True),
            lambda t: acts(WEB, t.readers, MEDIATION, SAVED),
            lambda t: bodies.web_cite(t.slug, t.kind, SOURCE)),
    ]  # fmt: skip


# API ------------------------------------------------------------------------------------------

API_ROOT = "/api/v1"


def api_site() -> list[Row]:
    """Return the API's own routes and its process endpoints: as on the web."""
    one = f"{API_ROOT}/processes/{{slug}}"
    return [
        # Ninja's root: only there to build the other URLs; 404 to everyone, whatever the method.
        *(row(method, f"{API_ROOT}/", SITE, lambda t: each(HIDDEN)) for method in HTTP_METHODS),
        row("GET", f"{API_ROOT}/openapi.json", SITE, readable),
        row("GET", f"{API_ROOT}/processes", SITE, readable),
        row("POST", f"{API_ROOT}/processes", SITE,
            lambda t: acts(API, EVERYONE, SIGNED_IN, CREATED), lambda t: bodies.api_new_process()),
        row("GET", one, PROCESSES, readable),
        row("PATCH", one, PROCESSES, lambda t: acts(API, t.readers, MEDIATION, CHANGED),
            lambda t: bodies.api_process_change()),
        row("GET", f"{one}/timeline", PROCESSES, readable),
    ]  # fmt: skip


def api_kind(kind: str) -> list[Row]:
    """Return the four endpoints of *kind*: list and show to readers; add (the mediation team,
    party heads their own positions) and change (the mediation team; never a position)."""
    items = f"{API_ROOT}/processes/{{slug}}/{kind}"
    parties = [
        Case(f"{party}'s position", {"slug": TALKS},
             acts(API, EVERYONE, MEDIATION | {head}, CREATED),
             bodies.api_new(kind, actor=party, issue="fighters", visibility="party"))
        for party, head, _ in PARTY_POSITIONS
        if kind == "positions"
    ]  # fmt: skip
    return [
        row("GET", items, kinds_in([kind]), readable),
        row("POST", items, [t for t in kinds_in([kind]) if not is_party_positions(t)],
            lambda t: acts(API, t.readers, MEDIATION, CREATED),
            lambda t: bodies.api_new(kind), more=parties),
        row("GET", items + "/{key}", records(kind, missing=True), readable),
        row("PATCH", items + "/{key}", records(kind, missing=True),
            lambda t: acts(API, t.readers, editors(kind), CHANGED), lambda t: bodies.api_change()),
    ]  # fmt: skip


def api_citations() -> list[Row]:
    """Return the citations endpoint: the mediation team. In "talks" a target or source the
    caller may not see is refused as unknown (422), exactly as one that does not exist; in
    "backroom" the process itself is missing (404)."""
    path = f"{API_ROOT}/processes/{{slug}}/citations"

    def rule(t: Target) -> Expect:
        unseen = UNKNOWN_REF if t.slug == TALKS else HIDDEN
        return acts(API, t.readers, MEDIATION, CREATED, unseen=unseen)

    def cite(t: Target) -> Body:
        return bodies.api_cite(t.kind or "", t.key or "", SOURCE)

    in_talks = [t for t in records(missing=True) if t.slug == TALKS]
    in_backroom = [t for t in records() if t.slug == BACKROOM]
    hidden_source = Case(
        "talks/rounds/round-1 from the dossier", {"slug": TALKS},
        acts(API, MEDIATION, MEDIATION, CREATED, unseen=UNKNOWN_REF),
        bodies.api_cite("rounds", "round-1", "dossier"), missing_in_body("source"),
    )  # fmt: skip
    return [
        Row("POST", path, (
            *cases(path, in_talks, rule, cite, twin=missing_in_body("target_key")),
            *cases(path, in_backroom, rule, cite),
            hidden_source,
        )),
    ]  # fmt: skip


# Consultations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consultation:
    """A conversation of the world (world.CONVERSATIONS): who reads it, who runs it, who may
    vote and write statements in it now; *statement*: the number its moderation cases decide."""

    slug: str
    readers: frozenset[str]
    managers: frozenset[str]
    voters: frozenset[str]
    statement: int = 1

    def params(self, path: str) -> dict[str, str]:
        numbered = {"number": str(self.statement)} if "{number}" in path else {}
        return {"slug": self.slug, **numbered}


CONSULTATIONS = [
    # Statement 2 is pending: the team accepts it.
    Consultation("talks-consultation", EVERYONE, MEDIATION, EVERYONE, statement=2),
    Consultation("talks-team-consultation", MEDIATION, MEDIATION, MEDIATION),
    # A conversation names no party: at party level only the team may read it (access.py).
    Consultation("talks-party-consultation", MEDIATION, MEDIATION, MEDIATION),
    Consultation("talks-closed-consultation", EVERYONE, MEDIATION, NOBODY),
    # Public itself, but in the mediation-only process.
    Consultation("backroom-consultation", MEDIATION, MEDIATION, MEDIATION),
    # Its convener runs it; it is not open to anonymous participants.
    Consultation("standalone-consultation", EVERYONE, frozenset({"outsider"}), SIGNED_IN),
    Consultation("no-such-conversation", NOBODY, NOBODY, NOBODY),
]
ConsultationRule = Callable[[Consultation], Expect]


def consultation_row(
    method: str,
    path: str,
    rule: ConsultationRule,
    body: Callable[[], Body] | None = None,
) -> Row:
    """Return the row of (*method*, *path*): a case per conversation of CONSULTATIONS."""
    return Row(method, path, tuple(
        Case(c.slug, c.params(path), rule(c), body() if body else None) for c in CONSULTATIONS
    ))  # fmt: skip


def taking_part(done: Outcome, *, team: bool = False) -> ConsultationRule:
    """Return a rule: *done* for those who may take part now (and the *team* running it, which
    seeds statements even in a closed conversation), 403 for other readers, 404 for the rest.
    Anonymous callers are not turned away at the door: a conversation may welcome them."""

    def rule(c: Consultation) -> Expect:
        doers = (c.voters | (c.managers if team else NOBODY)) & c.readers
        return {p: done if p in doers else FORBIDDEN if p in c.readers else HIDDEN
                for p in EVERYONE}  # fmt: skip

    return rule


def conversation_readers(c: Consultation) -> Expect:
    return reads(c.readers)


def running(door: Door, done: Outcome) -> ConsultationRule:
    """Return a rule: *done* for the team running the conversation, 403 for other readers."""
    return lambda c: acts(door, c.readers, c.managers, done)


def web_consultations() -> list[Row]:
    """Return the consultation pages: readers vote card by card and read the results; the team
    moderates; anyone signed in opens a standalone one, the mediation team one in its process."""
    page, in_process = "/c/{slug}/", "/p/{slug}/consultations/new/"
    return [
        row("GET", "/consultations/new/", SITE, lambda t: acts(WEB, EVERYONE, SIGNED_IN, OK)),
        row("POST", "/consultations/new/", SITE, lambda t: acts(WEB, EVERYONE, SIGNED_IN, SAVED),
            lambda t: bodies.web_new_conversation(None)),
        row("GET", in_process, PROCESSES, lambda t: acts(WEB, t.readers, MEDIATION, OK)),
        row("POST", in_process, PROCESSES, lambda t: acts(WEB, t.readers, MEDIATION, SAVED),
            lambda t: bodies.web_new_conversation(t.slug)),
        consultation_row("GET", page, conversation_readers),
        consultation_row("POST", page + "vote/", taking_part(VOTED), bodies.web_vote),
        consultation_row("GET", page + "statements/new/", taking_part(OK, team=True)),
        consultation_row("POST", page + "statements/new/", taking_part(SAVED, team=True),
                         bodies.web_statement),
        consultation_row("POST", page + "statements/{number}/moderate/", running(WEB, SAVED),
                         bodies.web_moderation),
        consultation_row("GET", page + "moderation/", running(WEB, OK)),
        consultation_row("GET", page + "results/", conversation_readers),
        consultation_row("GET", page + "events", conversation_readers),
    ]  # fmt: skip


def api_consultations() -> list[Row]:
    """Return the conversation endpoints: as on the web. Opening one in a process the caller
    may not see is refused as unknown (422), exactly as in a process that does not exist."""
    items = f"{API_ROOT}/conversations"
    one = items + "/{slug}"
    opening = (
        Case("standalone", {}, acts(API, EVERYONE, SIGNED_IN, CREATED),
             bodies.api_new_conversation(None)),
        Case("in talks", {}, acts(API, EVERYONE, MEDIATION, CREATED),
             bodies.api_new_conversation(TALKS)),
        Case("in backroom", {}, acts(API, MEDIATION, MEDIATION, CREATED, unseen=UNKNOWN_REF),
             bodies.api_new_conversation(BACKROOM), missing_in_body("process")),
    )  # fmt: skip
    return [
        row("GET", items, SITE, readable),
        Row("POST", items, opening),
        consultation_row("GET", one, conversation_readers),
        consultation_row("PATCH", one, running(API, CHANGED), bodies.api_conversation_change),
        consultation_row("GET", one + "/statements", conversation_readers),
        consultation_row("POST", one + "/statements", taking_part(CREATED, team=True),
                         bodies.api_statement),
        consultation_row("PATCH", one + "/statements/{number}", running(API, CHANGED),
                         bodies.api_moderation),
        consultation_row("GET", one + "/moderation", running(API, OK)),
        consultation_row("GET", one + "/next", conversation_readers),
        consultation_row("POST", one + "/votes", taking_part(RECORDED), bodies.api_vote),
        consultation_row("GET", one + "/my-votes", conversation_readers),
        consultation_row("GET", one + "/results", conversation_readers),
    ]  # fmt: skip


def build_matrix() -> list[Row]:
    """Return every row of the matrix."""
    rows = web_site() + web_process() + web_new_record() + web_record() + web_consultations()
    rows += api_site()
    for kind in KINDS:
        rows += api_kind(kind)
    return rows + api_citations() + api_consultations()


MATRIX = build_matrix()
