"""A deterministic stand-in for the embedding model (fast tier only).

Hashes character bigrams of the Simplified-script text into a fixed number of dimensions,
so texts that share words are close, and nothing is downloaded or loaded.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Sequence

import numpy as np

from index.clean import normalize

FAKE_MODEL = "test/hashing-bigrams"


class HashingEmbedder:
    model_id = FAKE_MODEL
    dim = 256

    def __init__(self):
        self.calls = 0

    def _one(self, text: str) -> np.ndarray:
        t = normalize(text).replace(" ", "")
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(t, t[1:], strict=False):
            h = int.from_bytes(hashlib.blake2b((a + b).encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = float(np.linalg.norm(v))
        if n == 0:
            v[0] = 1.0
            n = 1.0
        return v / n

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        return np.stack([self._one(t) for t in texts])

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        self.calls += 1
        # Crash tests slow ingest down to kill it mid-way: seconds per passage, announced on
        # stderr so the test knows embedding has begun.
        delay = float(os.environ.get("RAG_TEST_EMBED_DELAY") or 0)
        if delay and texts:
            print(f"fake embedder: embedding {len(texts)} passages", file=sys.stderr, flush=True)
            time.sleep(delay * len(texts))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._one(t) for t in texts])


def main() -> None:
    """`python -m tests.fakes ARGS`: the `rag` command on a corpus with this fake embedder,
    for tests that need a real child process (exit codes, stderr, SIGKILL)."""
    import sys
    from pathlib import Path

    import rag
    from cli.main import main as cli
    from rag.crosslingual import Glossary

    shared = os.environ.get("RAG_TEST_GLOSSARY")
    glossary = Glossary.open(Path(shared)) if shared else None
    cli(sys.argv[1:], obj=rag.open(embedder=HashingEmbedder(), glossary=glossary))


if __name__ == "__main__":
    main()
