"""The naming rule: whose real name a viewer may read, under each person's consent.

Every front door that shows a person goes through here, so a page, an API response and any
later export withhold the same names.
"""

from __future__ import annotations

from typing import Any

from parley.core.visibility import Viewer
from parley.processes.models import Person

NAME_WITHHELD = "Name withheld"
# A person's fields that say who they are, shown only where the naming rule allows.
NAME_FIELDS = ("display_name", "names", "title")


def may_name(person: Person, viewer: Viewer) -> bool:
    """Return whether *viewer* may read *person*'s real name under their consent."""
    consent = person.consent_to_be_named
    if viewer.is_mediation or consent == Person.Consent.PUBLIC:
        return True
    return consent == Person.Consent.PROCESS and viewer.is_accredited


def shown_name(person: Person, viewer: Viewer) -> str:
    """Return the name *viewer* may read: the real one, the pseudonym or 'Name withheld'."""
    # A placeholder's display name describes an unnamed person; it names no one.
    if person.is_placeholder or may_name(person, viewer):
        return person.display_name
    return person.pseudonym or NAME_WITHHELD


def withhold_names(person: Person, viewer: Viewer, values: dict[str, Any]) -> dict[str, Any]:
    """Return a person's field *values* with what the viewer may not read blanked out.

    The title and other-script names become empty, not "withheld": saying "withheld" for a
    title would tell that there is one.
    """
    if person.is_placeholder or may_name(person, viewer):
        return values
    blanked = {"display_name": shown_name(person, viewer), "names": {}, "title": ""}
    return {**values, **{name: blanked[name] for name in NAME_FIELDS if name in values}}
