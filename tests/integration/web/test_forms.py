"""Writing through the pages: each form calls its action and shows the action's messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parley.audit.models import AuditEvent
from parley.processes.models import Citation, Position, Process, Round
from tests.world import World

pytestmark = pytest.mark.django_db


def new_url(kind: str) -> str:
    return reverse("web:record-create", args=["talks", kind])


def test_mediator_adds_a_round_and_the_action_audits_it(world: World, client_for):  # type: ignore[no-untyped-def]
    response = client_for("mediator").post(
        new_url("rounds"),
        {"name": "Moscow II", "sequence": "3", "status": "held", "starts_on": "2015-04",
         "visibility": "public"},
    )  # fmt: skip
    round_ = Round.objects.get(process=world.process, name="Moscow II")
    assert response.status_code == 302
    assert response["Location"] == f"/p/talks/rounds/{round_.key}/"
    assert round_.starts_on == "2015-04"
    event = AuditEvent.objects.get(verb="rounds.created", target_id=str(round_.pk))
    assert event.user == world.users["mediator"]


def test_the_new_round_reads_its_date_as_a_month(world: World, client_for):  # type: ignore[no-untyped-def]
    client = client_for("mediator")
    client.post(new_url("rounds"), {"name": "Moscow II", "key": "moscow-2", "sequence": "3",
                                    "status": "held", "starts_on": "2015-04",
                                    "visibility": "public"})  # fmt: skip
    page = client.get(reverse("web:process-detail", args=["talks"])).content.decode()
    assert "from April 2015" in page


def test_a_bad_date_shows_the_actions_message_on_its_field(world: World, client_for):  # type: ignore[no-untyped-def]
    response = client_for("mediator").post(
        new_url("rounds"),
        {
            "name": "Later",
            "sequence": "3",
            "status": "held",
            "starts_on": "spring",
            "visibility": "public",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"] == [
        "'spring' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    ]
    assert not Round.objects.filter(name="Later").exists()


def test_a_taken_key_is_refused_above_the_form(world: World, client_for):  # type: ignore[no-untyped-def]
    response = client_for("mediator").post(
        new_url("rounds"),
        {
            "name": "Again",
            "key": "round-1",
            "sequence": "1",
            "status": "held",
            "visibility": "public",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Round.objects.filter(process=world.process, key="round-1").count() == 1


def test_party_head_records_a_position_for_its_own_party(world: World, client_for):  # type: ignore[no-untyped-def]
    issue = world.rows["fighters"]
    response = client_for("party_a_lead").post(
        new_url("positions"),
        {"actor": world.party_a.pk, "issue": issue.pk, "stance": "opposes",
         "statement": "A changed its mind", "basis": "written", "visibility": "party"},
    )  # fmt: skip
    position = Position.objects.get(statement="A changed its mind")
    assert response.status_code == 302
    assert (position.actor, position.party, position.visibility) == (
        world.party_a, world.party_a, "party"
    )  # fmt: skip
    hidden = client_for("party_b_lead").get(reverse("web:process-detail", args=["talks"]))
    assert "A changed its mind" not in hidden.content.decode()


def test_party_head_may_not_record_another_partys_position(world: World, client_for):  # type: ignore[no-untyped-def]
    before = Position.objects.count()
    response = client_for("party_a_lead").post(
        new_url("positions"),
        {"actor": world.party_b.pk, "issue": world.rows["fighters"].pk, "stance": "supports",
         "basis": "written", "visibility": "party"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "actor" in response.context["form"].errors
    assert Position.objects.count() == before


def test_party_heads_form_offers_only_its_own_party(world: World, client_for):  # type: ignore[no-untyped-def]
    response = client_for("party_a_lead").get(new_url("positions") + "?actor=party-a")
    form = response.context["form"]
    assert list(form.fields["actor"].queryset) == [world.party_a]
    assert "party" not in form.fields
    assert form["actor"].value() == world.party_a.pk
    assert form["visibility"].value() == "party"


def test_positions_cannot_be_edited(world: World, client_for):  # type: ignore[no-untyped-def]
    url = reverse("web:record-edit", args=["talks", "positions", "pos-a"])
    for response in (client_for("mediator").get(url), client_for("mediator").post(url, {})):
        assert response.status_code == 403
        assert "Positions are append-only: record a new one." in response.content.decode()


def test_editing_a_round_changes_only_what_was_changed(world: World, client_for):  # type: ignore[no-untyped-def]
    url = reverse("web:record-edit", args=["talks", "rounds", "round-1"])
    client = client_for("mediator")
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["status"] = "failed"
    data.pop("is_illustrative")  # a browser leaves an unticked box out of the POST
    response = client.post(url, data)
    assert response.status_code == 302
    assert Round.objects.get(pk=world.rows["round-1"].pk).status == "failed"
    event = AuditEvent.objects.get(verb="rounds.updated")
    assert event.data == {"status": {"old": "held", "new": "failed"}}


def test_mediator_cites_a_source_for_a_round(world: World, client_for):  # type: ignore[no-untyped-def]
    url = reverse("web:record-cite", args=["talks", "rounds", "round-1"])
    response = client_for("mediator").post(
        url,
        {
            "source": world.rows["report"].pk,
            "quote": "talks opened",
            "locator": "para 2",
            "field": "starts_on",
        },  # fmt: skip
    )
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (citation.target, citation.field, citation.quote) == (
        world.rows["round-1"], "starts_on", "talks opened"
    )  # fmt: skip


def test_anyone_signed_in_opens_a_process_and_becomes_its_mediator(world: World, client_for):  # type: ignore[no-untyped-def]
    client = client_for("outsider")
    response = client.post(reverse("web:process-create"), {
        "slug": "new-talks", "title": "New talks", "phase": "exploratory", "visibility": "process",
    })  # fmt: skip
    assert response.status_code == 302
    process = Process.objects.get(slug__startswith="new-talks-")  # random suffix, see the action
    assert response["Location"] == reverse("web:process-detail", args=[process.slug])
    assert client.get(reverse("web:process-audit", args=[process.slug])).status_code == 200


def test_mediator_edits_the_process(world: World, client_for):  # type: ignore[no-untyped-def]
    url = reverse("web:process-edit", args=["talks"])
    client = client_for("mediator")
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.pop("is_illustrative")  # a browser leaves an unticked box out of the POST
    response = client.post(url, {**data, "title": "Talks in Moscow"})
    assert response.status_code == 302
    assert Process.objects.get(pk=world.process.pk).title == "Talks in Moscow"
