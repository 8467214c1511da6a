"""The sign-in accounts scenario imports and the demo need, created through audited actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from parley.audit.record import record_event

SYSTEM_USERNAME = "parley-system"


@transaction.atomic
def ensure_user(*, username: str, password_hash: str | None = None) -> Any:
    """Return the user *username*, creating it if missing.

    A new user gets *password_hash* (from ``make_password``), or a password that never works.
    """
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is not None:
        return user
    user = users.objects.create(username=username, password=password_hash or make_password(None))
    record_event(user=None, verb="user.created", target=user, data={"username": username})
    return user


def system_user() -> Any:
    """Return the account that imports scenarios when no user is named; nobody can sign in as it."""
    return ensure_user(username=SYSTEM_USERNAME)
