# ruff: noqa: N999 -- the command is `parley export-process`; Django names it after this file.
"""`parley export-process SLUG`: write a process as a scenario file on stdout."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parley.cli.options import add_database_option
from parley.core.errors import NotFound
from parley.processes.scenario import FORMATS, export_scenario, find_process


class Command(BaseCommand):
    # Data in, data out: the web pages' system checks are no reason to refuse.
    requires_system_checks: list[str] = []
    help = (
        "Write a process as a scenario file (docs/scenario-format.md) on stdout. It holds every "
        "record at every visibility level: keep it as confidential as its most confidential row."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug", help="the process's slug, as in its address")
        parser.add_argument("--format", choices=FORMATS, default="yaml", help="default: yaml")
        add_database_option(parser)

    def handle(self, *args: Any, slug: str, format: str, **options: Any) -> None:
        try:
            process = find_process(slug)
        except NotFound:
            raise CommandError(f"No process with the slug '{slug}'.") from None
        self.stdout.write(export_scenario(process, format=format), ending="")
