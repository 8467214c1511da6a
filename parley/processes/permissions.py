"""Who may see and do what in a process: the one door for confidential reads.

- ``viewer_for`` turns a user's accepted roles into a Viewer (one query).
- ``can`` / ``require`` check a Permission (no queries).
- ``visible_q`` is the database filter for any ProcessRecord; lists and details both use it,
  so they cannot disagree.
- ``access_*`` fetchers raise the same NotFound whether a row is missing or forbidden.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from parley.core.errors import Forbidden, NotFound
from parley.core.visibility import ANONYMOUS, Viewer, Visibility
from parley.processes.models import Process, ProcessRecord, RoleAssignment
from parley.processes.roles import (
    ACCREDITED_ROLES,
    MEDIATION_ROLES,
    Permission,
    Role,
    RoleStatus,
    permissions_of,
)

R = TypeVar("R", bound=ProcessRecord)


def viewer_for(user: Any, process: Process) -> Viewer:
    """Return what *user* is entitled to in *process*, from their accepted roles."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    rows = RoleAssignment.objects.filter(
        process=process, person__user=user, status=RoleStatus.ACCEPTED
    ).values_list("role", "represents_id")
    roles = frozenset(Role(role) for role, _ in rows)
    return Viewer(
        user_id=user.pk,
        is_lead=Role.MEDIATOR in roles,
        is_mediation=bool(roles & MEDIATION_ROLES),
        is_accredited=bool(roles & ACCREDITED_ROLES),
        party_ids=frozenset(party for role, party in rows if party and role in _PARTY),
        head_of_party_ids=frozenset(
            party for role, party in rows if party and role == Role.HEAD_OF_DELEGATION
        ),
        permissions=frozenset(permissions_of(roles)),
    )


_PARTY = {Role.HEAD_OF_DELEGATION, Role.DELEGATE}


def can(viewer: Viewer, permission: Permission) -> bool:
    """Return whether *viewer* holds *permission* in the process it was made for."""
    return permission in viewer.permissions


def require(viewer: Viewer, permission: Permission) -> None:
    """Raise Forbidden unless *viewer* holds *permission*."""
    if not can(viewer, permission):
        raise Forbidden(f"You may not do this here ({permission.value}).")


def can_record_position_for(viewer: Viewer, party_id: int) -> bool:
    """Return whether *viewer* may record the position of party *party_id*."""
    if can(viewer, Permission.RECORD_ANY_POSITION):
        return True
    return can(viewer, Permission.RECORD_OWN_POSITION) and party_id in viewer.head_of_party_ids


def visible_q(viewer: Viewer, model: type[ProcessRecord]) -> Q:
    """Return the filter selecting the rows of *model* that *viewer* may read."""
    levels = [Visibility.PUBLIC]
    if viewer.is_accredited or viewer.is_mediation:
        levels.append(Visibility.PROCESS)
    if viewer.is_mediation:
        levels += [Visibility.SUBGROUP, Visibility.PARTY, Visibility.MEDIATION]
    if viewer.is_lead:
        levels.append(Visibility.LEAD)
    q = Q(visibility__in=[level.value for level in levels])
    if viewer.party_ids and not viewer.is_mediation:
        q |= Q(visibility=Visibility.PARTY.value, party_id__in=viewer.party_ids)
        q |= Q(_in_audience(model, viewer.party_ids), visibility=Visibility.SUBGROUP.value)
    return q


def _in_audience(model: type[ProcessRecord], party_ids: frozenset[int]) -> Exists:
    """Return 'one of *party_ids* is in the row's audience', as EXISTS on the link table.

    EXISTS rather than a join keeps each row once without a DISTINCT or a subquery over the
    whole filter, which PostgreSQL planned poorly for party viewers.
    """
    field = model._meta.get_field("audience")
    links = field.remote_field.through._default_manager.filter(  # type: ignore[union-attr]
        **{
            f"{field.m2m_field_name()}_id": OuterRef("pk"),
            f"{field.m2m_reverse_field_name()}_id__in": party_ids,
        }
    )
    return Exists(links)


def visible(viewer: Viewer, model: type[R], process: Process) -> QuerySet[R]:
    """Return *model*'s rows in *process* that *viewer* may read, each once."""
    rows: QuerySet[R] = model._default_manager.filter(process=process)
    return rows.filter(visible_q(viewer, model))


def processes_visible_to(user: Any) -> QuerySet[Process]:
    """Return the processes *user* may open: public ones and those they hold a role in."""
    public = Q(visibility=Visibility.PUBLIC.value)
    if user is None or not user.is_authenticated:
        return Process.objects.filter(public)
    mine = RoleAssignment.objects.filter(person__user=user, status=RoleStatus.ACCEPTED)
    process_level = Q(
        visibility__in=[
            Visibility.PROCESS.value,
            Visibility.SUBGROUP.value,
            Visibility.PARTY.value,
        ],
        pk__in=mine.filter(role__in=ACCREDITED_ROLES).values("process_id"),
    )
    team_level = Q(
        visibility=Visibility.MEDIATION.value,
        pk__in=mine.filter(role__in=MEDIATION_ROLES).values("process_id"),
    )
    lead_level = Q(
        visibility=Visibility.LEAD.value,
        pk__in=mine.filter(role=Role.MEDIATOR).values("process_id"),
    )
    return Process.objects.filter(public | process_level | team_level | lead_level)


def access_process_by_slug(user: Any, slug: str) -> tuple[Process, Viewer]:
    """Return the process *slug* and *user*'s Viewer in it, or raise NotFound."""
    process = processes_visible_to(user).filter(slug=slug).first()
    if process is None:
        raise NotFound("process")
    return process, viewer_for(user, process)


def access_record_by_key(viewer: Viewer, model: type[R], process: Process, key: str) -> R:
    """Return the row *key* of *model* in *process* if *viewer* may read it, else NotFound."""
    row = visible(viewer, model, process).filter(key=key).first()
    if row is None:
        raise NotFound(str(model._meta.verbose_name))
    return row
