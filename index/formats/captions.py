"""What WebVTT and SRT captions have in common once their timing is read: cue text with
tags, speaker marks (`<v Name>`, `>>`, `- `, `NAME:`), stage directions, and rolling captions
that repeat the previous cue's line.

Not a format itself (it has no `NAME`), so `index.formats` does not list it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, replace

from index.formats.base import Parsed, Segment
from index.formats.lines import join_all, strip_clocks, strip_stage
from index.formats.plain import looks_like_name, may_speak, split_label

_VOICE = re.compile(r"<v(?:\.[^\s<>]+)*\s+([^<>]+)>")
# No `<` inside a tag, no `{` inside a style override: linear on a run of them.
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_CHANGE = re.compile(r"^\s*>>+\s*")
_DASH = re.compile(r"^\s*[-–—]\s+")


@dataclass(frozen=True)
class Cue:
    """One caption: start and end in seconds, its lines as written (tags included)."""

    start: float
    end: float
    lines: tuple[str, ...]


def _visible(line: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", line)).split())


def _new_lines(prev: list[str], lines: list[str]) -> list[str]:
    # Rolling captions show the previous cue's last line(s) again above the new one.
    for k in range(min(len(prev), len(lines)), 0, -1):
        if prev[-k:] == lines[:k]:
            return lines[k:]
    return lines


def to_parsed(cues: list[Cue], speakers: list[str | None] | None = None) -> Parsed:
    """Segments from cues: one per cue and speaker, the speaker carried over to later cues
    until a mark changes it (`>>` or `- ` without a name: unknown, None). A format that names
    each cue's speaker in a field of its own (ASS's `Name`) gives them as `speakers`: each cue
    then starts with its own (None: unknown), and a mark in its text still changes it.

    >>> cues = [
    ...     Cue(0, 2, ("<v Ann>Hello <i>there</i>",)),
    ...     Cue(2, 3, ("Hello there", "how are you?")),  # rolling: the first line again
    ...     Cue(3, 5, (">> BOB: Fine. [laughs]", "- 很好。")),
    ... ]
    >>> [(s.speaker, s.start, s.end, s.text) for s in to_parsed(cues).segments]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Ann', 0, 2, 'Hello there'), ('Ann', 2, 3, 'how are you?'),
     ('BOB', 3, 5, 'Fine.'), (None, 3, 5, '很好。')]
    """
    segs: list[Segment] = []
    dropped: Counter[str] = Counter()
    speaker: str | None = None
    prev: list[str] = []
    for i, cue in enumerate(cues):
        if speakers is not None:
            speaker = speakers[i]
        raw = [s for s in cue.lines if _visible(s)]
        shown = [_visible(s) for s in raw]
        keep = _new_lines(prev, shown)
        for s in shown[: len(shown) - len(keep)]:
            dropped["repeated captions"] += len(s)
        raw, prev = raw[len(shown) - len(keep) :], shown or prev
        if not keep:
            if segs:  # the repeat prolongs what is already on screen
                segs[-1] = replace(segs[-1], end=max(segs[-1].end or 0, cue.end))
            continue
        pieces: list[tuple[str | None, list[str]]] = []
        for line in raw:
            who, text = _speaker_mark(line)
            if who is not _SAME:
                speaker = who
            if who is not _SAME or not pieces:
                pieces.append((speaker, []))
            text, n = strip_stage(strip_clocks(text))
            dropped["stage directions"] += n
            pieces[-1][1].append(text)
        for who, lines in pieces:
            text = join_all(lines)
            if not text:
                continue
            if segs and segs[-1].speaker == who and segs[-1].start == cue.start:
                segs[-1] = Segment(join_all([segs[-1].text, text]), who, cue.start, cue.end)
            else:
                segs.append(Segment(text, who, cue.start, cue.end))
    warnings = [] if segs else ["no captions found"]
    return Parsed(segs, warnings=warnings, dropped={k: v for k, v in dropped.items() if v})


_SAME = object()


def _speaker_mark(line: str) -> tuple[object, str]:
    """(speaker or _SAME, visible text) of one cue line."""
    who: object = _SAME
    if m := _VOICE.search(line):
        who = m.group(1).strip()
    text = _visible(line)
    if m := _CHANGE.match(text):
        who, text = None, text[m.end() :]
    elif m := _DASH.match(text):
        who, text = None, text[m.end() :]
    label = split_label(text)
    if label.label and label.body and looks_like_name(label.label) and may_speak(label.label):
        who, text = label.label, label.body
    return who, text
