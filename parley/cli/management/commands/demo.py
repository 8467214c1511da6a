"""`parley demo`: migrate, load the Astana 2015 demo once, print the demo logins, serve."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from parley.cli import serving
from parley.cli.options import add_database_option, add_server_options
from parley.consultation.demo import load_demo_consultation
from parley.consultation.models import Conversation
from parley.processes import demo
from parley.processes.models import Process
from parley.texts.demo import demo_text_path, load_demo_text


class Command(BaseCommand):
    help = "Set up the demo (migrate, load the Astana 2015 scenario, logins) and serve it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_server_options(parser)
        add_database_option(parser)
        parser.add_argument(
            "--no-serve", action="store_true", help="stop after printing the logins"
        )

    def handle(self, *args: Any, host: str, port: int, no_serve: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        process, loaded = demo.load_demo()
        try:
            logins = demo.ensure_demo_logins(process)
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Parley demo: {serving.site_url(host, port)}")
        state = "loaded" if loaded else "already there, reused"
        self.stdout.write(f"Process: {process.title} ({process.slug}, {state})")
        conversation = demo_consultation(process)
        self.stdout.write(f"Consultation: {serving.site_url(host, port)}c/{conversation.slug}/")
        text = load_demo_text(process)
        self.stdout.write(f"Negotiating text: {serving.site_url(host, port)}{demo_text_path(text)}")
        self.stdout.write("")
        self.stdout.write(logins_table(logins))
        self.stdout.flush()
        if not no_serve:
            serving.serve(host, port)


def demo_consultation(process: Process) -> Conversation:
    """Return the illustrative consultation, loading it as the demo's mediator if missing."""
    mediator = get_user_model().objects.get(username="mediator")
    conversation, _ = load_demo_consultation(process, mediator)
    return conversation


def logins_table(logins: tuple[demo.DemoLogin, ...]) -> str:
    """Return the demo logins as a text table, under a note that they are for local use only."""
    rows = [("persona", "username", "password", "sees")]
    rows += [(login.persona, login.username, demo.DEMO_PASSWORD, login.sees) for login in logins]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    note = f"Local demo only: every login's password is '{demo.DEMO_PASSWORD}'."
    return "\n".join([note, "", *lines])
