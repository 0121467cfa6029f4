"""ELAN annotation files (`.eaf`), as linguists, oral historians and qualitative researchers
transcribe recorded interviews in them.

An EAF file is XML: a `TIME_ORDER` of time slots (milliseconds), then one `TIER` per speaker
(its `PARTICIPANT`, else its `TIER_ID`, names them) holding `ALIGNABLE_ANNOTATION`s between two
time slots. Tiers that depend on another (`PARENT_REF`: a translation, a gloss, a note) hang
their `REF_ANNOTATION`s on the parent's annotations: a translation tier becomes the turn's
second language, other dependent tiers are left out. A time slot without a value (ELAN's
unaligned slots) takes the nearest earlier one's time.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed, Segment
from index.formats.ttml import local, xml_root

NAME = "elan"
SUFFIXES = (".eaf",)

# a dependent tier whose annotations translate their parent's (its type or name says so)
_TRANSLATION = re.compile(r"transl|free|英|译|譯|english", re.I)


def sniff(text: str) -> float:
    """Confidence that `text` is an ELAN annotation document.

    >>> sniff('<?xml version="1.0"?><ANNOTATION_DOCUMENT VERSION="3.0"><TIER TIER_ID="A"/>'), sniff("<tt/>")
    (1.0, 0.0)
    """
    return 1.0 if "<ANNOTATION_DOCUMENT" in text[:5000] else 0.0


def parse(text: str) -> Parsed:
    """Parse an ELAN document: each speaker tier's annotations in time order, with their
    times and, from a translation tier beneath it, their translation.

    >>> p = parse('''<ANNOTATION_DOCUMENT VERSION="3.0"><HEADER MEDIA_FILE="">
    ... <MEDIA_DESCRIPTOR MEDIA_URL="file:///rec/talk.wav"/></HEADER>
    ... <TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="3500"/>
    ... <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="4000"/><TIME_SLOT TIME_SLOT_ID="ts4"/>
    ... <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="9000"/></TIME_ORDER>
    ... <TIER TIER_ID="Interviewer" PARTICIPANT="Ann Lee" LINGUISTIC_TYPE_REF="utterance">
    ...  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
    ...   <ANNOTATION_VALUE>你在哪里长大的？</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
    ... <TIER TIER_ID="B" LINGUISTIC_TYPE_REF="utterance">
    ...  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
    ...   <ANNOTATION_VALUE>在台南，</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    ...  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="ts4" TIME_SLOT_REF2="ts5">
    ...   <ANNOTATION_VALUE> 靠近海边。</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
    ... <TIER TIER_ID="B-translation" PARENT_REF="B" LINGUISTIC_TYPE_REF="Translation">
    ...  <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a4" ANNOTATION_REF="a2">
    ...   <ANNOTATION_VALUE>In Tainan,</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>
    ... <TIER TIER_ID="B-gloss" PARENT_REF="B" LINGUISTIC_TYPE_REF="gloss">
    ...  <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a5" ANNOTATION_REF="a3">
    ...   <ANNOTATION_VALUE>near sea-side</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>
    ... </ANNOTATION_DOCUMENT>''')
    >>> [(s.speaker, s.start, s.end, s.text, s.alt) for s in p.segments]
    [('Ann Lee', 1.0, 3.5, '你在哪里长大的？', None), ('B', 4.0, 4.0, '在台南，', 'In Tainan,'), ('B', 4.0, 9.0, '靠近海边。', None)]
    >>> p.meta
    {'media': 'file:///rec/talk.wav'}
    """
    root = xml_root(text)
    if root is None:
        return Parsed([], warnings=["no annotations found"])
    if local(root.tag) != "ANNOTATION_DOCUMENT":
        raise FormatError(f"line {root.sourceline or 1}: not an ELAN document (its root is "
                          f"<{local(root.tag)}>, not <ANNOTATION_DOCUMENT>)")
    times: dict[str, float | None] = {}
    last: float | None = None
    for slot in root.iter("TIME_SLOT"):
        value = slot.get("TIME_VALUE")
        try:
            last = int(value) / 1000 if value not in (None, "") else last
        except ValueError:
            raise FormatError(f"line {slot.sourceline}: bad TIME_VALUE {value!r}") from None
        times[slot.get("TIME_SLOT_ID", "")] = last
    tiers = list(root.iter("TIER"))
    translated: dict[str, str] = {}  # annotation id -> its translation
    for tier in tiers:
        kind = f"{tier.get('LINGUISTIC_TYPE_REF', '')} {tier.get('TIER_ID', '')}"
        if tier.get("PARENT_REF") and _TRANSLATION.search(kind):
            for ref in tier.iter("REF_ANNOTATION"):
                if words := _value(ref):
                    translated[ref.get("ANNOTATION_REF", "")] = words
    said: list[tuple[float, int, Segment]] = []
    for tier in tiers:
        if tier.get("PARENT_REF"):
            continue
        speaker = (tier.get("PARTICIPANT") or "").strip() or tier.get("TIER_ID", "").strip() or None
        for a in tier.iter("ALIGNABLE_ANNOTATION"):
            if not (words := _value(a)):
                continue
            start = times.get(a.get("TIME_SLOT_REF1", ""))
            end = times.get(a.get("TIME_SLOT_REF2", ""))
            segment = Segment(words, speaker, start, end, alt=translated.get(a.get("ANNOTATION_ID", "")))
            said.append((start if start is not None else float("inf"), len(said), segment))
    if not said:
        return Parsed([], warnings=["no annotations found"])
    media = next((m.get("MEDIA_URL") for m in root.iter("MEDIA_DESCRIPTOR") if m.get("MEDIA_URL")), None)
    return Parsed([s for *_, s in sorted(said, key=lambda x: x[:2])], meta={"media": media} if media else {})


def _value(annotation) -> str:
    """An annotation's words, on one line."""
    value = next(annotation.iter("ANNOTATION_VALUE"), None)
    return " ".join((value.text or "").split()) if value is not None else ""
