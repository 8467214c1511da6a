"""Forms built from the kinds registry: they parse input, the actions judge it.

Each form is built from the model's own fields with ``fields_for_model`` (the core of
``modelform_factory``) but is a plain Form, not a ModelForm: a ModelForm would also run the
model's validation, and one rule would then have two error texts. The action is the only
judge; ``show_action_errors`` puts its InvalidInput on the form's fields unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.http import HttpRequest, QueryDict

from parley.core.errors import InvalidInput
from parley.core.visibility import Viewer, Visibility
from parley.processes.actions import no_such
from parley.processes.kinds import KINDS, RecordKind, kind_of
from parley.processes.models import Process, ProcessRecord, Source
from parley.processes.permissions import can, visible
from parley.processes.redaction import ReadScope
from parley.processes.roles import Permission
from parley.web.presenters import field_label, record_title

T = TypeVar("T")
KEY_HELP = "A short name for links and scenario files; leave empty to make one from the title."
# Values a new record leaves out, so the model's (or the action's) default applies.
UNSET: tuple[object, ...] = (None, "", [])


class DictField(forms.JSONField):
    """A JSON field whose empty input means an empty object, as the model's default does."""

    def to_python(self, value: Any) -> Any:
        result = super().to_python(value)
        return {} if result is None else result


@dataclass
class FormScope:
    """The viewer and process a form's reference choices are drawn from."""

    viewer: Viewer
    process: Process
    reads: ReadScope = field(init=False)

    def __post_init__(self) -> None:
        self.reads = ReadScope(self.viewer, self.process)

    def choices(self, model: type[ProcessRecord]) -> QuerySet[ProcessRecord]:
        """Return the rows of *model* the viewer may pick: the ones it may read."""
        rows = visible(self.viewer, model, self.process)
        title = kind_of(model).title_field
        return rows.select_related(title) if model._meta.get_field(title).is_relation else rows

    def label(self, row: ProcessRecord) -> str:
        """Return a choice's label, naming nothing the viewer may not read."""
        return record_title(self.reads.redact([row])[0], self.viewer)


def form_class(
    model: type[models.Model], names: Iterable[str], scope: FormScope | None = None
) -> type[forms.Form]:
    """Return a Form with *model*'s fields *names*, references limited to what scope sees."""
    callback = partial(_form_field, scope=scope)
    fields = fields_for_model(model, fields=list(names), formfield_callback=callback)
    return type(f"{model.__name__}Form", (forms.Form,), fields)


def _form_field(
    model_field: models.Field[Any, Any], *, scope: FormScope | None, **kwargs: Any
) -> forms.Field | None:
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if isinstance(model_field, models.JSONField):
        kwargs["form_class"] = DictField
    if model_field.is_relation and scope is not None:
        kwargs["queryset"] = scope.choices(model_field.related_model)  # type: ignore[arg-type]
    form_field = model_field.formfield(**kwargs)
    if form_field is not None:
        _describe(form_field, model_field.name, scope)
    return form_field


def _describe(form_field: forms.Field, name: str, scope: FormScope | None) -> None:
    _speak_like_the_actions(form_field)
    if name == "key":
        form_field.required = False
        form_field.help_text = KEY_HELP
    if isinstance(form_field, forms.ModelChoiceField) and scope is not None:
        form_field.label_from_instance = scope.label  # type: ignore[assignment]
    if isinstance(form_field.widget, (forms.TextInput, forms.Textarea)):
        # Names and statements may be written in any script, right-to-left included.
        form_field.widget.attrs["dir"] = "auto"


def _speak_like_the_actions(form_field: forms.Field) -> None:
    """Word the checks a form makes itself as the actions (and so the API) word them."""
    if isinstance(form_field, forms.ModelChoiceField):
        model = form_field.queryset.model  # type: ignore[union-attr]
        missing = no_such(model)
        form_field.error_messages["invalid_choice"] = missing
        form_field.error_messages["invalid_pk_value"] = missing
    elif isinstance(form_field, forms.ChoiceField):
        # The model field's own wording, which the action reports for the API.
        form_field.error_messages["invalid_choice"] = "Value %(value)r is not a valid choice."


