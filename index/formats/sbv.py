"""SBV captions (YouTube Studio's `.sbv` download): read with webvtt-py.

Each cue is a `0:00:01.250,0:00:04.100` timing line with its text below, cues apart by a
blank line. Speakers only where the text marks them (`>> `, `NAME: text`), as in SRT.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.lines import require, seconds, span_at

NAME = "sbv"
SUFFIXES = (".sbv",)

_TIME = r"\d+:\d{1,2}:\d{1,2}\.\d{3}"
_TIMING = re.compile(rf"^\s*({_TIME}),({_TIME})\s*$")


def sniff(text: str) -> float:
    """Confidence that `text` is SBV: cues that open with `0:00:01.000,0:00:02.000`.

    >>> sniff("0:00:01.000,0:00:02.500\\nHi\\n\\n0:00:03.000,0:00:04.000\\nBye\\n"), sniff("Hi")
    (0.95, 0.0)
    """
    lines = [s for s in text.lstrip("\ufeff").replace("\r", "\n")[:5000].split("\n") if s.strip()]
    if not lines or not any(_TIMING.match(s) for s in lines):
        return 0.0
    return 0.95 if _TIMING.match(lines[0]) else 0.7


def _cues(text: str) -> list[tuple[int, float, float]]:
    """(line number, start, end) of every cue with words; FormatError naming the line of a
    bad one.

    >>> _cues("0:00:01.000,0:00:02.000\\n\\n0:00:03.000,0:00:04.000\\nHi")
    [(3, 3.0, 4.0)]
    """
    found = []
    timing = None  # the block's timing, until a line of words below makes it a cue
    at_start = True  # the first line of a block is its timing
    for no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            at_start = True
            continue
        if at_start:
            m = _TIMING.match(line)
            if not m:
                raise FormatError(
                    f"line {no}: not an SBV cue timing: {line.strip()[:60]!r} "
                    "(expected 0:00:01.000,0:00:02.000)"
                )
            timing = (no, *span_at(m[1], m[2], no))
        elif timing:  # a timing with no words below (an empty caption) is no cue
            found.append(timing)
            timing = None
        at_start = False
    return found


def parse(text: str) -> Parsed:
    """Parse SBV captions; lines of one caption are joined (a space only between Latin words).

    >>> p = parse("0:00:01.000,0:00:02.500\\n>> JANE: I have faith.\\nIf it works\\n\\n"
    ...           "0:00:03.000,0:00:04.000\\n我们\\n开始吧。\\n")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('JANE', 1.0, 2.5, 'I have faith. If it works'), ('JANE', 3.0, 4.0, '我们开始吧。')]
    >>> parse("0:00:01.000,0:00:02.500\\nHi\\n\\nHello\\n")
    Traceback (most recent call last):
    ...
    index.formats.base.FormatError: line 4: not an SBV cue timing: 'Hello' (expected 0:00:01.000,0:00:02.000)
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Parsed([], warnings=["no captions found"])
    timings = _cues(text)
    webvtt = require("webvtt", "webvtt-py")
    try:
        doc = webvtt.WebVTT.from_buffer(text.split("\n"), format="sbv")
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as e:
        raise FormatError(f"line 1: {e}") from None
    cues = [Cue(seconds(c.start), seconds(c.end), tuple(c.lines)) for c in doc.captions]
    if len(cues) != len(timings):  # webvtt-py skips a cue it cannot read: name it
        for (no, start, _), cue in zip(timings, [*cues, None], strict=False):
            if cue is None or abs(cue.start - start) > 0.0005:
                raise FormatError(f"line {no}: this cue could not be read")
    return to_parsed(cues)
