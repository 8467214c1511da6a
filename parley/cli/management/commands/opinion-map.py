# ruff: noqa: N999 -- the command is `parley opinion-map`; Django names it after this file.
"""`parley opinion-map DIR --out FILE.json`: the opinion map of a Pol.is openData folder."""

from __future__ import annotations

import time
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.consultation.opinion.opendata import OpenDataConversation, OpenDataError, read_folder
from parley.consultation.opinion.pipeline import compute, replay
from parley.consultation.opinion.report import result_to_json, to_text
from parley.consultation.opinion.types import OpinionResult, Settings


def positive(text: str) -> int:
    """Parse a whole number of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise ArgumentTypeError(f"{value} is not at least 1")
    return value


class Command(BaseCommand):
    # Files in, a file out, no database: neither system checks nor migrations matter here.
    requires_system_checks: list[str] = []
    help = (
        "Compute the opinion map (groups, representative statements, consensus, bridging) of a "
        "Pol.is openData folder and write it as JSON (docs/opinion-map-format.md). The database "
        "is not used."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", metavar="DIR", help="an openData folder (comments.csv, ...)")
        parser.add_argument("--out", required=True, metavar="FILE.json", help="where to write")
        parser.add_argument(
            "--seed", type=int, default=Settings().seed, help="random seed (default: %(default)s)"
        )
        parser.add_argument(
            "--replay",
            type=positive,
            metavar="BATCHES",
            help="feed the votes in BATCHES chronological batches, warm-starting each update "
            "from the last, as a live conversation would; default: one update on all votes",
        )

    def handle(
        self, *args: Any, folder: str, out: str, seed: int, replay: int | None, **options: Any
    ) -> None:
        started = time.perf_counter()
        try:
            data = read_folder(folder)
        except OpenDataError as error:
            raise CommandError(str(error)) from None
        result = self._run(data, Settings(seed=seed), replay)
        document = result_to_json(result, statement_texts={c.id: c.text for c in data.comments})
        document["run"] = {
            "folder": Path(folder).name,
            "source": data.source,
            "seed": seed,
            "replay_batches": replay,
        }
        try:
            Path(out).write_text(to_text(document), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{len(result.participants)} participants, {len(result.statements)} statements, "
            f"{result.n_votes} votes, k={result.k}, {seconds:.2f} s -> {out}"
        )

    def _run(
        self, data: OpenDataConversation, settings: Settings, batches: int | None
    ) -> OpinionResult:
        if batches is None:
            return compute(data.log, data.statements, settings=settings)
        if data.log.time is None:
            # Pol.is numbers participants as they arrive, so row order is a fair stand-in.
            self.stderr.write(
                f"{data.source} has no timestamps: replaying participant by participant."
            )
        return replay(data.log, data.statements, batches=batches, settings=settings)
