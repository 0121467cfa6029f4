"""YouTube's timed-text captions as XML: the `<transcript><text start="1.5" dur="2">` file that
YouTube's caption track address serves and youtube-transcript-api and older downloaders save
(seconds), and what yt-dlp saves with `--sub-format srv1/srv2/srv3` (`<timedtext format="3">`
with `<p t="1500" d="2000">` captions of `<s>` word spans, milliseconds). Read with lxml,
entities never expanded. The caption text is escaped twice in some (`I&amp;#39;m`): it is
unescaped once more, as other captions are. Speakers only where the text marks them (`>> `,
`[Name]`, `NAME:`), as in SRT.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.ttml import local, xml_root

NAME = "timedtext"
SUFFIXES = (".srv1", ".srv2", ".srv3")

_ROOTS = ("transcript", "timedtext")
_OPENING = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(transcript|timedtext)[\s>]", re.S)


def sniff(text: str) -> float:
    """Confidence that `text` is YouTube timed text: a `<transcript>` or `<timedtext>` root.

    >>> sniff('<?xml version="1.0" encoding="utf-8" ?><transcript><text start="0" dur="1">Hi</text>')
    0.95
    >>> sniff('<timedtext format="3"><body><p t="0" d="900">Hi</p></body></timedtext>'), sniff("Hi")
    (0.95, 0.0)
    """
    return 0.95 if _OPENING.match(text.lstrip("\ufeff")[:2000]) else 0.0


def _number(el, attr: str) -> float | None:
    value = el.get(attr)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise FormatError(f"line {el.sourceline}: {attr}={value!r} is no time") from None


def parse(text: str) -> Parsed:
    """Parse YouTube timed text: `<text start dur>` in seconds or `<p t d>` (srv3) and
    `<text t d>` (srv2) in milliseconds; the lines of one caption are joined, a caption a
    segment.

    >>> p = parse('<transcript><text start="1.5" dur="2">&gt;&gt; ANN: Hey, I&amp;#39;m Ann.</text>'
    ...           '<text start="3.5" dur="1.5">We start\\nnow.</text></transcript>')
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('ANN', 1.5, 3.5, "Hey, I'm Ann."), ('ANN', 3.5, 5.0, 'We start now.')]
    >>> p = parse('<timedtext format="3"><body><p t="320" d="1700"><s ac="255">so</s><s t="400"> today</s></p>'
    ...           '<p t="2020" d="10" w="1" a="1"> </p><p t="2030" d="900">我们开始吧。</p></body></timedtext>')
    >>> [(s.start, s.end, s.text) for s in p.segments]
    [(0.32, 2.02, 'so today'), (2.03, 2.93, '我们开始吧。')]
    >>> parse("<tt/>")
    Traceback (most recent call last):
    ...
    index.formats.base.FormatError: line 1: YouTube timed text's root is <transcript> or <timedtext>, not <tt>
    """
    root = xml_root(text)
    if root is None:
        return Parsed([], warnings=["no captions found"])
    if local(root.tag) not in _ROOTS:
        raise FormatError(f"line {root.sourceline or 1}: YouTube timed text's root is "
                          f"<transcript> or <timedtext>, not <{local(root.tag)}>")
    cues: list[Cue] = []
    for el in root.iter():
        if local(el.tag) not in ("text", "p"):
            continue
        if el.get("start") is not None:  # the caption track's own file: seconds
            start, length, scale = _number(el, "start"), _number(el, "dur"), 1.0
        else:  # srv2 / srv3: milliseconds
            start, length, scale = _number(el, "t"), _number(el, "d"), 1000.0
        if start is None:
            raise FormatError(f"line {el.sourceline}: a caption without a start time")
        lines = tuple(s for s in "".join(el.itertext()).split("\n") if s.strip())
        if lines:
            cues.append(Cue(start / scale, (start + (length or 0.0)) / scale, lines))
    cues.sort(key=lambda c: c.start)
    return to_parsed(cues)
