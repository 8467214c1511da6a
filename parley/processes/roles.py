"""The one vocabulary of roles and permissions. docs/permissions.md mirrors this file.

A role is held in one process (RoleAssignment). Only an *accepted* role grants permissions;
requested, offered, declined and ended roles are history. What a role may *read* is decided
by visibility levels (parley.core.visibility); what it may *do* is listed here.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    MEDIATOR = "mediator", "Mediator"
    CO_MEDIATOR = "co_mediator", "Co-mediator"
    MEDIATION_TEAM = "mediation_team", "Mediation team member"
    HEAD_OF_DELEGATION = "head_of_delegation", "Head of delegation"
    DELEGATE = "delegate", "Delegate"
    OBSERVER = "observer", "Observer"
    GUARANTOR = "guarantor", "Guarantor"
    WITNESS = "witness", "Witness"
    HOST = "host", "Host"
    PUBLIC_PARTICIPANT = "public_participant", "Public participant"


class RoleStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


class Permission(StrEnum):
    """What a role may do in its process."""

    MANAGE_RECORD = "manage_record"
    RECORD_ANY_POSITION = "record_any_position"
    RECORD_OWN_POSITION = "record_own_position"
    READ_AUDIT_LOG = "read_audit_log"
    LOWER_VISIBILITY = "lower_visibility"


PERMISSION_DESCRIPTIONS: dict[Permission, str] = {
    Permission.MANAGE_RECORD: "Create and edit the process record: rounds, actors, people…",
    Permission.RECORD_ANY_POSITION: "Record any party's position on an issue.",
    Permission.RECORD_OWN_POSITION: "Record the position of the party one heads.",
    Permission.READ_AUDIT_LOG: "Read the process's audit log.",
    Permission.LOWER_VISIBILITY: "Widen the audience of a record (with its originator's consent).",
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.MEDIATOR: "Leads the mediation; sees everything, including lead-only records.",
    Role.CO_MEDIATOR: "Mediates beside the lead; sees everything but lead-only records.",
    Role.MEDIATION_TEAM: "Advises, drafts or takes notes for the mediators.",
    Role.HEAD_OF_DELEGATION: "Speaks for a party; records its positions.",
    Role.DELEGATE: "Member of a party's delegation; reads the party's confidential records.",
    Role.OBSERVER: "Follows the process; reads what every participant may read.",
    Role.GUARANTOR: "Guarantees the outcome; reads what every participant may read.",
    Role.WITNESS: "Witnesses signatures; reads what every participant may read.",
    Role.HOST: "Hosts rounds; reads what every participant may read.",
    Role.PUBLIC_PARTICIPANT: "Takes part in public consultations; reads public records only.",
}

_TEAM = frozenset(
    {Permission.MANAGE_RECORD, Permission.RECORD_ANY_POSITION, Permission.READ_AUDIT_LOG}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEDIATOR: _TEAM | {Permission.LOWER_VISIBILITY},
    Role.CO_MEDIATOR: _TEAM,
    Role.MEDIATION_TEAM: _TEAM,
    Role.HEAD_OF_DELEGATION: frozenset({Permission.RECORD_OWN_POSITION}),
    Role.DELEGATE: frozenset(),
    Role.OBSERVER: frozenset(),
    Role.GUARANTOR: frozenset(),
    Role.WITNESS: frozenset(),
    Role.HOST: frozenset(),
    Role.PUBLIC_PARTICIPANT: frozenset(),
}

MEDIATION_ROLES = frozenset({Role.MEDIATOR, Role.CO_MEDIATOR, Role.MEDIATION_TEAM})
PARTY_ROLES = frozenset({Role.HEAD_OF_DELEGATION, Role.DELEGATE})
# Accredited roles read process-level records; a public participant reads public ones only.
ACCREDITED_ROLES = frozenset(Role) - {Role.PUBLIC_PARTICIPANT}


def permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    """Return the union of what *roles* may do."""
    granted: frozenset[Permission] = frozenset()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return granted
