"""Bridging score of a statement across groups: bridging.md §5a(i), properties 1-14 of §5b."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from parley.consensus.rules import STATEMENT_RULE
from parley.consensus.statements import (
    GroupTally,
    StatementScore,
    Status,
    explain,
    ranking_key,
    robust_common_ground,
    routing_weight,
    score_statement,
)
from parley.consensus.wilson import Z_90, wilson_lower, wilson_upper
from tests.unit.consensus.strategies import statements, tally_with_shares, taus

G = GroupTally

TABLE_5_1 = {
    # name: (tallies, arithmetic mean of (A+1)/(A+D+2), product of (A+1)/(N+2), T, B+, status)
    "S1": ([G(40, 0, 0), G(4, 36, 0)], 0.55, 0.12, 0.34, 0.05, Status.DIVISIVE),
    "S2": ([G(24, 10, 6), G(24, 12, 4)], 0.68, 0.35, 0.60, 0.50, Status.EMERGING),
    "S3": ([G(40, 0, 0), G(14, 20, 6)], 0.70, 0.35, 0.59, 0.26, Status.DIVISIVE),
    "S4": ([G(3, 0, 0), G(3, 0, 0)], 0.80, 0.64, 0.80, 0.65, Status.NEEDS_VOTES),
    "S5": ([G(30, 2, 1), G(30, 1, 2)], 0.93, 0.78, 0.89, 0.82, Status.COMMON_GROUND),
    "S6": ([G(50, 0, 0), G(0, 0, 0)], 0.74, 0.49, 0.70, 0.00, Status.NEEDS_VOTES),
    "S7": ([G(40, 0, 0), G(0, 2, 38)], 0.61, 0.02, 0.15, 0.00, Status.UNCLEAR),
}


def polis_report_mean(tallies: list[GroupTally]) -> float:
    """The Pol.is report's normalised mean, which ignores passes (a comparison measure)."""
    return sum((t.agree + 1) / (t.agree + t.disagree + 2) for t in tallies) / len(tallies)


def polis_gac(tallies: list[GroupTally]) -> float:
    """Pol.is group-aware consensus: the product of smoothed agree shares (a comparison measure)."""
    return math.prod((t.agree + 1) / (t.total + 2) for t in tallies)


def agree_shares(tallies: list[GroupTally]) -> list[float]:
    return [t.agree / t.total for t in tallies]


def sorts_before(first: list[GroupTally], second: list[GroupTally]) -> bool:
    """Whether `first` is listed above `second`, even when it has the larger statement id."""
    return ranking_key(score_statement(first), 2) < ranking_key(score_statement(second), 1)


# --- Table 5.1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLE_5_1))
def test_table_5_1(name):
    tallies, report_mean, product, geometric, bridging, status = TABLE_5_1[name]
    score = score_statement(tallies)
    assert round(polis_report_mean(tallies), 2) == report_mean
    assert round(polis_gac(tallies), 2) == product
    assert round(score.tie_break, 2) == geometric
    assert round(score.score, 2) == bridging
    assert score.status is status
    assert score.rule == STATEMENT_RULE


def test_table_5_1_s2_is_just_below_the_bar():
    assert score_statement(TABLE_5_1["S2"][0]).score == pytest.approx(0.4987, abs=1e-4)


def test_table_5_1_order():
    # B+ orders them S5 > S2 > S3 > S1 > S6 = S7, with S4 gated (needs_votes).
    scores = {name: score_statement(row[0]) for name, row in TABLE_5_1.items()}
    ungated = [name for name, score in scores.items() if score.status is not Status.NEEDS_VOTES]
    ranked = sorted(ungated, key=lambda name: ranking_key(scores[name], name))
    assert ranked == ["S5", "S2", "S3", "S1", "S7"]
    assert scores["S6"].score == scores["S7"].score == 0.0
    assert scores["S4"].status is Status.NEEDS_VOTES


def test_table_5_1_shows_why_the_minimum():
    # The arithmetic mean ranks the lopsided S3 above S2; the product ties them.
    s2, s3 = TABLE_5_1["S2"][0], TABLE_5_1["S3"][0]
    assert polis_report_mean(s3) > polis_report_mean(s2)
    assert round(polis_gac(s2), 2) == round(polis_gac(s3), 2)
    assert sorts_before(s2, s3)


