"""Check a scenario document before anything is written, reporting every problem with its line.

What a file can get wrong here: a missing or unknown ``format``, an unknown section, an unknown
or missing field, a value of the wrong type, an unknown choice or a bad date (the model's own
message), a key used twice within a kind, and a reference to a key that is not listed earlier.
What only the database can tell (a process slug already taken, a constraint across rows) is
found while importing and reported the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from parley.processes.actions import PROCESS_FIELDS
from parley.processes.kinds import KINDS, RecordKind, kind_of
from parley.processes.models import Citation, Process
from parley.processes.scenario.document import Document, Path
from parley.processes.scenario.problems import Problem, ScenarioError, about
from parley.processes.scenario.shape import (
    CITATION_FIELDS,
    FORMAT,
    SECTIONS,
    item_fields,
)
from parley.processes.scenario.values import described, is_required, value_problem

Fields = dict[str, "models.Field[Any, Any]"]


@dataclass(frozen=True)
class Entry:
    """One record to write: its kind, its values as the file gives them, and where it is."""

    kind: RecordKind
    path: Path
    values: dict[str, Any]

    @property
    def key(self) -> str:
        return str(self.values["key"])

    @property
    def thing(self) -> str:
        return f"{self.kind.label} '{self.key}'"


@dataclass(frozen=True)
class CitationEntry:
    """One citation to write: the record it cites (kind and key) and its values."""

    path: Path
    thing: str
    kind: RecordKind
    key: str
    values: dict[str, str]


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: safe to hand to the importer."""

    document: Document
    process: dict[str, Any]
    entries: list[Entry]
    citations: list[CitationEntry]

    def counts(self) -> dict[str, int]:
        """Return how many items each section holds, in section order (empty ones left out)."""
        counts = {kind: sum(1 for e in self.entries if e.kind.name == kind) for kind in KINDS}
        counts["citations"] = len(self.citations)
        return {section: n for section, n in counts.items() if n}


def check_scenario(document: Document) -> Scenario:
    """Return the scenario *document* holds, or raise ScenarioError listing every problem."""
    checker = _Checker(document)
    scenario = checker.scenario()
    if checker.problems:
        raise ScenarioError(checker.problems)
    return scenario


def _model_fields(model: type[models.Model], names: tuple[str, ...]) -> Fields:
    return {name: model._meta.get_field(name) for name in names}  # type: ignore[misc]


_PROCESS_FIELDS = _model_fields(Process, PROCESS_FIELDS)
# A citation's target is "<section>/<key>", not a model field; an unbound field checks it.
_CITATION_FIELDS: Fields = {
    "target": models.CharField(name="target"),
    **_model_fields(Citation, CITATION_FIELDS[1:]),
}


