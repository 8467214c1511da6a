"""Who may read, take part in and run a conversation: the one door for conversations.

A conversation in a process is read under the process's visibility rules: the process must be
visible to the user and the conversation's level must admit them. The mediation team (the
manage_record permission) runs it. A standalone conversation is run by its convener and read by
everyone when public, by the convener alone otherwise. ``access_conversation`` raises the same
NotFound for a missing conversation and for one the user may not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parley.consultation.models import Conversation
from parley.core.errors import Forbidden, NotFound
from parley.core.visibility import ANONYMOUS, Viewer, Visibility, can_see
from parley.processes.permissions import can, processes_visible_to, viewer_for
from parley.processes.roles import Permission


@dataclass(frozen=True)
class ConversationAccess:
    """What one user may do with one conversation."""

    conversation: Conversation
    user: Any
    viewer: Viewer
    can_manage: bool

    @property
    def can_take_part(self) -> bool:
        """Return whether the user may vote and write statements now."""
        signed_in = bool(getattr(self.user, "is_authenticated", False))
        return self.conversation.is_open and (signed_in or self.conversation.allow_anonymous)

    def require_manage(self) -> None:
        """Raise Forbidden unless the user runs this conversation."""
        if not self.can_manage:
            raise Forbidden("Only the team running this conversation may do this.")

    def require_take_part(self) -> None:
        """Raise Forbidden unless the user may vote and write statements now."""
        if not self.conversation.is_open:
            raise Forbidden("This conversation is closed.")
        if not self.can_take_part:
            raise Forbidden("Sign in to take part in this conversation.")


def access_for(
    user: Any, conversation: Conversation, viewers: dict[int, Viewer | None] | None = None
) -> ConversationAccess | None:
    """Return *user*'s access to *conversation*, or None if they may not read it.

    *viewers* caches the user's Viewer per process (None: the process is hidden from them), so
    a list of many conversations costs two queries per process, not per conversation.
    """
    if conversation.process_id is None:
        return _standalone(user, conversation)
    cache = {} if viewers is None else viewers
    if conversation.process_id not in cache:
        cache[conversation.process_id] = _process_viewer(user, conversation.process_id)
    viewer = cache[conversation.process_id]
    if viewer is None or not can_see(viewer, Visibility(conversation.visibility)):
        return None
    manage = can(viewer, Permission.MANAGE_RECORD)
    return ConversationAccess(conversation, user, viewer, can_manage=manage)


def _process_viewer(user: Any, process_id: int) -> Viewer | None:
    process = processes_visible_to(user).filter(pk=process_id).first()
    return viewer_for(user, process) if process is not None else None


def _standalone(user: Any, conversation: Conversation) -> ConversationAccess | None:
    is_convener = bool(
        getattr(user, "is_authenticated", False) and conversation.convener_id == user.pk
    )
    if not is_convener and conversation.visibility != Visibility.PUBLIC.value:
        return None
    viewer = Viewer(user_id=user.pk) if getattr(user, "is_authenticated", False) else ANONYMOUS
    return ConversationAccess(conversation, user, viewer, can_manage=is_convener)


def access_conversation(user: Any, slug: str) -> ConversationAccess:
    """Return *user*'s access to the conversation *slug*, or raise NotFound."""
    conversation = Conversation.objects.filter(slug=slug).first()
    access = access_for(user, conversation) if conversation is not None else None
    if access is None:
        raise NotFound("conversation")
    return access
