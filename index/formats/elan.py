"""ELAN annotation files (`.eaf`), as linguists, oral historians and qualitative researchers
transcribe recorded interviews in them.

An EAF file is XML: a `TIME_ORDER` of time slots (milliseconds), then tiers. A tier without a
parent (`PARENT_REF`) holds time-aligned annotations; the tiers beneath it hang theirs on them,
one to one (`Symbolic_Association`: a transcription, a translation), several to one (words,
morphemes) or by time. Each tier without a parent and the tiers beneath it are one speaker's
(its `PARTICIPANT`, else the name its tier ID gives, as `ref@SP1`): each of its annotations is a
turn, whose words are those of its transcription tier (named or typed `tx`, `transcription`,
`utterance`, `sentence`, `text`, `orthography`; else the top tier itself when it holds words,
else its word tier joined), with the free translation tier beneath (`ft`, `translation`,
`English`; not a transliteration) as the turn's second language. Line numbers (`ref`), glosses,
morphemes, notes, titles and other segmentations (`IU`) are left out, and a warning names the
top tiers left out. A time slot without a value (ELAN's unaligned slots) is placed evenly
between the nearest ones that have one.
"""

from __future__ import annotations

import bisect
import re

from index.formats.base import FormatError, Parsed, Segment
from index.formats.lines import join_all
from index.formats.ttml import local, xml_root

NAME = "elan"
SUFFIXES = (".eaf",)

_TIER_WORDS = r"(?<![a-z0-9])({})(?![a-z])"
# a tier of a turn's free translation (not a literal one, nor a transliteration)
_TRANSLATION = re.compile(_TIER_WORDS.format(
    r"ft|fte|free|translation|transl|trans|english|eng|en|英文|英译|英譯|翻译|翻譯|译文|譯文"), re.I)
# a tier of a turn's words as said
_TRANSCRIPTION = re.compile(_TIER_WORDS.format(
    r"tx|txt|transcription|transcript|utterance|utterances|sentence|sentences|text|orthography|"
    r"ortho|speech|转写|轉寫|文本"), re.I)
# a tier of a turn's words one by one (joined, when it is all a speaker's tiers hold)
_WORD_TIER = re.compile(_TIER_WORDS.format(r"mot|words?|wt|tokens?"), re.I)
# a tier of notes or titles, whatever its type
_NOTES = re.compile(_TIER_WORDS.format(r"notes?|not|comm|comments?|title|interlinear-text-title|备注|備註|注释|註釋"), re.I)
# tiers that are no one's words: line numbers, glosses, morphemes, parts of speech, notes,
# titles, another segmentation, a literal translation, stress, gestures, phonetics
_NOT_SPEECH = re.compile(_TIER_WORDS.format(
    r"ref|notes?|not|comm|comments?|title|interlinear-text-title|gloss|glosses|ge|ps|pos|mb|morph|"
    r"morphemes?|wps|stress|phon|phonetic|ipa|gestures?|gesture_phases|gesture_meaning|chunk|iu|"
    r"lit|literal|qt|transliteration|romanization|pinyin|mot|words?|wt|tokens?|clause"), re.I)


def sniff(text: str) -> float:
    """Confidence that `text` is an ELAN annotation document.

    >>> sniff('<?xml version="1.0"?><ANNOTATION_DOCUMENT VERSION="3.0"><TIER TIER_ID="A"/>'), sniff("<tt/>")
    (1.0, 0.0)
    """
    return 1.0 if "<ANNOTATION_DOCUMENT" in text[:5000] else 0.0


