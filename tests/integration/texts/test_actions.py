"""The negotiating text's actions and queries, as the mediator and the parties use them."""

from __future__ import annotations

import pytest

from parley.audit.models import AuditEvent
from parley.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from parley.processes import actions as process_actions
from parley.processes.kinds import KINDS
from parley.texts import actions, queries
from parley.texts import format as bracket_format
from parley.texts.access import access_version
from parley.texts.models import Amendment, Clause, ClausePosition, Comment, TextVersion
from tests.texts import FIGHTERS, TextWorld, build_text
from tests.world import CANARY_A, CANARY_B


@pytest.fixture
def tw(world) -> TextWorld:
    return build_text(world)


def circulate_draft_2(tw: TextWorld) -> TextVersion:
    return actions.circulate(access=tw.access("mediator"), version=tw.draft_2, label="Draft 2")


# Drafts ----------------------------------------------------------------------------------------


def test_circulating_freezes_a_draft_and_fingerprints_its_canonical_text(tw):
    draft = tw.draft_1
    assert draft.state == TextVersion.State.CIRCULATED
    assert draft.fingerprint == bracket_format.fingerprint(queries.doc_of(draft))
    assert len(draft.fingerprint) == 64
    clause = tw.clause(draft, "fighters")
    with pytest.raises(Forbidden, match="circulated"):
        actions.edit_clause(access=tw.access("mediator"), clause=clause, data={"body": "x"},
                            revision=clause.revision)  # fmt: skip


def test_a_working_draft_is_the_teams_alone_until_circulated(tw):
    for persona in ("party_a_lead", "observer"):
        with pytest.raises(NotFound):
            access_version(tw.access(persona), tw.draft_2.number)
    circulate_draft_2(tw)
    assert access_version(tw.access("observer"), 2).label == "Draft 2"


def test_clause_keys_and_options_carry_over_to_the_next_draft(tw):
    old = tw.clause(tw.draft_1, "fighters")
    new = tw.clause(tw.draft_2, "fighters")
    assert new.pk != old.pk and new.body == old.body == FIGHTERS
    labels = list(new.options.values_list("label", flat=True))
    assert labels == ["1A", "1B", "2A", "2B", "omit"]


def test_only_one_working_draft_at_a_time(tw):
    with pytest.raises(Forbidden, match="already open"):
        actions.start_draft(access=tw.access("mediator"))


def test_parties_may_not_draft(tw):
    clause = tw.clause(tw.draft_2, "fighters")
    with pytest.raises(Forbidden):
        actions.edit_clause(access=tw.access("party_a_lead"), clause=clause,
                            data={"body": "Mine."}, revision=clause.revision)  # fmt: skip


def test_the_second_of_two_saves_from_one_revision_is_a_conflict_and_loses_nothing(tw):
    team = tw.access("mediator")
    clause = tw.clause(tw.draft_2, "fighters")
    start = clause.revision
    actions.edit_clause(access=team, clause=clause, data={"body": "First wording."},
                        revision=start)  # fmt: skip
    stale = tw.clause(tw.draft_2, "fighters")
    with pytest.raises(Conflict) as conflict:
        actions.edit_clause(access=team, clause=stale, data={"body": "Second wording."},
                            revision=start)  # fmt: skip
    assert conflict.value.yours == {"body": "Second wording."}
    assert conflict.value.current["body"] == "First wording."
    assert conflict.value.revision == start + 1
    assert tw.clause(tw.draft_2, "fighters").body == "First wording."


def test_a_malformed_bracket_in_an_edit_names_line_and_column_and_writes_nothing(tw):
    clause = tw.clause(tw.draft_2, "fighters")
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        actions.edit_clause(
            access=tw.access("mediator"),
            clause=clause,
            data={"body": "Fine.\nThen [open"},
            revision=clause.revision,
        )
    assert "Line 2, column 6" in error.value.errors["body"][0]
    assert tw.clause(tw.draft_2, "fighters").body == FIGHTERS
    assert AuditEvent.objects.count() == events


def test_adding_a_clause_after_another_keeps_reading_order(tw):
    team = tw.access("mediator")
    fighters = tw.clause(tw.draft_2, "fighters")
    data = {"heading": "Monitoring", "body": "A committee [shall] monitors."}
    actions.add_clause(access=team, version=tw.draft_2, after=fighters, data=data)
    keys = [c.key for c in queries.clauses_of(tw.draft_2)]
    assert keys[keys.index("fighters") + 1] == "monitoring"


# Positions -------------------------------------------------------------------------------------


