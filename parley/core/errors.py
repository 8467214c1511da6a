"""Errors every front door (web, API, CLI) turns into the same user-facing message."""

from __future__ import annotations


class ParleyError(Exception):
    """Base for errors that carry a message meant for the user."""


class NotFound(ParleyError):
    """Raised for a row that is missing *or* that the viewer may not see: the two look alike."""

    def __init__(self, what: str = "page") -> None:
        super().__init__(f"No such {what}.")


class Forbidden(ParleyError):
    """Raised when a viewer may see a row but may not do what was asked with it."""


class InvalidInput(ParleyError):
    """Raised for input that breaks a rule; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))


class Conflict(ParleyError):
    """Raised when a save started from an older revision than the row now has.

    Nothing is overwritten: ``yours`` is what the caller tried to save, ``current`` what the
    row holds now (saved by someone else meanwhile), ``revision`` the revision to start from
    if the caller merges the two and saves again.
    """

    def __init__(self, what: str, *, yours: dict[str, str], current: dict[str, str],
                 revision: int) -> None:  # fmt: skip
        self.yours, self.current, self.revision = yours, current, revision
        super().__init__(
            f"Someone else saved this {what} while you were editing it. Nothing was "
            "overwritten: compare both versions below, then save again."
        )
