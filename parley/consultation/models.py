"""Conversations, their statements, participants and votes, and opinion-map snapshots.

A conversation belongs to a process (optionally one round of it) or stands alone with its
convener. Participants are pseudonymous per conversation: a participant row never names a
Person unless the mediation team links one. Votes are an append-only event log; the latest
vote per (participant, statement) is the one that counts, as in Pol.is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from parley.core.visibility import Visibility
from parley.processes.models.base import VISIBILITY_CHOICES


class Moderation(models.TextChoices):
    # Strict: a participant's statement is hidden and left out of the maths until accepted.
    STRICT = "strict", "Strict: participants' statements wait for acceptance"
    OPEN = "open", "Open: participants' statements are shown until rejected"


class Comparison(models.TextChoices):
    """Which declared partition common ground is also scored over, besides opinion groups."""

    NONE = "none", "Opinion groups only"
    SEGMENTS = "segments", "Declared segments (participants choose one)"
    PARTIES = "parties", "The process's parties (from participants' roles)"


class Conversation(models.Model):
    """One consultation: statements to vote on and the opinion map they produce."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    question = models.TextField(blank=True, help_text="What participants are asked.")
    process = models.ForeignKey(
        "processes.Process", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        "processes.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who runs a standalone conversation (one without a process).",
    )
    visibility = models.CharField(
        max_length=16, choices=VISIBILITY_CHOICES, default=Visibility.PUBLIC.value
    )
    moderation = models.CharField(
        max_length=8, choices=Moderation.choices, default=Moderation.STRICT
    )
    comparison = models.CharField(
        max_length=10, choices=Comparison.choices, default=Comparison.NONE
    )
    segments = models.JSONField(
        default=list, blank=True, help_text="The segment labels participants choose from."
    )
    is_open = models.BooleanField(default=True, help_text="Accepting votes and statements.")
    allow_anonymous = models.BooleanField(
        default=True, help_text="Anyone with the link may take part without signing in."
    )
    min_group_size = models.PositiveSmallIntegerField(
        default=5, help_text="Statistics of smaller groups are withheld from everyone."
    )
    is_illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A pseudonymous voter in one conversation: a signed-in user or an anonymous session."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # An anonymous participant is known only by a random token kept in their session cookie.
    token = models.CharField(max_length=64, null=True, blank=True)
    pseudonym = models.CharField(max_length=40)
    segment = models.CharField(max_length=80, blank=True)
    party = models.ForeignKey(
        "processes.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "processes.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set only when the mediation team decides to link a participant to a person.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["conversation", "token"], name="participant_once_per_token"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Statement(models.Model):
    """A short statement participants vote on; `number` is its id in the conversation."""

    class Origin(models.TextChoices):
        SEED = "seed", "Seed (from the team)"
        PARTICIPANT = "participant", "Written by a participant"
        IMPORTED = "imported", "Imported"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending moderation"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=1000)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.SEED)
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_meta = models.BooleanField(
        default=False, help_text="About the conversation itself: shown first, left out of maths."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="statement_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:60]}"


class Vote(models.Model):
    """One vote event: agree (+1), disagree (-1) or pass (0). Never updated, never deleted."""

    class Value(models.IntegerChoices):
        AGREE = 1, "Agree"
        DISAGREE = -1, "Disagree"
        PASS = 0, "Pass"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Value.choices)
    # The client's idempotency key: a retried request with the same key adds nothing.
    client_key = models.CharField(max_length=64, null=True, blank=True)
    # A default, not auto_now_add: an imported vote log keeps its own timestamps.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "client_key"], name="vote_idempotent_per_client_key"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "id"], name="vote_log_order")]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class OpinionMapSnapshot(models.Model):
    """One computed opinion map: what results pages show, and the warm start of the next.

    `result` holds only what the public may see (no individual's votes); `state` is the
    maths' own warm-start state, never served.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    last_vote_id = models.BigIntegerField(default=0)
    n_votes = models.PositiveIntegerField(default=0)
    n_participants = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    state = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="snapshot_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"opinion map {self.number}"