def parse(text: str) -> Parsed:
    """Parse an ELAN document: each speaker's turns in time order, with their times and, from
    a translation tier beneath, their translation.

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
    ... <TIER TIER_ID="Notes" LINGUISTIC_TYPE_REF="utterance">
    ...  <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a6" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts5">
    ...   <ANNOTATION_VALUE>check the place name</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
    ... </ANNOTATION_DOCUMENT>''')
    >>> [(s.speaker, s.start, s.end, s.text, s.alt) for s in p.segments]
    [('Ann Lee', 1.0, 3.5, '你在哪里长大的？', None), ('B', 4.0, 6.5, '在台南，', 'In Tainan,'), ('B', 6.5, 9.0, '靠近海边。', None)]
    >>> p.meta, p.warnings
    ({'media': 'file:///rec/talk.wav'}, ["tiers left out as no one's words: Notes"])
    """
    root = xml_root(text)
    if root is None:
        return Parsed([], warnings=["no annotations found"])
    if local(root.tag) != "ANNOTATION_DOCUMENT":
        raise FormatError(f"line {root.sourceline or 1}: not an ELAN document (its root is "
                          f"<{local(root.tag)}>, not <ANNOTATION_DOCUMENT>)")
    times = _slot_times(root)
    tiers = {t.get("TIER_ID", ""): t for t in root.iter("TIER")}
    parent = {name: t.get("PARENT_REF") for name, t in tiers.items()}

    def top(name: str) -> str:
        seen = set()
        while parent.get(name) in tiers and name not in seen:
            seen.add(name)
            name = parent[name]
        return name

    # every annotation: its tier, its own times (time-aligned) or what it hangs on, its words
    aligned: dict[str, tuple[str, float | None, float | None]] = {}
    refers: dict[str, str] = {}
    words: dict[str, str] = {}
    order: dict[str, int] = {}
    tier_of: dict[str, str] = {}
    for name, tier in tiers.items():
        for a in tier.iter("ALIGNABLE_ANNOTATION", "REF_ANNOTATION"):
            aid = a.get("ANNOTATION_ID", "")
            tier_of[aid], order[aid], words[aid] = name, len(order), _value(a)
            if local(a.tag) == "ALIGNABLE_ANNOTATION":
                aligned[aid] = (name, times.get(a.get("TIME_SLOT_REF1", "")),
                                times.get(a.get("TIME_SLOT_REF2", "")))
            else:
                refers[aid] = a.get("ANNOTATION_REF", "")
    # each top tier's annotations, in time order, to find what a time-aligned child falls in
    spans: dict[str, list[tuple[float, float, str]]] = {}
    for aid, (name, start, end) in aligned.items():
        if parent.get(name) not in tiers and start is not None:
            spans.setdefault(name, []).append((start, end if end is not None else start, aid))
    for found in spans.values():
        found.sort()

    def turn_of(aid: str, depth: int = 0) -> str | None:
        """The top tier's annotation an annotation belongs to."""
        if depth > 50 or aid not in tier_of:
            return None
        if aid in refers:
            return turn_of(refers[aid], depth + 1)
        name, start, end = aligned[aid]
        head = top(name)
        if head == name:
            return aid
        if start is None:
            return None
        middle = (start + (end if end is not None else start)) / 2
        i = bisect.bisect_right(spans.get(head, []), (middle, float("inf"), "")) - 1
        return spans[head][i][2] if i >= 0 and spans[head][i][1] >= middle else None

    groups: dict[str, list[str]] = {}
    for name in tiers:
        groups.setdefault(top(name), []).append(name)
    by_head: dict[str, list[tuple[float, int, Segment]]] = {}
    left_out: list[str] = []
    for head, members in groups.items():
        spoken = _speech_tier(head, members, tiers, words, tier_of)
        if spoken is None:
            if any(words[a] for a in tier_of if tier_of[a] == head):
                left_out.append(head)
            continue
        translation = next((m for m in members if m not in (head, spoken) and _kind(tiers[m]) == "translation"), None)
        texts, alts = _by_turn(spoken, tier_of, words, order, turn_of), (
            _by_turn(translation, tier_of, words, order, turn_of) if translation else {})
        speaker = _speaker(tiers[spoken], tiers[head])
        for aid, value in texts.items():
            _, start, end = aligned.get(aid, (head, None, None))
            segment = Segment(value, speaker, start, end, alt=alts.get(aid))
            by_head.setdefault(head, []).append(
                (start if start is not None else float("inf"), order[aid], segment))
    # one speaker's words cut two ways (sentences, and intonation units beneath their own top
    # tier): the coarser cut is the turns
    again = _segmented_again(by_head)
    said = [x for head, xs in by_head.items() if head not in again for x in xs]
    warnings = [f"tiers left out as no one's words: {', '.join(left_out)}"] if left_out else []
    if again:
        warnings.append(f"tiers left out as another cut of the same words: {', '.join(again)}")
    if not said:
        return Parsed([], warnings=["no annotations found", *warnings])
    media = next((m.get("MEDIA_URL") for m in root.iter("MEDIA_DESCRIPTOR") if m.get("MEDIA_URL")), None)
    return Parsed([s for *_, s in sorted(said, key=lambda x: x[:2])],
                  meta={"media": media} if media else {}, warnings=warnings)


