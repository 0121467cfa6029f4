"""Cut turns into retrievable passages. Pure: turns in, passages out.

One passage per speaker turn; a turn longer than `max_chars` is split at paragraph
boundaries (an over-long paragraph at sentence ends), so citations stay focused. Every piece
keeps its speaker, document, turn number, times, and the host question that prompted it.
"""

from __future__ import annotations

import re

from index.clean import asks, ends_question, ends_sentence, unpunctuated, unpunctuated_latin
from index.formats.lines import LIST_ITEM, join
from index.types import Passage, Turn, passage_id

CHUNKER_VERSION = "turns-v63"
_SENTENCE_END = re.compile(r"(?<=[。!?！？…])(?![”」』\"'])|(?<=[。!?！？][”」』])")
# A question attached to every piece of an answer is capped: it guides retrieval, the passage
# is what gets cited.
MAX_QUESTION_CHARS = 200
# Host turns that only acknowledge ("Okay.", "Right.", "嗯") do not replace the question
# that the guest is still answering.
_BACKCHANNEL = re.compile(
    r"^(?:(?:ok(?:ay)?|right|yeah|yes|yep|sure|mm+-?hmm+|uh-?huh|hmm+|wow|great|cool|got it|"
    r"i see|interesting|exactly|totally|absolutely|of course|thanks?(?: you)?|nice|true|"
    r"嗯+|对+|對+|好+|是的?|没错|沒錯|明白|了解|哈+|嗯嗯|对对|對對)[\s,.!。！，、]*)+$",
    re.I,
)


# A lawyer's objection between a question and its answer ("Objection to form.", "Same
# objection.", "Objection, relevance. You can answer.") replaces no question either.
_OBJECTION = re.compile(r"^(?:same |standing )?objection\b[^?]{0,80}$", re.I)


_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_ASKING_WORD = re.compile(
    r"^\W*(?:who|what|when|where|why|which|how|whose|is|are|do|does|did|can|could|would|will)\b|"
    r"什么|什麼|为什么|為什麼|怎|哪|谁|誰|几|幾|多少|吗|嗎|呢|乜|點解|边|邊|咩",
    re.I,
)


def is_aside(text: str) -> bool:
    """A host's short remark that asks nothing ("That is awesome.", "Tell me more.",
    "都唔少年𡃉嚹喎。"): the guest is still answering the question before it. Anything
    with a number, a question word or a question mark still asks something new.

    >>> [is_aside(t) for t in ["That is awesome.", "都唔少年𡃉嚹喎。", "Go ahead."]]
    [True, True, True]
    >>> [is_aside(t) for t in ["Why not Rust", "你為什麼來", "Jen, you said 425,000.", "And the cost?",
    ...                        "Tell me about the funding."]]
    [False, False, False, False, False]
    """
    text = text.strip()
    if not text or asks(text) or _ASKING_WORD.search(text) or re.search(r"\d", text):
        return False
    han = len(_HAN_CHAR.findall(text))
    words = len(_WORD.findall(text))
    return han + words <= 8 if han else words <= 3


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ffff]")


def is_backchannel(text: str) -> bool:
    """A reply that only acknowledges, or a lawyer's objection.

    >>> [is_backchannel(t) for t in ["Okay.", "Right, right.", "嗯。", "Okay, so why data?"]]
    [True, True, True, False]
    >>> [is_backchannel(t) for t in ["Objection to form.", "Objection, relevance. You may answer.",
    ...                              "Objections to the plan came from whom?"]]
    [True, True, False]
    """
    text = text.strip()
    return bool(_BACKCHANNEL.match(text) or _OBJECTION.match(text))


def split_sentences(text: str) -> list[str]:
    """Split Chinese/English text after sentence-ending punctuation.

    >>> split_sentences("我认为是的。对!What? 好")
    ['我认为是的。', '对!', 'What?', '好']
    >>> split_sentences("My friend from Connecticut, Mr. Larson, has a plan. Dr. Ng agrees.")
    ['My friend from Connecticut, Mr. Larson, has a plan.', 'Dr. Ng agrees.']
    """
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text):
        parts.extend(_LATIN_END.split(piece))
    return [p.strip() for p in parts if p.strip()]


# A title's abbreviation ends no sentence: "my friend from Connecticut, Mr. Larson, …"
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Lt", "Col",
                  "Capt", "Sgt", "St", "Mt", "vs")
_LATIN_END = re.compile(
    r"(?<=[.?!])" + "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS)
    + r"\s+(?=[\"'“A-Z\u4e00-\u9fff])"
)


