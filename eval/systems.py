"""The systems the harness compares, each a callable `question -> Output`.

    default           the product: `rag.retrieve(k=10)` for ranking, `rag.ask(k=5)` for the answer
    lexical, dense    the same pipeline with one retriever alone (`Config.retrieval`)
    naive-llamaindex  the llama-index quickstart over the raw files, with the same embedding model
    compose           the product's generated answers (`ask(mode="compose")`) with the configured
                      language model (RAG_LLM); run only when named, as it takes ~10-30 s a question

`Output` unpacks as `(citations, answer, abstained, answer_citations)`: `citations` is the
ranked retrieval list (what ranking metrics score, measured even when the answer abstains),
`answer` the answer text or None for a retrieval-only system, and `answer_citations` the
passages the answer's [n] markers refer to (empty when it abstains). `extra` holds what only
some systems report: the answer's mode, its generated sentences' verdicts, and timings.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from rag.types import Citation

RANK_K = 10  # retrieval depth for ranking metrics
ANSWER_K = 5  # `ask`'s own default


class Unavailable(RuntimeError):
    """This system cannot be built against the current product (the harness skips it)."""


class Output(NamedTuple):
    citations: list[Citation]
    answer: str | None
    abstained: bool
    answer_citations: list[Citation] = []
    extra: dict = {}


System = Callable[[str], Output]


class MemoEmbedder:
    """An embedder that remembers the vectors of texts it has embedded (one eval run).

    The eval embeds the same texts over and over: each question by `retrieve` and `ask` of
    three product systems, and the candidate answer sentences of the same few passages for
    many questions. The model is deterministic, so remembering changes no result (beyond
    float noise from batch padding) and cuts the run time several-fold.
    """

    def __init__(self, inner):
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._memo: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def _get(self, kind: str, texts: Sequence[str], embed) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if (kind, t) not in self._memo]
        if missing:
            vecs = embed(missing)
            with self._lock:
                for t, v in zip(missing, vecs, strict=True):
                    self._memo[(kind, t)] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.stack([self._memo[(kind, t)] for t in texts])

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("q", texts, self.inner.queries)

    def passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._get("p", texts, lambda ts: self.inner.passages(ts, progress=progress))


def product(corpus, retrieval: str | None = None) -> System:
    """The product's own `retrieve` and `ask` on a corpus, optionally with another retrieval
    mode (a second corpus object over the same index, sharing the embedder)."""
    import rag

    if retrieval:
        corpus = rag.open(
            dataclasses.replace(corpus.config, retrieval=retrieval),
            embedder=corpus.embedder,
            glossary=corpus.glossary,
        )

    def run(question: str) -> Output:
        ranked = corpus.retrieve(question, k=RANK_K)
        a = corpus.ask(question, k=ANSWER_K)
        return Output(ranked, a.text, a.abstained, list(a.citations))

    return run


def composed(corpus, files=None) -> System:
    """The product's generated answers with the configured language model: each sentence
    checked against its [n], falling back to the quotes when none survives."""
    import time

    from index.errors import BadInputError

    try:
        corpus.llm  # noqa: B018 - load it now, so a missing model skips the system
    except (BadInputError, ImportError) as e:
        raise Unavailable(str(e)) from e

    def run(question: str) -> Output:
        ranked = corpus.retrieve(question, k=RANK_K)
        started = time.perf_counter()
        first: list[float] = []

        def on_token(_text: str) -> None:
            if not first:
                first.append(time.perf_counter() - started)

        a = corpus.ask(question, k=ANSWER_K, mode="compose", on_token=on_token)
        extra: dict = {"mode": a.mode}
        if not a.abstained:  # the model was asked: what it wrote, and how long it took
            extra.update(
                supported=[s.supported for s in a.sentences],
                # it said the passages do not answer (the quotes stand instead)
                model_declined=a.mode != "compose" and not a.sentences,
                seconds=round(time.perf_counter() - started, 2),
                first_token=round(first[0], 2) if first else None,
                translated=sorted(a.translations),
                withheld=sorted(a.withheld),
            )
        return Output(ranked, a.text, a.abstained, list(a.citations), extra)

    return run


def _embedding_adapter(embedder):
    """The product's embedder as a llama-index BaseEmbedding (e5 query/passage prompts kept)."""
    from llama_index.core.embeddings import BaseEmbedding
    from pydantic import PrivateAttr

    class ProductEmbedding(BaseEmbedding):
        _emb = PrivateAttr()

        def __init__(self, emb, **kw):
            super().__init__(model_name=emb.model_id, embed_batch_size=32, **kw)
            self._emb = emb

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._emb.queries([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._emb.passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return [v.tolist() for v in self._emb.passages(list(texts))]

    return ProductEmbedding(embedder)


def naive_llamaindex(corpus, files: Sequence[Path] | None = None) -> System:
    """The llama-index quickstart: SimpleDirectoryReader over the raw transcripts (no cleaning),
    the default SentenceSplitter, an in-memory VectorStoreIndex, top-k retrieval.

    Same embedding model as the product. Citations are the retrieved chunks: speaker unknown
    (""), source = file name, turn 0. No answer text (retrieval only), never abstains.
    """
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from index.types import Passage

    embed_model = _embedding_adapter(corpus.embedder)
    if files:
        reader = SimpleDirectoryReader(input_files=[str(f) for f in files])
    else:
        reader = SimpleDirectoryReader(str(corpus.config.transcripts))
    docs = reader.load_data()
    nodes = SentenceSplitter().get_nodes_from_documents(docs)
    index = VectorStoreIndex(nodes, embed_model=embed_model)
    retriever = index.as_retriever(similarity_top_k=RANK_K)

    def run(question: str) -> Output:
        found = retriever.retrieve(question)
        cites = [
            Citation(
                n=i,
                passage=Passage(
                    id=nd.node.node_id,
                    source=str(nd.node.metadata.get("file_name", "")),
                    speaker=None,
                    role="",
                    turn=0,
                    piece=1,
                    text=nd.node.get_content(),
                ),
                score=float(nd.score or 0.0),
            )
            for i, nd in enumerate(found, start=1)
        ]
        return Output(cites, None, False, [])

    return run


# name -> factory(corpus, files); the harness builds only the systems asked for.
FACTORIES: dict[str, Callable[..., System]] = {
    "default": lambda c, files=None: product(c),
    "lexical": lambda c, files=None: product(c, "lexical"),
    "dense": lambda c, files=None: product(c, "dense"),
    "naive-llamaindex": naive_llamaindex,
    "compose": composed,
}
NAMES = tuple(FACTORIES)
# What `rag eval` runs when no system is named: the generated answers take minutes per
# dozen questions on a CPU, so they run only when asked for.
DEFAULT_SYSTEMS = ("default", "lexical", "dense", "naive-llamaindex")
