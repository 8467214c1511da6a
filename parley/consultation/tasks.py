"""Background recompute of opinion maps, debounced: a burst of votes causes one recompute.

A request marks the conversation as pending; a worker takes the mark off *before* computing,
so votes that arrive during a recompute cause exactly one more, and any number arriving while
one is queued cause none. Backends (setting ``PARLEY_TASKS_BACKEND``):

- ``thread``: one in-process worker thread (the SQLite demo: a single process, no Redis);
- ``rq``: an RQ queue on Redis (production), run by ``parley worker``; the pending mark is a
  Redis key, so N web processes and N workers share it;
- ``inline``: compute at once, on commit (tests and the CLI).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

log = logging.getLogger(__name__)
PENDING_TIMEOUT_S = 600


def recompute_on_commit(conversation_id: int) -> None:
    """Ask for a recompute of *conversation_id* once the current transaction commits."""
    transaction.on_commit(lambda: request_recompute(conversation_id))


def request_recompute(conversation_id: int) -> None:
    """Ask the configured backend to recompute *conversation_id* soon (debounced)."""
    backend = getattr(settings, "PARLEY_TASKS_BACKEND", "inline")
    if backend == "inline":
        run_recompute(conversation_id)
    elif backend == "thread":
        _thread_worker().request(conversation_id)
    elif backend == "rq":
        _enqueue_rq(conversation_id)
    elif backend != "off":
        raise ValueError(f"Unknown PARLEY_TASKS_BACKEND {backend!r}")


def run_recompute(conversation_id: int) -> None:
    """Recompute *conversation_id* now (what every backend's worker runs)."""
    from parley.consultation.recompute import recompute

    recompute(conversation_id)


# --- rq ------------------------------------------------------------------------------------


def redis_connection() -> Any:
    """Return this process's client for PARLEY_REDIS_URL (one per URL: it pools connections)."""
    return _redis(settings.PARLEY_REDIS_URL)


@functools.cache
def _redis(url: str) -> Any:
    # A new client per vote cost a TCP connection and five handshake commands for one SET NX.
    from redis import Redis

    return Redis.from_url(url)


def queue_name() -> str:
    return str(getattr(settings, "PARLEY_RQ_QUEUE", "parley"))


def _pending_key(conversation_id: int) -> str:
    return f"parley:recompute-pending:{conversation_id}"


def _enqueue_rq(conversation_id: int) -> None:
    from rq import Queue

    connection = redis_connection()
    # SET NX: only the first request of a burst enqueues a job.
    if connection.set(_pending_key(conversation_id), 1, nx=True, ex=PENDING_TIMEOUT_S):
        Queue(queue_name(), connection=connection).enqueue(rq_job, conversation_id)


def rq_job(conversation_id: int) -> None:
    """The RQ job: clear the pending mark, then recompute."""
    redis_connection().delete(_pending_key(conversation_id))
    _fresh_connections()
    try:
        run_recompute(conversation_id)
    finally:
        _fresh_connections()


def _fresh_connections() -> None:
    """Drop connections the database closed, as Django does around each request.

    Skipped inside a transaction: only a test runs a job inside one, and it needs its own.
    """
    if not connection.in_atomic_block:
        close_old_connections()


# --- thread --------------------------------------------------------------------------------


class ThreadWorker:
    """One daemon thread that recomputes pending conversations, one at a time.

    With *autostart* False no thread starts: `run_pending` does the work (tests).
    """

    def __init__(
        self, run: Callable[[int], object] = run_recompute, *, autostart: bool = True
    ) -> None:
        self._run_one = run
        self._autostart = autostart
        self._pending: dict[int, None] = {}  # insertion-ordered set
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def request(self, conversation_id: int) -> None:
        with self._wake:
            self._pending[conversation_id] = None
            if self._autostart:
                self._start()
            self._wake.notify()

    def run_pending(self) -> int:
        """Recompute every pending conversation once, here; return how many ran."""
        ran = 0
        while self._pending:
            self._step(self._next())
            ran += 1
        return ran

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="parley-recompute", daemon=True)
            self._thread.start()

    def _next(self) -> int:
        with self._wake:
            while not self._pending:
                self._wake.wait()
            conversation_id = next(iter(self._pending))
            del self._pending[conversation_id]
            return conversation_id

    def _run(self) -> None:
        while True:
            try:
                self._step(self._next())
            finally:
                _fresh_connections()

    def _step(self, conversation_id: int) -> None:
        try:
            self._run_one(conversation_id)
        except Exception:  # a failed recompute must not stop the worker for everyone
            log.exception("Recompute of conversation %s failed", conversation_id)


_worker: ThreadWorker | None = None
_worker_lock = threading.Lock()


def _thread_worker() -> ThreadWorker:
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = ThreadWorker()
        return _worker
