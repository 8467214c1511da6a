"""The naming rule: a person's name shows only as far as their consent allows."""

from __future__ import annotations

import pytest

from parley.core.visibility import ANONYMOUS, Viewer
from parley.processes.models import Person
from parley.processes.naming import NAME_WITHHELD, shown_name, withhold_names

TEAM = Viewer(user_id=1, is_mediation=True, is_accredited=True)
OBSERVER = Viewer(user_id=2, is_accredited=True)


def person(consent: str, **fields) -> Person:
    return Person(display_name="Real Name", consent_to_be_named=consent, **fields)


@pytest.mark.parametrize(
    ("consent", "viewer", "expected"),
    [
        ("public", ANONYMOUS, "Real Name"),
        ("process", OBSERVER, "Real Name"),
        ("process", ANONYMOUS, NAME_WITHHELD),
        ("none", OBSERVER, NAME_WITHHELD),
        ("none", TEAM, "Real Name"),
    ],
)
def test_shown_name_follows_consent(consent, viewer, expected):
    assert shown_name(person(consent), viewer) == expected


def test_a_pseudonym_stands_in_for_a_withheld_name():
    assert shown_name(person("none", pseudonym="Witness 4"), OBSERVER) == "Witness 4"


def test_withheld_people_lose_title_and_other_scripts_too():
    values = {"display_name": "Real Name", "names": {"ar": "…"}, "title": "Minister", "key": "p"}
    shown = withhold_names(person("none", title="Minister"), OBSERVER, values)
    assert shown == {"display_name": NAME_WITHHELD, "names": {}, "title": "", "key": "p"}
