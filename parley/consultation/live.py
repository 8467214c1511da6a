"""Tell open pages that new results exist: the latest snapshot number, in the cache.

The cache is local memory in the demo (one process: the worker thread shares it) and Redis in
production (shared by every web process and worker). Only a number travels: pages fetch the
results themselves, through the same viewer-scoped query as any other read.
"""

from __future__ import annotations

from django.core.cache import cache

from parley.consultation.models import OpinionMapSnapshot


def _key(conversation_id: int) -> str:
    return f"parley:opinion-map:{conversation_id}"


def announce(conversation_id: int, number: int) -> None:
    """Publish that snapshot *number* of *conversation_id* is the newest."""
    cache.set(_key(conversation_id), number, timeout=None)


def current_version(conversation_id: int) -> int:
    """Return the newest snapshot number of *conversation_id* (0 if none yet)."""
    number = cache.get(_key(conversation_id))
    if number is None:
        latest = OpinionMapSnapshot.objects.filter(conversation_id=conversation_id).first()
        number = latest.number if latest else 0
        cache.set(_key(conversation_id), number, timeout=None)
    return int(number)
