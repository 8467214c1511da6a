"""In-conv, Pol.is k-means and its warm start, silhouette and the k smoother (§1.5-§1.7)."""

from __future__ import annotations

import numpy as np
import pytest

from parley.consultation.opinion import clusters as cl


def _lloyd(points, weights, centers, max_iters):
    """Pol.is `kmeans` written plainly: brute-force nearest centre, drop empties, recentre."""
    ids = np.arange(len(centers))
    for _ in range(max_iters + 1):
        distance = np.linalg.norm(points[:, None, :] - centers[None, :, :], axis=2)
        nearest = distance.argmin(axis=1)
        alive = np.bincount(nearest, minlength=len(centers)) > 0
        means = np.array(
            [
                np.average(points[nearest == c], axis=0, weights=weights[nearest == c])
                for c in np.flatnonzero(alive)
            ]
        )
        moved = np.linalg.norm(means - centers[alive], axis=1)
        labels = ids[alive][np.searchsorted(np.flatnonzero(alive), nearest)]
        ids, centers = ids[alive], means
        if alive.all() and np.all(moved < 0.01):
            break
    return ids, centers, labels


# --- in-conv (S8) ----------------------------------------------------------------------------


def test_in_conv_needs_min_of_7_and_the_statement_count():
    counts = np.array([7, 6, 9] + [8] * 20)
    assert cl.select_in_conv(counts, 30).tolist() == [True, False, True] + [True] * 20
    # With only 5 statements, voting on all 5 is enough.
    assert cl.select_in_conv(np.array([5, 4] + [5] * 20), 5)[:2].tolist() == [True, False]


def test_fewer_than_15_eligible_adds_the_top_voters_in_row_order():
    counts = np.array([9, 2, 3, 3, 1] + [3] * 15)
    chosen = cl.select_in_conv(counts, 30)
    assert chosen.sum() == 15
    assert chosen[0] and not chosen[1] and not chosen[4]
    # The 3-vote ties are taken in row order: the first 14 of them.
    assert np.flatnonzero(chosen[1:]).tolist() == [1, 2] + list(range(4, 16))


def test_in_conv_is_sticky_as_the_statement_count_grows():
    """Early participants who voted on all of the first 3 statements stay in as more arrive."""
    early = np.array([3] * 20 + [1] * 5)
    first = cl.select_in_conv(early, 3)
    assert first.tolist() == [True] * 20 + [False] * 5
    later = np.concatenate([early, [7] * 15])  # now 12 statements; 15 newcomers voted on 7
    second = cl.select_in_conv(later, 12, np.concatenate([first, np.zeros(15, dtype=np.bool_)]))
    assert second.tolist() == [True] * 20 + [False] * 5 + [True] * 15
    assert cl.select_in_conv(later, 12)[:20].sum() == 0  # without history they would drop out


# --- k-means (§1.6) ----------------------------------------------------------------------------


def _blobs(seed: int, n: int = 3000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((4, 2)) * 3
    return centres[rng.integers(0, 4, n)] + rng.standard_normal((n, 2))


@pytest.mark.parametrize("seed", [0, 1])
def test_kmeans_with_distance_bounds_equals_plain_lloyd(seed):
    points = _blobs(seed)
    weights = np.ones(len(points))
    start = cl.init_clusters(points, 100)
    ours = cl.kmeans(points, weights, start, max_iters=100)
    ids, centres, labels = _lloyd(points, weights, start.centers, 100)
    assert ours.ids.tolist() == ids.tolist()
    np.testing.assert_allclose(ours.centers, centres, atol=1e-12)
    assert ours.labels.tolist() == labels.tolist()


def test_kmeans_result_is_a_fixed_point():
    points = _blobs(2)
    result = cl.kmeans(points, np.ones(len(points)), cl.init_clusters(points, 20), max_iters=100)
    distance = np.linalg.norm(points[:, None, :] - result.centers[None, :, :], axis=2)
    assert np.all(result.ids[distance.argmin(axis=1)] == result.labels)


def test_weighted_kmeans_recentres_on_weighted_means():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0]])
    weights = np.array([3.0, 1.0, 1.0])
    result = cl.kmeans(points, weights, cl.init_clusters(points[[0, 2]], 2), max_iters=20)
    np.testing.assert_allclose(result.centers, [[0.25, 0.0], [10.0, 0.0]])


def test_init_takes_the_first_k_distinct_points_in_row_order():
    points = np.array([[1.0, 1], [1, 1], [2, 2], [1, 1], [3, 3], [4, 4]])
    start = cl.init_clusters(points, 3)
    assert start.centers.tolist() == [[1, 1], [2, 2], [3, 3]]
    assert start.ids.tolist() == [0, 1, 2]
    assert len(cl.init_clusters(points, 10).ids) == 4  # only 4 distinct points


# --- clean start (S14) ---------------------------------------------------------------------------


def test_clean_start_recentres_on_surviving_members():
    points = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 10.0], [12.0, 10.0]])
    previous = np.array([4, 4, 7, 7])
    start = cl.clean_start(points, np.ones(4), previous, k=2)
    assert start.ids.tolist() == [4, 7]
    np.testing.assert_allclose(start.centers, [[1.0, 0.0], [11.0, 10.0]])


def test_clean_start_drops_empty_and_splits_the_most_distal_point():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [50.0, 0.0], [20.0, 0.0]])
    previous = np.array([3, 3, -1, -1])  # cluster 3 survives; cluster 5 is gone; two newcomers
    start = cl.clean_start(points, np.ones(4), previous, k=3)
    assert start.ids.tolist() == [3, 4, 5]
    # First split: the farthest point (50, 0), then (20, 0), each as a new cluster.
    np.testing.assert_allclose(start.centers, [[0.5, 0.0], [50.0, 0.0], [20.0, 0.0]])