def passage_sentences(text: str) -> list[str]:
    """The sentences of a passage's text. Its lines are rejoined first where a caption or
    segment broke a sentence ("I have faith" / "in it."); a list item is a unit of its own,
    read without its bullet, as items rarely end with a full stop.

    >>> passage_sentences("I have faith\\nin it. Yes.\\nWe had:\\n- to build a case\\n- to find the bomb\\nThen")
    ['I have faith in it.', 'Yes.', 'We had:', 'to build a case', 'to find the bomb', 'Then']

    Chinese captions written without punctuation (speech recognition's segments) have no
    sentence ends: their lines are gathered into sentences of at least `CAPTION_SENTENCE`
    characters, each ending where a line does, its lines kept apart by a space.

    >>> passage_sentences("我個人從事公職 43 年\\n從基層做起\\n做到警政署長\\n副市長到市長\\n歷練了15個職務\\n所以我很清楚")
    ['我個人從事公職 43 年 從基層做起 做到警政署長', '副市長到市長 歷練了15個職務 所以我很清楚']

    So are English automatic captions, in sentences of at least `CAPTION_SENTENCE_LATIN`:

    >>> passage_sentences("so today we're going to look at how\\nglaciers move and why they speed up in\\n"
    ...                   "summer when meltwater reaches the bed\\nthe water acts like a lubricant")
    ["so today we're going to look at how glaciers move and why they speed up in", 'summer when meltwater reaches the bed the water acts like a lubricant']
    """
    units: list[str] = []
    flat = ""
    lines = text.split("\n")
    least = CAPTION_SENTENCE if unpunctuated(lines) else (
        CAPTION_SENTENCE_LATIN if unpunctuated_latin(lines) else 0
    )
    for line in lines:
        if LIST_ITEM.match(line):
            units += [flat, LIST_ITEM.sub("", line)]
            flat = ""
        else:
            # (a space between a Chinese caption's lines, where a speaker paused: the quote
            # reads as said, and is found in the passage with its lines read as spaces)
            flat = f"{flat} {line.strip()}" if least == CAPTION_SENTENCE and flat else join(flat, line)
            if least and len(_SENTENCE_END.split(flat)[-1]) >= least:
                units.append(flat)
                flat = ""
    units.append(flat)
    return [part for u in units if u for s in split_sentences(u) for part in _quotable(s)]


def _quotable(sentence: str) -> list[str]:
    """A run-on "sentence" in parts to quote: speech recognized without punctuation (a
    segment of a minute, a comma nowhere in 250 characters) after a word every 140 characters
    or so; any sentence over 600 characters after its clauses or words, in parts of about 200.

    >>> [len(s) for s in _quotable("we looked at the rules and the data " * 20)]
    [138, 139, 139, 137, 139, 23]
    >>> len(_quotable("We looked at the rules, and the data, " * 10))
    1
    """
    if len(sentence) > 250 and not _CLAUSE_MARK.search(sentence.rstrip(".?!。？！ ")):
        return _word_parts(sentence, 140)
    return fit(sentence, 200) if len(sentence) > 600 else [sentence]


_CLAUSE_MARK = re.compile(r"[,;:，；：、]")


def _word_parts(line: str, size: int) -> list[str]:
    """An unpunctuated line cut after a word every `size` characters or so.

    >>> _word_parts("one two three four five", 10)
    ['one two', 'three four', 'five']
    """
    parts: list[str] = []
    for word in line.split(" "):
        if parts and len(parts[-1]) + 1 + len(word) <= size:
            parts[-1] += " " + word
        else:
            parts.append(word)
    return parts


# Sentences of unpunctuated Chinese captions are at least this long (a caption line is 10-30),
# and of unpunctuated English ones (a line is 30-45; a spoken sentence, 60-120)
CAPTION_SENTENCE = 20
CAPTION_SENTENCE_LATIN = 70


OVERRUN = 1.5  # a piece may grow to this many times max_chars to finish its sentence


def _units(turn: Turn, max_chars: int) -> list[tuple[str, float | None, float | None]]:
    """Paragraphs (an over-long one cut at sentence ends), each with its times (a paragraph
    without a time of its own, in a turn that has them, is at the last one before it)."""
    times = turn.times or tuple((None, None) for _ in turn.paragraphs)
    out: list[tuple[str, float | None, float | None]] = []
    last = None
    for para, (start, end) in zip(turn.paragraphs, times, strict=True):
        start = last = start if start is not None else last
        if len(para) <= max_chars:
            out.append((para, start, end))
            continue
        acc = ""
        for s in (part for sentence in split_sentences(para) for part in fit(sentence, max_chars)):
            if acc and len(join(acc, s)) > max_chars:
                out.append((acc, start, end))
                acc = s
            else:
                acc = join(acc, s)
        if acc:
            out.append((acc, start, end))
    return out


