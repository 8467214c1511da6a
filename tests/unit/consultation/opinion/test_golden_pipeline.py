"""Golden tests: our matrix, PCA, projection and group step against Pol.is's own math output.

Each fixture's `math-pca2.json` is what the Pol.is math worker stored for that conversation
(research note `polis.md` §5, S1 and S5-S9, S11). Pol.is stores its maths in its internal sign
(agree = -1) while our votes use the export sign, so centres and projections are negated here.
Group membership is path-dependent in Pol.is (§3.5), so the group step is fed Pol.is's own base
clusters instead of ours.
"""

from __future__ import annotations

import numpy as np
import pytest

from parley.consultation.opinion import clusters as cl
from parley.consultation.opinion import pca as pc
from parley.consultation.opinion.agreement import adjusted_rand_index
from parley.consultation.opinion.matrix import VoteMatrix, build_vote_matrix
from parley.consultation.opinion.pipeline import compute
from parley.consultation.opinion.stats import comment_extremity
from parley.consultation.opinion.types import Settings

from .fixtures import (
    FIXTURES,
    MISSING_VOTES_FIXTURE,
    Fixture,
    FixtureMissing,
    fixture_dir,
    load_fixture,
)

EXACT = [name for name in FIXTURES if name != MISSING_VOTES_FIXTURE]


def _matrix(fixture: Fixture) -> tuple[VoteMatrix, np.ndarray]:
    matrix = build_vote_matrix(fixture.votes)
    mod_out = np.isin(matrix.statements, sorted(fixture.math_mod_out))
    return matrix, mod_out


def _pca(fixture: Fixture) -> tuple[VoteMatrix, pc.PCAResult, np.ndarray]:
    matrix, mod_out = _matrix(fixture)
    center = pc.column_center(matrix, mod_out)
    xc = pc.centered(matrix, center, mod_out)
    result = pc.principal_components(xc, center)
    return matrix, result, pc.project(matrix, xc, result.components, mod_out)


def _cosines(ours: np.ndarray, polis: np.ndarray) -> list[float]:
    return [
        abs(float(ours[i] @ polis[i])) / float(np.linalg.norm(ours[i]) * np.linalg.norm(polis[i]))
        for i in range(2)
    ]


def _base_centre_errors(fixture: Fixture, matrix: VoteMatrix, xy: np.ndarray, signs) -> float:
    """Return max |Pol.is base centre - mean of our member projections| over all base clusters."""
    base = fixture.math["base-clusters"]
    row = {int(pid): i for i, pid in enumerate(matrix.participants)}
    worst = 0.0
    for x, y, members in zip(base["x"], base["y"], base["members"], strict=True):
        mean = xy[[row[m] for m in members if m in row]].mean(axis=0)
        # Our sign is -1 x Pol.is's internal sign, times any component sign flip.
        polis = -np.array([x, y]) * signs
        worst = max(worst, float(np.abs(mean - polis).max()))
    return worst


@pytest.mark.parametrize("name", FIXTURES)
def test_matrix_columns_and_vote_counts_are_polis(name):
    fixture = load_fixture(name)
    matrix, _ = _matrix(fixture)
    assert matrix.statements.tolist() == fixture.math["tids"]
    assert matrix.shape[1] == fixture.math["n-cmts"]
    counts = dict(zip(matrix.participants.tolist(), matrix.row_counts().tolist(), strict=True))
    expected = {int(p): n for p, n in fixture.math["user-vote-counts"].items()}
    if name == MISSING_VOTES_FIXTURE:
        # red-dwarf flags this export: Pol.is counted 4 votes of participant 50 that the API
        # export lacks. Everyone else must still match.
        assert expected.pop(50) == 4 and 50 not in counts
    assert counts == expected


@pytest.mark.parametrize("name", EXACT)
def test_pca_matches_polis(name):
    """S5: |cos| >= 0.9999 per component and the centre within 1e-9."""
    fixture = load_fixture(name)
    _, result, _ = _pca(fixture)
    polis = np.array(fixture.math["pca"]["comps"])
    assert min(_cosines(result.components, polis)) >= 0.9999
    np.testing.assert_allclose(result.center, -np.array(fixture.math["pca"]["center"]), atol=1e-9)


