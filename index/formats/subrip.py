"""SRT (SubRip) captions: read with the `srt` library.

Captions have no speakers unless the text marks them: `>> ` for a change of speaker,
`NAME: text`, `- ` dialogue dashes. Tags such as `<i>` and `<font color=…>` are left out.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.lines import require, span_at

NAME = "srt"
SUFFIXES = (".srt",)

_TIME = r"\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})")
_CUE = re.compile(rf"(?m)^\s*\d+\s*\n\s*{_TIME}\s*-->\s*{_TIME}")


def _check_times(text: str) -> None:
    # The srt library reads `00:61:00,000` as 1:01:00; a field over 59 is a broken file.
    for no, line in enumerate(text.split("\n"), start=1):
        if m := _TIMING.match(line):
            span_at(m[1], m[2], no)


def _check_blocks(text: str) -> None:
    """A caption's number with no timing below it is a broken file: the `srt` library would
    read the number and the words as the caption before's.

    >>> _check_blocks("1\\n00:00:01,000 --> 00:00:02,000\\nHello\\n\\n2\\nno timing here\\nWorld")
    Traceback (most recent call last):
    index.formats.base.FormatError: line 6: caption 2 has no timing: 'no timing here' (expected 00:00:01,000 --> 00:00:02,000)
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        opens = i == 0 or not lines[i - 1].strip()
        # (a timing that is there but broken, `00:00:0x --> …`, is the library's to name)
        if opens and line.strip().isdigit() and i + 1 < len(lines) and "-->" not in lines[i + 1]:
            raise FormatError(
                f"line {i + 2}: caption {line.strip()} has no timing: {lines[i + 1].strip()[:60]!r} "
                "(expected 00:00:01,000 --> 00:00:02,000)"
            )


def _numbered(text: str) -> str:
    """Cue numbers put back where a tool left them out (the `srt` library needs them).

    >>> _numbered("00:00:01,000 --> 00:00:02,000\\nHi\\n\\n00:00:03,000 --> 00:00:04,000\\nYo")
    '1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n\\n2\\n00:00:03,000 --> 00:00:04,000\\nYo'
    """
    out: list[str] = []
    n = 0
    for line in text.split("\n"):
        if _TIMING.match(line):
            n += 1
            if not (out and out[-1].strip().isdigit()):  # no number on the line above
                out.append(str(n))
        out.append(line)
    return "\n".join(out)


def sniff(text: str) -> float:
    """Confidence that `text` is SRT: numbered cues with `00:00:01,000 --> …` timings.

    >>> sniff("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n")
    0.95
    >>> sniff("WEBVTT\\n\\n1\\n00:00:01.000 --> 00:00:02.000\\nHi")
    0.0
    >>> sniff("00:00:01,000 --> 00:00:02,000\\nHi\\n")  # without cue numbers
    0.85
    """
    if text.lstrip("\ufeff \n").startswith("WEBVTT"):
        return 0.0
    m = _CUE.search(text[:5000])
    if not m:
        # cues without their numbers, as some tools write them: SRT timings all the same
        unnumbered = re.search(rf"(?m)^\s*{_TIME}\s*-->\s*{_TIME}\s*$", text[:5000])
        return 0.85 if unnumbered and not text[: unnumbered.start()].strip("\ufeff \n") else 0.0
    return 0.95 if not text[: m.start()].strip("\ufeff \n") else 0.8


def parse(text: str) -> Parsed:
    """Parse SRT captions; lines of one caption are joined (a space only between Latin words).

    >>> p = parse("1\\n00:00:01,000 --> 00:00:02,500\\n<i>I have faith.</i>\\nIf it works\\n\\n"
    ...           "2\\n00:00:03,000 --> 00:00:04,000\\n>> 主持人:我们\\n开始吧。\\n")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [(None, 1.0, 2.5, 'I have faith. If it works'), ('主持人', 3.0, 4.0, '我们开始吧。')]
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Parsed([], warnings=["no captions found"])
    _check_times(text)
    _check_blocks(text)
    text = _numbered(text)
    srt = require("srt", "srt")
    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as e:
        at = e.expected_start + len(e.unmatched_content) - len(e.unmatched_content.lstrip())
        line = text.count("\n", 0, at) + 1
        said = e.unmatched_content.strip().split("\n")
        if len(said) > 1 and said[0].strip().isdigit():
            # a caption's number, then a line that should be its timing: name that line
            raise FormatError(
                f"line {line + 1}: bad caption timing {said[1].strip()[:60]!r} "
                "(expected 00:00:01,000 --> 00:00:02,000)"
            ) from None
        raise FormatError(f"line {line}: not an SRT caption: {said[0][:60]!r}") from None
    except ValueError as e:  # srt.TimestampParseError
        raise FormatError(f"line 1: {e}") from None
    cues = [
        Cue(s.start.total_seconds(), s.end.total_seconds(), tuple(s.content.split("\n")))
        for s in subs
    ]
    return to_parsed(cues)