# --- Property 1 ------------------------------------------------------------------------------


@given(
    polarised=st.lists(tally_with_shares(0.0, 1.0), min_size=1, max_size=4),
    holdout=tally_with_shares(0.0, 0.4),
    shared=st.lists(tally_with_shares(0.6, 1.0), min_size=2, max_size=5),
)
def test_p01_polarised_never_beats_shared(polarised, holdout, shared):
    assert sorts_before(shared, [*polarised, holdout])
    assert score_statement(shared).score > score_statement([*polarised, holdout]).score


@pytest.mark.parametrize(
    ("shared", "polarised"),
    [
        (TABLE_5_1["S2"][0], TABLE_5_1["S3"][0]),
        (TABLE_5_1["S2"][0], TABLE_5_1["S1"][0]),
        ([G(12, 8, 0), G(12, 8, 0)], [G(20, 0, 0), G(6, 14, 0)]),  # (0.6, 0.6) vs (1.0, 0.3)
    ],
)
def test_p01_vectors(shared, polarised):
    assert sorts_before(shared, polarised)


# --- Property 2 ------------------------------------------------------------------------------


def test_p02_regression_vs_arithmetic_mean():
    lopsided = [G(40, 0, 0), G(12, 28, 0)]
    even = [G(24, 16, 0), G(24, 16, 0)]
    assert sum(agree_shares(lopsided)) / 2 == pytest.approx(0.65)
    assert round(polis_report_mean(lopsided), 2) == 0.64
    assert round(polis_report_mean(even), 2) == 0.60
    assert round(score_statement(lopsided).score, 2) == 0.22
    assert round(score_statement(even).score, 2) == 0.50
    assert sorts_before(even, lopsided)


# --- Property 3 ------------------------------------------------------------------------------


@given(statements(min_votes=1), st.data(), st.integers(1, 50))
def test_p03_group_size_invariance_scaling(tallies, data, factor):
    # Recruiting c times more members of one group never lifts B+ above the least-convinced
    # group's agree share.
    j = data.draw(st.integers(0, len(tallies) - 1))
    t = tallies[j]
    scaled = [*tallies]
    scaled[j] = G(t.agree * factor, t.disagree * factor, t.passes * factor)
    assert score_statement(scaled).score <= min(agree_shares(scaled))


@given(statements(), st.data(), st.integers(1, 500))
def test_p03_group_size_invariance_extra_agrees_elsewhere(tallies, data, extra):
    before = score_statement(tallies)
    others = [g for g in range(len(tallies)) if g != before.binding]
    j = data.draw(st.sampled_from(others))
    grown = [*tallies]
    grown[j] = replace(tallies[j], agree=tallies[j].agree + extra)
    assert score_statement(grown).score == before.score


# --- Property 4 ------------------------------------------------------------------------------


@given(statements(min_groups=1), st.data(), taus, st.integers(1, 20))
def test_p04_no_free_ride_for_absent_groups(tallies, data, tau, n_min):
    j = data.draw(st.integers(0, len(tallies)))
    with_absent = [*tallies[:j], G(0, 0, 0), *tallies[j:]]
    score = score_statement(with_absent, n_min=n_min, tau=tau)
    assert score.status is Status.NEEDS_VOTES
    assert score.score == 0.0


def test_p04_fewer_than_two_groups_voted():
    assert score_statement([G(90, 0, 0)]).status is Status.NEEDS_VOTES
    assert score_statement([]).status is Status.NEEDS_VOTES
    assert score_statement([]).score == 0.0


# --- Property 5 ------------------------------------------------------------------------------

UPGRADES = {
    "disagree->pass": ("disagree", "passes"),
    "pass->agree": ("passes", "agree"),
    "disagree->agree": ("disagree", "agree"),
}


def move_vote(tally: GroupTally, source: str, target: str) -> GroupTally:
    return replace(
        tally, **{source: getattr(tally, source) - 1, target: getattr(tally, target) + 1}
    )


@given(statements(), st.data(), st.sampled_from(sorted(UPGRADES)))
def test_p05_monotonicity(tallies, data, change):
    source, target = UPGRADES[change]
    j = data.draw(st.integers(0, len(tallies) - 1))
    assume(getattr(tallies[j], source) > 0)
    changed = [*tallies]
    changed[j] = move_vote(tallies[j], source, target)
    assert score_statement(changed).score >= score_statement(tallies).score
    # The reverse change, from `changed` back to `tallies`, never raises it.
    reverted = [*changed]
    reverted[j] = move_vote(changed[j], target, source)
    assert score_statement(reverted).score <= score_statement(changed).score


