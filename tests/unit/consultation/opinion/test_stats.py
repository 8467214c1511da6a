"""Pol.is's per-statement statistics on hand-computed toys and generated counts (§1.9-§1.11).

`polis_select` below is a literal, statement-by-statement port of Pol.is's `select-rep-comments`
(exact ratios as Fractions), the oracle the vectorised selection must agree with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.consultation.opinion import stats
from parley.consultation.opinion.stats import GroupCounts
from parley.consultation.opinion.types import ConsensusStatement, RepresentativeStatement

A, D, P = 1, -1, 0
Z = 1.2816

# A 2-group toy: group 0 = participants 0-3, group 1 = participants 4-6, participant 7 unclustered.
# Statement 10: group 0 votes A A A P, group 1 votes D D P; statement 11: group 0 P P, group 1 A.
TOY_VOTES = [
    (0, 0, A), (1, 0, A), (2, 0, A), (3, 0, P), (4, 0, D), (5, 0, D), (6, 0, P), (7, 0, A),
    (0, 1, P), (1, 1, P), (4, 1, A), (7, 1, D),
]  # fmt: skip
TOY_MEMBERSHIP = [0, 0, 0, 0, 1, 1, 1, -1]
TOY_IDS = np.array([10, 11])

Stats = dict[str, Any]  # one (group, statement)'s Pol.is comment stats, by Pol.is's key names


def rep(
    statement: int, repful: str, n: int, trials: int, *floats: float, best_agree: bool = False
) -> RepresentativeStatement:
    """Build an expected record whose p, p-test, repness and repness-test allow hand rounding."""
    p_success, p_test, repness, repness_test = (pytest.approx(x, rel=1e-15) for x in floats)
    return RepresentativeStatement(
        statement, repful, n, trials, p_success, p_test, repness, repness_test, best_agree
    )


def toy_counts() -> GroupCounts:
    rows, cols, values = (np.array(column) for column in zip(*TOY_VOTES, strict=True))
    return stats.count_by_group(rows, cols, values, TOY_MEMBERSHIP, k=2, m=2)


def test_count_by_group_counts_passes_as_seen_and_skips_the_unclustered() -> None:
    counts = toy_counts()

    np.testing.assert_array_equal(counts.agree, [[3, 0], [0, 1]])
    np.testing.assert_array_equal(counts.disagree, [[0, 0], [2, 0]])
    np.testing.assert_array_equal(counts.seen, [[4, 2], [3, 1]])
    assert counts.seen.dtype == np.int64


def test_count_by_group_rejects_indices_out_of_range() -> None:
    with pytest.raises(ValueError, match="statement"):
        stats.count_by_group([0], [2], [A], [0], k=1, m=2)
    with pytest.raises(ValueError, match="group"):
        stats.count_by_group([0], [0], [A], [1], k=1, m=2)
    with pytest.raises(ValueError, match="votes"):
        stats.count_by_group([0], [0], [2], [0], k=1, m=2)


def test_group_counts_reject_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="shape"):
        GroupCounts(agree=np.zeros((2, 3)), disagree=np.zeros((2, 3)), seen=np.zeros((3, 2)))


def test_repness_of_the_toy_by_hand() -> None:
    # Group 0, statement 10: na = 3, ns = 4; the other group has Na = 0, Ns = 3.
    pa = (3 + 1) / (4 + 2)  # 2/3
    pat = 2 * math.sqrt(4 + 1) * ((3 + 1) / (4 + 1) - 0.5)  # 0.6 sqrt 5 = 1.342 > 1.2816
    ra = pa / ((0 + 1) / (3 + 2))  # 10/3
    # Two-proportion test, all four counts +1: pi1 = 4/5, pi2 = 1/4, pi-hat = 5/9;
    # variance = 5/9 * 4/9 * (1/5 + 1/4) = 1/9, so rat = (4/5 - 1/4) * 3 = 1.65 > 1.2816.
    rat = (4 / 5 - 1 / 4) / math.sqrt(5 / 9 * 4 / 9 * (1 / 5 + 1 / 4))
    assert (pa, ra, rat) == pytest.approx((2 / 3, 10 / 3, 1.65))
    # Group 1, statement 11: na = ns = 1 against Na = 0, Ns = 2 also passes: pat = sqrt 2 and
    # rat = (1 - 1/3) / sqrt(3/5 * 2/5 * (1/2 + 1/3)) = 1.491; statement 10 fails there.
    pat_11 = 2 * math.sqrt(2) * (2 / 2 - 0.5)
    rat_11 = (1 - 1 / 3) / math.sqrt(3 / 5 * 2 / 5 * (1 / 2 + 1 / 3))

    group0, group1 = stats.repness(toy_counts(), TOY_IDS, np.array([False, False]))

    assert group0 == (rep(10, "agree", 3, 4, pa, pat, ra, rat, best_agree=True),)
    assert group1 == (rep(11, "agree", 1, 1, 2 / 3, pat_11, 8 / 3, rat_11, best_agree=True),)


def test_repness_falls_back_to_the_best_test_when_nothing_passes() -> None:
    # With statement 11 moderated out, group 1 has nothing passing and no best agree (statement
    # 10 has pat = -1 and ra = 0.3), so Pol.is shows its largest max(rat, rdt): statement 10 for
    # disagree, nd = 2 of ns = 3, pd = 3/5, pdt = 2 sqrt 4 (3/4 - 1/2) = 1, rd = (3/5)/(1/6),
    # rdt = (3/4 - 1/5) / sqrt(4/9 * 5/9 * (1/4 + 1/5)) = 0.55 * 3.
    _, group1 = stats.repness(toy_counts(), TOY_IDS, np.array([False, True]))

    assert group1 == (rep(10, "disagree", 2, 3, 3 / 5, 1, 3.6, 1.65),)


def test_the_fallback_compares_against_the_best_rounded_to_float32() -> None:
    # Neither statement passes in group 0 nor qualifies as its best agree; their max(rat, rdt)
    # agree to 15 digits (-0.72456883730947...). Pol.is compares each next statement with the
    # best's repness-test rounded to float32, so whichever comes second replaces the first.
    agree, disagree, seen = [[2, 0], [0, 0]], [[7, 7], [1, 3]], [[11, 9], [1, 3]]
    for order in ([0, 1], [1, 0]):
        counts = GroupCounts(
            agree=np.array(agree)[:, order],
            disagree=np.array(disagree)[:, order],
            seen=np.array(seen)[:, order],
        )
        ids = np.array([20, 21])[order]

        (only,) = stats.repness(counts, ids, np.array([False, False]))[0]

        assert (only.statement, only.best_agree) == (ids[1], False)


def test_repness_never_selects_moderated_out_statements() -> None:
    selected = stats.repness(toy_counts(), TOY_IDS, np.array([True, True]))

    assert selected == [(), ()]


def test_masks_must_be_boolean_with_one_flag_per_statement() -> None:
    # A list of moderated-out ids is not a mask: refuse it rather than misread it.
    with pytest.raises(ValueError, match="boolean mask"):
        stats.repness(toy_counts(), TOY_IDS, np.array([11]))
    with pytest.raises(ValueError, match="boolean mask"):
        stats.priorities(toy_counts(), np.zeros(2), np.array([0, 1]))
    with pytest.raises(ValueError, match="statement_ids"):
        stats.repness(toy_counts(), np.array([10]), np.array([False, False]))


def test_consensus_by_hand_keeps_the_top_five_in_polis_order() -> None:
    # Agree counts out of 9 votes each; pa = (na+1)/11 and pat = 2 sqrt 10 ((na+1)/10 - 1/2).
    agree = np.array([[9, 8, 9, 4, 7, 6, 9, 9, 0]])
    disagree = np.array([[0, 1, 0, 5, 2, 3, 0, 0, 9]])
    counts = GroupCounts(agree=agree, disagree=disagree, seen=np.full((1, 9), 9))
    mod_out = np.zeros(9, dtype=bool)
    mod_out[7] = True
    ids = np.arange(100, 109)

    agrees, disagrees = stats.consensus(counts, ids, mod_out)

    # Ties keep statement order; 103 (pa = 5/11, not > 1/2) and 107 (moderated out) never show.
    assert [c.statement for c in agrees] == [100, 102, 106, 101, 104]
    assert agrees[0] == ConsensusStatement(100, 9, 9, 10 / 11, 2 * math.sqrt(10) * 0.5)
    assert [c.statement for c in disagrees] == [108]


def test_consensus_needs_one_group_of_everyone() -> None:
    with pytest.raises(ValueError, match="k = 1"):
        stats.consensus(toy_counts(), TOY_IDS, np.array([False, False]))


def test_group_aware_consensus_of_the_toy_by_hand() -> None:
    # Statement 10: (3+1)/(4+2) * (0+1)/(3+2); statement 11: (0+1)/(2+2) * (1+1)/(1+2).
    np.testing.assert_allclose(
        stats.group_aware_consensus(toy_counts()), [2 / 3 * 1 / 5, 1 / 4 * 2 / 3], rtol=1e-15
    )


def test_priorities_of_the_toy_by_hand() -> None:
    extremity = np.array([0.5, 2.0])
    # Statement 10 over both groups: A = 3, D = 2, S = 7, so P = 2.
    importance = (1 - (2 + 1) / (7 + 2)) * (0.5 + 1) * (3 + 1) / (7 + 2)
    expected = (importance * (1 + 8 * 2 ** (-7 / 5))) ** 2

    priority = stats.priorities(toy_counts(), extremity, np.array([False, True]))

    assert priority[0] == pytest.approx(expected, rel=1e-15)
    assert priority[1] == 49.0  # meta: 7 squared, whatever its votes


def test_comment_extremity_by_hand() -> None:
    center = np.array([0.5, -0.2])
    components = np.array([[0.6, 0.8], [0.8, -0.6]])  # unit-length columns

    extremity = stats.comment_extremity(center, components)

    np.testing.assert_allclose(extremity, [math.sqrt(2) * 0.5, math.sqrt(2) * 1.2], rtol=1e-15)
    np.testing.assert_allclose(stats.comment_extremity(center, -components), extremity)


# --- Generated counts ----------------------------------------------------------------------------


@st.composite
def group_counts(draw: st.DrawFn, min_groups: int = 1) -> GroupCounts:
    """Draw small counts: small numbers make many exact ties, which the orders must keep."""
    k = draw(st.integers(min_groups, 5))
    m = draw(st.integers(1, 12))
    cell = st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 4))
    cells = draw(st.lists(cell, min_size=k * m, max_size=k * m))
    columns = zip(*cells, strict=True)
    agree, disagree, passed = (np.array(c, dtype=np.int64).reshape(k, m) for c in columns)
    return GroupCounts(agree=agree, disagree=disagree, seen=agree + disagree + passed)


def _stats(counts: GroupCounts, g: int, j: int) -> Stats:
    """Pol.is's comment stats for one (group, statement), ratios kept exact as Clojure does."""
    na, nd, ns = (int(x[g, j]) for x in (counts.agree, counts.disagree, counts.seen))
    rest_a, rest_d, rest_s = (
        int(x[:, j].sum()) - int(x[g, j]) for x in (counts.agree, counts.disagree, counts.seen)
    )

    def prop_test(succ: int, n: int) -> float:
        return 2 * math.sqrt(n + 1) * (float(Fraction(succ + 1, n + 1)) - 0.5)

    def two_prop_test(s_in: int, s_out: int, n_in: int, n_out: int) -> float:
        s_in, s_out, n_in, n_out = s_in + 1, s_out + 1, n_in + 1, n_out + 1
        pi_hat = Fraction(s_in + s_out, n_in + n_out)
        if pi_hat == 1:
            return 0.0
        variance = pi_hat * (1 - pi_hat) * (Fraction(1, n_in) + Fraction(1, n_out))
        return float(Fraction(s_in, n_in) - Fraction(s_out, n_out)) / math.sqrt(variance)

    pa, pd = Fraction(na + 1, ns + 2), Fraction(nd + 1, ns + 2)
    return {
        "na": na, "nd": nd, "ns": ns, "pa": pa, "pd": pd,
        "pat": prop_test(na, ns), "pdt": prop_test(nd, ns),
        "ra": pa / Fraction(rest_a + 1, rest_s + 2), "rd": pd / Fraction(rest_d + 1, rest_s + 2),
        "rat": two_prop_test(na, rest_a, ns, rest_s), "rdt": two_prop_test(nd, rest_d, ns, rest_s),
    }  # fmt: skip


