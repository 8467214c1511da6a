"""record_event(): the one way to write an audit event. Call it only from */actions.py."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from parley.audit.models import AuditEvent


def record_event(
    *,
    user: Any,
    verb: str,
    target: models.Model,
    process_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event for *verb* on *target*; must run inside the action's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        process_id=process_id,
        data=data or {},
    )
