"""`parley serve`: serve the web pages and the API (run `parley demo` first to migrate)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from parley.cli import serving
from parley.cli.options import add_database_option, add_server_options


class Command(BaseCommand):
    help = "Serve Parley's web pages and API with uvicorn."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_server_options(parser)
        add_database_option(parser)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        self.stdout.write(f"Serving Parley at {serving.site_url(host, port)}")
        self.stdout.flush()
        serving.serve(host, port)
