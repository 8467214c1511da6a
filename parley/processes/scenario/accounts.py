"""The account that imports scenarios when no user is named."""

from __future__ import annotations

from typing import Any

from parley.processes.actions import ensure_user

SYSTEM_USERNAME = "parley-system"


def system_user() -> Any:
    """Return the account that imports scenarios when no user is named; nobody can sign in as it."""
    return ensure_user(username=SYSTEM_USERNAME)
