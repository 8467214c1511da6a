"""One allowed and one denied request per page, persona by persona (see tests/world.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parley.core.visibility import Visibility
from parley.processes import actions
from tests.world import World

pytestmark = pytest.mark.django_db

SIGN_IN = "/login/?next="
ROUND = ("talks", "rounds", "round-1")
POSITION_A = ("talks", "positions", "pos-a")

# (page name, URL arguments, persona, expected status). 302 means "sent to sign in".
CASES = [
    ("home", (), "anonymous", 200),
    ("login", (), "anonymous", 200),
    ("healthz", (), "anonymous", 200),
    ("process-create", (), "outsider", 200),
    ("process-create", (), "anonymous", 302),
    ("process-detail", ("talks",), "anonymous", 200),
    ("process-detail", ("hidden",), "outsider", 404),
    ("process-timeline", ("talks",), "observer", 200),
    ("process-timeline", ("hidden",), "party_a_lead", 404),
    ("process-edit", ("talks",), "mediator", 200),
    ("process-edit", ("talks",), "party_a_lead", 403),
    ("process-edit", ("talks",), "anonymous", 302),
    ("process-audit", ("talks",), "mediator", 200),
    ("process-audit", ("talks",), "party_a_lead", 404),
    ("process-audit", ("talks",), "anonymous", 404),
    ("record-create", ("talks", "rounds"), "mediator", 200),
    ("record-create", ("talks", "rounds"), "party_b_lead", 403),
    ("record-create", ("talks", "rounds"), "anonymous", 302),
    ("record-create", ("talks", "positions"), "party_a_lead", 200),
    ("record-create", ("talks", "positions"), "party_a_member", 403),
    ("record-create", ("talks", "no-such-kind"), "mediator", 404),
    ("record-create", ("hidden", "rounds"), "outsider", 404),
    ("record-detail", POSITION_A, "party_a_member", 200),
    ("record-detail", POSITION_A, "party_b_lead", 404),
    ("record-detail", ROUND, "anonymous", 200),
    ("record-edit", ROUND, "mediator", 200),
    ("record-edit", ROUND, "observer", 403),
    ("record-edit", ROUND, "anonymous", 302),
    ("record-edit", POSITION_A, "mediator", 403),
    ("record-edit", POSITION_A, "party_b_lead", 404),
    ("record-cite", ROUND, "mediator", 200),
    ("record-cite", ROUND, "party_a_lead", 403),
    ("record-cite", POSITION_A, "observer", 404),
]


@pytest.fixture
def hidden_process(world: World) -> None:
    """Add a process only its participants may open: its mediator, none of the other personas."""
    actions.create_process(
        exact_slug=True,
        user=world.users["mediator"],
        data={"slug": "hidden", "title": "Hidden talks", "visibility": Visibility.PROCESS.value},
    )


@pytest.mark.parametrize(("name", "args", "persona", "status"), CASES)
def test_page_answers_each_persona(hidden_process, client_for, name, args, persona, status):  # type: ignore[no-untyped-def]
    """Each page answers 200, 302 (sign in), 403 (visible, not allowed) or 404 (hidden)."""
    url = reverse(f"web:{name}", args=args)
    response = client_for(persona).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == SIGN_IN + url


def test_home_lists_only_the_processes_the_viewer_may_open(hidden_process, client_for):  # type: ignore[no-untyped-def]
    """The mediator of the hidden process sees it listed; an outsider does not."""
    assert "Hidden talks" in client_for("mediator").get("/").content.decode()
    outsider = client_for("outsider").get("/").content.decode()
    assert "Talks" in outsider
    assert "Hidden talks" not in outsider


def test_home_offers_to_open_a_process_only_when_signed_in(client_for):  # type: ignore[no-untyped-def]
    assert "Open a process" in client_for("outsider").get("/").content.decode()
    assert "Open a process" not in client_for("anonymous").get("/").content.decode()


def test_sign_in_with_the_right_password_goes_home(world, client):  # type: ignore[no-untyped-def]
    from tests.world import PASSWORD

    user = world.users["observer"]
    wrong = client.post("/login/", {"username": user.username, "password": "nope"})
    assert wrong.status_code == 200
    assert "Sign in" in wrong.content.decode()
    right = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == reverse("web:home")


def test_sign_out_needs_a_post(client_for):  # type: ignore[no-untyped-def]
    client = client_for("observer")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert "Open a process" not in client.get("/").content.decode()


def test_healthz_says_ok_while_the_database_answers(db, client):  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_healthz_answers_503_when_the_database_does_not(db, client, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    from parley.web.views import home

    class Unreachable:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(home, "connection", Unreachable())
    assert client.get("/healthz").status_code == 503
