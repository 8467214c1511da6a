"""ProcessRecord: what every row inside a process carries — its key, visibility and owner."""

from __future__ import annotations

from typing import Any

from django.db import models

from parley.core.visibility import Visibility

VISIBILITY_CHOICES = [(level.value, level.label) for level in Visibility]


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
    party = models.ForeignKey(
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
