"""What every parser needs from a line of text: joining, clock times, stage directions, and
a builder that turns a stream of speech/context lines into `Segment`s.

Not a format itself (it has no `NAME`), so `index.formats` does not list it.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from index.clean import ends_sentence, unpunctuated
from index.formats.base import FormatError, Parsed, Segment

# Characters written without spaces between them: CJK ideographs, kana, CJK punctuation,
# full-width forms. Hangul is written with spaces, so it is not here.
_NO_SPACE = re.compile(
    r"[\u2e80-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


# A list item as the parsers leave it in a passage: a line of its own, after a bullet or its
# number ("- ", "• ", "2. ", "3) ", "1、").
LIST_ITEM = re.compile(r"^(?:(?:[-*•▪◦]|\d{1,3}[.)])\s+|\d{1,2}[、．]\s*)(?=\S)")


def join(left: str, right: str) -> str:
    """Join two pieces of one sentence: a space between Latin text, nothing next to CJK.

    >>> join("I have faith.", "If it works"), join("我们已经", "融合了。"), join("是的,", "Tesla")
    ('I have faith. If it works', '我们已经融合了。', '是的,Tesla')
    """
    return join_all([left, right])


def join_all(pieces: list[str]) -> str:
    """`join` over many pieces, in time linear in their total length.

    >>> join_all(["so the", "question is", "数据", "够不够。", ", right?"])
    'so the question is数据够不够。, right?'
    """
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out:
            out.append(_gap(out[-1], piece))
        out.append(piece)
    return "".join(out)


def _gap(left: str, right: str) -> str:
    # Punctuation takes the script of the word it follows or precedes: `是的,` is Chinese.
    a = next((c for c in reversed(left[-4:]) if not _PUNCT.match(c)), left[-1])
    b = next((c for c in right[:4] if not _PUNCT.match(c)), right[0])
    if right[0] in _CLOSING or _NO_SPACE.match(a) or _NO_SPACE.match(b):
        return ""
    return " "


_CLOSING = ".,;:!?)]}%"
_PUNCT = re.compile(r"[^\w\s\u2e80-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def mostly_cjk(text: str) -> bool:
    """More CJK characters than Latin words: which language a bilingual pair's half is in.

    >>> mostly_cjk("我认为 Tesla 领先"), mostly_cjk("I think Tesla is ahead, 对吧")
    (True, False)
    """
    return len(_CJK.findall(text)) > len(_LATIN_WORD.findall(text))


# --- clock times -------------------------------------------------------------------------------

# `mm:ss`, `hh:mm:ss`, and a mission's elapsed time `dd:hh:mm:ss` (NASA's transcripts)
CLOCK = r"\d{1,3}(?::\d{1,2}){1,3}(?:[.,]\d{1,3})?"
# brackets around a time, ASCII or full-width: `(00:01:02)`, `[04:07]`, `（00:01:02）`, `【00:01:02】`
OPEN, CLOSE = r"[(\[（【]", r"[)\]）】]"
# a time alone, in brackets or not, Markdown's escaped ones too (`[00:00:21]`, `\[04:07\]`)
TIME_ALONE = rf"\\?{OPEN}?\s*{CLOCK}\s*\\?{CLOSE}?"
_CLOCK = re.compile(CLOCK)


def seconds(clock: str) -> float:
    """Seconds from `hh:mm:ss(.mmm)`, `mm:ss`, `m:ss` or `dd:hh:mm:ss`; ValueError for a
    field over 59 (an hour after days over 23).

    The leading field may exceed 59 (`75:30` is 75 minutes), the later ones may not.

    >>> seconds("01:02:03.5"), seconds("4:07"), seconds("00:00:01,250"), seconds("02:06:59:01")
    (3723.5, 247.0, 1.25, 197941.0)
    """
    if not _CLOCK.fullmatch(clock):
        raise ValueError(f"bad timestamp {clock!r}")
    whole, _, fraction = clock.replace(",", ".").partition(".")
    fields = [int(f) for f in whole.split(":")]
    if any(f > 59 for f in fields[1:]) or len(fields) == 4 and fields[1] > 23:
        raise ValueError(f"bad timestamp {clock!r}")
    if len(fields) == 4:  # days and hours into hours
        fields = [fields[0] * 24 + fields[1], *fields[2:]]
    total = 0
    for f in fields:
        total = total * 60 + f
    return total + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def clock_at(clock: str, line_no: int) -> float:
    """`seconds`, with a bad clock reported as a FormatError naming the line."""
    try:
        return seconds(clock)
    except ValueError as e:
        raise FormatError(f"line {line_no}: {e}") from None


def span_at(start: str, end: str, line_no: int, what: str = "caption") -> tuple[float, float]:
    """A cue's start and end (`clock_at`), with an end before the start reported as a
    FormatError naming the line.

    >>> span_at("00:00:01,000", "00:00:02,500", 3)
    (1.0, 2.5)
    >>> span_at("00:00:05.000", "00:00:02.000", 3, "cue")
    Traceback (most recent call last):
    ...
    index.formats.base.FormatError: line 3: the cue ends before it starts
    """
    first, last = clock_at(start, line_no), clock_at(end, line_no)
    if last < first:
        raise FormatError(f"line {line_no}: the {what} ends before it starts")
    return first, last


# `[04:07]`, `\[04:07\]`, `(04:07)`, `（04:07）`, `【04:07】`: a timestamp written inside the text.
_INLINE_CLOCK = re.compile(rf"\\?\[\s*({CLOCK})\s*\\?\]|[(（【]\s*({CLOCK})\s*[)）】]")


def strip_clocks(text: str) -> str:
    """Remove bracketed timestamps from running text.

    >>> strip_clocks("So \\\\[04:07\\\\] the point [1:02:03] is (00:10) this.")
    'So the point is this.'
    >>> strip_clocks("我们做物流【00:01:05】机器人（00:01:09）。")
    '我们做物流机器人。'
    """
    return _cut(_INLINE_CLOCK, text)


# `[glossary:CSM]`, `[time:02:06:58:50|54:58:50]`: a link written into the text (Spacelog's and
# wiki-like markup), shown as its label (after `|`) or its target; `O<sub>2</sub>`, `<i>…</i>`:
# inline HTML tags in a text file.
_LINK = re.compile(r"\[[a-z]+:(?=\S)([^\[\]|]+)(?:\|([^\[\]]+))?\]")
_INLINE_TAG = re.compile(r"</?(?:sub|sup|i|b|em|strong|u|span|font|small|br)\b[^<>]*>", re.I)


def unmark(text: str) -> str:
    """Links and inline HTML tags in running text, as the words they show.

    >>> unmark("Back on [glossary:CSM] power. [time:02:06:58:50|54:58:50]. The O<sub>2</sub> tank.")
    'Back on CSM power. 54:58:50. The O2 tank.'
    >>> unmark("[laughs] [inaudible: two words] <v Ann>")
    '[laughs] [inaudible: two words] <v Ann>'
    """
    return _INLINE_TAG.sub("", _LINK.sub(lambda m: m[2] or m[1], text))


# --- stage directions --------------------------------------------------------------------------

STAGE_WORDS = (
    r"(?:laugh\w*|chuckl\w*|giggl\w*|inaudible|unintelligible|indiscernible|crosstalk|"
    r"cross-talk|overlapping|overtalk|music\w*|applause|clapping|silence|pause[sd]?|"
    r"cough\w*|sigh\w*|indistinct|noise|beep\w*|blank_audio|no audio|foreign|static|"
    r"background \w+|sound \w+|audio \w+|phone \w+|break|"
    # the language a stretch is spoken in: `[speaking French]`, `(in Spanish)`
    r"(?:in|speaking|speaks) (?:French|German|Spanish|Italian|Portuguese|Russian|Japanese|Korean|"
    r"Chinese|Mandarin|Cantonese|Taiwanese|Hokkien|Arabic|Hindi|Dutch|English))"
)
# Square brackets hold editorial notes in transcripts, so a few words around the cue word are
# allowed (`[both laugh]`, `[inaudible 00:12:03]`); parentheses also hold spoken asides,
# so there only the cue word itself (`(laughs)`) counts.
_STAGE = re.compile(
    rf"\\?\[\s*(?:[\w'-]+\s+){{0,2}}{STAGE_WORDS}(?:\s+[\w:.,'-]+){{0,3}}\s*\\?\]"
    rf"|\(\s*{STAGE_WORDS}(?:\s+{CLOCK})?\s*\)"
    # ... and between asterisks, as chat and fan transcripts write them: `*sighs*`
    rf"|\*\s*(?:[\w'-]+\s+){{0,2}}{STAGE_WORDS}\s*\*"
    r"|[\[(（【]\s*(?:笑|笑声|笑聲|大笑|众笑|眾笑|掌声|掌聲|鼓掌|音乐|音樂|听不清|聽不清|"
    r"静音|靜音|咳嗽|停顿|停頓|沉默|叹气|嘆氣|"
    # the language a stretch is spoken in: `（法語）`, `（说英文）`
    r"(?:说|說|讲|講)?(?:法|德|英|日|韩|韓|台|臺|粤|粵|西班牙|客家|闽南|閩南)(?:语|語|文))\s*[\])）】]"
    r"|♪[^♪\n]*♪|♪",
    re.I,
)


# A direction that marks words the transcriber could not make out leaves a gap in what was
# said: it becomes an ellipsis, so that a quote never reads as if the words around it were said
# together ("I did [inaudible 00:12:22] work." is "I did … work.", not "I did work.").
_GAP = re.compile(r"inaudible|unintelligible|indiscernible|indistinct|crosstalk|cross-talk|"
                  r"overtalk|overlapping|听不清|聽不清", re.I)
GAP = "…"


def strip_stage(text: str) -> tuple[str, int]:
    """Remove stage directions, leaving `…` where words could not be made out; returns the
    text and how many characters went.

    >>> strip_stage("Yeah. \\\\[laughs\\\\] So [MUSIC PLAYING] it works.")
    ('Yeah. So it works.', 25)
    >>> strip_stage("So I did [inaudible 00:12:22] work (laughs). Part of the [unintelligible].")
    ('So I did … work. Part of the …', 44)
    >>> strip_stage("我觉得（笑）很好")
    ('我觉得很好', 3)
    >>> strip_stage("No, it's fine. *sighs* We made up.")
    ("No, it's fine. We made up.", 7)
    >>> strip_stage("（法語）現在在法語的交談上，還行。（德語）"), strip_stage("Oui. [speaking French] (in Paris)")
    (('現在在法語的交談上，還行。', 8), ('Oui. (in Paris)', 17))
    """
    dropped = sum(len(m.group(0)) for m in _STAGE.finditer(text))
    marked = _STAGE.sub(lambda m: "\x01" if _GAP.search(m.group(0)) else m.group(0), text)
    cut = _cut(_STAGE, marked)
    if "\x01" in cut:
        cut = _AFTER_GAP.sub(GAP, _BEFORE_GAP.sub(lambda m: " " if m.group(1).isascii() else "", cut))
    return cut, dropped


# the marker takes a space after a Latin word before it, and swallows the full stop after it
_BEFORE_GAP = re.compile(r"(?<=(\S))[ \t]*(?=\x01)")
_AFTER_GAP = re.compile(r"\x01(?:[ \t]*\x01)*\.?")


def is_stage(text: str) -> bool:
    """Whether the whole text is one stage direction (`[music]`, `(laughter)`).

    >>> is_stage("[Music]"), is_stage("Music is great")
    (True, False)
    """
    return bool(text.strip()) and not _cut(_STAGE, text)


def _cut(pattern: re.Pattern[str], text: str) -> str:
    # Close the gap a removal leaves as `join` would: `works (inaudible).` -> `works.`,
    # `我觉得（笑）很好` -> `我觉得很好`, `Yeah. [laughs] So` -> `Yeah. So`.
    parts = pattern.sub("\x00", text).split("\x00")
    return text.strip() if len(parts) == 1 else join_all(parts)


# --- a court reporter's line numbers -------------------------------------------------------------

# A deposition's or a court hearing's transcript numbers the lines of each page, 1 to 25 (or
# to 28, 30, 32) in the left margin: `14      Q.  Where do you work?`.
_LINE_NUMBER = re.compile(r"^[ \t]{0,12}(\d{1,2})(?=[ \t]|$)[ \t]*")
MAX_LINE_NUMBER = 34


def line_numbers(lines: list[str]) -> tuple[list[str], int]:
    """The lines without a court reporter's line numbers, and how many characters went.

    The numbers go only where most lines that hold anything open with one and most of those
    count on from the line before (or start a page again at 1); a line holding only its
    number is dropped. Any other text keeps its leading numbers.

    >>> page = ["  1   DEPOSITION OF ANN LEE", "  2", "  3   BY MR. SMITH:", "  4     Q.  Your name?",
    ...         "  5     A.  Ann Lee. I work", "  6   in Boston."] + [f"{n:>3}     Q.  Ok?" for n in range(7, 26)]
    >>> kept, dropped = line_numbers(page + ["Page 2", "  1     A.  Yes."])
    >>> kept[:5], kept[-3:], dropped
    (['DEPOSITION OF ANN LEE', 'BY MR. SMITH:', 'Q.  Your name?', 'A.  Ann Lee. I work', 'in Boston.'], ['Q.  Ok?', 'Page 2', 'A.  Yes.'], 42)
    >>> line_numbers(["1 Preheat the oven.", "2 Mix the flour.", "Serve warm."])[1]
    0
    """
    filled = numbered = counted = 0
    last = 0
    for line in lines:
        if not line.strip():
            continue
        filled += 1
        if (m := _LINE_NUMBER.match(line)) and 0 < (n := int(m[1])) <= MAX_LINE_NUMBER:
            numbered += 1
            counted += n == last + 1 or (n == 1 and last >= 5)
            last = n
    if numbered < 10 or numbered < 0.6 * filled or counted < 0.8 * numbered:
        return lines, 0
    out: list[str] = []
    dropped = 0
    for line in lines:
        m = _LINE_NUMBER.match(line)
        if m and 0 < int(m[1]) <= MAX_LINE_NUMBER:
            dropped += len(m[1])
            if not line[m.end():].strip():
                continue
            line = line[m.end():]
        out.append(line)
    return out, dropped


# --- page chrome -----------------------------------------------------------------------------

# A document printed to pages (a PDF, `pdftotext` output with form feeds) repeats its page chrome
# on every page: a running header, a footer, a page number.
_CLOCK_IN = re.compile(rf"(?<![\d:]){CLOCK}(?![\d:])")
# How many lines at the top and at the bottom of a page may be its header or footer.
_EDGE = 3
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s*#(?:\s*(?:of|/)\s*#)?|#\s*(?:of|/)\s*#|[-–—]?\s*#\s*[-–—]?|"
    r"第\s*#\s*[页頁](?:\s*[,，/]?\s*共\s*#\s*[页頁])?|#\s*/\s*#)$"
    # what a browser prints around a web page: the time and title, the address and page
    r"|^#[/.-]#[/.-]#,?\s+#:#(?:\s*[AP]M)?(?:\s|$)|"
    r"^(?:file|https?)://\S+(?:\s+#\s*(?:/|of)\s*#)?$"
)


def blur(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _shape(line: str) -> str:
    """A line with its digits blurred, so "Page 3" and "Page 4" are one running line; but a
    line with a clock time stays as written: `Emily Freeman 1:14` at the top of one page and
    `Emily Freeman 6:24` at the top of the next are two turns, not a running header.

    >>> _shape("Page 3  of 9"), _shape("Emily Freeman 6:24")
    ('Page # of #', 'Emily Freeman 6:24')
    """
    return " ".join(line.split()) if _CLOCK_IN.search(line) else blur(line)


def strip_chrome(pages: list[list[str]], keep=lambda line: False) -> tuple[list[str], int]:
    """The lines of every page without its running header, footer and page number, and how
    many characters were dropped. A line is chrome when it sits among the first lines (or
    among the last) of at least half of the pages, and of two, digits aside (unless `keep`
    says it is no chrome: a court record's `A. Yes.` may open many a page); or when it is a
    page number there.

    >>> pages = [["Acme call", "Ann: We grew.", "Page 1 of 2"],
    ...          ["Acme call", "Bob: Why?", "2"]]
    >>> strip_chrome(pages)
    (['Ann: We grew.', 'Bob: Why?'], 30)
    >>> strip_chrome([["12/3/26, 12:42 PM 访谈实录", "甲：好。", "file:///tmp/talk.html 1/1"]])[0]
    ['甲：好。']
    """
    def edges(lines: list[str]) -> dict[int, set[str]]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        out: dict[int, set[str]] = {}
        for side, part in (("top", filled[:_EDGE]), ("bottom", filled[-_EDGE:])):
            for i in part:
                out.setdefault(i, set()).add(side)
        return out

    page_edges = [edges(lines) for lines in pages]
    seen: Counter[tuple[str, str]] = Counter()
    for lines, at_edge in zip(pages, page_edges, strict=True):
        seen.update({(side, _shape(lines[i])) for i, sides in at_edge.items() for side in sides})
    running = {key for key, n in seen.items() if n >= max(2, len(pages) / 2)}
    kept: list[str] = []
    dropped = 0
    for lines, at_edge in zip(pages, page_edges, strict=True):
        for i, line in enumerate(lines):
            sides = at_edge.get(i, ())
            if sides and (
                any((side, _shape(line)) in running for side in sides) and not keep(line)
                or _PAGE_NUMBER.match(blur(line))
            ):
                dropped += len(line.strip())
            else:
                kept.append(line)
    return kept, dropped


# --- optional libraries ------------------------------------------------------------------------


def require(module: str, package: str):
    """Import a parser's library when it is first needed, naming the install if it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"reading this format needs the {package} package: pip install {package}"
        ) from None


