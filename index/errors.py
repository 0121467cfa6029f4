"""Errors a person can act on.

Every exception here carries a one-line message that says what happened and what to do.
The CLI prints it on stderr and exits non-zero; the UI shows it in the chat.
"""

from __future__ import annotations

from collections.abc import Sequence


class RagError(Exception):
    """Base class: a problem the user can fix (bad input, missing index, unreachable server)."""


class BadInputError(RagError):
    """A question or file the product cannot use."""


class NoIndexError(RagError):
    def __init__(self, where: str, rebuilding: bool = False):
        super().__init__(
            f"the index at {where} is being rebuilt, or its rebuild did not finish: wait for "
            "it, or run `rag ingest --rebuild`" if rebuilding
            else f"no index yet at {where}: run `rag ingest` first (in Python, `corpus.ingest()`)"
        )


class IndexMismatchError(RagError):
    """The stored index was built differently from what this configuration expects."""


class CorruptIndexError(RagError):
    """The index directory exists but cannot be read."""


class StoreUnavailableError(RagError):
    """The Chroma server named by RAG_CHROMA_URL does not answer."""


def missing_dependency(package: str, extra: str = "") -> ImportError:
    """An ImportError that names the install command (raised where an optional package is used)."""
    hint = f"pip install {package}" if not extra else f"pip install -e '.[{extra}]'"
    return ImportError(f"{package} is not installed: run `{hint}`")


def listing(names: Sequence[str], n: int = 3) -> str:
    """The first `n` names of a list, for a one-line message.

    >>> listing(["a.txt", "b.txt", "c.txt", "d.txt"]), listing(["a.txt"])
    ('a.txt, b.txt, c.txt, …', 'a.txt')
    """
    return ", ".join(names[:n]) + (", …" if len(names) > n else "")
