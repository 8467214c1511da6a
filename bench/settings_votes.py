"""Production settings for bench/votes_http.py: plain HTTP on loopback, plus the ceiling URL.

Everything comes from parley.config.settings.prod (PostgreSQL, Redis cache, RQ recomputes,
DEBUG off, the same middleware and database options). Only what plain HTTP on 127.0.0.1
cannot do is turned off, and the URLconf adds the bench's ceiling view in front of Parley's.
Needs the same environment as prod: PARLEY_SECRET_KEY, DATABASE_URL, PARLEY_STATIC_ROOT,
PARLEY_ALLOWED_HOSTS (and REDIS_URL); bench/votes_http.py sets them.
"""

from __future__ import annotations

import os

from parley.config.settings.prod import *  # noqa: F403, TID251
from parley.config.settings.prod import DATABASES  # noqa: TID251

# No TLS on loopback: no redirect to https://, no HSTS, cookies that travel over plain HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Parley's URLs, with the bench's ceiling view (one INSERT, nothing else) in front.
ROOT_URLCONF = "bench.ceiling_urls"

# Its own RQ queue, so a bench never feeds (or drains) anyone else's workers on this Redis.
PARLEY_RQ_QUEUE = os.environ.get("PARLEY_RQ_QUEUE", "parley-bench-votes")

# What-ifs, all off by default (bench/votes_http.py --db-pool, --whatif pg-utc).
_options = dict(DATABASES["default"].get("OPTIONS") or {})  # type: ignore[call-overload]
if os.environ.get("BENCH_DB_POOL"):
    # Django's psycopg pool (Django >= 5.1, needs psycopg_pool) instead of prod's one new
    # PostgreSQL connection per request.
    _options["pool"] = {"min_size": 2, "max_size": int(os.environ["BENCH_DB_POOL"])}
if "pg-utc" in os.environ.get("BENCH_WHATIF", "").split(","):
    # Start each connection in UTC, so Django need not send `SET TimeZone` on every new one
    # (the server's default here is Etc/UTC, which Django does not take for UTC).
    _options["options"] = "-c TimeZone=UTC"
if _options:
    DATABASES["default"]["OPTIONS"] = _options
