"""The loaded state behind `ask`/`retrieve`: embedder, Chroma collection, lexical index.

One Engine per configuration per process, created on first use and shared by all threads.
It notices a newer index (the manifest's generation) and reloads the lexical side.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np

from index.chunk import CHUNKER_VERSION
from index.clean import normalize, to_simplified
from index.config import Config
from index.embed import Embedder, load_embedder
from index.errors import NoIndexError
from index.lexical import tokenize
from index.store import Store
from index.types import Chunk


@dataclass(frozen=True)
class Snapshot:
    """An immutable view of the index that one query works on."""

    generation: int
    chunks: list[Chunk]
    position: dict[str, int]
    vectors: np.ndarray  # passage embeddings, row i = chunks[i]
    bm25: object  # bm25s.BM25 over the chunks' lexical tokens
    vocabulary: frozenset[str]
    idf: dict[str, float]  # log(N / df) of each lexical token
    bigrams: frozenset[str]  # every pair of adjacent characters in the (normalized) passages
    speakers: tuple[str, ...]
    hosts: frozenset[str]  # speakers in the host role
    name_tokens: frozenset[str]  # lexical tokens of the speakers' names
    sources: tuple[str, ...]
    glossary: object  # rag.crosslingual.Glossary over the index's vocabulary


class Engine:
    def __init__(self, config: Config):
        self.config = config
        self.embedder: Embedder = load_embedder(config)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._store: Store | None = None
        self._dense = None
        self._dense_collection: str | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.config)
        return self._store

    def snapshot(self) -> Snapshot:
        """The current index; rebuilt only when an ingest has changed it."""
        store = self.store()
        manifest = store.manifest()
        if manifest is None or not manifest.files:
            raise NoIndexError(self.config.chroma_url or str(self.config.chroma_dir))
        snap = self._snapshot
        if snap is not None and snap.generation == manifest.generation:
            return snap
        with self._lock:
            if self._snapshot is not None and self._snapshot.generation == manifest.generation:
                return self._snapshot
            manifest.check(self.embedder.model_id, CHUNKER_VERSION)
            self._snapshot = self._build(store, manifest.generation)
            return self._snapshot

    def _build(self, store: Store, generation: int) -> Snapshot:
        import bm25s

        chunks, tokens = store.all_chunks()
        if not chunks:
            raise NoIndexError(self.config.chroma_url or str(self.config.chroma_dir))
        got = store.collection.get(ids=[c.id for c in chunks], include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        vectors = np.asarray([by_id[c.id] for c in chunks], dtype=np.float32)
        bm25 = bm25s.BM25()
        bm25.index([t or ["\x00"] for t in tokens], show_progress=False)
        from rag.crosslingual import Glossary

        df = Counter(t for toks in tokens for t in set(toks))
        vocabulary = frozenset(df)
        idf = {t: math.log(len(chunks) / c) + 1.0 for t, c in df.items()}
        return Snapshot(
            generation=generation,
            chunks=chunks,
            position={c.id: i for i, c in enumerate(chunks)},
            vectors=vectors,
            bm25=bm25,
            vocabulary=vocabulary,
            idf=idf,
            bigrams=frozenset(b for c in chunks for b in char_bigrams(c.embed_text())),
            speakers=tuple(sorted({c.speaker for c in chunks})),
            hosts=frozenset(c.speaker for c in chunks if c.role == "host"),
            name_tokens=frozenset(t for s in {c.speaker for c in chunks} for t in tokenize(s)),
            sources=tuple(sorted({c.source for c in chunks})),
            glossary=Glossary.from_cedict(vocabulary),
        )

    def dense_retriever(self, top_k: int, filters=None):
        """llama-index's retriever over the Chroma collection (the query vector is passed in)."""
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        collection = self.store().collection
        if self._dense is None or self._dense_collection != str(collection.id):
            # (re)built when `rag ingest --rebuild` replaced the collection under a running app
            store = ChromaVectorStore(chroma_collection=collection)
            self._dense = VectorStoreIndex.from_vector_store(store, embed_model=_NoEmbedding())
            self._dense_collection = str(collection.id)
        return self._dense.as_retriever(similarity_top_k=top_k, filters=filters)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.queries([to_simplified(text)])[0]


def char_bigrams(text: str) -> set[str]:
    """Adjacent character pairs of the normalized text, ignoring spaces.

    >>> sorted(char_bigrams("數據 AB"))
    ['ab', '据a', '数据']
    """
    t = normalize(text).replace(" ", "")
    return {t[i : i + 2] for i in range(len(t) - 1)}


def _NoEmbedding():
    """An embed model that refuses to run: queries arrive with their vector already computed."""
    from llama_index.core.embeddings import MockEmbedding

    return MockEmbedding(embed_dim=1)


_engines: dict[Config, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(config: Config) -> Engine:
    """The process-wide Engine for this configuration (model loaded once)."""
    with _engines_lock:
        engine = _engines.get(config)
        if engine is None:
            engine = _engines[config] = Engine(config)
        return engine


def reset_engines() -> None:
    """Forget loaded engines (tests that switch RAG_HOME)."""
    with _engines_lock:
        _engines.clear()
