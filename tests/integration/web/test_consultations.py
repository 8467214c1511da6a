"""Consultation pages: one allowed and one denied case per page, the voting flow without
JavaScript, moderation, the results and their privacy, and the live-update stream."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from parley.consultation import actions, live
from parley.consultation.access import access_conversation
from parley.consultation.demo import load_demo_consultation
from parley.consultation.models import Conversation, Participant, Statement, Vote
from parley.consultation.queries import latest_snapshot
from parley.consultation.recompute import recompute
from parley.core.visibility import Visibility
from parley.web import opinion_map
from parley.web.views import consultations as views
from parley.web.views import live as live_view
from tests.consultations import SEEDS, open_conversation
from tests.world import CANARY_MEDIATION, World

pytestmark = pytest.mark.django_db

SIGN_IN = "/login/?next="


@pytest.fixture
def poll(world: World) -> Conversation:
    return open_conversation(world, "poll")


@pytest.fixture
def team_only(world: World) -> Conversation:
    """A conversation only the mediation team may read, its title carrying the canary."""
    return open_conversation(
        world, "team-poll", title=f"Team poll {CANARY_MEDIATION}",
        visibility=Visibility.MEDIATION.value,
    )  # fmt: skip


def card(slug: str, *rest: str) -> str:
    return "/".join(["", "c", slug, *rest, ""]).replace("//", "/")


def vote(client: Client, slug: str, number: int, value: str, key: str = "", **more: str) -> Any:
    data = {"statement": str(number), "vote": value, "client_key": key, **more}
    return client.post(card(slug, "vote"), data)


def shown_number(response: Any) -> int:
    """Return the number of the statement the card shows."""
    found = re.search(r'name="statement" value="(\d+)"', response.content.decode())
    assert found, "the card shows no statement"
    return int(found.group(1))


# The voting card -----------------------------------------------------------------------------


def test_anyone_reads_a_public_card_with_three_real_buttons(poll, client_for):
    response = client_for("anonymous").get(card("poll"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have voted on 0 of 3 statements." in page
    for value, label in [("agree", "Agree"), ("disagree", "Disagree"), ("pass", "Pass")]:
        assert re.search(rf'<button type="submit" name="vote" value="{value}"[^>]*>{label}', page)
    assert 'name="client_key" value="' in page
    assert "accesskey" not in page


def test_a_hidden_conversation_reads_as_missing(team_only, client_for):
    client = client_for("party_a_lead")
    hidden = client.get(card("team-poll"))
    assert hidden.status_code == 404
    assert hidden.content == client.get(card("no-such-poll")).content
    assert CANARY_MEDIATION not in hidden.content.decode()
    assert client_for("mediator").get(card("team-poll")).status_code == 200


def test_an_anonymous_visitor_votes_card_by_card_without_javascript(poll, client_for):
    client = client_for("anonymous")
    first = shown_number(client.get(card("poll")))
    response = vote(client, "poll", first, "agree", "key-1")
    assert response.status_code == 302
    assert response["Location"] == card("poll")
    after = client.get(card("poll"))
    assert "You have voted on 1 of 3 statements." in after.content.decode()
    assert shown_number(after) != first
    token = client.session[views.TOKEN_KEY]
    participant = Participant.objects.get(conversation=poll, token=token)
    assert list(Vote.objects.filter(participant=participant).values_list("value", flat=True)) == [1]


def test_a_resent_card_counts_once(poll, client_for):
    """The browser resends the form (a reload, a retry): the card's client_key makes it one."""
    client = client_for("observer")
    number = shown_number(client.get(card("poll")))
    for _ in range(2):
        assert vote(client, "poll", number, "disagree", "same-card").status_code == 302
    assert Vote.objects.filter(conversation=poll).count() == 1


def test_every_vote_finishes_the_cards(poll, client_for):
    client = client_for("observer")
    for _ in SEEDS:
        vote(client, "poll", shown_number(client.get(card("poll"))), "pass")
    page = client.get(card("poll")).content.decode()
    assert "You have voted on every statement" in page
    assert "You have voted on 3 of 3 statements." in page


@pytest.mark.parametrize("status", ["rejected", "pending", "unknown"])
def test_a_vote_on_a_statement_that_takes_no_votes_says_so(world, poll, client_for, status):
    number = 99
    if status != "unknown":
        access = access_conversation(AnonymousUser(), "poll")
        author = actions.join(access=access, token="author")
        statement = actions.submit_statement(access=access, participant=author, text="New idea")
        number = statement.number
        if status == "rejected":
            team = access_conversation(world.users["mediator"], "poll")
            actions.moderate_statement(access=team, statement=statement, status=status)
    response = vote(client_for("observer"), "poll", number, "agree")
    assert response.status_code == 404
    assert "this statement does not exist, waits for the moderators, or was withdrawn" in (
        response.content.decode()
    )
    assert not Vote.objects.filter(conversation=poll).exists()


