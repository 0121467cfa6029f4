"""Hybrid retrieval: dense (Chroma via llama-index) + lexical (BM25 on segmented Chinese),
fused by weighted reciprocal rank, with copies of one passage across documents folded."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from index.clean import to_simplified
from index.errors import BadInputError
from index.lexical import tokenize
from index.types import Chunk
from rag.answer import term_coverage
from rag.engine import Engine, Snapshot
from rag.fuse import group_duplicates, reciprocal_rank_fusion

_CJK = re.compile(r"[\u3400-\u9fff]")
# Two write-ups of one passage: mutual nearest neighbours across documents, this close.
# (e5 similarities are compressed: distinct passages of one interview often reach 0.93.)
DUPLICATE_COSINE = 0.94
# Host turns are context for the answers, not answers: their fused score is scaled by this.
HOST_FACTOR = 0.5
# Weights of the dense and the lexical ranking in the fusion, per retrieval mode. English
# questions take part in BM25 through dictionary translation (rag/crosslingual.py), so the
# two count alike for every language.
MODES = {"hybrid": (1.0, 1.0), "dense": (1.0, 0.0), "lexical": (0.0, 1.0)}


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused score
    also: tuple[Chunk, ...]


@dataclass(frozen=True)
class Retrieval:
    snapshot: Snapshot  # the index this retrieval read; answering uses the same one
    question: str
    hits: list[Hit]
    lang: str  # "zh" or "en"
    query_tokens: tuple[str, ...]  # lexical tokens of the question (speaker names removed)
    terms: dict[str, float]  # weighted lexical terms (with translations for English)


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters and surrounding space; refuse empty or over-long questions."""
    if not isinstance(question, str):
        raise BadInputError("the question must be text")
    # Control, format and surrogate code points go; private-use letters (pIqaD) are text.
    q = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in question)
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
    """Match user-typed filter values to stored names, case-insensitively: an exact name, else
    by substring (`karpathy` finds `Andrej Karpathy`)."""
    if values is None or values == [] or values == "":
        return None
    wanted = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for v in wanted:
        want = v.strip().lower()
        exact = [k for k in known if k.lower() == want]
        hits = exact or [k for k in known if want in k.lower()]
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


def _script(text: str) -> str:
    """ "hant" when OpenCC changes the text toward Simplified, else "hans" (or "latin")."""
    if not _CJK.search(text):
        return "latin"
    return "hant" if to_simplified(text) != text else "hans"


_HOST_WORDS = re.compile(r"主持人|主持|提问|问了|問了|host|asked|interviewer", re.I)


def asks_about_hosts(q: str, snap: Snapshot) -> bool:
    """Does the question ask about what a host said (by role or by name)?"""
    if _HOST_WORDS.search(q):
        return True
    return any(h.lower() in q.lower() for h in snap.hosts)


def lexical_query(q: str, lang: str, tokens: list[str], snap: Snapshot) -> dict[str, float]:
    """Weighted lexical terms: the question's own words found in the index, plus, for an
    English question, dictionary translations of its words."""
    weights: dict[str, float] = {}
    for t in tokens:
        if t in snap.vocabulary:
            weights[t] = weights.get(t, 0.0) + 1.0
    if lang == "en":
        for w, wt in snap.glossary.translate(q).items():
            weights[w] = weights.get(w, 0.0) + wt
    return weights


def bm25_scores(snap: Snapshot, weights: dict[str, float]) -> np.ndarray:
    total = np.zeros(len(snap.chunks), dtype=np.float32)
    for term, w in weights.items():
        total += w * np.asarray(snap.bm25.get_scores([term]), dtype=np.float32)
    return total


def mutual_twins(ids: list[str], sources: list[str], vectors: np.ndarray) -> dict[str, str]:
    """Pairs of candidates from different documents that are each other's closest match
    there, above DUPLICATE_COSINE: the same passage in two write-ups."""
    if len(ids) < 2:
        return {}
    sims = vectors @ vectors.T
    src = np.array(sources)
    best: dict[tuple[int, str], int] = {}
    for i in range(len(ids)):
        for s in set(sources) - {sources[i]}:
            cols = np.flatnonzero(src == s)
            best[(i, s)] = int(cols[np.argmax(sims[i, cols])])
    out: dict[str, str] = {}
    for i in range(len(ids)):
        for s in set(sources) - {sources[i]}:
            j = best[(i, s)]
            if best[(j, sources[i])] == i and sims[i, j] >= DUPLICATE_COSINE:
                out[ids[i]] = ids[j]
    return out


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
        [
            (speakers is None or c.speaker in speakers) and (sources is None or c.source in sources)
            for c in snap.chunks
        ]
    )
    lang = language(q)
    n = engine.config.candidates
    qvec = engine.embed_query(q)

    from llama_index.core.schema import QueryBundle

    dense_nodes = engine.dense_retriever(n, _filters(speakers, sources)).retrieve(
        QueryBundle(query_str=q, embedding=qvec.tolist())
    )
    dense_ids = [nd.node.node_id for nd in dense_nodes if nd.node.node_id in snap.position]

    # Questions name the speakers ("What does Karpathy think…"); passages rarely do.
    all_tokens = [t for t in tokenize(q) if t not in snap.name_tokens]
    weights = lexical_query(q, lang, all_tokens, snap)
    lex_ids: list[str] = []
    if weights:
        scores = bm25_scores(snap, weights) * allowed
        top = np.argsort(-scores, kind="stable")[:n]
        lex_ids = [snap.chunks[i].id for i in top if scores[i] > 0]

    mode = engine.config.retrieval
    if mode not in MODES:
        raise BadInputError(f"unknown retrieval mode {mode!r}: use hybrid, dense or lexical")
    fused = [
        (cid, s) for cid, s in reciprocal_rank_fusion([dense_ids, lex_ids], MODES[mode]) if s > 0
    ]
    if not asks_about_hosts(q, snap):
        # Hosts' questions resemble users' questions; the answers are in the guest's turns.
        fused = sorted(
            (
                (cid, s * (HOST_FACTOR if snap.chunks[snap.position[cid]].role == "host" else 1.0))
                for cid, s in fused
            ),
            key=lambda kv: -kv[1],
        )
    fused_score = dict(fused)
    vec = snap.vectors
    pos = snap.position

    ranked = [cid for cid, _ in fused]
    twins = mutual_twins(
        ranked, [snap.chunks[pos[c]].source for c in ranked], vec[[pos[c] for c in ranked]]
    )

    def same(a: str, b: str) -> bool:
        return twins.get(a) == b

    groups = group_duplicates(ranked, lambda cid: snap.chunks[pos[cid]].source, same, limit=k)
    # Of two copies of one passage, show the one that holds more of the question's words,
    # and on a tie the one in the question's own script.
    script = _script(q)

    def preference(cid: str) -> tuple[float, bool]:
        text = snap.chunks[pos[cid]].text
        return (round(term_coverage(weights, snap.idf, text), 2), _script(text) == script)

    groups = [
        (best, [m for m in [head, *others] if m != best])
        for head, others in groups
        for best in [max([head, *others], key=preference)]
    ]
    hits = [
        Hit(
            chunk=snap.chunks[pos[cid]],
            score=round(fused_score[cid], 6),
            also=tuple(snap.chunks[pos[o]] for o in others),
        )
        for cid, others in groups
    ]
    return Retrieval(
        snapshot=snap,
        question=q,
        hits=hits,
        lang=lang,
        query_tokens=tuple(all_tokens),
        terms=weights,
    )
