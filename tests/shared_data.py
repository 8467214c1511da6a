"""Where the shared research data lives: Pol.is openData conversations and math fixtures.

They are not in the repository (CC BY 4.0 and MPL-2.0 data kept beside it). PARLEY_SHARED_DIR
names the folder; without it, `shared/` beside the checkout. scripts/test sets the variable
when the checkout lives elsewhere (a CI clone). Tests that need the data fail, never skip, when
it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PARLEY_SHARED_DIR") or REPO_ROOT.parent / "shared")
POLIS = SHARED / "data" / "polis"
MATH_FIXTURES = SHARED / "data" / "polis-math-fixtures"