def test_a_closed_conversation_says_so_and_takes_no_votes(world, poll, client_for):
    team = access_conversation(world.users["mediator"], "poll")
    actions.update_conversation(access=team, data={"is_open": False})
    client = client_for("observer")
    page = client.get(card("poll")).content.decode()
    assert "This consultation is closed" in page
    assert 'name="vote"' not in page
    response = vote(client, "poll", 1, "agree")
    assert response.status_code == 403
    assert "This conversation is closed." in response.content.decode()
    assert not Vote.objects.filter(conversation=poll).exists()


def test_signed_in_only_conversations_ask_anonymous_visitors_to_sign_in(world, client_for):
    open_conversation(world, "members", allow_anonymous=False)
    client = client_for("anonymous")
    page = client.get(card("members")).content.decode()
    assert "Sign in</a> to take part" in page
    assert 'name="vote"' not in page
    assert vote(client, "members", 1, "agree").status_code == 403
    assert views.TOKEN_KEY not in client.session  # a refused visitor gets no participant token


def test_the_first_vote_asks_for_a_segment_when_segments_are_compared(world, client_for):
    open_conversation(world, "segmented", comparison="segments", segments=["North", "South"])
    client = client_for("party_b_lead")
    page = client.get(card("segmented")).content.decode()
    assert '<select name="segment" id="segment" required>' in page
    assert vote(client, "segmented", 1, "agree").status_code == 400  # no segment chosen
    assert vote(client, "segmented", 1, "agree", segment="South").status_code == 302
    participant = Participant.objects.get(user=world.users["party_b_lead"])
    assert participant.segment == "South"
    assert 'name="segment"' not in client.get(card("segmented")).content.decode()


# Writing and moderating statements -----------------------------------------------------------


def test_a_participants_statement_waits_in_the_moderation_queue(world, poll, client_for):
    writer = client_for("anonymous")
    assert writer.get(card("poll", "statements/new")).status_code == 200
    response = writer.post(card("poll", "statements/new"), {"text": "Elections within a year."})
    assert response.status_code == 302
    statement = Statement.objects.get(conversation=poll, text="Elections within a year.")
    assert statement.status == Statement.Status.PENDING
    # Strict moderation: nobody votes on it yet, the team finds it first in the queue.
    observer = client_for("observer").get(card("poll")).content.decode()
    assert "Elections within a year." not in observer
    queue = client_for("mediator").get(card("poll", "moderation")).content.decode()
    waiting = queue.split('id="queue-heading"')[1].split('id="all-heading"')[0]
    assert "Elections within a year." in waiting


def test_the_team_seeds_a_statement_accepted_at_once(poll, client_for):
    response = client_for("mediator").post(
        card("poll", "statements/new"), {"text": "About this poll.", "is_meta": "on"}
    )
    assert response.status_code == 302
    statement = Statement.objects.get(conversation=poll, text="About this poll.")
    assert (statement.status, statement.is_meta, statement.origin) == ("accepted", True, "seed")