def _finalize(j: int, s: Stats) -> dict[str, Any]:
    agree = s["rat"] > s["rdt"]
    side = ("na", "pa", "pat", "ra", "rat") if agree else ("nd", "pd", "pdt", "rd", "rdt")
    n, p, pt, r, rt = (s[key] for key in side)
    return {
        "j": j, "agree": agree, "n": n, "ns": s["ns"], "p": float(p), "pt": pt,
        "r": float(r), "rt": rt, "stored_rt": float(np.float32(rt)),
    }  # fmt: skip


def _product(s: Mapping[str, Any], *keys: str) -> float:
    """Multiply left to right, Fractions meeting floats as Clojure ratios meet doubles."""
    result = s[keys[0]]
    for key in keys[1:]:
        result = result * s[key]
    return result


def _beats_best_agree(s: Stats, best: Stats | None) -> bool:
    if s["na"] == 0 and s["nd"] == 0:
        return False
    if best is not None and best["ra"] > 1:
        return _product(s, "ra", "rat", "pa", "pat") > _product(best, "ra", "rat", "pa", "pat")
    if best is not None:
        return _product(s, "pa", "pat") > _product(best, "pa", "pat")
    return s["pat"] > Z or (s["ra"] > 1 and s["pa"] > Fraction(1, 2))


