"""Fixtures for the web pages' tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _static_root(settings: Any, tmp_path: Any) -> None:
    """Point STATIC_ROOT at a directory that exists: WhiteNoise warns (an error here) if not.

    The shared setting names ./staticfiles, which only `collectstatic` creates.
    """
    settings.STATIC_ROOT = str(tmp_path)
