"""Parley's opinion map against red-dwarf 0.4.0: time, peak memory and agreement with Pol.is.

Run: .venv/bin/python bench/opinion_map.py [--only SECTION ...] [--repeats N] [EXTRA_DIR ...]

Sections (all by default, in this order):
  folders      ARI table: every openData folder under --data (and each EXTRA_DIR): Parley's and
               red-dwarf's k and adjusted Rand index against Pol.is's own `group-id`, over the
               participants both grouped, with each tool's pipeline time and peak RSS
  bowling      (a) american-assembly.bowling-green, 2,031 x 896, 225,524 votes: also Parley's
               read_folder time
  synthetic    (b) synthetic 50,000 x 5,000, 5M votes
  huge         (c) synthetic 1,000,000 x 10,000, 100M votes: Parley only unless
               --reddwarf-huge (red-dwarf's dense float64 copies would need > 100 GB)
  incremental  (d) synthetic 20,000 participants: a cold compute, then updates of 100 new
               votes each, warm-started from the previous state

Every run is its own subprocess, so peak RSS is per run (/usr/bin/time's maximum resident set
when available, else the worker's own getrusage). Times are medians over --repeats runs
(default: 3 for openData folders and the incremental case, 1 for synthetic ones). red-dwarf
runs in bench/.venv-reddwarf (make it with bench/reddwarf_env.sh); without it, its columns say
"n/a". Synthetic inputs are generated once into --cache by bench/synthetic.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

# PARLEY_SHARED_DIR as in tests/shared_data.py; else shared/ beside the checkout.
DATA = Path(os.environ.get("PARLEY_SHARED_DIR") or REPO.parent / "shared") / "data" / "polis"
REDDWARF_PYTHON = BENCH / ".venv-reddwarf" / "bin" / "python"
TIME = Path("/usr/bin/time")
SECTIONS = ("folders", "bowling", "synthetic", "huge", "incremental")

# (participants, statements, votes): the shapes of the brief and research note §3.6.
SYNTHETIC = (50_000, 5_000, 5_000_000)
HUGE = (1_000_000, 10_000, 100_000_000)
INCREMENTAL = (20_000, 3_000, 2_000_000)
NEW_VOTES, UPDATES = 100, 5


@dataclass
class Run:
    """What one subprocess reported, plus its wall time and peak RSS as measured from outside."""

    ok: bool
    report: dict[str, Any] = field(default_factory=dict)
    wall_s: float = 0.0
    peak_rss_mb: float = 0.0
    error: str = ""


# -- workers: run in a subprocess, print one JSON object -------------------------------------


def worker_parley(path: Path, seed: int) -> dict[str, Any]:
    """Run Parley's compute on a folder or .npz; return timings, k and labels."""
    started = time.perf_counter()
    log, statements = _parley_input(path)
    read_s = time.perf_counter() - started
    from parley.consultation.opinion.pipeline import compute
    from parley.consultation.opinion.types import Settings

    begun = time.perf_counter()
    result = compute(log, statements, settings=Settings(seed=seed))
    pipeline_s = time.perf_counter() - begun
    grouped = result.group >= 0
    members = zip(
        result.participants[grouped].tolist(), result.group[grouped].tolist(), strict=True
    )
    labels = dict(members)
    return {
        "tool": "parley",
        "participants": len(result.participants),
        "statements": len(result.statements),
        "votes": int(result.n_votes),
        "k": int(result.k),
        "read_s": round(read_s, 4),
        "pipeline_s": round(pipeline_s, 4),
        "stages_s": {name: round(secs, 4) for name, secs in result.timings_s.items()},
        "peak_rss_mb": _self_rss_mb(),
        "labels": {str(p): g for p, g in labels.items()},
    }


def _parley_input(path: Path) -> tuple[Any, Any]:
    import numpy as np

    from parley.consultation.opinion.types import StatementSet, VoteLog

    if path.suffix != ".npz":
        from parley.consultation.opinion.opendata import read_folder

        conversation = read_folder(path)
        return conversation.log, conversation.statements
    from bench.synthetic import load

    data = load(path)
    # int64 ids, as the contract (types.py) has them; drop the int32 originals at once.
    log = VoteLog(
        participant=data.participant.astype(np.int64),
        statement=data.statement.astype(np.int64),
        vote=data.vote,
    )
    del data
    return log, StatementSet(ids=np.unique(log.statement))


