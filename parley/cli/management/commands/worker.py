"""`parley worker`: run background jobs (opinion-map recomputes) from the Redis queue."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from parley.cli.options import add_database_option
from parley.consultation import tasks


class Command(BaseCommand):
    help = (
        "Run opinion-map recomputes from the RQ queue on Redis (REDIS_URL), for the production "
        "settings (PARLEY_TASKS_BACKEND=rq). Run as many as the machine has cores to spare."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
        add_database_option(parser)

    def handle(self, *args: Any, burst: bool, **options: Any) -> None:
        from rq import Queue, SimpleWorker

        connection = tasks.redis_connection()
        queue = Queue(tasks.queue_name(), connection=connection)
        # SimpleWorker runs jobs in this process: no fork per job, and database connections
        # are closed around each job by tasks.rq_job.
        SimpleWorker([queue], connection=connection).work(burst=burst)
