"""Problems found in a scenario file, each said as FILE:LINE: subject: message."""

from __future__ import annotations

from dataclasses import dataclass

from parley.core.errors import ParleyError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file: where, about what, and what is wrong."""

    where: str
    subject: str
    message: str

    def __str__(self) -> str:
        if not self.subject:
            return f"{self.where}: {self.message}"
        return f"{self.where}: {self.subject}: {self.message}"


class ScenarioError(ParleyError):
    """Raised with every problem found in a scenario file; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def about(thing: str, field: str | None = None) -> str:
    """Return the subject of a problem: "field 'x' of round 'geneva'" or "round 'geneva'"."""
    if field is None or field == "__all__":
        return thing
    return f"field '{field}' of {thing}" if thing else f"field '{field}'"
