"""Choosing among bracketed wordings: bridging.md §5a(iii), properties 24-30 of §5b, and Schulze."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parley.consensus.clauses import Level
from parley.consensus.options import ChoiceStatus, DecidedBy, OptionChoice, choose_option
from parley.consensus.rules import OPTION_RULE
from parley.consensus.schulze import pairwise_preferences, schulze_winners, strongest_paths

ACC, LIVE, REJ = Level.ACCEPT, Level.LIVE_WITH, Level.REJECT
Score = tuple[int, float]  # (level, preference within the level): equal scores share a tier


@dataclass
class Profile:
    """Each party's (level, preference) per option; ranked parties also submit the ranking."""

    options: list[str]
    scores: dict[str, dict[str, Score]]
    ranked: set[str] = field(default_factory=set)

    @property
    def parties(self) -> list[str]:
        return list(self.scores)

    def ratings(self) -> dict[str, dict[str, Level]]:
        return {o: {p: Level(self.scores[p][o][0]) for p in self.parties} for o in self.options}

    def rankings(self) -> dict[str, list[list[str]]]:
        return {p: self.ranking(p) for p in self.parties if p in self.ranked}

    def ranking(self, party: str) -> list[list[str]]:
        own = self.scores[party]
        distinct = sorted(set(own.values()), reverse=True)
        return [[o for o in self.options if own[o] == score] for score in distinct]

    def ballots(self) -> list[dict[str, int]]:
        """What Schulze sees: the ranking, or the ratings alone for a party without one."""
        ballots = []
        for party in self.parties:
            if party in self.ranked:
                tiers = self.ranking(party)
                ballots.append({o: i for i, tier in enumerate(tiers) for o in tier})
            else:
                ballots.append({o: 2 - self.scores[party][o][0] for o in self.options})
        return ballots

    def choose(self, reasons=None) -> OptionChoice[str, str]:
        return choose_option(self.ratings(), self.rankings(), reasons=reasons)


@st.composite
def profiles(draw, max_options=5, max_parties=5, rank_all=False, level_choices=(0, 1, 2)):
    options = [f"w{i}" for i in range(draw(st.integers(1, max_options)))]
    parties = [f"p{j}" for j in range(draw(st.integers(1, max_parties)))]
    level = st.sampled_from(level_choices)
    scores = {p: {o: (draw(level), draw(st.integers(0, 2))) for o in options} for p in parties}
    ranked = set(parties) if rank_all else {p for p in parties if draw(st.booleans())}
    return Profile(options, scores, ranked)


def varied_profiles(**options):
    """Profiles that reach every step: rejects common, rare, or absent (all in the Schulze step)."""
    return st.one_of(
        profiles(**options),
        profiles(level_choices=(1, 2), **options),
        profiles(level_choices=(1,), **options),
    )


def outcome(choice: OptionChoice[str, str]) -> frozenset[str | None]:
    if choice.status is ChoiceStatus.CHOSEN:
        return frozenset({choice.chosen})
    if choice.status is ChoiceStatus.TIE:
        return choice.tied
    return choice.least_blocked


def keys_of(profile: Profile) -> dict[str, tuple[int, int]]:
    ratings = profile.ratings()
    return {
        o: (-list(r.values()).count(REJ), list(r.values()).count(ACC)) for o, r in ratings.items()
    }


def most_acceptable(profile: Profile) -> set[str]:
    """The feasible alternatives with the most ACCEPTs, by brute force."""
    keys = keys_of(profile)
    feasible = [o for o, k in keys.items() if k[0] == 0]
    best = max((keys[o][1] for o in feasible), default=None)
    return {o for o in feasible if keys[o][1] == best}


def beats(ballots, x, y) -> bool:
    bottom = 99
    prefer_x = sum(b.get(x, bottom) < b.get(y, bottom) for b in ballots)
    prefer_y = sum(b.get(y, bottom) < b.get(x, bottom) for b in ballots)
    return prefer_x > prefer_y


# --- Property 24 -----------------------------------------------------------------------------


@given(varied_profiles())
def test_p24_consent_first(profile):
    choice = profile.choose()
    feasible = {o for o, k in keys_of(profile).items() if k[0] == 0}
    assert choice.feasible == feasible
    if feasible:
        assert choice.status is not ChoiceStatus.OPEN
        assert outcome(choice) <= feasible
        for option in outcome(choice):
            assert min(profile.ratings()[option].values()) >= LIVE