def polis_select(counts: GroupCounts, g: int, mod_out: np.ndarray) -> list[tuple[int, bool, bool]]:
    """Port Pol.is's `select-rep-comments` for group g: [(column, repful agree, best agree)]."""
    sufficient, best, best_agree = [], None, None
    for j in np.flatnonzero(~mod_out).tolist():
        s = _stats(counts, g, j)
        if (s["rat"] > Z and s["pat"] > Z) or (s["rdt"] > Z and s["pdt"] > Z):
            sufficient.append(_finalize(j, s))
        if not sufficient and (best is None or max(s["rat"], s["rdt"]) > best["stored_rt"]):
            best = _finalize(j, s)
        if _beats_best_agree(s, best_agree):
            best_agree = {**s, "j": j}
    head = _finalize(best_agree["j"], best_agree) if best_agree is not None else None
    if not sufficient:
        chosen = [head] if head is not None else [best] if best is not None else []
    else:
        rest = [f for f in sufficient if head is None or f["j"] != head["j"]]
        rest.sort(key=lambda f: -(f["r"] * f["stored_rt"] * f["p"] * f["pt"]))
        chosen = ([head] if head is not None else []) + rest
        chosen = chosen[:5]
        chosen = [f for f in chosen if f["agree"]] + [f for f in chosen if not f["agree"]]
    best_j = None if head is None else head["j"]
    return [(f["j"], f["agree"], f["j"] == best_j) for f in chosen]


