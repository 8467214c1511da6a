"""Turn process records into the words a page shows, for one viewer.

Templates never decide who may read a name: the naming rule, "not disclosed" for hidden
references and the visibility badges all live here, so every page says the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from parley.core.dates import PartialDate
from parley.core.fields import PartialDateField
from parley.core.visibility import Viewer, Visibility
from parley.processes.kinds import kind_of
from parley.processes.models import Person, Position, ProcessRecord, RoleAssignment
from parley.processes.naming import NAME_FIELDS, may_name, shown_name

NOT_DISCLOSED = "not disclosed"
EMPTY = "—"
ILLUSTRATIVE = "Illustrative — not historical"


def person_name(person: Person | None, viewer: Viewer) -> str:
    """Return the name *viewer* may read (see processes.naming), or 'not disclosed'."""
    return NOT_DISCLOSED if person is None else shown_name(person, viewer)


def field_label(model: type[models.Model], name: str) -> str:
    """Return the label of *model*'s field *name*, as forms and record pages show it."""
    return str(model._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]


def human_date(value: str) -> str:
    """Return a stored partial date as a reader says it ('January 2015'), or a dash."""
    return PartialDate.parse(value).human() if value else EMPTY


def record_title(row: ProcessRecord | None, viewer: Viewer) -> str:
    """Return the line that names *row*: its title field, references and names resolved."""
    if row is None:
        return NOT_DISCLOSED
    if isinstance(row, Person):
        return person_name(row, viewer)
    if isinstance(row, Position):
        # A stance alone ("Supports") says nothing without whose and on what.
        who, what = (field_text(row, name, viewer) for name in ("actor", "issue"))
        return f"{who} on {what}: {row.get_stance_display()}"
    return field_text(row, kind_of(type(row)).title_field, viewer)


def field_text(row: ProcessRecord, name: str, viewer: Viewer, empty: str = EMPTY) -> str:
    """Return one field of *row* as text; a hidden reference reads 'not disclosed'."""
    field = row._meta.get_field(name)
    if field.is_relation:
        return holder_text(row, viewer, name, empty=empty)
    if isinstance(row, Person) and _withheld(row, name, viewer):
        # Saying "withheld" for a title would tell that there is one; it reads as empty.
        return person_name(row, viewer) if name == "display_name" else empty
    return value_text(field, getattr(row, name), empty)  # type: ignore[arg-type]


def _withheld(person: Person, name: str, viewer: Viewer) -> bool:
    if name not in NAME_FIELDS or person.is_placeholder:
        return False
    return not may_name(person, viewer)


def holder_text(row: ProcessRecord, viewer: Viewer, *names: str, empty: str = EMPTY) -> str:
    """Return the title of the first of *row*'s references *names* that is set.

    None of them set reads 'not disclosed' on a redacted row (redaction leaves None where a
    hidden row was) and *empty* otherwise.
    """
    for name in names:
        target = getattr(row, name)
        if target is not None:
            return record_title(target, viewer)
    return NOT_DISCLOSED if getattr(row, "is_redacted_copy", False) else empty


def value_text(field: models.Field[Any, Any], value: Any, empty: str = EMPTY) -> str:
    """Return a plain field value as a reader says it."""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, PartialDateField):
        return human_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {text}" for key, text in value.items()) or empty
    return empty if value in (None, "") else str(value)


def visibility_badge(row: Any, actor_names: Mapping[int, str]) -> str | None:
    """Return the badge of a non-public row ('Party: Party A only'), or None if public."""
    level = Visibility(row.visibility)
    if level is Visibility.PUBLIC:
        return None
    party = actor_names.get(getattr(row, "party_id", None) or 0)
    if level is Visibility.PARTY and party is not None:
        return f"Party: {party} only"
    return level.label


def role_text(role: RoleAssignment, viewer: Viewer) -> str:
    """Return 'Nursultan Nazarbayev — Mediator (Requested)', naming only whom *viewer* may."""
    holder = holder_text(role, viewer, "person", "actor")
    party = f" for {role.represents.name}" if role.represents is not None else ""
    return f"{holder} — {role.get_role_display()}{party} ({role.get_status_display()})"


def people_count(count_at_least: int | None) -> str:
    """Return 'more than 30 people' for a count known only as 'at least 31'."""
    if count_at_least is None:
        return ""
    if count_at_least <= 1:
        return f"at least {count_at_least} person" if count_at_least else ""
    return f"more than {count_at_least - 1} people"