_CLAUSE_END = re.compile(r"(?<=[,，;；、:：])\s*")


LONGEST = 3  # a sentence longer than this many times max_chars is a run-on, cut into parts


def fit(sentence: str, max_chars: int) -> list[str]:
    """A sentence too long for any passage (`LONGEST` times `max_chars`: speech written
    without full stops, a run-on transcript line) cut after its clauses, a clause still too
    long between its words, a word still too long every `max_chars` characters, and the
    pieces gathered again into parts of about `max_chars`.

    >>> fit("one two three four five six seven", 10)
    ['one two', 'three four', 'five six', 'seven']
    >>> fit("我们先做了实验，然后写了论文，最后发表了", 5)
    ['我们先做了实验，', '然后写了论文，', '最后发表了']
    >>> fit("短句。", 10), fit("一二三四五六七八九十", 3)
    (['短句。'], ['一二三', '四五六', '七八九', '十'])
    >>> fit("说话人 一二三四五六七八九十", 3)  # a run without spaces inside a spaced line
    ['说话人', '一二三', '四五六', '七八九', '十']
    >>> fit("so we talked and talked and talked,", 8)  # a run-on line ending in a comma
    ['so we', 'talked', 'and', 'talked', 'and', 'talked,']
    """
    if len(sentence) <= max_chars * LONGEST:
        return [sentence]
    for split in (_CLAUSE_END.split(sentence), sentence.split(" ")):
        # (a clause mark at the very end cuts off nothing: `words words,` is one part)
        parts = [p for p in split if p.strip()]
        if len(parts) > 1:
            out: list[str] = []
            for piece in (p for part in parts for p in fit(part, max_chars) if p.strip()):
                if out and len(join(out[-1], piece)) <= max_chars:
                    out[-1] = join(out[-1], piece)
                else:
                    out.append(piece)
            return out
    return [sentence[i : i + max_chars] for i in range(0, len(sentence), max_chars)]


# the last sentence end in a text, where a run of captions may be cut
_LAST_END = re.compile(r"(?:[.?!…]|[。!?！？][”」』\"']?)(?=\s+\S|[^\s.?!…”」』\"'])(?!.*[.?!。？！…])", re.S)


def cut_after_sentence(text: str) -> tuple[str, str]:
    """A text cut after its last finished sentence: (the finished part, the unfinished rest).

    >>> cut_after_sentence("it's hard to detect.\\nAt this point, you could put those")
    ("it's hard to detect.", 'At this point, you could put those')
    >>> cut_after_sentence("no end here"), cut_after_sentence("Done.")
    (('no end here', ''), ('Done.', ''))
    """
    m = _LAST_END.search(text)
    if not m:
        return text, ""
    return text[: m.end()].rstrip(), text[m.end():].strip()


def marked_pieces(turn: Turn, max_chars: int) -> list[tuple[str, float | None, float | None, tuple]]:
    """`split_turn`'s pieces, each with its lines' moments (`_marks`)."""
    pieces: list[list] = []  # [text, start, end, [(offset, start, end) of each unit]]
    for text, start, end in _units(turn, max_chars):
        size = len(pieces[-1][0]) + 1 + len(text) if pieces else 0
        # Captions and ASR segments end mid-sentence; a piece finishes its sentence when
        # that keeps it within half again its size, rather than leave the end of an answer
        # ("… was why does") to the next passage.
        if pieces and (
            size <= max_chars
            or (size <= max_chars * OVERRUN and not ends_sentence(pieces[-1][0]))
        ):
            pieces[-1][3].append((len(pieces[-1][0]) + 1, start, end))
            pieces[-1][0] += "\n" + text
            pieces[-1][2] = end if end is not None else pieces[-1][2]
            continue
        if pieces and not ends_sentence(pieces[-1][0]):
            # ... else it ends after its last full sentence, and the unfinished one moves on
            done, rest = cut_after_sentence(pieces[-1][0])
            if rest and len(done) >= max_chars // 4:
                at = len(pieces[-1][0]) - len(rest)
                units = pieces[-1][3]
                # the caption where the cut falls: the finished part ends with it, and the
                # rest starts with it
                cut = max(i for i, u in enumerate(units) if u[0] <= at)
                _, cut_start, cut_end = units[cut]
                pieces[-1][0] = done
                if cut_end is not None:
                    pieces[-1][2] = cut_end
                moved = [(max(0, o - at), s, e) for o, s, e in units[cut:]]
                pieces.append([rest + "\n" + text, start if cut_start is None else cut_start, end,
                               [*moved, (len(rest) + 1, start, end)]])
                continue
        pieces.append([text, start, end, [(0, start, end)]])
    # A short tail reads better with what precedes it.
    if len(pieces) > 1 and len(pieces[-1][0]) < max_chars // 4:
        tail = pieces.pop()
        shift = len(pieces[-1][0]) + 1
        pieces[-1][3] += [(o + shift, s, e) for o, s, e in tail[3]]
        pieces[-1][0] += "\n" + tail[0]
        pieces[-1][2] = tail[2] if tail[2] is not None else pieces[-1][2]
    return [(t, s, e, _marks(units, len(t))) for t, s, e, units in pieces]


