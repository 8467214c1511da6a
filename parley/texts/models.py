"""The single negotiating text: its versions, clauses, options, positions, comments, amendments.

A NegotiatingText has numbered TextVersions. The mediation team edits one version at a time, the
*working draft* (readable by the team only); circulating it freezes it for good and gives it its
audience (a visibility level), label and SHA-256 fingerprint. Every version holds its own copy of
the clauses; a clause's ``key`` is its identity across versions, so diffs, positions and
amendments follow a clause from draft to draft.

Positions (ClausePosition) and comments are confidential to their party and the mediation team by
default: they are ProcessRecords, read only through ``visible()``. Positions are append-only:
the latest one per party, clause and alternative counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parley.consensus.clauses import Stance
from parley.processes.models import ProcessRecord
from parley.processes.models.base import RecordReference
from parley.texts.document import DRAFTING_LABELS, DraftingStatus


class NegotiatingText(ProcessRecord):
    """One text the parties negotiate, through all its drafts."""

    class Kind(models.TextChoices):
        ONE_TEXT = "one_text", "Single negotiating text (one-text procedure)"
        PARTY_PROPOSAL = "party_proposal", "Party proposal"
        COMPILATION = "compilation", "Compilation text"
        CHAIRS_TEXT = "chairs_text", "Chair's text"
        JOINT_STATEMENT = "joint_statement", "Joint statement"
        AGREEMENT_DRAFT = "agreement_draft", "Agreement draft"

    class DraftingMode(models.TextChoices):
        # One-text procedure: parties criticise, only the mediation team writes.
        MEDIATOR_ONLY = "mediator_only", "Mediator-only edits (parties comment)"
        OPEN = "open_amendments", "Open amendments (parties propose changes)"

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ONE_TEXT)
    drafting_mode = models.CharField(
        max_length=20, choices=DraftingMode.choices, default=DraftingMode.MEDIATOR_ONLY
    )
    description = models.TextField(blank=True)
    parties = models.ManyToManyField(
        "processes.Actor",
        blank=True,
        related_name="+",
        help_text="The parties whose positions decide each clause (the signatories).",
    )
    refraining = models.ManyToManyField(
        "processes.Actor",
        blank=True,
        related_name="+",
        help_text="Parties that refrain from the whole text: their views are advisory only.",
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TextVersion(ProcessRecord):
    """One draft of a text. Immutable once circulated; ``visibility`` is its audience."""

    class State(models.TextChoices):
        WORKING = "working", "Working draft (mediation team only)"
        CIRCULATED = "circulated", "Circulated"

    text = models.ForeignKey(NegotiatingText, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=80, blank=True, help_text='e.g. "Draft 3" or "Rev.1".')
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.WORKING)
    note = models.TextField(blank=True, help_text="The covering note sent with the draft.")
    circulated_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the version's canonical bracket text."
    )
    # Where the board stood when the next draft was issued, with the rule that decided each
    # result: mediation-team data, shown only to the team.
    closing_results = models.JSONField(default=dict, blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["text", "number"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.UniqueConstraint(fields=["text", "number"], name="texts_version_number"),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or f"Draft {self.number}"

    @property
    def is_working(self) -> bool:
        return self.state == self.State.WORKING


class Clause(models.Model):
    """A clause as one version has it. ``key`` is the clause's identity across versions.

    ``body`` is the bracket syntax (texts/format.py); its options are stored beside it so that
    positions can name them. ``revision`` counts saves, for optimistic locking: a save that
    started from an older revision is a conflict, never a silent overwrite.
    """

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="clauses")
    key = models.SlugField(max_length=80)
    number = models.CharField(max_length=20, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20,
        choices=[(status.value, DRAFTING_LABELS[status]) for status in DraftingStatus],
        default=DraftingStatus.UNDER_DISCUSSION.value,
    )
    revision = models.PositiveIntegerField(default=1)
    cites = models.ManyToManyField(
        "consultation.Statement",
        blank=True,
        related_name="+",
        help_text="Consultation statements that informed this clause.",
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="texts_clause_key"),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.number, self.heading) if part) or self.key


class Option(models.Model):
    """One alternative a party can rate: "1A", "1B"… of a bracket, or "omit" the clause."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="options")
    bracket = models.PositiveSmallIntegerField(help_text="0: the whole clause (omit it).")
    label = models.CharField(max_length=8)
    text = models.TextField(blank=True)
    is_omit = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["clause", "order"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "label"], name="texts_option_label"),
        ]

    def __str__(self) -> str:
        return self.label


