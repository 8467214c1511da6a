# ruff: noqa: N999 -- the command is `parley import-process`; Django names it after this file.
"""`parley import-process FILE`: create a process from a scenario file, all or nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from parley.cli.options import add_database_option
from parley.processes.scenario import (
    SYSTEM_USERNAME,
    ImportResult,
    ScenarioError,
    import_scenario,
    read_scenario,
)


class Command(BaseCommand):
    # Data in, data out: the web pages' system checks are no reason to refuse.
    requires_system_checks: list[str] = []
    help = (
        "Create a process from a scenario file (YAML, or JSON if the name ends in .json). "
        "Nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the scenario file (docs/scenario-format.md)")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help=f"the user who opens the process and becomes its mediator "
            f"(default: {SYSTEM_USERNAME}, created on first use; nobody can sign in as it)",
        )
        add_database_option(parser)

    def handle(self, *args: Any, file: str, username: str | None, **options: Any) -> None:
        user = _user(username) if username else None
        try:
            scenario = read_scenario(_read(file), file)
            result = import_scenario(scenario, user=user)
        except ScenarioError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}: nothing was imported.") from None
        self.stdout.write(summary(result))


def summary(result: ImportResult) -> str:
    """Return what an import wrote: the slug, then the count of each section."""
    counts = ", ".join(f"{section}: {n}" for section, n in result.counts.items())
    return f"Imported process '{result.process.slug}' ({counts or 'no records'})."


def _read(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{file}: cannot read it: {error}") from None


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user '{username}'. Leave out --as to import as {SYSTEM_USERNAME}.")
    return user