class _Checker:
    """Walk a document once, in import order, collecting problems."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.seen: dict[str, set[str]] = {name: set() for name in KINDS}
        self.listed = _keys_listed(document.data)

    def report(self, path: Path, subject: str, message: str) -> None:
        self.problems.append(Problem(self.document.where(path), subject, message))

    def scenario(self) -> Scenario:
        root = self.document.data
        if not isinstance(root, dict):
            self.report((), "", "expected a mapping: format, process, then one section per kind")
            return Scenario(self.document, {}, [], [])
        self._check_format(root)
        self._check_sections(root)
        process = self._check_process(root)
        entries = [entry for kind in KINDS.values() for entry in self._check_section(kind, root)]
        return Scenario(self.document, process, entries, self._check_citations(root))

    def _check_format(self, root: dict[Any, Any]) -> None:
        if "format" not in root:
            self.report((), about("", "format"), f"missing: begin the file with 'format: {FORMAT}'")
        elif root["format"] != FORMAT:
            got = described(root["format"])
            self.report(("format",), about("", "format"), f"expected '{FORMAT}', got {got}")

    def _check_sections(self, root: dict[Any, Any]) -> None:
        for name in root:
            if name not in SECTIONS:
                sections = ", ".join(SECTIONS)
                self.report(
                    (str(name),), f"section '{name}'", f"unknown; the sections are {sections}"
                )

    def _check_process(self, root: dict[Any, Any]) -> dict[str, Any]:
        values = root.get("process")
        if not isinstance(values, dict):
            got = "nothing" if values is None else described(values)
            self.report(
                ("process",), "section 'process'", f"expected the process's fields, got {got}"
            )
            return {}
        self._check_values(("process",), "process", values, _PROCESS_FIELDS)
        return values

    def _items(self, root: dict[Any, Any], section: str) -> list[tuple[Path, int, Any]]:
        """Return each item of *section* with its path and number (1, 2…); missing: none."""
        items = root.get(section)
        if items is None:
            return []
        if not isinstance(items, list):
            got = described(items)
            self.report((section,), f"section '{section}'", f"expected a list, got {got}")
            return []
        return [((section, index), index + 1, item) for index, item in enumerate(items)]

    def _check_section(self, kind: RecordKind, root: dict[Any, Any]) -> list[Entry]:
        entries = [
            self._check_item(kind, path, values, number)
            for path, number, values in self._items(root, kind.name)
        ]
        return [entry for entry in entries if entry is not None]

    def _check_item(self, kind: RecordKind, path: Path, values: Any, number: int) -> Entry | None:
        key = values.get("key") if isinstance(values, dict) else None
        thing = f"{kind.label} '{key}'" if isinstance(key, str) else f"{kind.label} number {number}"
        if not isinstance(values, dict):
            self.report(path, thing, f"expected a mapping of fields, got {described(values)}")
            return None
        self._check_values(path, thing, values, _model_fields(kind.model, item_fields(kind)))
        self._check_references(path, thing, kind, values)
        if isinstance(key, str):
            self._check_unique(path, thing, kind, key)
        return Entry(kind, path, values)

    def _check_values(self, path: Path, thing: str, values: dict[Any, Any], fields: Fields) -> None:
        for name in values:
            if name not in fields:
                known = ", ".join(fields)
                self.report(
                    (*path, str(name)),
                    about(thing, str(name)),
                    f"unknown field; the fields are {known}",
                )
        for name, field in fields.items():
            if name in values:
                problem = value_problem(field, values[name])
                if problem is not None:
                    self.report((*path, name), about(thing, name), problem)
            elif is_required(field):
                self.report(path, about(thing, name), "missing; it is required")

    def _check_references(
        self, path: Path, thing: str, kind: RecordKind, values: dict[str, Any]
    ) -> None:
        for name, model in kind.single_references().items():
            if isinstance(values.get(name), str):
                self._check_key((*path, name), about(thing, name), kind_of(model), values[name])
        audience = values.get("audience")
        for index, key in enumerate(audience if isinstance(audience, list) else []):
            if isinstance(key, str):
                self._check_key(
                    (*path, "audience", index), about(thing, "audience"), KINDS["actors"], key
                )

    def _check_key(self, path: Path, subject: str, kind: RecordKind, key: str) -> None:
        """Report *key* unless a *kind* item listed earlier in the file has it."""
        if key in self.seen[kind.name]:
            return
        if key in self.listed[kind.name]:
            message = f"{kind.label} '{key}' is listed later; list it before what refers to it"
        else:
            message = f"no {kind.label} '{key}' in the file"
        self.report(path, subject, message)

    def _check_unique(self, path: Path, thing: str, kind: RecordKind, key: str) -> None:
        if key in self.seen[kind.name]:
            message = f"an earlier {kind.label} has this key; keys are unique within a kind"
            self.report((*path, "key"), about(thing, "key"), message)
        self.seen[kind.name].add(key)

    def _check_citations(self, root: dict[Any, Any]) -> list[CitationEntry]:
        citations = []
        for path, number, values in self._items(root, "citations"):
            thing = f"citation {number}"
            if not isinstance(values, dict):
                self.report(path, thing, f"expected a mapping of fields, got {described(values)}")
                continue
            self._check_values(path, thing, values, _CITATION_FIELDS)
            citation = self._check_citation(path, thing, values)
            if citation is not None:
                citations.append(citation)
        return citations

    def _check_citation(
        self, path: Path, thing: str, values: dict[str, Any]
    ) -> CitationEntry | None:
        if isinstance(values.get("source"), str):
            self._check_key(
                (*path, "source"), about(thing, "source"), KINDS["sources"], values["source"]
            )
        target = values.get("target")
        if not isinstance(target, str) or not target:
            return None
        section, _, key = target.partition("/")
        if section not in KINDS or not key:
            example = "e.g. 'rounds/moscow-2'"
            self.report(
                (*path, "target"),
                about(thing, "target"),
                f"expected <section>/<key>, {example}; got '{target}'",
            )
            return None
        self._check_key((*path, "target"), about(thing, "target"), KINDS[section], key)
        return CitationEntry(path, thing, KINDS[section], key, values)


def _keys_listed(root: Any) -> dict[str, set[str]]:
    """Return every key the file lists, by section, to tell "later" from "nowhere"."""
    listed: dict[str, set[str]] = {name: set() for name in KINDS}
    if not isinstance(root, dict):
        return listed
    for name in KINDS:
        items = root.get(name)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                listed[name].add(item["key"])
    return listed
