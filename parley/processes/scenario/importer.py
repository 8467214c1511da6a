"""Write a checked scenario as a new process, all or nothing, through the actions.

Items are written in file order (sections in KINDS order), so a position history keeps its
order. The importing user opens the process and so becomes its mediator: create_process makes
a person and a mediator role for them. If the file lists a person or role with the same key
(an export lists its process opener's), the file's item updates that row instead of clashing
with it, so export -> import -> export gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from parley.core.errors import Forbidden, InvalidInput
from parley.processes import actions
from parley.processes.kinds import KINDS, kind_of
from parley.processes.models import Process, ProcessRecord
from parley.processes.scenario.accounts import system_user
from parley.processes.scenario.document import Document, Path
from parley.processes.scenario.problems import Problem, ScenarioError, about
from parley.processes.scenario.validate import CitationEntry, Entry, Scenario


@dataclass(frozen=True)
class ImportResult:
    """The process a scenario became, and how many items of each section it wrote."""

    process: Process
    counts: dict[str, int]


def import_scenario(scenario: Scenario, *, user: Any = None) -> ImportResult:
    """Create the process *scenario* describes, as *user* (default: the system user).

    One transaction: on any problem nothing is written and ScenarioError names it.
    """
    with transaction.atomic():
        writer = _Writer(scenario.document, user or system_user())
        process = writer.open_process(scenario.process)
        for entry in scenario.entries:
            writer.write(entry)
        for citation in scenario.citations:
            writer.cite(citation)
    return ImportResult(process, scenario.counts())


class _Writer:
    """Write one scenario's items through the actions, remembering each row by its key."""

    def __init__(self, document: Document, user: Any) -> None:
        self.document = document
        self.user = user
        self.rows: dict[tuple[str, str], ProcessRecord] = {}

    def open_process(self, values: dict[str, Any]) -> Process:
        with self._located(("process",), "process", values):
            self.process = actions.create_process(
                user=self.user, data=dict(values), exact_slug=True
            )
        # create_process gave the importing user a person and a mediator role: remember them.
        for kind in KINDS.values():
            for row in kind.model._default_manager.filter(process=self.process):
                self.rows[(kind.name, row.key)] = row
        return self.process

    def write(self, entry: Entry) -> None:
        data = self._resolved(entry)
        existing = self.rows.get((entry.kind.name, entry.key))
        with self._located(entry.path, entry.thing, entry.values):
            if existing is None:
                row = actions.create_record(
                    user=self.user, process=self.process, kind=entry.kind, data=data
                )
            else:
                del data["key"]
                row = actions.update_record(
                    user=self.user, process=self.process, kind=entry.kind, row=existing, data=data
                )
        self.rows[(entry.kind.name, entry.key)] = row

    def cite(self, citation: CitationEntry) -> None:
        values = citation.values
        with self._located(citation.path, citation.thing, values):
            actions.cite(
                user=self.user,
                process=self.process,
                target=self.rows[(citation.kind.name, citation.key)],
                source=self.rows[("sources", values["source"])],  # type: ignore[arg-type]
                field=values.get("field", ""),
                quote=values.get("quote", ""),
                locator=values.get("locator", ""),
            )

    def _resolved(self, entry: Entry) -> dict[str, Any]:
        """Return the entry's values with each reference key replaced by the row it names."""
        data = dict(entry.values)
        for name, model in entry.kind.single_references().items():
            if data.get(name) is not None:
                data[name] = self.rows[(kind_of(model).name, data[name])]
        if "audience" in data:
            data["audience"] = [self.rows[("actors", key)] for key in data["audience"]]
        return data

    @contextmanager
    def _located(self, path: Path, thing: str, values: dict[str, Any]) -> Iterator[None]:
        """Turn an action's InvalidInput or Forbidden into problems at the item's lines."""
        try:
            yield
        except InvalidInput as error:
            raise ScenarioError(
                [
                    self._problem(path, thing, values, name, msgs)
                    for name, msgs in error.errors.items()
                ]
            ) from None
        except Forbidden as error:
            raise ScenarioError([Problem(self.document.where(path), thing, str(error))]) from None

    def _problem(
        self, path: Path, thing: str, values: dict[str, Any], name: str, messages: list[str]
    ) -> Problem:
        where = self.document.where((*path, name) if name in values else path)
        return Problem(where, about(thing, name), " ".join(messages))
