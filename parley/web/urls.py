from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "web"


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Parley")


urlpatterns = [path("", home, name="home"), path("login/", home, name="login")]
