"""The process page and timeline: what they say about each kind of fact, and at what cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.roles import Role, RoleStatus
from tests.world import World, add

pytestmark = pytest.mark.django_db

PAGE = "/p/talks/"


def text_for(client_for, persona: str, url: str = PAGE) -> str:  # type: ignore[no-untyped-def]
    response = client_for(persona).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_badges_name_the_audience_of_each_confidential_row(world: World, client_for):  # type: ignore[no-untyped-def]
    add(world, "rounds", key="demo-round", name="Invented round", sequence=9, is_illustrative=True)
    page = text_for(client_for, "mediator")
    assert "Party: Party A only" in page
    assert "Party: Party B only" in page
    assert "Mediation team only" in page
    assert "Illustrative — not historical" in page
    assert "Party: Party B only" not in text_for(client_for, "party_a_lead")


def test_people_are_named_only_as_their_consent_allows(world: World, client_for):  # type: ignore[no-untyped-def]
    add(world, "people", key="p-public", display_name="Public Name", consent_to_be_named="public")
    add(world, "people", key="p-process", display_name="Process Name", pseudonym="Delegate 7",
        consent_to_be_named="process")  # fmt: skip
    add(world, "people", key="p-none", display_name="Secret Name", consent_to_be_named="none")
    add(world, "people", key="p-placeholder", is_placeholder=True,
        display_name="Opposition leader 3 (not named in the reports)")  # fmt: skip
    observer, anonymous = text_for(client_for, "observer"), text_for(client_for, "anonymous")
    assert {"Public Name", "Process Name", "Name withheld"} <= _words(observer)
    assert "Secret Name" not in observer
    assert {"Public Name", "Delegate 7", "Name withheld"} <= _words(anonymous)
    assert "Process Name" not in anonymous
    assert "Opposition leader 3 (not named in the reports)" in anonymous
    assert "Secret Name" in text_for(client_for, "mediator")
    detail = text_for(client_for, "anonymous", "/p/talks/people/p-none/")
    assert "Secret Name" not in detail and "Name withheld" in detail


def _words(page: str) -> set[str]:
    names = ["Public Name", "Process Name", "Name withheld", "Delegate 7", "Secret Name"]
    return {name for name in names if name in page}


def test_roles_read_holder_role_and_status(world: World, client_for):  # type: ignore[no-untyped-def]
    person = add(world, "people", key="nazarbayev", display_name="Nursultan Nazarbayev",
                 consent_to_be_named="public")  # fmt: skip
    add(world, "role-assignments", key="mediator-requested", role=Role.MEDIATOR,
        status=RoleStatus.REQUESTED, person=person)  # fmt: skip
    assert "Nursultan Nazarbayev — Mediator (Requested)" in text_for(client_for, "anonymous")


def test_participation_counts_and_endorsement_reasons_read_as_sentences(world, client_for):  # type: ignore[no-untyped-def]
    round_1 = world.rows["round-1"]
    add(world, "participations", actor=world.party_a, round=round_1, category="opposition",
        status="attended", count_at_least=31)  # fmt: skip
    add(world, "participations", actor=world.party_b, round=round_1, category="opposition",
        status="did_not_attend")  # fmt: skip
    outcome = add(world, "outcomes", key="joint", title="Joint document", round=round_1)
    add(world, "endorsements", outcome=outcome, actor=world.party_a, act="signed")
    add(world, "endorsements", outcome=outcome, actor=world.party_b, act="refrained")
    page = text_for(client_for, "anonymous")
    assert "more than 30 people" in page
    assert "did not attend" in page
    assert 'Refrained; <span dir="auto">reason not recorded</span>' in page


def test_letters_list_their_signatories_in_order(world: World, client_for):  # type: ignore[no-untyped-def]
    letter = add(world, "letters", key="request", subject="Request for talks", sent_on="2015-01")
    add(world, "letter-signatories", letter=letter, order=2, actor=world.party_b)
    add(world, "letter-signatories", letter=letter, order=1, actor=world.party_a)
    page = text_for(client_for, "anonymous")
    assert page.index('value="1"') < page.index('value="2"')
    assert "January 2015" in page


def test_facts_show_their_sources_on_the_page_and_the_timeline(world: World, client_for):  # type: ignore[no-untyped-def]
    actions.cite(
        user=world.users["mediator"],
        process=world.process,
        target=world.rows["round-1"],
        source=world.rows["report"],
        quote="they met",
    )
    for url in (PAGE, reverse("web:process-timeline", args=["talks"])):
        page = text_for(client_for, "anonymous", url)
        assert 'href="https://example.org/r"' in page
        assert "A public report" in page and "they met" in page


def test_timeline_orders_dated_entries_with_their_date_text(world: World, client_for):  # type: ignore[no-untyped-def]
    add(world, "letters", key="request", subject="Request for talks", sent_on="2015-01")
    page = text_for(client_for, "anonymous", reverse("web:process-timeline", args=["talks"]))
    assert page.index("January 2015") < page.index("Request for talks") < page.index("Round 1")


def test_the_mediator_gets_an_add_link_per_kind_and_a_head_a_position_link(world, client_for):  # type: ignore[no-untyped-def]
    mediator, head = text_for(client_for, "mediator"), text_for(client_for, "party_a_lead")
    assert mediator.count(">Add round</a>") == 1
    assert ">Add endorsement</a>" in mediator
    assert "Add round" not in head
    assert "Record position for Party A" in head
    assert "/p/talks/positions/new/?actor=party-a" in head
    assert "Record position" not in text_for(client_for, "party_a_member")


@pytest.mark.parametrize("persona", ["mediator", "party_a_lead", "anonymous"])
def test_the_page_costs_the_same_queries_however_long_the_record(
    world, client_for, persona, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]  # noqa: E501
    client = client_for(persona)
    _grow(world, range(1))  # one of each, so the baseline already reads every kind of row
    with CaptureQueriesContext(connection) as baseline:
        client.get(PAGE)
    _grow(world, range(1, 11))
    with django_assert_max_num_queries(len(baseline)):
        page = client.get(PAGE).content.decode()
    assert "Round 110" in page and "line 10" in page


def _grow(world: World, numbers: range) -> None:
    """Add, per number, a round with a venue, session and participation, a public position…"""
    for i in numbers:
        round_ = add(world, "rounds", name=f"Round {100 + i}", sequence=10 + i, venue=add(
            world, "venues", name=f"Venue {i}"))  # fmt: skip
        add(world, "sessions", round=round_, title=f"Plenary {i}")
        add(world, "participations", actor=world.party_a, round=round_, category="opposition")
        add(
            world,
            "positions",
            actor=world.party_b,
            issue=world.rows["fighters"],
            stance="undecided",
            statement=f"line {i}",
            visibility=Visibility.PUBLIC.value,
        )
        _grow_documents(world, round_, i)
        _grow_people(world, round_, i)


def _grow_documents(world: World, round_: object, i: int) -> None:
    """Add a letter with a signatory and an outcome with an endorsement, each citing a source."""
    letter = add(world, "letters", subject=f"Letter {i}", sent_on="2015-01")
    add(world, "letter-signatories", letter=letter, order=1, actor=world.party_a)
    outcome = add(world, "outcomes", title=f"Outcome {i}", round=round_)
    add(world, "endorsements", outcome=outcome, actor=world.party_b, act="refrained")
    for target in (letter, outcome):
        actions.cite(user=world.users["mediator"], process=world.process, target=target,
                     source=world.rows["report"])  # fmt: skip


def _grow_people(world: World, round_: object, i: int) -> None:
    """Add a delegation with a member, who also holds a role in the round."""
    person = add(world, "people", display_name=f"Member {i}", consent_to_be_named="public")
    delegation = add(world, "delegations", actor=world.party_a, round=round_)
    add(world, "delegation-members", delegation=delegation, person=person)
    add(world, "role-assignments", role=Role.DELEGATE, person=person, represents=world.party_a,
        round=round_)  # fmt: skip
