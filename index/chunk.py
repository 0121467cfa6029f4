"""Cut turns into retrievable pieces. Pure: turns in, chunks out.

One chunk per speaker turn; a turn longer than `max_chars` is split at paragraph boundaries
(and an over-long paragraph at sentence ends), so citations stay focused. Every piece keeps
its speaker, document, turn number and the host question that prompted the turn.
"""

from __future__ import annotations

import re

from index.types import Chunk, Turn

CHUNKER_VERSION = "turns-v1"
_SENTENCE_END = re.compile(r"(?<=[。!?！？…])(?![”」』\"'])|(?<=[。!?！？][”」』])")
# A question attached to every piece of an answer is capped: it guides retrieval, the passage
# is what gets cited.
MAX_QUESTION_CHARS = 200


def split_sentences(text: str) -> list[str]:
    """Split Chinese/English text after sentence-ending punctuation.

    >>> split_sentences("我认为是的。对!What? 好")
    ['我认为是的。', '对!', 'What?', '好']
    """
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text):
        parts.extend(p for p in re.split(r"(?<=[.?!])\s+(?=[A-Z\u4e00-\u9fff])", piece))
    return [p.strip() for p in parts if p.strip()]


def _pack(units: list[str], max_chars: int, joiner: str) -> list[str]:
    """Greedily pack units into groups of at most max_chars (a single longer unit stands alone)."""
    groups: list[str] = []
    for unit in units:
        if groups and len(groups[-1]) + len(joiner) + len(unit) <= max_chars:
            groups[-1] = groups[-1] + joiner + unit
        else:
            groups.append(unit)
    return groups


def split_turn(paragraphs: tuple[str, ...], max_chars: int) -> list[str]:
    """Pieces of one turn, each at most max_chars unless one sentence is longer.

    >>> split_turn(("一二三。", "四五。", "六七八九十。"), max_chars=8)
    ['一二三。\\n四五。', '六七八九十。']
    """
    units: list[str] = []
    for para in paragraphs:
        if len(para) <= max_chars:
            units.append(para)
        else:
            units.extend(_pack(split_sentences(para), max_chars, ""))
    pieces = _pack(units, max_chars, "\n")
    # A short tail reads better with what precedes it.
    if len(pieces) > 1 and len(pieces[-1]) < max_chars // 4:
        tail = pieces.pop()
        pieces[-1] = pieces[-1] + "\n" + tail
    return pieces


def chunk_turns(source: str, turns: list[Turn], max_chars: int) -> list[Chunk]:
    """Chunks for a document's turns, each with the latest host question before it.

    >>> from index.types import Turn
    >>> cs = chunk_turns("a.txt", [Turn(1, "H", "host", ("为什么?",)),
    ...                            Turn(2, "G", "guest", ("因为。", "所以。"))], max_chars=4)
    >>> [(c.id, c.speaker, c.text, c.question) for c in cs]
    [('a.txt#t1p1', 'H', '为什么?', None), ('a.txt#t2p1', 'G', '因为。', '为什么?'), ('a.txt#t2p2', 'G', '所以。', '为什么?')]
    """
    chunks: list[Chunk] = []
    question: str | None = None
    for turn in turns:
        asked = None if turn.role == "host" else question
        for i, text in enumerate(split_turn(turn.paragraphs, max_chars), start=1):
            chunks.append(
                Chunk(
                    id=f"{source}#t{turn.n}p{i}",
                    source=source,
                    turn=turn.n,
                    piece=i,
                    speaker=turn.speaker,
                    role=turn.role,
                    text=text,
                    question=asked,
                )
            )
        if turn.role == "host":
            question = " ".join(turn.paragraphs)[:MAX_QUESTION_CHARS]
    return chunks