# --- building segments -------------------------------------------------------------------------


@dataclass
class _Open:
    speaker: str | None
    start: float | None
    labelled: bool
    paragraphs: list[list[str]] = field(default_factory=list)  # each a list of lines


# A line that goes on with a sentence: it opens with a lower-case word
_GOES_ON = re.compile(r"^[\"'“‘(]?[a-z]")


@dataclass
class Builder:
    """Collects speech and context in reading order and hands back a `Parsed`.

    Consecutive lines of one speaker join into paragraphs: a line that does not end a
    sentence continues the paragraph (`join`), a blank line or a sentence end starts a new
    one (separated by "\\n"), unless the line after the blank goes on with the sentence (it
    opens in lower case). Timestamps and stage directions are removed from all text.

    >>> b = Builder()
    >>> b.speech("I have faith", "A", 1.0, new=True); b.speech("in it. [laughs]", "A")
    >>> b.context("## Part two"); b.speech("Yes.", "B", 9.0, new=True)
    >>> b.result(ends=True).segments[0]
    Segment(text='I have faith in it.', speaker='A', start=1.0, end=9.0, kind='speech', alt=None, new_turn=False)
    >>> b = Builder()
    >>> b.speech("a note from an official", "A", new=True); b.blank(); b.speech("saying so.", "A")
    >>> b.blank(); b.speech("Then more.", "A"); b.result().segments[0].text
    'a note from an official saying so.\\nThen more.'
    """

    segments: list[Segment] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    _open: _Open | None = None
    _labelled: list[bool] = field(default_factory=list)
    _break: bool = False

    def _clean(self, text: str) -> str:
        text, n = strip_stage(strip_clocks(unmark(text)))
        if n:
            self.dropped["stage directions"] += n
        return text

    def speech(
        self,
        text: str,
        speaker: str | None,
        start: float | None = None,
        *,
        new: bool = False,
        labelled: bool = False,
    ) -> None:
        """Add a line of speech; `new` starts a segment even when the speaker is unchanged."""
        text = self._clean(text)
        cur = self._open
        if new or cur is None or cur.speaker != speaker:
            self.close()
            cur = self._open = _Open(speaker, start, labelled)
            self._break = False
        if not text:
            return
        if cur.paragraphs and not ends_sentence(cur.paragraphs[-1][-1]) and (
            not self._break or _GOES_ON.match(text)
        ):  # (a blank line inside a sentence, as a hard wrap copied from a PDF leaves, too)
            cur.paragraphs[-1].append(text)
        else:
            cur.paragraphs.append([text])
        self._break = False

    def context(self, text: str) -> None:
        """Add text that belongs to no speaker (heading, editor's note, page header)."""
        text = self._clean(text)
        if text:
            self.close()
            self._add(Segment(text, kind="context"), False)

    def blank(self) -> None:
        """A blank line: the next line starts a new paragraph."""
        self._break = True

    def drop(self, reason: str, text: str) -> None:
        """Count text left out on purpose (page chrome, repeated captions)."""
        if text.strip():
            self.dropped[reason] += len(text.strip())

    @property
    def mid_sentence(self) -> bool:
        """The segment being built stops mid-sentence, with no blank line since: the next
        line finishes that sentence, whatever it looks like."""
        cur = self._open
        return bool(cur and cur.paragraphs and not self._break) and not ends_sentence(
            cur.paragraphs[-1][-1]
        )

    def close(self) -> None:
        """Finish the segment being built (an empty one is dropped)."""
        cur, self._open = self._open, None
        if cur and cur.paragraphs:
            text = "\n".join(_paragraph(lines) for lines in cur.paragraphs)
            self._add(Segment(text, cur.speaker, cur.start), cur.labelled)

    def _add(self, seg: Segment, labelled: bool) -> None:
        self.segments.append(seg)
        self._labelled.append(labelled)

    def result(self, *, ends: bool = False, bilingual: bool = True) -> Parsed:
        """The segments so far as a `Parsed`.

        `ends`: a segment with a start ends where the next one starts (text exports give only
        start times). `bilingual`: a labelled turn followed by the same speaker's labelled turn
        in the other script becomes one segment with the second as `alt`.
        """
        self.close()
        segs, flags = list(self.segments), list(self._labelled)
        if bilingual:
            segs, flags = _pair_translations(segs, flags)
        if ends:
            segs = _fill_ends(segs)
        warnings = list(self.warnings)
        if not any(s.kind == "speech" for s in segs) and not warnings:
            warnings.append("no speech found")
        return Parsed(segs, warnings=warnings, dropped=dict(self.dropped))


