from __future__ import annotations

from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "parley.processes"
    label = "processes"