def worker_incremental(path: Path, seed: int, new_votes: int, updates: int) -> dict[str, Any]:
    """Compute cold on all but a random sample of votes, then add them back in small updates."""
    import numpy as np

    from parley.consultation.opinion.pipeline import compute
    from parley.consultation.opinion.types import Settings, VoteLog

    full, statements = _parley_input(path)
    held = np.random.default_rng(seed).choice(len(full.vote), new_votes * updates, replace=False)
    order = np.concatenate([np.setdiff1d(np.arange(len(full.vote)), held), held])
    log = VoteLog(full.participant[order], full.statement[order], full.vote[order])
    base = len(order) - len(held)
    settings = Settings(seed=seed)
    begun = time.perf_counter()
    result = compute(_prefix(log, base), statements, settings=settings)
    cold_s = time.perf_counter() - begun
    warm: list[float] = []
    for update in range(1, updates + 1):
        begun = time.perf_counter()
        prefix = _prefix(log, base + update * new_votes)
        result = compute(prefix, statements, previous=result.state, settings=settings)
        warm.append(time.perf_counter() - begun)
    return {
        "tool": "parley",
        "participants": len(result.participants),
        "votes": int(result.n_votes),
        "k": int(result.k),
        "cold_s": round(cold_s, 4),
        "warm_s": [round(s, 4) for s in warm],
        "pipeline_s": round(statistics.median(warm), 4),
        "peak_rss_mb": _self_rss_mb(),
        "labels": {},
    }


def _prefix(log: Any, end: int) -> Any:
    from parley.consultation.opinion.types import VoteLog

    return VoteLog(log.participant[:end], log.statement[:end], log.vote[:end])


def _self_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- the parent: subprocesses, medians, tables ------------------------------------------------