def test_clean_start_stops_at_the_number_of_distinct_points():
    points = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    start = cl.clean_start(points, np.ones(3), np.array([1, 1, -1]), k=100)
    assert len(start.ids) == 2


def test_clean_start_merges_clusters_with_identical_centres_keeping_the_larger_id():
    points = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [9.0, 9.0]])
    previous = np.array([2, 6, 6, 8])
    start = cl.clean_start(points, np.ones(4), previous, k=2)
    assert start.ids.tolist() == [6, 8]
    assert start.labels.tolist() == [6, 6, 6, 8]


def test_clean_start_with_no_survivors_starts_from_one_cluster():
    points = np.array([[0.0, 0.0], [4.0, 0.0]])
    start = cl.clean_start(points, np.ones(2), np.array([-1, -1]), k=1)
    assert start.ids.tolist() == [0]
    np.testing.assert_allclose(start.centers, [[2.0, 0.0]])


def _clean_start_by_hand(points, previous, k):
    """Pol.is `clean-start-clusters` step by step (no identical centres in these inputs)."""
    members = {
        int(c): np.flatnonzero(previous == c).tolist() for c in np.unique(previous[previous >= 0])
    }

    def centre(c):
        return points[members[c]].mean(axis=0)

    possible = min(k, len(np.unique(points, axis=0)))
    while len(members) < possible:
        centres = np.array([centre(c) for c in sorted(members)])
        nearest = np.linalg.norm(points[:, None] - centres[None], axis=2).min(axis=1)
        far = len(points) - 1 - int(np.argmax(nearest[::-1]))
        if nearest[far] <= 0:
            break
        for c in members:
            if far in members[c]:
                members[c].remove(far)
        members[max(members) + 1] = [far]
    return sorted(members), np.array([centre(c) for c in sorted(members)])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clean_start_splits_like_polis_step_by_step(seed):
    rng = np.random.default_rng(seed)
    points = rng.standard_normal((400, 2)) * rng.uniform(0.2, 3, (400, 1))
    previous = np.where(rng.random(400) < 0.7, rng.integers(0, 12, 400), -1)
    start = cl.clean_start(points, np.ones(400), previous, k=30)
    ids, centres = _clean_start_by_hand(points, previous, 30)
    assert start.ids.tolist() == ids
    np.testing.assert_allclose(start.centers, centres, atol=1e-12)


def test_warm_started_kmeans_keeps_cluster_ids():
    points = _blobs(3)
    weights = np.ones(len(points))
    first = cl.kmeans(points, weights, cl.init_clusters(points, 10), max_iters=100)
    moved = points + 0.001
    again = cl.kmeans(
        moved, weights, cl.start_clusters(moved, weights, first.labels, 10), max_iters=100
    )
    assert again.ids.tolist() == first.ids.tolist()
    # Pol.is stops once centres move < 0.01, so a few boundary points may still change hands.
    assert np.mean(again.labels == first.labels) > 0.99


# --- group level (§1.7) ---


def _silhouette_by_definition(centres, labels):
    scores = []
    for i in range(len(centres)):
        same = [j for j in range(len(centres)) if labels[j] == labels[i] and j != i]
        if not same:
            scores.append(0.0)
            continue
        d = np.linalg.norm(centres - centres[i], axis=1)
        alpha = d[same].mean()
        beta = min(d[labels == g].mean() for g in set(labels.tolist()) if g != labels[i])
        scores.append((beta - alpha) / max(alpha, beta))
    return float(np.mean(scores))


def test_silhouette_is_the_unweighted_mean_with_singletons_zero():
    rng = np.random.default_rng(9)
    centres = rng.standard_normal((30, 2))
    labels = rng.integers(0, 4, 30)
    labels[0] = 7  # a singleton group
    assert cl.silhouette(centres, labels) == pytest.approx(
        _silhouette_by_definition(centres, labels)
    )
    assert cl.silhouette(centres, np.zeros(30, dtype=np.int64)) == 0.0


def test_group_k_range_follows_the_number_of_base_clusters():
    assert list(cl.group_k_range(11, 5)) == [2]
    assert list(cl.group_k_range(24, 5)) == [2, 3, 4]
    assert list(cl.group_k_range(100, 5)) == [2, 3, 4, 5]


def test_best_k_breaks_ties_towards_the_larger_k():
    assert cl.best_k({2: 0.3, 3: 0.5, 4: 0.5}) == 4
    assert cl.best_k({2: 0.6, 3: 0.5}) == 2


def test_k_smoother_switches_only_on_the_fourth_consecutive_win():
    """S14: a scripted sequence of winning k values against the shown k."""
    script = [2, 3, 3, 3, 3, 3, 2, 2, 4, 2, 2, 2, 2]
    shown = [2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2]
    smoother = None
    for this_k, expected in zip(script, shown, strict=True):
        smoother = cl.smooth_k(smoother, this_k, buffer=4)
        assert smoother.smoothed_k == expected


def test_group_clusterings_warm_start_per_k_keeps_ids():
    rng = np.random.default_rng(11)
    centres = np.vstack([rng.normal(-3, 0.5, (20, 2)), rng.normal(3, 0.5, (20, 2))])
    sizes = rng.integers(1, 20, 40).astype(np.float64)
    first = cl.group_clusterings(centres, sizes, {}, max_k=5, max_iters=20)
    previous = {k: c.labels for k, c in first.items()}
    second = cl.group_clusterings(centres + 0.01, sizes, previous, max_k=5, max_iters=20)
    for k in first:
        assert second[k].labels.tolist() == first[k].labels.tolist()