STANCE_CHOICES = [
    (Stance.ACCEPT.value, "Accept"),
    (Stance.LIVE_WITH.value, "Can live with it"),
    (Stance.REJECT.value, "Reject"),
    (Stance.STAND_ASIDE.value, "Stand aside"),
]


class ClausePosition(ProcessRecord):
    """A party's position on a clause (``option`` empty) or on one alternative of it.

    Recorded by the party's authorised delegate, or a member's advisory view (``is_advisory``).
    Never updated: the latest row per party, clause, alternative (and member, for advisory
    views) counts. Confidential to the party and the mediation team unless the party widens it.
    """

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    stance = models.CharField(max_length=12, choices=STANCE_CHOICES)
    reason = models.TextField(blank=True, help_text="Why the party rejects (required then).")
    reservation = models.TextField(blank=True, help_text="The reservation of a live-with.")
    counter_wording = models.TextField(blank=True, help_text="Wording the party could accept.")
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Preference among the bracket's alternatives (1 = best)."
    )
    is_advisory = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(ProcessRecord.Meta):
        indexes = [models.Index(fields=["clause", "party"], name="texts_position_clause")]

    def __str__(self) -> str:
        return f"{self.stance} on {self.clause_id}"


class Comment(ProcessRecord):
    """Criticism, a question, a reservation or support, on a draft or one of its clauses."""

    class Kind(models.TextChoices):
        CRITICISM = "criticism", "Criticism"
        QUESTION = "question", "Question"
        RESERVATION = "reservation", "Reservation"
        SUPPORT = "support", "Support"

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="+")
    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CRITICISM)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.version_id}"


class Amendment(ProcessRecord):
    """A proposed change, coded by its proposer ("B-3"), and what the mediator decided."""

    class Op(models.TextChoices):
        REPLACE = "replace", "Replace the clause's wording"
        INSERT = "insert", "Insert a new clause after it"
        DELETE = "delete", "Delete the clause"
        MOVE = "move", "Move the clause"

    class Status(models.TextChoices):
        # The decision vocabulary of the QUILL project (mediation.md §2.5).
        PROPOSED = "proposed", "Proposed"
        ADOPTED = "adopted", "Adopted"
        REJECTED = "rejected", "Rejected"
        REFERRED = "referred", "Referred"
        POSTPONED = "postponed", "Postponed"
        DROPPED = "dropped", "Dropped"
        WITHDRAWN = "withdrawn", "Withdrawn"

    text = models.ForeignKey(NegotiatingText, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        TextVersion, on_delete=models.PROTECT, related_name="+", help_text="Proposed against."
    )
    code = models.CharField(max_length=24)
    clause_key = models.SlugField(max_length=80, help_text="The clause it changes or follows.")
    op = models.CharField(max_length=8, choices=Op.choices, default=Op.REPLACE)
    proposed_text = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    proposer = RecordReference(
        "processes.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The proposing party; empty for the mediation team.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_in = RecordReference(
        "processes.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    applied_to = models.ForeignKey(
        TextVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The working draft an adopted amendment was written into.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["created_at", "pk"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.UniqueConstraint(fields=["text", "code"], name="texts_amendment_code"),
        ]

    def __str__(self) -> str:
        return self.code


class PartyReview(models.Model):
    """The latest version a party marked as reviewed: "changed since my party's last review"."""

    text = models.ForeignKey(NegotiatingText, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey("processes.Actor", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["text", "party"], name="texts_review_once"),
        ]

    def __str__(self) -> str:
        return f"review of {self.version_id}"