# --- Property 25 -----------------------------------------------------------------------------


@given(varied_profiles(rank_all=True), st.data())
def test_p25_pareto(profile, data):
    assume(len(profile.options) >= 2)
    better, worse = data.draw(st.permutations(profile.options))[:2]
    for own in profile.scores.values():
        own[better] = max(own[better], own[worse])
    if all(own[better] == own[worse] for own in profile.scores.values()):
        own = profile.scores[profile.parties[0]]
        level, preference = own[better]
        own[better] = (level + 1, preference) if level < 2 else (level, preference + 1)
    choice = profile.choose()
    assert choice.chosen != worse
    assert worse not in choice.tied


# --- Property 26 -----------------------------------------------------------------------------


@given(profiles(rank_all=True), st.data())
def test_p26_unanimous_top(profile, data):
    top = data.draw(st.sampled_from(profile.options))
    for own in profile.scores.values():
        best_level = max(1, max(level for level, _ in own.values()))  # feasible, and first
        own[top] = (best_level, max(pref for _, pref in own.values()) + 1)
    choice = profile.choose()
    assert choice.status is ChoiceStatus.CHOSEN
    assert choice.chosen == top


# --- Property 27 -----------------------------------------------------------------------------


@given(profiles(max_options=5, max_parties=5), st.data())
def test_p27_condorcet_within_ties(profile, data):
    # Equally acceptable: each party gives every alternative the same level, and no rejects.
    for own in profile.scores.values():
        level = data.draw(st.sampled_from([1, 2]))
        for option, (_, preference) in own.items():
            own[option] = (level, preference)
    ballots = profile.ballots()
    winners = [
        x for x in profile.options if all(beats(ballots, x, y) for y in profile.options if y != x)
    ]
    assume(winners)
    choice = profile.choose()
    assert choice.chosen == winners[0]
    expected = DecidedBy.SCHULZE if len(profile.options) > 1 else DecidedBy.CONSENT_FILTER
    assert choice.decided_by is expected


@given(varied_profiles())
def test_p27_condorcet_winner_among_the_most_acceptable(profile):
    tied = most_acceptable(profile)
    ballots = profile.ballots()
    winners = [x for x in tied if all(beats(ballots, x, y) for y in tied if y != x)]
    assume(winners)
    assert profile.choose().chosen == winners[0]


# --- Property 28 -----------------------------------------------------------------------------


@given(varied_profiles(max_options=4), st.data())
def test_p28_clone_independence(profile, data):
    """Add x' that every party rates as x and ranks adjacent to x.

    Adjacent means: in x's tier, or (only where x is alone in its tier) in a new tier just
    above or below it. Asserted: with x' read as x, the outcome set is unchanged; and a winner
    other than x stays the sole winner.
    """
    original = profile.choose()
    x = data.draw(st.sampled_from(profile.options))
    clone = "clone"
    for own in profile.scores.values():
        level, preference = own[x]
        alone = list(own.values()).count(own[x]) == 1
        shift = data.draw(st.sampled_from([0.0, -0.5, 0.5])) if alone else 0.0
        own[clone] = (level, preference + shift)
    profile.options.append(clone)
    cloned = profile.choose()
    collapsed = frozenset(x if o == clone else o for o in outcome(cloned))
    assert collapsed == outcome(original)
    if original.status is ChoiceStatus.CHOSEN and original.chosen != x:
        assert cloned.status is ChoiceStatus.CHOSEN and cloned.chosen == original.chosen


def borda_winners(ballots, options) -> set[str]:
    points = {o: sum(len(options) - 1 - b[o] for b in ballots) for o in options}
    return {o for o in options if points[o] == max(points.values())}


def test_p28_borda_fails_where_this_rule_does_not():
    # 3 parties prefer x to y, 2 prefer y to x; all can live with both.
    ranks = [["x", "y"]] * 3 + [["y", "x"]] * 2
    before = choose_option(
        {o: {f"p{i}": LIVE for i in range(5)} for o in "xy"},
        {f"p{i}": [[o] for o in r] for i, r in enumerate(ranks)},
    )
    # Two near-duplicates of y, ranked next to y by everyone.
    with_clones = [["x", "y", "y1", "y2"]] * 3 + [["y", "y1", "y2", "x"]] * 2
    options = ["x", "y", "y1", "y2"]
    after = choose_option(
        {o: {f"p{i}": LIVE for i in range(5)} for o in options},
        {f"p{i}": [[o] for o in r] for i, r in enumerate(with_clones)},
    )
    assert before.chosen == after.chosen == "x"
    ballots = [{o: i for i, o in enumerate(r)} for r in with_clones]
    assert borda_winners([{o: i for i, o in enumerate(r)} for r in ranks], "xy") == {"x"}
    assert borda_winners(ballots, options) == {"y"}