def measure(command: Sequence[str]) -> Run:
    """Run *command*, parse the JSON it prints; peak RSS from /usr/bin/time when it exists."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        wrapped = list(command)
        if TIME.exists():
            wrapped = [str(TIME), "-f", "%M %e", "-o", timing.name, *command]
        begun = time.perf_counter()
        done = subprocess.run(wrapped, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - begun
        measured = timing.read().split()
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return Run(ok=False, wall_s=wall, error=f"exit {done.returncode}: {tail[:200]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    rss = float(measured[-2]) / 1024 if len(measured) >= 2 else report["peak_rss_mb"]
    return Run(ok=True, report=report, wall_s=wall, peak_rss_mb=rss)


def parley_command(path: Path, seed: int) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__)),
        "--worker",
        "parley",
        str(path),
        "--seed",
        str(seed),
    ]


def reddwarf_command(path: Path) -> list[str] | None:
    if not REDDWARF_PYTHON.exists():
        return None
    return [str(REDDWARF_PYTHON), "-W", "ignore", str(BENCH / "reddwarf_run.py"), str(path)]


@dataclass
class Summary:
    """Medians over repeated runs of one tool on one input."""

    runs: list[Run]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.ok for run in self.runs)

    def median(self, key: str) -> float:
        if key in ("wall_s", "peak_rss_mb"):
            return statistics.median(float(getattr(run, key)) for run in self.runs)
        return statistics.median(float(run.report[key]) for run in self.runs)

    @property
    def last(self) -> dict[str, Any]:
        return self.runs[-1].report

    @property
    def error(self) -> str:
        return next((run.error for run in self.runs if not run.ok), "not run")


def repeat(command: list[str] | None, times: int) -> Summary:
    runs: list[Run] = []
    for _ in range(times if command else 0):
        runs.append(measure(command))  # type: ignore[arg-type]
        if not runs[-1].ok:
            break
    return Summary(runs)


def ari_against(labels: dict[str, int], reference: dict[int, int]) -> tuple[float, int]:
    """Return the ARI over participants both grouped, and how many there were."""
    from parley.consultation.opinion.agreement import adjusted_rand_index

    common = sorted(set(map(int, labels)) & set(reference))
    if not common:
        return float("nan"), 0
    ours = [labels[str(pid)] for pid in common]
    theirs = [reference[pid] for pid in common]
    return adjusted_rand_index(ours, theirs), len(common)


def cell(summary: Summary, key: str, digits: int = 2) -> str:
    return f"{summary.median(key):.{digits}f}" if summary.ok else "n/a"


def ratio(slow: Summary, fast: Summary, key: str) -> str:
    if not (slow.ok and fast.ok) or fast.median(key) == 0:
        return "n/a"
    return f"{slow.median(key) / fast.median(key):.1f}x"


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(flush=True)


# -- sections ---------------------------------------------------------------------------------


def conversation_folders(data: Path, extra: Sequence[Path]) -> list[Path]:
    """Return every folder under *data* holding a comments.csv, then the extra ones."""
    found = sorted(path.parent for path in data.rglob("comments.csv")) if data.is_dir() else []
    return found + [path for path in extra if path not in found]


def section_folders(folders: Sequence[Path], args: argparse.Namespace) -> None:
    from parley.consultation.opinion.opendata import OpenDataError, read_folder

    print(f"## ARI against Pol.is's group-id (median of {args.repeats or 3} runs for times)\n")
    rows = []
    for folder in folders:
        try:
            reference = read_folder(folder).group_ids
        except OpenDataError as error:
            rows.append([folder.name, "unreadable: " + str(error).splitlines()[1].strip()])
            continue
        parley = repeat(parley_command(folder, args.seed), args.repeats or 3)
        reddwarf = repeat(reddwarf_command(folder), args.repeats or 3)
        rows.append([_label(folder, args.data), *_ari_cells(reference, parley, reddwarf)])
    header = ["conversation", "Pol.is k", "Parley k", "Parley ARI", "red-dwarf k"]
    header += ["red-dwarf ARI", "Parley s", "red-dwarf s", "Parley MB", "red-dwarf MB"]
    print_table(header, rows)


def _label(folder: Path, data: Path) -> str:
    return str(folder.relative_to(data)) if folder.is_relative_to(data) else str(folder)


def _ari_cells(reference: dict[int, int], parley: Summary, reddwarf: Summary) -> list[str]:
    cells = [str(len(set(reference.values())))]
    for summary in (parley, reddwarf):
        if summary.ok:
            value, _ = ari_against(summary.last["labels"], reference)
            cells += [str(summary.last["k"]), f"{value:.3f}"]
        else:
            cells += ["n/a", "n/a" if not summary.runs else "failed"]
    cells += [cell(parley, "pipeline_s"), cell(reddwarf, "pipeline_s")]
    cells += [cell(parley, "peak_rss_mb", 0), cell(reddwarf, "peak_rss_mb", 0)]
    return cells


def section_speed(
    title: str, path: Path, repeats: int, args: argparse.Namespace, *, rd: bool
) -> None:
    """Time both tools on one input; print medians and Parley's speed-up and memory ratio."""
    print(f"## {title} (median of {repeats} run{'s' * (repeats > 1)})\n")
    parley = repeat(parley_command(path, args.seed), repeats)
    reddwarf = repeat(reddwarf_command(path) if rd else None, repeats)
    rows = [_speed_row("Parley", parley), _speed_row("red-dwarf 0.4.0", reddwarf)]
    print_table(["tool", "k", "pipeline s", "wall s", "peak RSS MB", "extra"], rows)
    print(
        f"Parley speed-up (pipeline): {ratio(reddwarf, parley, 'pipeline_s')}, "
        f"wall: {ratio(reddwarf, parley, 'wall_s')}; "
        f"red-dwarf/Parley peak RSS: {ratio(reddwarf, parley, 'peak_rss_mb')}"
    )
    _print_planted(path, parley, reddwarf)
    print(flush=True)


def _speed_row(name: str, summary: Summary) -> list[str]:
    if not summary.ok:
        return [name, "n/a", "n/a", "n/a", "n/a", summary.error]
    extra = ""
    if "read_s" in summary.last:
        stages = " / ".join(f"{k} {v:.2f}" for k, v in summary.last["stages_s"].items())
        extra = f"read {summary.median('read_s'):.2f} s; stages s: {stages}"
    elif "prepare_s" in summary.last:
        extra = f"building its input {summary.median('prepare_s'):.2f} s"
    return [
        name,
        str(summary.last["k"]),
        cell(summary, "pipeline_s"),
        cell(summary, "wall_s"),
        cell(summary, "peak_rss_mb", 0),
        extra,
    ]