# --- Property 6 ------------------------------------------------------------------------------


def test_p06_small_sample_caution():
    tiny = [G(3, 0, 0), G(3, 0, 0)]
    solid = [G(30, 3, 0), G(30, 2, 1)]
    assert sorts_before(solid, tiny)
    assert score_statement(tiny).score < score_statement(solid).score
    assert score_statement(tiny, n_min=5).status is Status.NEEDS_VOTES


# --- Property 7 ------------------------------------------------------------------------------


def wilson_gap_bound(share: float, votes: int) -> float:
    """An upper bound on share - L(x, N), from sqrt(a + b) <= sqrt(a) + sqrt(b) in the formula."""
    return Z_90 * math.sqrt(share * (1 - share) / votes) + Z_90**2 * share / votes


@settings(deadline=None)
@given(statements(min_votes=1, max_votes=30), st.sampled_from([10**2, 10**4, 10**6]))
def test_p07_consistency(tallies, factor):
    large = [G(t.agree * factor, t.disagree * factor, t.passes * factor) for t in tallies]
    least = min(agree_shares(large))
    gap = least - score_statement(large).score
    bound = max(wilson_gap_bound(t.agree / t.total, t.total) for t in large)
    assert 0.0 <= gap <= bound
    if factor == 10**6:
        assert gap < 2e-3  # B+ -> min share as N grows


# --- Property 8 ------------------------------------------------------------------------------


@given(statements(max_votes=30), st.randoms(use_true_random=False), taus)
def test_p08_anonymity_and_neutrality(tallies, rnd, tau):
    original = score_statement(tallies, tau=tau)
    order = list(range(len(tallies)))
    rnd.shuffle(order)
    # Participants within a group: the same votes in another order.
    shuffled = []
    for g in order:
        votes = [1] * tallies[g].agree + [-1] * tallies[g].disagree + [0] * tallies[g].passes
        rnd.shuffle(votes)
        shuffled.append(G.from_votes(votes))
    permuted = score_statement(shuffled, tau=tau)
    assert replace(permuted, binding=None) == replace(original, binding=None)
    # The binding group may be another one only if it ties at the minimum.
    assert permuted.binding is not None
    binding = shuffled[permuted.binding]
    assert wilson_lower(binding.agree, binding.total) == original.score
    assert tallies[order[permuted.binding]] == binding


# --- Property 9 ------------------------------------------------------------------------------


@given(
    statements(min_groups=1, max_groups=4, min_votes=1),
    st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)).filter(any),
    st.integers(1, 30),
    st.integers(1, 30),
)
def test_p09_group_split_invariance(others, unit, first, second):
    """Split a group (c1+c2)(a,d,p) into c1(a,d,p) and c2(a,d,p): the shares are identical.

    Asserted precisely: the split never raises B+, and lowers it by at most the widening of
    the Wilson bound at the smaller subgroup's size, share - L(x, N_small) <=
    z sqrt(share (1 - share) / N_small) + z^2 share / N_small, which vanishes as N grows.
    """
    whole = G(*(k * (first + second) for k in unit))
    parts = [G(*(k * first for k in unit)), G(*(k * second for k in unit))]
    before = score_statement([*others, whole]).score
    after = score_statement([*others, *parts]).score
    smaller = min(part.total for part in parts)
    assert after <= before
    assert before - after <= wilson_gap_bound(whole.agree / whole.total, smaller)


def test_p09_product_score_fails_group_split():
    # At large N the bound's sample-size effect vanishes, and so does B+'s change; the product
    # of smoothed shares drops by a whole factor of about the group's share instead.
    other, whole = G(9_000, 1_000, 0), G(12_000, 8_000, 0)
    halves = [G(6_000, 4_000, 0), G(6_000, 4_000, 0)]
    before, after = score_statement([other, whole]), score_statement([other, *halves])
    assert before.score - after.score < 0.005
    assert polis_gac([other, *halves]) / polis_gac([other, whole]) == pytest.approx(0.6, abs=1e-3)


# --- Property 10 -----------------------------------------------------------------------------