@settings(max_examples=300, deadline=None)
@given(counts=group_counts(), data=st.data())
def test_repness_selection_equals_a_literal_port_of_polis(counts: GroupCounts, data) -> None:
    m = counts.seen.shape[1]
    mod_out = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    ids = np.arange(m) * 3 + 7

    selected = stats.repness(counts, ids, mod_out)

    for g, ours in enumerate(selected):
        expected = polis_select(counts, g, mod_out)
        got = [((r.statement - 7) // 3, r.repful == "agree", r.best_agree) for r in ours]
        assert got == expected, g


@settings(max_examples=100, deadline=None)
@given(counts=group_counts(min_groups=2), data=st.data())
def test_repness_and_gac_do_not_depend_on_the_order_of_groups(counts: GroupCounts, data) -> None:
    k, m = counts.seen.shape
    order = data.draw(st.permutations(range(k)))
    shuffled = GroupCounts(counts.agree[order], counts.disagree[order], counts.seen[order])
    mod_out = np.zeros(m, dtype=bool)

    assert stats.repness(shuffled, np.arange(m), mod_out) == [
        stats.repness(counts, np.arange(m), mod_out)[g] for g in order
    ]
    np.testing.assert_allclose(
        stats.group_aware_consensus(shuffled), stats.group_aware_consensus(counts), rtol=1e-14
    )


@settings(max_examples=100, deadline=None)
@given(counts=group_counts())
def test_gac_is_a_probability_product_in_zero_one(counts: GroupCounts) -> None:
    gac = stats.group_aware_consensus(counts)

    assert ((gac > 0) & (gac <= 1)).all()
    # An extra agree in any group can only raise it.
    more = GroupCounts(counts.agree + 1, counts.disagree, counts.seen + 1)
    assert (stats.group_aware_consensus(more) > gac).all()


@settings(max_examples=100, deadline=None)
@given(
    votes=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 4), st.sampled_from([A, D, P])), max_size=40
    ),
    membership=st.lists(st.integers(-1, 2), min_size=7, max_size=7),
)
def test_count_by_group_equals_counting_one_vote_at_a_time(votes, membership) -> None:
    expected = np.zeros((3, 3, 5), dtype=np.int64)  # agree, disagree, seen
    for row, col, value in votes:
        g = membership[row]
        if g >= 0:
            expected[2, g, col] += 1
            if value != P:
                expected[0 if value == A else 1, g, col] += 1
    columns = zip(*votes, strict=True) if votes else ([], [], [])
    rows, cols, values = (np.array(c, dtype=np.int64) for c in columns)

    counts = stats.count_by_group(rows, cols, values, membership, k=3, m=5)

    np.testing.assert_array_equal([counts.agree, counts.disagree, counts.seen], expected)


@settings(max_examples=100, deadline=None)
@given(counts=group_counts(), data=st.data())
def test_priorities_are_positive_and_meta_is_49(counts: GroupCounts, data) -> None:
    m = counts.seen.shape[1]
    meta = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)), dtype=bool)
    extremity = np.array(data.draw(st.lists(st.floats(0, 10), min_size=m, max_size=m)))

    priority = stats.priorities(counts, extremity, meta)

    assert (priority[meta] == 49.0).all()
    assert (priority[~meta] > 0).all()
