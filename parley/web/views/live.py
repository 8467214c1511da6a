"""Live updates of the results page over SSE: only the newest opinion map's number travels.

The page then fetches the results itself, through the same scoped read as any other page.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from parley.consultation import live
from parley.consultation.access import access_conversation
from parley.core.errors import NotFound
from parley.web.errors import not_found

POLL_SECONDS = 1.0  # how often the stream looks at the newest map's number (a cache read)
HEARTBEAT_POLLS = 15  # a comment line this often keeps proxies from closing an idle stream
STREAM_SECONDS = 300.0  # then the stream ends and the browser's EventSource reconnects
RETRY_MS = 3000  # how long the browser waits before reconnecting


@require_safe
async def conversation_events(
    request: HttpRequest, slug: str
) -> HttpResponse | StreamingHttpResponse:
    """Stream ``event: results`` with ``{"version": N}`` whenever a newer opinion map exists.

    Only the number travels: the page fetches the results itself. A client that does not ask
    for a stream (no ``Accept: text/event-stream``) gets the current number as one event.
    """
    user = await request.auser()
    conversation_id = await sync_to_async(_readable)(user, slug)
    if conversation_id is None:
        return await sync_to_async(not_found)(request)

    async def read_version() -> int:
        return await sync_to_async(live.current_version)(conversation_id)

    if "text/event-stream" not in request.headers.get("Accept", ""):
        version = await read_version()
        return HttpResponse(_event(version), content_type="text/event-stream")
    stream = results_events(read_version, ticks(POLL_SECONDS, STREAM_SECONDS))
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a buffering proxy would hold the events back
    return response


def _readable(user: Any, slug: str) -> int | None:
    """Return the id of conversation *slug* if *user* may read it, else None."""
    try:
        return access_conversation(user, slug).conversation.pk
    except NotFound:
        return None


async def ticks(every: float, lasting: float) -> AsyncIterator[None]:
    """Yield every *every* seconds until *lasting* seconds have passed."""
    loop = asyncio.get_running_loop()
    end = loop.time() + lasting
    while loop.time() + every <= end:
        await asyncio.sleep(every)
        yield None


async def results_events(
    read_version: Callable[[], Awaitable[int]], clock: AsyncIterable[object]
) -> AsyncIterator[str]:
    """Yield the current version at once, then a new event at each tick of *clock* on which the
    version changed, and a heartbeat comment when nothing was sent for a while."""
    last = await read_version()
    yield f"retry: {RETRY_MS}\n" + _event(last)
    quiet = 0
    async for _ in clock:
        version = await read_version()
        if version != last:
            last, quiet = version, 0
            yield _event(version)
            continue
        quiet += 1
        if quiet >= HEARTBEAT_POLLS:
            quiet = 0
            yield ": still here\n\n"


def _event(version: int) -> str:
    return f"event: results\ndata: {json.dumps({'version': version})}\n\n"
