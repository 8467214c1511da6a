"""Write a process as a scenario document: every field, in a fixed order, same data same bytes.

Rows are written oldest first (creation order), so a position history reads oldest first and
an import, which writes in file order, recreates the same order. An issue whose parent was
created after it is moved after its parent, so every reference points to an earlier item.
The document holds every row at every visibility level: treat it as confidential as its most
confidential row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType

from parley.core.errors import NotFound
from parley.processes.actions import PROCESS_FIELDS
from parley.processes.kinds import KINDS, RecordKind, kind_of, values_of
from parley.processes.models import Citation, Process, ProcessRecord
from parley.processes.scenario.shape import FORMAT, item_fields

FORMATS = ("yaml", "json")
_NO_FOLDING = 1_000_000


def find_process(slug: str) -> Process:
    """Return the process *slug*, whatever its visibility (export is the operator's tool)."""
    process = Process.objects.filter(slug=slug).first()
    if process is None:
        raise NotFound("process")
    return process


def export_scenario(process: Process, *, format: str = "yaml") -> str:
    """Return *process* as a scenario file in *format* (yaml or json)."""
    document = scenario_document(process)
    if format == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if format != "yaml":
        raise ValueError(f"unknown format '{format}'; use one of {', '.join(FORMATS)}")
    # No folding: one line per value keeps the diff of two exports small.
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_NO_FOLDING
    )


def scenario_document(process: Process) -> dict[str, Any]:
    """Return *process* as the plain mapping a scenario file holds."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "process": {name: _plain(getattr(process, name)) for name in PROCESS_FIELDS},
    }
    for kind in KINDS.values():
        document[kind.name] = [_item(kind, row) for row in _rows(kind, process)]
    document["citations"] = _citations(process)
    return document


def _item(kind: RecordKind, row: ProcessRecord) -> dict[str, Any]:
    values = values_of(kind, row)
    return {name: _plain(values[name]) for name in item_fields(kind)}


def _plain(value: Any) -> Any:
    """Return *value* as plain data: choices as text, mapping keys sorted (jsonb reorders them)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _rows(kind: RecordKind, process: Process) -> list[ProcessRecord]:
    rows = list(
        kind.model._default_manager.filter(process=process)
        .select_related(*kind.single_references())
        .prefetch_related("audience")
        .order_by("created_at", "id")
    )
    return _parents_first(kind, rows)


def _parents_first(kind: RecordKind, rows: list[ProcessRecord]) -> list[ProcessRecord]:
    """Return *rows* in creation order, but each after the rows of its own kind it refers to."""
    own = [name for name, model in kind.reference_fields().items() if model is kind.model]
    if not own:
        return rows
    by_pk = {row.pk: row for row in rows}
    ordered: dict[int, ProcessRecord] = {}

    def place(row: ProcessRecord, path: frozenset[int]) -> None:
        if row.pk in ordered or row.pk in path:  # placed already, or a cycle
            return
        for parent_id in _referred_ids(row, own):
            if parent_id in by_pk:
                place(by_pk[parent_id], path | {row.pk})
        ordered[row.pk] = row

    for row in rows:
        place(row, frozenset())
    return list(ordered.values())


def _referred_ids(row: ProcessRecord, names: list[str]) -> list[int]:
    """Return the ids *row* refers to through the fields *names* (audience included)."""
    ids = [getattr(row, f"{name}_id") for name in names if name != "audience"]
    if "audience" in names:
        ids += [actor.pk for actor in row.audience.all()]
    return ids


def _citations(process: Process) -> list[dict[str, str]]:
    citations = list(Citation.objects.filter(process=process).select_related("source"))
    keys = _target_keys(citations)
    return [
        {
            "target": keys[(c.target_type_id, c.target_id)],
            "source": c.source.key,
            "field": c.field,
            "quote": c.quote,
            "locator": c.locator,
        }
        for c in citations
        if (c.target_type_id, c.target_id) in keys
    ]


def _target_keys(citations: list[Citation]) -> dict[tuple[int, int], str]:
    """Return "<section>/<key>" of each cited row, one query per kind of row cited."""
    ids: dict[int, set[int]] = defaultdict(set)
    for citation in citations:
        ids[citation.target_type_id].add(citation.target_id)
    keys: dict[tuple[int, int], str] = {}
    for type_id, target_ids in ids.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        assert model is not None, "a citation names a model that no longer exists"
        kind = kind_of(model)
        for pk, key in kind.model._default_manager.filter(pk__in=target_ids).values_list(
            "pk", "key"
        ):
            keys[(type_id, pk)] = f"{kind.name}/{key}"
    return keys


class _Dumper(yaml.SafeDumper):
    """Write text with line breaks as literal blocks, and never use anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)
