"""ProcessRecord: what every row inside a process carries — its key, visibility and owner."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

from parley.core.visibility import Visibility

VISIBILITY_CHOICES = [(level.value, level.label) for level in Visibility]


class RedactedReferenceDescriptor(ForwardManyToOneDescriptor):  # type: ignore[type-arg]
    """Read a reference that ReadScope hid as None.

    Django raises on reading a non-null reference that holds None; on a redacted copy that
    None is deliberate, and every reader (templates, serializers, queries) should see it.
    """

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if self._redacted(instance):
            return None
        return super().__get__(instance, cls)

    def _redacted(self, instance: Any) -> bool:
        if instance is None or not getattr(instance, "is_redacted_copy", False):
            return False
        return instance.__dict__.get(self.field.attname) is None


class RecordReference(models.ForeignKey):  # type: ignore[type-arg]
    """A reference from one process record to another; reads as None where it was redacted."""

    forward_related_accessor_class = RedactedReferenceDescriptor

    def deconstruct(self) -> Any:
        # Stored exactly like a ForeignKey: the difference is only in how a row reads it.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


class ProcessRecord(models.Model):
    """A row that belongs to one process and is shown only to the audience its level names.

    ``key`` is a slug unique within the process: scenario files refer to rows by it, so an
    export imported elsewhere keeps every reference. ``party`` owns rows at the party level;
    ``audience`` names the parties of a subgroup-level row.
    """

    process = models.ForeignKey("processes.Process", on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=80)
    visibility = models.CharField(
        max_length=16, choices=VISIBILITY_CHOICES, default=Visibility.PUBLIC.value
    )
    party = RecordReference(
        "processes.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The party whose confidential record this is (for the party level).",
    )
    audience = models.ManyToManyField(
        "processes.Actor",
        blank=True,
        related_name="+",
        help_text="The parties that may read this row at the subgroup level.",
    )
    is_illustrative = models.BooleanField(
        default=False, help_text="Invented for the demo; not a historical fact."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["process", "key"], name="%(app_label)s_%(class)s_unique_key"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "is_redacted_copy", False):
            raise RuntimeError("a row redacted for a viewer is read-only; re-fetch it to write")
        super().save(*args, **kwargs)

    @property
    def level(self) -> Visibility:
        return Visibility(self.visibility)
