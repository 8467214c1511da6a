"""Who is clustered, Pol.is's base and group k-means, the silhouette and the k smoother.

Follows `compdemocracy/polis:math/src/polismath/math/{conversation,clusters}.clj` as described
in the research note `polis.md` §1.5-§1.7. Points are 2-D projections (base level) or base
cluster centres weighted by their sizes (group level); nearest centres come from a KD-tree over
the (at most 100) centres plus Hamerly's distance bounds, so an iteration re-queries only the
points whose nearest centre may have changed; nothing is ever n x n.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from parley.consultation.opinion.types import BoolArray, FloatArray, IntArray

MOVE_TOLERANCE = 0.01  # Pol.is `same-clustering?`: every centre moved less than this


@dataclass(frozen=True)
class Clustering:
    """k-means clusters sorted by id: centres and each point's cluster id (-1 for none)."""

    ids: IntArray  # (c,), ascending
    centers: FloatArray  # (c, 2)
    labels: IntArray  # (n_points,) cluster id per point

    def index_of(self, ids: IntArray) -> IntArray:
        """Return the row in `ids`/`centers` of each given cluster id (ids must exist)."""
        return np.searchsorted(self.ids, ids)

    def sizes(self, weights: FloatArray | None = None) -> FloatArray:
        """Return each cluster's number of points (or total weight)."""
        member = self.labels >= 0
        return np.bincount(
            self.index_of(self.labels[member]),
            weights=None if weights is None else weights[member],
            minlength=len(self.ids),
        ).astype(np.float64)


# --- Pol.is `:in-conv` (§1.5) ---


def select_in_conv(
    vote_counts: IntArray,
    n_statements: int,
    previous: BoolArray | None = None,
    *,
    min_votes: int = 7,
    greedy: int = 15,
) -> BoolArray:
    """Return who is clustered: sticky previous members, >= min(7, n_cmts) votes, else top 15.

    Pol.is counts raw votes (passes and votes on moderated-out statements included). If fewer
    than `greedy` participants qualify, the top vote-counters are added (ties in row order).
    """
    chosen = np.zeros(len(vote_counts), dtype=np.bool_) if previous is None else previous.copy()
    chosen |= vote_counts >= min(min_votes, n_statements)
    missing = greedy - int(chosen.sum())
    if missing > 0:
        candidates = np.flatnonzero(~chosen)
        order = np.argsort(-vote_counts[candidates], kind="stable")
        chosen[candidates[order[:missing]]] = True
    return chosen


# --- nearest centres ---


@dataclass
class _Bounds:
    """Per point: index of the nearest centre, its distance, and a lower bound on the second."""

    nearest: IntArray
    upper: FloatArray
    lower: FloatArray


def _query(points: FloatArray, centers: FloatArray) -> _Bounds:
    """Find each point's nearest and second-nearest centre exactly."""
    k = min(2, len(centers))
    distance, index = cKDTree(centers).query(points, k=k)
    if k == 1:
        return _Bounds(index.astype(np.int64), distance, np.full(len(points), np.inf))
    return _Bounds(index[:, 0].astype(np.int64), distance[:, 0], distance[:, 1])


def _requery(points: FloatArray, centers: FloatArray, bounds: _Bounds, moved: FloatArray) -> None:
    """Update the bounds after the centres moved, re-querying only points that may switch.

    Hamerly's test: a point keeps its centre while its distance to it stays below a lower bound
    on the distance to any other centre (old second distance minus the largest move). The upper
    bound is first tightened to the exact distance; only points still failing need the KD-tree.
    """
    bounds.upper += moved[bounds.nearest]
    bounds.lower -= moved.max(initial=0.0)
    stale = np.flatnonzero(bounds.upper >= bounds.lower)
    exact = np.linalg.norm(points[stale] - centers[bounds.nearest[stale]], axis=1)
    bounds.upper[stale] = exact
    stale = stale[exact >= bounds.lower[stale]]
    if stale.size:
        fresh = _query(points[stale], centers)
        bounds.nearest[stale] = fresh.nearest
        bounds.upper[stale] = fresh.upper
        bounds.lower[stale] = fresh.lower


# --- k-means (Pol.is `kmeans`, `cluster-step`, §1.6) ---------------------------------------------


