"""Command-line options shared by several `parley` commands."""

from __future__ import annotations

from argparse import ArgumentParser

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_database_option(parser: ArgumentParser) -> None:
    """Add --db FILE; parley/cli/main.py applies it before the settings load."""
    parser.add_argument(
        "--db",
        metavar="FILE",
        help="use this SQLite file: the same as DATABASE_URL=sqlite:///FILE",
    )


def add_server_options(parser: ArgumentParser) -> None:
    """Add --host and --port for the web server."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"default: {DEFAULT_HOST}")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}")
