"""Vote submission through the real HTTP stack on PostgreSQL, next to a one-INSERT ceiling.

Run: .venv/bin/python bench/votes_http.py [--runs 3] [--concurrency 16,64] [--duration 15]
Needs PostgreSQL (default 127.0.0.1:5432, user postgres, trust), Redis and wrk
(apt-get install -y wrk). It:

1. creates a fresh PostgreSQL database (parley_bench_votes), migrates it and collects the
   static files; opens a public standalone conversation with 50 seed statements through the
   actions, and makes 200 signed-in participants (and 200 anonymous ones) with a Django
   session and a CSRF cookie each;
2. serves Parley with production settings (bench/settings_votes.py: prod with only the HTTPS
   redirect and secure cookies off, plus the ceiling URL): one `parley serve` per core on
   consecutive ports, as docs/deployment.md runs it (or `--server workers`: one
   `uvicorn --workers N` on one port), PARLEY_TASKS_BACKEND=rq with one `parley worker`
   draining the queue (unless --no-worker);
3. loads it with wrk (bench/wrk_vote.lua), one wrk thread per server process, each request
   from a participant's own session: for each concurrency and scenario, a warm-up, then a
   measured run. Scenarios: `ceiling` (bench/ceiling_urls.py: a bare view doing one INSERT
   into the vote table), `api` (POST /api/v1/conversations/<slug>/votes, signed in),
   `api-anon` (the same, anonymous participants), `web` (the vote form, POST /c/<slug>/vote/);
4. prints votes/s, p50/p99 latency, errors and CPU per vote for each run, checks that the
   vote rows of each run match its successful answers, and prints the medians over --runs with
   the ratio to the ceiling;
5. stops the servers and the worker and drops the database.

wrk, the servers, the worker, PostgreSQL and Redis all share this machine's cores: the CPU
columns say who used them.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "wrk_vote.lua"
SETTINGS = "bench.settings_votes"
CEILING_PATH = "/bench/ceiling/vote"
SCENARIOS = ("ceiling", "api", "api-anon", "web")
# What a scenario's successful answer is: the API answers 201, the form redirects (302).
SUCCESS = {"ceiling": "s2", "api": "s2", "api-anon": "s2", "web": "s3"}
HZ = os.sysconf("SC_CLK_TCK")
FORM = "application/x-www-form-urlencoded"


# Setup ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", default="16,64", help="wrk connections, comma-separated")
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per run")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; print medians")
    parser.add_argument("--scenarios", default="ceiling,api,web", help=f"of {','.join(SCENARIOS)}")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--statements", type=int, default=50)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--server", choices=("serve", "workers"), default="serve",
        help="serve: one `parley serve` per process on consecutive ports (docs/deployment.md); "
        "workers: one `uvicorn --workers N` on one port",
    )  # fmt: skip
    parser.add_argument("--port", type=int, default=18765, help="the first port to serve on")
    parser.add_argument("--no-worker", action="store_true", help="run no `parley worker`")
    parser.add_argument(
        "--db-pool", type=int, default=0, metavar="N",
        help="what-if: Django's psycopg pool of at most N connections per process "
        "(needs psycopg_pool); default: prod's new connection per request",
    )  # fmt: skip
    parser.add_argument(
        "--pythonpath", default="", metavar="DIRS",
        help="what-if: more import paths for the servers and worker, e.g. a `pip install "
        "--target` of uvloop and httptools (uvicorn then uses them) or of psycopg-pool",
    )  # fmt: skip
    parser.add_argument(
        "--whatif", default="", metavar="NAMES",
        help="what-if stand-ins for suggested changes (bench/ceiling_urls.py, "
        "bench/settings_votes.py): redis-client, lean-vote, pg-utc (comma-separated)",
    )  # fmt: skip
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db-name", default="parley_bench_votes")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/13",
        help="a Redis database of its own: emptied at the end if it was empty at the start",
    )  # fmt: skip
    parser.add_argument(
        "--show-queries", action="store_true",
        help="print the SQL and Redis commands of one vote per scenario",
    )  # fmt: skip
    parser.add_argument(
        "--quiet-wait", type=float, default=0, metavar="S",
        help="before each run, wait up to S seconds for other processes to leave the cores idle",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.scenarios = args.scenarios.split(",")
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        parser.error("wrk is missing: apt-get install -y wrk")
    return args


def bench_environment(args: argparse.Namespace, workdir: Path) -> dict[str, str]:
    """Return the environment of the bench, its servers and its worker (prod's variables)."""
    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), args.pythonpath, os.environ.get("PYTHONPATH")])
        ),
        "DATABASE_URL": f"{args.pg}/{args.db_name}",
        "PARLEY_SECRET_KEY": secrets.token_urlsafe(50),
        "PARLEY_STATIC_ROOT": str(workdir / "static"),
        "PARLEY_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PARLEY_TASKS_BACKEND": "rq",
        "REDIS_URL": args.redis_url,
        "PARLEY_RQ_QUEUE": "parley-bench-votes",
    }
    if args.db_pool:
        env["BENCH_DB_POOL"] = str(args.db_pool)
    if args.whatif:
        env["BENCH_WHATIF"] = args.whatif
    return env


