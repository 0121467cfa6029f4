"""Records that flow from loading to answering. Plain frozen dataclasses, no dicts of dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def in_order(names) -> list[str]:
    """Speakers' names sorted as people read numbers: "Speaker 2" before "Speaker 10".

    >>> in_order({"Speaker 10", "Speaker 2", "Ann", "speaker 1"})
    ['Ann', 'speaker 1', 'Speaker 2', 'Speaker 10']
    """
    return sorted(names, key=lambda n: [int(x) if x.isdigit() else x.lower()
                                        for x in re.split(r"(\d+)", n)])


def passage_id(source: str, turn: int, piece: int) -> str:
    """A passage's id: `document#t<turn>p<piece>`, stable across re-ingests.

    >>> passage_id("talk.vtt", 12, 2)
    'talk.vtt#t12p2'
    """
    return f"{source}#t{turn}p{piece}"


@dataclass(frozen=True)
class Transcript:
    """A loaded file: its name (the `source` users see), raw bytes' hash and content."""

    source: str
    data: bytes
    sha256: str


@dataclass(frozen=True)
class Turn:
    """One speaker turn: consecutive speech of one person.

    `n` counts turns from 1 within the document; `speaker` is the display name (None when
    the file names no speakers); `role` is "guest" (the person interviewed), "host", or ""
    when unknown. `paragraphs` keep the file's paragraph breaks; `alt` holds the same turn in
    a second language when the file gives both. `times` are seconds, or None.
    """

    n: int
    speaker: str | None
    role: str
    paragraphs: tuple[str, ...]
    times: tuple[tuple[float | None, float | None], ...] = ()  # (start, end) per paragraph
    alt: str | None = None
    # the second language caption by caption, with each one's start (bilingual subtitles), so
    # that each piece of a long turn carries the translation of its own stretch
    alts: tuple[tuple[float, str], ...] = ()

    @property
    def start(self) -> float | None:
        return self.times[0][0] if self.times else None


@dataclass(frozen=True)
class Passage:
    """The unit that is embedded, retrieved and cited: a piece of one turn.

    `id` is `passage_id(document, turn, piece)`, stable across re-ingests. `question` is the host
    question that prompted the turn. `versions` lists the same passage as another document
    gives it (the other script's write-up), filled in at retrieval time.
    """

    id: str
    source: str
    speaker: str | None
    role: str
    turn: int
    piece: int
    text: str
    question: str | None = None
    start: float | None = None
    end: float | None = None
    alt: str | None = None
    versions: tuple[Passage, ...] = field(default=(), compare=False)
    # (character offset in `text`, start seconds) of each line that starts at its own moment
    # (a caption, a segment); empty when the passage has one time
    marks: tuple[tuple[int, float], ...] = ()

    def moment(self, quote: str) -> float | None:
        """When the passage says `quote` (a sentence of it): the start of the line it opens
        in, or the passage's start.

        >>> p = Passage("a#t1p1", "a", None, "", 1, 1, "Hi there.\\nThe subtitle\\nis Art.", start=1.0,
        ...             marks=((0, 1.0), (10, 95.0), (23, 97.5)))
        >>> p.moment("The subtitle is Art."), p.moment("Hi there."), p.moment("elsewhere")
        (95.0, 1.0, 1.0)
        """
        at = quoted_at(self.text, quote) if self.marks else -1
        if at < 0:
            return self.start
        return max((m for m in self.marks if m[0] <= at), default=(0, self.start))[1]

    def lexical_text(self) -> str:
        """What the lexical index holds: the host question that prompted the turn, the
        passage, and its second-language text."""
        return "\n".join(p for p in (self.question, self.text, self.alt) if p)

    @property
    def link(self) -> str:
        """A deep link into the document at this passage's moment (`interview.vtt#t=754`)."""
        return deep_link(self.source, self.start)


def deep_link(source: str, seconds: float | None) -> str:
    """A link into a document at a moment (`interview.vtt#t=754`), or to the document.

    >>> deep_link("interview.vtt", 754.9), deep_link("notes.txt", None)
    ('interview.vtt#t=754', 'notes.txt')
    """
    return f"{source}#t={int(seconds)}" if seconds is not None else source


def quoted_at(text: str, quote: str) -> int:
    """Where an answer's quote starts in a passage's text (-1: not there, or nothing quoted):
    answer sentences are cut with the text's line breaks read as spaces.

    >>> quoted_at("I have faith\\nin it. Yes.", "I have faith in it."), quoted_at("Yes.", " ")
    (0, -1)
    """
    q = quote.strip()
    return text.replace("\n", " ").find(q) if q else -1
