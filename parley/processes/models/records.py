"""Letters, issues, positions, outcomes and endorsements: what was asked, argued and signed."""

from __future__ import annotations

from django.db import models

from parley.core.fields import PartialDateField
from parley.processes.models.actors import Actor, Person
from parley.processes.models.base import ProcessRecord, RecordReference


class Letter(ProcessRecord):
    """A letter or other communication, e.g. a request for mediation, with its signatories."""

    class Kind(models.TextChoices):
        REQUEST_FOR_MEDIATION = "request_for_mediation", "Request for mediation"
        INVITATION = "invitation", "Invitation"
        ACCEPTANCE = "acceptance", "Acceptance"
        DECLINATION = "declination", "Declination"
        OPEN_LETTER = "open_letter", "Open letter"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    subject = models.CharField(max_length=300)
    sent_on = PartialDateField()
    addressee = models.CharField(max_length=300, blank=True, help_text="e.g. 'President of …'.")
    body = models.TextField(blank=True, help_text="Only what the sources quote.")
    language = models.CharField(max_length=20, blank=True)
    signatory_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many signed, as the sources state it."
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["sent_on", "subject"]

    def __str__(self) -> str:
        return self.subject


class LetterSignatory(ProcessRecord):
    """One signatory line of a letter, in order; shown only with its letter."""

    letter = RecordReference(Letter, on_delete=models.CASCADE, related_name="signatories")
    order = models.PositiveIntegerField()
    person = RecordReference(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = RecordReference(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField(max_length=200, blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["letter_id", "order"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.UniqueConstraint(fields=["letter", "order"], name="signatory_order_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.person or self.actor or 'unnamed'}"


class Issue(ProcessRecord):
    """A point of contention (or agenda item) on which parties take positions."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    is_contentious = models.BooleanField(default=True)
    parent = RecordReference(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    categories = models.CharField(
        max_length=200, blank=True, help_text="PA-X provision codes, space-separated, e.g. SsrFf."
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Position(ProcessRecord):
    """An actor's stance on an issue at a moment. Append-only: a change is a new row."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        OPPOSES = "opposes", "Opposes"
        CONDITIONAL = "conditional", "Conditional"
        UNDECIDED = "undecided", "Undecided"
        NOT_STATED = "not_stated", "Not stated"

    class Basis(models.TextChoices):
        PUBLIC_STATEMENT = "public_statement", "Public statement"
        CAUCUS = "caucus", "Caucus disclosure"
        WRITTEN = "written", "Written submission"

    actor = RecordReference(Actor, on_delete=models.PROTECT, related_name="positions")
    issue = RecordReference(Issue, on_delete=models.PROTECT, related_name="positions")
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.NOT_STATED)
    statement = models.TextField(blank=True)
    as_of = PartialDateField()
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.WRITTEN)

    class Meta(ProcessRecord.Meta):
        ordering = ["issue__title", "actor__name", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.actor} on {self.issue}: {self.get_stance_display()}"


class Outcome(ProcessRecord):
    """A joint document as a record, with one endorsement per actor."""

    class Kind(models.TextChoices):
        JOINT_DOCUMENT = "joint_document", "Joint document"
        JOINT_STATEMENT = "joint_statement", "Joint statement"
        DECLARATION = "declaration", "Declaration"
        AGREEMENT = "agreement", "Agreement"
        COMMUNIQUE = "communique", "Communiqué"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.JOINT_DOCUMENT)
    round = RecordReference(
        "processes.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    adopted_on = PartialDateField()
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Only what the sources quote.")
    next_round = RecordReference(
        "processes.Round",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_by",
        help_text="The round this outcome asks for.",
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["adopted_on", "title"]

    def __str__(self) -> str:
        return self.title


class Endorsement(ProcessRecord):
    """What one actor did with an outcome: signed, signed with reservations, refrained…"""

    class Act(models.TextChoices):
        SIGNED = "signed", "Signed"
        SIGNED_WITH_RESERVATIONS = "signed_with_reservations", "Signed with reservations"
        REFRAINED = "refrained", "Refrained"
        OBJECTED = "objected", "Objected"
        ABSENT = "absent", "Absent"

    class Capacity(models.TextChoices):
        PARTY = "party", "Party"
        WITNESS = "witness", "Witness"
        GUARANTOR = "guarantor", "Guarantor"
        OBSERVER = "observer", "Observer"
        HOST = "host", "Host"

    REASON_NOT_RECORDED = "reason not recorded"

    outcome = RecordReference(Outcome, on_delete=models.CASCADE, related_name="endorsements")
    actor = RecordReference(Actor, on_delete=models.PROTECT, related_name="endorsements")
    act = models.CharField(max_length=30, choices=Act.choices)
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.PARTY)
    reason = models.TextField(
        blank=True, help_text="Why it refrained, objected or reserved; empty: reason not recorded."
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["act", "actor__name"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.UniqueConstraint(fields=["outcome", "actor"], name="one_endorsement_per_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_act_display()}"

    @property
    def reason_text(self) -> str:
        return self.reason or self.REASON_NOT_RECORDED
