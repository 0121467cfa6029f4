"""Fit the re-scoring weights (`Tuning.rescore_weights`) on the tuning split.

    python -m eval.rescore_fit --out eval-out     # reuses eval-out/index-<corpus> from `rag eval`

For every answerable question of both eval corpora: the first `rescore_depth` fused candidates,
their `rescore_features` (rag/retrieve.py) and which of them hold a gold snippet. A softmax
over each question's candidates, with its gold candidates as the target, is fit by gradient
descent on the tuning split's questions (features standardized, L2 penalty). The weights are
printed in raw units, with hit@1 / hit@5 of fusion alone and of the fitted weights on each
split: the held-out split is reported, never fit.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from eval import metrics as M


def fit_softmax(
    groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.01, steps: int = 2000, rate: float = 0.5
) -> np.ndarray:
    """Weights (raw units) that put each group's probability mass on its positive rows:
    `groups` holds (features, labels) per question; groups without a positive are skipped.

    >>> X1 = np.array([[0.0, 1.0], [0.0, 0.0]]); X2 = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> w = fit_softmax([(X1, np.array([1, 0])), (X2, np.array([0, 1]))])
    >>> bool(w[1] > 0), bool(w[1] > abs(w[0]))
    (True, True)
    """
    used = [(X, y) for X, y in groups if y.sum() > 0]
    every = np.vstack([X for X, _ in used])
    mean, scale = every.mean(axis=0), every.std(axis=0) + 1e-9
    w = np.zeros(every.shape[1])
    for _ in range(steps):
        grad = np.zeros_like(w)
        for X, y in used:
            Z = (X - mean) / scale
            s = Z @ w
            p = np.exp(s - s.max())
            grad += Z.T @ (p / p.sum() - y / y.sum())
        w -= rate * (grad / len(used) + l2 * w)
    return w / scale


def hits_at(groups: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray, k: int) -> float:
    """Share of groups with a positive row among the k best by X @ w (stable order).

    >>> g = [(np.array([[1.0], [2.0]]), np.array([1, 0]))]
    >>> hits_at(g, np.array([1.0]), 1), hits_at(g, np.array([-1.0]), 1), hits_at(g, np.array([1.0]), 2)
    (0.0, 1.0, 1.0)
    """
    if not groups:
        return 0.0
    found = [y[np.argsort(-(X @ w), kind="stable")[:k]].any() for X, y in groups]
    return float(np.mean(found))


def candidates(out: Path) -> dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]]:
    """(corpus, split) -> (features, labels) of each answerable question's fused candidates."""
    import rag
    from eval.harness import CORPORA, MemoEmbedder, open_corpus
    from index.config import Config

    config = Config.from_env()
    base = rag.open(config)
    memo = MemoEmbedder(base.embedder)
    found: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
    for c in CORPORA:
        corpus, questions, _, _ = open_corpus(c, out / f"index-{c.name}", config, memo, base.glossary, True)
        for q in questions:
            if not q.answerable:
                continue
            # the product's own retrieval (cleaning, embedding, search), with its features
            _, r = corpus._retrieve(q.question, config.tuning.rescore_depth, None, None, most=None)
            if r.features is None or not r.hits:
                continue
            # in fusion's order (its score is the first feature), as the eval ranks them
            order = np.argsort(-r.features[:, 0], kind="stable")
            labels = np.array([M.supports(M.Cited(h.passage.source, h.passage.text, ""), q.gold)
                               for h in r.hits])
            found.setdefault((c.name, q.split), []).append((r.features[order], labels[order]))
    return found


def main() -> None:
    from index.config import Config
    from rag.retrieve import RESCORE_FEATURES

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("eval-out"))
    args = ap.parse_args()
    groups = candidates(args.out)
    tuning = [g for (_, split), gs in groups.items() if split == "tuning" for g in gs]
    w = fit_softmax(tuning)
    print("fitted:", ", ".join(f"{n} {v:.2f}" for n, v in zip(RESCORE_FEATURES, w / w[0] * 2, strict=True)),
          "(scaled so that the fused score's weight is 2)")
    fused = np.eye(len(RESCORE_FEATURES))[0]
    current = np.asarray(Config.from_env().tuning.rescore_weights, dtype=float)
    for (corpus, split), gs in sorted(groups.items()):
        row = [f"{name} hit@1 {hits_at(gs, v, 1):.3f} hit@5 {hits_at(gs, v, 5):.3f}"
               for name, v in (("fusion", fused), ("fitted", w), ("configured", current))]
        print(f"{corpus:8} {split:8} ({len(gs)}): " + "; ".join(row))


if __name__ == "__main__":
    main()
