"""Inclusion tags listing consultations on pages whose views know nothing of them.

The process page and the home page belong to other areas; a tag lets each list the
conversations the viewer may read with one line in its template, through the scoped query.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from parley.consultation.queries import conversations_visible_to
from parley.processes.models import Process

register = template.Library()


@register.inclusion_tag("web/consultations/list.html", takes_context=True)
def conversations_of(context: dict[str, Any], process: Process) -> dict[str, Any]:
    """List the process's conversations the viewer may read; the team may open one."""
    user = context["request"].user
    found = conversations_visible_to(user, process)
    new = reverse("web:process-consultation-create", args=[process.slug])
    return {
        "heading": "Consultations",
        "conversations": [access.conversation for access in found],
        "new_url": new if context.get("can_manage") else "",
    }


@register.inclusion_tag("web/consultations/list.html", takes_context=True)
def standalone_conversations(context: dict[str, Any]) -> dict[str, Any]:
    """List the consultations outside any process the viewer may read (public ones, and a
    signed-in user's own); a signed-in user may open one."""
    user = context["request"].user
    found = [access.conversation for access in conversations_visible_to(user)]
    return {
        "heading": "Consultations",
        "conversations": [row for row in found if row.process_id is None],
        "new_url": reverse("web:consultation-create") if user.is_authenticated else "",
    }
