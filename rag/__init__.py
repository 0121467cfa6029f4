"""Cited question answering over interview transcripts.

    from rag import ask
    a = ask("Why does Karpathy think Tesla is ahead of Waymo?")
    print(a.text)          # sentences quoted from the interview, each with [n]
    print(a.citations[0])  # [1] speaker — document, turn: passage

    import rag
    corpus = rag.open()    # the corpus object: ask, retrieve, ingest, remove, sources, export
"""

from index.config import Config, Tuning
from index.errors import (
    BadInputError,
    CorruptIndexError,
    IndexMismatchError,
    NoIndexError,
    RagError,
    StoreUnavailableError,
)
from index.formats import SUFFIXES
from index.formats import hint as file_hint
from index.ingest import IngestReport
from index.types import Passage
from rag.api import ask, open, retrieve
from rag.corpus import Corpus, SourceInfo
from rag.types import Answer, Citation

__all__ = [
    "Answer",
    "BadInputError",
    "Citation",
    "Config",
    "Corpus",
    "CorruptIndexError",
    "IndexMismatchError",
    "IngestReport",
    "NoIndexError",
    "Passage",
    "RagError",
    "SUFFIXES",
    "SourceInfo",
    "StoreUnavailableError",
    "Tuning",
    "ask",
    "file_hint",
    "open",
    "retrieve",
]
