"""Actors, people and the parts they play: participation, delegations and role assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parley.processes.models.base import ProcessRecord, RecordReference
from parley.processes.roles import Role, RoleStatus


class Actor(ProcessRecord):
    """A party, group, coalition, state, organisation or bloc taking part in the process."""

    class Kind(models.TextChoices):
        STATE = "state", "State or government"
        ARMED_GROUP = "armed_group", "Armed group"
        POLITICAL_GROUP = "political_group", "Political party or group"
        COALITION = "coalition", "Coalition"
        CIVIL_SOCIETY = "civil_society", "Civil-society organisation"
        INDEPENDENT_BLOC = "independent_bloc", "Independent bloc"
        INTERNATIONAL_ORG = "international_org", "International organisation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.TextField(blank=True, help_text="Other names, one per line, any script.")
    description = models.TextField(blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(ProcessRecord):
    """Someone named in the process. Shown by name only as far as their consent allows."""

    class Consent(models.TextChoices):
        NONE = "none", "Not to be named"
        PROCESS = "process", "Named to process participants"
        PUBLIC = "public", "Named in public"

    display_name = models.CharField(max_length=200)
    names = models.JSONField(
        default=dict, blank=True, help_text="Name per script or language, e.g. {'ru': '…'}."
    )
    pseudonym = models.CharField(max_length=100, blank=True)
    consent_to_be_named = models.CharField(
        max_length=10, choices=Consent.choices, default=Consent.NONE
    )
    title = models.CharField(max_length=200, blank=True, help_text="e.g. 'President'.")
    affiliation = RecordReference(
        Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    is_placeholder = models.BooleanField(
        default=False, help_text="Stands for someone the sources do not name."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    class Meta(ProcessRecord.Meta):
        ordering = ["display_name"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.UniqueConstraint(fields=["process", "user"], name="one_person_per_user"),
        ]

    def __str__(self) -> str:
        return self.display_name


class Participation(ProcessRecord):
    """An actor's part in the process, or in one round: category and whether it came."""

    class Category(models.TextChoices):
        CONFLICT_PARTY = "conflict_party", "Conflict party"
        OPPOSITION = "opposition", "Opposition group"
        CIVIL_SOCIETY = "civil_society", "Civil society"
        INDEPENDENT = "independent", "Independent"
        MEDIATOR = "mediator", "Mediator"
        GUARANTOR = "guarantor", "Guarantor"
        OBSERVER = "observer", "Observer"
        HOST = "host", "Host"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        WITHDREW = "withdrew", "Withdrew"
        UNKNOWN = "unknown", "Unknown"

    actor = RecordReference(Actor, on_delete=models.PROTECT, related_name="participations")
    round = RecordReference(
        "processes.Round",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participations",
        help_text="Empty: the actor's part in the whole process.",
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNKNOWN)
    count_at_least = models.PositiveIntegerField(
        null=True, blank=True, help_text="For 'more than 30 people': 31."
    )
    note = models.TextField(blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["round__sequence", "category", "actor__name"]

    def __str__(self) -> str:
        return f"{self.actor} — {self.get_status_display()}"


class Delegation(ProcessRecord):
    """The people an actor sends to the process or to one round."""

    actor = RecordReference(Actor, on_delete=models.PROTECT, related_name="delegations")
    round = RecordReference(
        "processes.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mandate_note = models.TextField(blank=True)
    authority_to_sign = models.BooleanField(default=False)

    class Meta(ProcessRecord.Meta):
        ordering = ["actor__name"]

    def __str__(self) -> str:
        return f"Delegation of {self.actor}"


class DelegationMember(ProcessRecord):
    """A person in a delegation; shown only to who may see both it and its delegation."""

    class Role(models.TextChoices):
        HEAD = "head", "Head of delegation"
        DEPUTY = "deputy", "Deputy head"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser"
        EXPERT = "expert", "Expert"
        NOTE_TAKER = "note_taker", "Note-taker"
        INTERPRETER = "interpreter", "Interpreter"

    delegation = RecordReference(Delegation, on_delete=models.CASCADE, related_name="members")
    person = RecordReference(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    order = models.PositiveIntegerField(default=0)

    class Meta(ProcessRecord.Meta):
        ordering = ["order", "id"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.UniqueConstraint(fields=["delegation", "person"], name="member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class RoleAssignment(ProcessRecord):
    """A person or actor in a role in the process (or one round), with its status.

    Only accepted assignments of a person linked to a user grant anything on the platform;
    the rest are the historical record ("mediator requested").
    """

    role = models.CharField(max_length=30, choices=Role.choices)
    status = models.CharField(
        max_length=20, choices=RoleStatus.choices, default=RoleStatus.ACCEPTED
    )
    person = RecordReference(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    actor = RecordReference(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        help_text="An actor holding the role itself, e.g. a state as host.",
    )
    represents = RecordReference(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        help_text="The party a delegate or head of delegation speaks for.",
    )
    round = RecordReference(
        "processes.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    verbatim_term = models.CharField(max_length=200, blank=True)

    class Meta(ProcessRecord.Meta):
        ordering = ["role", "id"]
        constraints = [
            *ProcessRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(actor__isnull=False),
                name="role_has_holder",
            ),
        ]

    def __str__(self) -> str:
        holder = self.person or self.actor
        return f"{holder}: {self.get_role_display()} ({self.get_status_display()})"
