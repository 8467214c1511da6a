"""`parley text import FILE --process SLUG` / `parley text export TEXT_ID --version N`."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from parley.cli.options import add_database_option
from parley.core.errors import ParleyError
from parley.texts import actions
from parley.texts.access import access_process, access_text, access_version
from parley.texts.document import TextDoc
from parley.texts.docx import read_docx
from parley.texts.exports import FORMATS, export_version
from parley.texts.format import TextFormatError, parse_text
from parley.texts.models import NegotiatingText


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Import a negotiating text from a bracket-format or Word file, or export a version."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("import", help="load FILE (.md bracket format or .docx)")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--process", metavar="SLUG", required=True)
        load.add_argument("--as", dest="username", required=True, metavar="USER",
                          help="a member of the process's mediation team")  # fmt: skip
        load.add_argument(
            "--into", metavar="KEY", help="make FILE the next working draft of this existing text"
        )
        load.add_argument("--key", help="the new text's key (default: from its title)")
        load.add_argument("--kind", choices=NegotiatingText.Kind.values, default="one_text")
        dump = verbs.add_parser("export", help="write one version of a text")
        dump.add_argument("text_id", metavar="TEXT_ID", help="SLUG/KEY, as printed by import")
        dump.add_argument("--version", type=int, required=True, metavar="N")
        dump.add_argument("--format", choices=list(FORMATS), default="md")
        dump.add_argument("--output", "-o", metavar="FILE",
                          help="default: KEY-vN.FORMAT here; '-' for standard output")  # fmt: skip
        dump.add_argument("--as", dest="username", metavar="USER",
                          help="read as this user (default: as the public)")  # fmt: skip
        for sub in (load, dump):
            add_database_option(sub)
        add_database_option(parser)

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        try:
            if verb == "import":
                self._import(**options)
            else:
                self._export(**options)
        except (ParleyError, TextFormatError) as error:
            raise CommandError(str(error)) from None

    def _import(self, *, file: str, process: str, username: str, into: str | None,
                key: str | None, kind: str, **_: Any) -> None:  # fmt: skip
        user = _user(username)
        doc = _read(Path(file))
        found, viewer = access_process(user, process)
        if into:
            version = actions.import_draft(access=access_text(user, process, into), doc=doc)
            text = version.text
        else:
            data = {"title": doc.title or Path(file).stem, "kind": kind, "key": key or ""}
            text = actions.create_text(user=user, process=found, viewer=viewer, doc=doc, data=data)
            version = text.versions.get()
        self.stdout.write(
            f"Imported {file} as {version.display_label} (working draft, {len(doc.clauses)} "
            f"clauses) of text {process}/{text.key}."
        )

    def _export(self, *, text_id: str, version: int, format: str, output: str | None,
                username: str | None, **_: Any) -> None:  # fmt: skip
        slug, _slash, key = text_id.partition("/")
        if not key:
            raise CommandError(f"TEXT_ID is SLUG/KEY, e.g. astana-2015/joint; got {text_id!r}.")
        user = _user(username) if username else AnonymousUser()
        found = access_version(access_text(user, slug, key), version)
        exported = export_version(found, format)
        if output == "-":
            sys.stdout.buffer.write(exported.content)
            return
        target = Path(output or exported.filename)
        target.write_bytes(exported.content)
        self.stdout.write(f"Wrote {found.display_label} of {text_id} to {target}.")


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user '{username}'.")
    return user


def _read(path: Path) -> TextDoc:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    if path.suffix.lower() == ".docx":
        return read_docx(data, name=str(path))
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text (byte {error.start}).") from None
    return parse_text(source, name=str(path))
