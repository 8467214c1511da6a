"""The real `parley demo` command in a subprocess, on a fresh SQLite file given by --db."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from parley.processes.demo import DEMO_LOGINS, DEMO_PASSWORD

PARLEY = Path(sys.executable).with_name("parley")


def parley(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `parley` command as a user would, with no test settings around."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    return subprocess.run(
        [str(PARLEY), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_demo_prints_the_logins_and_a_second_run_reuses_the_data(tmp_path):
    db = tmp_path / "demo.sqlite3"
    first = parley("demo", "--no-serve", "--db", str(db))
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == "Parley demo: http://127.0.0.1:8000/"
    assert "(astana-2015, loaded)" in lines[1]
    for login in DEMO_LOGINS:
        persona, sees = re.escape(login.persona), re.escape(login.sees)
        row = rf"^{persona} +{login.username} +{DEMO_PASSWORD} +{sees}$"
        assert re.search(row, first.stdout, re.MULTILINE), login

    second = parley("demo", "--no-serve", "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert "(astana-2015, already there, reused)" in second.stdout
    with sqlite3.connect(db) as connection:
        count = connection.execute("select count(*) from processes_process").fetchone()[0]
        users = connection.execute("select count(*) from accounts_user").fetchone()[0]
    assert (count, users) == (1, len(DEMO_LOGINS) + 1)  # and the system user
