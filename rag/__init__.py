"""Cited question answering over interview transcripts.

from rag import ask
a = ask("Why does Karpathy think Tesla is ahead of Waymo?")
print(a.text)          # sentences quoted from the interview, each with [n]
print(a.citations[0])  # [1] speaker — document, turn: passage
"""

from index.config import Config
from index.errors import (
    BadInputError,
    CorruptIndexError,
    IndexMismatchError,
    NoIndexError,
    RagError,
    StoreUnavailableError,
)
from rag.api import ask, retrieve
from rag.types import Answer, Citation, Passage

__all__ = [
    "Answer",
    "BadInputError",
    "Citation",
    "Config",
    "CorruptIndexError",
    "IndexMismatchError",
    "NoIndexError",
    "Passage",
    "RagError",
    "StoreUnavailableError",
    "ask",
    "retrieve",
]
