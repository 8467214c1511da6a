"""Who may read and work on a negotiating text: the one door for texts, versions and clauses.

A text, and each of its versions, is a ProcessRecord read under the process's visibility rules;
a working draft is mediation-level until it is circulated, so parties cannot see it. Every
fetcher raises the same NotFound for a missing row and for one the viewer may not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from parley.core.errors import Forbidden, NotFound
from parley.core.visibility import Viewer
from parley.processes.models import Actor, Process
from parley.processes.permissions import (
    access_process_by_slug,
    can,
    can_record_position_for,
    require,
    visible,
)
from parley.processes.roles import Permission
from parley.texts.models import Clause, NegotiatingText, TextVersion


@dataclass(frozen=True)
class TextAccess:
    """One user's view of one text: what they may read is decided by ``viewer``."""

    user: Any
    process: Process
    viewer: Viewer
    text: NegotiatingText

    @property
    def can_manage(self) -> bool:
        """Return whether the user drafts this text (the mediation team)."""
        return can(self.viewer, Permission.MANAGE_RECORD)

    def require_manage(self) -> None:
        require(self.viewer, Permission.MANAGE_RECORD)

    def speaks_for(self, party: Actor) -> bool:
        """Return whether the user records *party*'s official positions (its delegate)."""
        return can_record_position_for(self.viewer, party.pk)

    def is_member_of(self, party: Actor) -> bool:
        return party.pk in self.viewer.party_ids


def access_process(user: Any, slug: str) -> tuple[Process, Viewer]:
    """Return the process *slug* and the user's Viewer in it, or raise NotFound."""
    return access_process_by_slug(user, slug)


def text_access(user: Any, process: Process, viewer: Viewer, key: str) -> TextAccess:
    """Return the user's access to text *key* of *process*, or raise NotFound."""
    text = visible(viewer, NegotiatingText, process).filter(key=key).first()
    if text is None:
        raise NotFound("text")
    return TextAccess(user, process, viewer, text)


def access_text(user: Any, slug: str, key: str) -> TextAccess:
    """Return the user's access to text *key* in process *slug*, or raise NotFound."""
    process, viewer = access_process(user, slug)
    return text_access(user, process, viewer, key)


def versions_visible(access: TextAccess) -> QuerySet[TextVersion]:
    """Return the versions of the text the user may read, oldest first."""
    rows = visible(access.viewer, TextVersion, access.process).filter(text=access.text)
    return rows.order_by("number")


def access_version(access: TextAccess, number: int) -> TextVersion:
    """Return version *number* of the text if the user may read it, else NotFound."""
    version = versions_visible(access).filter(number=number).first()
    if version is None:
        raise NotFound("version")
    return version


def access_clause(version: TextVersion, key: str) -> Clause:
    """Return clause *key* of a version the caller already holds, else NotFound."""
    clause = Clause.objects.filter(version=version, key=key).first()
    if clause is None:
        raise NotFound("clause")
    return clause


def parties_visible(access: TextAccess) -> list[Actor]:
    """Return the text's parties the user may see by name, in name order."""
    ids = access.text.parties.values("pk")
    return list(visible(access.viewer, Actor, access.process).filter(pk__in=ids))


def party_of(access: TextAccess, party_key: str | None) -> Actor:
    """Return the party the user acts for: *party_key*, or their only party.

    Raise Forbidden when the user belongs to no party of the process, NotFound for a party they
    may not see.
    """
    mine = visible(access.viewer, Actor, access.process)
    if party_key:
        party = mine.filter(key=party_key).first()
        if party is None:
            raise NotFound("party")
        return party
    own = list(mine.filter(pk__in=access.viewer.party_ids)[:2])
    if len(own) != 1:
        raise Forbidden("Say which party you act for." if own else "You act for no party here.")
    return own[0]