def swapped(tallies: list[GroupTally]) -> list[GroupTally]:
    return [G(t.disagree, t.agree, t.passes) for t in tallies]


@given(statements(), taus)
@example([G(30, 2, 1), G(30, 1, 2)], 0.5)
@example([G(2, 30, 1), G(1, 30, 2)], 0.5)
def test_p10_polarity_symmetry(tallies, tau):
    original = score_statement(tallies, tau=tau)
    mirrored = score_statement(swapped(tallies), tau=tau)
    assert (mirrored.score, mirrored.rejection) == (original.rejection, original.score)
    mapping = {
        Status.COMMON_GROUND: Status.SHARED_REJECTION,
        Status.SHARED_REJECTION: Status.COMMON_GROUND,
    }
    if original.status in mapping:
        assert mirrored.status is mapping[original.status]
    if mirrored.status in mapping:
        assert original.status is mapping[mirrored.status]


def test_p10_examples_cover_both_directions():
    assert score_statement([G(30, 2, 1), G(30, 1, 2)]).status is Status.COMMON_GROUND
    assert score_statement([G(2, 30, 1), G(1, 30, 2)]).status is Status.SHARED_REJECTION


# --- Property 11 -----------------------------------------------------------------------------


@given(
    statements(min_groups=1, max_groups=4),
    st.tuples(st.integers(0, 40), st.integers(0, 40)),
    st.integers(0, 40),
    taus,
)
@example([G(40, 0, 0)], (10, 0), 0, 0.5)
def test_p11_pass_handling(others, agree_disagree, surplus, tau):
    agree, disagree = agree_disagree
    passing = G(agree, disagree, agree + disagree + surplus)  # passes >= half the group
    assume(passing.total > 0)
    status = score_statement([*others, passing], tau=tau).status
    assert status in (Status.NEEDS_VOTES, Status.UNCLEAR)


# --- Property 12 -----------------------------------------------------------------------------


@given(statements(max_votes=30), st.randoms(use_true_random=False), st.integers(0, 2**32 - 1))
def test_p12_determinism(tallies, rnd, seed):
    first = score_statement(tallies)
    random.seed(seed)  # a global seed must not matter
    votes = [[1] * t.agree + [-1] * t.disagree + [0] * t.passes for t in tallies]
    for group in votes:
        rnd.shuffle(group)
    again = score_statement([G.from_votes(group) for group in votes])
    assert again == first
    names = [f"g{i}" for i in range(len(tallies))]
    assert explain(again, tallies, names) == explain(first, tallies, names)


# --- Property 13 -----------------------------------------------------------------------------


@given(statements(min_groups=0), taus)
def test_p13_bounds(tallies, tau):
    score = score_statement(tallies, tau=tau)
    assert 0.0 <= score.score <= 1.0
    assert 0.0 <= score.rejection <= 1.0
    assert 0.0 <= score.tie_break <= 1.0
    assert score.score + score.rejection <= 1.0


# --- Property 14 -----------------------------------------------------------------------------


@given(statements(min_groups=1))
def test_p14_explanation_names_the_argmin(tallies):
    score = score_statement(tallies)
    bounds = [wilson_lower(t.agree, t.total) for t in tallies]
    assert score.binding is not None
    assert bounds[score.binding] == min(bounds) == score.score
    assert score.binding == bounds.index(min(bounds))  # the first group at the minimum
    names = [f"Party {chr(65 + i)}" for i in range(len(tallies))]
    assert f"limited by {names[score.binding]}:" in explain(score, tallies, names)


def test_p14_explanation_text():
    tallies = [G(40, 0, 0), G(14, 20, 6)]
    score = score_statement(tallies)
    assert explain(score, tallies, ["Party A", "Party B"]) == (
        "limited by Party B: 14/40 agree (35%), 20 disagree, 6 pass"
    )
    absent = [G(5, 0, 0), G(0, 0, 0)]
    assert explain(score_statement(absent), absent, ["A", "B"]) == "limited by B: no votes yet"
    assert explain(score_statement([]), [], []) == "no groups to compare"
    with pytest.raises(ValueError):
        explain(score, tallies, ["only one name"])


def test_explanation_rounds_half_up():
    tallies = [G(1, 7, 0), G(40, 0, 0)]  # 12.5%
    assert "(13%)" in explain(score_statement(tallies), tallies, ["A", "B"])


