"""Advanced SubStation Alpha captions (`.ass`, `.ssa`): fansub and Aegisub files, read with
pysubs2.

Each `Dialogue` event is a caption; its `Name` (actor) field, when set, is the speaker.
Comments, vector drawings and the events of song, sign and credit styles (`OP`, `ED`,
`Sign`, `Staff`, `歌词`, `字幕组` …) are not speech. Override tags (`{\\fs14}`) are left out;
a line break (`\\N`) separates lines, so a bilingual caption ("中文\\NEnglish") stays one
passage with both texts. Events are read in time order, as fansub files often list one
language's lines after the other's.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.lines import require

NAME = "ass"
SUFFIXES = (".ass", ".ssa")

_HEADER = re.compile(r"(?m)^\[Script Info\]")
_EVENTS = re.compile(r"(?m)^\[Events\]")
_DIALOGUE = re.compile(r"(?m)^Dialogue:")
# Styles whose events are not what anybody in the interview says.
_NOT_SPEECH = re.compile(
    r"(?i)(?<![a-z])(?:op|ed|song|lyrics?|karaoke|kara|signs?|staff|credits?|title|logo)"
    r"(?![a-z])|歌词|歌詞|片头|片頭|片尾|字幕组|字幕組|制作|製作|标题|標題|注释|注釋"
)


def sniff(text: str) -> float:
    """Confidence that `text` is an ASS/SSA script.

    >>> sniff("[Script Info]\\nTitle: x\\n\\n[Events]\\nDialogue: 0,0:00:01.00,…"), sniff("Ann: Hi")
    (1.0, 0.0)
    """
    head = text[:20000]
    if _HEADER.search(head) and (_EVENTS.search(head) or _DIALOGUE.search(head)):
        return 1.0
    return 0.5 if _DIALOGUE.search(head) else 0.0


def parse(text: str) -> Parsed:
    """Parse an ASS/SSA script.

    >>> p = parse("[Script Info]\\nScriptType: v4.00+\\n\\n[Events]\\n"
    ...   "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\\n"
    ...   "Dialogue: 0,0:00:04.50,0:00:09.00,Default,嘉宾,0,0,0,,谢谢。\\\\N{\\\\fs14}Thanks.\\n"
    ...   "Dialogue: 0,0:00:01.00,0:00:04.00,Default,主持人,0,0,0,,欢迎。\\n"
    ...   "Dialogue: 0,0:00:00.00,0:00:05.00,OP,,0,0,0,,啦啦啦\\n"
    ...   "Comment: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,校对注意\\n")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('主持人', 1.0, 4.0, '欢迎。'), ('嘉宾', 4.5, 9.0, '谢谢。Thanks.')]
    >>> p.dropped
    {'songs, signs and credits': 3}
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Parsed([], warnings=["no captions found"])
    if not (_HEADER.search(text) or _DIALOGUE.search(text)):
        raise FormatError('line 1: an ASS/SSA file has a "[Script Info]" section and "Dialogue:" lines')
    lines_at = _check_events(text)
    pysubs2 = require("pysubs2", "pysubs2")
    try:
        with warnings.catch_warnings():  # a field it cannot read: the checks above name it
            warnings.simplefilter("ignore")
            subs = pysubs2.SSAFile.from_string(text, format_="ass")
    except Exception as e:  # pysubs2 raises plain exceptions for what it cannot read
        quoted = re.search(r"'([^'\n]+)'", str(e))
        no = next((n for n, line in lines_at if quoted and quoted[1] in line), lines_at[0][0])
        raise FormatError(f"line {no}: {e}") from None
    for event, (no, _) in zip(subs.events, lines_at, strict=False):
        if event.end < event.start:
            raise FormatError(f"line {no}: the caption ends before it starts")
    cues: list[Cue] = []
    dropped = 0
    speakers: list[str | None] = []
    for event in sorted(subs.events, key=lambda e: e.start):
        if event.is_comment or event.is_drawing:
            continue
        lines = tuple(line for line in event.plaintext.split("\n") if line.strip())
        if not lines:
            continue
        if _NOT_SPEECH.search(event.style):
            dropped += sum(len(line) for line in lines)
            continue
        cues.append(Cue(event.start / 1000, event.end / 1000, lines))
        speakers.append(event.name.strip() or None)
    parsed = to_parsed(cues, speakers)
    if not dropped:
        return parsed
    return replace(parsed, dropped={**parsed.dropped, "songs, signs and credits": dropped})


def _check_events(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every event (`Dialogue:` / `Comment:`), in file order; a
    FormatError for an event line with fewer fields than the `Format:` line names, which
    pysubs2 would read as an empty caption."""
    fields, found = 10, []
    for no, line in enumerate(text.split("\n"), start=1):
        if line.startswith("Format:") and "Text" in line:
            fields = len(line.split(","))
        elif line.startswith(("Dialogue:", "Comment:")):
            if len(line.split(",", fields - 1)) < fields:
                raise FormatError(
                    f"line {no}: an event needs {fields} comma-separated fields "
                    "(Layer, Start, End, Style, Name, …, Text)"
                )
            found.append((no, line))
    if not found:
        raise FormatError('line 1: no "Dialogue:" lines: is this an ASS/SSA subtitle file?')
    return found
