from __future__ import annotations

from django.apps import AppConfig


class TextsConfig(AppConfig):
    name = "parley.texts"
    label = "texts"
    verbose_name = "Negotiating texts"
