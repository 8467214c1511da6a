"""Sparse PCA and projection against a dense, literal transcription of Pol.is §1.3-§1.4."""

from __future__ import annotations

import numpy as np
import pytest

from parley.consultation.opinion import pca as pc
from parley.consultation.opinion.matrix import VoteMatrix, build_vote_matrix
from parley.consultation.opinion.types import VoteLog


def _random_matrix(seed: int, n: int = 120, m: int = 30, density: float = 0.3) -> VoteMatrix:
    rng = np.random.default_rng(seed)
    taste = rng.standard_normal((n, 2)) @ rng.standard_normal((2, m))
    voted = rng.random((n, m)) < density
    voted[:, 0] = True  # every column gets a vote, so the matrix keeps all m columns
    votes = np.where(
        rng.random((n, m)) < 0.2, 0, np.sign(taste + 0.5 * rng.standard_normal((n, m)))
    )
    p, s = np.nonzero(voted)
    return build_vote_matrix(VoteLog(p * 5 + 1, s * 2, votes[p, s].astype(np.int8)))


def _dense_polis(matrix: VoteMatrix, mod_out: np.ndarray):
    """Pol.is step by step on a dense nil-filled matrix: zero mod-out, impute, centre, eig."""
    n, m = matrix.shape
    dense = np.full((n, m), np.nan)
    dense[matrix.rows(), matrix.indices] = matrix.values
    dense[:, mod_out] = 0.0
    center = np.nanmean(dense, axis=0)
    imputed = np.where(np.isnan(dense), center, dense)
    values, vectors = np.linalg.eigh((imputed - center).T @ (imputed - center))
    components = vectors[:, ::-1][:, :2].T
    voted = (~np.isnan(dense)).sum(axis=1)
    raw = np.nan_to_num(dense - center) @ components.T
    return center, components, raw * np.sqrt(m / np.maximum(voted, 1))[:, None]


def _run(matrix: VoteMatrix, mod_out: np.ndarray, start=None):
    center = pc.column_center(matrix, mod_out)
    xc = pc.centered(matrix, center, mod_out)
    result = pc.principal_components(xc, center, start=start)
    return result, pc.project(matrix, xc, result.components, mod_out)


def _aligned(ours: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Return the reference with each component's sign matched to ours."""
    return reference * np.sign(np.sum(ours * reference, axis=1))[:, None]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_pca_equals_dense_polis(seed):
    matrix = _random_matrix(seed)
    mod_out = np.zeros(matrix.shape[1], dtype=np.bool_)
    mod_out[[3, 7]] = True
    result, xy = _run(matrix, mod_out)
    center, components, projection = _dense_polis(matrix, mod_out)
    np.testing.assert_allclose(result.center, center, atol=1e-12)
    reference = _aligned(result.components, components)
    np.testing.assert_allclose(result.components, reference, atol=1e-4)
    signs = np.sign(np.sum(result.components * components, axis=1))
    np.testing.assert_allclose(xy, projection * signs, atol=1e-4)
    np.testing.assert_allclose(result.components[:, mod_out], 0.0, atol=1e-12)


def test_float32_products_stay_within_golden_tolerances(monkeypatch):
    matrix = _random_matrix(4, n=400, m=60)
    mod_out = np.zeros(matrix.shape[1], dtype=np.bool_)
    exact, exact_xy = _run(matrix, mod_out)
    monkeypatch.setattr(pc, "FLOAT32_ABOVE_NNZ", 0)
    single, single_xy = _run(matrix, mod_out)
    assert pc.centered(matrix, exact.center, mod_out).dtype == np.float32
    cosines = np.abs(np.sum(single.components * exact.components, axis=1))
    assert cosines.min() >= 0.9999
    np.testing.assert_allclose(single_xy, exact_xy, atol=2e-4)


def test_warm_start_converges_at_once_to_the_same_components():
    matrix = _random_matrix(5)
    mod_out = np.zeros(matrix.shape[1], dtype=np.bool_)
    cold, cold_xy = _run(matrix, mod_out)
    warm, warm_xy = _run(matrix, mod_out, start=cold.block)
    assert warm.iterations <= 2 < cold.iterations
    np.testing.assert_allclose(warm.components, cold.components, atol=1e-4)
    np.testing.assert_allclose(warm_xy, cold_xy, atol=1e-4)


def test_warm_start_keeps_the_previous_orientation():
    """Eigenvector signs are arbitrary; a warm start must not mirror the map."""
    matrix = _random_matrix(6)
    mod_out = np.zeros(matrix.shape[1], dtype=np.bool_)
    cold, _ = _run(matrix, mod_out)
    flipped = cold.block.copy()
    flipped[0] *= -1
    warm, _ = _run(matrix, mod_out, start=flipped)
    np.testing.assert_allclose(warm.components[0], -cold.components[0], atol=1e-4)
    np.testing.assert_allclose(warm.components[1], cold.components[1], atol=1e-4)


def test_warm_start_pads_new_statements():
    matrix = _random_matrix(7)
    mod_out = np.zeros(matrix.shape[1], dtype=np.bool_)
    cold, _ = _run(matrix, mod_out)
    warm, _ = _run(matrix, mod_out, start=cold.block[:, :-5])  # as if 5 statements were new
    np.testing.assert_allclose(warm.components, cold.components, atol=1e-4)


def test_one_row_gives_the_normalised_row_and_a_zero_component():
    matrix = build_vote_matrix(
        VoteLog(np.array([1, 1, 1]), np.array([1, 2, 3]), np.int8([1, -1, 1]))
    )
    result, xy = _run(matrix, np.zeros(3, dtype=np.bool_))
    np.testing.assert_allclose(result.components[0], np.array([1, -1, 1]) / np.sqrt(3))
    assert np.all(result.components[1] == 0)
    assert np.all(xy == 0)


def test_one_column_gives_the_unit_component():
    matrix = build_vote_matrix(
        VoteLog(np.array([1, 2, 3]), np.array([4, 4, 4]), np.int8([1, -1, 0]))
    )
    result, xy = _run(matrix, np.zeros(1, dtype=np.bool_))
    assert result.components.tolist() == [[1.0], [0.0]]
    np.testing.assert_allclose(xy[:, 0], [1.0, -1.0, 0.0])


def test_no_variance_gives_zero_components():
    matrix = build_vote_matrix(
        VoteLog(np.array([1, 1, 2, 2]), np.array([1, 2, 1, 2]), np.int8([1, 1, 1, 1]))
    )
    result, xy = _run(matrix, np.zeros(2, dtype=np.bool_))
    assert np.all(result.components == 0)
    assert np.all(xy == 0)


def test_a_mod_out_column_counts_as_voted_in_the_scaling():
    """§1.4: Pol.is fills mod-out columns with 0 for everyone, so they count in n_voted."""
    matrix = _random_matrix(8, density=0.15)
    mod_out = np.zeros(matrix.shape[1], dtype=np.bool_)
    mod_out[[1, 2, 5]] = True
    _, xy = _run(matrix, mod_out)
    _, _, projection = _dense_polis(matrix, mod_out)
    np.testing.assert_allclose(np.abs(xy), np.abs(projection), atol=1e-4)


def test_empty_matrix():
    empty = np.zeros(0, dtype=np.int64)
    matrix = build_vote_matrix(VoteLog(empty, empty, np.zeros(0, dtype=np.int8)))
    result, xy = _run(matrix, np.zeros(0, dtype=np.bool_))
    assert result.components.shape == (2, 0)
    assert xy.shape == (0, 2)
