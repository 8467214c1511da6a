"""Models of the process record, one module per group of nouns (see docs/glossary.md)."""

from parley.processes.models.actors import (
    Actor,
    Delegation,
    DelegationMember,
    Participation,
    Person,
    RoleAssignment,
)
from parley.processes.models.base import ProcessRecord
from parley.processes.models.process import Process, Round, Session, Venue
from parley.processes.models.records import (
    Endorsement,
    Issue,
    Letter,
    LetterSignatory,
    Outcome,
    Position,
)
from parley.processes.models.sources import Citation, Source

__all__ = [
    "Actor", "Citation", "Delegation", "DelegationMember", "Endorsement", "Issue", "Letter",
    "LetterSignatory", "Outcome", "Participation", "Person", "Position", "Process",
    "ProcessRecord", "RoleAssignment", "Round", "Session", "Source", "Venue",
]  # fmt: skip
