"""Background recomputes are debounced: a burst of requests causes one recompute."""

from __future__ import annotations

import uuid

import pytest
from django.test import override_settings

from parley.consultation import actions, tasks
from parley.consultation.models import Conversation, OpinionMapSnapshot
from tests.unit.consultation.conftest import access
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_burst_of_requests_runs_one_recompute_on_the_thread_worker():
    ran: list[int] = []
    worker = tasks.ThreadWorker(ran.append, autostart=False)
    for _ in range(100):
        worker.request(7)
    worker.request(8)
    assert worker.run_pending() == 2
    assert ran == [7, 8]
    worker.request(7)  # a request after the run asks for one more
    assert worker.run_pending() == 1


def test_a_failing_recompute_does_not_stop_the_worker():
    def fail_on_seven(conversation_id: int) -> None:
        if conversation_id == 7:
            raise RuntimeError("boom")

    worker = tasks.ThreadWorker(fail_on_seven, autostart=False)
    worker.request(7)
    worker.request(8)
    assert worker.run_pending() == 2


@pytest.fixture
def rq_settings():
    from redis import Redis

    name = f"parley-test-{uuid.uuid4().hex[:8]}"
    with override_settings(PARLEY_TASKS_BACKEND="rq", PARLEY_RQ_QUEUE=name):
        yield name
    connection = tasks.redis_connection()
    assert isinstance(connection, Redis)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def test_a_burst_enqueues_one_rq_job_and_the_worker_runs_it(
    world: World, rq_settings: str, conversation: Conversation, django_capture_on_commit_callbacks
):
    from rq import Queue, SimpleWorker

    connection = tasks.redis_connection()
    connection.delete(tasks._pending_key(conversation.pk))
    who = access(world, "observer", conversation)
    me = actions.join(access=who, token=None)
    for number in (1, 2, 3, 1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            actions.cast_vote(access=who, participant=me, statement_number=number, value=1)
    queue = Queue(rq_settings, connection=connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert OpinionMapSnapshot.objects.filter(conversation=conversation).count() == 1
    assert not connection.exists(tasks._pending_key(conversation.pk))
