"""The six visibility levels every confidential row carries (pure: no Django).

A level names the widest audience allowed to read a row. Levels are ordered from the widest
(public) to the narrowest (lead), so "strictest" is simply the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Visibility(StrEnum):
    """Who may read a row; the UI shows the label."""

    PUBLIC = "public"
    PROCESS = "process"
    SUBGROUP = "subgroup"
    PARTY = "party"
    MEDIATION = "mediation"
    LEAD = "lead"

    @property
    def rank(self) -> int:
        """Return 0 for public up to 5 for lead: a higher rank is a narrower audience."""
        return list(Visibility).index(self)

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]


VISIBILITY_LABELS: dict[Visibility, str] = {
    Visibility.PUBLIC: "Public: anyone",
    Visibility.PROCESS: "Process: every accredited participant",
    Visibility.SUBGROUP: "Subgroup: named parties and the mediation team",
    Visibility.PARTY: "Party: one party's delegation and the mediation team",
    Visibility.MEDIATION: "Mediation team only",
    Visibility.LEAD: "Lead mediator only",
}


def strictest(*levels: Visibility) -> Visibility:
    """Return the narrowest of *levels*: what a record quoting all of them must carry."""
    return max(levels, key=lambda level: level.rank)


@dataclass(frozen=True)
class Viewer:
    """What one user is entitled to within one process, derived from their accepted roles."""

    user_id: int | None = None
    is_lead: bool = False
    is_mediation: bool = False
    is_accredited: bool = False
    party_ids: frozenset[int] = field(default_factory=frozenset)
    head_of_party_ids: frozenset[int] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Viewer()


def can_see(
    viewer: Viewer,
    level: Visibility,
    *,
    party_id: int | None = None,
    audience_ids: frozenset[int] = frozenset(),
) -> bool:
    """Return whether *viewer* may read a row at *level* owned by *party_id* for *audience_ids*."""
    if level is Visibility.PUBLIC:
        return True
    if level is Visibility.PROCESS:
        return viewer.is_accredited or viewer.is_mediation
    if level is Visibility.SUBGROUP:
        return viewer.is_mediation or bool(viewer.party_ids & audience_ids)
    if level is Visibility.PARTY:
        return viewer.is_mediation or (party_id is not None and party_id in viewer.party_ids)
    if level is Visibility.MEDIATION:
        return viewer.is_mediation
    return viewer.is_lead