# --- Property 29 -----------------------------------------------------------------------------


@given(varied_profiles(), st.randoms(use_true_random=False))
def test_p29_neutrality(profile, rnd):
    original = profile.choose(
        reasons={o: dict.fromkeys(profile.parties, "no") for o in profile.options}
    )
    names = dict(zip(profile.options, rnd.sample(range(1000), len(profile.options)), strict=True))
    order = rnd.sample(profile.options, len(profile.options))
    ratings = {names[o]: profile.ratings()[o] for o in order}
    rankings = {
        p: [rnd.sample([names[o] for o in tier], len(tier)) for tier in profile.ranking(p)]
        for p in rnd.sample(sorted(profile.ranked), len(profile.ranked))
    }
    moved = choose_option(ratings, rankings)
    assert moved.status is original.status and moved.decided_by is original.decided_by
    assert moved.chosen == (None if original.chosen is None else names[original.chosen])
    assert moved.tied == {names[o] for o in original.tied}
    assert moved.least_blocked == {names[o] for o in original.least_blocked}
    assert moved.feasible == {names[o] for o in original.feasible}


def test_p29_an_unresolved_tie_is_returned_never_broken_at_random():
    ratings = {"a": {"p1": ACC, "p2": LIVE}, "b": {"p1": LIVE, "p2": ACC}}
    results = set()
    for seed in range(20):
        random.seed(seed)
        choice = choose_option(ratings)
        results.add((choice.status, choice.chosen, choice.tied, choice.decided_by))
    assert results == {(ChoiceStatus.TIE, None, frozenset({"a", "b"}), DecidedBy.UNRESOLVED_TIE)}


# --- Property 30 -----------------------------------------------------------------------------


@given(profiles(), st.data())
def test_p30_blocked_brackets_stay_open(profile, data):
    for option in profile.options:
        party = data.draw(st.sampled_from(profile.parties))
        _, preference = profile.scores[party][option]
        profile.scores[party][option] = (0, preference)
    profile.ranked = set()  # rankings would have to be redrawn to agree with the new levels
    reasons = {o: {p: f"{p} cannot accept {o}" for p in profile.parties} for o in profile.options}
    choice = profile.choose(reasons)
    keys = keys_of(profile)
    assert choice.status is ChoiceStatus.OPEN and choice.decided_by is DecidedBy.NO_CONSENT
    assert choice.chosen is None and choice.tied == frozenset()
    assert choice.least_blocked == {o for o, k in keys.items() if k == max(keys.values())}
    for option in choice.least_blocked:
        rejecting = {p for p, level in profile.ratings()[option].items() if level is REJ}
        assert choice.blocking[option] == {p: f"{p} cannot accept {option}" for p in rejecting}


# --- Which step decided ----------------------------------------------------------------------


def test_each_step_is_recorded():
    assert_decided({"a": {"p": ACC, "q": LIVE}, "b": {"p": ACC, "q": REJ}}, "a", "consent-filter")
    assert_decided({"a": {"p": ACC, "q": LIVE}, "b": {"p": ACC, "q": ACC}}, "b", "most-accepts")
    rankings = {"p": [["b"], ["a"]]}
    tied = {"a": {"p": LIVE, "q": LIVE}, "b": {"p": LIVE, "q": LIVE}}
    assert_decided(tied, "b", "schulze", rankings)
    assert_decided({"a": {"p": REJ, "q": ACC}, "b": {"p": ACC, "q": REJ}}, None, "no-consent")


def assert_decided(ratings, chosen, step, rankings=None):
    choice = choose_option(ratings, rankings)
    assert (choice.chosen, choice.decided_by) == (chosen, step)
    assert choice.rule == OPTION_RULE


def test_least_blocked_leximin_and_reasons():
    ratings = {
        "omit": {"p": REJ, "q": REJ, "r": ACC},
        "w1": {"p": REJ, "q": ACC, "r": LIVE},
        "w2": {"p": LIVE, "q": ACC, "r": REJ},
    }
    choice = choose_option(ratings, reasons={"w1": {"p": "too vague"}})
    assert choice.least_blocked == {"w1", "w2"}
    assert choice.blocking == {
        "omit": {"p": "", "q": ""},
        "w1": {"p": "too vague"},
        "w2": {"r": ""},
    }


