"""Request and response bodies, built from the models and the KINDS registry.

Deriving every schema from the model fields keeps the API, the web forms and the scenario files
on one list of fields. Input schemas only check shapes (types, required, unknown fields); the
rules (valid dates, choices, references) stay in the actions, so every front door shows the same
message. Choices and date formats are still documented in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from parley.core.fields import PartialDateField
from parley.processes.actions import PROCESS_FIELDS
from parley.processes.kinds import KINDS, RecordKind
from parley.processes.models import Position, Process

PARTIAL_DATE_EXAMPLES = ["2015", "2015-01", "2015-04-06"]


class Input(Schema):
    """Base of request bodies: a field the endpoint does not know is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Message(Schema):
    """Why a request failed: not found, forbidden, or not signed in."""

    detail: str


class Errors(Schema):
    """Which fields of the request broke a rule, with the messages the web forms show."""

    errors: dict[str, list[str]]


class Citation(Schema):
    """A source a row (or one field of it) rests on, with the quote."""

    source: str = Field(description="Key of the source.")
    source_title: str
    field: str = Field(description="The cited field; empty: the whole row.")
    quote: str
    locator: str = Field(description="Paragraph, page…")


class CitationCreated(Citation):
    """A new citation, naming the row it cites."""

    target_kind: str
    target_key: str


class CitationIn(Input):
    """Cite a source for a row, optionally for one of its fields."""

    target_kind: str = Field(
        description="The kind of the cited row, as in its URL.",
        json_schema_extra={"enum": list(KINDS)},
    )
    target_key: str = Field(description="Key of the cited row.")
    source: str = Field(description="Key of the source.")
    quote: str = ""
    locator: str = ""
    field: str = ""


class TimelineEntry(Schema):
    """A round, letter or outcome placed on the process timeline."""

    kind: str = Field(description="round, letter or outcome.")
    record_kind: str = Field(description="The kind as in its URL: rounds, letters, outcomes.")
    key: str
    title: str
    date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD; null: not known.")
    date_text: str = Field(description="The date as a reader says it.")
    sources: list[Citation]


def given(payload: Schema) -> dict[str, Any]:
    """Return the fields the caller sent: a field left out is left alone, not set to a default."""
    return payload.model_dump(exclude_unset=True)


def _is_reference(field: models.Field[Any, Any]) -> bool:
    return bool(field.is_relation)


def _value_type(field: models.Field[Any, Any]) -> Any:
    """Return the JSON type of a field that is not a reference."""
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int
    if isinstance(field, models.JSONField):
        return dict[str, Any]
    return str


def _input_type(field: models.Field[Any, Any]) -> Any:
    if field.many_to_many:
        return list[str]
    base = str if _is_reference(field) else _value_type(field)
    return base | None if field.null else base


def _output_type(field: models.Field[Any, Any]) -> Any:
    if field.many_to_many:
        return list[str]
    if _is_reference(field):
        # Any reference may read as null: the row it names can be hidden from the viewer.
        return str | None
    base = _value_type(field)
    return base | None if field.null else base


def _description(field: models.Field[Any, Any]) -> str | None:
    if _is_reference(field):
        target = field.related_model._meta.verbose_name  # type: ignore[union-attr]
        plural = "Keys" if field.many_to_many else "Key"
        return f"{plural} of {target} rows in this process. {field.help_text}".strip()
    return str(field.help_text) or None


def _documentation(field: models.Field[Any, Any]) -> dict[str, Any]:
    """Return what the OpenAPI schema says about *field* beyond its type."""
    extra: dict[str, Any] = {}
    if field.choices and not _is_reference(field):
        extra["enum"] = [str(value) for value, _ in field.choices]
    if isinstance(field, PartialDateField):
        extra["examples"] = PARTIAL_DATE_EXAMPLES
    return {"description": _description(field), "json_schema_extra": extra or None}


def _is_required(field: models.Field[Any, Any]) -> bool:
    """Return whether a new row cannot be made without *field* (a key is made up if missing)."""
    if field.name == "key" or field.many_to_many:
        return False
    return not (field.blank or field.null or field.has_default())


def _input_default(field: models.Field[Any, Any], partial: bool) -> Any:
    if not partial and _is_required(field):
        return ...
    if partial or not field.has_default():
        return None
    default = field.get_default()
    return str(default) if isinstance(default, str) else default


def _fields(model: type[models.Model], names: tuple[str, ...]) -> list[models.Field[Any, Any]]:
    # Editable fields are the model's own fields, never the reverse side of a relation.
    return [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]


def input_schema(
    name: str, model: type[models.Model], names: tuple[str, ...], *, partial: bool
) -> type[Schema]:
    """Return a request body for *names* of *model*; *partial*: every field may be left out."""
    fields: dict[str, Any] = {}
    for field in _fields(model, names):
        info = Field(_input_default(field, partial), **_documentation(field))
        fields[field.name] = (_input_type(field), info)
    return create_model(name, __base__=Input, **fields)


def output_schema(
    name: str, model: type[models.Model], names: tuple[str, ...], base: type[Schema] = Schema
) -> type[Schema]:
    """Return a response body holding every one of *names* of *model*."""
    fields: dict[str, Any] = {}
    for field in _fields(model, names):
        fields[field.name] = (_output_type(field), Field(..., **_documentation(field)))
    return create_model(name, __base__=base, **fields)


class Row(Schema):
    """What every process record carries besides its own fields."""

    record_kind: str = Field(
        description="The kind of record, as in its URL (a record may also have a field 'kind')."
    )


class KindSchemas:
    """The request and response bodies of one kind of record."""

    def __init__(self, kind: RecordKind) -> None:
        name = kind.model.__name__
        self.create = input_schema(f"{name}In", kind.model, kind.editable_fields, partial=False)
        self.update = input_schema(f"{name}Patch", kind.model, kind.editable_fields, partial=True)
        self.row = output_schema(name, kind.model, kind.editable_fields, base=Row)
        self.detail = create_model(f"{name}Detail", __base__=self.row, **self._detail_fields(kind))

    def _detail_fields(self, kind: RecordKind) -> dict[str, Any]:
        fields: dict[str, Any] = {"citations": (list[Citation], ...)}
        if kind.model is Position:
            history = Field(..., description="The actor's positions on the issue, oldest first.")
            fields["history"] = (list[self.row], history)  # type: ignore[name-defined]
        return fields


KIND_SCHEMAS: dict[str, KindSchemas] = {name: KindSchemas(kind) for name, kind in KINDS.items()}

_PROCESS_CHANGES = tuple(name for name in PROCESS_FIELDS if name != "slug")
ProcessIn = input_schema("ProcessIn", Process, PROCESS_FIELDS, partial=False)
ProcessPatch = input_schema("ProcessPatch", Process, _PROCESS_CHANGES, partial=True)
ProcessOut = output_schema("Process", Process, PROCESS_FIELDS)

# Error answers every endpoint documents beside its success.
READ_ERRORS: dict[int, Any] = {404: Message}
WRITE_ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Errors}
