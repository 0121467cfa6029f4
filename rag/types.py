"""Results of the public API: plain typed dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """The same passage as it appears in another document (e.g. the other script's write-up)."""

    id: str
    source: str
    turn: int
    speaker: str
    text: str


@dataclass(frozen=True)
class Citation:
    """A numbered passage that supports the answer.

    `n` is what the answer's [n] markers point at; `question` is the host question that
    prompted the turn; `quote` holds the sentences the answer took from this passage;
    `also` lists copies of the same passage found in other documents.
    """

    n: int
    text: str
    speaker: str
    source: str
    turn: int
    score: float
    question: str | None = None
    id: str = ""
    piece: int = 1
    role: str = ""
    quote: tuple[str, ...] = ()
    also: tuple[Passage, ...] = ()

    def __str__(self) -> str:
        return f"[{self.n}] {self.speaker} — {self.source}, turn {self.turn}: {self.text}"


@dataclass(frozen=True)
class Answer:
    """An extractive answer: sentences from the transcripts, each followed by its [n] marker."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False

    def __str__(self) -> str:
        return self.text
