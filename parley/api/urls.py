"""The API's URLs, included by parley.config.urls at api/v1/."""

from __future__ import annotations

from django.urls import path

from parley.api.api import api

urlpatterns = [path("", api.urls)]