def test_a_position_on_an_old_draft_is_refused_naming_the_current_one(tw):
    circulate_draft_2(tw)
    old = tw.clause(tw.draft_1, "fighters")
    with pytest.raises(Forbidden, match=r"current draft \(Draft 2\); Draft 1 is no longer"):
        actions.record_position(access=tw.access("party_a_lead"), clause=old,
                                party=tw.world.party_a, stance="accept")  # fmt: skip


def test_only_the_partys_delegate_records_its_position_and_members_advise(tw):
    clause = tw.clause(tw.draft_1, "next-round")
    with pytest.raises(Forbidden, match="Party A's authorised delegate"):
        actions.record_position(access=tw.access("party_b_lead"), clause=clause,
                                party=tw.world.party_a, stance="accept")  # fmt: skip
    with pytest.raises(Forbidden):
        actions.record_position(access=tw.access("observer"), clause=clause,
                                party=tw.world.party_a, stance="accept")  # fmt: skip
    member = tw.access("party_a_member")
    view = actions.record_position(access=member, clause=clause, party=tw.world.party_a,
                                   stance="reject", reason="Too vague")  # fmt: skip
    assert view.is_advisory and view.visibility == "party" and view.party == tw.world.party_a


def test_a_rejection_needs_a_reason(tw):
    clause = tw.clause(tw.draft_1, "next-round")
    with pytest.raises(InvalidInput) as error:
        actions.record_position(access=tw.access("party_a_lead"), clause=clause,
                                party=tw.world.party_a, stance="reject", reason="  ")  # fmt: skip
    assert list(error.value.errors) == ["reason"]


def test_positions_are_append_only_and_the_latest_counts(tw):
    clause = tw.clause(tw.draft_1, "next-round")
    a = tw.access("party_a_lead")
    actions.record_position(access=a, clause=clause, party=tw.world.party_a, stance="reject",
                            reason="Not yet")  # fmt: skip
    actions.record_position(access=a, clause=clause, party=tw.world.party_a, stance="accept")
    rows = ClausePosition.objects.filter(clause=clause, party=tw.world.party_a, option=None)
    assert rows.count() == 2
    latest = [p for p in queries.latest_positions(tw.draft_1) if p.clause_id == clause.pk]
    assert [(p.stance, p.is_advisory) for p in latest] == [("accept", False)]


# The board -------------------------------------------------------------------------------------


def row_of(board: queries.Board, key: str) -> queries.BoardRow:
    return next(row for row in board.rows if row.clause.key == key)


def test_the_team_sees_what_blocks_a_clause_and_which_rule_decided(tw):
    board = queries.board(tw.access("mediator"), tw.draft_1)
    fighters = row_of(board, "fighters")
    assert [cell.stance for cell in fighters.cells] == ["reject", "live_with"]
    result = fighters.result
    assert result is not None and result.assessment.status == "blocked"
    assert result.assessment.blocking == {tw.world.party_a.pk: f"Names one group only {CANARY_A}"}
    assert result.assessment.rule == "clause-consent-leximin/v1"
    assert board.complete and board.result is not None


def test_a_party_sees_its_own_positions_and_no_status_built_on_others(tw):
    board = queries.board(tw.access("party_a_lead"), tw.draft_1)
    fighters = row_of(board, "fighters")
    assert [cell.stance for cell in fighters.cells] == ["reject", "hidden"]
    assert fighters.result is None and board.result is None
    seen = [
        p.reservation
        for p in queries.latest_positions(tw.draft_1, tw.access("party_a_lead").viewer)
    ]
    assert not any(CANARY_B in text for text in seen)


def test_a_bracket_is_chosen_by_consent_then_accepts_and_says_which_rule(tw):
    clause = tw.clause(tw.draft_1, "fighters")
    ratings = {"party_a_lead": {"1A": "reject", "1B": "accept"},
               "party_b_lead": {"1A": "accept", "1B": "live_with"}}  # fmt: skip
    parties = {"party_a_lead": tw.world.party_a, "party_b_lead": tw.world.party_b}
    for persona, by_label in ratings.items():
        for label, stance in by_label.items():
            actions.record_position(access=tw.access(persona), clause=clause,
                                    party=parties[persona], stance=stance, reason="No",
                                    option=clause.options.get(label=label))  # fmt: skip
    result = row_of(queries.board(tw.access("mediator"), tw.draft_1), "fighters").result
    assert result is not None
    first = next(b for b in result.brackets if b.bracket == 1)
    assert first.choice is not None and first.choice.chosen == "1B"
    assert first.choice.rule == "options-consent-leximin-schulze/v1"
    assert str(first.choice.decided_by) == "consent-filter"


