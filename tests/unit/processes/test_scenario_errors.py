"""A bad scenario file is refused whole: each problem names file, line, record and field."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model

from parley.audit.models import AuditEvent
from parley.processes.kinds import KINDS
from parley.processes.models import Citation, Process
from parley.processes.scenario import ScenarioError, import_scenario, read_scenario

pytestmark = pytest.mark.django_db

VALID = """\
format: parley-scenario/1
process:
  slug: talks
  title: Talks
sources:
  - key: report
    title: A report
actors:
  - key: party-a
    name: Party A
rounds:
  - key: round-1
    name: Round 1
    sequence: 1
    starts_on: "2015-05"
issues:
  - key: fighters
    title: Foreign fighters
positions:
  - key: a-1
    actor: party-a
    issue: fighters
    statement: First
  - key: a-2
    actor: party-a
    issue: fighters
    statement: Second
citations:
  - target: rounds/round-1
    source: report
    quote: The round started.
"""


def row_counts() -> dict[str, int]:
    """Return how many rows each table that an import writes to holds."""
    models: list[type[Model]] = [Process, Citation, AuditEvent, get_user_model()]
    models += [kind.model for kind in KINDS.values()]
    return {model.__name__: model._default_manager.count() for model in models}


def problems(text: str, filename: str = "talks.yaml") -> list[str]:
    """Return the problems an import of *text* reports, checking that it wrote nothing."""
    before = row_counts()
    with pytest.raises(ScenarioError) as caught:
        import_scenario(read_scenario(text, filename))
    assert row_counts() == before
    return [str(problem) for problem in caught.value.problems]


def changed(old: str, new: str, text: str = VALID) -> str:
    """Return *text* with *old* replaced by *new*, failing unless *old* is there exactly once."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of *text* on which *needle* first appears."""
    return text[: text.index(needle)].count("\n") + 1


def test_a_valid_file_imports():
    result = import_scenario(read_scenario(VALID, "talks.yaml"))
    assert result.counts == {
        "sources": 1, "actors": 1, "rounds": 1, "issues": 1, "positions": 2, "citations": 1
    }  # fmt: skip


