"""Every write to the process record. Web, API and CLI call these, never the ORM.

Each action runs in one transaction: permission guard -> validate -> write -> audit event.
Arguments are keyword-only; the acting user is explicit.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from parley.audit.record import record_event
from parley.core.errors import Forbidden, InvalidInput
from parley.core.visibility import Viewer, Visibility
from parley.processes.kinds import KINDS, RecordKind, values_of
from parley.processes.models import (
    Actor,
    Citation,
    Person,
    Process,
    ProcessRecord,
    RoleAssignment,
    Source,
)
from parley.processes.permissions import (
    can,
    can_record_position_for,
    require,
    viewer_for,
    visible,
)
from parley.processes.roles import Permission, Role, RoleStatus

PROCESS_FIELDS = (
    "slug", "title", "summary", "conflict", "track", "phase", "decision_rule",
    "started_on", "ended_on", "visibility", "is_illustrative",
)  # fmt: skip


REQUIRED = "This field is required."
# Django says "cannot be blank" or "cannot be null" depending on the column; a user only
# needs to know the field is required, in the words web forms and the API use too.
_MISSING_CODES = frozenset({"blank", "null"})


def _clean(row: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's own validation; raise InvalidInput naming each field."""
    try:
        row.full_clean(exclude=exclude)
    except ValidationError as error:
        raise InvalidInput(_messages(error)) from None


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return {
        name: [REQUIRED if e.code in _MISSING_CODES else " ".join(e.messages) for e in errors]
        for name, errors in error.error_dict.items()
    }