def test_a_closed_draft_keeps_the_record_of_its_board(tw):
    circulate_draft_2(tw)
    tw.draft_1.refresh_from_db()
    record = tw.draft_1.closing_results
    assert record["clauses"]["fighters"]["status"] == "blocked"
    assert record["clauses"]["fighters"]["blocking"] == {
        "party-a": f"Names one group only {CANARY_A}"
    }
    assert record["document"]["rule"] == "document-weakest-clause/v1"


# Diffs and reviews -----------------------------------------------------------------------------


def test_changes_since_a_partys_last_review(tw):
    team = tw.access("mediator")
    clause = tw.clause(tw.draft_2, "fighters")
    actions.edit_clause(access=team, clause=clause, revision=clause.revision,
                        data={"body": "All foreign fighters shall leave the country."})  # fmt: skip
    circulate_draft_2(tw)
    a = tw.access("party_a_lead")
    actions.mark_reviewed(access=a, version=tw.draft_1, party=tw.world.party_a)
    review = queries.last_review(a, tw.world.party_a)
    assert review is not None and review.version == tw.draft_1
    diff = queries.diff_versions(review.version, tw.draft_2)
    kinds = {change.key: str(change.kind) for change in diff.changes}
    assert kinds == {"preamble": "unchanged", "fighters": "changed", "next-round": "unchanged",
                     "team-note": "added"}  # fmt: skip
    assert queries.last_review(tw.access("party_b_lead"), tw.world.party_a) is None


# Amendments and comments -----------------------------------------------------------------------


def test_amendments_are_coded_by_proposer_and_adopted_into_the_working_draft(tw):
    session = process_actions.create_record(
        user=tw.world.users["mediator"], process=tw.world.process, kind=KINDS["sessions"],
        data={"key": "plenary", "title": "Plenary", "round": tw.world.rows["round-1"]},
    )  # fmt: skip
    proposed = Amendment.objects.get(text=tw.text)
    assert proposed.code == "PA-1" and proposed.visibility == "party"
    actions.decide_amendment(access=tw.access("mediator"), amendment=proposed,
                             status="adopted", session=session, note="By consensus")  # fmt: skip
    proposed.refresh_from_db()
    assert proposed.decided_in == session and proposed.applied_to == tw.draft_2
    assert tw.clause(tw.draft_2, "fighters").body == proposed.proposed_text
    second = actions.propose_amendment(access=tw.access("party_a_lead"), clause_key="next-round",
                                       party=tw.world.party_a, proposed_text="Soon.")  # fmt: skip
    assert second.code == "PA-2"


def test_parties_do_not_decide_amendments_nor_propose_under_one_text(tw):
    proposed = Amendment.objects.get(text=tw.text)
    with pytest.raises(Forbidden):
        actions.decide_amendment(access=tw.access("party_a_lead"), amendment=proposed,
                                 status="adopted")  # fmt: skip
    actions.update_text(access=tw.access("mediator"), data={"drafting_mode": "mediator_only"})
    with pytest.raises(Forbidden, match="one-text"):
        actions.propose_amendment(access=tw.access("party_b_lead"), clause_key="fighters",
                                  party=tw.world.party_b, proposed_text="B's wording.")  # fmt: skip


def test_comments_default_to_the_party_and_the_team(tw):
    comment = actions.add_comment(access=tw.access("party_b_lead"), version=tw.draft_1,
                                  party=tw.world.party_b, body=f"Too long {CANARY_B}",
                                  kind="criticism")  # fmt: skip
    assert comment.visibility == "party" and comment.party == tw.world.party_b
    a = tw.access("party_a_lead")
    assert comment not in list(queries.comments_visible(a, tw.draft_1))
    assert comment in list(queries.comments_visible(tw.access("mediator"), tw.draft_1))
    assert Comment.objects.filter(version=tw.draft_1).count() == 2


# Bad input is atomic ---------------------------------------------------------------------------


def test_importing_a_draft_is_all_or_nothing(tw):
    circulate_draft_2(tw)
    doc = bracket_format.parse_text("## 1. A {#a}\n\nFine.\n\n## 2. B {#b}\n\n[Also] fine.\n")
    before = (TextVersion.objects.count(), Clause.objects.count())
    version = actions.import_draft(access=tw.access("mediator"), doc=doc)
    assert version.number == 3 and [c.key for c in queries.clauses_of(version)] == ["a", "b"]
    assert (TextVersion.objects.count(), Clause.objects.count()) == (before[0] + 1, before[1] + 2)
