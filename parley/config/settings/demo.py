"""Settings for `parley demo` and `parley serve` on one machine."""

from __future__ import annotations

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("PARLEY_DEBUG") == "1"
