"""Actions: guard, validate, write and audit in one transaction."""

from __future__ import annotations

import re

import pytest

from parley.audit.models import AuditEvent
from parley.core.errors import Forbidden, InvalidInput
from parley.core.visibility import Visibility
from parley.processes import actions
from parley.processes.kinds import KINDS
from parley.processes.models import Position, Round
from tests.world import build_world

pytestmark = pytest.mark.django_db


def _round(world, persona="mediator", **data):
    data = {"name": "Round 9", "sequence": 9, **data}
    return actions.create_record(
        user=world.users[persona], process=world.process, kind=KINDS["rounds"], data=data
    )


def test_create_record_writes_an_audit_event(world):
    row = _round(world, starts_on="2015-01")
    event = AuditEvent.objects.get(verb="rounds.created", target_id=str(row.pk))
    assert event.user == world.users["mediator"]
    assert event.process_id == world.process.pk
    assert event.data["starts_on"] == "2015-01"


def test_a_failing_audit_write_leaves_nothing_behind(world, monkeypatch):
    """If the audit insert fails, the round must not exist either: one transaction."""
    before = Round.objects.count()

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(actions, "record_event", broken)
    with pytest.raises(RuntimeError, match="audit store down"):
        _round(world)
    assert Round.objects.count() == before


def test_bad_date_names_the_field(world):
    with pytest.raises(InvalidInput) as error:
        _round(world, starts_on="2015-13")
    assert error.value.errors == {"starts_on": ["'2015-13' has no month 13"]}


def test_unknown_field_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        _round(world, colour="red")
    assert error.value.errors == {"colour": ["Unknown field."]}


def test_duplicate_key_is_refused(world):
    _round(world, key="r9")
    with pytest.raises(InvalidInput) as error:
        _round(world, key="r9")
    assert "__all__" in error.value.errors


def test_a_party_member_may_not_add_rounds(world):
    with pytest.raises(Forbidden):
        _round(world, persona="party_a_member")


def test_reference_to_another_process_reads_like_a_missing_one(world):
    other = build_world("other")
    venue = actions.create_record(
        user=other.users["mediator"], process=other.process, kind=KINDS["venues"],
        data={"name": "Elsewhere"},
    )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        _round(world, venue=venue)
    assert error.value.errors == {"venue": ["No such venue in this process."]}


def _position(world, persona, party, **data):
    return actions.create_record(
        user=world.users[persona], process=world.process, kind=KINDS["positions"],
        data={"actor": party, "issue": world.rows["fighters"], "stance": "supports", **data},
    )  # fmt: skip


def test_a_party_head_records_its_own_position_confidentially(world):
    position = _position(world, "party_a_lead", world.party_a)
    assert position.visibility == "party"
    assert position.party == world.party_a


def test_a_party_head_may_not_record_another_partys_position(world):
    with pytest.raises(Forbidden):
        _position(world, "party_a_lead", world.party_b)


def test_a_delegate_may_not_record_positions(world):
    with pytest.raises(Forbidden):
        _position(world, "party_a_member", world.party_a)


def test_positions_are_append_only(world):
    position = world.rows["pos-a"]
    with pytest.raises(Forbidden, match="append-only"):
        actions.update_record(
            user=world.users["mediator"], process=world.process, kind=KINDS["positions"],
            row=position, data={"stance": "opposes"},
        )  # fmt: skip
    assert Position.objects.get(pk=position.pk).stance == "supports"


def _widen(world, persona, row, level):
    kind = KINDS["positions"] if isinstance(row, Position) else KINDS["rounds"]
    return actions.update_record(
        user=world.users[persona], process=world.process, kind=kind, row=row,
        data={"visibility": level},
    )  # fmt: skip


def test_only_the_lead_widens_a_mediation_record(world):
    secret = world.rows["round-secret"]
    with pytest.raises(Forbidden):
        _widen(world, "party_a_lead", secret, "public")
    assert _widen(world, "mediator", secret, "process").visibility == "process"
    assert AuditEvent.objects.filter(verb="visibility.changed", target_id=str(secret.pk)).exists()


def test_the_lead_may_not_widen_a_partys_record_without_the_party(world):
    """A party's confidential round note stays with the party until the party itself widens it."""
    row = _round(world, key="a-note", visibility="party", party=world.party_a)
    with pytest.raises(Forbidden, match="party that owns"):
        _widen(world, "mediator", row, "public")


def test_the_key_new_is_reserved(world):
    """'new' would shadow the add page at /p/<slug>/<kind>/new/."""
    with pytest.raises(InvalidInput) as error:
        _round(world, key="new")
    assert error.value.errors == {"key": ["'new' is reserved; choose another key."]}


def test_a_new_persons_key_does_not_spell_their_name(world):
    person = actions.create_record(
        user=world.users["mediator"], process=world.process, kind=KINDS["people"],
        data={"display_name": "Secret Negotiator"},
    )  # fmt: skip
    assert "secret" not in person.key
    assert person.key.startswith("person")


def test_a_party_may_not_choose_keys(world):
    """Choosing 'pos-b' would reveal, through 'already exists', that party B's row has it."""
    with pytest.raises(InvalidInput) as error:
        _position(world, "party_a_lead", world.party_a, key="pos-b")
    assert list(error.value.errors) == ["key"]
    assert "pos-b" not in str(error.value)


def test_a_partys_new_key_counts_nothing(world):
    first = _position(world, "party_a_lead", world.party_a)
    second = _position(world, "party_a_lead", world.party_a)
    assert first.key != second.key
    assert re.fullmatch(r"position-[0-9a-f]{12}", first.key)  # random, not a counter


def test_a_new_process_slug_does_not_tell_whether_a_hidden_one_has_it(world):
    """Asking for a hidden process's slug works like asking for a free one: a suffixed slug."""
    hidden = actions.create_process(
        user=world.users["mediator"], data={"slug": "backroom", "title": "B", "visibility": "lead"},
        exact_slug=True,
    )  # fmt: skip
    asked_taken = actions.create_process(
        user=world.users["outsider"], data={"slug": "backroom", "title": "Mine"}
    )
    asked_free = actions.create_process(
        user=world.users["outsider"], data={"slug": "frontroom", "title": "Mine"}
    )
    assert asked_taken.slug != hidden.slug
    assert re.fullmatch(r"backroom-[0-9a-f]{6}", asked_taken.slug)
    assert re.fullmatch(r"frontroom-[0-9a-f]{6}", asked_free.slug)


def test_a_party_head_widens_its_own_position(world):
    """The originator's consent: party A's head may make A's confidential position public."""
    row = actions.update_record(
        user=world.users["party_a_lead"], process=world.process, kind=KINDS["positions"],
        row=world.rows["pos-a"], data={"visibility": "public"},
    )  # fmt: skip
    assert row.visibility == "public"
    event = AuditEvent.objects.get(verb="visibility.changed", target_id=str(row.pk))
    assert event.data == {"old": "party", "new": "public"}


@pytest.mark.parametrize("persona", ["party_b_lead", "party_a_member", "observer"])
def test_nobody_else_outside_the_team_changes_a_partys_visibility(world, persona):
    with pytest.raises(Forbidden):
        actions.change_visibility(
            user=world.users[persona], process=world.process, row=world.rows["pos-a"],
            visibility=Visibility.PUBLIC,
        )  # fmt: skip
    assert Position.objects.get(key="pos-a").visibility == "party"
