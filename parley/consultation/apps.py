from __future__ import annotations

from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "parley.consultation"
    label = "consultation"
    verbose_name = "Consultation"
