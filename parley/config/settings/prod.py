"""Production settings: PostgreSQL, Redis, HTTPS. Every secret comes from the environment."""

from __future__ import annotations

import os
from typing import cast

from .base import *  # noqa: F403
from .base import database_from_url


def require_env(name: str) -> str:
    """Return the environment variable *name*, or stop with a hint on how to set it."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} must be set for production; see docs/deployment.md")
    return value


SECRET_KEY = require_env("PARLEY_SECRET_KEY")
_database = database_from_url(require_env("DATABASE_URL"))
if _database["ENGINE"] == "django.db.backends.postgresql":
    # A pool per process: a new PostgreSQL connection per request cost more CPU than the vote
    # itself (bench/README.md, votes over HTTP). Size x processes must stay under max_connections.
    _options = dict(cast(dict[str, object], _database.get("OPTIONS") or {}))
    _options["pool"] = {"min_size": 2, "max_size": int(os.environ.get("PARLEY_DB_POOL_SIZE", "8"))}
    _database["OPTIONS"] = _options
DATABASES = {"default": _database}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = require_env("PARLEY_STATIC_ROOT")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Recomputes run on an RQ queue on Redis, in `parley worker` processes (docs/deployment.md).
PARLEY_TASKS_BACKEND = os.environ.get("PARLEY_TASKS_BACKEND", "rq")
