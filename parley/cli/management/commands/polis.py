"""`parley polis import DIR` / `parley polis export SLUG DIR`: Pol.is openData folders."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from parley.cli.options import add_database_option
from parley.consultation import polis, tasks
from parley.consultation.access import access_conversation
from parley.consultation.opinion.opendata import OpenDataError
from parley.core.errors import ParleyError
from parley.processes.scenario import find_process


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Import a Pol.is openData folder as a conversation, or export one as such a folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("import", help="load DIR into a new conversation")
        load.add_argument("folder", metavar="DIR")
        load.add_argument("--process", metavar="SLUG", help="attach it to this process")
        load.add_argument("--title", help="default: the folder's topic")
        load.add_argument(
            "--as", dest="username", required=True, metavar="USER",
            help="who imports it: a member of the process's team, or the convener",
        )  # fmt: skip
        dump = verbs.add_parser("export", help="write a conversation's five files into DIR")
        dump.add_argument("slug")
        dump.add_argument("folder", metavar="DIR")
        dump.add_argument(
            "--as", dest="username", required=True, metavar="USER",
            help="a member of the team that runs the conversation",
        )  # fmt: skip
        for sub in (load, dump):
            add_database_option(sub)
        add_database_option(parser)

    def handle(self, *args: Any, verb: str, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'.")
        try:
            if verb == "import":
                self._import(user, **options)
            else:
                self._export(user, **options)
        except OpenDataError as error:
            raise CommandError(str(error)) from None
        except ParleyError as error:
            raise CommandError(str(error)) from None

    def _import(
        self, user: Any, *, folder: str, process: str | None, title: str | None, **_: Any
    ) -> None:
        found = find_process(process) if process else None
        conversation = polis.import_folder(
            user=user, folder=Path(folder), process=found, title=title
        )
        # Compute the first map here: a thread worker would die with this command.
        tasks.run_recompute(conversation.pk)
        self.stdout.write(f"Imported {folder} as conversation '{conversation.slug}'.")

    def _export(self, user: Any, *, slug: str, folder: str, **_: Any) -> None:
        polis.export_folder(access=access_conversation(user, slug), folder=Path(folder))
        self.stdout.write(f"Wrote {slug} to {folder}.")