CASES = {
    "unknown field": (
        "    sequence: 1\n",
        "    sequence: 1\n    colour: red\n",
        "colour: red",
        "field 'colour' of round 'round-1': unknown field; the fields are key, name, sequence,",
    ),
    "bad date": (
        '"2015-05"',
        '"2015-13"',
        "2015-13",
        "field 'starts_on' of round 'round-1': '2015-13' has no month 13",
    ),
    "date that is not text": (
        '"2015-05"',
        "2015",
        "starts_on: 2015",
        "field 'starts_on' of round 'round-1': expected text, got the number 2015 (put it in "
        "quotes)",
    ),
    "wrong type": (
        "sequence: 1",
        "sequence: first",
        "sequence: first",
        "field 'sequence' of round 'round-1': expected a whole number, got the text 'first'",
    ),
    "unknown choice": (
        "    sequence: 1\n",
        "    sequence: 1\n    status: postponed\n",
        "status: postponed",
        "field 'status' of round 'round-1': Value 'postponed' is not a valid choice.",
    ),
    "dangling reference": (
        "    actor: party-a\n    issue: fighters\n    statement: Second",
        "    actor: party-b\n    issue: fighters\n    statement: Second",
        "actor: party-b",
        "field 'actor' of position 'a-2': no actor 'party-b' in the file",
    ),
    "reference to a later item": (
        "    title: Foreign fighters\n",
        "    title: Foreign fighters\n    parent: security\n  - key: security\n    title: S\n",
        "parent: security",
        "field 'parent' of issue 'fighters': issue 'security' is listed later; list it before "
        "what refers to it",
    ),
    "duplicate key": (
        "  - key: a-2\n",
        "  - key: a-1\n",
        "key: a-1\n    actor: party-a\n    issue: fighters\n    statement: Second",
        "field 'key' of position 'a-1': an earlier position has this key; keys are unique within "
        "a kind",
    ),
    "missing field": (
        "    name: Round 1\n",
        "",
        "- key: round-1",
        "field 'name' of round 'round-1': missing; it is required",
    ),
    "unknown section": (
        "issues:\n",
        "meetings: []\nissues:\n",
        "meetings:",
        "section 'meetings': unknown; the sections are format, process, sources, venues,",
    ),
    "missing format": (
        "format: parley-scenario/1\n",
        "",
        "process:",
        "field 'format': missing: begin the file with 'format: parley-scenario/1'",
    ),
    "other format": (
        "parley-scenario/1",
        "parley-scenario/2",
        "format:",
        "field 'format': expected 'parley-scenario/1', got the text 'parley-scenario/2'",
    ),
    "citation of a missing record": (
        "rounds/round-1",
        "rounds/round-9",
        "target: rounds/round-9",
        "field 'target' of citation 1: no round 'round-9' in the file",
    ),
    "citation target without a section": (
        "rounds/round-1",
        "round-1",
        "target: round-1",
        "field 'target' of citation 1: expected <section>/<key>, e.g. 'rounds/moscow-2'; got "
        "'round-1'",
    ),
    "field written twice": (
        "    name: Round 1\n",
        "    name: Round 1\n    name: Round one\n",
        "name: Round one",
        "field 'name': written twice in one mapping",
    ),
    "item that is not a mapping": (
        "citations:\n",
        "venues:\n  - Geneva\ncitations:\n",
        "- Geneva",
        "venue number 1: expected a mapping of fields, got the text 'Geneva'",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_problem_found_before_writing_names_its_line_and_field(case):
    old, new, marker, message = CASES[case]
    text = changed(old, new)
    found = problems(text)
    assert len(found) == 1, found
    assert found[0].startswith(f"talks.yaml:{line_of(text, marker)}: {message}")


def test_every_problem_in_a_file_is_reported_at_once():
    text = changed('"2015-05"', '"2015-13"', changed("sequence: 1", "sequence: first"))
    assert len(problems(text)) == 2


def test_a_problem_found_while_writing_is_reported_the_same_way():
    """The slug is free only if no process has it: only the database can tell."""
    import_scenario(read_scenario(VALID, "talks.yaml"))
    [found] = problems(VALID)
    assert found == (
        f"talks.yaml:{line_of(VALID, 'slug:')}: field 'slug' of process: "
        "Process with this Slug already exists."
    )


def test_a_problem_in_the_last_item_undoes_everything_before_it():
    text = changed("    quote: The round started.\n", "    field: colour\n")
    [found] = problems(text)
    assert found == (
        f"talks.yaml:{line_of(text, 'field: colour')}: field 'field' of citation 1: "
        "Round has no field 'colour'."
    )


def test_a_constraint_across_fields_names_the_record():
    text = VALID + "role-assignments:\n  - key: nobody\n    role: observer\n"
    [found] = problems(text)
    assert found.startswith(
        f"talks.yaml:{line_of(text, '- key: nobody')}: role assignment 'nobody': "
    )
    assert "role_has_holder" in found


def test_a_file_that_is_not_yaml_names_its_line():
    text = changed("    title: A report\n", "    title: [A report\n")
    [found] = problems(text)
    assert found.startswith("talks.yaml:")
    assert "not valid YAML" in found


JSON_TEXT = """\
{
  "format": "parley-scenario/1",
  "process": {"slug": "talks", "title": "Talks"},
  "rounds": [
    {"key": "round-1", "name": "Round 1", "starts_on": "2015-13"}
  ]
}
"""


def test_a_json_problem_names_its_line():
    [found] = problems(JSON_TEXT, "talks.json")
    assert found.startswith("talks.json:5: field 'starts_on' of round 'round-1': '2015-13' has")


def test_a_json_problem_yaml_cannot_locate_names_its_json_pointer():
    """YAML refuses tabs as indentation, so the line is unknown; the JSON pointer is exact."""
    text = JSON_TEXT.replace('    {"key"', '\t{"key"')
    [found] = problems(text, "talks.json")
    assert found.startswith("talks.json:/rounds/0/starts_on: field 'starts_on' of round 'round-1'")


def test_a_file_that_is_not_json_names_its_line():
    [found] = problems(
        JSON_TEXT.replace('"parley-scenario/1",', '"parley-scenario/1"'), "talks.json"
    )
    assert found == "talks.json:3: not valid JSON: Expecting ',' delimiter"


def test_an_alias_is_refused_before_it_can_expand():
    text = changed("    name: Round 1\n", "    name: &name Round 1\n    summary: *name\n")
    [found] = problems(text)
    assert found == (
        f"talks.yaml:{line_of(text, '*name')}: not valid YAML: found an alias (*name); "
        "scenario files do not use aliases"
    )
