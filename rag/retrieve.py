"""Hybrid retrieval: dense (Chroma via llama-index) + lexical (BM25 on segmented Chinese),
fused by weighted reciprocal rank, with copies of one passage across documents folded."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from index.errors import BadInputError
from index.lexical import tokenize
from index.types import Chunk
from rag.engine import Engine, Snapshot
from rag.fuse import group_duplicates, reciprocal_rank_fusion

_CJK = re.compile(r"[\u3400-\u9fff]")
# Two write-ups of one answer embed this close; distinct passages rarely do.
DUPLICATE_COSINE = 0.90
# English questions reach Chinese passages through the multilingual embedding; BM25 only
# helps them through names (Tesla, Waymo), so it gets less say.
LEXICAL_WEIGHT = {"zh": 1.0, "en": 0.5}


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score
    cosine: float  # dense similarity to the question
    also: tuple[Chunk, ...]


@dataclass(frozen=True)
class Retrieval:
    question: str
    vector: np.ndarray
    hits: list[Hit]
    lang: str  # "zh" or "en"
    cosines: np.ndarray  # dense similarity of every candidate the filters allow
    query_tokens: tuple[str, ...]  # lexical tokens of the question (speaker names removed)
    unknown_terms: tuple[str, ...]  # content words of the question found nowhere in the index


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters and surrounding space; refuse empty or over-long questions."""
    if not isinstance(question, str):
        raise BadInputError("the question must be text")
    q = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in question)
    q = re.sub(r"\s+", " ", q).strip()
    if not q:
        raise BadInputError("the question is empty: ask something about the interview")
    if len(q) > max_chars:
        raise BadInputError(
            f"the question is {len(q)} characters long; the limit is {max_chars}: ask a shorter question"
        )
    return q


def language(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


def resolve(values: str | list[str] | None, known: tuple[str, ...], what: str) -> list[str] | None:
    """Match user-typed filter values to stored names, case-insensitively by substring:
    `karpathy` finds `Andrej Karpathy`."""
    if values is None or values == [] or values == "":
        return None
    wanted = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for v in wanted:
        hits = [k for k in known if v.strip().lower() in k.lower()]
        if not hits:
            raise BadInputError(f"no {what} matches {v!r}; known: {', '.join(known)}")
        out.extend(h for h in hits if h not in out)
    return out


def _filters(speakers: list[str] | None, sources: list[str] | None):
    from llama_index.core.vector_stores.types import FilterOperator, MetadataFilter, MetadataFilters

    parts = []
    if speakers:
        parts.append(MetadataFilter(key="speaker", value=speakers, operator=FilterOperator.IN))
    if sources:
        parts.append(MetadataFilter(key="source", value=sources, operator=FilterOperator.IN))
    return MetadataFilters(filters=parts) if parts else None


def _name_tokens(snap: Snapshot) -> set[str]:
    # Questions name the speakers ("What does Karpathy think…"); passages rarely do.
    return {t for s in snap.speakers for t in tokenize(s)}


def search(
    engine: Engine,
    question: str,
    *,
    k: int,
    speaker: str | list[str] | None = None,
    source: str | list[str] | None = None,
) -> Retrieval:
    snap = engine.snapshot()
    q = clean_question(question, engine.config.max_question_chars)
    speakers = resolve(speaker, snap.speakers, "speaker")
    sources = resolve(source, snap.sources, "document")
    allowed = np.array(
        [(speakers is None or c.speaker in speakers) and (sources is None or c.source in sources) for c in snap.chunks]
    )
    lang = language(q)
    n = engine.config.candidates
    qvec = engine.embed_query(q)

    from llama_index.core.schema import QueryBundle

    dense_nodes = engine.dense_retriever(n, _filters(speakers, sources)).retrieve(
        QueryBundle(query_str=q, embedding=qvec.tolist())
    )
    dense_ids = [nd.node.node_id for nd in dense_nodes if nd.node.node_id in snap.position]

    names = _name_tokens(snap)
    all_tokens = [t for t in tokenize(q) if t not in names]
    known = [t for t in all_tokens if t in snap.vocabulary]
    lex_ids: list[str] = []
    if known:
        scores = np.asarray(snap.bm25.get_scores(known), dtype=np.float32) * allowed
        top = np.argsort(-scores, kind="stable")[:n]
        lex_ids = [snap.chunks[i].id for i in top if scores[i] > 0]

    fused = reciprocal_rank_fusion([dense_ids, lex_ids], [1.0, LEXICAL_WEIGHT[lang]])
    fused_score = dict(fused)
    vec = snap.vectors
    pos = snap.position

    def same(a: str, b: str) -> bool:
        return float(vec[pos[a]] @ vec[pos[b]]) >= DUPLICATE_COSINE

    groups = group_duplicates(
        [cid for cid, _ in fused], lambda cid: snap.chunks[pos[cid]].source, same, limit=k
    )
    cos_all = vec @ qvec
    hits = [
        Hit(
            chunk=snap.chunks[pos[cid]],
            score=round(fused_score[cid], 6),
            cosine=float(cos_all[pos[cid]]),
            also=tuple(snap.chunks[pos[o]] for o in others),
        )
        for cid, others in groups
    ]
    unknown = tuple(t for t in all_tokens if t not in snap.vocabulary and len(t) > 1)
    return Retrieval(
        question=q,
        vector=qvec,
        hits=hits,
        lang=lang,
        cosines=cos_all[allowed] if allowed.any() else cos_all,
        query_tokens=tuple(all_tokens),
        unknown_terms=unknown,
    )
