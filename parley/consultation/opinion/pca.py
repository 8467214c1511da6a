"""Pol.is's PCA of the mean-imputed vote matrix, on the sparse matrix (research note §1.3-§1.4).

Pol.is zeroes moderated-out and meta columns for every row, fills each missing cell with its
column's mean over the votes present, centres every column and takes the top two eigenvectors
of X_c^T X_c by power iteration. With mean imputation the centre of a column is just the mean of
its observed votes, so the centred, imputed matrix is exactly sparse: an observed cell holds
x_ij - c_j and a missing one holds 0. The eigenvectors therefore come from sparse products
alone, by block subspace iteration with Rayleigh-Ritz, warm-started from the previous update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

from parley.consultation.opinion.matrix import VoteMatrix
from parley.consultation.opinion.types import BoolArray, FloatArray

N_COMPONENTS = 2
GUARD_VECTORS = 4  # extra block vectors: convergence goes as (lambda_{2+guard+1} / lambda_2)^iters
MAX_ITERATIONS = 500
FLOAT32_ABOVE_NNZ = 8_000_000  # larger matrices use float32 products: half the memory traffic
_TOLERANCE = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-5}
STALL_ITERATIONS = 3  # stop when the residual stops shrinking: float32's precision floor


@dataclass(frozen=True)
class PCAResult:
    """The centre, the two components and the block that warm-starts the next update."""

    center: FloatArray  # (m,), export sign
    components: FloatArray  # (2, m), unit rows (or zero rows when there is no variance)
    block: FloatArray  # (p, m), orthonormal rows spanning the dominant subspace
    iterations: int


def column_center(matrix: VoteMatrix, mod_out: BoolArray) -> FloatArray:
    """Return each column's mean over its observed votes; 0 for mod-out columns (§1.3)."""
    m = matrix.shape[1]
    sums = np.bincount(matrix.indices, weights=matrix.values, minlength=m)
    counts = np.bincount(matrix.indices, minlength=m)
    center = sums / np.maximum(counts, 1)
    # Pol.is §1.2: a mod-out column is zero for every row, so its mean is 0.
    center[mod_out] = 0.0
    return center


def centered(matrix: VoteMatrix, center: FloatArray, mod_out: BoolArray) -> sp.csr_array:
    """Return X_c: observed cells x_ij - c_j, mod-out columns 0, missing cells absent (= 0)."""
    dtype: type[np.floating[Any]] = np.float32 if matrix.nnz > FLOAT32_ABOVE_NNZ else np.float64
    data = matrix.values.astype(dtype)
    data -= center.astype(dtype)[matrix.indices]
    if mod_out.any():
        data[mod_out[matrix.indices]] = 0
    return matrix.csr(data)


def principal_components(
    xc: sp.csr_array,
    center: FloatArray,
    *,
    start: FloatArray | None = None,
    seed: int = 0,
) -> PCAResult:
    """Return Pol.is's top-2 components of X_c^T X_c, handling its one-row/one-column cases."""
    n, m = xc.shape
    if n == 0 or m == 0:
        empty = np.zeros((N_COMPONENTS, m))
        return PCAResult(center, empty, empty.copy(), 0)
    if n == 1:
        return _single_row(center)
    if m == 1:
        # Pol.is `wrapped-pca`: with one column the only component is [1].
        return PCAResult(center, np.array([[1.0], [0.0]]), np.array([[1.0]]), 0)
    block = _start_block(m, start, seed)
    block, values, iterations = _subspace_iteration(xc, block)
    components = _orient(_drop_null(block[:N_COMPONENTS], values[:N_COMPONENTS]), start)
    # Keep the oriented components as the block's leading rows: the next update orients by them.
    live = np.any(components != 0, axis=1)
    block[:N_COMPONENTS][live] = components[live]
    return PCAResult(center, components, block, iterations)


def _single_row(row: FloatArray) -> PCAResult:
    """Pol.is `wrapped-pca` with one row: comp1 is the normalised row, comp2 is zero."""
    norm = float(np.linalg.norm(row))
    first = row / norm if norm > 0 else np.zeros_like(row)
    components = np.vstack([first, np.zeros_like(row)])
    return PCAResult(row.copy(), components, components.copy(), 0)


def _start_block(m: int, start: FloatArray | None, seed: int) -> FloatArray:
    """Return p orthonormal rows: the previous block (new columns as 0), then random rows."""
    p = min(N_COMPONENTS + GUARD_VECTORS, m)
    rng = np.random.default_rng(seed)
    block = rng.standard_normal((p, m))
    if start is not None and start.size:
        rows = min(len(start), p)
        width = min(start.shape[1], m)
        block[:rows] = 0.0
        block[:rows, :width] = start[:rows, :width]
    q, _ = np.linalg.qr(block.T)
    return np.ascontiguousarray(q.T)


