"""A large process for query-count tests and benchmarks: many actors, rounds and positions.

Rows go through the real actions, so the data is exactly what users would create.
"""

from __future__ import annotations

from parley.accounts.models import User
from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import Process


def grow_process(
    user: User, process: Process, *, actors: int, rounds: int, positions: int, tag: str = "x"
) -> None:
    """Add *actors*, *rounds* and *positions* (spread over a few issues) to *process*."""
    add = _adder(user, process)
    parties = [add("actors", key=f"{tag}-actor-{i}", name=f"Actor {tag}{i}") for i in range(actors)]
    venue = add("venues", key=f"{tag}-venue", name=f"Venue {tag}")
    source = add("sources", key=f"{tag}-source", title=f"Report {tag}")
    for i in range(rounds):
        row = add("rounds", key=f"{tag}-round-{i}", name=f"Round {tag}{i}", sequence=100 + i,
                  venue=venue, starts_on=f"20{10 + i % 10}-0{1 + i % 9}")  # fmt: skip
        add("sessions", key=f"{tag}-session-{i}", round=row, title=f"Plenary {i}")
        add("participations", key=f"{tag}-part-{i}", actor=parties[i % actors], round=row,
            category="opposition", status="attended")  # fmt: skip
        actions.cite(user=user, process=process, target=row, source=source, quote="held")
    issues = [add("issues", key=f"{tag}-issue-{i}", title=f"Issue {tag}{i}") for i in range(5)]
    for i in range(positions):
        add("positions", key=f"{tag}-pos-{i}", actor=parties[i % actors], issue=issues[i % 5],
            stance="supports", statement=f"Position {i}",
            visibility=Visibility.PARTY.value if i % 2 else Visibility.PUBLIC.value)  # fmt: skip


def _adder(user: User, process: Process):  # type: ignore[no-untyped-def]
    def add(kind: str, **data: object):  # type: ignore[no-untyped-def]
        return actions.create_record(user=user, process=process, kind=KINDS[kind], data=data)

    return add
