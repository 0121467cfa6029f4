"""Records that flow from loading to storing. Plain frozen dataclasses, no dicts of dicts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Transcript:
    """A loaded file: its name (the `source` users see), raw text and content hash."""

    source: str
    text: str
    sha256: str


@dataclass(frozen=True)
class Turn:
    """One speaker turn: from a speaker label to the next label.

    `n` counts turns from 1 within the document; `role` is "guest" for the person
    interviewed (who speaks the most) and "host" for the others.
    """

    n: int
    speaker: str
    role: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Chunk:
    """A piece of a turn, the unit that is embedded, retrieved and cited."""

    id: str
    source: str
    turn: int
    piece: int
    speaker: str
    role: str
    text: str
    question: str | None

    def embed_text(self) -> str:
        """What retrieval sees: the host question that prompted the turn, then the passage."""
        return f"{self.question}\n{self.text}" if self.question else self.text
