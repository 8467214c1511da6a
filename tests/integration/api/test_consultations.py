"""Conversation endpoints: one allowed and one denied case each, idempotent votes, anonymous
participation with the session and its CSRF token, and what the results never show."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from parley.consultation import actions
from parley.consultation.access import access_conversation
from parley.consultation.demo import load_demo_consultation
from parley.consultation.models import Conversation, Participant, Statement, Vote
from parley.consultation.recompute import recompute
from parley.core.visibility import Visibility
from parley.processes import actions as process_actions
from tests.consultations import SEEDS, open_conversation
from tests.integration.api.conftest import send
from tests.world import CANARY_MEDIATION, World

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/conversations"


def url(slug: str, *parts: str) -> str:
    return "/".join([ROOT, slug, *parts])


@pytest.fixture
def poll(world: World) -> Conversation:
    return open_conversation(world, "poll")


@pytest.fixture
def team_only(world: World) -> Conversation:
    return open_conversation(
        world, "team-poll", title=f"Team poll {CANARY_MEDIATION}",
        visibility=Visibility.MEDIATION.value,
    )  # fmt: skip


def pending(conversation: Conversation, text: str = "A participant's idea.") -> Statement:
    """Have an anonymous participant submit a statement (pending under strict moderation)."""
    access = access_conversation(AnonymousUser(), conversation.slug)
    author = actions.join(access=access, token="author")
    return actions.submit_statement(access=access, participant=author, text=text)


def browser() -> tuple[Client, str]:
    """Return an anonymous client holding a CSRF cookie, as a page would give it, and its token."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def cast(client: Client, slug: str, number: int, value: str) -> Any:
    return send(client, "POST", url(slug, "votes"), {"statement": number, "vote": value})


def post(client: Client, path: str, body: dict[str, Any], token: str = "") -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(path, json.dumps(body), "application/json", headers=headers)


# Conversations ---------------------------------------------------------------------------------


def test_anyone_lists_the_conversations_they_may_read(poll, team_only, client_for):
    slugs = {item["slug"] for item in client_for("anonymous").get(ROOT).json()}
    assert slugs == {"poll"}
    assert CANARY_MEDIATION not in client_for("observer").get(ROOT).content.decode()
    team = {item["slug"] for item in client_for("mediator").get(ROOT).json()}
    assert {"poll", "team-poll"} <= team


def test_anyone_signed_in_opens_a_standalone_conversation(client_for):
    response = send(client_for("outsider"), "POST", ROOT, {"title": "Our street"})
    assert response.status_code == 201
    data = response.json()
    assert data["process"] is None and data["can_manage"] and data["visibility"] == "public"
    assert data["slug"].startswith("our-street-")


def test_only_the_mediation_team_opens_one_in_its_process(world, client_for):
    body = {"title": "In talks", "process": "talks", "moderation": "open"}
    assert send(client_for("party_a_lead"), "POST", ROOT, body).status_code == 403
    assert send(client_for("anonymous"), "POST", ROOT, body).status_code == 401
    response = send(client_for("mediator"), "POST", ROOT, body)
    assert response.status_code == 201
    assert (response.json()["process"], response.json()["moderation"]) == ("talks", "open")


def test_a_process_one_may_not_see_reads_as_unknown(world, client_for):
    process_actions.create_process(
        exact_slug=True, user=world.users["mediator"],
        data={"slug": "closed", "title": "Closed", "visibility": Visibility.MEDIATION.value},
    )  # fmt: skip
    client = client_for("observer")
    hidden = send(client, "POST", ROOT, {"title": "X", "process": "closed"})
    missing = send(client, "POST", ROOT, {"title": "X", "process": "no-such-process"})
    assert hidden.status_code == 422
    assert hidden.content == missing.content
    assert hidden.json() == {"errors": {"process": ["No such process."]}}


def test_anyone_reads_a_public_conversation(poll, client_for):
    data = client_for("anonymous").get(url("poll")).json()
    assert data["title"] == "Poll"
    assert data["can_take_part"] and not data["can_manage"]


