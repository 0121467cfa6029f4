"""WebVTT captions (Zoom, Teams, YouTube, Whisper): read with webvtt-py.

Voice tags `<v Name>` and `Name: text` give the speaker; NOTE, STYLE and REGION blocks,
cue settings and inline tags (`<c>`, `<i>`, `<00:00:01.000>`) are left out; the rolling
captions of YouTube's automatic subtitles are read once.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.lines import require, seconds, span_at

NAME = "vtt"
SUFFIXES = (".vtt",)

_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?=\s|$)")
# Times some tools write though WebVTT does not allow them: seconds alone (`59.240`), or
# minutes and seconds with one digit (`1:03.100`), as in a podcast host's exports.
_LOOSE_TIME = r"(?:\d+:){0,2}\d+\.\d{1,3}"
_LOOSE_TIMING = re.compile(rf"^(\s*)({_LOOSE_TIME})(\s*-->\s*)({_LOOSE_TIME})(?=\s|$)")


def _full_clock(time: str) -> str:
    """`hh:mm:ss.mmm` for a time written short: "59.240" -> "00:00:59.240".

    >>> _full_clock("59.240"), _full_clock("1:03.1"), _full_clock("75.5"), _full_clock("00:01:02.000")
    ('00:00:59.240', '00:01:03.100', '00:01:15.500', '00:01:02.000')
    """
    total = float(time) if ":" not in time else seconds(time)
    minutes, secs = divmod(round(total * 1000), 60_000)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs // 1000:02d}.{secs % 1000:03d}"


def _full_timings(text: str) -> str:
    """Every cue timing written in full, so that the reader takes short ones too."""
    def full(m: re.Match[str]) -> str:
        try:
            return f"{m[1]}{_full_clock(m[2])}{m[3]}{_full_clock(m[4])}"
        except ValueError:  # a field over 59: left for `_timing_lines` to report
            return m[0]

    lines = text.split("\n")
    return "\n".join(
        _LOOSE_TIMING.sub(full, ln) if "-->" in ln and not ln.startswith("NOTE") else ln
        for ln in lines
    )


def _timing_lines(text: str) -> list[tuple[int, float]]:
    """(line number, start) of every cue timing line; FormatError on a bad one."""
    found = []
    for no, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line or line.startswith("NOTE"):
            continue
        m = _TIMING.match(line)
        if not m:
            raise FormatError(
                f"line {no}: bad cue timing {line.strip()!r} "
                "(expected 00:00:01.000 --> 00:00:02.000)"
            )
        found.append((no, span_at(m[1], m[2], no, "cue")[0]))
    return found


# a line that tries to be a cue timing but is not one: "00:00:04.500 -> 00:0x:09.000"
_TIMING_LIKE = re.compile(r"^\s*\d+:\d+\S*\s*(?:-+|—|–)>?\s*\S*\d")
_BLOCK_KINDS = ("NOTE", "STYLE", "REGION")


def _orphan_blocks(text: str) -> list[str]:
    """Warnings for the blocks after the header that hold no cue timing (webvtt-py skips them):
    text outside any cue. A block whose line tries to be a timing is a FormatError instead, as
    its cue's words would be lost.

    >>> _orphan_blocks("WEBVTT\\n\\n00:01.000 --> 00:02.000\\nHi\\n\\nand more\\n\\nNOTE x")
    ["line 6: text outside any cue was left out: 'and more'"]
    >>> _orphan_blocks("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n \\nhi everyone\\n")
    []
    >>> _orphan_blocks("WEBVTT\\n\\n2\\n00:00:04.500 -> 00:0x:09.000\\n<v Piotr>Thanks.")
    Traceback (most recent call last):
    index.formats.base.FormatError: line 4: bad cue timing '00:00:04.500 -> 00:0x:09.000' (expected 00:00:01.000 --> 00:00:02.000)
    """
    warnings = []
    lines = text.split("\n")
    block: list[tuple[int, str]] = []
    header = True
    for no, line in [*enumerate(lines, start=1), (len(lines) + 1, "")]:
        if line:  # (a line of spaces goes on the block, as webvtt-py reads it: yt-dlp's cues open with one)
            block.append((no, line))
            continue
        if block and not header and not block[0][1].startswith(_BLOCK_KINDS) and not any(
            "-->" in ln for _, ln in block
        ):
            for at, ln in block:
                if _TIMING_LIKE.match(ln):
                    raise FormatError(
                        f"line {at}: bad cue timing {ln.strip()!r} "
                        "(expected 00:00:01.000 --> 00:00:02.000)"
                    )
            said = " ".join(ln.strip() for _, ln in block)
            warnings.append(
                f"line {block[0][0]}: text outside any cue was left out: {said[:60]!r}"
            )
        if block:
            header = False
        block = []
    return warnings


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
    text = _full_timings(text)
    timings = _timing_lines(text)
    orphans = _orphan_blocks(text)
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
    parsed = to_parsed(cues)
    parsed.warnings.extend(orphans)
    return parsed
