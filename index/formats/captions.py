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
from index.formats.lines import is_stage, join_all, mostly_cjk, strip_clocks, strip_stage
from index.formats.plain import looks_like_name, may_speak, names_a_person, split_label

_VOICE = re.compile(r"<v(?:\.[^\s<>]+)*\s+([^<>]+)>")
# No `<` inside a tag, no `{` inside a style override: linear on a run of them.
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_CHANGE = re.compile(r"^\s*>>+\s*")
_DASH = re.compile(r"^\s*[-–—]\s+")
# Subtitles for the deaf name a voice in brackets before its words ("[JOHN] Ready?", "(Mary):
# Yes."), where sound effects also go ("[Door closes] Who's there?")
_SOUND = re.compile(r"^\s*(?:\[[^\[\]\n]*\]|\([^()\n]*\)|（[^（）\n]*）)\s*$")
_BRACKETED = re.compile(r"^[\[(（]([^\[\]()（）\n]{1,40})[\])）]\s*[:：]?\s*(?=\S)")


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

    A mark without a name starts someone else, though nobody is named (`new_turn`):
    >>> [(s.text, s.new_turn) for s in to_parsed([Cue(0, 2, (">> Why?",)), Cue(2, 4, ("- Data.", "- Really?"))]).segments]
    [('Why?', True), ('Data.', True), ('Really?', True)]
    """
    segs: list[Segment] = []
    dropped: Counter[str] = Counter()
    speaker: str | None = None
    prev: list[str] = []
    voices = bracketed_voices(line for cue in cues for line in cue.lines)
    first_cjk = bilingual(cues)
    if first_cjk is None and speakers is None:  # each language a cue of its own, same timing
        first_cjk = bilingual(paired := same_timing(cues))
        cues = paired if first_cjk is not None else cues
    for i, cue in enumerate(cues):
        if speakers is not None:
            speaker = speakers[i]
        raw = [part for s in cue.lines if _visible(s) for part in _exchange(s)]
        alt = None
        if first_cjk is not None:  # the translation's lines: the segment's `alt`
            other = [s for s in raw if _written_in(s, not first_cjk)]
            raw = [s for s in raw if s not in other]
            alt = join_all([_spoken(s, voices) for s in other]) or None
            if not raw and alt and segs:  # a cue of the translation alone goes with the last
                segs[-1] = replace(segs[-1], alt=join_all([segs[-1].alt or "", alt]))
                continue
        shown = [_visible(s) for s in raw]
        keep = _new_lines(prev, shown)
        for s in shown[: len(shown) - len(keep)]:
            dropped["repeated captions"] += len(s)
        raw, prev = raw[len(shown) - len(keep) :], shown or prev
        if not keep:
            if segs:  # the repeat prolongs what is already on screen
                segs[-1] = replace(segs[-1], end=max(segs[-1].end or 0, cue.end))
            continue
        # (speaker, whether a mark starts someone unnamed here, lines)
        pieces: list[tuple[str | None, bool, list[str]]] = []
        for line in raw:
            who, text = _speaker_mark(line, voices)
            if who is not _SAME:
                speaker = who
            if who is not _SAME or not pieces:
                pieces.append((speaker, who is None, []))
            text, n = strip_stage(strip_clocks(text))
            if _SOUND.match(text):  # a caption line wholly in brackets: "[Door closes]"
                text, n = "", n + len(text)
            dropped["stage directions"] += n
            pieces[-1][2].append(text)
        for k, (who, marked, lines) in enumerate(pieces):
            text = join_all(lines)
            if not text:
                continue
            # (the translation goes with the cue's last voice: its lines are not told apart)
            said = alt if k == len(pieces) - 1 else None
            if segs and segs[-1].speaker == who and segs[-1].start == cue.start and not marked:
                segs[-1] = replace(segs[-1], text=join_all([segs[-1].text, text]), end=cue.end,
                                   alt=join_all([segs[-1].alt or "", said or ""]) or None)
            else:
                segs.append(Segment(text, who, cue.start, cue.end, alt=said, new_turn=marked))
    warnings = [] if segs else ["no captions found"]
    return Parsed(segs, warnings=warnings, dropped={k: v for k, v in dropped.items() if v})


def _written_in(line: str, cjk: bool) -> bool:
    """Is a cue line in Chinese (`cjk`) or in a Latin-script language? (A line of neither,
    "♪" or "2019", is in neither.)"""
    text = _visible(line)
    return mostly_cjk(text) if cjk else bool(re.search(r"[A-Za-z]{2}", text)) and not mostly_cjk(text)


def bilingual(cues: list[Cue]) -> bool | None:
    """Whether the captions are bilingual subtitles, each cue a Chinese line and its English
    line (字幕组 subtitles of an English interview, a Chinese talk subtitled in English): then
    whether the Chinese comes first (the transcript's text; the other language is its `alt`),
    else None. Most cues with words must hold both languages, three at least.

    >>> c = lambda *lines: Cue(0, 1, lines)
    >>> bilingual([c("你好。", "Hello."), c("多少人？", "How many?"), c("三个。", "Three."), c("♪",)])
    True
    >>> bilingual([c("Hello.", "你好。"), c("How many?", "多少人？"), c("Three.", "三个。")])
    False
    >>> bilingual([c("Hello there,", "how are you?"), c("我很好。",), c("Good.",)]) is None
    True
    """
    both = first_cjk = worded = 0
    for cue in cues:
        lines = [s for s in cue.lines if _visible(s)]
        zh = [i for i, s in enumerate(lines) if _written_in(s, True)]
        en = [i for i, s in enumerate(lines) if _written_in(s, False)]
        worded += bool(zh or en)
        if zh and en:
            both += 1
            first_cjk += zh[0] < en[0]
    if both < 3 or 2 * both < worded:
        return None
    return 2 * first_cjk >= both


def same_timing(cues: list[Cue]) -> list[Cue]:
    """Consecutive cues with the same start and end as one cue: bilingual subtitles that give
    each language a cue of its own (the same number and timing twice) read as one cue of two
    lines.

    >>> same_timing([Cue(0, 2, ("Hello.",)), Cue(0, 2, ("你好。",)), Cue(2, 3, ("Bye.",))])
    ... # doctest: +NORMALIZE_WHITESPACE
    [Cue(start=0, end=2, lines=('Hello.', '你好。')), Cue(start=2, end=3, lines=('Bye.',))]
    """
    out: list[Cue] = []
    for cue in cues:
        if out and (out[-1].start, out[-1].end) == (cue.start, cue.end):
            out[-1] = replace(out[-1], lines=out[-1].lines + cue.lines)
        else:
            out.append(cue)
    return out


def _spoken(line: str, voices: frozenset[str]) -> str:
    """A translation's cue line as words: no speaker mark or label (its voice is the one the
    line it translates names), no stage direction."""
    _, text = _speaker_mark(line, voices)
    return strip_stage(strip_clocks(text))[0]


_SAME = object()
# "- Thank you. - It's good to have you.": a line of two voices, each opening with a dash
_NEXT_VOICE = re.compile(r"(?<=[.?!…])\s+(?=[-–—]\s+\S)")


def _exchange(line: str) -> list[str]:
    """A caption line of a two-voice exchange, each voice after a dash, as a line per voice.

    >>> _exchange("- Thank you. - It's so good to have you here."), _exchange("Well - maybe.")
    (['- Thank you.', "- It's so good to have you here."], ['Well - maybe.'])
    """
    if not _DASH.match(line):
        return [line]
    return _NEXT_VOICE.split(line)


def _unmarked(text: str) -> tuple[bool, str]:
    """Whether a cue line opens with a change of speaker (`>>`, `- `), and its text after it."""
    if m := _CHANGE.match(text) or _DASH.match(text):
        return True, text[m.end() :]
    return False, text


def bracketed_voices(lines) -> frozenset[str]:
    """The names that open cue lines in brackets at least twice (`[JOHN] Ready?`): a voice
    comes back, a sound effect ("[Door closes]") seldom does in the same words; stage
    directions, and labels that read as an action ("[Speaking Spanish]"), are no voices.

    >>> sorted(bracketed_voices(["[JOHN] Hi.", "- [JOHN] Again.", "[Door Closes] Hm.",
    ...                          "[Applause] Ok.", "[Applause] Ok.", "(Mary): Yes.", "(Mary) No."]))
    ['JOHN', 'Mary']
    >>> sorted(bracketed_voices(["GRACE: See it?", "HENRY: No.", "[GRACE] It's bright."]))
    ['GRACE']
    """
    seen: Counter[str] = Counter()
    labels: set[str] = set()  # ... or once, when the file also labels that voice `GRACE:`
    for line in lines:
        _, text = _unmarked(_visible(line))
        if m := _BRACKETED.match(text):
            seen[m.group(1).strip()] += 1
        elif (label := split_label(text).label) and names_a_person(label):
            labels.add(label)
    return frozenset(
        label
        for label, n in seen.items()
        if (n >= 2 or label in labels) and looks_like_name(label) and may_speak(label)
        and not is_stage(f"[{label}]")
        and not label.split()[0].lower().endswith("ing")
    )


def _speaker_mark(line: str, voices: frozenset[str] = frozenset()) -> tuple[object, str]:
    """(speaker or _SAME, visible text) of one cue line; `voices` are the names the file
    gives in brackets."""
    who: object = _SAME
    if m := _VOICE.search(line):
        who = m.group(1).strip()
    changed, text = _unmarked(_visible(line))
    if changed:
        who = None
    if (m := _BRACKETED.match(text)) and m.group(1).strip() in voices:
        who, text = m.group(1).strip(), text[m.end() :]
    label = split_label(text)
    if label.label and label.body and names_a_person(label.label):
        who, text = label.label, label.body
    return who, text
