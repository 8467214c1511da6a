"""The words the access matrix is written in: outcomes, persona groups, cases and rows.

An *outcome* is what one persona gets from one request: a status, plus what the runner checks
beyond it (a write happened or nothing changed; the bytes of a 404 match those of a missing
row; a redirect goes to the sign-in page). Expectations are built from persona groups with
``reads`` and ``acts`` so a row of the matrix reads like the permission it states.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.world import PERSONAS

if TYPE_CHECKING:
    from tests.integration.access.world import MatrixWorld


@dataclass(frozen=True)
class Outcome:
    """What a persona gets: a status, and what the runner checks beyond it."""

    name: str
    status: int
    writes: bool = False  # exactly one audit event is added; any other outcome changes nothing
    votes: bool = False  # exactly one vote is added (and the voter's participant), no audit event
    probe: bool = False  # same bytes as the twin request naming something that does not exist
    to_sign_in: bool = False  # the Location is the sign-in page

    def __repr__(self) -> str:
        return self.name


OK = Outcome("OK", 200)
CREATED = Outcome("CREATED", 201, writes=True)  # API: a row or process was added
CHANGED = Outcome("CHANGED", 200, writes=True)  # API: a PATCH was applied
SAVED = Outcome("SAVED", 302, writes=True)  # web: the form was saved, redirect to the result
REDIRECT = Outcome("REDIRECT", 302)  # web: signed in or out; no record changes
REFUSED = Outcome("REFUSED", 200)  # web: the form is shown again with an error, nothing saved
SIGN_IN = Outcome("SIGN_IN", 302, to_sign_in=True)  # web: anonymous, sent to the sign-in page
UNAUTHENTICATED = Outcome("UNAUTHENTICATED", 401)  # API: anonymous write
FORBIDDEN = Outcome("FORBIDDEN", 403)  # may see it, may not do this
HIDDEN = Outcome("HIDDEN", 404, probe=True)  # may not see it: the same bytes as a missing one
UNKNOWN_REF = Outcome("UNKNOWN_REF", 422, probe=True)  # API: a hidden reference reads as unknown
# A page that leaves out what the viewer may not see (a draft named in its query string): 200,
# and the same bytes as the twin naming something that does not exist there.
AS_MISSING = Outcome("AS_MISSING", 200, probe=True)
# A vote was counted. Votes are their own append-only log, never audited (decision 0008), so a
# counted vote adds one vote row (and on a first vote the participant) and no audit event.
RECORDED = Outcome("RECORDED", 201, votes=True)  # API
VOTED = Outcome("VOTED", 302, votes=True)  # web: back to the next card

Expect = dict[str, Outcome]

# The processes a case names (see world.py), and names that match nothing.
TALKS = "talks"  # the personas' public process
BACKROOM = "backroom"  # a mediation-only process the mediator opened
MISSING_SLUG = "no-such-process"
MISSING_KEY = "no-such-key"
MISSING_NUMBER = "99"  # a draft or statement number that matches nothing

# Persona groups (see tests/world.py for who holds which role).
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
SIGNED_IN = EVERYONE - {"anonymous"}
MEDIATION = frozenset({"mediator"})  # the mediator is also the lead: no co-mediator persona
PARTY_A = frozenset({"party_a_lead", "party_a_member"})
PARTY_B = frozenset({"party_b_lead"})
HEADS = frozenset({"party_a_lead", "party_b_lead"})
ACCREDITED = MEDIATION | PARTY_A | PARTY_B | {"observer"}  # not the public participant


@dataclass(frozen=True)
class Door:
    """A front door: what an anonymous caller gets when it asks to change something."""

    name: str
    anonymous_write: Outcome


WEB = Door("web", SIGN_IN)
API = Door("api", UNAUTHENTICATED)


def each(outcome: Outcome) -> Expect:
    """Expect *outcome* for every persona."""
    return dict.fromkeys(PERSONAS, outcome)


def reads(readers: Iterable[str], *, refused: Iterable[str] = NOBODY) -> Expect:
    """Expect 200 for *readers*, the missing-row 404 for everyone else; 403 for the readers
    in *refused* (a page that only some readers may open, such as their party's view)."""
    readers, refused = frozenset(readers), frozenset(refused)
    return {
        persona: (FORBIDDEN if persona in refused else OK) if persona in readers else HIDDEN
        for persona in PERSONAS
    }


def acts(
    door: Door,
    readers: Iterable[str],
    actors: Iterable[str],
    done: Outcome,
    *,
    unseen: Outcome = HIDDEN,
) -> Expect:
    """Expect *done* for *actors*, 403 for other *readers*, *unseen* for the rest.

    An actor who may not read the target cannot act on it: it gets *unseen* too. Anonymous
    callers are turned away at the door first (sign-in redirect or 401).
    """
    readers = frozenset(readers)
    actors = frozenset(actors) & readers
    expect = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            expect[persona] = door.anonymous_write
        elif persona in actors:
            expect[persona] = done
        else:
            expect[persona] = FORBIDDEN if persona in readers else unseen
    return expect


# A request body, built from the world when the row runs; every persona sends the same one.
Body = Callable[["MatrixWorld"], Any]
Params = Mapping[str, str]
# The same request naming something that does not exist: (path template, params, body) -> (url,
# body). A "cannot see" answer must be byte-identical to the answer to the twin. A case with a
# query string hands it on: the runner adds the case's query to a twin URL that has none.
Twin = Callable[[str, Params, Any], tuple[str, Any]]


def missing_in_path(path: str, params: Params, body: Any) -> tuple[str, Any]:
    """Name a missing key; on the hidden process or a route without a key, a missing slug.

    A route without parameters gets a path below it that matches nothing.
    """
    twin = dict(params)
    if "key" in twin and twin.get("slug") != BACKROOM:
        twin["key"] = MISSING_KEY
    elif "slug" in twin:
        twin["slug"] = MISSING_SLUG
    else:
        return f"{path}{MISSING_KEY}/", body
    return path.format(**twin), body


def missing_in_body(name: str) -> Twin:
    """Return a twin that names a missing row in body field *name* instead of the hidden one."""

    def twin(path: str, params: Params, body: Any) -> tuple[str, Any]:
        return path.format(**params), {**body, name: MISSING_KEY}

    return twin


@dataclass(frozen=True)
class Case:
    """One request on a route (path parameters, query string and body) and the outcome for
    every persona."""

    label: str
    params: Params
    expect: Expect
    body: Body | None = None
    twin: Twin = missing_in_path
    query: Params = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = EVERYONE - set(self.expect)
        assert not missing, f"{self.label}: no expectation for {sorted(missing)}"


@dataclass(frozen=True)
class Row:
    """One (method, path template) of the inventory, with its cases."""

    method: str
    path: str
    cases: tuple[Case, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, params: Params, query: Params | None = None) -> str:
        return self.path.format(**params) + (f"?{urlencode(query)}" if query else "")
