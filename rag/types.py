"""Results of the public API: plain typed dataclasses. A Citation holds its Passage."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.types import Passage, deep_link, quoted_at
from rag.generate import GenSentence


def _holds(text: str, quote: tuple[str, ...]) -> bool:
    return all(quoted_at(text, q) >= 0 for q in quote if q.strip())


@dataclass(frozen=True)
class Citation:
    """A numbered passage that supports the answer.

    `n` is what the answer's [n] markers point at; `quote` holds the sentences the answer took
    from this passage (empty for a passage retrieved but not quoted: the answer's sources are
    the citations with a quote); the passage's fields (speaker, source, turn, question, end,
    alt, …) read through, but `start` is when the first quoted sentence was said
    (`passage.start` is when the passage starts); `also` lists the same passage as other
    documents give it. `score` is the retrieval's fused score: higher ranks first, on no
    fixed scale (it may be negative).
    """

    n: int
    passage: Passage
    score: float
    quote: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.passage.id

    @property
    def text(self) -> str:
        return self.passage.text

    @property
    def quoted_text(self) -> str:
        """The passage as the answer quotes it: its second-language text (`alt`, such as a
        translated turn's original) when the quotes come from there, else its text.

        >>> p = Passage("d#t1p1", "d", "A", "guest", 1, 1, "我喜欢青蛙。", alt="I like\\nfrogs. Yes.")
        >>> Citation(1, p, 1.0, ("I like frogs.",)).quoted_text, Citation(1, p, 1.0).quoted_text
        ('I like\\nfrogs. Yes.', '我喜欢青蛙。')
        """
        alt, quote = self.passage.alt, self.quote
        if alt and quote and not _holds(self.text, quote) and _holds(alt, quote):
            return alt
        return self.text

    @property
    def speaker(self) -> str | None:
        return self.passage.speaker

    @property
    def source(self) -> str:
        return self.passage.source

    @property
    def turn(self) -> int:
        return self.passage.turn

    @property
    def piece(self) -> int:
        return self.passage.piece

    @property
    def role(self) -> str:
        return self.passage.role

    @property
    def question(self) -> str | None:
        return self.passage.question

    @property
    def start(self) -> float | None:
        """When the passage says what the answer quotes first: the start of that caption or
        segment (a passage of captions spans a minute or more), else the passage's start."""
        return self.passage.moment(self.quote[0]) if self.quote else self.passage.start

    @property
    def end(self) -> float | None:
        return self.passage.end

    @property
    def alt(self) -> str | None:
        return self.passage.alt

    @property
    def link(self) -> str:
        """A deep link into the document at that moment (`interview.vtt#t=754`)."""
        return deep_link(self.source, self.start)

    @property
    def also(self) -> tuple[Passage, ...]:
        return self.passage.versions

    def __str__(self) -> str:
        return f"[{self.n}] {self.speaker or 'unknown speaker'} — {self.source}, turn {self.turn}: {self.text}"


@dataclass(frozen=True)
class Answer:
    """An extractive answer: sentences from the transcripts, each followed by its [n] marker.

    When the transcripts do not cover the question, `abstained` is True, `citations` is empty,
    `text` says so, and `related` may offer the closest passages (not quoted as an answer).
    `standalone` is the question as retrieval read it (a follow-up filled in from history).
    In mode "compose" the text is the model's verified sentences (each with [n]); when none
    survives verification the answer stays the quoted one and `mode` says "quote", or, when
    every quote is in the other language than the question, `mode` says "translate" and the
    text is the quotes' translations (each attributed, marked as translated, with its [n]).
    """

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    related: list[Citation] = field(default_factory=list)
    standalone: str = ""
    seconds: float = 0.0
    # Generated answers (mode "compose"): every sentence the model wrote, kept or dropped, and
    # its translations of the cited quotes when they are in another language than the question.
    mode: str = "quote"
    sentences: tuple[GenSentence, ...] = ()
    translations: dict[int, str] = field(default_factory=dict)
    withheld: dict[int, str] = field(default_factory=dict)  # n -> why its translation is not shown

    @property
    def quoted_in(self) -> str | None:
        """The language of the quotes ("zh" or "en") when it is not the question's: an
        English question about a Chinese interview answered with its Chinese sentences. None
        when the answer is in the question's language, written by a model, or declined.

        >>> p = Passage("d#t1p1", "d", "A", "guest", 1, 1, "特斯拉领先。")
        >>> Answer("Is Tesla ahead?", "A: 特斯拉领先。[1]", [Citation(1, p, 1.0, ("特斯拉领先。",))]).quoted_in
        'zh'
        >>> Answer("特斯拉领先吗?", "A: 特斯拉领先。[1]", [Citation(1, p, 1.0, ("特斯拉领先。",))]).quoted_in
        """
        from rag.retrieve import language

        quotes = " ".join(q for c in self.citations for q in c.quote)
        if self.abstained or self.mode != "quote" or not quotes.strip():
            return None
        said = language(quotes)
        return said if said != language(self.question) else None

    def as_dict(self) -> dict:
        """The answer as JSON-ready data: the same object `rag ask --json` prints and the
        chat's HTTP API returns (citations with their link, moment and quotes)."""
        from rag.render import to_json

        return to_json(self)

    def __str__(self) -> str:
        return self.text
