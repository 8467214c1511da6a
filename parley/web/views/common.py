"""What every form page shares: one template, fields grouped into fieldsets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parley.processes.kinds import COMMON_FIELDS
from parley.processes.models import Process


@dataclass(frozen=True)
class Fieldset:
    legend: str
    fields: list[forms.BoundField]


def fieldsets(form: forms.Form, settings_legend: str = "Record settings") -> list[Fieldset]:
    """Split a record form into its own fields and the settings every record shares."""
    own = [form[name] for name in form.fields if name not in COMMON_FIELDS]
    shared = [form[name] for name in form.fields if name in COMMON_FIELDS]
    return [Fieldset("", own)] + ([Fieldset(settings_legend, shared)] if shared else [])


def render_form(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    back: str,
    process: Process | None = None,
    groups: Iterable[Fieldset] | None = None,
) -> HttpResponse:
    """Render the one form template: *title* above, *submit* on the button, *back* to cancel."""
    context: dict[str, Any] = {
        "form": form,
        "fieldsets": list(groups) if groups is not None else fieldsets(form),
        "title": title,
        "submit": submit,
        "back": back,
        "process": process,
    }
    return render(request, "web/form.html", context)
