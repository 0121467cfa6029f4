"""Fuse ranked lists and fold cross-document duplicates. Pure functions on ids and scores."""

from __future__ import annotations

from collections.abc import Callable, Sequence

RRF_K = 60.0


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float], k: float = RRF_K
) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion (Cormack et al. 2009): score = Σ w / (k + rank).

    >>> reciprocal_rank_fusion([["a", "b"], ["b", "c"]], [1.0, 1.0], k=1)
    [('b', 0.8333333333333333), ('a', 0.5), ('c', 0.3333333333333333)]
    """
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def group_duplicates(
    ranked: Sequence[str],
    source_of: Callable[[str], str],
    same: Callable[[str, str], bool],
    limit: int,
) -> list[tuple[str, list[str]]]:
    """Keep the first `limit` distinct passages; a later copy of a kept passage from another
    document joins it instead of taking a slot.

    >>> src = {"a1": "A", "b1": "B", "a2": "A", "b2": "B"}.__getitem__
    >>> group_duplicates(["a1", "b1", "a2", "b2"], src, lambda x, y: x[1] == y[1], limit=5)
    [('a1', ['b1']), ('a2', ['b2'])]
    """
    kept: list[tuple[str, list[str]]] = []
    for item in ranked:
        home = next(
            (
                group
                for group in kept
                if source_of(group[0]) != source_of(item)
                and all(source_of(x) != source_of(item) for x in group[1])
                and same(group[0], item)
            ),
            None,
        )
        if home is not None:
            home[1].append(item)
        elif len(kept) < limit:
            kept.append((item, []))
    return kept
