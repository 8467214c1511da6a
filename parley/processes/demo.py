"""The demo: the Astana 2015 scenario and one sign-in per persona, for a local demo only.

The scenario holds only what two news reports say, plus made-up "Demo …" rows (marked
illustrative) that show confidential positions. Each demo login is linked to one of those
made-up people, so signing in as it shows what that role may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from parley.processes.actions import ensure_user, link_person
from parley.processes.models import Person, Process
from parley.processes.scenario import import_scenario, read_scenario

DEMO_SLUG = "astana-2015"
DEMO_SCENARIO = Path(__file__).resolve().parent / "scenarios" / "astana-2015.yaml"
# Every demo login shares this password: the demo runs on one machine, for one person.
DEMO_PASSWORD = "parley-demo"


@dataclass(frozen=True)
class DemoLogin:
    """A demo sign-in: whose seat it takes (a made-up person) and what that seat may see."""

    persona: str
    username: str
    person_key: str | None
    sees: str


DEMO_LOGINS = (
    DemoLogin("Lead mediator", "mediator", "demo-mediator",
              "everything, including both demo groups' bottom lines"),
    DemoLogin("Head of Demo Group A", "party-a-lead", "demo-a-head",
              "public and process records, and Group A's confidential positions"),
    DemoLogin("Member of Demo Group A", "party-a-member", "demo-a-delegate",
              "public and process records, and Group A's confidential positions"),
    DemoLogin("Head of Demo Group B", "party-b-lead", "demo-b-head",
              "public and process records, and Group B's confidential positions"),
    DemoLogin("Observer", "observer", "demo-observer",
              "public and process records, but no party's confidential positions"),
    DemoLogin("Public participant", "public", "demo-public-participant",
              "public records only"),
    DemoLogin("Outsider (no role)", "outsider", None,
              "public records only, like a visitor who has not signed in"),
)  # fmt: skip


def load_demo() -> tuple[Process, bool]:
    """Return the demo process, importing its scenario first if it is missing (True if so)."""
    process = Process.objects.filter(slug=DEMO_SLUG).first()
    if process is not None:
        return process, False
    scenario = read_scenario(DEMO_SCENARIO.read_text(encoding="utf-8"), DEMO_SCENARIO.name)
    return import_scenario(scenario).process, True


@transaction.atomic
def ensure_demo_logins(process: Process) -> tuple[DemoLogin, ...]:
    """Create every demo login that is missing and link it to its made-up person."""
    # One hash serves every login: they share a published password, and hashing is slow.
    password_hash = make_password(DEMO_PASSWORD)
    for login in DEMO_LOGINS:
        user = ensure_user(username=login.username, password_hash=password_hash)
        if login.person_key is not None:
            link_person(person=_demo_person(process, login.person_key), user=user)
    return DEMO_LOGINS


def _demo_person(process: Process, key: str) -> Person:
    person = Person.objects.filter(process=process, key=key).first()
    if person is None:
        raise LookupError(
            f"The process '{process.slug}' has no person '{key}': it is not the demo scenario. "
            "Use another database (--db FILE)."
        )
    return person
