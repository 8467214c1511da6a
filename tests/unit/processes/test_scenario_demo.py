"""The demo scenario: what the two reports say, cited; made-up rows labelled; logins that work."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from parley.audit.models import AuditEvent
from parley.processes import demo
from parley.processes.kinds import KINDS
from parley.processes.models import (
    Citation,
    Endorsement,
    Letter,
    Participation,
    Person,
    Position,
    RoleAssignment,
    Round,
)
from parley.processes.permissions import viewer_for, visible
from parley.processes.scenario import SYSTEM_USERNAME

pytestmark = pytest.mark.django_db

A_LINE = "Demo Group A's bottom line"
B_LINE = "Demo Group B's bottom line"
# Which made-up bottom lines each demo login may read.
SEES = {
    "mediator": {A_LINE, B_LINE},
    "party-a-lead": {A_LINE},
    "party-a-member": {A_LINE},
    "party-b-lead": {B_LINE},
    "observer": set(),
    "public": set(),
    "outsider": set(),
}


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module (it takes half a second); roll it back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        process, loaded = demo.load_demo()
        assert loaded
        demo.ensure_demo_logins(process)
        yield process
        transaction.set_rollback(True)


@pytest.fixture
def process(loaded_demo, db):
    return loaded_demo


def test_the_rounds_are_those_the_reports_give(process):
    rounds = Round.objects.filter(process=process).order_by("sequence")
    assert [(r.name, r.status, r.starts_on, r.ends_on) for r in rounds] == [
        ("Geneva", "failed", "", ""),
        ("Moscow I", "held", "2015-01", "2015-01"),
        ("Moscow II", "held", "2015-04-06", "2015-04-09"),
        ("Astana I", "held", "2015-05-25", ""),
        ("Astana II", "requested", "", ""),
    ]
    venues = list(rounds.values_list("venue__name", flat=True))
    assert venues == ["Geneva", "Moscow", "Moscow", "Astana", "Astana"]


def test_the_letter_has_seven_unnamed_signatories(process):
    letter = Letter.objects.get(process=process)
    assert (letter.kind, letter.sent_on, letter.signatory_count) == (
        "request_for_mediation", "2015-04", 7
    )  # fmt: skip
    assert letter.addressee == "President of Kazakhstan, Nursultan Nazarbayev"
    signatories = letter.signatories.order_by("order")
    people = signatories.values_list("order", "person__display_name", "person__is_placeholder")
    assert list(people) == [
        (n, f"Opposition leader {n} (not named in the reports)", True) for n in range(1, 8)
    ]


def test_astana_i_counts_more_than_thirty_and_the_government_stayed_away(process):
    astana = Participation.objects.filter(process=process, round__key="astana-1")
    statuses = {p.actor.name: p.status for p in astana}
    assert statuses == {
        "Syrian opposition groups (leaders and representatives)": "attended",
        "Syrian civil-society groups": "attended",
        "Independent activists": "attended",
        "Syrian government": "did_not_attend",
    }
    assert "More than 30 people in all" in astana.get(key="astana-1-opposition").note


def test_the_mediator_was_requested_not_accepted(process):
    role = RoleAssignment.objects.get(process=process, person__key="nursultan-nazarbayev")
    assert (role.role, role.status) == ("mediator", "requested")


def test_the_joint_document_was_signed_and_some_refrained_for_no_recorded_reason(process):
    endorsements = Endorsement.objects.filter(process=process).order_by("act")
    assert [(e.actor.key, e.act) for e in endorsements] == [
        ("groups-that-refrained", "refrained"),
        ("syrian-opposition-groups", "signed"),
    ]
    assert endorsements[0].reason_text == "reason not recorded"
    assert endorsements[0].outcome.next_round == Round.objects.get(key="astana-2")


def test_every_real_record_cites_a_report(process):
    """Rows that are not made up rest on a report; only the importer's own seat does not."""
    cited = set(Citation.objects.filter(process=process).values_list("target_type", "target_id"))
    importer = Person.objects.filter(process=process, user__username=SYSTEM_USERNAME)
    seat = {*importer.values_list("key", flat=True)}
    seat |= {*RoleAssignment.objects.filter(person__in=importer).values_list("key", flat=True)}
    assert len(seat) == 2
    for kind in KINDS.values():
        if kind.name == "sources":
            continue
        content_type = ContentType.objects.get_for_model(kind.model)
        for row in kind.model._default_manager.filter(process=process, is_illustrative=False):
            if row.key not in seat:
                assert (content_type.pk, row.pk) in cited, f"{kind.name}/{row.key}"


def test_made_up_rows_are_labelled_and_only_they_hold_confidential_stances(process):
    for kind in KINDS.values():
        for row in kind.model._default_manager.filter(process=process, is_illustrative=True):
            assert "demo" in row.key, f"{kind.name}/{row.key}"
    for position in Position.objects.filter(process=process):
        if position.visibility != "public":
            assert position.is_illustrative
            assert position.actor.name.startswith("Demo")
    real = Position.objects.get(process=process, is_illustrative=False)
    assert (real.actor.key, real.basis) == (
        "movement-for-a-pluralistic-society",
        "public_statement",
    )


@pytest.mark.parametrize("username", SEES)
def test_each_demo_login_sees_only_its_bottom_lines(process, username):
    viewer = viewer_for(get_user_model().objects.get(username=username), process)
    text = " ".join(p.statement for p in visible(viewer, Position, process))
    assert {line for line in (A_LINE, B_LINE) if line in text} == SEES[username]


def test_every_login_but_the_outsider_is_linked_to_its_made_up_person(process):
    for login in demo.DEMO_LOGINS:
        people = Person.objects.filter(process=process, user__username=login.username)
        expected = [(login.person_key, True)] if login.person_key else []
        assert list(people.values_list("key", "is_illustrative")) == expected


def test_loading_twice_reuses_the_process_and_the_logins(process):
    events = AuditEvent.objects.count()
    again, loaded = demo.load_demo()
    demo.ensure_demo_logins(again)
    assert (again, loaded) == (process, False)
    assert AuditEvent.objects.count() == events
    linked = Person.objects.filter(process=process, user__isnull=False)
    linked = linked.exclude(user__username=SYSTEM_USERNAME)
    assert set(linked.values_list("user__username", flat=True)) == set(SEES) - {"outsider"}
