"""What the pages never tell: other parties' canaries, and whether a hidden row exists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.world import ALL_CANARIES, CANARY_A, CANARY_B, ENTITLED, PERSONAS, World, add

pytestmark = pytest.mark.django_db

READ_PAGES = [
    ("process-detail", ("talks",)),
    ("process-timeline", ("talks",)),
    ("record-detail", ("talks", "issues", "fighters")),
    ("record-detail", ("talks", "positions", "pos-a-public")),
]


def test_party_b_never_reads_party_as_canary(world: World, client_for):  # type: ignore[no-untyped-def]
    page = client_for("party_b_lead").get(reverse("web:process-detail", args=["talks"]))
    assert page.status_code == 200
    assert CANARY_A not in page.content.decode()
    assert CANARY_B in page.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_carries_only_entitled_canaries(world, client_for, persona):  # type: ignore[no-untyped-def]
    client = client_for(persona)
    for name, args in READ_PAGES:
        text = client.get(reverse(f"web:{name}", args=args)).content.decode()
        assert not {c for c in ALL_CANARIES - ENTITLED[persona] if c in text}, name


def test_the_position_history_shows_what_the_party_may_read(world: World, client_for):  # type: ignore[no-untyped-def]
    """Party A's members read both its lines on the public position's page; others one."""
    url = reverse("web:record-detail", args=["talks", "positions", "pos-a-public"])
    member = client_for("party_a_member").get(url).content.decode()
    outsider = client_for("outsider").get(url).content.decode()
    assert CANARY_A in member and "A&#x27;s public line" in member
    assert "A&#x27;s public line" in outsider


@pytest.mark.parametrize("persona", ["party_b_lead", "outsider", "anonymous"])
def test_a_hidden_record_and_a_missing_one_get_the_same_404(world, client_for, persona):  # type: ignore[no-untyped-def]
    client = client_for(persona)
    hidden = client.get(reverse("web:record-detail", args=["talks", "positions", "pos-a"]))
    missing = client.get(reverse("web:record-detail", args=["talks", "positions", "no-such"]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_hidden_and_missing_processes_kinds_and_paths_get_the_same_404(world, client_for):  # type: ignore[no-untyped-def]
    from parley.processes import actions

    actions.create_process(
        exact_slug=True,
        user=world.users["mediator"],
        data={"slug": "hidden", "title": "Hidden", "visibility": "mediation"},
    )
    client = client_for("party_b_lead")
    bodies = {
        client.get(url).content
        for url in ["/p/hidden/", "/p/nothing-here/", "/p/talks/no-kind/x/",
                    "/p/talks/issues/lead-note/", "/p/hidden/audit/", "/p/talks/audit/",
                    "/no/such/page/"]
    }  # fmt: skip
    assert len(bodies) == 1


def test_a_reference_to_a_hidden_row_reads_not_disclosed(world: World, client_for):  # type: ignore[no-untyped-def]
    venue = add(world, "venues", key="safe-house", name="Safe house", visibility="mediation")
    add(world, "rounds", key="round-x", name="Round X", sequence=5, venue=venue)
    outsider = client_for("outsider").get("/p/talks/").content.decode()
    mediator = client_for("mediator").get("/p/talks/").content.decode()
    assert "Venue: not disclosed" in outsider and "Safe house" not in outsider
    assert "Venue: Safe house" in mediator
    detail = client_for("outsider").get("/p/talks/rounds/round-x/").content.decode()
    assert "not disclosed" in detail and "Safe house" not in detail


def test_the_audit_log_hides_lead_only_rows_from_a_co_mediator(world: World, client_for):  # type: ignore[no-untyped-def]
    from parley.core.visibility import Visibility
    from parley.processes.roles import Role

    person = add(world, "people", key="co", display_name="Co", visibility="mediation")
    world.users["outsider"].people.add(person)  # type: ignore[union-attr]
    add(world, "role-assignments", key="role-co", role=Role.CO_MEDIATOR, person=person,
        visibility=Visibility.MEDIATION.value)  # fmt: skip
    log = client_for("outsider").get("/p/talks/audit/")
    assert log.status_code == 200
    assert "issues.created" in log.content.decode()
    assert "CANARY-LEAD" not in log.content.decode()
    assert "CANARY-LEAD" in client_for("mediator").get("/p/talks/audit/").content.decode()


def test_a_record_whose_required_reference_is_hidden_still_renders(world, client_for):
    """A public position on a mediation-only issue: the page shows it, the issue undisclosed."""
    from tests.world import add

    hidden = add(world, "issues", key="hidden-issue", title="Hidden issue", visibility="mediation")
    add(world, "positions", key="on-hidden", actor=world.party_a, issue=hidden,
        statement="Public words", visibility="public")  # fmt: skip
    for url in (f"/p/{world.process.slug}/positions/on-hidden/", f"/p/{world.process.slug}/"):
        page = client_for("outsider").get(url).content.decode()
        assert "Hidden issue" not in page, url
    detail = client_for("outsider").get(f"/p/{world.process.slug}/positions/on-hidden/")
    assert detail.status_code == 200
    assert "not disclosed" in detail.content.decode()
