"""The public functions: `retrieve` and `ask`."""

from __future__ import annotations

from index.config import Config
from rag import abstain as abstention
from rag.answer import (
    NOT_COVERED,
    SAME_QUESTION,
    candidates,
    render,
    score,
    select,
    term_coverage,
    with_following,
)
from rag.engine import Engine, get_engine
from rag.retrieve import Hit, Retrieval, search
from rag.types import Answer, Citation, Passage

POLICY = abstention.Policy()
MAX_SENTENCES = 3


def _engine(config: Config | None) -> Engine:
    return get_engine(config or Config.from_env())


def _citation(n: int, hit: Hit, quote: tuple[str, ...] = ()) -> Citation:
    c = hit.chunk
    return Citation(
        n=n,
        text=c.text,
        speaker=c.speaker,
        source=c.source,
        turn=c.turn,
        score=hit.score,
        question=c.question,
        id=c.id,
        piece=c.piece,
        role=c.role,
        quote=quote,
        also=tuple(Passage(o.id, o.source, o.turn, o.speaker, o.text) for o in hit.also),
    )


def retrieve(
    question: str,
    *,
    k: int = 10,
    speaker: str | list[str] | None = None,
    source: str | list[str] | None = None,
    config: Config | None = None,
) -> list[Citation]:
    """The k passages that best match the question, ranked, numbered from 1."""
    r = search(_engine(config), question, k=k, speaker=speaker, source=source)
    return [_citation(i, h) for i, h in enumerate(r.hits, start=1)]


def ask(
    question: str,
    *,
    k: int = 5,
    speaker: str | list[str] | None = None,
    source: str | list[str] | None = None,
    config: Config | None = None,
) -> Answer:
    """Answer from the transcripts: a few quoted sentences, each marked [n] for its passage.

    Example: `ask("Karpathy 认为人形机器人最早会用在什么场景?").citations[0].speaker` is
    `"Andrej Karpathy"`. When the transcripts do not cover the question, `abstained` is True,
    `citations` is empty and `text` says so.
    """
    r = search(_engine(config), question, k=k, speaker=speaker, source=source)
    answer, _ = compose(r)
    return answer


def compose(r: Retrieval) -> tuple[Answer, abstention.Signals | None]:
    """Pick answer sentences from the retrieved passages, or abstain."""
    if not r.hits:
        return Answer(r.question, NOT_COVERED[r.lang], [], True), None
    snap = r.snapshot
    cands = candidates([h.chunk.text for h in r.hits])
    asked = [
        h.chunk.piece == 1
        and term_coverage(r.terms, snap.idf, h.chunk.question or "") >= SAME_QUESTION
        for h in r.hits
    ]
    scores = score(cands, r.terms, snap.idf, asked)
    sig = abstention.signals(r, snap)
    if POLICY.abstain(sig) or not cands:
        return Answer(r.question, NOT_COVERED[r.lang], [], True), sig
    chosen = with_following(select(cands, scores, max_sentences=MAX_SENTENCES), cands)
    quotes: dict[int, list[str]] = {}
    for c in chosen:
        quotes.setdefault(c.hit, []).append(c.text)
    citations = [_citation(i + 1, h, tuple(quotes.get(i, ()))) for i, h in enumerate(r.hits)]
    return Answer(r.question, render(chosen, [c.n for c in citations]), citations, False), sig
