"""docs/scenario-format.md lists exactly the sections, fields and choices the code knows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley.processes.kinds import KINDS
from parley.processes.scenario.shape import item_fields
from parley.processes.scenario.values import is_required

DOC = (Path(__file__).parents[3] / "docs" / "scenario-format.md").read_text(encoding="utf-8")


def _row(first_cell: str) -> list[str]:
    """Return the cells of the doc's table row that starts with *first_cell*."""
    match = re.search(rf"^\| {re.escape(first_cell)} \|(.*)\|$", DOC, re.MULTILINE)
    assert match, first_cell
    return [cell.strip() for cell in match.group(1).split("|")]


@pytest.mark.parametrize("name", KINDS)
def test_the_doc_lists_each_sections_fields_and_marks_the_required_ones(name):
    kind = KINDS[name]
    listed = [field.strip() for field in _row(f"`{name}`")[0].split(",")]
    own = item_fields(kind)[1 : 1 + len(kind.fields)]
    required = {f for f in own if is_required(kind.model._meta.get_field(f))}
    assert listed == [f"**{f}**" if f in required else f for f in own]


def test_the_doc_lists_every_choice():
    for name, kind in KINDS.items():
        for field_name in kind.fields:
            field = kind.model._meta.get_field(field_name)
            if field.choices:
                cells = _row(f"{name} `{field_name}`")[0]
                listed = sorted(re.findall(r"`(\w+)`", cells))
                assert listed == sorted(value for value, _ in field.choices), (name, field_name)