# --- Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "rankings"),
    [
        ({}, None),
        ({"a": {}}, None),
        ({"a": {"p": ACC}, "b": {"q": ACC}}, None),
        ({"a": {"p": 3}}, None),
        ({"a": {"p": ACC}}, {"q": [["a"]]}),  # a ranking from a party that rated nothing
        ({"a": {"p": ACC}}, {"p": [["a"], ["a"]]}),
        ({"a": {"p": ACC}}, {"p": [["z"]]}),
        ({"a": {"p": ACC}, "b": {"p": LIVE}}, {"p": [["b"], ["a"]]}),  # against its ratings
        ({"a": {"p": ACC}, "b": {"p": LIVE}}, {"p": [["a", "b"]]}),
        ({"a": {"p": LIVE}, "b": {"p": ACC}}, {"p": [["a"]]}),  # unlisted b ranks last
    ],
)
def test_invalid_input_is_refused(ratings, rankings):
    with pytest.raises(ValueError):
        choose_option(ratings, rankings)


def test_a_partial_ranking_puts_unlisted_options_last():
    ratings = {o: {"p": LIVE, "q": LIVE} for o in "abc"}
    choice = choose_option(ratings, {"p": [["c"]], "q": [["c"], ["a"]]})
    assert choice.chosen == "c"


# --- Schulze ---------------------------------------------------------------------------------


def brute_force_winners(candidates, ballots):
    """Schulze by enumerating every simple path: slow, obviously right, for small m."""
    d = pairwise_preferences(candidates, ballots)
    m = len(candidates)

    def link(i, j):
        return d[i][j] if d[i][j] > d[j][i] else 0

    strength = [[0] * m for _ in range(m)]
    for i, j in itertools.permutations(range(m), 2):
        middles = [k for k in range(m) if k not in (i, j)]
        for size in range(len(middles) + 1):
            for via in itertools.permutations(middles, size):
                path = [i, *via, j]
                weakest = min(link(a, b) for a, b in itertools.pairwise(path))
                strength[i][j] = max(strength[i][j], weakest)
    return frozenset(
        c
        for i, c in enumerate(candidates)
        if all(strength[i][j] >= strength[j][i] for j in range(m) if j != i)
    )


weak_ballots = st.lists(
    st.dictionaries(st.sampled_from("abcde"), st.integers(0, 3)), min_size=0, max_size=7
)


@given(st.integers(1, 5), weak_ballots)
def test_schulze_matches_brute_force(m, ballots):
    candidates = list("abcde"[:m])
    winners = schulze_winners(candidates, ballots)
    assert winners
    assert winners == brute_force_winners(candidates, ballots)


def test_schulze_breaks_a_cycle_by_its_weakest_link():
    # a beats b 6-3, b beats c 7-2, c beats a 5-4: the weakest defeat (c over a) is dropped.
    ballots = (
        [{"a": 0, "b": 1, "c": 2}] * 4
        + [{"b": 0, "c": 1, "a": 2}] * 3
        + [{"c": 0, "a": 1, "b": 2}] * 2
    )
    d = pairwise_preferences(list("abc"), ballots)
    assert d == [[0, 6, 4], [3, 0, 7], [5, 2, 0]]
    assert strongest_paths(d) == [[0, 6, 6], [5, 0, 7], [5, 5, 0]]
    assert schulze_winners(list("abc"), ballots) == {"a"}


def test_schulze_returns_a_perfect_cycle_as_a_tie():
    ballots = [{"a": 0, "b": 1, "c": 2}, {"b": 0, "c": 1, "a": 2}, {"c": 0, "a": 1, "b": 2}]
    assert schulze_winners(list("abc"), ballots) == {"a", "b", "c"}


def test_schulze_refuses_duplicate_candidates():
    with pytest.raises(ValueError):
        schulze_winners(["a", "a"], [])


def test_pairwise_preferences_put_unlisted_candidates_last():
    assert pairwise_preferences(list("abc"), [{"a": 0}]) == [[0, 1, 1], [0, 0, 0], [0, 0, 0]]
    # Indifference between listed candidates, and a unlisted below both.
    assert pairwise_preferences(list("abc"), [{"b": 3, "c": 3}]) == [
        [0, 0, 0],
        [1, 0, 0],
        [1, 0, 0],
    ]