# --- Statuses, key, routing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tallies", "status"),
    [
        ([G(14, 6, 0), G(7, 13, 0)], Status.DIVISIVE),  # 0.7 vs 0.35 majorities split
        ([G(14, 6, 0), G(8, 8, 4)], Status.DIVISIVE),  # spread 0.7 - 0.4 = 0.3 exactly
        ([G(14, 6, 0), G(9, 7, 4)], Status.MIXED),  # spread 0.25, B not majority agree
        ([G(12, 8, 0), G(11, 9, 0)], Status.EMERGING),
        ([G(10, 10, 0), G(10, 10, 0)], Status.DIVISIVE),  # half agree in A, half disagree in B
        ([G(10, 5, 5), G(11, 6, 3)], Status.EMERGING),  # exactly half agree is a majority
        ([G(6, 4, 10), G(20, 0, 0)], Status.UNCLEAR),  # half of A passes
    ],
)
def test_status_rules(tallies, status):
    assert score_statement(tallies).status is status


def test_divisive_needs_two_different_groups():
    # One group at exactly half agree and half disagree does not split the statement alone.
    assert score_statement([G(10, 10, 0), G(8, 7, 5)]).status is Status.MIXED


def test_strong_common_ground():
    strong = score_statement([G(30, 2, 1), G(30, 1, 2)])
    assert strong.strong and strong.score >= 0.6
    plain = score_statement([G(65, 35, 0), G(66, 34, 0)])
    assert plain.status is Status.COMMON_GROUND and not plain.strong
    assert not score_statement(TABLE_5_1["S4"][0]).strong  # 0.65 but needs votes


def test_ranking_key_breaks_ties_by_t_then_total_then_id():
    a = StatementScore(0.5, 0.0, 0.7, 80, Status.EMERGING, 0, STATEMENT_RULE, False)
    b = replace(a, tie_break=0.6)
    c = replace(a, total=90)
    order = sorted([(b, 1), (a, 3), (c, 4), (a, 2)], key=lambda pair: ranking_key(*pair))
    assert [pair[1] for pair in order] == [4, 2, 3, 1]


def test_routing_weight_targets_undecided_statements():
    undecided = [G(24, 10, 6), G(24, 12, 4)]  # emerging
    score = score_statement(undecided)
    width = wilson_upper(24, 40) - wilson_lower(24, 40)
    assert routing_weight(undecided[0], score) == pytest.approx(width)
    settled = [G(90, 0, 0), G(2, 90, 0)]  # divisive, B+ far below tau
    assert routing_weight(settled[0], score_statement(settled)) == 0.0
    absent = [G(9, 0, 0), G(0, 0, 0)]  # needs votes: the empty group has full width
    assert routing_weight(absent[1], score_statement(absent)) == 1.0
    near = [G(70, 30, 0), G(60, 40, 0)]  # common ground, but B+ within 0.15 of tau
    near_score = score_statement(near)
    assert abs(near_score.score - 0.5) < 0.15
    assert routing_weight(near[0], near_score) > 0.0


def test_robust_common_ground_needs_every_partition():
    common = score_statement([G(30, 2, 1), G(30, 1, 2)])
    emerging = score_statement(TABLE_5_1["S2"][0])
    assert robust_common_ground([common, common])
    assert not robust_common_ground([common, emerging])
    assert not robust_common_ground([])


@pytest.mark.parametrize(("n_min", "tau"), [(0, 0.5), (10, 0.4), (10, 1.0)])
def test_settings_are_checked(n_min, tau):
    with pytest.raises(ValueError):
        score_statement([G(1, 1, 1)], n_min=n_min, tau=tau)


def test_tallies_reject_bad_counts():
    with pytest.raises(ValueError):
        G(-1, 0, 0)
    with pytest.raises(ValueError):
        G.from_votes([1, 2])
    assert G.from_votes([1, 1, -1, 0]) == G(2, 1, 1)
    assert G(2, 1, 1).total == 4


def test_shares_are_compared_exactly():
    # 0.7 - 0.4 < 0.3 in floating point; the spread rule must still see 3/10.
    assert 0.7 - 0.4 < 0.3
    assert Fraction(7, 10) - Fraction(4, 10) == Fraction(3, 10)
    assert score_statement([G(7, 3, 0), G(4, 2, 4)], n_min=5).status is Status.DIVISIVE
