"""Entry point of the `parley` console command: Django's management commands, Parley's settings."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run `parley COMMAND ...` as the management command COMMAND."""
    args = sys.argv[1:] if argv is None else argv
    database = database_option(args)
    if database is not None:
        # Settings read DATABASE_URL once, when they load: set it before anything imports them.
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.config.settings.demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["parley", *args])


def database_option(args: list[str]) -> str | None:
    """Return FILE of `--db FILE` (or `--db=FILE`) in *args*, or None if it is not given."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(args)
    database: str | None = known.db
    return database


if __name__ == "__main__":
    main()
