"""texts.scoring: parties' positions on a draft into clause statuses and bracket choices."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parley.consensus.clauses import Stance
from parley.texts.scoring import (
    KEEP,
    ClauseInput,
    PositionInput,
    assess_version,
    chosen_wording,
    is_omitted,
)

FIGHTERS = ClauseInput("fighters", ((1, "1A"), (1, "1B"), (2, "2A"), (2, "2B"), (0, "omit")))
PLAIN = ClauseInput("plain")
PARTIES = (1, 2, 3)

stances = st.sampled_from([Stance.ACCEPT, Stance.LIVE_WITH, Stance.REJECT, Stance.STAND_ASIDE])


def pos(party: int, stance: Stance, option: str | None = None, clause: str = "fighters",
        rank: int | None = None) -> PositionInput:  # fmt: skip
    return PositionInput(party, clause, option, stance, "because" * (stance is Stance.REJECT), rank)


def rate_all(
    party: int, stance: Stance, labels: tuple[str, ...] = ("1A", "1B", "2A", "2B", "omit")
) -> list[PositionInput]:
    return [pos(party, stance, label) for label in labels]


def bracket(result, number):
    return next(b for b in result.brackets if b.bracket == number)


def test_a_signatory_without_a_stance_is_pending_and_brackets_wait_for_it():
    result = assess_version([FIGHTERS], [pos(1, Stance.ACCEPT)], parties=PARTIES)
    clause = result.clauses["fighters"]
    assert clause.assessment.status == "pending"
    assert bracket(clause, 1).choice is None and bracket(clause, 1).waiting == {1, 2, 3}


def test_a_bracket_is_settled_once_every_voting_party_rated_all_its_alternatives():
    positions = [pos(p, Stance.ACCEPT) for p in PARTIES]
    positions += [pos(p, Stance.ACCEPT if p != 3 else Stance.REJECT, "1A") for p in PARTIES]
    positions += [pos(p, Stance.LIVE_WITH, "1B") for p in PARTIES]
    clause = assess_version([FIGHTERS], positions, parties=PARTIES).clauses["fighters"]
    first = bracket(clause, 1)
    assert first.choice is not None and first.choice.chosen == "1B"  # the consent filter
    assert first.choice.blocking == {"1A": {3: "because"}}
    assert bracket(clause, 2).choice is None  # nobody rated bracket 2 yet
    assert chosen_wording(clause) == {1: "1B"}


def test_omit_competes_with_keeping_the_clause_rated_by_the_clause_stances():
    positions = [pos(p, Stance.REJECT) for p in PARTIES]
    positions += [pos(p, Stance.ACCEPT, "omit") for p in PARTIES]
    clause = assess_version([FIGHTERS], positions, parties=PARTIES).clauses["fighters"]
    keep_or_omit = bracket(clause, 0)
    assert keep_or_omit.labels == (KEEP, "omit")
    assert keep_or_omit.choice is not None and keep_or_omit.choice.chosen == "omit"
    assert is_omitted(clause)


def test_standing_aside_on_an_alternative_neither_blocks_nor_waits():
    positions = [pos(p, Stance.ACCEPT) for p in PARTIES]
    positions += rate_all(1, Stance.ACCEPT) + rate_all(2, Stance.LIVE_WITH)
    positions += [pos(3, Stance.STAND_ASIDE, "1A")]
    clause = assess_version([FIGHTERS], positions, parties=PARTIES).clauses["fighters"]
    assert bracket(clause, 1).choice is not None and bracket(clause, 1).waiting == frozenset()


def test_ranks_only_order_alternatives_within_a_level():
    # Party 1 ranks 1B first but rejects it: the rank cannot overturn the rejection.
    positions = [pos(p, Stance.ACCEPT) for p in (1, 2)]
    positions += [pos(1, Stance.ACCEPT, "1A", rank=2), pos(1, Stance.REJECT, "1B", rank=1)]
    positions += [pos(2, Stance.ACCEPT, "1A", rank=2), pos(2, Stance.ACCEPT, "1B", rank=1)]
    clause = ClauseInput("c", ((1, "1A"), (1, "1B")))
    positions = [
        PositionInput(p.party, "c", p.option, p.stance, p.reason, p.rank) for p in positions
    ]
    result = assess_version([clause], positions, parties=(1, 2)).clauses["c"]
    assert bracket(result, 1).choice is not None and bracket(result, 1).choice.chosen == "1A"


def test_with_one_signatory_its_accept_agrees_the_clause():
    result = assess_version([PLAIN], [pos(1, Stance.ACCEPT, clause="plain")], parties=(1,))
    assert result.clauses["plain"].assessment.status == "agreed"


@given(st.lists(st.tuples(st.sampled_from(PARTIES), stances), max_size=6), stances)
def test_a_refraining_party_never_changes_a_status(signed, refrainer_stance):
    positions = [pos(party, stance, clause="plain") for party, stance in signed]
    base = assess_version([PLAIN], positions, parties=PARTIES, refraining=(9,))
    more = positions + [pos(9, refrainer_stance, clause="plain")]
    with_refrainer = assess_version([PLAIN], more, parties=PARTIES, refraining=(9,))
    assert with_refrainer.clauses["plain"].assessment.status == (
        base.clauses["plain"].assessment.status
    )
    assert 9 in with_refrainer.clauses["plain"].assessment.advisory


@given(st.lists(st.tuples(st.sampled_from(PARTIES), stances), min_size=3, max_size=9), st.randoms())
def test_results_do_not_depend_on_the_order_positions_arrive_in(signed, random):
    latest = dict(signed)  # one current position per party
    positions = [pos(party, stance, clause="plain") for party, stance in latest.items()]
    shuffled = list(positions)
    random.shuffle(shuffled)
    a = assess_version([PLAIN], positions, parties=PARTIES).clauses["plain"].assessment
    b = assess_version([PLAIN], shuffled, parties=PARTIES).clauses["plain"].assessment
    assert (a.status, a.key, dict(a.blocking)) == (b.status, b.key, dict(b.blocking))


def test_the_document_is_as_strong_as_its_weakest_clause():
    positions = [pos(p, Stance.ACCEPT, clause="plain") for p in PARTIES]
    positions += [pos(1, Stance.REJECT), pos(2, Stance.ACCEPT), pos(3, Stance.ACCEPT)]
    result = assess_version([PLAIN, FIGHTERS], positions, parties=PARTIES)
    assert result.document is not None
    assert result.document.status == "blocked" and result.document.bottlenecks == {"fighters"}
    assert result.document.can_sign == {2, 3}
