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

Negotiating texts: every page and API operation of a text, on *spots* (``Spot``): each text
of the world (a process-level one open to amendments, a process-level one under the one-text
procedure, the team's own, one in "backroom", one that does not exist), each draft of them
(current, closed, working, missing), a clause of each (and one that does not exist), each
amendment (the team's, party A's, a missing one). A spot says which part of the request hides
something from someone, so that its 404 is compared with the one for a missing thing *there*
(a missing draft, clause or amendment; the API names what is missing). Positions are recorded
per party on the current draft: the head officially, a member as an advisory view, the team for
any party; the other party's head is refused, and so is everyone on a working or closed draft.
A statement's page and its citing clauses are read per conversation and per statement
(accepted, pending, rejected, missing); the canaries prove who sees which clauses.

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
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from parley.processes.kinds import KINDS
from tests.integration.access import bodies
from tests.integration.access.inventory import HTTP_METHODS
from tests.integration.access.vocabulary import (
    ACCREDITED,
    API,
    AS_MISSING,
    BACKROOM,
    CHANGED,
    CREATED,
    EVERYONE,
    FORBIDDEN,
    HEADS,
    HIDDEN,
    MEDIATION,
    MISSING_KEY,
    MISSING_NUMBER,
    MISSING_SLUG,
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
    Params,
    Row,
    Twin,
    acts,
    each,
    missing_in_body,
    missing_in_path,
    reads,
)
from tests.integration.access.world import (
    BACKROOM_TEXT,
    CHARTER,
    CITED,
    FIRST_CLAUSE,
    JOINT,
    PARTY_AMENDMENT,
    TEAM_AMENDMENT,
    TEAM_NOTE,
    TEAM_TEXT,
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


# Negotiating texts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spot:
    """A negotiating text, one of its drafts, a clause of one or an amendment to it (world.py);
    who may read it; and which part of the request names the narrowest thing some persona may
    not see (*hides*: a path parameter, or a query parameter): its twin names something that
    does not exist there instead, so that hidden and missing must answer the same bytes."""

    slug: str
    text: str
    readers: frozenset[str]
    number: int | None = None
    clause: str | None = None
    code: str | None = None
    hides: str = "text"
    query: tuple[tuple[str, str], ...] = ()
    fmt: str | None = None

    @property
    def label(self) -> str:
        number = f"v{self.number}" if self.number is not None else None
        parts = (self.slug, self.text, number, self.clause, self.code, self.fmt)
        query = "&".join(f"{name}={value}" for name, value in self.query)
        return "/".join(p for p in parts if p) + (f"?{query}" if query else "")

    @property
    def working(self) -> bool:
        """Return whether this is (a clause of) a working draft, the only one that changes."""
        return (self.text, self.number) in WORKING

    @property
    def current(self) -> bool:
        """Return whether this is (a clause of) the latest circulated draft: it takes positions."""
        return (self.text, self.number) in CURRENT

    def params(self, path: str) -> dict[str, str]:
        """Return the values of *path*'s parameters; the API names the text {key}."""
        number = None if self.number is None else str(self.number)
        named = {"slug": self.slug, "text": self.text, "key": self.text, "number": number,
                 "clause": self.clause, "code": self.code, "fmt": self.fmt}  # fmt: skip
        return {name: value for name, value in named.items() if f"{{{name}}}" in path and value}

    def twin(self) -> Twin:
        """Return the request naming something missing where this spot hides something."""
        hides, query = self.hides, dict(self.query)

        def twin(path: str, params: Params, body: Any) -> tuple[str, Any]:
            missing = dict(params)
            if hides in query:
                query[hides] = MISSING_NUMBER
            else:
                name = "key" if hides == "text" and "{key}" in path else hides
                assert name in missing, f"{path}: nothing named {name} to replace"
                missing[name] = MISSING_FOR.get(name, MISSING_KEY)
            return path.format(**missing) + (f"?{urlencode(query)}" if query else ""), body

        return twin

    def case(self, path: str, expect: Expect, body: Body | None = None) -> Case:
        return Case(self.label, self.params(path), expect, body, self.twin(), dict(self.query))


MISSING_FOR = {"slug": MISSING_SLUG, "number": MISSING_NUMBER}
WORKING = {(JOINT, 2), (BACKROOM_TEXT, 2)}  # the working drafts of the world
CURRENT = {(JOINT, 1), (CHARTER, 2), (TEAM_TEXT, 1), (BACKROOM_TEXT, 1)}  # take positions
MISSING_TEXT = "no-such-text"
OPEN_TEXTS = {JOINT}  # drafting mode "open amendments": party delegates table amendments
PARTIES = PARTY_A | PARTY_B  # members of the texts' parties: they comment and review


def _joint(readers: frozenset[str], **where: Any) -> Spot:
    return Spot(TALKS, JOINT, readers, **where)


# Texts: joint and charter are process level; team-text is the team's; backroom-text is in the
# hidden process.
TEXT_SPOTS = [
    _joint(ACCREDITED),
    Spot(TALKS, CHARTER, ACCREDITED),
    Spot(TALKS, TEAM_TEXT, MEDIATION),
    Spot(BACKROOM, BACKROOM_TEXT, MEDIATION, hides="slug"),
    Spot(TALKS, MISSING_TEXT, NOBODY),
]
# Drafts: every text's circulated Draft 1; joint's and backroom-text's working Draft 2;
# charter's Draft 2, circulated after its Draft 1 (closed: it takes no more positions).
VERSION_SPOTS = [
    _joint(ACCREDITED, number=1),
    _joint(MEDIATION, number=2, hides="number"),
    _joint(NOBODY, number=int(MISSING_NUMBER), hides="number"),
    Spot(TALKS, CHARTER, ACCREDITED, number=1),
    Spot(TALKS, CHARTER, ACCREDITED, number=2),
    Spot(TALKS, TEAM_TEXT, MEDIATION, number=1),
    Spot(BACKROOM, BACKROOM_TEXT, MEDIATION, number=1, hides="slug"),
    Spot(BACKROOM, BACKROOM_TEXT, MEDIATION, number=2, hides="slug"),
    Spot(TALKS, MISSING_TEXT, NOBODY, number=1),
]
# Clauses: the first clause of each draft, joint's team note, a clause that does not exist.
CLAUSE_SPOTS = [
    replace(spot, clause=FIRST_CLAUSE.get(spot.text, FIRST_CLAUSE[JOINT]))
    for spot in VERSION_SPOTS
    if spot.number != int(MISSING_NUMBER)
] + [
    _joint(MEDIATION, number=2, clause=TEAM_NOTE, hides="number"),
    _joint(NOBODY, number=1, clause=MISSING_KEY, hides="clause"),
]
# Amendments to joint: the team's (process level) and party A's (party level).
AMENDMENT_SPOTS = [
    _joint(ACCREDITED, code=TEAM_AMENDMENT),
    _joint(MEDIATION | PARTY_A, code=PARTY_AMENDMENT, hides="code"),
    _joint(NOBODY, code=MISSING_KEY, hides="code"),
    Spot(TALKS, MISSING_TEXT, NOBODY, code=TEAM_AMENDMENT),
]
# Diffs: Draft 1 with itself; joint's Draft 1 with the working Draft 2 (the parties do not see
# it: the web page then shows their only draft, the API answers 404 as for a missing draft).
DIFF_SPOTS = [
    *(replace(spot, query=(("from", "1"), ("to", "1"))) for spot in TEXT_SPOTS),
    _joint(MEDIATION, query=(("from", "1"), ("to", "2")), hides="to"),
    Spot(TALKS, CHARTER, ACCREDITED, query=(("from", "1"), ("to", "2"))),
    Spot(BACKROOM, BACKROOM_TEXT, MEDIATION, hides="slug", query=(("from", "1"), ("to", "2"))),
]
EXPORT_FORMATS = ("md", "docx", "pdf")
# Whose position a case records on a clause: each party of joint's and charter's, the sample
# bloc that is backroom-text's party.
POSITION_PARTIES = {JOINT: ("party-a", "party-b"), CHARTER: ("party-a", "party-b"),
                    TEAM_TEXT: ("party-a",), BACKROOM_TEXT: ("sample-actors",),
                    MISSING_TEXT: ("party-a",)}  # fmt: skip
MEMBERS = {"party-a": PARTY_A, "party-b": PARTY_B}
CONVERSATION_OF = {TALKS: CITED, BACKROOM: "backroom-consultation"}  # statement 1 is accepted


def spot_row(
    method: str,
    path: str,
    spots: Iterable[Spot],
    rule: Callable[[Spot], Expect],
    body: Callable[[Spot], Body] | None = None,
    *,
    more: Iterable[Case] = (),
) -> Row:
    """Return the row of (*method*, *path*): a case per spot, then the cases in *more*."""
    cases_ = tuple(s.case(path, rule(s), body(s) if body else None) for s in spots)
    return Row(method, path, (*cases_, *more))


def seen(spot: Spot) -> Expect:
    return reads(spot.readers)


def drafters(spot: Spot) -> frozenset[str]:
    """Return who may change a draft: the team, a working draft only (a circulated one is
    frozen: the team is refused too)."""
    return MEDIATION if spot.working else NOBODY


def proposers(spot: Spot) -> frozenset[str]:
    """Return who may table an amendment: the team, and party heads when the text is open."""
    return MEDIATION | (HEADS if spot.text in OPEN_TEXTS else NOBODY)


def position_cases(door: Door, path: str, done: Outcome, body: Callable[[str], Body]) -> list[Case]:
    """Return a case per clause and party recording that party's position: on the current
    draft its delegation (the head officially, a member's advisory view) and the team, who may
    record any party's; the other party's head and the observer are refused. A working or a
    closed draft takes no position, not even the team's."""
    found = []
    for spot in CLAUSE_SPOTS:
        for party in POSITION_PARTIES[spot.text]:
            speakers = MEDIATION | MEMBERS.get(party, NOBODY) if spot.current else NOBODY
            expect = acts(door, spot.readers, speakers, done)
            found.append(replace(spot.case(path, expect, body(party)),
                                 label=f"{spot.label} for {party}"))  # fmt: skip
    return found


def web_texts() -> list[Row]:
    """Return the negotiating-text pages: readers of a text read its drafts, board, clauses,
    diffs, amendments and exports; the team drafts, circulates, imports, cites and decides;
    party delegations record positions (the head officially, members advisory), comment and
    review; party heads table amendments where the text is open to them."""
    texts, text = "/p/{slug}/texts/", "/p/{slug}/texts/{text}/"
    version, clause = text + "v/{number}/", text + "v/{number}/clauses/{clause}/"
    return [
        row("GET", texts, PROCESSES, readable),
        row("GET", texts + "new/", PROCESSES, lambda t: acts(WEB, t.readers, MEDIATION, OK)),
        row("POST", texts + "new/", PROCESSES, lambda t: acts(WEB, t.readers, MEDIATION, SAVED),
            lambda t: bodies.web_new_text()),
        spot_row("GET", text, TEXT_SPOTS, seen),
        spot_row("GET", text + "diff/", DIFF_SPOTS, web_diff),
        # A party's changes since its last review: the team picks a party; the observer has none.
        spot_row("GET", text + "changes/", TEXT_SPOTS,
                 lambda s: reads(s.readers, refused={"observer"})),
        spot_row("GET", text + "draft/", TEXT_SPOTS, lambda s: acts(WEB, s.readers, MEDIATION, OK)),
        spot_row("POST", text + "draft/", TEXT_SPOTS,
                 lambda s: acts(WEB, s.readers, MEDIATION, SAVED),
                 lambda s: bodies.web_next_draft(circulate=s.text in {JOINT, BACKROOM_TEXT})),
        spot_row("GET", text + "import/", TEXT_SPOTS,
                 lambda s: acts(WEB, s.readers, MEDIATION, OK)),
        # Only with no working draft open: joint's and backroom-text's refuse the team too.
        spot_row("POST", text + "import/", TEXT_SPOTS,
                 lambda s: acts(WEB, s.readers, importers(s), SAVED),
                 lambda s: bodies.web_import()),
        spot_row("GET", text + "amendments/", TEXT_SPOTS, seen),
        spot_row("GET", text + "amendments/new/", TEXT_SPOTS,
                 lambda s: acts(WEB, s.readers, proposers(s), OK)),
        spot_row("POST", text + "amendments/new/", TEXT_SPOTS,
                 lambda s: acts(WEB, s.readers, proposers(s), SAVED),
                 lambda s: bodies.web_amendment(FIRST_CLAUSE.get(s.text, "fighters"))),
        spot_row("POST", text + "amendments/{code}/decide/", AMENDMENT_SPOTS,
                 lambda s: acts(WEB, s.readers, MEDIATION, SAVED), lambda s: bodies.web_decision()),
        spot_row("GET", version, VERSION_SPOTS, seen),
        spot_row("GET", version + "board/", VERSION_SPOTS, seen),
        spot_row("POST", version + "reviewed/", VERSION_SPOTS,
                 lambda s: acts(WEB, s.readers, NOBODY if s.working else PARTIES, SAVED),
                 lambda s: bodies.web_review()),
        spot_row("GET", version + "export.{fmt}", exports(VERSION_SPOTS), seen),
        spot_row("GET", version + "clauses/new/", VERSION_SPOTS,
                 lambda s: acts(WEB, s.readers, drafters(s), OK)),
        spot_row("POST", version + "clauses/new/", VERSION_SPOTS,
                 lambda s: acts(WEB, s.readers, drafters(s), SAVED),
                 lambda s: bodies.web_new_clause()),
        spot_row("GET", clause, CLAUSE_SPOTS, seen),
        # The form: the team (any party), delegations (their own); the observer speaks for none.
        spot_row("GET", clause + "position/", CLAUSE_SPOTS,
                 lambda s: acts(WEB, s.readers, MEDIATION | PARTIES, OK)),
        Row("POST", clause + "position/",
            tuple(position_cases(WEB, clause + "position/", SAVED, bodies.web_position))),
        spot_row("GET", clause + "edit/", CLAUSE_SPOTS,
                 lambda s: acts(WEB, s.readers, drafters(s), OK)),
        spot_row("POST", clause + "edit/", CLAUSE_SPOTS,
                 lambda s: acts(WEB, s.readers, drafters(s), SAVED), clause_change(WEB)),
        spot_row("POST", clause + "comments/", CLAUSE_SPOTS,
                 lambda s: acts(WEB, s.readers, MEDIATION | PARTIES, SAVED),
                 lambda s: bodies.web_comment()),
        spot_row("POST", clause + "cite/", CLAUSE_SPOTS,
                 lambda s: acts(WEB, s.readers, drafters(s), SAVED),
                 lambda s: bodies.web_cite_statement(CONVERSATION_OF[s.slug])),
        statement_row("/c/{slug}/statements/{number}/"),
    ]  # fmt: skip


def importers(spot: Spot) -> frozenset[str]:
    """Return who may import the next draft: the team, while no working draft is open."""
    return NOBODY if (spot.text, 2) in WORKING else MEDIATION


def web_diff(spot: Spot) -> Expect:
    """Readers of both drafts see the diff; a reader who sees one draft only gets the page
    for a text with one draft, the same as when the other one does not exist."""
    expect = reads(spot.readers)
    if spot.hides in dict(spot.query):
        seen_text = ACCREDITED if spot.slug == TALKS else MEDIATION
        expect |= dict.fromkeys(seen_text - spot.readers, AS_MISSING)
    return expect


def exports(spots: Iterable[Spot]) -> list[Spot]:
    """Return each draft in each export format, and a format that does not exist."""
    found = [replace(s, fmt=fmt) for s in spots for fmt in EXPORT_FORMATS]
    return found + [_joint(NOBODY, number=1, fmt="txt", hides="fmt")]


def clause_change(door: Door) -> Callable[[Spot], Body]:
    def body(spot: Spot) -> Body:
        if spot.readers == NOBODY:  # nothing to start from: any revision will do
            return lambda world: {"revision": 1, **bodies.CLAUSE_CHANGE}
        change = bodies.web_clause_change if door is WEB else bodies.api_clause_change
        return change(spot.slug, spot.text, spot.number or 0, spot.clause or "")

    return body


# Statements and the clauses citing them: statement 1 of every conversation (accepted); of the
# public one, the pending and the rejected statements (the team's under strict moderation).
STATEMENT_SPOTS = [
    *((c.slug, "1", c.readers, "slug") for c in CONSULTATIONS),
    (CITED, "2", MEDIATION, "number"),
    (CITED, "3", MEDIATION, "number"),
    (CITED, MISSING_NUMBER, NOBODY, "number"),
]


def statement_row(path: str) -> Row:
    """Return the row of a statement's page or its citing clauses: the conversation's readers,
    each seeing only the clauses of drafts they may read (the canaries prove it)."""

    def twin(hides: str) -> Twin:
        return lambda p, params, body: (p.format(**{**params, hides: MISSING_FOR[hides]}), body)

    return Row("GET", path, tuple(
        Case(f"{slug} #{number}", {"slug": slug, "number": number}, reads(readers), None,
             twin(hides))
        for slug, number, readers, hides in STATEMENT_SPOTS
    ))  # fmt: skip


def api_texts() -> list[Row]:
    """Return the negotiating-text endpoints: as on the web. Starting the next draft (or
    importing it) needs no working draft open; circulating, adding, editing and citing need one."""
    texts = f"{API_ROOT}/processes/{{slug}}/texts"
    text = texts + "/{key}"
    version, clause = text + "/versions/{number}", text + "/versions/{number}/clauses/{clause}"
    return [
        row("GET", texts, PROCESSES, readable),
        row("POST", texts, PROCESSES, lambda t: acts(API, t.readers, MEDIATION, CREATED),
            lambda t: bodies.api_new_text()),
        spot_row("GET", text, TEXT_SPOTS, seen),
        spot_row("PATCH", text, TEXT_SPOTS, lambda s: acts(API, s.readers, MEDIATION, CHANGED),
                 lambda s: bodies.api_text_change()),
        spot_row("GET", text + "/versions", TEXT_SPOTS, seen),
        # charter's next draft is started, team-text's imported; joint's and backroom-text's
        # working drafts are open already, so the team is refused too.
        spot_row("POST", text + "/versions", TEXT_SPOTS,
                 lambda s: acts(API, s.readers, importers(s), CREATED),
                 lambda s: bodies.api_next_draft(imported=s.text == TEAM_TEXT)),
        spot_row("GET", version, VERSION_SPOTS, seen),
        spot_row("POST", version + "/circulate", VERSION_SPOTS,
                 lambda s: acts(API, s.readers, drafters(s), CHANGED),
                 lambda s: bodies.api_circulate()),
        spot_row("GET", version + "/board", VERSION_SPOTS, seen),
        spot_row("GET", version + "/export", api_exports(VERSION_SPOTS), seen),
        spot_row("POST", version + "/clauses", VERSION_SPOTS,
                 lambda s: acts(API, s.readers, drafters(s), CREATED),
                 lambda s: bodies.api_new_clause()),
        spot_row("GET", clause, CLAUSE_SPOTS, seen),
        spot_row("PATCH", clause, CLAUSE_SPOTS,
                 lambda s: acts(API, s.readers, drafters(s), CHANGED), clause_change(API)),
        Row("POST", clause + "/positions",
            tuple(position_cases(API, clause + "/positions", CREATED, bodies.api_position))),
        spot_row("POST", clause + "/citations", CLAUSE_SPOTS,
                 lambda s: acts(API, s.readers, drafters(s), CREATED),
                 lambda s: bodies.api_cite_statement(CONVERSATION_OF[s.slug])),
        spot_row("GET", version + "/positions", VERSION_SPOTS, seen),
        spot_row("GET", version + "/comments", VERSION_SPOTS, seen),
        spot_row("POST", version + "/comments", VERSION_SPOTS,
                 lambda s: acts(API, s.readers, MEDIATION | PARTIES, CREATED),
                 lambda s: bodies.api_comment(FIRST_CLAUSE.get(s.text, "fighters"))),
        spot_row("POST", version + "/review", VERSION_SPOTS,
                 lambda s: acts(API, s.readers, NOBODY if s.working else PARTIES, CHANGED),
                 lambda s: bodies.api_review()),
        spot_row("GET", text + "/diff", DIFF_SPOTS, seen),
        spot_row("GET", text + "/amendments", TEXT_SPOTS, seen),
        spot_row("POST", text + "/amendments", TEXT_SPOTS,
                 lambda s: acts(API, s.readers, proposers(s), CREATED),
                 lambda s: bodies.api_amendment(FIRST_CLAUSE.get(s.text, "fighters"))),
        spot_row("PATCH", text + "/amendments/{code}", AMENDMENT_SPOTS,
                 lambda s: acts(API, s.readers, MEDIATION, CHANGED),
                 lambda s: bodies.api_decision()),
        statement_row(f"{API_ROOT}/conversations/{{slug}}/statements/{{number}}/clauses"),
    ]  # fmt: skip


def api_exports(spots: Iterable[Spot]) -> list[Spot]:
    """Return each draft in each export format (the query parameter "format")."""
    return [replace(s, query=(("format", fmt),)) for s in spots for fmt in EXPORT_FORMATS]


def build_matrix() -> list[Row]:
    """Return every row of the matrix."""
    rows = web_site() + web_process() + web_new_record() + web_record() + web_consultations()
    rows += web_texts() + api_site()
    for kind in KINDS:
        rows += api_kind(kind)
    return rows + api_citations() + api_consultations() + api_texts()


MATRIX = build_matrix()