def _weighted_means(
    points: FloatArray, weights: FloatArray, index: IntArray, n: int
) -> tuple[FloatArray, FloatArray]:
    """Return each cluster's weighted mean position and total weight (index per point)."""
    total = np.bincount(index, weights=weights, minlength=n).astype(np.float64)
    sums = np.column_stack(
        [np.bincount(index, weights=weights * points[:, d], minlength=n) for d in range(2)]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / total[:, None], total


def kmeans(
    points: FloatArray,
    weights: FloatArray,
    start: Clustering,
    *,
    max_iters: int,
) -> Clustering:
    """Run Pol.is k-means from `start`: assign to nearest, drop empties, recentre (weighted).

    Stops when no cluster was dropped and every centre moved less than 0.01, or after
    `max_iters` + 1 steps as Pol.is's loop does.
    """
    ids, centers = start.ids, start.centers
    bounds = _query(points, centers)
    for _ in range(max_iters + 1):
        means, total = _weighted_means(points, weights, bounds.nearest, len(ids))
        alive = total > 0
        moved = np.linalg.norm(means[alive] - centers[alive], axis=1)
        ids, centers = ids[alive], means[alive]
        remap = np.cumsum(alive) - 1
        bounds.nearest = remap[bounds.nearest]
        if alive.all() and np.all(moved < MOVE_TOLERANCE):
            break
        _requery(points, centers, bounds, moved)
    return Clustering(ids=ids, centers=centers, labels=ids[bounds.nearest])


def init_clusters(points: FloatArray, k: int) -> Clustering:
    """Pol.is `init-clusters`: the first k distinct points, in row order, are the centres."""
    size = k
    while True:
        head = points[:size]
        _, first = np.unique(head, axis=0, return_index=True)
        if len(first) >= k or size >= len(points):
            break
        size *= 4
    chosen = np.sort(first)[:k]
    return Clustering(
        ids=np.arange(len(chosen), dtype=np.int64),
        centers=head[chosen].astype(np.float64),
        labels=np.full(len(points), -1, dtype=np.int64),
    )


# --- warm start (Pol.is `clean-start-clusters`, §1.6) ---------------------------------------------


def clean_start(points: FloatArray, weights: FloatArray, previous: IntArray, k: int) -> Clustering:
    """Prepare last update's clusters as the start for this one (Pol.is `clean-start-clusters`).

    `previous[i]` is point i's cluster id last time (-1 for new points). Clusters are recentred
    on their surviving members, clusters with identical centres are merged, and the most distal
    point is split off as a new cluster until there are min(k, #distinct points) clusters.
    """
    labels = previous.astype(np.int64, copy=True)
    if not (labels >= 0).any():
        # Pol.is `safe-recenter-clusters`: nothing survived, so one cluster holds everything.
        labels[:] = int(previous.max(initial=-1)) + 1
    labels = _merge_identical(points, weights, labels)
    possible = min(k, len(np.unique(points, axis=0)))
    return _split_most_distal(points, weights, labels, possible)


def _recentre(points: FloatArray, weights: FloatArray, labels: IntArray) -> Clustering:
    """Return clusters centred on the weighted mean of their members (labels are kept)."""
    member = labels >= 0
    ids, index = np.unique(labels[member], return_inverse=True)
    centers, _ = _weighted_means(points[member], weights[member], index, len(ids))
    return Clustering(ids=ids.astype(np.int64), centers=centers, labels=labels)


def _merge_identical(points: FloatArray, weights: FloatArray, labels: IntArray) -> IntArray:
    """Pol.is `uniqify-clusters`: merge clusters whose centres are equal, keeping the larger id.

    Merging walks the clusters in id order; the merged cluster takes the id of the one with more
    members, the later one on a tie (Clojure's `max-key`).
    """
    clusters = _recentre(points, weights, labels)
    _, group, repeats = np.unique(clusters.centers, axis=0, return_inverse=True, return_counts=True)
    if np.all(repeats == 1):
        return labels
    counts = clusters.sizes()
    for dup in np.flatnonzero(repeats > 1):
        members = np.flatnonzero(group.ravel() == dup)
        keep, size = members[0], counts[members[0]]
        for other in members[1:]:
            if counts[other] >= size:
                keep = other
            size += counts[other]
        merged = np.isin(labels, clusters.ids[members])
        labels[merged] = clusters.ids[keep]
    return labels


def _split_most_distal(
    points: FloatArray, weights: FloatArray, labels: IntArray, possible: int
) -> Clustering:
    """Split off the point farthest from every centre as a new cluster until `possible` exist."""
    clusters = _recentre(points, weights, labels)
    ids, centers = list(clusters.ids), np.array(clusters.centers)
    bounds = _query(points, centers)
    while len(ids) < possible:
        # Pol.is `most-distal` takes the last of equal maxima (`max-key`).
        far = len(points) - 1 - int(np.argmax(bounds.upper[::-1]))
        if bounds.upper[far] <= 0:
            break
        old, new_id = int(labels[far]), max(ids) + 1
        labels[far] = new_id
        ids.append(new_id)
        centers = np.vstack([centers, points[far]])
        _centre_added(points, centers, bounds)
        if old >= 0:
            # The outlier left its cluster, whose centre moves to its remaining members' mean.
            at = ids.index(old)
            centers[at] = _member_mean(points, weights, labels == old)
            _centre_moved(points, centers, bounds, at)
    order = np.argsort(ids)
    sorted_ids = np.array(ids, dtype=np.int64)[order]
    return Clustering(ids=sorted_ids, centers=centers[order], labels=labels)


def _centre_added(points: FloatArray, centers: FloatArray, bounds: _Bounds) -> None:
    """Update nearest centres for a centre appended last: O(n), no KD-tree."""
    distance = np.linalg.norm(points - centers[-1], axis=1)
    closer = distance < bounds.upper
    bounds.nearest[closer] = len(centers) - 1
    bounds.upper[closer] = distance[closer]


def _centre_moved(points: FloatArray, centers: FloatArray, bounds: _Bounds, at: int) -> None:
    """Update nearest centres after centre `at` moved: its own points are re-queried."""
    own = np.flatnonzero(bounds.nearest == at)
    distance = np.linalg.norm(points - centers[at], axis=1)
    closer = distance < bounds.upper
    bounds.nearest[closer] = at
    bounds.upper[closer] = distance[closer]
    if own.size:
        fresh = _query(points[own], centers)
        bounds.nearest[own] = fresh.nearest
        bounds.upper[own] = fresh.upper


def _member_mean(points: FloatArray, weights: FloatArray, member: BoolArray) -> FloatArray:
    w = weights[member]
    mean: FloatArray = (points[member] * w[:, None]).sum(axis=0) / w.sum()
    return mean


def start_clusters(
    points: FloatArray, weights: FloatArray, previous: IntArray | None, k: int
) -> Clustering:
    """Return the k-means start: warm (clean start) when there were clusters, else cold."""
    if previous is None or not len(previous) or not (previous >= 0).any():
        return init_clusters(points, k)
    return clean_start(points, weights, previous, k)


# --- group level (§1.7) ---


def group_k_range(n_base: int, max_k: int) -> range:
    """Return the k tried for groups: 2 ... min(max_k, 2 + floor(#base / 12)) (`max-k-fn`).

    With fewer than two base clusters there is nothing to split (Pol.is would run k-means that
    can only return one group), so no k is tried.
    """
    if n_base < 2:
        return range(0)
    return range(2, min(max_k, 2 + n_base // 12) + 1)


def group_clusterings(
    centers: FloatArray,
    sizes: FloatArray,
    previous: Mapping[int, IntArray],
    *,
    max_k: int,
    max_iters: int,
) -> dict[int, Clustering]:
    """Run weighted k-means on the base centres for every k, each warm-started from its own last.

    `previous[k][b]` is base cluster b's group id in last update's clustering for k (-1: new).
    """
    return {
        k: kmeans(
            centers,
            sizes,
            start_clusters(centers, sizes, previous.get(k), k),
            max_iters=max_iters,
        )
        for k in group_k_range(len(centers), max_k)
    }


def silhouette(centers: FloatArray, labels: IntArray) -> float:
    """Return Pol.is's silhouette over base-cluster centres: unweighted mean, singletons 0.

    s(b) = (beta - alpha) / max(alpha, beta), alpha the mean distance to the other centres of
    b's group, beta the smallest mean distance to another group's centres (`clusters/silhouette`).
    """
    groups, index = np.unique(labels, return_inverse=True)
    if len(groups) < 2:
        return 0.0
    distance = np.linalg.norm(centers[:, None, :] - centers[None, :, :], axis=2)
    onehot = np.eye(len(groups))[index]
    counts = onehot.sum(axis=0)
    totals = distance @ onehot  # sum of distances from each centre to each group
    own = counts[index] - 1  # the centre itself is at distance 0 and not counted
    alpha = totals[np.arange(len(index)), index] / np.maximum(own, 1)
    means = totals / counts
    means[np.arange(len(index)), index] = np.inf
    beta = means.min(axis=1)
    spread = np.maximum(alpha, beta)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where((own > 0) & (spread > 0), (beta - alpha) / spread, 0.0)
    return float(score.mean())


def best_k(silhouettes: Mapping[int, float]) -> int:
    """Return the k with the highest silhouette; the largest such k on a tie (`max-key`)."""
    best = max(silhouettes.values())
    return max(k for k, s in silhouettes.items() if s == best)


@dataclass(frozen=True)
class KSmoother:
    """Pol.is `:group-k-smoother`: the last winning k, its run length and the k shown."""

    last_k: int
    count: int
    smoothed_k: int


def smooth_k(previous: KSmoother | None, this_k: int, buffer: int = 4) -> KSmoother:
    """Show a new k only once it has won `buffer` updates in a row (§1.7)."""
    same = previous is not None and previous.last_k == this_k
    count = previous.count + 1 if same and previous is not None else 1
    if count >= buffer or previous is None:
        return KSmoother(last_k=this_k, count=count, smoothed_k=this_k)
    return KSmoother(last_k=this_k, count=count, smoothed_k=previous.smoothed_k)