@pytest.mark.parametrize("name", EXACT)
def test_projection_matches_polis_base_cluster_centres(name):
    """S6: every Pol.is base centre is the mean of our member projections within 2e-4."""
    fixture = load_fixture(name)
    matrix, result, xy = _pca(fixture)
    signs = np.sign(np.sum(result.components * np.array(fixture.math["pca"]["comps"]), axis=1))
    assert _base_centre_errors(fixture, matrix, xy, signs) <= 2e-4


@pytest.mark.parametrize("name", EXACT)
def test_comment_extremity_matches_polis(name):
    """S7: extremity within 1e-4."""
    fixture = load_fixture(name)
    _, result, _ = _pca(fixture)
    ours = comment_extremity(result.center, result.components)
    np.testing.assert_allclose(ours, fixture.math["pca"]["comment-extremity"], atol=1e-4)


def test_missing_votes_fixture_is_close_as_the_research_note_measured():
    """The flagged fixture lacks votes Pol.is saw, so it can only be close (note §1.4: 0.09).

    Participant 50's four votes are missing from the API export, which shifts column means by
    up to ~0.04 and the base centres by up to ~0.09; we hold the note's bound, not the exact one.
    """
    fixture = load_fixture(MISSING_VOTES_FIXTURE)
    matrix, result, xy = _pca(fixture)
    polis = np.array(fixture.math["pca"]["comps"])
    assert min(_cosines(result.components, polis)) >= 0.999
    np.testing.assert_allclose(result.center, -np.array(fixture.math["pca"]["center"]), atol=0.05)
    signs = np.sign(np.sum(result.components * polis, axis=1))
    assert _base_centre_errors(fixture, matrix, xy, signs) <= 0.1


@pytest.mark.parametrize("name", FIXTURES)
def test_group_step_on_polis_base_clusters_gives_polis_groups(name):
    """S9: from Pol.is's base clusters, our k choice and memberships are Pol.is's (ARI = 1)."""
    fixture = load_fixture(name)
    base = fixture.math["base-clusters"]
    centres = np.column_stack([base["x"], base["y"]]).astype(np.float64)
    sizes = np.array(base["count"], dtype=np.float64)
    settings = Settings()
    clusterings = cl.group_clusterings(
        centres, sizes, {}, max_k=settings.max_k, max_iters=settings.group_iters
    )
    k = cl.best_k({k: cl.silhouette(centres, c.labels) for k, c in clusterings.items()})
    polis_group = {b: g["id"] for g in fixture.math["group-clusters"] for b in g["members"]}
    expected = [polis_group[b] for b in base["id"]]
    assert k == len(fixture.math["group-clusters"])
    assert adjusted_rand_index(clusterings[k].labels, expected) == 1.0


@pytest.mark.parametrize("name", FIXTURES)
def test_everyone_with_enough_votes_is_in_polis_in_conv(name):
    """S8: single-shot in-conv is Pol.is's minus its sticky history: a subset of it."""
    fixture = load_fixture(name)
    result = compute(fixture.votes, fixture.statements)
    ours = set(result.participants[result.in_conv].tolist())
    matrix = build_vote_matrix(fixture.votes)
    enough = matrix.row_counts() >= min(7, fixture.math["n-cmts"])
    assert set(matrix.participants[enough].tolist()) <= ours <= set(fixture.math["in-conv"])


@pytest.mark.parametrize("name", FIXTURES)
def test_compute_gives_polis_consensus_lists(name):
    """S11 end to end: compute() on the fixture yields Pol.is's majority statements."""
    fixture = load_fixture(name)
    result = compute(fixture.votes, fixture.statements)
    consensus = fixture.math["consensus"]
    assert [c.statement for c in result.consensus_agree] == [c["tid"] for c in consensus["agree"]]
    assert [c.statement for c in result.consensus_disagree] == [
        c["tid"] for c in consensus["disagree"]
    ]


def test_a_missing_fixture_folder_fails_loudly():
    """Without the shared data the golden tests must fail, never skip."""
    with pytest.raises(FixtureMissing, match="shared data folder"):
        fixture_dir("no-such-fixture")
