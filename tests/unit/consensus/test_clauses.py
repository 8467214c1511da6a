"""Clause acceptability across parties: bridging.md §5a(ii), properties 15-23 of §5b."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parley.consensus.clauses import (
    ClauseStatus,
    Level,
    Mode,
    PartyPosition,
    Stance,
    acceptability,
    assess_clause,
    assess_document,
    clause_key,
    default_quorum,
)
from parley.consensus.rules import (
    CLAUSE_PARALLEL_CONSENT_RULE,
    CLAUSE_UNANIMITY_RULE,
    CLAUSE_WEIGHTED_MAJORITY_RULE,
    DOCUMENT_RULE,
)
from tests.unit.consensus.strategies import (
    clause_positions,
    decided_stances,
    levels,
    position,
    stances,
)

A, L, R, SA, PE = (
    Stance.ACCEPT,
    Stance.LIVE_WITH,
    Stance.REJECT,
    Stance.STAND_ASIDE,
    Stance.PENDING,
)
AGREED = {ClauseStatus.AGREED, ClauseStatus.AGREED_WITH_RESERVATIONS}
modes = st.sampled_from(list(Mode))


def clause(*stances: Stance, **options):
    return assess_clause([position(f"p{i}", s) for i, s in enumerate(stances)], **options)


def participating(positions) -> int:
    return sum(p.stance not in (SA, PE) for p in positions)


# --- Property 15 -----------------------------------------------------------------------------


@given(clause_positions(st.sampled_from([A, L, SA])), st.integers(1, 3), st.randoms())
def test_p15_veto(others, rejects, rnd):
    positions = others + [position(f"r{i}", R) for i in range(rejects)]
    rnd.shuffle(positions)
    assume(participating(positions) >= default_quorum(len(positions)))
    result = assess_clause(positions)
    assert result.status is ClauseStatus.BLOCKED
    assert set(result.blocking) == {f"r{i}" for i in range(rejects)}
    assert all(reason.endswith("objects") for reason in result.blocking.values())


# --- Property 16 -----------------------------------------------------------------------------


@given(st.lists(stances, min_size=2, max_size=7))
def test_p16_unanimity_is_top(other):
    assume(L in other or R in other)
    unanimous = clause(*[A] * len(other))
    rival = clause(*other)
    assert unanimous.status is ClauseStatus.AGREED
    assert unanimous.key > rival.key
    assert unanimous.acceptability == 1.0 > rival.acceptability


# --- Property 17 -----------------------------------------------------------------------------


@given(st.lists(levels, max_size=8), st.lists(levels, max_size=8))
def test_p17_leximin(first, second):
    rejects = Counter(first)[Level.REJECT], Counter(second)[Level.REJECT]
    assume(rejects[0] != rejects[1])
    fewer, more = (first, second) if rejects[0] < rejects[1] else (second, first)
    assert clause_key(fewer) > clause_key(more)


def test_p17_example():
    four_and_a_reject = clause(A, A, A, A, R)
    all_live_with = clause(L, L, L, L, L)
    assert all_live_with.key > four_and_a_reject.key
    assert all_live_with.acceptability > four_and_a_reject.acceptability
    assert four_and_a_reject.acceptability == pytest.approx(-0.2)
    assert all_live_with.acceptability == 0.0


# --- Property 18 -----------------------------------------------------------------------------

RAISES = {R: [L, A], L: [A]}


@given(clause_positions(), st.data())
def test_p18_monotonicity(positions, data):
    raisable = [i for i, p in enumerate(positions) if p.stance in RAISES]
    assume(raisable)
    i = data.draw(st.sampled_from(raisable))
    higher = data.draw(st.sampled_from(RAISES[positions[i].stance]))
    raised = [*positions]
    raised[i] = position(positions[i].party, higher)
    before, after = assess_clause(positions), assess_clause(raised)
    assert after.key > before.key
    assert after.acceptability >= before.acceptability


# --- Property 19 -----------------------------------------------------------------------------


@given(clause_positions(max_parties=6), modes, st.randoms())
def test_p19_party_anonymity(positions, mode, rnd):
    names = [p.party for p in positions]
    renamed = dict(zip(names, rnd.sample(range(100), len(names)), strict=True))
    moved = [replace(p, party=renamed[p.party]) for p in positions]
    rnd.shuffle(moved)
    blocs = {"U": names[::2], "N": names[1::2]} if mode is not Mode.UNANIMITY else None
    moved_blocs = (
        None if blocs is None else {b: [renamed[p] for p in ps] for b, ps in blocs.items()}
    )
    before = assess_clause(positions, mode=mode, blocs=blocs)
    after = assess_clause(moved, mode=mode, blocs=moved_blocs)
    assert (after.status, after.key, after.acceptability) == (
        before.status,
        before.key,
        before.acceptability,
    )
    assert (after.support, after.bloc_support) == (before.support, before.bloc_support)
    assert set(after.blocking) == {renamed[p] for p in before.blocking}


def test_p19_delegation_size_only_counts_with_declared_weights():
    # Unanimity has no weights to take: size cannot leak in.
    with pytest.raises(ValueError):
        clause(A, R, weights={"p0": 10, "p1": 1})
    stances_ = (A, A, R)
    unweighted = clause(*stances_, mode=Mode.WEIGHTED_MAJORITY)
    ones = clause(*stances_, mode=Mode.WEIGHTED_MAJORITY, weights={"p0": 1, "p1": 1, "p2": 1})
    scaled = clause(*stances_, mode=Mode.WEIGHTED_MAJORITY, weights={"p0": 7, "p1": 7, "p2": 7})
    assert unweighted == ones == scaled
    assert unweighted.status is ClauseStatus.AGREED_WITH_RESERVATIONS
    # Declared weights do count: the rejecting party now represents most of the population.
    heavy = clause(*stances_, mode=Mode.WEIGHTED_MAJORITY, weights={"p0": 1, "p1": 1, "p2": 8})
    assert heavy.status is ClauseStatus.BLOCKED


# --- Property 20 -----------------------------------------------------------------------------


@given(clause_positions(), modes, st.integers(1, 8))
def test_p20_pending_and_quorum(positions, mode, quorum):
    result = assess_clause(positions, mode=mode, quorum=quorum)
    if any(p.stance is PE for p in positions):
        assert result.status is ClauseStatus.PENDING
    elif participating(positions) < quorum:
        assert result.status is ClauseStatus.INSUFFICIENT_PARTICIPATION
    else:
        assert result.status not in (
            ClauseStatus.PENDING,
            ClauseStatus.INSUFFICIENT_PARTICIPATION,
        )
    if result.status in (ClauseStatus.PENDING, ClauseStatus.INSUFFICIENT_PARTICIPATION):
        assert result.status not in AGREED


def test_p20_default_quorum():
    assert [default_quorum(n) for n in (0, 1, 2, 3, 4, 5, 6, 7)] == [2, 2, 2, 2, 2, 3, 3, 4]
    assert clause(A, SA, SA).status is ClauseStatus.INSUFFICIENT_PARTICIPATION
    assert clause(A, A, SA).status is ClauseStatus.AGREED
    assert clause(A, A, PE).status is ClauseStatus.PENDING
    assert clause(A, R, PE).pending == {"p2"}


# --- Property 21 -----------------------------------------------------------------------------


@given(clause_positions(), st.lists(stances, max_size=4), modes)
def test_p21_refraining_parties_cannot_block(positions, outside, mode):
    refraining = [
        PartyPosition(f"x{i}", s, reason="not ours", signatory=False) for i, s in enumerate(outside)
    ]
    everyone = [p.party for p in positions] + [p.party for p in refraining]
    blocs = None if mode is Mode.UNANIMITY else {"all": everyone}
    alone = assess_clause(positions, mode=mode, blocs=blocs)
    joined = assess_clause(positions + refraining, mode=mode, blocs=blocs)
    assert replace(joined, advisory={}) == alone
    assert set(joined.advisory) == {p.party for p in refraining}


# --- Properties 22 and 23 --------------------------------------------------------------------

BLOCS = {"U": ["u1", "u2"], "N": ["n1", "n2"]}


def bloc_clause(stance_by_party, mode, weights=None, strict=False):
    positions = [position(party, s) for party, s in stance_by_party.items()]
    return assess_clause(
        positions, mode=mode, blocs=BLOCS, weights=weights, strict_thresholds=strict
    )


def test_p22_parallel_consent():
    passing = bloc_clause({"u1": A, "u2": R, "n1": L, "n2": R}, Mode.PARALLEL_CONSENT)
    assert passing.support == 0.5
    assert passing.bloc_support == {"U": 0.5, "N": 0.5}
    assert passing.status is ClauseStatus.AGREED_WITH_RESERVATIONS
    assert passing.rule == CLAUSE_PARALLEL_CONSENT_RULE
    assert passing.blocking == {} and set(passing.objections) == {"u2", "n2"}
    assert not passing.blocks("u2")  # outvoted, so it may still sign
    failing = bloc_clause({"u1": R, "u2": R, "n1": L, "n2": R}, Mode.PARALLEL_CONSENT)
    assert failing.status is ClauseStatus.BLOCKED
    assert failing.bloc_support["U"] == 0.0
    assert set(failing.blocking) == {"u1", "u2", "n2"}


def test_p22_thresholds_follow_the_rules_of_procedure():
    strict = bloc_clause({"u1": A, "u2": R, "n1": L, "n2": R}, Mode.PARALLEL_CONSENT, strict=True)
    assert strict.status is ClauseStatus.BLOCKED  # "more than 50%" is not met by exactly 50%


def test_p23_weighted_majority():
    low_bloc = {"u1": 35, "u2": 65, "n1": 85, "n2": 15}
    stance_by_party = {"u1": A, "u2": R, "n1": A, "n2": R}
    failing = bloc_clause(stance_by_party, Mode.WEIGHTED_MAJORITY, weights=low_bloc)
    assert failing.support == pytest.approx(0.6)
    assert failing.bloc_support["U"] == pytest.approx(0.35)
    assert failing.status is ClauseStatus.BLOCKED
    assert failing.rule == CLAUSE_WEIGHTED_MAJORITY_RULE
    every_bloc = {"u1": 40, "u2": 60, "n1": 80, "n2": 20}
    passing = bloc_clause(stance_by_party, Mode.WEIGHTED_MAJORITY, weights=every_bloc)
    assert passing.support == pytest.approx(0.6)
    assert min(passing.bloc_support.values()) == pytest.approx(0.4)
    assert passing.status is ClauseStatus.AGREED_WITH_RESERVATIONS
    short = {"u1": 40, "u2": 60, "n1": 78, "n2": 22}  # blocs fine, overall 0.59
    assert bloc_clause(stance_by_party, Mode.WEIGHTED_MAJORITY, weights=short).status is (
        ClauseStatus.BLOCKED
    )


def test_p23_thresholds_are_exact_with_float_weights():
    # Support 0.2 + 0.1 + 0.3 out of 1.0 is 60%, though 0.1 + 0.2 + 0.3 != 0.6 in binary floats.
    assert 0.1 + 0.2 + 0.3 != 0.6
    result = assess_clause(
        [position("u1", A), position("u2", L), position("n1", A), position("n2", R)],
        mode=Mode.WEIGHTED_MAJORITY,
        blocs={"U": ["u1", "u2"], "N": ["n1", "n2"]},
        weights={"u1": 0.2, "u2": 0.1, "n1": 0.3, "n2": 0.4},
    )
    assert result.support == 0.6
    assert result.status is ClauseStatus.AGREED_WITH_RESERVATIONS


def test_sufficient_consensus_counts_other_parties_and_ignores_stand_asides():
    positions = [position("u1", A), position("n1", A), position("o1", R), position("u2", SA)]
    result = assess_clause(
        positions, mode=Mode.PARALLEL_CONSENT, blocs={"U": ["u1", "u2"], "N": ["n1"]}
    )
    assert result.support == pytest.approx(2 / 3)  # "other" party o1 counts overall
    assert result.bloc_support == {"U": 1.0, "N": 1.0}  # u2 stood aside
    assert result.status is ClauseStatus.AGREED_WITH_RESERVATIONS


def test_a_bloc_with_nobody_taking_part_cannot_consent():
    positions = [position("u1", SA), position("n1", A), position("n2", A)]
    result = assess_clause(
        positions, mode=Mode.PARALLEL_CONSENT, blocs={"U": ["u1"], "N": ["n1", "n2"]}
    )
    assert result.status is ClauseStatus.INSUFFICIENT_PARTICIPATION
    assert result.bloc_support["U"] is None


# --- Statuses, scalar, document --------------------------------------------------------------


@pytest.mark.parametrize(
    ("stances_", "status", "key", "scalar"),
    [
        ((A, A, A), ClauseStatus.AGREED, (0, 3), 1.0),
        ((A, L, A), ClauseStatus.AGREED_WITH_RESERVATIONS, (0, 2), 2 / 3),
        ((A, R, L, SA), ClauseStatus.BLOCKED, (-1, 1), -1 / 3),
        ((L, L), ClauseStatus.AGREED_WITH_RESERVATIONS, (0, 0), 0.0),
    ],
)
def test_clause_status_table(stances_, status, key, scalar):
    result = clause(*stances_)
    assert (result.status, result.key) == (status, key)
    assert result.acceptability == pytest.approx(scalar)
    assert result.rule == CLAUSE_UNANIMITY_RULE


def test_acceptability_of_nobody_is_zero():
    assert acceptability([]) == 0.0
    assert clause_key([]) == (0, 0)


def test_reservations_and_stand_asides_are_reported():
    result = assess_clause(
        [
            PartyPosition("a", L, reason="needs a review clause"),
            PartyPosition("b", SA),
            PartyPosition("c", A),
        ]
    )
    assert result.reservations == {"a": "needs a review clause"}
    assert result.stood_aside == {"b"}
    assert result.signatories == {"a", "b", "c"}


def test_document_weakest_clause_binds():
    clauses = {
        "c1": clause(A, A, A),
        "c2": clause(A, L, A),
        "c3": clause(A, R, SA),
    }
    document = assess_document(clauses)
    assert document.status is ClauseStatus.BLOCKED
    assert document.acceptability == pytest.approx(-0.5)
    assert document.bottlenecks == {"c3"}
    assert document.blockers == {"p1": frozenset({"c3"})}
    assert document.can_sign == {"p0", "p2"}  # a party that blocks a clause cannot sign
    assert document.stood_aside == {"p2": frozenset({"c3"})}
    assert document.rule == DOCUMENT_RULE


def test_document_agreed_and_ceremony_lists():
    refrained = PartyPosition("x", R, reason="not party to this", signatory=False)
    positions = [position("p0", A), position("p1", L), refrained]
    document = assess_document({"c1": assess_clause(positions), "c2": clause(A, A)})
    assert document.status is ClauseStatus.AGREED_WITH_RESERVATIONS
    assert document.can_sign == document.signatories == {"p0", "p1"}
    assert document.refrained == {"x"}
    assert document.bottlenecks == {"c1"}


def test_document_status_takes_the_first_rule_any_clause_meets():
    clauses = {"c1": clause(A, R), "c2": clause(A, PE), "c3": clause(A, A)}
    document = assess_document(clauses)
    assert document.status is ClauseStatus.PENDING
    assert document.blockers == {"p1": frozenset({"c1"})}
    with pytest.raises(ValueError):
        assess_document({})


def test_a_pending_clause_already_rejected_is_blocked_by_the_rejecter():
    pending = clause(A, R, PE)
    assert pending.status is ClauseStatus.PENDING
    assert pending.blocks("p1") and not pending.blocks("p0")
    assert pending.objections == {"p1": "p1 objects"} and pending.blocking == {}


@given(st.lists(decided_stances, min_size=2, max_size=6))
def test_stances_map_to_levels(drawn):
    result = clause(*drawn)
    assert result.key == clause_key(s.level for s in drawn)
    assert Stance.STAND_ASIDE.level is None and Stance.PENDING.level is None


# --- Validation ------------------------------------------------------------------------------


def test_a_rejection_needs_a_reason():
    with pytest.raises(ValueError):
        PartyPosition("a", R)
    with pytest.raises(ValueError):
        PartyPosition("a", "reject", reason="   ")
    assert PartyPosition("a", "accept").stance is A


@pytest.mark.parametrize(
    "options",
    [
        {"quorum": 0},
        {"mode": "majority"},
        {"blocs": {"U": ["p0"]}},
        {"mode": Mode.PARALLEL_CONSENT, "blocs": {"U": ["p0"], "N": ["p0", "p1"]}},
        {"mode": Mode.PARALLEL_CONSENT, "weights": {"p0": 1}},
        {"mode": Mode.PARALLEL_CONSENT, "weights": {"p0": 1, "p1": 0}},
        {"mode": Mode.PARALLEL_CONSENT, "weights": {"p0": 1, "p1": float("nan")}},
    ],
)
def test_invalid_settings_are_refused(options):
    with pytest.raises(ValueError):
        clause(A, A, **options)


def test_one_party_one_position():
    with pytest.raises(ValueError):
        assess_clause([position("a", A), position("a", R)])
    with pytest.raises(ValueError):
        assess_clause([position("a", A), PartyPosition("a", A, signatory=False)])
