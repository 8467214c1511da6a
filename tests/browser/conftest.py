"""Browser tests: start the real `parley demo` in a subprocess and drive Debian's Chromium.

The demo runs on the suite's database engine: a fresh SQLite file, or on the PostgreSQL run a
fresh PostgreSQL database that is dropped afterwards. Chromium is required: if it is missing
the tests fail (scripts/test installs it), they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, sync_playwright

# Chromium's own background traffic is refused on this closed network; these flags stop it.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip
READY_TIMEOUT_S = 90


@dataclass
class Demo:
    url: str
    output: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_healthy(url: str, process: subprocess.Popen[str]) -> None:
    """Poll /healthz until the server answers, failing fast if the demo process died."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"parley demo exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # readiness polling, not a timing assumption
    raise RuntimeError(f"parley demo did not answer /healthz within {READY_TIMEOUT_S} s")


@pytest.fixture(scope="session")
def demo_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, str], list[str]]]:
    """Yield the environment and extra arguments that point `parley demo` at a fresh database."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env, ["--db", str(tmp_path_factory.mktemp("demo") / "demo.sqlite3")]
        return
    name = f"parley_browser_{uuid.uuid4().hex[:10]}"
    admin = suite_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = suite_url.rsplit("/", 1)[0] + f"/{name}"
    yield env, []
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def demo(demo_database: tuple[dict[str, str], list[str]], tmp_path_factory) -> Iterator[Demo]:
    """Start `parley demo` as a new user would, and yield its URL and printed output."""
    env, extra = demo_database
    port = _free_port()
    log = Path(tmp_path_factory.mktemp("demo-log")) / "demo.out"
    command = [sys.executable, "-m", "parley.cli.main", "demo", "--port", str(port), *extra]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, text=True, env=env
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield Demo(url=url, output=log.read_text())
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, (
        "Debian's chromium is required for the browser tests (scripts/test installs it)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
