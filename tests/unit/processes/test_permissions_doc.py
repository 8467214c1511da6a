"""docs/permissions.md tells the truth: its tables match parley/processes/roles.py."""

from __future__ import annotations

import re
from pathlib import Path

from parley.processes.roles import (
    PERMISSION_DESCRIPTIONS,
    ROLE_DESCRIPTIONS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def _table(section: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    body = re.search(rf"<!-- {section}:start -->\n(.*?)<!-- {section}:end -->", text, re.S)
    assert body, f"docs/permissions.md has no {section} table"
    rows = [line.strip().strip("|").split("|") for line in body.group(1).strip().splitlines()]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def test_role_table_matches_the_code():
    header = [p.value for p in Permission]
    documented = {}
    for role_cell, description, *marks in _table("roles"):
        value = re.search(r"`(\w+)`", role_cell).group(1)
        granted = {Permission(p) for p, mark in zip(header, marks, strict=True) if mark == "yes"}
        documented[Role(value)] = (description, granted)
    expected = {role: (ROLE_DESCRIPTIONS[role], set(ROLE_PERMISSIONS[role])) for role in Role}
    assert documented == expected


def test_permission_table_matches_the_code():
    documented = {cell.strip("`"): meaning for cell, meaning in _table("permissions")}
    assert documented == {p.value: PERMISSION_DESCRIPTIONS[p] for p in Permission}


def test_every_permission_is_granted_to_some_role():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(Permission)
