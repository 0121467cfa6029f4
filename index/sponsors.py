"""Sponsor reads: the host's advertisement inside a podcast's speech ("This portion of the show
is brought to you by Linode. … Just visit talkpython.fm/Linode."). They are the document's,
not anybody's answer, so their sentences become context (kept, shown beside a passage, never
quoted), as a write-up's editor's notes are.

A read opens with a sponsor's formula and ends with the last sentence, within a minute or two,
that sends the listener somewhere (an address with a path, a promo code, a free offer, a name
spelled out); without one, only the opening sentence is the read's.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.chunk import split_sentences
from index.formats.base import Parsed, Segment
from index.formats.lines import join_all

_OPENS = re.compile(
    r"\b(?:is|are|was|has been|have been)\s+(?:also\s+)?brought\s+to\s+you\s+by\b|"
    r"\b(?:episode|show|podcast|program|programme|portion|segment)\b[^.?!]{0,40}?\b"
    r"(?:is|was|has been)\s+(?:sponsored|supported|made possible|underwritten)\s+by\b|"
    r"\bsupport\s+for\s+(?:this|the)\s+(?:show|podcast|episode|program)\s+comes\s+from\b|"
    r"\b(?:a\s+)?(?:quick\s+)?word\s+from\s+(?:our|this\s+week's|today's)\s+sponsors?\b|"
    r"(?:本期|本集|本|这期|這期)(?:节目|節目|播客)?由.{1,20}(?:赞助|贊助|冠名)",
    re.I,
)
_SENDS = re.compile(
    r"\b[\w-]+\.(?:com|fm|io|org|net|co|ai|dev|app|tv|us|show)/[\w/.-]+|"
    r"\b(?:promo|coupon|discount|offer)\s+code\b|\buse\s+(?:the\s+)?code\b|\bfree\s+trial\b|"
    r"\b(?:months?|weeks?)\s+(?:for\s+)?free\b|\bmoney-back\b|\b(?:[A-Z]-){3,}[A-Z]\b|"
    r"\bfor\s+free\s+at\s+\w|"
    r"\b(?:visit|go\s+to|head\s+(?:over\s+)?to|check\s+out)\s+[\w-]+\.(?:com|fm|io|org|net|co|ai|dev|app|tv)\b",
    re.I,
)
WITHIN = 150.0  # seconds from the opening to the read's last sentence, at most
SENTENCES = 24  # ... or sentences, where the file has no times


def sponsor_reads(parsed: Parsed) -> Parsed:
    """The file with its sponsor reads made context (each segment cut where a read starts or
    ends), and how many characters they held in `dropped`.

    >>> p = Parsed([Segment("Writing binary files was painful.", "Host", 0.0),
    ...     Segment("This portion is brought to you by Linode. Plans start at $5.", "Host", 5.0),
    ...     Segment("Just visit talkpython.fm/Linode. So, what about Python 4?", "Host", 9.0),
    ...     Segment("Nobody knows.", "Guest", 12.0)])
    >>> [(s.kind, s.text) for s in sponsor_reads(p).segments]  # doctest: +NORMALIZE_WHITESPACE
    [('speech', 'Writing binary files was painful.'),
     ('context', 'This portion is brought to you by Linode. Plans start at $5.'),
     ('context', 'Just visit talkpython.fm/Linode.'), ('speech', 'So, what about Python 4?'),
     ('speech', 'Nobody knows.')]

    Without an address or an offer after it, the opening sentence alone is the read's; a
    guest's "the conference was sponsored by Google" is no read:

    >>> p = Parsed([Segment("Data Stories is brought to you by Click. So, maps?", "Host")])
    >>> [(s.kind, s.text) for s in sponsor_reads(p).segments]
    [('context', 'Data Stories is brought to you by Click.'), ('speech', 'So, maps?')]
    >>> sponsor_reads(Parsed([Segment("The conference was sponsored by Google.", "Ann")])).dropped
    {}
    """
    units: list[tuple[int, str, float | None]] = []  # (segment, sentence, its segment's start)
    for i, seg in enumerate(parsed.segments):
        if seg.kind == "speech":
            units += [(i, s, seg.start) for s in split_sentences(seg.text)]
    ad = [False] * len(units)
    k = 0
    while k < len(units):
        if not _OPENS.search(units[k][1]):
            k += 1
            continue
        start = units[k][2]
        last = k
        for j in range(k + 1, min(len(units), k + SENTENCES + 1)):
            at = units[j][2]
            if start is not None and at is not None and at - start > WITHIN:
                break
            if _SENDS.search(units[j][1]):
                last = j
        for j in range(k, last + 1):
            ad[j] = True
        k = last + 1
    if not any(ad):
        return parsed
    out: list[Segment] = []
    by_segment: dict[int, list[tuple[str, bool]]] = {}
    for (i, s, _), is_ad in zip(units, ad, strict=True):
        by_segment.setdefault(i, []).append((s, is_ad))
    for i, seg in enumerate(parsed.segments):
        parts = by_segment.get(i)
        if not parts or not any(is_ad for _, is_ad in parts):
            out.append(seg)
            continue
        runs: list[tuple[bool, list[str]]] = []
        for s, is_ad in parts:
            if runs and runs[-1][0] == is_ad:
                runs[-1][1].append(s)
            else:
                runs.append((is_ad, [s]))
        for n, (is_ad, ss) in enumerate(runs):
            text = join_all(ss)
            out.append(replace(seg, text=text, kind="context" if is_ad else "speech",
                               alt=seg.alt if n == 0 else None, new_turn=seg.new_turn and n == 0))
    held = sum(len(s) for (_, s, _), is_ad in zip(units, ad, strict=True) if is_ad)
    return replace(parsed, segments=out, dropped={**parsed.dropped, "sponsor reads": held})


# Lines a speech recognizer (Whisper above all) is known to write over silence or music at the
# end of a recording, from the subtitles it learnt on: nobody said them.
_INVENTED = re.compile(
    r"^\s*(?:(?:中文)?字幕(?:由|提供|制作|製作|志愿者|志願者)?.{0,16}Amara\.org.{0,16}|"
    r"Subtitles by the Amara\.org community|Sous-titr.{0,40}Amara\.org.{0,20}|"
    r".{0,12}YoYo Television Series Exclusive|优优独播剧场.{0,40}|"
    r"(?:请|請)不吝(?:点赞|點贊|點讚).{0,40}|明镜需要您的支持.{0,40}|明鏡需要您的支持.{0,40})\s*$",
    re.I,
)


def invented_lines(parsed: Parsed) -> Parsed:
    """The file without the speech segments a speech recognizer is known to invent, and how
    many characters they held in `dropped`.

    >>> p = Parsed([Segment("我们下期再见", None, 2300.0), Segment("优优独播剧场——YoYo Television Series Exclusive", None, 2355.0),
    ...             Segment("字幕由Amara.org社区提供", None, 2360.0)])
    >>> q = invented_lines(p)
    >>> [s.text for s in q.segments], q.dropped
    (['我们下期再见'], {'lines a speech recognizer invents': 56})
    """
    invented = [s.kind == "speech" and bool(_INVENTED.match(s.text)) for s in parsed.segments]
    if not any(invented):
        return parsed
    keep = [s for s, out in zip(parsed.segments, invented, strict=True) if not out]
    gone = sum(len(s.text) for s, out in zip(parsed.segments, invented, strict=True) if out)
    key = "lines a speech recognizer invents"
    return replace(parsed, segments=keep, dropped={**parsed.dropped, key: parsed.dropped.get(key, 0) + gone})
