#!/usr/bin/env python
"""Django's manage.py, for contributors; users run the `parley` command instead."""

from __future__ import annotations

from parley.cli.main import main

if __name__ == "__main__":
    main()