def _reject_unknown(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InvalidInput({name: ["Unknown field."] for name in unknown})


@transaction.atomic
def create_process(*, user: Any, data: dict[str, Any], exact_slug: bool = False) -> Process:
    """Open a new process; its creator becomes its mediator.

    The slug asked for gets a random suffix ("talks-3f9a0c"). Slugs are unique across the
    whole site, hidden processes included, so taking the slug exactly as asked would let
    anyone learn from "already exists" that a process they may not see has it. Only the
    operator's import, which sees everything anyway, keeps a slug exactly (*exact_slug*).
    """
    if not getattr(user, "is_authenticated", False):
        raise Forbidden("Sign in to open a process.")
    _reject_unknown(data, PROCESS_FIELDS)
    data = {**data, "slug": data.get("slug") if exact_slug else _new_slug(data)}
    process = Process(**data)
    _clean(process)
    process.save()
    person = Person.objects.create(
        process=process, key=_unique_key(process, Person, "person"),
        display_name=user.get_full_name() or user.get_username(), user=user,
        consent_to_be_named=Person.Consent.PROCESS, visibility=Visibility.MEDIATION.value,
    )  # fmt: skip
    RoleAssignment.objects.create(
        process=process, key=_unique_key(process, RoleAssignment, f"mediator-{person.key}"),
        role=Role.MEDIATOR, status=RoleStatus.ACCEPTED, person=person,
        visibility=Visibility.MEDIATION.value,
    )  # fmt: skip
    record_event(user=user, verb="process.created", target=process, process_id=process.pk,
                 data={"slug": process.slug, "title": process.title})  # fmt: skip
    return process


def _new_slug(data: dict[str, Any]) -> str:
    """Return the asked-for slug (or one from the title) with a random suffix no one holds."""
    base = slugify(str(data.get("slug") or data.get("title") or ""))[:60] or "process"
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        if not Process.objects.filter(slug=slug).exists():
            return slug


@transaction.atomic
def update_process(*, user: Any, process: Process, data: dict[str, Any]) -> Process:
    """Change the process's own fields (not its slug)."""
    require(viewer_for(user, process), Permission.MANAGE_RECORD)
    _reject_unknown(data, tuple(f for f in PROCESS_FIELDS if f != "slug"))
    for name, value in data.items():
        setattr(process, name, value)
    _clean(process)
    process.save()
    record_event(user=user, verb="process.updated", target=process, process_id=process.pk,
                 data={name: str(value) for name, value in data.items()})  # fmt: skip
    return process


@transaction.atomic
def create_record(
    *, user: Any, process: Process, kind: RecordKind, data: dict[str, Any]
) -> ProcessRecord:
    """Add a record of *kind* to *process* from *data* (field name -> value; refs as rows)."""
    viewer = viewer_for(user, process)
    _require_write(viewer, kind, data)
    _reject_unknown(data, kind.editable_fields)
    audience = data.pop("audience", [])
    _check_references(viewer, process, kind, data, audience)
    _check_key_choice(viewer, data)
    row = kind.model(process=process, **_with_defaults(viewer, kind, data))
    row.key = row.key or _new_key(viewer, process, kind, data)
    _check_key(row.key)
    _clean(row)
    row.save()
    row.audience.set(audience)
    record_event(user=user, verb=f"{kind.name}.created", target=row, process_id=process.pk,
                 data=_jsonable(values_of(kind, row)))  # fmt: skip
    return row


@transaction.atomic
def update_record(
    *, user: Any, process: Process, kind: RecordKind, row: ProcessRecord, data: dict[str, Any]
) -> ProcessRecord:
    """Change fields of an existing record; lowering its visibility needs consent.

    A change of visibility alone goes to ``change_visibility``, which its originator may make.
    """
    if set(data) == {"visibility"}:
        return change_visibility(
            user=user, process=process, row=row, visibility=Visibility(data["visibility"])
        )
    viewer = viewer_for(user, process)
    require_editable(kind)
    require(viewer, Permission.MANAGE_RECORD)
    _reject_unknown(data, kind.editable_fields)
    audience = data.pop("audience", None)
    _check_references(viewer, process, kind, data, audience or [])
    before = values_of(kind, row)
    _check_lowering(viewer, row, Visibility(data.get("visibility", row.visibility)))
    _check_key(data.get("key", row.key))
    for name, value in data.items():
        setattr(row, name, value)
    _clean(row)
    row.save()
    if audience is not None:
        row.audience.set(audience)
    record_event(user=user, verb=f"{kind.name}.updated", target=row, process_id=process.pk,
                 data=_jsonable(_changes(before, values_of(kind, row))))  # fmt: skip
    return row


@transaction.atomic
def change_visibility(
    *, user: Any, process: Process, row: ProcessRecord, visibility: Visibility
) -> ProcessRecord:
    """Narrow or widen who may read *row*.

    The mediation team and, for a party's own record, that party's head may change it;
    widening needs the originator's consent (see ``_check_lowering``). Visibility is not
    content, so append-only rows (positions) may change it too.
    """
    viewer = viewer_for(user, process)
    if not (can(viewer, Permission.MANAGE_RECORD) or row.party_id in viewer.head_of_party_ids):
        raise Forbidden("Only the mediation team or the party that owns it may do this.")
    _check_lowering(viewer, row, visibility)
    before = row.visibility
    row.visibility = visibility.value
    _clean(row)
    row.save(update_fields=["visibility", "updated_at"])
    record_event(user=user, verb="visibility.changed", target=row, process_id=process.pk,
                 data={"old": before, "new": visibility.value})  # fmt: skip
    return row


def require_editable(kind: RecordKind) -> None:
    """Raise Forbidden for a kind whose rows never change once recorded (front doors ask first)."""
    if kind.append_only:
        raise Forbidden(f"{kind.label_plural.capitalize()} are append-only: record a new one.")


@transaction.atomic
def cite(
    *, user: Any, process: Process, target: ProcessRecord, source: Source,
    quote: str = "", locator: str = "", field: str = "",
) -> Citation:  # fmt: skip
    """Record that *target* (optionally one field of it) rests on *source*."""
    viewer = viewer_for(user, process)
    require(viewer, Permission.MANAGE_RECORD)
    if source.process_id != process.pk or target.process_id != process.pk:
        raise InvalidInput({"source": [no_such(Source)]})
    if field and field not in {f.name for f in target._meta.get_fields()}:
        raise InvalidInput({"field": [f"{type(target).__name__} has no field '{field}'."]})
    citation = Citation(process=process, source=source, target=target, quote=quote,
                        locator=locator, field=field)  # fmt: skip
    _clean(citation, exclude=["target_type", "target_id"])
    citation.save()
    record_event(
        user=user,
        verb="citation.created",
        target=citation,
        process_id=process.pk,
        data={"source": source.key, "target": f"{target._meta.label_lower}:{target.key}"},
    )
    return citation


@transaction.atomic
def ensure_user(*, username: str, password_hash: str | None = None) -> Any:
    """Return the user *username*, creating it if missing.

    A new user gets *password_hash* (from ``make_password``), or a password that never works.
    """
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is not None:
        return user
    user = users.objects.create(username=username, password=password_hash or make_password(None))
    record_event(user=None, verb="user.created", target=user, data={"username": username})
    return user


@transaction.atomic
def link_person(*, person: Person, user: Any) -> Person:
    """Let *user* act as *person* in the person's process; nothing changes if already so."""
    if person.user_id == user.pk:
        return person
    before = person.user.get_username() if person.user is not None else None
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    record_event(
        user=None,
        verb="people.linked",
        target=person,
        process_id=person.process_id,
        data={"person": person.key, "old": before, "new": user.get_username()},
    )
    return person


def _require_write(viewer: Viewer, kind: RecordKind, data: dict[str, Any]) -> None:
    if kind is KINDS["positions"] and isinstance(data.get("actor"), Actor):
        if can_record_position_for(viewer, data["actor"].pk):
            return
        raise Forbidden("Only the party's head of delegation or the mediation team may do this.")
    require(viewer, Permission.MANAGE_RECORD)


def _with_defaults(viewer: Viewer, kind: RecordKind, data: dict[str, Any]) -> dict[str, Any]:
    """Fill what the user left out: a position is confidential to its party by default."""
    if kind is KINDS["positions"]:
        data.setdefault("party", data.get("actor"))
        data.setdefault("visibility", Visibility.PARTY.value)
        if not viewer.is_mediation and data["party"] != data.get("actor"):
            raise InvalidInput({"party": ["A party records positions only for itself."]})
    return data


def no_such(model: type[models.Model]) -> str:
    """Return the message for a reference to a row that is missing *or* hidden: one text."""
    return f"No such {model._meta.verbose_name} in this process."


def _check_references(
    viewer: Viewer, process: Process, kind: RecordKind, data: dict[str, Any], audience: list[Any]
) -> None:
    """Reject references to rows of another process or rows the user may not see.

    The message is the same for both, so a reference cannot probe for hidden rows.
    """
    refs = kind.reference_fields()
    for name, value in [*((n, data.get(n)) for n in refs), *(("audience", a) for a in audience)]:
        if value is None:
            continue
        model = type(value)
        if (
            not isinstance(value, ProcessRecord)
            or not visible(viewer, model, process).filter(pk=value.pk).exists()
        ):
            raise InvalidInput({name: [no_such(model)]})


def _check_lowering(viewer: Viewer, row: ProcessRecord, new: Visibility) -> None:
    """Allow widening a record's audience only with its originator's consent.

    A party's own record may be widened by that party's head; any other by the lead mediator.
    """
    if new.rank >= row.level.rank:
        return
    if row.party_id is not None and row.level.rank >= Visibility.PARTY.rank:
        if row.party_id in viewer.head_of_party_ids:
            return
        raise Forbidden("Only the party that owns this record may widen its audience.")
    if not can(viewer, Permission.LOWER_VISIBILITY):
        raise Forbidden("Only the lead mediator may widen the audience of this record.")


RESERVED_KEYS = frozenset({"new"})  # would shadow the "add" page in URLs


def _check_key(key: str) -> None:
    if key in RESERVED_KEYS:
        raise InvalidInput({"key": [f"'{key}' is reserved; choose another key."]})


def _check_key_choice(viewer: Viewer, data: dict[str, Any]) -> None:
    """Let only the mediation team choose keys.

    Keys share one namespace per process, hidden rows included: if a party could choose a
    key, "already exists" would tell it that a row it may not see has that key.
    """
    if data.get("key") and not viewer.is_mediation:
        raise InvalidInput({"key": ["Only the mediation team chooses keys; leave it empty."]})


def _new_key(viewer: Viewer, process: Process, kind: RecordKind, data: dict[str, Any]) -> str:
    """Return a key for a new row.

    Outside the mediation team the key is random: a counter suffix ("supports-4") would count
    rows the user may not see. A person's key is opaque too: keys appear in URLs and
    references, and must not spell out a name the person has not consented to show.
    """
    if not viewer.is_mediation:
        return f"{kind.model.__name__.lower()}-{secrets.token_hex(6)}"
    if kind.model is Person:
        return _unique_key(process, Person, "person")
    return _unique_key(process, kind.model, str(data.get(kind.title_field) or kind.name))


def _unique_key(process: Process, model: type[ProcessRecord], text: str) -> str:
    """Return a slug from *text* not yet used by *model* in *process*."""
    base = slugify(text)[:70] or model.__name__.lower()
    rows = model._default_manager.filter(process=process, key__startswith=base)
    taken = set(rows.values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _changes(before: dict[str, object], after: dict[str, object]) -> dict[str, object]:
    return {name: {"old": before[name], "new": after[name]}
            for name in after if before.get(name) != after[name]}  # fmt: skip


def _jsonable(values: dict[str, object]) -> dict[str, object]:
    """Return *values* with anything JSON cannot hold turned into text."""
    plain = (str, int, float, bool, type(None), list, dict)
    return {k: v if isinstance(v, plain) else str(v) for k, v in values.items()}