def record_form_class(kind: RecordKind, viewer: Viewer, process: Process) -> type[forms.Form]:
    """Return the form for a record of *kind*; a party head records only its own positions."""
    cls = form_class(kind.model, kind.editable_fields, FormScope(viewer, process))
    if kind is KINDS["positions"] and not can(viewer, Permission.RECORD_ANY_POSITION):
        fields = cls.base_fields
        del fields["party"]  # the action makes the position its own party's
        actor = fields["actor"]
        actor.queryset = actor.queryset.filter(pk__in=viewer.head_of_party_ids)  # type: ignore[attr-defined]
    return cls


def initial_for_new(kind: RecordKind, cls: type[forms.Form], query: QueryDict) -> dict[str, Any]:
    """Return a new record's initial values; ``?round=round-1`` preselects a reference by key."""
    initial: dict[str, Any] = {}
    if kind is KINDS["positions"]:
        initial["visibility"] = Visibility.PARTY.value  # mirror the action: a party's own
    for name, form_field in cls.base_fields.items():
        single = isinstance(form_field, forms.ModelChoiceField) and not isinstance(
            form_field, forms.ModelMultipleChoiceField
        )
        if single and query.get(name):
            initial[name] = form_field.queryset.filter(key=query[name]).first()  # type: ignore[attr-defined]
    return initial


def initial_from_row(kind: RecordKind, row: ProcessRecord, reads: ReadScope) -> dict[str, Any]:
    """Return *row*'s values for its edit form, without the rows the viewer may not read."""
    initial = forms.model_to_dict(row, fields=list(kind.editable_fields))
    for name, model in kind.reference_fields().items():
        seen = reads.visible_ids(model)  # type: ignore[arg-type]
        if isinstance(initial.get(name), list):
            initial[name] = [other.pk for other in initial[name] if other.pk in seen]
        elif initial.get(name) not in seen:
            initial[name] = None
    return initial


def cite_form_class(kind: RecordKind, viewer: Viewer, process: Process) -> type[forms.Form]:
    """Return the form citing a source the viewer may read for a record of *kind*."""
    scope = FormScope(viewer, process)
    source = forms.ModelChoiceField(queryset=scope.choices(Source), label="Source")
    source.label_from_instance = scope.label  # type: ignore[assignment]
    parts = [("", "The whole record")] + [
        (name, field_label(kind.model, name)) for name in kind.fields
    ]
    fields = {
        "source": source,
        "quote": forms.CharField(required=False, widget=forms.Textarea(attrs={"dir": "auto"})),
        "locator": forms.CharField(required=False, help_text="Paragraph, page…"),
        "field": forms.ChoiceField(choices=parts, required=False, label="Fact cited"),
    }
    return type("CiteForm", (forms.Form,), fields)


def new_values(form: forms.Form) -> dict[str, Any]:
    """Return what the user filled in; empty fields are left to the defaults."""
    values = {name: _plain(value) for name, value in form.cleaned_data.items()}
    return {name: value for name, value in values.items() if value not in UNSET}


def changed_values(form: forms.Form) -> dict[str, Any]:
    """Return only the fields the user changed, so nothing unseen is overwritten."""
    return {name: _plain(form.cleaned_data[name]) for name in form.changed_data}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, QuerySet) else value


def bound(cls: type[forms.Form], request: HttpRequest, initial: dict[str, Any]) -> forms.Form:
    """Return the form bound to a POST, or unbound with *initial* values for a GET."""
    data = request.POST if request.method == "POST" else None
    return cls(data, initial=initial)


def submit(request: HttpRequest, form: forms.Form, write: Callable[[], T]) -> T | None:
    """Run *write* for a valid POST and return its result; None means show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write()
    except InvalidInput as error:
        show_action_errors(form, error)
        return None


def show_action_errors(form: forms.Form, error: InvalidInput) -> None:
    """Put each of the action's messages on its field (or above the form), text unchanged."""
    for name, messages in error.errors.items():
        form.add_error(name if name in form.fields else None, messages)
