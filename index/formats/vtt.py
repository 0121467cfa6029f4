"""WebVTT captions (Zoom, Teams, YouTube, Whisper): read with webvtt-py.

Voice tags `<v Name>` and `Name: text` give the speaker; NOTE, STYLE and REGION blocks,
cue settings and inline tags (`<c>`, `<i>`, `<00:00:01.000>`) are left out; the rolling
captions of YouTube's automatic subtitles are read once.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.lines import require, seconds

NAME = "vtt"
SUFFIXES = (".vtt",)

_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?=\s|$)")


def _timing_lines(text: str) -> list[tuple[int, float]]:
    """(line number, start) of every cue timing line; FormatError on a bad one."""
    found = []
    for no, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line or line.startswith("NOTE"):
            continue
        m = _TIMING.match(line)
        try:
            if not m:
                raise ValueError(
                    f"bad cue timing {line.strip()!r} (expected 00:00:01.000 --> 00:00:02.000)"
                )
            start, end = seconds(m[1]), seconds(m[2])
        except ValueError as e:
            raise FormatError(f"line {no}: {e}") from None
        if end < start:
            raise FormatError(f"line {no}: the cue ends before it starts")
        found.append((no, start))
    return found


def sniff(text: str) -> float:
    """Confidence that `text` is WebVTT: the `WEBVTT` header, or VTT-style cue timings.

    >>> sniff("WEBVTT\\n\\n00:01.000 --> 00:02.000\\nHi"), sniff("Hi there")
    (1.0, 0.0)
    """
    head = text.lstrip("\ufeff \n")[:6]
    if head == "WEBVTT":
        return 1.0
    return 0.3 if re.search(rf"(?m)^{_TIME} --> {_TIME}", text[:5000]) else 0.0


def parse(text: str) -> Parsed:
    """Parse WebVTT captions.

    >>> p = parse("WEBVTT\\n\\nNOTE made by hand\\n\\n"
    ...     "1\\n00:00:01.000 --> 00:00:03.500 align:start\\n"
    ...           "<v Ann>Hello <i>there</i>.</v>\\n\\n00:00:04.000 --> 00:00:05.000\\nBob: 你好。")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('Ann', 1.0, 3.5, 'Hello there.'), ('Bob', 4.0, 5.0, '你好。')]
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Parsed([], warnings=["no captions found"])
    if not text.startswith("WEBVTT"):
        raise FormatError('line 1: a WebVTT file starts with "WEBVTT"')
    timings = _timing_lines(text)
    webvtt = require("webvtt", "webvtt-py")
    try:
        doc = webvtt.WebVTT.from_string(text)
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as e:
        raise FormatError(f"line 1: {e}") from None
    # `start`/`end` are strings in every webvtt-py version; read them with our own clock.
    cues = [Cue(seconds(c.start), seconds(c.end), tuple(c.lines)) for c in doc.captions]
    # webvtt-py skips a cue it cannot read; name the first one rather than lose its words.
    for i, (no, start) in enumerate(timings):
        if i >= len(cues) or abs(cues[i].start - start) > 0.0005:
            raise FormatError(
                f"line {no}: this cue could not be read (is it inside another block?)"
            )
    return to_parsed(cues)
