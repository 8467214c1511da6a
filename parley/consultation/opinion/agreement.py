"""How much two partitions of the same participants agree (pure numpy)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def _pairs(counts: npt.NDArray[np.int64]) -> float:
    """Return the number of unordered pairs within each count, summed: sum C(n, 2)."""
    c = counts.astype(np.float64)
    return float((c * (c - 1) / 2).sum())


def adjusted_rand_index(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Return the adjusted Rand index of two labelings (1.0 = identical partitions).

    Labels are arbitrary: only which items share a label matters. Two single-cluster (or empty)
    labelings are identical partitions and score 1.0.
    """
    left, right = np.asarray(a).ravel(), np.asarray(b).ravel()
    if left.shape != right.shape:
        raise ValueError("both labelings must label the same items")
    _, li = np.unique(left, return_inverse=True)
    _, ri = np.unique(right, return_inverse=True)
    n_right = int(ri.max(initial=-1)) + 1
    table = np.bincount(li * n_right + ri, minlength=(int(li.max(initial=-1)) + 1) * n_right)
    together = _pairs(table)
    row = _pairs(np.bincount(li))
    col = _pairs(np.bincount(ri))
    total = _pairs(np.array([left.size]))
    expected = row * col / total if total else 0.0
    best = (row + col) / 2
    if best == expected:
        return 1.0
    return (together - expected) / (best - expected)
