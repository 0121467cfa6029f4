"""`rag.open()` and the module-level conveniences `ask` and `retrieve` over a default corpus.

`rag.open()` only opens: a corpus it returns raises `NoIndexError` until something is
ingested. The conveniences are for a first question with nothing set up, as `rag ask` is: the
first of them indexes the bundled transcripts when there is no index yet (or an earlier
version built one that holds only them)."""

from __future__ import annotations

import threading

from index.config import Config
from index.embed import Embedder
from rag.corpus import Corpus, Filter, History
from rag.crosslingual import Glossary
from rag.types import Answer, Citation

_default_lock = threading.Lock()
_default: Corpus | None = None


def open(  # noqa: A001
    config: Config | None = None,
    *,
    embedder: Embedder | None = None,
    glossary: Glossary | None = None,
    llm=None,
) -> Corpus:
    """A corpus over the index that `config` names (default: from RAG_* variables).

    `embedder` replaces the configured embedding model, `glossary` the English-Chinese
    dictionary, `llm` the language model of composed answers (any llama-index LLM)."""
    return Corpus(config, embedder=embedder, glossary=glossary, llm=llm)


def default_corpus(config: Config | None = None) -> Corpus:
    """The corpus that `ask`/`retrieve` use: one per configuration, kept while it is current,
    with the bundled transcripts indexed first when needed (`Corpus.prepare`)."""
    global _default
    config = config or Config.from_env()
    with _default_lock:
        if _default is None or _default.config != config:
            corpus = Corpus(config)
            corpus.prepare()
            _default = corpus
        return _default


def ask(
    question: str,
    *,
    k: int = 5,
    speaker: Filter = None,
    source: Filter = None,
    history: History = None,
    mode: str = "quote",
    config: Config | None = None,
) -> Answer:
    """Answer from the transcripts: quoted sentences, each marked [n] for its passage.

    Example: `ask("Karpathy 认为人形机器人最早会用在什么场景?").citations[0].speaker` is
    `"Andrej Karpathy"`. When the transcripts do not cover the question, `abstained` is True,
    `citations` is empty and `text` says so.
    """
    return default_corpus(config).ask(
        question, k=k, speaker=speaker, source=source, history=history, mode=mode
    )


def retrieve(
    question: str,
    *,
    k: int = 10,
    speaker: Filter = None,
    source: Filter = None,
    config: Config | None = None,
) -> list[Citation]:
    """The k passages that best match the question, ranked, numbered from 1."""
    return default_corpus(config).retrieve(question, k=k, speaker=speaker, source=source)
