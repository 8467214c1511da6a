"""Process, Venue, Round and Session: the frame of a process and its meetings."""

from __future__ import annotations

from django.db import models

from parley.core.dates import PartialDate, human_range
from parley.core.fields import PartialDateField
from parley.core.visibility import Visibility
from parley.processes.models.base import VISIBILITY_CHOICES, ProcessRecord, RecordReference


def _parse(value: str) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


class Process(models.Model):
    """A mediated process: from the request for mediation to its outcomes."""

    class Phase(models.TextChoices):
        EXPLORATORY = "exploratory", "Exploratory"
        PRE_NEGOTIATION = "pre_negotiation", "Pre-negotiation"
        NEGOTIATION = "negotiation", "Negotiation"
        IMPLEMENTATION = "implementation", "Implementation"
        SUSPENDED = "suspended", "Suspended"
        CONCLUDED = "concluded", "Concluded"

    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The start of the process's web address; a short random suffix is added.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    conflict = models.CharField(max_length=200, blank=True)
    track = models.CharField(max_length=20, blank=True, help_text="1, 1.5, 2, 3 or multi")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.EXPLORATORY)
    decision_rule = models.CharField(max_length=200, blank=True)
    started_on = PartialDateField()
    ended_on = PartialDateField()
    visibility = models.CharField(
        max_length=16, choices=VISIBILITY_CHOICES, default=Visibility.PROCESS.value
    )
    is_illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "processes"

    def __str__(self) -> str:
        return self.title


class Venue(ProcessRecord):
    """Where a round or session takes place, at the precision known (a city is enough)."""

    class Kind(models.TextChoices):
        HOST_STATE = "host_state", "Host-state premises"
        NEUTRAL = "neutral", "Neutral venue"
        ONLINE = "online", "Online"
        UNKNOWN = "unknown", "Unknown"

    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UNKNOWN)

    class Meta(ProcessRecord.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Round(ProcessRecord):
    """One round of talks: requested, planned, held, failed or cancelled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=200)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Order among the process's rounds, also when dates are unknown."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    venue = RecordReference(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds"
    )
    starts_on = PartialDateField()
    ends_on = PartialDateField()
    convener_text = models.CharField(max_length=300, blank=True, help_text="Verbatim, if known.")
    summary = models.TextField(blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["sequence", "starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def dates(self) -> str:
        return human_range(_parse(self.starts_on), _parse(self.ends_on))


class Session(ProcessRecord):
    """A meeting within a round: plenary, caucus, bilateral, signing ceremony…"""

    class Kind(models.TextChoices):
        PLENARY = "plenary", "Plenary"
        CAUCUS = "caucus", "Caucus"
        BILATERAL = "bilateral", "Bilateral"
        PROXIMITY = "proximity", "Proximity talks"
        WORKING_GROUP = "working_group", "Working group"
        INFORMAL = "informal", "Informal consultation"
        PUBLIC_CONSULTATION = "public_consultation", "Public consultation"
        SIGNING = "signing", "Signing ceremony"

    class Attribution(models.TextChoices):
        ATTRIBUTED = "attributed", "Attributed"
        CHATHAM_HOUSE = "chatham_house", "Chatham House Rule"
        NO_RECORD = "no_record", "No record"

    round = RecordReference(Round, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.PLENARY)
    held_on = PartialDateField()
    attribution = models.CharField(
        max_length=20, choices=Attribution.choices, default=Attribution.ATTRIBUTED
    )
    summary = models.TextField(blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["held_on", "title"]

    def __str__(self) -> str:
        return self.title
