"""Scenario files: a whole process as YAML or JSON, to import and export.

The format is described in docs/scenario-format.md. Reading checks everything it can before
the database is touched (validate.py); importing writes through the actions in one transaction
(importer.py); exporting writes every field in a fixed order (exporter.py).
"""

from __future__ import annotations

from parley.processes.scenario.accounts import SYSTEM_USERNAME, system_user
from parley.processes.scenario.document import read_document
from parley.processes.scenario.exporter import FORMATS, export_scenario, find_process
from parley.processes.scenario.importer import ImportResult, import_scenario
from parley.processes.scenario.problems import Problem, ScenarioError
from parley.processes.scenario.shape import FORMAT
from parley.processes.scenario.validate import Scenario, check_scenario

__all__ = [
    "FORMAT", "FORMATS", "SYSTEM_USERNAME", "ImportResult", "Problem", "Scenario",
    "ScenarioError", "export_scenario", "find_process", "import_scenario",
    "read_scenario", "system_user",
]  # fmt: skip


def read_scenario(text: str, filename: str) -> Scenario:
    """Return the checked scenario in *text*; *filename* names it in problems (.json: JSON)."""
    return check_scenario(read_document(text, filename))