def admin_sql(args: argparse.Namespace, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def pg_sessions(args: argparse.Namespace) -> int:
    """Return how many connections (sessions) the bench database has had so far."""
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", [args.db_name]
        ).fetchone()
    return int(row[0]) if row else 0


def create_database(args: argparse.Namespace) -> None:
    admin_sql(args, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)',
              f'CREATE DATABASE "{args.db_name}"')  # fmt: skip


def drop_database(args: argparse.Namespace) -> None:
    admin_sql(args, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')


@dataclass
class World:
    """What the load needs: the conversation, its statements and one session per participant."""

    slug: str
    conversation_id: int
    numbers: list[int]
    statement_ids: list[int]
    rows: dict[str, Path] = field(default_factory=dict)  # "signed-in"/"anonymous" -> rows file


def build_world(args: argparse.Namespace, workdir: Path) -> World:
    """Open the conversation and make the participants, through the actions."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import (  # type: ignore[attr-defined]
        _get_new_csrf_string,
        _mask_cipher_secret,
    )

    from parley.accounts.models import User
    from parley.api.consultations import TOKEN_KEY
    from parley.consultation import actions
    from parley.consultation.access import access_for
    from parley.consultation.models import Statement

    convener = User.objects.create(username="bench-convener", password=make_password(None))
    conversation = actions.open_conversation(
        user=convener,
        data={"title": "Bench: votes over HTTP", "visibility": "public", "allow_anonymous": True},
    )
    team = access_for(convener, conversation)
    assert team is not None
    for n in range(1, args.statements + 1):
        actions.seed_statement(access=team, text=f"Bench statement number {n}: we should do {n}.")
    statements = list(Statement.objects.filter(conversation=conversation).order_by("number"))
    world = World(conversation.slug, conversation.pk, [s.number for s in statements],
                  [s.pk for s in statements])  # fmt: skip

    def session_row(data: dict[str, str], participant_id: int) -> str:
        session = SessionStore()
        session.update(data)
        session.create()
        secret = _get_new_csrf_string()  # the cookie; the header carries it masked, as pages do
        return f"{session.session_key} {secret} {_mask_cipher_secret(secret)} {participant_id}"

    users = User.objects.bulk_create(
        [User(username=f"bench-voter-{i}", password=make_password(None))
         for i in range(args.participants)]
    )  # fmt: skip
    lines = []
    for user in users:
        access = access_for(user, conversation)
        assert access is not None
        participant = actions.join(access=access, token=None)
        auth = {SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"}  # fmt: skip
        lines.append(session_row(auth, participant.pk))
    world.rows["signed-in"] = write_rows(workdir / "signed_in.rows", lines)

    lines = []
    anonymous = access_for(AnonymousUser(), conversation)
    assert anonymous is not None
    for _ in range(args.participants):
        token = secrets.token_urlsafe(24)
        participant = actions.join(access=anonymous, token=token)
        lines.append(session_row({TOKEN_KEY: token}, participant.pk))
    world.rows["anonymous"] = write_rows(workdir / "anonymous.rows", lines)
    return world


def write_rows(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def count_per_vote(world: World, show: bool) -> dict[str, tuple[int, int, int]]:
    """Return (SQL queries, Redis commands, Redis connections) of one vote per scenario, in
    this process through Django's test client (the same settings and URLs as the servers).

    The test client keeps one database connection; the servers open one per request (the
    runs count those from PostgreSQL's statistics).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from redis.connection import Connection

    commands: list[str] = []
    connects = [0]
    send, connect = Connection.send_command, Connection.connect

    def counting_send(self: Any, *a: Any, **kw: Any) -> Any:
        commands.append(" ".join(str(x) for x in a[:2]))
        return send(self, *a, **kw)  # type: ignore[no-untyped-call]

    def counting_connect(self: Any) -> Any:
        connects[0] += 1
        return connect(self)  # type: ignore[no-untyped-call]

    found = {}
    Connection.send_command = counting_send  # type: ignore[method-assign]
    Connection.connect = counting_connect  # type: ignore[method-assign]
    try:
        for scenario in SCENARIOS:
            client, path, data, kind = request_for(world, scenario, f"count-{scenario}")
            commands.clear()
            connects[0] = 0
            with CaptureQueriesContext(connection) as captured:
                response = client.post(path, data, content_type=kind)
            expected = 302 if scenario == "web" else 201
            if response.status_code != expected:
                raise RuntimeError(f"{scenario}: {response.status_code} {response.content[:500]!r}")
            found[scenario] = (len(captured), len(commands), connects[0])
            if show:
                print(f"-- {scenario}")
                for query in captured.captured_queries:
                    print(f"   sql   {query['sql'][:160]}")
                for command in commands:
                    print(f"   redis {command[:160]}")
    finally:
        Connection.send_command = send  # type: ignore[method-assign]
        Connection.connect = connect  # type: ignore[method-assign]
    return found


def request_for(world: World, scenario: str, key: str) -> tuple[Any, str, Any, str]:
    """Return a test client with the first participant's cookies, and the request to post."""
    from django.test import Client

    rows = world.rows["anonymous" if scenario == "api-anon" else "signed-in"]
    session, secret, masked, participant = rows.read_text().split("\n", 1)[0].split()
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1", HTTP_X_CSRFTOKEN=masked)
    if scenario == "ceiling":
        data = {"conversation": world.conversation_id, "participant": participant,
                "statement": world.statement_ids[0], "value": 1, "client_key": key}  # fmt: skip
        return (
            Client(HTTP_HOST="127.0.0.1"),
            CEILING_PATH,
            encode_form(data),
            FORM,
        )
    client.cookies["sessionid"] = session
    client.cookies["csrftoken"] = secret
    if scenario == "web":
        data = {"statement": world.numbers[0], "vote": "agree", "client_key": key}
        return (
            client,
            f"/c/{world.slug}/vote/",
            encode_form(data),
            FORM,
        )
    body = {"statement": world.numbers[0], "vote": "agree", "client_key": key}
    return client, f"/api/v1/conversations/{world.slug}/votes", body, "application/json"


def encode_form(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


# Processes -----------------------------------------------------------------------------------


@dataclass
class Servers:
    ports: list[int]
    processes: list[subprocess.Popen[bytes]]
    worker: subprocess.Popen[bytes] | None


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start *command* in a process group of its own (so that stopping it stops its children)."""
    with open(log, "wb") as out:
        return subprocess.Popen(command, env={**os.environ, **env}, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this bench started, and its children, by its process group id."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As uvicorn does: connections of an earlier run may linger in TIME_WAIT.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_servers(args: argparse.Namespace, env: dict[str, str], workdir: Path) -> Servers:
    count = args.processes if args.server == "serve" else 1
    taken = [p for p in range(args.port, args.port + count) if not port_is_free(p)]
    if taken:
        raise RuntimeError(f"port(s) {taken} already in use: pass another --port")
    if args.server == "serve":
        ports = [args.port + i for i in range(args.processes)]
        processes = [
            start([str(BIN / "parley"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                  env, workdir / f"serve-{port}.log")
            for port in ports
        ]  # fmt: skip
    else:
        # The options parley/cli/serving.py gives uvicorn, with N worker processes.
        ports = [args.port]
        processes = [start([str(BIN / "uvicorn"), "parley.config.asgi:application",
                            "--host", "127.0.0.1", "--port", str(args.port), "--lifespan", "off",
                            "--log-level", "info", "--workers", str(args.processes)],
                           env, workdir / "uvicorn.log")]  # fmt: skip
    worker = None
    if not args.no_worker:
        worker = start([str(BIN / "parley"), "worker"], env, workdir / "worker.log")
    servers = Servers(ports, processes, worker)
    for port in ports:
        wait_until_up(port, servers)
    return servers


def wait_until_up(port: int, servers: Servers, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(p.poll() is not None for p in servers.processes):
            raise RuntimeError("a server stopped while starting; see its log (--keep)")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no server answered on port {port}")


def stop_servers(servers: Servers) -> None:
    for process in [*servers.processes, *filter(None, [servers.worker])]:
        stop(process)


# CPU accounting ------------------------------------------------------------------------------


def proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the third (state) on


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def descendants(roots: list[int]) -> set[int]:
    parents = {}
    for pid in all_pids():
        fields = proc_stat(pid)
        if fields:
            parents[pid] = int(fields[1])
    found, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.update(children)
        frontier.extend(children)
    return found


def cpu_seconds(pids: set[int], with_reaped: bool = False) -> float:
    """Return the CPU time of *pids* (plus that of their reaped children if *with_reaped*)."""
    total = 0
    for pid in pids:
        fields = proc_stat(pid)
        if fields:  # utime stime cutime cstime are fields 14-17 (11-14 here)
            total += int(fields[11]) + int(fields[12])
            if with_reaped:
                total += int(fields[13]) + int(fields[14])
    return total / HZ


def named_pids(name: str) -> set[int]:
    found = set()
    for pid in all_pids():
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                found.add(pid)
    return found


def machine_busy_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / HZ


@dataclass
class CpuSample:
    server: float
    worker: float
    postgres: float
    machine: float
    at: float


def sample_cpu(servers: Servers) -> CpuSample:
    server_pids = descendants([p.pid for p in servers.processes])
    worker = cpu_seconds({servers.worker.pid}) if servers.worker else 0.0
    # PostgreSQL forks a backend per connection: the postmaster's reaped-children time
    # counts the backends that have exited, the live ones count themselves.
    postgres = cpu_seconds(named_pids("postgres"), with_reaped=True)
    return CpuSample(cpu_seconds(server_pids), worker, postgres, machine_busy_seconds(),
                     time.monotonic())  # fmt: skip


def others_busy(servers: Servers, seconds: float = 2.0) -> float:
    """Return the share of all cores that processes other than the bench's used (0-1)."""
    before = sample_cpu(servers)
    time.sleep(seconds)
    after = sample_cpu(servers)
    ours = sum(
        float(getattr(after, n) - getattr(before, n)) for n in ("server", "worker", "postgres")
    )
    used = after.machine - before.machine - ours
    return max(0.0, used) / ((after.at - before.at) * (os.cpu_count() or 1))


def wait_quiet(servers: Servers, limit: float) -> None:
    """Wait (at most *limit* seconds) until other processes leave the cores below 10 % busy."""
    end = time.monotonic() + limit
    busy = others_busy(servers)
    while busy > 0.10 and time.monotonic() < end:
        print(f"  (waiting: other processes use {100 * busy:.0f}% of the cores)", flush=True)
        time.sleep(5)
        busy = others_busy(servers)


# Load ----------------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    concurrency: int
    run: int
    votes_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    ok: int
    rows: int
    cut_off: int
    wrk_cpu: float
    cpu: dict[str, float]
    connections: int

    @property
    def check(self) -> str:
        """Compare the run's rows with its successful answers. wrk stops with requests in
        flight: the servers still commit those, so rows may exceed 2xx by at most that many."""
        extra = self.rows - self.ok
        if extra == 0:
            return "= 2xx"
        if 0 < extra <= self.cut_off:
            return f"+{extra} (≤{self.cut_off} cut)"
        return f"MISMATCH {extra:+d}"


def run_wrk(
    args: argparse.Namespace, world: World, servers: Servers, scenario: str, concurrency: int,
    seconds: float, run_id: str,
) -> tuple[dict[str, int], float]:  # fmt: skip
    """Run wrk once; return its BENCH counters and the CPU seconds wrk itself used."""
    threads = len(servers.ports) if args.server == "serve" else args.processes
    threads = max(1, min(threads, concurrency))
    paths = {"ceiling": CEILING_PATH, "web": f"/c/{world.slug}/vote/"}
    path = paths.get(scenario, f"/api/v1/conversations/{world.slug}/votes")
    rows = world.rows["anonymous" if scenario == "api-anon" else "signed-in"]
    numbers = world.statement_ids if scenario == "ceiling" else world.numbers
    mode = {"api-anon": "api"}.get(scenario, scenario)
    command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "5s",
               "-s", str(LUA), f"http://127.0.0.1:{servers.ports[0]}", "--", mode, path,
               str(rows), str(threads), run_id, ",".join(map(str, numbers)),
               str(world.conversation_id)]  # fmt: skip
    env = {**os.environ, "WRK_VOTE_PORTS": ",".join(map(str, servers.ports))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk is the only child reaped here
    line = next((x for x in out.decode().splitlines() if x.startswith("BENCH ")), None)
    if process.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err.decode()}{out.decode()}")
    counters = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    wrk_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return counters, wrk_cpu


def post_votes(
    world: World, servers: Servers, scenario: str, keys: list[str], threads: int = 8
) -> collections.Counter[int]:
    """POST one vote per client key (thread t: every t-th key, its own sessions and port);
    return the answers' status counts."""
    rows_file = world.rows["anonymous" if scenario == "api-anon" else "signed-in"]
    rows = [line.split() for line in rows_file.read_text().splitlines()]
    paths = {"ceiling": CEILING_PATH, "web": f"/c/{world.slug}/vote/"}
    path = paths.get(scenario, f"/api/v1/conversations/{world.slug}/votes")

    def one_thread(t: int) -> collections.Counter[int]:
        found: collections.Counter[int] = collections.Counter()
        port = servers.ports[t % len(servers.ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(t, len(keys), threads):
            session, secret, masked, participant = rows[i % len(rows)]
            n = i % len(world.numbers)
            headers = {"Cookie": f"sessionid={session}; csrftoken={secret}",
                       "X-CSRFToken": masked, "Content-Type": FORM}  # fmt: skip
            if scenario == "ceiling":
                body = encode_form({"conversation": world.conversation_id,
                                    "participant": participant,
                                    "statement": world.statement_ids[n], "value": 1,
                                    "client_key": keys[i]})  # fmt: skip
            elif scenario == "web":
                body = encode_form({"statement": world.numbers[n], "vote": "pass",
                                    "client_key": keys[i]})  # fmt: skip
            else:
                headers["Content-Type"] = "application/json"
                body = json.dumps({"statement": world.numbers[n], "vote": "pass",
                                   "client_key": keys[i]})  # fmt: skip
            conn.request("POST", path, body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            found[answer.status] += 1
        conn.close()
        return found

    total: collections.Counter[int] = collections.Counter()
    with ThreadPoolExecutor(threads) as pool:
        for found in pool.map(one_thread, range(threads)):
            total.update(found)
    return total


def verify_exact(world: World, servers: Servers, scenario: str, n: int = 400) -> str:
    """Send *n* votes and await every answer: the rows must equal the successful answers.
    Then resend them all with the same client keys: the rows must not change."""
    run_id = f"exact-{scenario}"
    keys = [f"{run_id}-{i}" for i in range(n)]
    created = 302 if scenario == "web" else 201
    first = post_votes(world, servers, scenario, keys)
    rows = rows_of(run_id)
    verdict = "OK" if rows == first[created] == n else "MISMATCH"
    line = f"{scenario:<9} {n} sent: {dict(first)} -> {rows} rows"
    if scenario != "ceiling":
        again = post_votes(world, servers, scenario, keys)
        after = rows_of(run_id)
        # The API answers a retry 200 with the vote recorded first; the form redirects again.
        retried = 302 if scenario == "web" else 200
        if not (after == rows and again[retried] == n):
            verdict = "MISMATCH"
        line += f"; resent: {dict(again)} -> {after} rows"
    return f"{line}: {verdict}"


def rows_of(run_id: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT client_key) FROM consultation_vote "
            "WHERE client_key LIKE %s",
            [f"{run_id}-%"],
        )
        total, distinct = cursor.fetchone()
    connection.close()
    if total != distinct:
        raise RuntimeError(f"{run_id}: {total - distinct} duplicated client keys")
    return int(total)


def settle(run_id: str) -> int:
    """Wait until the requests the servers were still running have committed; return rows."""
    last = -1
    for _ in range(50):
        time.sleep(0.3)
        now = rows_of(run_id)
        if now == last:
            return now
        last = now
    return last


def measure(
    args: argparse.Namespace, world: World, servers: Servers, scenario: str, concurrency: int,
    run: int,
) -> Result:  # fmt: skip
    run_id = f"{scenario}-c{concurrency}-r{run}"
    if args.quiet_wait:
        wait_quiet(servers, args.quiet_wait)
    if args.warmup > 0:
        run_wrk(args, world, servers, scenario, concurrency, args.warmup, f"warm-{run_id}")
        settle(f"warm-{run_id}")
    sessions = pg_sessions(args)
    before = sample_cpu(servers)
    counters, wrk_cpu = run_wrk(args, world, servers, scenario, concurrency, args.duration,
                                run_id)  # fmt: skip
    after = sample_cpu(servers)
    rows = settle(run_id)
    connections = pg_sessions(args) - sessions
    seconds = counters["duration_us"] / 1e6
    ok = counters[SUCCESS[scenario]]
    socket_errors = sum(counters[k] for k in ("connect", "read", "write", "timeout"))
    errors = counters["requests"] - ok + socket_errors
    cpu = {
        "server": after.server - before.server,
        "worker": after.worker - before.worker,
        "postgres": after.postgres - before.postgres,
        "machine": after.machine - before.machine,
        "wall": after.at - before.at,
    }
    return Result(scenario, concurrency, run, ok / seconds, counters["p50"] / 1000,
                  counters["p99"] / 1000, errors, ok, rows,
                  counters["sent"] - counters["requests"], wrk_cpu, cpu,
                  connections)  # fmt: skip


# Report --------------------------------------------------------------------------------------

HEADER = (
    f"{'scenario':<9} {'conc':>4} {'votes/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
    f"{'srv':>5} {'pg':>5} {'wkr':>5} {'wrk':>5} {'busy':>5} {'other':>5} {'pg conn':>7} "
    f"{'rows vs 2xx':>22}"
)


def row_line(r: Result) -> str:
    per = 1000 / max(r.ok, 1)
    capacity = r.cpu["wall"] * (os.cpu_count() or 1)
    busy = 100 * r.cpu["machine"] / capacity
    ours = r.cpu["server"] + r.cpu["postgres"] + r.cpu["worker"] + r.wrk_cpu
    other = 100 * max(0.0, r.cpu["machine"] - ours) / capacity
    return (
        f"{r.scenario:<9} {r.concurrency:>4} {r.votes_per_s:>8.0f} {r.p50_ms:>7.1f} "
        f"{r.p99_ms:>7.1f} {r.errors:>6} "
        f"{r.cpu['server'] * per:>5.2f} {r.cpu['postgres'] * per:>5.2f} "
        f"{r.cpu['worker'] * per:>5.2f} {r.wrk_cpu * per:>5.2f} {busy:>4.0f}% {other:>4.0f}% "
        f"{r.connections / max(r.ok, 1):>7.2f} {f'{r.rows} {r.check}':>22}"
    )


def summary(results: list[Result], args: argparse.Namespace) -> None:
    runs = max(r.run for r in results) + 1
    print(f"\nMedians over {runs} run(s) of {args.duration} s; ratio = votes/s ÷ ceiling's:")
    print(f"{'scenario':<9} {'conc':>4} {'votes/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6} {'srv ms/vote':>11} {'ratio':>6}")  # fmt: skip
    median = statistics.median
    for concurrency in args.concurrency:
        ceiling = [r.votes_per_s for r in results
                   if r.scenario == "ceiling" and r.concurrency == concurrency]  # fmt: skip
        for scenario in args.scenarios:
            group = [r for r in results if r.scenario == scenario and r.concurrency == concurrency]
            if not group:
                continue
            rate = median(r.votes_per_s for r in group)
            ratio = f"{rate / median(ceiling):.2f}" if ceiling else "-"
            server_ms = median(1000 * r.cpu["server"] / max(r.ok, 1) for r in group)
            print(f"{scenario:<9} {concurrency:>4} {rate:>8.0f} "
                  f"{median(r.p50_ms for r in group):>7.1f} "
                  f"{median(r.p99_ms for r in group):>7.1f} "
                  f"{median(r.errors for r in group):>6.0f} {server_ms:>11.2f} "
                  f"{ratio:>6}")  # fmt: skip


@contextlib.contextmanager
def own_redis_database(url: str) -> Iterator[None]:
    """Use the Redis database *url*; empty it at the end if it was empty at the start."""
    from redis import Redis

    redis = Redis.from_url(url)
    empty = redis.dbsize() == 0
    if not empty:
        print(f"note: {url} is not empty; it will be left as is (pass another --redis-url)")
    try:
        yield
    finally:
        if empty:
            redis.flushdb()


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="parley-bench-votes-"))
    env = bench_environment(args, workdir)
    os.environ.update(env)
    # The bench loads the same settings as the servers: it needs the same import paths.
    sys.path[1:1] = [d for d in args.pythonpath.split(os.pathsep) if d]
    import django
    from django.core.management import call_command
    from django.db import connections

    create_database(args)
    try:
        with own_redis_database(args.redis_url):
            started = time.perf_counter()
            django.setup()
            call_command("migrate", verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            world = build_world(args, workdir)
            print(f"database {args.db_name}: conversation {world.slug}, {len(world.numbers)} "
                  f"statements, {args.participants} signed-in and {args.participants} anonymous "
                  f"participants, in {time.perf_counter() - started:.1f} s")  # fmt: skip
            print("one vote in-process (Django test client): "
                  "SQL queries / Redis commands / Redis connections opened")  # fmt: skip
            for scenario, counts in count_per_vote(world, args.show_queries).items():
                print(f"  {scenario:<9} {counts[0]:>3} / {counts[1]:>2} / {counts[2]}")
            connections.close_all()
            servers = None
            try:
                servers = start_servers(args, env, workdir)
                load(args, world, servers)
            finally:
                if servers is not None:  # before Redis is emptied: the worker writes to it
                    stop_servers(servers)
    finally:
        connections.close_all()
        if args.keep:
            print(f"kept database {args.db_name} and logs in {workdir}")
        else:
            drop_database(args)
            shutil.rmtree(workdir, ignore_errors=True)


def load(args: argparse.Namespace, world: World, servers: Servers) -> None:
    from django.db import connection

    from parley.consultation.models import OpinionMapSnapshot

    layout = (f"{len(servers.ports)} x `parley serve` on ports {servers.ports}"
              if args.server == "serve"
              else f"`uvicorn --workers {args.processes}` on port {servers.ports[0]}")  # fmt: skip
    pool = f", psycopg pool max {args.db_pool}/process" if args.db_pool else ""
    pool += f", extra import paths {args.pythonpath}" if args.pythonpath else ""
    pool += f", what-ifs {args.whatif}" if args.whatif else ""
    print(
        f"\nserver: {layout}{pool}; recompute worker: {'off' if args.no_worker else 'on'}; "
        f"{os.cpu_count()} cores shared by wrk, the servers, the worker, PostgreSQL, Redis"
    )
    print(
        f"each run: {args.warmup} s warm-up, then {args.duration} s measured. CPU ms per "
        "successful vote of: srv the servers, pg PostgreSQL, wkr the recompute worker, wrk the "
        "load; busy: all cores' use; other: the cores' use by anything else (should be ~0); "
        "pg conn: connections opened per vote"
    )

    print(HEADER)
    results = []
    for run in range(args.runs):
        for concurrency in args.concurrency:
            for scenario in args.scenarios:
                result = measure(args, world, servers, scenario, concurrency, run)
                results.append(result)
                print(row_line(result), flush=True)
    summary(results, args)
    print("\nExact check: fixed numbers of votes over HTTP (8 threads), every answer awaited, "
          "then every vote resent with its client_key (ceiling: no resend)")  # fmt: skip
    for scenario in args.scenarios:
        print("  " + verify_exact(world, servers, scenario), flush=True)
    snapshots = OpinionMapSnapshot.objects.filter(conversation_id=world.conversation_id).count()
    connection.close()
    if servers.worker is None:
        print("\nrecompute worker: not run")
    else:
        alive = servers.worker.poll() is None
        worker_cpu = cpu_seconds({servers.worker.pid}) if alive else float("nan")
        print(f"\nrecompute worker: {'ran' if alive else 'STOPPED'}; {snapshots} opinion maps "
              f"computed, {worker_cpu:.1f} CPU s")  # fmt: skip


if __name__ == "__main__":
    main()
