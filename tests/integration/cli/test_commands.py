"""`parley export-process`, `import-process`, `serve` and `demo`, run through call_command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import uvicorn
from django.core.management import CommandError, call_command

from parley.cli import serving
from parley.cli.main import database_option
from parley.processes.models import Process
from parley.processes.permissions import viewer_for
from parley.processes.scenario import export_scenario
from tests.unit.processes.test_scenario_errors import VALID, line_of, row_counts

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    """Run a parley command; return what it wrote to stdout and to stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "talks.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_export_process_writes_the_scenario(world):
    out, _ = run("export-process", "talks")
    assert out == export_scenario(world.process)


def test_export_process_writes_json_on_request(world):
    out, _ = run("export-process", "talks", "--format", "json")
    assert json.loads(out)["process"]["slug"] == "talks"


def test_export_process_refuses_an_unknown_slug(world):
    with pytest.raises(CommandError, match="No process with the slug 'nope'"):
        run("export-process", "nope")


def test_import_process_prints_the_slug_and_counts(scenario_file):
    out, _ = run("import-process", str(scenario_file))
    assert out == (
        "Imported process 'talks' (sources: 1, actors: 1, rounds: 1, issues: 1, positions: 2, "
        "citations: 1).\n"
    )
    assert Process.objects.filter(slug="talks").exists()


def test_import_process_makes_the_named_user_its_mediator(scenario_file, world):
    scenario_file.write_text(VALID.replace("slug: talks", "slug: copy"), encoding="utf-8")
    user = world.users["observer"]
    run("import-process", str(scenario_file), "--as", user.username)
    assert viewer_for(user, Process.objects.get(slug="copy")).is_lead


def test_import_process_refuses_an_unknown_user(scenario_file):
    with pytest.raises(CommandError, match="No user 'ghost'"):
        run("import-process", str(scenario_file), "--as", "ghost")


def test_import_process_reports_problems_and_writes_nothing(scenario_file):
    text = VALID.replace('"2015-05"', '"2015-13"').replace("sequence: 1", "sequence: first")
    scenario_file.write_text(text, encoding="utf-8")
    before = row_counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-process", str(scenario_file), stderr=err)
    assert row_counts() == before
    assert err.getvalue().splitlines() == [
        f"{scenario_file}:{line_of(text, 'sequence:')}: field 'sequence' of round 'round-1': "
        "expected a whole number, got the text 'first'",
        f"{scenario_file}:{line_of(text, 'starts_on:')}: field 'starts_on' of round 'round-1': "
        "'2015-13' has no month 13",
    ]


def test_import_process_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read it"):
        run("import-process", str(tmp_path / "missing.yaml"))


def test_serve_runs_uvicorn_on_the_host_and_port(monkeypatch):
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append((app, kw)))
    out, _ = run("serve", "--host", "0.0.0.0", "--port", "8123")
    assert out == "Serving Parley at http://0.0.0.0:8123/\n"
    assert served == [
        (
            serving.APPLICATION,
            {"host": "0.0.0.0", "port": 8123, "log_level": "info", "lifespan": "off"},
        )
    ]


def test_demo_prints_the_address_then_the_logins_then_serves(monkeypatch):
    served = []
    monkeypatch.setattr(serving, "serve", lambda host, port: served.append((host, port)))
    out, _ = run("demo", "--port", "8124")
    lines = out.splitlines()
    assert lines[0] == "Parley demo: http://127.0.0.1:8124/"
    assert lines[2] == "Consultation: http://127.0.0.1:8124/c/astana-2015-consultation/"
    assert lines[3] == "Negotiating text: http://127.0.0.1:8124/p/astana-2015/texts/joint-document/"
    assert "parley-demo" in lines[5] and "Local demo only" in lines[5]
    assert lines[7].split() == ["persona", "username", "password", "sees"]
    assert lines[8].startswith("Lead mediator ")
    assert served == [("127.0.0.1", 8124)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["demo", "--db", "x.sqlite3"], "x.sqlite3"), (["demo", "--db=/tmp/y"], "/tmp/y"),
     (["demo", "--port", "8000"], None)],
)  # fmt: skip
def test_the_database_option_is_read_before_settings_load(args, expected):
    assert database_option(args) == expected


def test_site_url_brackets_an_ipv6_host():
    assert serving.site_url("::1", 8000) == "http://[::1]:8000/"
