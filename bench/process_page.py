"""Time the process page of a large process: 50 actors, 20 rounds, 500 positions.

Run: .venv/bin/python bench/process_page.py [--requests N]
Uses a fresh SQLite file (or DATABASE_URL if set, e.g. a PostgreSQL database it may fill),
builds the process through the real actions, then renders /p/<slug>/ through the whole Django
stack as several personas. Prints the query count and p50/p95 render time per persona.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django() -> None:
    if "DATABASE_URL" not in os.environ:
        db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.config.settings.demo")
    os.environ.setdefault("PARLEY_ALLOWED_HOSTS", "testserver")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_page(client, url: str, requests: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured)  # now: the log it slices changes with later requests
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return samples, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from tests.scale import grow_process
    from tests.world import build_world

    started = time.perf_counter()
    world = build_world(slug=f"bench-{os.getpid()}")
    mediator = world.users["mediator"]
    assert mediator is not None
    grow_process(mediator, world.process, actors=50, rounds=20, positions=500)
    print(f"built 50 actors, 20 rounds, 500 positions in {time.perf_counter() - started:.1f} s")
    url = f"/p/{world.process.slug}/"
    print(f"{'persona':<14} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}  ({args.requests} requests)")
    for persona in ("mediator", "party_a_lead", "anonymous"):
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        samples, queries = time_page(client, url, args.requests)
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(f"{persona:<14} {queries:>7} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
