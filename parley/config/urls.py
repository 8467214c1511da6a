"""Every URL Parley serves. The access-matrix test walks this resolver."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("parley.api.urls")),
    path("", include("parley.web.urls")),
]
