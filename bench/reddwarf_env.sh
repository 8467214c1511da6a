#!/usr/bin/env bash
# Create bench/.venv-reddwarf with red-dwarf 0.4.0, the reference Parley's opinion map is
# benchmarked against. It is never a dependency of Parley: only bench/reddwarf_run.py runs in it.
#
# Run: bench/reddwarf_env.sh            (PYTHON=python3.12 bench/reddwarf_env.sh for another one)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-reddwarf"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# Pinned: the numbers in bench/README.md and the research note (polis.md §3) are for 0.4.0.
"$venv/bin/python" -m pip install --quiet "red-dwarf==0.4.0"
"$venv/bin/python" -c 'import importlib.metadata as m; print("red-dwarf", m.version("red-dwarf"), "in", __import__("sys").prefix)'
