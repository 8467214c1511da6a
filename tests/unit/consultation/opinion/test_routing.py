"""Next-statement routing: draws proportional to priority over every eligible statement.

polis.md §5 S22 (no silent caps: more than 999 eligible statements all stay routable) and S23
(the empirical frequency over 10^5 draws matches the priority share: chi-square, and within
one percentage point).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chisquare  # type: ignore[import-untyped]

from parley.consultation.opinion.routing import (
    RELATIVE_EPSILON,
    next_statement,
    routing_weights,
)

DRAWS = 100_000


def draw_many(ids, priorities, voted, count, *, eligible=None, seed=0):
    rng = np.random.default_rng(seed)
    return np.array(
        [next_statement(ids, priorities, voted, eligible=eligible, rng=rng) for _ in range(count)]
    )


def test_s23_frequencies_match_priority_shares():
    ids = np.array([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112])
    # Pol.is-like priorities: a meta statement at 49, fresh ones boosted, one without a
    # priority yet (NaN weighs 1), one already voted and one moderated out.
    priorities = np.array([49.0, 12.0, 3.5, np.nan, 0.8, 7.0, 20.0, 1.5, 5.0, 2.0, 30.0, 9.0])
    eligible = np.ones(len(ids), dtype=bool)
    eligible[5] = False
    voted = {107}
    drawn = draw_many(ids, priorities, voted, DRAWS, eligible=eligible, seed=20_240_601)

    candidates = [i for i in range(len(ids)) if eligible[i] and ids[i] not in voted]
    weights = np.array([1.0 if np.isnan(priorities[i]) else priorities[i] for i in candidates])
    shares = weights / weights.sum()
    observed = np.array([(drawn == ids[i]).sum() for i in candidates])
    assert observed.sum() == DRAWS  # nothing else was ever drawn
    assert chisquare(observed, shares * DRAWS).pvalue > 0.001
    assert np.abs(observed / DRAWS - shares).max() < 0.01


def test_s23_a_wrong_distribution_would_fail_the_same_test():
    # The test above has power: uniform draws are rejected by it at once.
    shares = np.array([49.0, 12.0, 3.5, 1.0]) / 65.5
    uniform = np.full(4, DRAWS / 4)
    assert chisquare(uniform, shares * DRAWS).pvalue < 1e-100
    assert np.abs(uniform / DRAWS - shares).max() > 0.01


def test_s22_more_than_999_eligible_statements_are_all_reachable():
    # 5,000 statements, the oldest 999 voted: Pol.is would only ever offer ids 999..1997 (the
    # 999 oldest unvoted ones); here every remaining statement can come up.
    ids = np.arange(5_000)
    voted = np.arange(999)  # an array of voted ids works as well as a set
    drawn = draw_many(ids, None, voted, 20_000)
    assert not np.isin(drawn, voted).any()
    beyond_polis_window = (drawn >= 1_998).mean()
    assert beyond_polis_window == pytest.approx(3_002 / 4_001, abs=0.02)
    assert drawn.max() > 4_900


def test_s22_a_participant_can_vote_on_every_statement_then_gets_none():
    ids = np.arange(5_000)[::-1]  # any order: the draw does not depend on it
    voted = set(range(999))
    rng = np.random.default_rng(7)
    seen = []
    while (statement := next_statement(ids, None, voted, rng=rng)) is not None:
        assert statement not in voted
        seen.append(statement)
        voted.add(statement)
    assert sorted(seen) == list(range(999, 5_000))


def test_voted_and_ineligible_statements_are_never_drawn():
    ids = np.array([1, 2, 3, 4, 5, 6])
    eligible = np.array([True, False, True, True, False, True])
    priorities = np.array([1.0, 1000.0, 1.0, 1.0, 1000.0, 1.0])
    drawn = draw_many(ids, priorities, np.array([3, 6]), 2_000, eligible=eligible)
    assert set(drawn.tolist()) == {1, 4}


def test_none_when_nothing_is_left():
    rng = np.random.default_rng(0)
    ids = np.array([1, 2, 3])
    assert next_statement(ids, None, {1, 2, 3}, rng=rng) is None
    assert next_statement(ids, None, set(), eligible=np.zeros(3, dtype=bool), rng=rng) is None
    assert next_statement(np.array([], dtype=np.int64), None, set(), rng=rng) is None
    assert next_statement(ids, None, {1, 3}, eligible=[True, False, True], rng=rng) is None


def test_non_positive_priorities_stay_reachable():
    weights = routing_weights(np.array([10.0, 0.0, -3.0, np.nan, -1e-300]), 5)
    assert (weights > 0).all()
    assert weights[1] == weights[2] == pytest.approx(10.0 * RELATIVE_EPSILON)
    assert weights[3] == 1.0
    # With nothing positive, every statement weighs the same.
    drawn = draw_many(np.arange(4), np.array([0.0, -1.0, 0.0, -5.0]), set(), 4_000)
    counts = np.bincount(drawn, minlength=4)
    assert counts.min() > 800


def test_the_epsilon_is_above_the_rounding_of_the_cumulative_sum():
    # 10^6 statements at the largest priority: an epsilon-weight interval still has length > 0.
    total = 1e6 * 49.0
    assert np.spacing(total) < 49.0 * RELATIVE_EPSILON


def test_missing_priorities_weigh_one():
    assert routing_weights(None, 3).tolist() == [1.0, 1.0, 1.0]
    assert routing_weights([2.0, np.nan], 2).tolist() == [2.0, 1.0]


def test_priorities_are_not_modified():
    priorities = np.array([np.nan, 0.0, 2.0])
    routing_weights(priorities, 3)
    assert np.isnan(priorities[0]) and priorities[1] == 0.0


def test_draws_are_reproducible_with_a_seed():
    ids = np.arange(50)
    priorities = np.linspace(0.5, 5.0, 50)
    assert (
        draw_many(ids, priorities, {3}, 200, seed=9) == draw_many(ids, priorities, {3}, 200, seed=9)
    ).all()


@pytest.mark.parametrize(
    ("ids", "priorities", "eligible"),
    [
        (np.arange(3), np.ones(2), None),
        (np.arange(3), None, np.ones(2, dtype=bool)),
        (np.arange(3), np.array([1.0, np.inf, 1.0]), None),
        (np.arange(4).reshape(2, 2), None, None),
    ],
)
def test_misaligned_input_is_refused(ids, priorities, eligible):
    with pytest.raises(ValueError):
        next_statement(ids, priorities, set(), eligible=eligible, rng=np.random.default_rng(0))


def test_large_conversations_use_all_statements():
    # 100,000 statements, half voted: one draw is a vectorised pass, no 999 window.
    ids = np.arange(100_000)
    priorities = np.ones(100_000)
    priorities[-1] = 1e7  # the newest statement dominates; a capped draw could never reach it
    rng = np.random.default_rng(3)
    voted = np.arange(50_000)
    drawn = [next_statement(ids, priorities, voted, rng=rng) for _ in range(20)]
    assert drawn.count(99_999) >= 15
