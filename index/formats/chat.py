"""CHAT transcripts (CHILDES / TalkBank, `.cha`), read with pylangacq.

Conversation-analysis and language corpora keep interviews in CHAT: `@` header lines
(`@Participants:  INV Laura_Smith Investigator, PAR Participant`), one utterance per
`*PAR:` line (continued on TAB-indented lines), dependent tiers (`%mor:`, `%gra:`) after it,
time bullets in milliseconds, and markup for fillers (`&-uh`), retracings (`<after the> [/]`),
unintelligible words (`xxx`) and pauses (`(..)`). pylangacq reads all of that; what is kept is
each utterance's words as said (its tokens, without the markup), its speaker and its times.
Words of Chinese (or Japanese) text, which CHAT separates with spaces, are written together.
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed, Segment
from index.formats.lines import join_all

NAME = "chat"
SUFFIXES = (".cha",)

_UTTERANCE = re.compile(r"^\*[A-Za-z0-9_]{1,8}:\t", re.M)
# CHAT's terminators, as the text writes them (`+...` trails off, `+/.` is interrupted)
_TERMINATORS = {"+...": "…", "+..?": "…?", "+/.": "…", "+/?": "…?", "+//.": "…", "+//?": "…?",
                "+!?": "?!", "+\"/.": ".", "+\".": ".", "+.": "."}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\U00020000-\U0002ffff]")
# a Chinese utterance's ASCII terminator, written as Chinese ends a sentence
_CJK_END = {".": "。", "?": "？", "!": "！"}
# roles of a participant who asks the questions
_ASKING = re.compile(r"^(?:interviewer|investigator|host|examiner|moderator|clinician)$", re.I)


def sniff(text: str) -> float:
    """Confidence that `text` is a CHAT transcript.

    >>> sniff("@UTF8\\n@Begin\\n*PAR:\\tI went home .\\n@End"), sniff("Ann: Hi.")
    (1.0, 0.0)
    """
    head = text[:20000]
    if "@Begin" in head and _UTTERANCE.search(head):
        return 1.0
    return 0.5 if len(_UTTERANCE.findall(head)) >= 3 else 0.0


def _said(words: list[str]) -> str:
    """An utterance's tokens as text: Latin words spaced, Chinese words together.

    >>> _said(["so", "what", "did", "you", "do", "?"]), _said(["即係", "娓娓道來", ",", "噉", "講", "."])
    ('so what did you do?', '即係娓娓道來,噉講。')
    """
    words = [w for w in words if w]
    end = _TERMINATORS.get(words[-1], words[-1]) if words and not re.search(r"\w", words[-1]) else ""
    words = words[:-1] if end else words
    if end in _CJK_END and _CJK.search("".join(words)):
        end = _CJK_END[end]
    return join_all(words) + end


def _display(code: str, name: str) -> str:
    """A participant's name as the transcript gives it, else its code (`XXB`): a name of one
    letter (`A`, as an anonymised corpus writes them) is none."""
    name = name.replace("_", " ").strip()
    return name if len(name) > 1 else code


def parse(text: str) -> Parsed:
    """Parse a CHAT transcript.

    >>> p = parse("@UTF8\\n@Begin\\n@Participants:\\tINV Laura_Smith Investigator, PAR Participant\\n"
    ...           "*INV:\\tso &-uh what did you do <after the> [/] after the war ? \\x151000_4500\\x15\\n"
    ...           "%mor:\\tco|so pro|what\\n*PAR:\\tI went to xxx school (..) in\\n\\tBoston +...\\n@End\\n")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('Laura Smith', 1.0, 4.5, 'so what did you do after the war?'), ('PAR', None, None, 'I went to school in Boston…')]
    >>> p.meta
    {'people': ['Laura Smith', 'PAR'], 'hosts': ['Laura Smith']}
    """
    import pylangacq

    text = text.lstrip("\ufeff")
    if not _UTTERANCE.search(text):
        raise FormatError("line 1: no utterance found: CHAT lines start with `*CODE:` and a TAB")
    try:
        # the dependent tiers (%mor, %gra) are not read: one out of step with the words would
        # empty the utterance's tokens
        chat = pylangacq.CHAT.from_strs([text], parallel=False, strict=False, mor_tier=None,
                                         gra_tier=None)
        headers = chat.headers()[0] if chat.headers() else None
        utterances = chat.utterances()
    except Exception as e:  # pylangacq's (Rust) parser reports its own error types
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise FormatError(f"line 1: not readable as CHAT: {first}") from None
    people = {p.code: _display(p.code, p.name or "") for p in (headers.participants if headers else [])}
    hosts = [people[p.code] for p in (headers.participants if headers else [])
             if _ASKING.match((p.role or "").replace("_", " "))]
    segments = []
    for u in utterances:
        said = _said([t.word for t in u.tokens])
        if not said or not re.search(r"\w", said):
            continue
        marks = u.time_marks
        start, end = (marks[0] / 1000, marks[1] / 1000) if marks else (None, None)
        segments.append(Segment(said, people.get(u.participant, u.participant), start, end))
    # the participants as the header lists them: their labels are shown as written
    meta: dict[str, object] = {"people": list(people.values())} if people else {}
    if hosts:
        meta["hosts"] = hosts
    if headers is not None and headers.date:
        date = headers.date
        meta["date"] = str(min(date) if isinstance(date, set | frozenset | list) else date)
    return Parsed(segments, meta=meta, format=NAME,
                  warnings=[] if segments else ["no utterances found"])
