"""Read a scenario file into plain values, remembering the line each value starts on.

YAML is read with PyYAML's composer so every value keeps its node's line. JSON is read with
the json module (the values are exactly JSON's); its lines come from composing the same text
as YAML, which JSON almost always is. When YAML cannot read a valid JSON text (for example a
surrogate-pair escape such as "\\ud83d\\ude00"), problems are located by JSON pointer instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from parley.processes.scenario.problems import Problem, ScenarioError, about

Path = tuple[str | int, ...]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """A safe loader that reads dates as text and refuses aliases.

    '2015-04-06' is a partial date here, not a datetime. Aliases (*name) are refused because
    nested ones expand exponentially ("billion laughs"), and no scenario needs them.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "found an alias (*name); scenario files do not use aliases", mark
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """A scenario file's content as plain values, with the line of each value by its path."""

    filename: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def where(self, path: Path) -> str:
        """Return 'FILE:LINE' of *path* (or of its nearest ancestor), else 'FILE:/json/pointer'."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return f"{self.filename}:{line}"
        return f"{self.filename}:{json_pointer(path)}"


def read_document(text: str, filename: str) -> Document:
    """Return the document in *text*; JSON if *filename* ends in .json, else YAML."""
    if filename.lower().endswith(".json"):
        return _read_json(text, filename)
    return _read_yaml(text, filename)


def json_pointer(path: Path) -> str:
    """Return *path* as an RFC 6901 JSON pointer: ('rounds', 2, 'name') -> '/rounds/2/name'."""
    parts = (str(part).replace("~", "~0").replace("/", "~1") for part in path)
    return "/" + "/".join(parts) if path else "/"


def _read_yaml(text: str, filename: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise _unreadable(filename, "YAML", error) from None
    finally:
        loader.dispose()
    return Document(filename, data, _located(filename, node))


def _read_json(text: str, filename: str) -> Document:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problem = Problem(f"{filename}:{error.lineno}", "", f"not valid JSON: {error.msg}")
        raise ScenarioError([problem]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return Document(filename, data)  # located by JSON pointer
    return Document(filename, data, _located(filename, node))


def _unreadable(filename: str, language: str, error: yaml.YAMLError) -> ScenarioError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(error, "problem", None) or str(error)
    return ScenarioError([Problem(f"{filename}:{line}", "", f"not valid {language}: {problem}")])


def _located(filename: str, node: yaml.Node | None) -> dict[Path, int]:
    """Return the line of every value under *node*; raise on a field written twice."""
    lines: dict[Path, int] = {(): 1}
    twice: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, twice, filename)
    if twice:
        raise ScenarioError(twice)
    return lines


def _walk(
    node: yaml.Node, path: Path, lines: dict[Path, int], twice: list[Problem], filename: str
) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), lines, twice, filename)
    elif isinstance(node, yaml.MappingNode):
        for key_node, child in node.value:
            child_path = (*path, str(key_node.value))
            if child_path in lines:
                where = f"{filename}:{key_node.start_mark.line + 1}"
                subject = about("", str(key_node.value))
                twice.append(Problem(where, subject, "written twice in one mapping"))
            _walk(child, child_path, lines, twice, filename)
