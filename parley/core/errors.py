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