def _print_planted(path: Path, *summaries: Summary) -> None:
    """For synthetic data, print each tool's ARI against the planted groups."""
    if path.suffix != ".npz":
        return
    import numpy as np

    with np.load(path) as data:
        planted = data["planted"]
    reference = dict(enumerate(planted.tolist()))
    parts = []
    for name, summary in zip(("Parley", "red-dwarf"), summaries, strict=True):
        if summary.ok:
            value, n = ari_against(summary.last["labels"], reference)
            parts.append(f"{name} {value:.3f} over {n}")
    if parts:
        print("ARI against the planted groups: " + "; ".join(parts))


def section_incremental(path: Path, args: argparse.Namespace) -> None:
    repeats = args.repeats or 3
    print(f"## (d) Incremental: {NEW_VOTES} new votes at a time (median of {repeats} runs)\n")
    command = [sys.executable, str(Path(__file__)), "--worker", "incremental", str(path)]
    summary = repeat([*command, "--seed", str(args.seed)], repeats)
    if not summary.ok:
        print(f"Parley: {summary.error}\n")
        return
    rows = [
        [
            f"{summary.last['participants']:,}",
            f"{summary.last['votes']:,}",
            f"{summary.median('cold_s'):.2f}",
            f"{summary.median('pipeline_s'):.3f}",
            str(summary.last["warm_s"]),
            cell(summary, "peak_rss_mb", 0),
        ]
    ]
    header = ["participants", "votes", "cold s", f"warm update s (median of {UPDATES})"]
    print_table([*header, "last run's updates s", "peak RSS MB"], rows)


def synthetic_file(shape: tuple[int, int, int], args: argparse.Namespace) -> Path:
    """Return the cached synthetic .npz of *shape*, generating it first if needed."""
    n, m, votes = shape
    args.cache.mkdir(parents=True, exist_ok=True)
    path: Path = args.cache / f"synthetic-{n}x{m}x{votes}-seed{args.seed}.npz"
    if not path.exists():
        print(f"(generating {path.name} ...)", flush=True)
        command = [sys.executable, str(BENCH / "synthetic.py"), "--participants", str(n)]
        command += ["--statements", str(m), "--votes", str(votes), "--seed", str(args.seed)]
        subprocess.run([*command, "--out", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def machine() -> str:
    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    rd = "present" if REDDWARF_PYTHON.exists() else "absent (run bench/reddwarf_env.sh)"
    return (
        f"{cores} cores, {memory:.0f} GB RAM, Python {sys.version.split()[0]}; red-dwarf venv {rd}"
    )


def main() -> None:
    args = parse_args()
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    print(f"# Opinion map benchmark\n\n{machine()}\n", flush=True)
    only = set(args.only or SECTIONS)
    if "folders" in only:
        section_folders(conversation_folders(args.data, args.extra), args)
    if "bowling" in only:
        bowling = args.data / "american-assembly.bowling-green"
        section_speed("(a) bowling-green", bowling, args.repeats or 3, args, rd=True)
    if "synthetic" in only:
        path = synthetic_file(SYNTHETIC, args)
        section_speed("(b) synthetic 50k x 5k, 5M votes", path, args.repeats or 1, args, rd=True)
    if "huge" in only:
        path = synthetic_file(HUGE, args)
        title = "(c) synthetic 1M x 10k, 100M votes"
        section_speed(title, path, args.repeats or 1, args, rd=args.reddwarf_huge)
    if "incremental" in only:
        section_incremental(synthetic_file(INCREMENTAL, args), args)


def run_worker(args: argparse.Namespace) -> dict[str, Any]:
    if args.worker == "parley":
        return worker_parley(args.extra[0], args.seed)
    return worker_incremental(args.extra[0], args.seed, NEW_VOTES, UPDATES)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "extra", nargs="*", type=Path, help="more openData folders for the ARI table"
    )
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--repeats", type=int, help="runs per measurement (default: see above)")
    parser.add_argument("--seed", type=int, default=0, help="Parley's seed and the data's")
    parser.add_argument("--data", type=Path, default=DATA, help=f"default: {DATA}")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "parley-bench", help="inputs"
    )
    parser.add_argument(
        "--reddwarf-huge", action="store_true", help="also run red-dwarf on (c): needs > 100 GB"
    )
    parser.add_argument("--worker", choices=["parley", "incremental"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if shutil.which(str(TIME)) is None:
        print("(no /usr/bin/time: peak RSS is each worker's own getrusage)", file=sys.stderr)
    return args


if __name__ == "__main__":
    main()