def _paragraph(lines: list[str]) -> str:
    """A paragraph's lines joined, except Chinese captions without punctuation (a speech
    recognizer's lines, one to a line): their line ends are the only places where the
    speaker paused, so they stay, and a passage is cut there, not inside "GPT Pro".

    >>> _paragraph(["I have faith", "in it."]), _paragraph(["我觉得", "这个很好。"])
    ('I have faith in it.', '我觉得这个很好。')
    >>> _paragraph(["然后我就觉得GPT", "Pro加上鸭哥的那个提示词", "就让我胆子变大了"])
    '然后我就觉得GPT\\nPro加上鸭哥的那个提示词\\n就让我胆子变大了'
    """
    return "\n".join(s.strip() for s in lines) if unpunctuated(lines) else join_all(lines)


def _translated_labels(segs: list[Segment], flags: list[bool]) -> frozenset[tuple[str, str]]:
    """Label pairs of a write-up that labels each turn's translation in its own language
    (`周敏：…` then `Zhou Min: …`): read in order, each labelled turn followed by one in the
    other script under another label; every label always paired with the same one, no label
    on both sides, at least two such pairs (two people talking in two languages make one),
    and the pairs making up most of the labelled speech.

    >>> S = lambda t, who: Segment(t, who)
    >>> segs = [S("你为什么拍？", "主持人"), S("Why film?", "Host"), S("因为村子。", "周敏"), S("The village.", "Zhou Min")]
    >>> sorted(_translated_labels(segs, [True] * 4))
    [('主持人', 'Host'), ('周敏', 'Zhou Min')]
    >>> talk = [S("你怎么学的？", "王磊"), S("By watching TV.", "Emily"), S("真的吗？", "王磊"), S("Yes, really.", "Emily")]
    >>> sorted(_translated_labels(talk, [True] * 4))
    []
    """
    pairs: Counter[tuple[str, str]] = Counter()
    labelled = 0
    i = 0
    while i < len(segs):
        a = segs[i]
        if a.kind == "speech" and flags[i] and a.speaker:
            labelled += 1
        if i + 1 < len(segs):
            b = segs[i + 1]
            if (
                flags[i] and flags[i + 1] and a.kind == b.kind == "speech" and a.speaker and b.speaker
                and a.speaker != b.speaker and a.alt is None and mostly_cjk(a.text) != mostly_cjk(b.text)
            ):
                pairs[(a.speaker, b.speaker)] += 1
                labelled += 1
                i += 2
                continue
        i += 1
    firsts = Counter(a for a, _ in pairs)
    seconds_ = Counter(b for _, b in pairs)
    if (
        len(pairs) < 2
        or max(firsts.values()) > 1
        or max(seconds_.values()) > 1
        or set(firsts) & set(seconds_)
        or 2 * sum(pairs.values()) < 0.8 * labelled
    ):
        return frozenset()
    return frozenset(pairs)


def _pair_translations(segs: list[Segment], flags: list[bool]) -> tuple[list[Segment], list[bool]]:
    out: list[Segment] = []
    out_flags: list[bool] = []
    translated = _translated_labels(segs, flags)
    for seg, labelled in zip(segs, flags, strict=True):
        prev = out[-1] if out else None
        if (
            prev is not None
            and labelled
            and out_flags[-1]
            and prev.kind == seg.kind == "speech"
            and prev.alt is None
            and prev.speaker is not None
            and (prev.speaker == seg.speaker or (prev.speaker, seg.speaker) in translated)
            and mostly_cjk(prev.text) != mostly_cjk(seg.text)
        ):
            out[-1] = replace(prev, alt=seg.text, end=seg.end if seg.end is not None else prev.end)
            out_flags[-1] = False
            continue
        out.append(seg)
        out_flags.append(labelled)
    return out, out_flags


def _fill_ends(segs: list[Segment]) -> list[Segment]:
    out = list(segs)
    next_start: float | None = None
    for i in range(len(out) - 1, -1, -1):
        seg = out[i]
        if seg.start is None:
            continue
        if seg.end is None and next_start is not None and next_start >= seg.start:
            out[i] = replace(seg, end=next_start)
        next_start = seg.start
    return out
