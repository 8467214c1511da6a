"""The user account. A person's role in a process lives on processes.Person and RoleAssignment."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Someone who can sign in. Platform-wide staff flags grant nothing inside a process."""

    class Meta:
        db_table = "accounts_user"