def _marks(units: list[tuple[int, float | None, float | None]], size: int) -> tuple[tuple[int, float], ...]:
    """Where each line of a piece (of `size` characters) starts, and when: kept when the lines
    have times of their own (captions, segments), so a quote is cited at its own moment."""
    marks = tuple((o, float(s)) for o, s, _ in units if s is not None and o < size)
    return marks if len({s for _, s in marks}) > 1 else ()


def piece_alts(turn: Turn, starts: list[float | None]) -> list[str | None]:
    """The second-language text of each piece of a turn: the captions' translations that
    start within the piece's stretch when they are timed (bilingual subtitles), else the
    whole turn's on its first piece.

    >>> t = Turn(1, None, "", ("一。", "二。", "三。"), ((0, 1), (1, 2), (2, 3)), "One. Two. Three.",
    ...          ((0, "One."), (1, "Two."), (2, "Three.")))
    >>> piece_alts(t, [0, 2])
    ['One.\\nTwo.', 'Three.']
    >>> piece_alts(Turn(1, "A", "guest", ("一。", "二。"), alt="One. Two."), [None, None])
    ['One. Two.', None]
    """
    if not turn.alts or any(s is None for s in starts):
        return [turn.alt if i == 0 else None for i in range(len(starts))]
    ends = [*starts[1:], float("inf")]
    return ["\n".join(a for at, a in turn.alts if (i == 0 or at >= s) and at < e) or None
            for i, (s, e) in enumerate(zip(starts, ends, strict=True))]


def split_turn(turn: Turn, max_chars: int) -> list[tuple[str, float | None, float | None]]:
    """Pieces of one turn, each at most max_chars unless one sentence is longer, with times.

    >>> t = Turn(1, "G", "guest", ("一二三。", "四五。", "六七八九十。"), ((0, 1), (1, 2), (2, 3)))
    >>> split_turn(t, max_chars=8)
    [('一二三。\\n四五。', 0, 2), ('六七八九十。', 2, 3)]

    Captions end mid-sentence; a piece that cannot finish its sentence within its size ends
    after its last full sentence, and the rest opens the next piece (from that caption's
    start):

    >>> t = Turn(1, "G", "guest", ("It leaks. So you", "could put", "keys there."), ((0, 1), (1, 2), (2, 3)))
    >>> split_turn(t, max_chars=20)
    [('It leaks.', 0, 1), ('So you\\ncould put\\nkeys there.', 0, 3)]
    >>> [m for *_, m in marked_pieces(t, max_chars=20)]
    [(), ((0, 0.0), (7, 1.0), (17, 2.0))]
    """
    return [(t, s, e) for t, s, e, _ in marked_pieces(turn, max_chars)]


