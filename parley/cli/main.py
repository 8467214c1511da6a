"""Entry point of the `parley` console command: Django's management commands, Parley's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run `parley COMMAND ...` as the management command COMMAND."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.config.settings.demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["parley", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