def _subspace_iteration(xc: sp.csr_array, block: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    """Iterate Q <- orth(X_c^T X_c Q) with Rayleigh-Ritz until the top-2 residuals are small.

    The residual ||G v - lambda v|| / lambda_1 of both leading Ritz pairs must fall below the
    tolerance; 1e-6 in float64 keeps projections within ~2e-5 of Pol.is on its fixtures.
    """
    tolerance = _TOLERANCE[np.dtype(xc.dtype)]
    q, best, stalled, iteration = block.T, np.inf, 0, 0
    while iteration < MAX_ITERATIONS:
        iteration += 1
        gq = _gram_product(xc, q)
        values, ritz = np.linalg.eigh(q.T @ gq)
        order = np.argsort(values)[::-1]
        values, ritz = values[order], ritz[:, order]
        vectors, g_vectors = q @ ritz, gq @ ritz
        residual = _residual(vectors, g_vectors, values)
        stalled = stalled + 1 if residual > 0.99 * best else 0
        best = min(best, residual)
        if residual <= tolerance or stalled >= STALL_ITERATIONS:
            break
        q = _orthonormalise(g_vectors)
    return np.ascontiguousarray(vectors.T), values, iteration


def _orthonormalise(block: FloatArray) -> FloatArray:
    """Return an orthonormal basis of the block's columns by CholeskyQR2.

    For a tall, thin block two Cholesky passes on its 6 x 6 Gram matrix cost far less than
    LAPACK's QR, which spends milliseconds starting threads. The columns are normalised first:
    they are G times near-eigenvectors, so nearly orthogonal, and the Gram matrix is well
    conditioned. A rank-deficient block (no variance left) falls back to QR.
    """
    norms = np.linalg.norm(block, axis=0)
    if norms.min() <= 1e-150:
        return _householder(block)
    q: FloatArray = block / norms
    try:
        for _ in range(2):
            lower = np.linalg.cholesky(q.T @ q)
            q = q @ np.linalg.inv(lower).T
    except np.linalg.LinAlgError:
        return _householder(block)
    return q


def _householder(block: FloatArray) -> FloatArray:
    """Return an orthonormal basis by LAPACK QR, which copes with dependent columns."""
    q: FloatArray = np.linalg.qr(block)[0]
    return q


def _gram_product(xc: sp.csr_array, q: FloatArray) -> FloatArray:
    """Return X_c^T (X_c Q) with two sparse products, in the matrix's precision."""
    z = xc @ q.astype(xc.dtype)
    return np.asarray(xc.T @ z, dtype=np.float64)


def _residual(vectors: FloatArray, g_vectors: FloatArray, values: FloatArray) -> float:
    """Return the larger residual of the two leading Ritz pairs, relative to lambda_1."""
    k = N_COMPONENTS
    scale = max(float(values[0]), np.finfo(np.float64).tiny)
    residual = np.linalg.norm(g_vectors[:, :k] - vectors[:, :k] * values[:k], axis=0)
    return float(residual.max()) / scale


def _drop_null(components: FloatArray, values: FloatArray) -> FloatArray:
    """Zero components without variance: Pol.is's power iteration finds nothing there."""
    scale = max(float(values[0]), 0.0)
    keep = values > 1e-12 * max(scale, 1.0)
    return np.where(keep[:, None], components, 0.0)


def _orient(components: FloatArray, previous: FloatArray | None) -> FloatArray:
    """Fix each component's sign: agree with the previous update's, else largest entry positive.

    An eigenvector's sign is arbitrary; keeping it stable stops the map from mirroring between
    updates.
    """
    oriented = components.copy()
    for i, component in enumerate(components):
        reference = _previous_row(previous, i, len(component))
        if reference is not None and abs(float(component @ reference)) > 0:
            sign = np.sign(component @ reference)
        else:
            sign = np.sign(component[np.argmax(np.abs(component))]) or 1.0
        oriented[i] = component * sign
    return oriented


def _previous_row(previous: FloatArray | None, i: int, m: int) -> FloatArray | None:
    if previous is None or i >= len(previous):
        return None
    row = np.zeros(m)
    width = min(m, previous.shape[1])
    row[:width] = previous[i, :width]
    return row


def project(
    matrix: VoteMatrix, xc: sp.csr_array, components: FloatArray, mod_out: BoolArray
) -> npt.NDArray[np.float64]:
    """Return every participant's (x, y) with Pol.is's sparsity-aware scaling (§1.4).

    p_i = sqrt(n_cmts / max(n_voted_i, 1)) * sum over voted j of (x_ij - c_j) * pc_j, where a
    mod-out column counts as voted by everyone because Pol.is fills it with zeros.
    """
    n, m = matrix.shape
    if n == 0:
        return np.zeros((0, N_COMPONENTS))
    raw = np.asarray(xc @ components.T.astype(xc.dtype), dtype=np.float64)
    voted = matrix.row_counts() + int(mod_out.sum())
    if mod_out.any():
        voted -= np.bincount(matrix.rows()[mod_out[matrix.indices]], minlength=n)
    return raw * np.sqrt(m / np.maximum(voted, 1))[:, None]