def asked_in(paragraphs: tuple[str, ...] | list[str], limit: int = MAX_QUESTION_CHARS) -> str:
    """What a host turn asks, within `limit` characters: the whole turn when it fits; else
    its last sentence that asks something, with those before it in its paragraph as room
    allows (a sponsor's read or an introduction opens many a turn); else its opening, cut
    after a word, with "…".

    >>> asked_in(["Today's episode is brought to you by DX. " * 6, "How do you know if you have good taste?"])
    'How do you know if you have good taste?'
    >>> q = asked_in(["Hi, Chair Powell. " * 12 + "Jeanna Smialek, New York Times. Is 25 points enough?"])
    >>> q[:18], q[-20:], len(q) <= 200
    ('Hi, Chair Powell. ', 'Is 25 points enough?', True)
    >>> asked_in(["这是一段很长的介绍，" * 30])[-4:]
    '的介绍…'
    >>> asked_in(["Thanks for sharing all of that about the bootcamp and the meetups. " * 3,
    ...           "And what is", "React Native development?"])
    'And what is React Native development?'
    """
    body = " ".join(paragraphs)
    if len(body) <= limit:
        return body
    # (a caption's line that stops mid-sentence goes on in the next: "And what is" /
    # "React Native development?" asks one question)
    whole: list[str] = []
    for p in paragraphs:
        if whole and not ends_sentence(whole[-1].rstrip()):
            whole[-1] = f"{whole[-1]} {p}"
        else:
            whole.append(p)
    sentences, at = [], 0  # each sentence, where it starts in the turn, and its paragraph
    for k, p in enumerate(whole):
        for s in split_sentences(p):
            at = body.find(s, at)
            sentences.append((s, at, k))
            at += len(s)
    last = max((i for i, (s, _, _) in enumerate(sentences) if "?" in s or "？" in s), default=None)
    if last is not None and len(sentences[last][0]) <= limit:
        s, start, k = sentences[last]
        end, first = start + len(s), last
        while first > 0 and sentences[first - 1][2] == k and end - sentences[first - 1][1] <= limit:
            first -= 1
        return body[sentences[first][1] : end]
    head = (sentences[last][0] if last is not None else body)[: limit - 1]
    cut = max(head.rfind(" "), max(head.rfind(c) for c in "。，！？；、,"))
    return (head[: cut + 1] if cut > limit // 2 else head).rstrip(" ，、,;；") + "…"


_WORDY = re.compile(r"[^\W_]")


def chunk_turns(source: str, turns: list[Turn], max_chars: int) -> list[Passage]:
    """Passages for a document's turns, each with the last substantive host question.

    >>> cs = chunk_turns("a.txt", [Turn(1, "H", "host", ("为什么?",)), Turn(2, "G", "guest", ("因为。", "所以。")),
    ...                            Turn(3, "H", "host", ("嗯。",)), Turn(4, "G", "guest", ("还有。",))], max_chars=4)
    >>> [(c.id, c.speaker, c.text, c.question) for c in cs]  # doctest: +NORMALIZE_WHITESPACE
    [('a.txt#t1p1', 'H', '为什么?', None), ('a.txt#t2p1', 'G', '因为。', '为什么?'),
     ('a.txt#t2p2', 'G', '所以。', '为什么?'), ('a.txt#t3p1', 'H', '嗯。', None),
     ('a.txt#t4p1', 'G', '还有。', '为什么?')]

    A bilingual host turn asks in both its languages:

    >>> cs = chunk_turns("a.md", [Turn(1, "H", "host", ("为什么?",), alt="Why?"), Turn(2, "G", "guest", ("因为。",))], 40)
    >>> cs[1].question
    '为什么? Why?'

    Captions that mark each change of speaker but name nobody (`>>`): an unnamed turn that
    follows one asking something answers it.
    >>> cs = chunk_turns("a.srt", [Turn(1, None, "", ("Why?",)), Turn(2, None, "", ("Data.",)),
    ...                            Turn(3, None, "", ("More.",))], max_chars=40)
    >>> [c.question for c in cs]
    [None, 'Why?', None]
    """
    passages: list[Passage] = []
    question: str | None = None
    unnamed_asks: str | None = None  # an unnamed turn just before, when it asks something
    for turn in turns:
        if turn.role == "guest":
            asked = question
        elif turn.speaker is None and not turn.role:  # captions that mark turns, name nobody
            asked = unnamed_asks
        else:
            asked = None
        # a piece with no word in it (`…` where a turn was all `[inaudible]`) is no passage
        pieces = [piece for piece in marked_pieces(turn, max_chars) if _WORDY.search(piece[0])]
        alts = piece_alts(turn, [start for _, start, _, _ in pieces])
        for i, (text, start, end, marks) in enumerate(pieces, start=1):
            passages.append(
                Passage(
                    id=passage_id(source, turn.n, i),
                    source=source,
                    speaker=turn.speaker,
                    role=turn.role,
                    turn=turn.n,
                    piece=i,
                    text=text,
                    question=asked,
                    start=start,
                    end=end,
                    alt=alts[i - 1],
                    marks=marks,
                )
            )
        body = " ".join(turn.paragraphs)
        if turn.role == "host" and not (is_backchannel(body) or is_aside(body)):
            question = asked_in(turn.paragraphs)
            if turn.alt:  # a bilingual turn asks in both languages: an English reader reads it
                question = f"{question} {asked_in(turn.alt.split(chr(10)))}"
        asks = turn.speaker is None and ends_question(body)
        unnamed_asks = body[-MAX_QUESTION_CHARS:] if asks else None
    return passages