def _segmented_again(by_head: dict[str, list[tuple[float, int, Segment]]]) -> list[str]:
    """Top tiers whose turns are another cut of the same speaker's words as another top
    tier's: the same speaker, over half of the time shared. Of two such, the one cut finer (more
    turns) is left out."""
    spans = {
        head: sorted((s.start, s.end if s.end is not None else s.start)
                     for *_, s in xs if s.start is not None)
        for head, xs in by_head.items()
    }

    def shared(a: list, b: list) -> float:
        i = j = 0
        total = 0.0
        while i < len(a) and j < len(b):
            total += max(0.0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return total

    out: list[str] = []
    heads = sorted(by_head, key=lambda h: (len(by_head[h]), h))
    for fine in heads[::-1]:
        for coarse in heads:
            if coarse == fine or coarse in out or len(by_head[coarse]) > len(by_head[fine]):
                continue
            if by_head[coarse][0][2].speaker != by_head[fine][0][2].speaker:
                continue
            length = sum(e - s for s, e in spans[fine]) or 1.0
            if shared(spans[fine], spans[coarse]) > 0.5 * length:
                out.append(fine)
                break
    return sorted(out)


def _slot_times(root) -> dict[str, float | None]:
    """Each time slot's time in seconds; a slot without a value (unaligned) is placed evenly
    between the nearest ones before and after it that have one.

    >>> from lxml import etree
    >>> _slot_times(etree.fromstring('<T><TIME_SLOT TIME_SLOT_ID="a" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="b"/>'
    ...                              '<TIME_SLOT TIME_SLOT_ID="c"/><TIME_SLOT TIME_SLOT_ID="d" TIME_VALUE="4000"/></T>'))
    {'a': 1.0, 'b': 2.0, 'c': 3.0, 'd': 4.0}
    """
    slots: list[tuple[str, float | None]] = []
    for slot in root.iter("TIME_SLOT"):
        value = slot.get("TIME_VALUE")
        try:
            slots.append((slot.get("TIME_SLOT_ID", ""), int(value) / 1000 if value not in (None, "") else None))
        except ValueError:
            raise FormatError(f"line {slot.sourceline}: bad TIME_VALUE {value!r}") from None
    out: dict[str, float | None] = {}
    known = [i for i, (_, t) in enumerate(slots) if t is not None]
    for i, (name, t) in enumerate(slots):
        if t is None:
            before = max((k for k in known if k < i), default=None)
            after = min((k for k in known if k > i), default=None)
            if before is not None and after is not None:
                t0, t1 = slots[before][1], slots[after][1]
                t = t0 + (t1 - t0) * (i - before) / (after - before)
            elif before is not None:
                t = slots[before][1]
        out[name] = t
    return out


def _kind(tier) -> str:
    """What a tier holds, by its name, else its type ("Gloss" of type `translation` is a gloss):
    "translation", "transcription" (so named), "words", "other", or "speech" when neither says."""
    name = tier.get("TIER_ID", "").replace("@", " ")
    kind = tier.get("LINGUISTIC_TYPE_REF", "")
    if re.search(r"translit|romaniz", f"{name} {kind}", re.I) or _NOTES.search(name):
        return "other"
    for label in (name, kind):
        for pattern, what in ((_TRANSLATION, "translation"), (_TRANSCRIPTION, "transcription"),
                              (_WORD_TIER, "words"), (_NOT_SPEECH, "other")):
            if pattern.search(label):
                return what
    return "speech"


def _speech_tier(head, members, tiers, words, tier_of) -> str | None:
    """The tier of a speaker's words among a top tier and those beneath it: one named for a
    transcription, else the top tier when it holds words, else a word tier (joined)."""
    def has_words(name: str) -> bool:
        return any(re.search(r"[^\W\d_]", words[a]) for a in tier_of if tier_of[a] == name)

    named = [m for m in members if _kind(tiers[m]) in ("transcription", "speech") and has_words(m)]
    if head in named and not any(m != head and _kind(tiers[m]) == "transcription" for m in named):
        return head
    named = [m for m in named if m != head] or named
    if named:
        return named[0]
    return next((m for m in members if _kind(tiers[m]) == "words" and has_words(m)), None)


def _by_turn(tier: str, tier_of, words, order, turn_of) -> dict[str, str]:
    """A tier's words gathered by the turn (the top tier's annotation) they belong to."""
    pieces: dict[str, list[tuple[int, str]]] = {}
    for aid, name in tier_of.items():
        if name == tier and words[aid] and (turn := turn_of(aid)) is not None:
            pieces.setdefault(turn, []).append((order[aid], words[aid]))
    return {turn: join_all([w for _, w in sorted(ws)]) for turn, ws in pieces.items()}


def _speaker(tier, head) -> str | None:
    """Who speaks a tier: its participant, else the name its ID gives (`ref@SP1`: SP1;
    `Dzala Sentence`: Dzala)."""
    for t in (tier, head):
        if name := (t.get("PARTICIPANT") or "").strip():
            return name
    tier_id = head.get("TIER_ID", "").strip()
    if "@" in tier_id:
        return tier_id.rsplit("@", 1)[1] or tier_id
    rest = " ".join(w for w in tier_id.split() if not (_TRANSCRIPTION.fullmatch(w) or _NOT_SPEECH.fullmatch(w)))
    return rest or tier_id or None


def _value(annotation) -> str:
    """An annotation's words, on one line."""
    value = next(annotation.iter("ANNOTATION_VALUE"), None)
    return " ".join((value.text or "").split()) if value is not None else ""