def test_an_empty_statement_is_refused_with_the_actions_words(poll, client_for):
    response = client_for("observer").post(card("poll", "statements/new"), {"text": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert Statement.objects.filter(conversation=poll).count() == len(SEEDS)


def test_the_team_accepts_a_statement_and_others_may_not(world, poll, client_for):
    access = access_conversation(AnonymousUser(), "poll")
    author = actions.join(access=access, token="author")
    statement = actions.submit_statement(access=access, participant=author, text="A new idea.")
    url = card("poll", f"statements/{statement.number}/moderate")
    refused = client_for("party_a_lead").post(url, {"decision": "accept"})
    assert refused.status_code == 403
    assert client_for("anonymous").post(url, {"decision": "accept"})["Location"] == SIGN_IN + url
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PENDING
    response = client_for("mediator").post(url, {"decision": "accept"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED


def test_only_the_team_opens_the_moderation_page(team_only, poll, client_for):
    url = card("poll", "moderation")
    assert client_for("mediator").get(url).status_code == 200
    assert client_for("observer").get(url).status_code == 403
    assert client_for("anonymous").get(url)["Location"] == SIGN_IN + url
    assert client_for("observer").get(card("team-poll", "moderation")).status_code == 404


# Results ---------------------------------------------------------------------------------------


@pytest.fixture
def demo(world: World) -> Conversation:
    """The demo's illustrative consultation: 120 generated participants and an opinion map."""
    conversation, _ = load_demo_consultation(world.process, world.users["mediator"])
    return conversation


def test_the_results_draw_the_opinion_map_on_the_server(demo, client_for):
    response = client_for("anonymous").get(card(demo.slug, "results"))
    assert response.status_code == 200
    page = response.content.decode()
    snapshot = latest_snapshot(demo)
    assert snapshot is not None
    assert f"Results as of {snapshot.n_votes} votes" in page
    assert re.search(r'<svg viewBox="[^"]+" role="img" aria-labelledby="map-title map-desc"', page)
    assert '<title id="map-title">' in page and '<desc id="map-desc">' in page
    assert '<table class="map-table">' in page
    shown = [g for g in snapshot.result["groups"] if not g["withheld"]]
    assert shown, "the demo's map should show groups"
    for group in shown:
        assert f"Group {group['label']} · {group['size']} participants" in page
    assert "limited by group " in page  # common ground names the group that limits it


def test_the_results_name_no_participant_and_show_no_ones_votes(demo, world, client_for):
    client = client_for("party_a_member")
    vote(client, demo.slug, shown_number(client.get(card(demo.slug))), "agree", "mine")
    page = client_for("observer").get(card(demo.slug, "results")).content.decode()
    pseudonyms = Participant.objects.filter(conversation=demo).values_list("pseudonym", flat=True)
    assert pseudonyms
    assert not [name for name in pseudonyms if name in page]
    assert world.users["party_a_member"].get_username() not in page
    assert "priorities" not in page


def test_small_groups_are_withheld(world, poll, client_for, django_capture_on_commit_callbacks):
    """Three voters: fewer than the minimum group size of five, so no one is placed."""
    with django_capture_on_commit_callbacks(execute=True):  # the recompute runs on commit
        for persona in ("observer", "party_a_lead", "party_b_lead"):
            client = client_for(persona)
            for _ in SEEDS:
                vote(client, "poll", shown_number(client.get(card("poll"))), "agree")
    page = client_for("anonymous").get(card("poll", "results")).content.decode()
    assert "Results as of 9 votes from 3 participants" in page
    assert "<circle" not in page and "<polygon" not in page


def test_a_withheld_group_is_said_so_and_its_members_drawn_in_no_group(world, demo, client_for):
    snapshot = latest_snapshot(demo)
    assert snapshot is not None
    sizes = sorted(group["size"] for group in snapshot.result["groups"])
    team = access_conversation(world.users["mediator"], demo.slug)
    actions.update_conversation(access=team, data={"min_group_size": sizes[0] + 1})
    recompute(demo.pk)
    page = client_for("anonymous").get(card(demo.slug, "results")).content.decode()
    assert f"Fewer than {sizes[0] + 1} participants: withheld." in page
    grey = page.count(f'fill="{opinion_map.NO_GROUP}"')
    assert grey >= sizes[0]  # the withheld group's members, drawn as in no group
    assert f"({sizes[0]})" not in page.split("<svg")[1].split("</svg>")[0]  # no size in the legend


def test_a_hidden_conversations_results_read_as_missing(team_only, client_for):
    client = client_for("public_participant")
    response = client.get(card("team-poll", "results"))
    assert response.status_code == 404
    assert response.content == client.get(card("no-such-poll", "results")).content


def test_the_results_fragment_is_the_results_part_alone(demo, client_for):
    response = client_for("anonymous").get(card(demo.slug, "results") + "?fragment=1")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div class="results" data-version="')
    assert "<html" not in page and "<svg" in page


# Live updates ----------------------------------------------------------------------------------


def collect(events: AsyncIterator[str]) -> list[str]:
    async def run() -> list[str]:
        return [event async for event in events]

    return async_to_sync(run)()


def test_the_stream_sends_the_version_then_each_change_then_heartbeats():
    versions = iter([3, 3, 4, 4, *([4] * live_view.HEARTBEAT_POLLS)])

    async def read_version() -> int:
        return next(versions)

    async def clock() -> AsyncIterator[None]:
        for _ in range(2 + live_view.HEARTBEAT_POLLS):
            yield None

    events = collect(live_view.results_events(read_version, clock()))
    assert events[0] == 'retry: 3000\nevent: results\ndata: {"version": 3}\n\n'
    assert events[1] == 'event: results\ndata: {"version": 4}\n\n'
    assert events[2:] == [": still here\n\n"]


def test_the_stream_announces_a_new_snapshot(world, poll, django_capture_on_commit_callbacks):
    """Votes between two ticks make a new opinion map; the next tick announces its number."""
    conversation_id = poll.pk
    observer = access_conversation(world.users["observer"], "poll")

    async def read_version() -> int:
        from asgiref.sync import sync_to_async

        return await sync_to_async(live.current_version)(conversation_id)

    def vote_everything() -> None:
        participant = actions.join(access=observer, token=None)
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(1, len(SEEDS) + 1):
                actions.cast_vote(access=observer, participant=participant,
                                  statement_number=number, value="agree")  # fmt: skip

    async def clock() -> AsyncIterator[None]:
        from asgiref.sync import sync_to_async

        yield None  # nothing new yet
        await sync_to_async(vote_everything)()
        yield None

    events = collect(live_view.results_events(read_version, clock()))
    snapshot = latest_snapshot(poll)
    assert snapshot is not None
    assert events[0].endswith('data: {"version": 0}\n\n')
    assert events[1:] == [f'event: results\ndata: {{"version": {snapshot.number}}}\n\n']


def test_the_events_url_answers_readers_and_hides_from_others(team_only, client_for):
    reader = client_for("mediator").get(card("team-poll") + "events")
    assert reader.status_code == 200
    assert reader["Content-Type"] == "text/event-stream"
    assert reader.content == b'event: results\ndata: {"version": 0}\n\n'
    other = client_for("observer")
    hidden = other.get(card("team-poll") + "events")
    assert hidden.status_code == 404
    assert hidden.content == other.get(card("no-such-poll") + "events").content


def test_an_event_source_gets_a_stream(poll, client_for):
    response = client_for("anonymous").get(card("poll") + "events", HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 200
    assert response.streaming and response.is_async

    async def first() -> bytes:
        stream = aiter(response.streaming_content)
        try:
            return await anext(stream)
        finally:
            await stream.aclose()

    assert async_to_sync(first)() == b'retry: 3000\nevent: results\ndata: {"version": 0}\n\n'


# Opening consultations -----------------------------------------------------------------------

NEW = {"title": "Our street", "visibility": "public", "moderation": "strict",
       "comparison": "none", "allow_anonymous": "on", "min_group_size": "5"}  # fmt: skip


def test_anyone_signed_in_opens_a_standalone_consultation_with_seeds(world, client_for):
    client = client_for("outsider")
    assert client.get("/consultations/new/").status_code == 200
    response = client.post("/consultations/new/", {**NEW, "seeds": "More trees.\n\nFewer cars.\n"})
    assert response.status_code == 302
    conversation = Conversation.objects.get(title="Our street")
    assert response["Location"] == card(conversation.slug)
    assert conversation.process is None and conversation.convener == world.users["outsider"]
    texts = Statement.objects.filter(conversation=conversation).values_list("text", "status")
    assert list(texts) == [("More trees.", "accepted"), ("Fewer cars.", "accepted")]


def test_a_bad_seed_line_opens_nothing(client_for):
    response = client_for("outsider").post(
        "/consultations/new/", {**NEW, "seeds": "Fine.\n" + "x" * 400}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["seeds"]
    assert not Conversation.objects.filter(title="Our street").exists()


def test_anonymous_visitors_sign_in_to_open_one(client_for):
    response = client_for("anonymous").get("/consultations/new/")
    assert response["Location"] == SIGN_IN + "/consultations/new/"


def test_the_mediation_team_opens_one_in_its_process(world, client_for):
    url = f"/p/{world.process.slug}/consultations/new/"
    assert client_for("party_a_lead").post(url, NEW).status_code == 403
    assert not Conversation.objects.exists()
    response = client_for("mediator").post(url, {**NEW, "segments": "North\nSouth"})
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.process == world.process and conversation.segments == ["North", "South"]


def test_the_process_page_lists_the_conversations_the_viewer_may_read(team_only, poll, client_for):
    mediator = client_for("mediator").get("/p/talks/").content.decode()
    assert "Team poll" in mediator and "/p/talks/consultations/new/" in mediator
    observer = client_for("observer").get("/p/talks/").content.decode()
    assert card("poll") in observer
    assert "Team poll" not in observer and CANARY_MEDIATION not in observer
    assert "/p/talks/consultations/new/" not in observer


def test_the_home_page_lists_public_standalone_conversations(client_for):
    outsider = client_for("outsider")
    outsider.post("/consultations/new/", NEW)
    outsider.post("/consultations/new/", {**NEW, "title": "Mine", "visibility": "mediation"})
    page = client_for("anonymous").get("/").content.decode()
    assert "Our street" in page and "Mine" not in page
    assert "Mine" in client_for("outsider").get("/").content.decode()
