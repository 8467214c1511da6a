"""The Wilson score bounds (bridging.md §5a(i)): closed form, checked against scipy and by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest, norm  # type: ignore[import-untyped]

from parley.consensus.wilson import Z_90, wilson_lower, wilson_upper

counts = st.integers(min_value=1, max_value=2_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


def test_no_trials_gives_the_widest_bounds():
    assert wilson_lower(0, 0) == 0.0
    assert wilson_upper(0, 0) == 1.0


def test_certain_outcomes_pin_the_outer_bound_exactly():
    assert wilson_lower(0, 17) == 0.0
    assert wilson_upper(17, 17) == 1.0
    # L(n, n) = n / (n + z^2): the formula with p = 1.
    assert wilson_lower(3, 3) == pytest.approx(3 / (3 + Z_90**2), abs=1e-15)


@pytest.mark.parametrize(("successes", "trials", "lower"), [(24, 40, 0.4987), (4, 40, 0.0541)])
def test_known_values_from_table_5_1(successes, trials, lower):
    assert wilson_lower(successes, trials) == pytest.approx(lower, abs=5e-5)


@given(counts)
def test_matches_scipy_wilson_interval(pair):
    # A one-sided 90% bound on each side is the two-sided 80% interval.
    successes, trials = pair
    z = float(norm.ppf(0.9))
    interval = binomtest(successes, trials).proportion_ci(confidence_level=0.8, method="wilson")
    assert wilson_lower(successes, trials, z) == pytest.approx(interval.low, abs=1e-12)
    assert wilson_upper(successes, trials, z) == pytest.approx(interval.high, abs=1e-12)


@given(counts)
def test_bounds_bracket_the_share(pair):
    successes, trials = pair
    share = successes / trials
    assert 0.0 <= wilson_lower(successes, trials) <= share <= wilson_upper(successes, trials) <= 1.0


@given(counts)
def test_lower_bound_solves_the_score_equation(pair):
    # L is the p0 <= p at which the score test just rejects: N (p - p0)^2 = z^2 p0 (1 - p0).
    successes, trials = pair
    low = wilson_lower(successes, trials)
    share = successes / trials
    assert trials * (share - low) ** 2 == pytest.approx(Z_90**2 * low * (1 - low), abs=1e-9)


@given(counts)
def test_upper_bound_mirrors_lower_bound(pair):
    successes, trials = pair
    assert wilson_upper(successes, trials) == pytest.approx(
        1.0 - wilson_lower(trials - successes, trials), abs=1e-12
    )


@given(counts)
def test_one_more_success_never_lowers_the_lower_bound(pair):
    successes, trials = pair
    low = wilson_lower(successes, trials)
    if successes < trials:
        assert wilson_lower(successes + 1, trials) > low
    # An added agree vote raises both counts; the bound still cannot fall (property 3 uses it).
    assert wilson_lower(successes + 1, trials + 1) >= low


@given(st.integers(min_value=1, max_value=1_000), st.integers(min_value=1, max_value=50))
def test_more_trials_at_the_same_share_tighten_the_bound(trials, factor):
    # Half-way shares keep the test exact: p = 1/2 for every size.
    half = wilson_lower(trials, 2 * trials)
    assert wilson_lower(factor * trials, factor * 2 * trials) >= half
    assert math.isclose(0.5 - wilson_lower(10**8, 2 * 10**8), 0.0, abs_tol=1e-4)


@pytest.mark.parametrize(("successes", "trials", "z"), [(-1, 3, Z_90), (4, 3, Z_90), (1, 3, 0.0)])
def test_rejects_impossible_counts(successes, trials, z):
    with pytest.raises(ValueError):
        wilson_lower(successes, trials, z)
    with pytest.raises(ValueError):
        wilson_upper(successes, trials, z)
