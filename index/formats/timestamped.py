"""Text exports of recording tools, where each turn carries its start time.

Descript/Riverside: `Name (00:01:02):` alone on a line with the words below, and bare
`(00:03:04):` lines for the same speaker at a new time; also `Name (00:01:02): text` on one
line. Otter, Rev, Zoom, Teams: `Name  0:03` (or `Speaker 1 00:00`) above the words. Chinese
meeting tools (Feishu Minutes, Tingwu, iFlytek): `说话人 1 00:03`, `发言人1   00:00:01` or
`客户负责人 00:56` above the words, or `说话人1 00:00:01 words` on one line. Caption
style: `[00:01:02] Name: text` and `[00:01:02] text`; Zoom's saved captions `[Name] 14:03:21`
(the words after the time or below it); Whisper's console output `[00:01.000 --> 00:04.000]
text`. A segment ends where the next begins.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.clean import ends_sentence, repair
from index.formats.base import Parsed, Segment
from index.formats.lines import CLOCK, CLOSE, OPEN, TIME_ALONE, clock_at
from index.formats.plain import Line, looks_like_name, recurring, split_label, walk
from index.formats.plain import parse as plain_parse
from index.formats.plain import sniff as plain_sniff

NAME = "timestamped"
SUFFIXES = (".txt",)

_WHO = r"[^\s\d\[\](){}:：<>#*（）【】][^\[\](){}:：<>（）【】]{0,48}?"
# `Name (00:01:02): text`, `Name [00:01:02]`, `Name (00:01:02):`, `Name (00:01:02) - text`
# (Reduct and similar exports put a dash after the time).
_NAMED = re.compile(
    rf"^(?P<who>{_WHO})\s*{OPEN}\s*(?P<ts>{CLOCK})\s*{CLOSE}\s*(?:(?:[:：]|\s[-–—])\s*(?P<body>.*)|$)"
)
# `[00:01:02] Name: text`, `[00:01:02] text`, `(00:01:02):`; Whisper's and whisper.cpp's
# console lines `[00:01.000 --> 00:04.000]  text` (what people copy from the terminal).
_LEADING = re.compile(
    rf"^{OPEN}\s*(?P<ts>{CLOCK})(?:\s*-->\s*{CLOCK})?\s*{CLOSE}\s*[:：]?\s*(?P<body>.*)$"
)
# `00:01:02 Name: text`, `0:03`
_BARE = re.compile(rf"^(?P<ts>{CLOCK})(?:\s+(?P<body>.*))?$")
# `Name  0:03`, `Speaker 1 00:00`: a header line above the words.
_HEADER = re.compile(rf"^(?P<who>{_WHO})\s+(?P<ts>{CLOCK})$")
# `说话人1 00:00:01 words`: label, time and words on one line (iFlytek); only for a numbered
# tag or a Chinese label, as "At 10:30 we met" is no speaker.
_INLINE = re.compile(rf"^(?P<who>{_WHO})\s+(?P<ts>{CLOCK})(?:\s*[:：]\s*|\s+)(?P<body>\S.*)$")
# A diarization tag: `说话人 1`, `发言人1`, `Speaker 1`, `SPEAKER_00`; a Chinese label such as
# `客户负责人` (a role, up to eight characters).
_TAG = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}|[A-Za-z]+)[ _]?\d{1,3}$|^[\u4e00-\u9fff·]{2,8}$")


def _inline(s: str) -> re.Match[str] | None:
    """`说话人1 00:00:01 words`, when its label is a tag (`_TAG`)."""
    m = _INLINE.match(s)
    return m if m and _TAG.match(m["who"].strip()) else None


# `[Kevin Scott] 14:03:21 text` or the time alone on the line (Zoom's saved captions): the
# name in brackets, then the time (in brackets too: `[Speaker 1] [00:00] text`).
_BRACKETED = re.compile(
    rf"^{OPEN}\s*(?P<who>{_WHO})\s*{CLOSE}\s+(?:{OPEN}\s*)?(?P<ts>{CLOCK})(?:\s*{CLOSE})?"
    rf"(?:\s*[:：]?\s+(?P<body>\S.*))?$"
)
# Every form of a line that starts a timed segment (`sniff` counts them).
_TIMED = (_NAMED, _BRACKETED, _LEADING, _BARE, _HEADER)
# `Name: [00:01:02] text`: the time after the label.
_AFTER_LABEL = re.compile(rf"^{OPEN}\s*(?P<ts>{CLOCK})\s*{CLOSE}\s*(?P<body>.*)$")


# A WebVTT voice tag in a text line (`00:00:05 <v Michael Kennedy>to your earbuds.`), as
# tools that turn captions into text keep it: the speaker's label. A cue merged into the line
# before it keeps its own tag mid-line, where another speaker (or the same) goes on.
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+([^<>]{1,60})>\s*")


def voiced(text: str) -> str:
    """Voice tags in text lines written as the labels this parser reads: the tag after the
    time names the line's speaker, and a tag mid-line starts a line of its own.

    >>> print(voiced("00:06:05 <v Ann Lee>So grabbing it. <v Bo Chen>Probably safe.\\nNo tag."))
    00:06:05 Ann Lee: So grabbing it.
    Bo Chen: Probably safe.
    No tag.
    """
    if "<v" not in text:
        return text
    out = []
    for line in text.split("\n"):
        if not _VOICE.search(line):
            out.append(line)
            continue
        # a tag right after the line's time (or at its start) labels the line; one later,
        # a cue merged into it, starts a line of its own
        head = re.fullmatch(r"(\s*[\[(]?\s*[\d:.,]*\s*[\])]?\s*)(.*)", line, re.S)
        lead, rest = head[1], head[2]
        said = _VOICE.sub(lambda m: f"\n{m[1].strip()}: ", rest).lstrip("\n")
        out.extend(piece.rstrip() for piece in (lead + said).split("\n"))
    return "\n".join(out)


def _named(who: str) -> bool:
    # `Bill Carr`, `主持人`, `Dr. Ng`; not a sentence that happens to end in a time.
    who = who.strip()
    return looks_like_name(who) or (len(who.split()) <= 3 and not who[0].islower())


# A time of day alone on its line, as a briefing's record opens and ends with (`3:02 P.M. EDT`,
# `END 3:51 P.M. EDT`): when it took place, not a moment of the recording.
_TIME_OF_DAY = re.compile(
    r"^(?:END\s+)?\d{1,2}:\d{2}\s*[AaPp]\.?\s?[Mm]\.?(?:\s+[A-Z]{2,4})?$"
)


def read_line(text: str, line_no: int) -> Line:
    """Read one line's speaker, start time and words.

    >>> line = read_line("Bill Carr (00:01:02): Hello.", 1)
    >>> line.label, line.start, line.body, line.strong
    ('Bill Carr', 62.0, 'Hello.', True)
    >>> read_line("Josh Gerben (00:00:00) - You can also", 1).label
    'Josh Gerben'
    >>> read_line("(01:00:00):", 2).start, read_line("Speaker 1  0:03", 3).label
    (3600.0, 'Speaker 1')
    >>> [(ln.label, ln.start, ln.body) for ln in (read_line(s, 1) for s in
    ...     ("说话人 1 00:03 ", "发言人1   00:00:15", "客户负责人 00:56", "说话人2 00:01:02 我们最早做物流。"))]
    [('说话人 1', 3.0, ''), ('发言人1', 15.0, ''), ('客户负责人', 56.0, ''), ('说话人2', 62.0, '我们最早做物流。')]
    >>> [(ln.label, ln.start, ln.body) for ln in (read_line(s, 1) for s in
    ...     ("张三（00:00:05）：大家好。", "【00:01:00】李四：好的。", "王五 00:00:09：谢谢。"))]
    [('张三', 5.0, '大家好。'), ('李四', 60.0, '好的。'), ('王五', 9.0, '谢谢。')]
    >>> read_line("At 10:30 we met the team.", 1).start is None  # no speaker, no time
    True
    >>> [(ln.label, ln.start, ln.body) for ln in (read_line(s, 1) for s in
    ...     ("[Kevin Scott] 14:03:21 Welcome.", "[Maria Lopez] 14:03:25"))]
    [('Kevin Scott', 50601.0, 'Welcome.'), ('Maria Lopez', 50605.0, '')]
    >>> line = read_line("[01:02.500 --> 01:04.000]  Why is that?", 1)
    >>> line.label, line.start, line.text
    (None, 62.5, 'Why is that?')
    >>> [(ln.start, ln.heading) for ln in (read_line(s, 1) for s in ("3:02 P.M. EDT", "END 3:51 p.m."))]
    [(None, True), (None, True)]
    """
    s = text.strip()
    if _TIME_OF_DAY.match(s):
        return Line(s, heading=True)
    for labelled in (_NAMED, _BRACKETED):  # `Name (00:01:02): …`, `[Name] 14:03:21 …`
        m = labelled.match(s)
        if m and _named(m["who"]):
            body = (m["body"] or "").strip()
            start = clock_at(m["ts"], line_no)
            return Line(body, m["who"].strip(), body, start, strong=True, header=not body)
    m = _LEADING.match(s) or _BARE.match(s)
    if m:
        start = clock_at(m["ts"], line_no)
        body = (m["body"] or "").strip()
        if not body:
            return Line("", start=start, header=True)
        return split_label(body, start)
    m = _HEADER.match(s)
    if m and (looks_like_name(who := m["who"].strip()) or _TAG.match(who)):
        return Line("", who, "", clock_at(m["ts"], line_no), strong=True, header=True)
    if m := _inline(s):
        body = m["body"].strip()
        return Line(body, m["who"].strip(), body, clock_at(m["ts"], line_no), strong=True)
    line = split_label(s)
    if line.label is not None and (m := _AFTER_LABEL.match(line.body)):
        body = m["body"].strip()
        start = clock_at(m["ts"], line_no)
        return Line(body, line.label, body, start, strong=True, header=not body)
    return line


def _after_label(s: str) -> bool:
    """`Speaker 1: (00:05)`: a label, then the time (as some Rev exports write it)."""
    if ":" not in s[:60] and "：" not in s[:60]:
        return False
    line = split_label(s)
    return line.label is not None and bool(_AFTER_LABEL.match(line.body))


def sniff(text: str) -> float:
    """Confidence that `text` is a timestamped export: the share of lines that carry a time.

    >>> sniff("Ann (00:00:01):\\nHi.\\nBob (00:00:04):\\nHello."), sniff("Ann: Hi.")
    (0.9, 0.0)
    >>> sniff("Speaker 1: (00:00)\\nHi.\\n\\nSpeaker 2: (00:05)\\nHello.")
    0.9
    >>> sniff("会议时间 10:30 开始。\\n" + "张三：你好。\\n李四：你好。\\n" * 20)
    0.0
    """
    lines = [s.strip() for s in text[:20000].split("\n") if s.strip()]
    timed = 0
    for s in lines:
        if "-->" in s and not _LEADING.match(s) or _TIME_OF_DAY.match(s):
            continue  # SRT or WebVTT timings, a time of day: not a text export's times
        timed += any(p.match(s) for p in _TIMED) or bool(_inline(s)) or _after_label(s)
    if not timed or timed < 3 and timed / len(lines) < 0.05:
        return 0.0  # a time or two in a long write-up ("会议时间 10:30 开始。") makes no export
    return round(0.6 + 0.3 * min(1.0, timed / len(lines) / 0.3), 2)


_HEADER_LINES = 15  # an export's header is short; more text before the first time is kept


def names_beside_times(lines: list[Line]) -> list[Line]:
    """Names that head the words below them beside a time on a line of their own: after it
    (`[00:00:05] Leo Brandt`, as Trint exports) or above it (`Hannah Brooks` / `00:00:03`), where
    two names or more each do so twice or more (a line that is one word, "Okay", would
    otherwise be a speaker).

    >>> lines = [read_line(s, 1) for s in ("[00:00:00] Speaker 1", "Hi.", "[00:00:05] Leo Brandt",
    ...          "Morning.", "[00:00:09] Speaker 1", "Menu?", "[00:00:12] Leo Brandt", "Mussels.")]
    >>> [(ln.label, ln.start, ln.text) for ln in names_beside_times(lines)][:2]
    [('Speaker 1', 0.0, ''), (None, None, 'Hi.')]
    >>> lines = [read_line(s, 1) for s in ("Ann Lee", "00:00:03", "Hi.", "Bo Chen", "00:00:09",
    ...          "Yo.", "Ann Lee", "00:00:21", "Why?", "Bo Chen", "00:00:30", "Because.")]
    >>> [(ln.label, ln.start) for ln in names_beside_times(lines) if ln.label]
    [('Ann Lee', 3.0), ('Bo Chen', 9.0), ('Ann Lee', 21.0), ('Bo Chen', 30.0)]
    """
    def name(ln: Line) -> str | None:
        t = ln.text.strip()
        return t if ln.label is None and looks_like_name(t) and not ends_sentence(t) else None

    after = [i for i, ln in enumerate(lines) if ln.start is not None and name(ln)]
    above = [i for i in range(len(lines) - 1)
             if lines[i].start is None and name(lines[i]) and lines[i + 1].header
             and lines[i + 1].label is None and lines[i + 1].start is not None]
    out = list(lines)
    for found, shift in ((after, 0), (above, 1)):
        names = recurring(name(lines[i]) for i in found)
        for i in found:
            if (who := name(lines[i])) in names:
                out[i + shift] = replace(lines[i + shift], text="", label=who, body="", strong=True,
                                         header=True)
                if shift:
                    out[i] = replace(lines[i], text="")
    return out


def parse(text: str) -> Parsed:
    """Parse a timestamped text export; start = the line's time, end = the next segment's start.

    What comes before the first time (a title, the date, keywords) is document context.

    >>> p = parse("Ann (00:00:01):\\nHello there,\\nfriend.\\n"
    ...           "(00:00:09):\\nAgain.\\nBob (00:00:15): Hi!")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]  # doctest: +NORMALIZE_WHITESPACE
    [('Ann', 1.0, 9.0, 'Hello there, friend.'), ('Ann', 9.0, 15.0, 'Again.'),
     ('Bob', 15.0, None, 'Hi!')]
    >>> p = parse("访谈 2026年6月2日|14分钟\\n关键词:\\n机器人、物流\\n文字记录:\\n说话人 1 00:03 \\n你好。")
    >>> [(s.kind, s.speaker, s.text) for s in p.segments]  # doctest: +NORMALIZE_WHITESPACE
    [('context', None, '访谈 2026年6月2日|14分钟'), ('context', None, '关键词:'),
     ('context', None, '机器人、物流'), ('context', None, '文字记录:'), ('speech', '说话人 1', '你好。')]
    """
    lines = names_beside_times([read_line(s, n) for n, s in enumerate(repair(voiced(text)).split("\n"), start=1)])
    # What comes before the first time is the export's header (title, date, keywords,
    # "文字记录:"), not speech: document context.
    first = next((i for i, ln in enumerate(lines) if ln.start is not None), 0)
    if sum(1 for ln in lines[:first] if ln.text.strip()) <= _HEADER_LINES:
        lines = [replace(ln, heading=True) for ln in lines[:first]] + lines[first:]
    return walk(lines, headings=False, edited=False, ends=True)


def parse_prose(text: str) -> Parsed:
    """The text of a document (.docx, .pdf) parsed as a timestamped export when it reads
    as one better than as a plain write-up, else as a plain write-up.

    >>> [s.speaker for s in parse_prose("Ann (00:00:01): Hi.\\nBob (00:00:04): Hello.").segments]
    ['Ann', 'Bob']
    >>> p = parse_prose("ABSTRACT\\n" + "A long abstract line.\\n" * 2000 + "[00:00:21]\\nANN: Hi.\\n[00:00:23]\\nBO: Yes.\\n[00:00:30]\\nANN: Why?")
    >>> [(s.speaker, s.start) for s in p.segments if s.kind == "speech"]
    [('ANN', 21.0), ('BO', 23.0), ('ANN', 30.0)]
    >>> p.segments[0]
    Segment(text='ABSTRACT', speaker=None, start=None, end=None, kind='context', alt=None, new_turn=False)
    """
    # (an oral history's first pages, its abstract and contents, may fill the part of the text
    # `sniff` reads: it is read again from the first line that is a time alone)
    plain = plain_sniff(text)
    if sniff(text) > plain:
        return parse(text)
    first = _FIRST_TIME.search(text)
    if first and first.start() > 0 and sniff(text[first.start():]) > plain:
        # ... and what comes before it is the document's front matter, nobody's words
        head = [Segment(line.strip(), kind="context") for line in text[: first.start()].split("\n")
                if line.strip()]
        body = parse(text[first.start():])
        return replace(body, segments=[*head, *body.segments])
    return plain_parse(text)


# (a time alone on its line, above a speaker's label: not an errata sheet's `53:7`)
_FIRST_TIME = re.compile(rf"^\s*{TIME_ALONE}\s*\n(?=[^\n:：]{{1,40}}[:：])", re.M)