def test_a_hidden_conversation_reads_as_missing(team_only, client_for):
    client = client_for("party_a_lead")
    hidden = client.get(url("team-poll"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(url("no-such-poll")).content
    assert hidden.json() == {"detail": "No such conversation."}


def test_the_team_closes_a_conversation_and_no_one_else_may(poll, client_for):
    assert send(client_for("observer"), "PATCH", url("poll"), {"is_open": False}).status_code == 403
    response = send(client_for("mediator"), "PATCH", url("poll"), {"is_open": False})
    assert response.status_code == 200
    assert response.json()["is_open"] is False


def test_an_unknown_setting_is_refused(poll, client_for):
    response = send(client_for("mediator"), "PATCH", url("poll"), {"slug": "renamed"})
    assert response.status_code == 422
    assert response.json() == {"errors": {"slug": ["Unknown field."]}}


def test_a_hidden_round_is_not_named(world, client_for):
    """A public conversation tied to a mediation-only round does not give the round's key away."""
    from tests.world import add

    add(world, "rounds", key="secret-round", name="Secret", sequence=5, status="planned",
        visibility=Visibility.MEDIATION.value)  # fmt: skip
    open_conversation(world, "tied", round="secret-round")
    assert client_for("mediator").get(url("tied")).json()["round"] == "secret-round"
    observer = client_for("observer").get(url("tied"))
    assert observer.json()["round"] is None
    assert "secret-round" not in observer.content.decode()


# Statements ------------------------------------------------------------------------------------


def test_the_statements_are_the_shown_ones(poll, client_for):
    waiting = pending(poll)
    listed = client_for("anonymous").get(url("poll", "statements")).json()
    assert [item["text"] for item in listed] == list(SEEDS)
    assert waiting.text not in json.dumps(listed)
    assert set(listed[0]) == {"number", "text", "origin", "status", "is_meta"}  # no author


def test_the_statements_of_a_hidden_conversation_read_as_missing(team_only, client_for):
    assert client_for("observer").get(url("team-poll", "statements")).status_code == 404


def test_the_team_seeds_and_a_participant_submits(poll, client_for):
    seeded = send(client_for("mediator"), "POST", url("poll", "statements"), {"text": "Seeded."})
    assert seeded.status_code == 201
    assert (seeded.json()["status"], seeded.json()["origin"]) == ("accepted", "seed")
    submitted = send(client_for("observer"), "POST", url("poll", "statements"), {"text": "Mine."})
    assert submitted.status_code == 201
    assert (submitted.json()["status"], submitted.json()["origin"]) == ("pending", "participant")


def test_only_the_team_marks_a_statement_meta(poll, client_for):
    body = {"text": "About the poll.", "is_meta": True}
    assert send(client_for("observer"), "POST", url("poll", "statements"), body).status_code == 403
    assert not Statement.objects.filter(text="About the poll.").exists()


def test_an_anonymous_participant_submits_with_the_sessions_csrf_token(poll):
    client, token = browser()
    refused = post(client, url("poll", "statements"), {"text": "Forged."})
    assert refused.status_code == 403  # no CSRF token: a forged cross-site request
    assert not Statement.objects.filter(text="Forged.").exists()
    accepted = post(client, url("poll", "statements"), {"text": "From a visitor."}, token)
    assert accepted.status_code == 201
    assert accepted.json()["status"] == "pending"


def test_a_closed_conversation_takes_no_statements_from_participants(world, poll, client_for):
    team = access_conversation(world.users["mediator"], "poll")
    actions.update_conversation(access=team, data={"is_open": False})
    response = send(client_for("observer"), "POST", url("poll", "statements"), {"text": "Late."})
    assert response.status_code == 403
    assert response.json() == {"detail": "This conversation is closed."}


def test_the_team_moderates_and_no_one_else_may(poll, client_for):
    waiting = pending(poll)
    path = url("poll", "statements", str(waiting.number))
    refused = send(client_for("party_b_lead"), "PATCH", path, {"status": "accepted"})
    assert refused.status_code == 403
    response = send(client_for("mediator"), "PATCH", path, {"status": "accepted"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    meta = send(client_for("mediator"), "PATCH", path, {"is_meta": True})
    assert (meta.json()["status"], meta.json()["is_meta"]) == ("accepted", True)


def test_moderating_an_unknown_statement_says_so(poll, client_for):
    response = send(client_for("mediator"), "PATCH", url("poll", "statements", "99"), {})
    assert response.status_code == 404
    assert response.json() == {"detail": "No such statement."}


def test_the_moderation_queue_is_the_teams(poll, client_for):
    waiting = pending(poll)
    queue = client_for("mediator").get(url("poll", "moderation"))
    assert queue.status_code == 200
    assert queue.json()[0]["number"] == waiting.number  # pending first
    assert client_for("observer").get(url("poll", "moderation")).status_code == 403
    assert client_for("anonymous").get(url("poll", "moderation")).status_code == 401


# Voting ----------------------------------------------------------------------------------------


def test_next_gives_a_statement_until_every_one_is_voted(poll, client_for):
    client = client_for("observer")
    seen = set()
    for _ in SEEDS:
        statement = client.get(url("poll", "next")).json()
        seen.add(statement["number"])
        body = {"statement": statement["number"], "vote": "pass"}
        assert send(client, "POST", url("poll", "votes"), body).status_code == 201
    assert seen == {1, 2, 3}
    done = client.get(url("poll", "next"))
    assert done.status_code == 204 and done.content == b""


def test_next_of_a_hidden_conversation_reads_as_missing(team_only, client_for):
    assert client_for("outsider").get(url("team-poll", "next")).status_code == 404


def test_a_vote_is_committed_and_a_retry_adds_nothing(poll, client_for):
    client = client_for("party_a_member")
    body = {"statement": 2, "vote": "disagree", "client_key": "retry-me"}
    first = send(client, "POST", url("poll", "votes"), body)
    assert first.status_code == 201
    assert first.json() == {"statement": 2, "vote": "disagree", "client_key": "retry-me"}
    again = send(client, "POST", url("poll", "votes"), {**body, "vote": "agree"})
    assert again.status_code == 200
    assert again.json() == first.json()  # the vote recorded the first time
    assert Vote.objects.filter(conversation=poll).count() == 1


def test_a_later_vote_replaces_an_earlier_one(poll, client_for):
    client = client_for("observer")
    for value in ("agree", "disagree"):
        send(client, "POST", url("poll", "votes"), {"statement": 1, "vote": value})
    assert client.get(url("poll", "my-votes")).json() == {"1": "disagree"}


@pytest.mark.parametrize("status", ["rejected", "pending", "unknown"])
def test_a_vote_on_a_statement_that_takes_no_votes_is_refused(world, poll, client_for, status):
    number = 99
    if status != "unknown":
        statement = pending(poll)
        number = statement.number
        if status == "rejected":
            team = access_conversation(world.users["mediator"], "poll")
            actions.moderate_statement(access=team, statement=statement, status=status)
    body = {"statement": number, "vote": "agree"}
    response = send(client_for("observer"), "POST", url("poll", "votes"), body)
    assert response.status_code == 404
    assert response.json() == {"detail": "No such statement."}
    assert not Vote.objects.filter(conversation=poll).exists()


def test_a_closed_conversation_takes_no_votes(world, poll, client_for):
    team = access_conversation(world.users["mediator"], "poll")
    actions.update_conversation(access=team, data={"is_open": False})
    response = cast(client_for("observer"), "poll", 1, "agree")
    assert response.status_code == 403
    assert response.json() == {"detail": "This conversation is closed."}


def test_a_vote_must_be_agree_disagree_or_pass(poll, client_for):
    body = {"statement": 1, "vote": "maybe"}
    response = send(client_for("observer"), "POST", url("poll", "votes"), body)
    assert response.status_code == 422
    assert response.json() == {"errors": {"vote": ["Choose agree, disagree or pass."]}}


def test_a_hidden_conversation_takes_no_votes(team_only, client_for):
    client = client_for("observer")
    body = {"statement": 1, "vote": "agree"}
    hidden = send(client, "POST", url("team-poll", "votes"), body)
    assert hidden.status_code == 404
    assert hidden.content == send(client, "POST", url("no-such-poll", "votes"), body).content
    assert not Vote.objects.exists()


def test_an_anonymous_visitor_votes_with_the_session_and_its_csrf_token(poll):
    client, token = browser()
    body = {"statement": 1, "vote": "agree", "client_key": "k1"}
    assert post(client, url("poll", "votes"), body).status_code == 403  # no token
    assert not Vote.objects.exists()
    assert post(client, url("poll", "votes"), body, token).status_code == 201
    assert client.get(url("poll", "my-votes")).json() == {"1": "agree"}
    # Another visitor is another participant, and sees only their own votes.
    stranger, _ = browser()
    assert stranger.get(url("poll", "my-votes")).json() == {}


def test_anonymous_visitors_sign_in_where_the_conversation_asks_for_it(world):
    open_conversation(world, "members", allow_anonymous=False)
    client, token = browser()
    response = post(client, url("members", "votes"), {"statement": 1, "vote": "agree"}, token)
    assert response.status_code == 403
    assert response.json() == {"detail": "Sign in to take part in this conversation."}


def test_my_votes_are_mine_alone(poll, client_for):
    cast(client_for("party_a_lead"), "poll", 1, "agree")
    cast(client_for("party_b_lead"), "poll", 2, "disagree")
    assert client_for("party_a_lead").get(url("poll", "my-votes")).json() == {"1": "agree"}
    assert client_for("observer").get(url("poll", "my-votes")).json() == {}


def test_my_votes_in_a_hidden_conversation_read_as_missing(team_only, client_for):
    assert client_for("observer").get(url("team-poll", "my-votes")).status_code == 404


# Results ---------------------------------------------------------------------------------------


@pytest.fixture
def demo(world: World) -> Conversation:
    """The demo's illustrative consultation: 120 generated participants and an opinion map."""
    conversation, _ = load_demo_consultation(world.process, world.users["mediator"])
    return conversation


def test_the_results_are_the_public_summary(demo, client_for):
    response = client_for("anonymous").get(url(demo.slug, "results"))
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "snapshot", "computed_at", "n_votes", "n_participants", "min_group_size", "points",
        "groups", "consensus", "bridging", "segment_bridging", "divisive",
    }  # fmt: skip
    assert data["snapshot"] >= 1 and data["n_participants"] == 120
    assert all(len(point) == 3 for point in data["points"])  # x, y, group: nobody named
    best = data["bridging"][0]
    assert best["explanation"].startswith(f"limited by group {best['binding_group']}: ")
    assert data["segment_bridging"], "the demo compares its declared segments"


def test_the_results_name_no_participant(demo, client_for):
    text = client_for("observer").get(url(demo.slug, "results")).content.decode()
    pseudonyms = Participant.objects.filter(conversation=demo).values_list("pseudonym", flat=True)
    assert not [name for name in pseudonyms if name in text]
    assert "priorities" not in text  # routing weights stay off the public answer


def test_a_withheld_groups_members_are_in_no_group(world, demo, client_for):
    """Counting a group's points would tell its size: a withheld group's points are in none."""
    before = client_for("anonymous").get(url(demo.slug, "results")).json()
    sizes = sorted(group["size"] for group in before["groups"])
    assert len(sizes) >= 2 and sizes[0] < sizes[-1]
    team = access_conversation(world.users["mediator"], demo.slug)
    actions.update_conversation(access=team, data={"min_group_size": sizes[0] + 1})
    recompute(demo.pk)
    data = client_for("anonymous").get(url(demo.slug, "results")).json()
    withheld = {g["id"] for g in data["groups"] if g["withheld"]}
    shown = {g["id"] for g in data["groups"] if not g["withheld"]}
    assert withheld and shown
    in_points = {point[2] for point in data["points"]}
    assert not in_points & withheld
    assert shown <= in_points and -1 in in_points


def test_the_results_of_a_hidden_conversation_read_as_missing(team_only, client_for):
    client = client_for("party_b_lead")
    hidden = client.get(url("team-poll", "results"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(url("no-such-poll", "results")).content
