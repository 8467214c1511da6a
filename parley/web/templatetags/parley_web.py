"""Template tags that let templates say what presenters.py decides, never decide it."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse

from parley.core.visibility import Viewer
from parley.processes.kinds import kind_of
from parley.processes.models import Citation, Person, ProcessRecord, RoleAssignment
from parley.processes.queries import cited
from parley.web import presenters

register = template.Library()


@register.filter
def person_name(person: Person | None, viewer: Viewer) -> str:
    """Render ``{{ person|person_name:viewer }}`` under the naming rule."""
    return presenters.person_name(person, viewer)


@register.filter
def human_date(value: str) -> str:
    return presenters.human_date(value)


@register.filter
def people_count(count_at_least: int | None) -> str:
    return presenters.people_count(count_at_least)


@register.simple_tag(takes_context=True)
def field(context: dict[str, Any], row: ProcessRecord, name: str, empty: str = "—") -> str:
    """Render one field of *row*; ``empty`` says what a genuinely empty reference means."""
    return presenters.field_text(row, name, context["viewer"], empty)


@register.simple_tag(takes_context=True)
def holder(context: dict[str, Any], row: ProcessRecord, *names: str) -> str:
    """Render the first set reference among *names* (a signatory's person, else its actor)."""
    return presenters.holder_text(row, context["viewer"], *names)


@register.simple_tag(takes_context=True)
def title(context: dict[str, Any], row: ProcessRecord) -> str:
    return presenters.record_title(row, context["viewer"])


@register.simple_tag(takes_context=True)
def role(context: dict[str, Any], row: RoleAssignment) -> str:
    return presenters.role_text(row, context["viewer"])


@register.simple_tag(takes_context=True)
def record_url(context: dict[str, Any], row: ProcessRecord) -> str:
    """Return the URL of *row*'s own page."""
    kind = kind_of(type(row)).name
    return reverse("web:record-detail", args=[context["process"].slug, kind, row.key])


@register.inclusion_tag("web/partials/badges.html", takes_context=True)
def badges(context: dict[str, Any], row: Any) -> dict[str, Any]:
    """Render the visibility badge of a non-public row and the illustrative badge."""
    return {
        "visibility": presenters.visibility_badge(row, context.get("actor_names", {})),
        "illustrative": presenters.ILLUSTRATIVE if row.is_illustrative else "",
    }


@register.inclusion_tag("web/partials/citations.html", takes_context=True)
def citations(
    context: dict[str, Any], row: ProcessRecord, given: list[Citation] | None = None
) -> dict[str, Any]:
    """Render the sources *row* rests on (*given*, or those the viewer may read), each with
    the label of the field it supports."""
    found = cited(context["citation_map"], row) if given is None else given
    return {"cited": [(citation, _label(row, citation.field)) for citation in found]}


def _label(row: ProcessRecord, name: str) -> str:
    try:
        return presenters.field_label(type(row), name) if name else ""
    except FieldDoesNotExist:
        return name
