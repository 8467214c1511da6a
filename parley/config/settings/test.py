"""Settings for the test suite: the database comes from DATABASE_URL (SQLite by default)."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import database_from_url

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///:memory:"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashes for tests only
DEBUG = False
# Recompute at once on commit: a test sees the opinion map its votes produce, with no worker.
PARLEY_TASKS_BACKEND = os.environ.get("PARLEY_TASKS_BACKEND", "inline")
