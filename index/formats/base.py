"""What every format parser returns: segments of speech (or context) with speaker and times.

A parser is a pure function `parse(text: str) -> Parsed` (the .docx parser takes bytes). It
knows its format's syntax only: it does not decide who is host or guest, does not merge a
surname into a full name, does not chunk. `index/turns.py` does that for every format alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """One stretch of a transcript, in reading order.

    `speaker` is the label as the file writes it (`"Bill Carr"`, `"SPEAKER_00"`, `"NoPriors"`),
    None when the format has no speaker for it (SRT captions, plain paragraphs). `start`/`end`
    are seconds from the start of the recording, None when the format has none. `text` is what
    was said, with no timestamps, speaker labels, markup or stage directions left in it.
    `kind` is "speech", or "context" for text that belongs to the document but to no speaker
    (a heading, an editor's note, an article title, a glossary entry): kept, shown beside a
    passage, never quoted as anybody's words. `alt` holds the same speech in a second language
    when the file gives both (bilingual transcripts). `new_turn` says the file marks a change
    of speaker here without naming either (a caption's `>>`): unnamed speech on both sides of
    it is two turns, not one.
    """

    text: str
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    kind: str = "speech"
    alt: str | None = None
    new_turn: bool = False


@dataclass(frozen=True)
class Parsed:
    """A parsed file: its segments, document metadata (front matter: title, date, people,
    media), warnings a person should read, how many characters were dropped as what
    (`{"page chrome": 120, "stage directions": 14}`), and the format `read` parsed it as."""

    segments: list[Segment]
    meta: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    format: str = ""


class FormatError(ValueError):
    """A malformed file: the message names the line (`line 12: bad timestamp '00:61:00'`)."""
