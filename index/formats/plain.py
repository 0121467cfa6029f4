"""Plain text with `Name: text` (or `Name：text`) speaker labels, as web write-ups print them.

Which `label:` prefixes are speakers is decided from the whole document: a label counts if it
looks like a name or recurs, is not editorial (`注`, `排版`, a glossary entry), and has words
after it. Around the speech, a scraped page carries headings, editor's notes, glossaries,
captions, article titles and app chrome: chrome is dropped line by line, the rest becomes
context. The line walker here is shared by the timestamped, Markdown and Word parsers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from index.clean import ends_sentence, is_cruft, is_editor_note, is_heading, is_the_end, repair
from index.formats.base import Parsed
from index.formats.lines import (
    LIST_ITEM,
    STAGE_WORDS,
    Builder,
    is_stage,
    line_numbers,
    mostly_cjk,
    strip_chrome,
)

NAME = "plain"
SUFFIXES = (".txt",)

_LEAD_BRACKETS = re.compile(r"^\s*(?:[\[(（【][^\[\]()（）【】\n]{1,40}[\])）】]\s*)+")
_LABEL = re.compile(
    r"^\s*(?P<label>[^\s:：,，。!?！？、;；()（）\[\]【】*#>•·\-][^:：,，。!?！？、;；\[\]]{0,24}?)"
    r"\s*[:：]\s*(?P<body>.*)$"
)
# A name of up to four words; a meeting tool's display name may add a team after a dash or a
# bar ("Chris - Base", "Ann Lee | Acme").
# (a capital of any Latin, Greek or Cyrillic alphabet: `Émile Zola`, `JOSÉ ÁLVAREZ`, `Øyvind`)
_UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x530) if chr(c).isupper())
_LATIN_NAME = re.compile(
    rf"^[{_UPPER}][\w.'\-]*(?: (?:[-–|] )?(?:[{_UPPER}][\w.'\-]*|\d{{1,3}}|van|von|de|da|del|der|di|du|la|le|"
    r"bin|al)){0,3}$"
)
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
# An earnings call's or a panel's label: a full name, a comma, the firm or title (`MARK
# MOERDLER, Bernstein Research:`, `Ann Lee, CEO of Acme:`); the person is the name
_WORD = rf"[{_UPPER}][\w.'’&\-]*"
_AFFILIATED = re.compile(
    rf"^\s*(?P<label>{_WORD}(?: {_WORD}){{1,3}}),\s+"
    rf"(?P<firm>{_WORD}(?: (?:{_WORD}|of|and|for|the|&|de|du)){{0,5}})\s*[:：]\s*(?P<body>.*)$"
)
_ALIASED = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（](?P<alias>[^()（）]+)[)）]$")
# A deposition's or a court record's examination: `Q.` for the examining lawyer's question,
# `A.` for the witness's answer, each opening its line.
_QA_DOTTED = re.compile(r"^\s*(?P<label>[QA])\.\s+(?P<body>\S.*)$")
# `**Adam Garrett-Harris** Hello and welcome…`: a name in bold and no colon opening the line
# (Orbit FM's transcripts, after the time), a label where two such names each open two lines
_BOLD_NAMED = re.compile(r"^\s*(?P<m>\*\*|__)(?P<label>[^*\n:：]{1,60}?)(?P=m)\s+(?P<body>\S.*)$")
# A name of two to four words in capitals and a full stop opening the paragraph, as a press
# conference's or a court's record labels its speakers (`CHAIR POWELL.  Good afternoon.`,
# `NANCY MARSHALL-GENZER.  Hi.`, `MR. SMITH.  Objection.`).
_CAPS_NAMED = re.compile(
    r"^\s*(?P<label>(?:[A-Z][A-Z'’\-]*\.?\s+){1,3}[A-Z][A-Z'’\-]+)\.\s+(?P<body>\S.*)$"
)
# A hearing's or a legislature's record (the US Government Publishing Office's hearings, the
# Congressional Record): a title and the surname in capitals, then a full stop, opening the
# paragraph (`Mr. GOSS. That sounds great.`, `Chairman JOHNSON [continuing]. So…`,
# `Mrs. BLACKBURN of Tennessee. …`, `The CHAIRMAN. …`).
TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Chairman|Chairwoman|Chairperson|Chair|Vice Chairman|Vice Chair|"
    r"Senator|Representative|Delegate|Secretary|Ambassador|General|Admiral|Governor|Judge|"
    r"Justice|Commissioner|Director|Mayor|Councilmember|Professor|Dean|Reverend|Father|Sister|"
    r"Sir|Dame|Lord|Lady"
)
_TITLED = re.compile(
    rf"^\s*(?P<label>(?:(?:{TITLES})\.?\s+[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+)*"
    r"(?:\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?|"
    r"The\s+(?:CHAIRMAN|CHAIRWOMAN|CHAIR|VICE\s+CHAIR(?:MAN)?|PRESIDENT|VICE\s+PRESIDENT|SPEAKER|"
    r"PRESIDING\s+OFFICER|ACTING\s+CHAIR(?:MAN)?|CLERK|SECRETARY|WITNESS|COURT|MODERATOR)"
    r"(?:\s+pro\s+tempore)?))"
    r"(?:\s*\[[a-z ]+\])?\.\s+(?P<body>\S.*)$"
)
# A question-and-answer write-up's labels (`问：… 答：…`), one character each.
_QA_MARKS = frozenset("问問答")
# Labels that mark editorial or page furniture, never a person speaking.
_NOT_SPEAKERS = frozenset(
    "注 编者注 編者注 编者按 編者按 译者注 譯者注 排版 编辑 編輯 责编 責編 "
    "作者 来源 來源 译者 譯者 "
    "编译 編譯 校对 校對 图 圖 图片 圖片 题图 題圖 文集 频道 頻道 支付 标签 標籤 原文 链接 鏈接 "
    "时间 時間 日期 摘要 导语 導語 提示 "
    "Note Notes Source Editor Photo Image Tags Summary Transcript Title Date Link Links Update "
    "Correction Disclaimer Caption Credit Credits Published Updated Keywords Chapters Timestamps "
    "Warning Tip Http Https "
    # a notice's or a form's fields (a hearing's advisory: `Contact: (202) 225-9263`)
    "Contact Phone Tel Fax Email E-mail Address Website Location Venue Agenda Attendees "
    "Subject".split()
) | {"Please Note", "Please note", "Note Well"}


@dataclass(frozen=True)
class Line:
    """One source line, as a format's grammar reads it, before speakers are decided.

    `text` is the line without markup or timestamps; `label`/`body` split a `label:` prefix
    off it (the label may turn out to be no speaker); `strong` when markup or a timestamp says
    the label is a speaker; `header` when the label or timestamp stands alone and the words
    follow on the next lines; `heading` when markup says this is a heading. `tentative` labels
    are speakers only where the document has enough of them: "qa" for a deposition's `Q.` or
    `A.` (where the document alternates them), "caps" for a name in capitals and a full stop
    (where one of them recurs), "bold" for a name in bold without a colon (where two recur).
    """

    text: str
    label: str | None = None
    body: str = ""
    start: float | None = None
    strong: bool = False
    header: bool = False
    heading: bool = False
    tentative: str = ""


def split_label(text: str, start: float | None = None) -> Line:
    """Read a `label: body` prefix, if the line has one.

    >>> line = split_label("Sarah Guo： 你好吗?")
    >>> line.label, line.body
    ('Sarah Guo', '你好吗?')
    >>> split_label("10:30 we met").label is None
    True

    A stage direction before the label stays with the words (where it is dropped later):

    >>> line = split_label("[MUSIC PLAYING] ANN LEE: Hi.")
    >>> line.label, line.body
    ('ANN LEE', '[MUSIC PLAYING] Hi.')

    A hearing's record labels a turn with a title, the surname in capitals and a full stop:

    >>> [split_label(s).label for s in ["    Mr. GOSS. Thank you.",
    ...     "Chairman JOHNSON [continuing]. So.", "The CHAIRMAN. Order.", "Mr. Goss. Hi."]]
    ['Mr. GOSS', 'Chairman JOHNSON', 'The CHAIRMAN', None]
    >>> [split_label(s).label for s in ["Mrs. BLACKBURN of Tennessee. Yes.",
    ...     "The SPEAKER pro tempore. Without objection."]]
    ['Mrs. BLACKBURN of Tennessee', 'The SPEAKER pro tempore']

    A deposition's `Q.` and `A.` (which `speakers` accepts only where they alternate):

    >>> [(ln.label, ln.body, ln.tentative) for ln in map(split_label, ["Q. Your name?", "A. Ann."])]
    [('Q', 'Your name?', 'qa'), ('A', 'Ann.', 'qa')]

    ... and a press conference's record, a name in capitals and a full stop (which `speakers`
    accepts only where one of them recurs):

    >>> [(ln.label, ln.body, ln.tentative) for ln in map(split_label, ["CHAIR POWELL.  Good afternoon."])]
    [('CHAIR POWELL', 'Good afternoon.', 'caps')]
    >>> split_label("WELCOME BACK. TONIGHT WE ARE JOINED BY THE FIRE CHIEF.").label is None
    True

    An earnings call names each analyst's firm after a comma, the first time (the person is
    the name; one name before a comma, `Nair, Priya`, is no such label):

    >>> [split_label(s).label for s in ["MARK MOERDLER, Bernstein Research: Thank you.",
    ...     "Ann Lee, CEO of Acme: Hi.", "KARL KEIRSTEAD, UBS: Yes.", "Nair, Priya: Hello."]]
    ['MARK MOERDLER', 'Ann Lee', 'KARL KEIRSTEAD', None]
    """
    if qa := _QA_DOTTED.match(text):
        return Line(text, qa["label"], qa["body"].strip(), start, tentative="qa")
    if _EXAMINER.match(text) or _TITLE_WITNESS.match(text):  # `BY MR. SMITH:`, `INTERVIEW OF: ANN LEE`
        return Line(text, start=start)
    # (in text all in capitals, as broadcast captions are, "WELCOME BACK." opens a sentence)
    if (caps := _CAPS_NAMED.match(text)) and re.search(r"[a-z]", caps["body"]):
        return Line(text, caps["label"], caps["body"].strip(), start, tentative="caps")
    if (bold := _BOLD_NAMED.match(text)) and _names(bold["label"].strip()):
        return Line(text, bold["label"].strip(), bold["body"].strip(), start, strong=True, tentative="bold")
    if titled := _TITLED.match(text):  # `Mr. GOSS. That sounds great.`: a record's label
        return Line(text, titled["label"], titled["body"].strip(), start, strong=True)
    if firm := _AFFILIATED.match(text):  # `MARK MOERDLER, Bernstein Research: Thank you.`
        return Line(text, firm["label"], firm["body"].strip(), start)
    lead = _LEAD_BRACKETS.match(text)
    stage = lead.group(0) if lead and is_stage(lead.group(0)) else ""
    m = _LABEL.match(text[len(stage) :])
    if not m or m["label"].strip().replace(" ", "").isdigit():
        return Line(text, start=start)
    body = " ".join(part for part in (stage.strip(), m["body"].strip()) if part)
    return Line(text, m["label"].strip(), body, start)


def looks_like_name(label: str) -> bool:
    """A personal name or a generic speaker tag, in Latin or Chinese script.

    >>> [looks_like_name(s) for s in ["Andrej Karpathy", "Speaker 1", "主持人", "所以问题就是"]]
    [True, True, True, False]
    >>> looks_like_name("Chris - Base"), looks_like_name("Ann Lee | Acme"), looks_like_name("Well - so")
    (True, True, False)
    """
    return bool(_LATIN_NAME.match(label) or _CJK_NAME.match(label))


def speaker_tag(label: str) -> bool:
    """A name or a generic speaker tag (`looks_like_name`), or a question-and-answer
    write-up's one-character label (`问`, `問`, `答`).

    >>> [speaker_tag(s) for s in ["問", "答", "唐鳳", "所以问题就是"]]
    [True, True, True, False]
    """
    return looks_like_name(label) or label in _QA_MARKS


def names_a_person(label: str) -> bool:
    """A name that may speak, or one with a tag or its other spelling in brackets, as Zoom
    shows a participant (`Ashlee Kupor (SL)`, `李明 (Li Ming)`). A write-up's gloss has that
    shape too (`倒立擺(Inverted Pendulum)：…`), so text that has both asks for more.

    >>> names_a_person("Ashlee Kupor (SL)"), names_a_person("Ann Lee"), names_a_person("So (well)")
    (True, True, False)
    """
    if looks_like_name(label):
        return may_speak(label)
    m = aliased(label)
    return bool(m and may_speak(m["name"]))


def aliased(label: str) -> re.Match[str] | None:
    """A name with its other spelling or a tag in brackets, each part a name (`李明 (Li Ming)`,
    `Ashlee Kupor (SL)`): the match, with its `name` and `alias`."""
    m = _ALIASED.match(label)
    return m if m and looks_like_name(m["name"]) and looks_like_name(m["alias"]) else None


# A numbered thing ("GCP Podcast Episode 202: Supersolid …", "Part 2: …", "Question 3: …") is
# a title or a list item, not a voice
# A line of a transcript file's own bookkeeping (`_page : 168`, `_tape : Tape 36/3`, Spacelog's
# mission transcripts): a key with a leading underscore, a space, a colon. (`_Note:_` is emphasis.)
FIELD = re.compile(r"^_[a-z]+\s+:(?:\s|$)")

_NUMBERED_THING = re.compile(
    r"\b(?:episode|ep|part|chapter|season|series|vol|volume|track|step|figure|fig|table|section|"
    r"lesson|question|item|slide|page)\.?\s*#?\d+$",
    re.I,
)


# A record's list of who appears for whom (`APPEARANCES:`, `COUNSEL FOR THE MAJORITY:`, `ON
# BEHALF OF THE PLAINTIFF:`, `ALSO PRESENT:`): a heading over names, nobody speaking.
_APPEARANCES = re.compile(
    r"^(?:APPEARANCES|ALSO PRESENT|PRESENT|IN ATTENDANCE|(?:[A-Z]+ )*(?:FOR|ON BEHALF OF) (?:THE )?[A-Z][A-Z ,.'’&-]*)$"
)


def may_speak(label: str, line: str = "", body: str = "") -> bool:
    """Whether a label could be a speaker at all: not editorial, not a stage direction.

    >>> may_speak("Karpathy"), may_speak("注"), may_speak("倒立擺(Inverted Pendulum)", "", "涉及")
    (True, False, False)
    >>> may_speak("GCP Podcast Episode 202"), may_speak("Part 2"), may_speak("Speaker 2"), may_speak("_page")
    (False, False, True, False)
    >>> may_speak("COUNSEL FOR THE MAJORITY"), may_speak("ON BEHALF OF THE PLAINTIFF"), may_speak("THE WITNESS")
    (False, False, True)
    """
    return (
        not _NUMBERED_THING.search(label)
        and not _APPEARANCES.match(label)
        and not label.startswith("_")  # a field of the file's markup: `_page : 168`
        and label not in _NOT_SPEAKERS
        and label.capitalize() not in _NOT_SPEAKERS
        and not is_stage(label)
        and not is_editor_note(line or f"{label}:{body}", label, body)
        and not is_cruft(line or label)
    )


# A deposition names its people around the examination: `BY MR. SMITH:` above the questions
# of the lawyer who asks them; `JOHN DOE, having been first duly sworn, …` (or `Whereupon,
# JOHN DOE, called as a witness …`) for the witness, who is also `THE WITNESS:` outside it.
_EXAMINER = re.compile(
    r"^\s*(?:(?:(?:RE)?(?:DIRECT|CROSS)[- ]?|RE)?EXAMINATION\s+)?"
    r"BY\s+(?P<name>(?:MR|MS|MRS|MISS|DR)\.?\s+(?:[A-Z][A-Z'’\-]+\s+)?[A-Z][A-Z'’\-]+)\s*:?\s*$"
)
_WITNESS = re.compile(
    r"^\s*(?:Whereupon,?\s+)?(?P<name>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){1,3}),\s+"
    r"(?:having been|being|called as a witness|a witness|was called|who was|after having)"
)
# … or on its title page, where no oath is taken: `DEPOSITION OF JOHN DOE`, `INTERVIEW OF:
# STEPHEN C. LAYCOCK`, `TRANSCRIBED INTERVIEW OF JANE ROE`
_TITLE_WITNESS = re.compile(
    r"^\s*(?:(?:VIDEOTAPED|VIDEO|ORAL|TRANSCRIBED|RECORDED|CONTINUED)\s+)*"
    r"(?:DEPOSITION|INTERVIEW|TESTIMONY|EXAMINATION|STATEMENT)\s+OF:?\s+"
    r"(?P<name>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){1,3})\s*$"
)


def _names(label: str) -> bool:
    """A name, or several speaking at once (`Jen Luker & Adam Garrett-Harris`, `ALL`).

    >>> [_names(s) for s in ("Jen Luker", "Jen Luker & Adam Garrett-Harris", "ALL", "the end")]
    [True, True, True, False]
    """
    parts = re.split(r"\s*(?:&|\band\b|,)\s*", label)
    return label.upper() in ("ALL", "BOTH", "EVERYONE") or all(p and looks_like_name(p) for p in parts)


def settle(lines: list[Line]) -> list[Line]:
    """The lines with their tentative labels decided for the whole document: a deposition's
    `Q.` and `A.` are labels where each opens two lines or more (named after the lawyer of the
    `BY MR. SMITH:` line above and the sworn witness, where the record names them); a name in
    capitals and a full stop is a label where one such label opens two paragraphs or more.
    Others are read as the sentences they are.

    >>> [ln.label for ln in settle([split_label(s) for s in ["Q. Name?", "A. Ann.", "Q. Age?", "A. 40."]])]
    ['Q', 'A', 'Q', 'A']
    >>> [ln.label for ln in settle([split_label(s) for s in ["Ann: Hi.", "A. Lincoln said so."]])]
    ['Ann', None]
    >>> record = ["ANN LEE, having been first duly sworn, testified as follows:", "BY MR. SMITH:",
    ...           "Q. Your name?", "A. Ann Lee.", "Q. Age?", "A. 40.", "THE WITNESS: Sorry, 41."]
    >>> [ln.label for ln in settle([split_label(s) for s in record])]
    [None, None, 'MR. SMITH', 'ANN LEE', 'MR. SMITH', 'ANN LEE', 'ANN LEE']
    >>> record = ["INTERVIEW OF: ANN LEE", "BY MS. ROE:", "Q. Your name?", "A. Ann Lee.", "Q. Age?", "A. 40."]
    >>> [ln.label for ln in settle([split_label(s) for s in record])]
    [None, None, 'MS. ROE', 'ANN LEE', 'MS. ROE', 'ANN LEE']
    >>> [ln.label for ln in settle([split_label(s) for s in ["CHAIR POWELL. Hi.", "ANN LEE. Why?", "CHAIR POWELL. So."]])]
    ['CHAIR POWELL', 'ANN LEE', 'CHAIR POWELL']
    >>> [ln.label for ln in settle([split_label(s) for s in ["Ann: Hi.", "I SAID NO. And I meant it."]])]
    ['Ann', None]
    >>> [ln.label for ln in settle([split_label(s) for s in ["**Ann Lee** Hi.", "**Bo** Yo.",
    ...     "**Ann Lee** Why?", "**Bo** No."]])]
    ['Ann Lee', 'Bo', 'Ann Lee', 'Bo']
    >>> [ln.label for ln in settle([split_label(s) for s in ["**Note** the date.", "Ann: Hi."]])]
    [None, 'Ann']

    A name alone on its line with a colon heads the words below it, where two names do so:

    >>> [ln.header for ln in settle([split_label(s) for s in ["Ann Lee:", "Hi?", "Bo:", "Yo.", "Ann Lee:", "So?", "Bo:", "No."]])]
    [True, False, True, False, True, False, True, False]
    """
    # a question is `Q.`, or `Q:` (as a wide space after `Q` is read)
    examined = Counter(ln.label for ln in lines if ln.tentative == "qa" or ln.label == "Q" and not ln.tentative)
    named = Counter(ln.label for ln in lines if ln.tentative == "caps")
    bold = Counter(ln.label for ln in lines if ln.tentative == "bold")
    sure = {"qa": min(examined["Q"], examined["A"]) >= 2, "caps": max(named.values(), default=0) >= 2,
            "bold": sum(n >= 2 for n in bold.values()) >= 2}
    witness = None
    if sure["qa"]:  # the witness's name may end the line that the oath goes on from
        texts = [ln.text for ln in lines if ln.text.strip()]
        witness = next((m["name"] for a, b in zip(texts, [*texts[1:], ""], strict=True)
                        if (m := _WITNESS.match(f"{a} {b}"))), None)
        witness = witness or next((m["name"] for t in texts if (m := _TITLE_WITNESS.match(t))), None)
    # `Stephan Livera:` alone on its line, the words below it: a label standing as a header,
    # where two names or more each do so twice or more (a "Summary:" above a list is no name)
    alone = recurring(
        ln.label for ln in lines
        if ln.label and not ln.body and not ln.header and not ln.tentative
        and looks_like_name(ln.label) and may_speak(ln.label) and not discourse_word(ln.label)
    )
    examiner = None
    out = []
    for ln in lines:
        if ln.label in alone and not ln.body:
            ln = replace(ln, header=True)
        if sure["qa"] and (m := _EXAMINER.match(ln.text)):
            examiner = m["name"]
        if ln.tentative and not sure[ln.tentative]:
            ln = Line(ln.text, start=ln.start)
        elif ln.label == "Q" and ln.tentative in ("qa", "") and examiner:
            ln = replace(ln, label=examiner)
        elif witness and (ln.tentative == "qa" and ln.label == "A" or (ln.label or "").upper() == "THE WITNESS"):
            ln = replace(ln, label=witness)
        out.append(ln)
    return out


# Words a speaker opens a sentence with before a colon ("Seriously: slower."), which look like
# a name's one word: an adverb in -ly (not a name's -ley, -rly: Bradley, Kimberly), a few others
_DISCOURSE = frozenset(
    "anyway however also plus look listen note update example answer result summary tip "
    "warning bonus spoiler edit yes no okay ok well so now then first second third next again "
    "remember meanwhile besides otherwise instead still therefore".split()
)


def discourse_word(label: str) -> bool:
    """Is a one-word label a word that opens a sentence rather than a name?

    >>> [discourse_word(w) for w in ("Seriously", "Honestly", "Anyway", "Emily", "Bradley", "Kimberly", "Ines")]
    [True, True, True, False, False, False, False]
    """
    w = label.lower()
    if " " in w:
        return False
    return w in _DISCOURSE or (len(w) >= 7 and w.endswith("ly") and not w.endswith(("ley", "rly")))


# the people an oral history's header names (`INTERVIEWEE: Jane Roe`), and its other fields
INTERVIEW_ROLES = r"interviewees?|interviewers?|受访者|受訪者|采访者|採訪者"
_FIELD_NAME = re.compile(
    rf"^(?:{INTERVIEW_ROLES}|narrators?|date|dates|location|place|transcriber|"
    r"transcribed by|session|tape|audio|访谈者|訪談者|时间|時間|地点|地點|日期)$",
    re.I,
)


# a field of a header above the conversation (`访谈日期：2024年3月15日`, `Participant ID: P07`)
_FIELD_WORD = re.compile(
    r"日期|时间|時間|地点|地點|编号|編號|时长|時長|备注|備註|转录|轉錄|记录|記錄|主题|主題|项目|項目|"
    rf"\b(?:{INTERVIEW_ROLES}|participants?|respondents?|date|time|location|place|venue|duration|"
    r"length|id|transcri\w*|project|study|topic|session|recorded|notes?)\b",
    re.I,
)


def field_block(lines: list[Line]) -> set[int]:
    """The lines of a header of fields above the conversation (`访谈者：林老师`, `Date:
    2024-03-20`): a block of `field: short value` lines at the top, under a title at most,
    that names a date, a place, a role or an ID, with a blank line and a labelled line after
    it. Its labels may recur as the speakers' (`访谈者：王老师您好，…`): there they are fields.

    >>> rows = ["远程办公访谈", "访谈日期：2024年3月15日", "访谈者：林老师", "备注：同意录音", "",
    ...         "访谈者：王老师您好，请介绍一下自己。", "受访者：我姓王。"]
    >>> sorted(field_block([split_label(s) for s in rows]))
    [1, 2, 3]
    >>> field_block([split_label(s) for s in ["Ann: Hi", "Bo: Hello", "", "Ann: So?"]])
    set()
    """
    top = next((i for i, ln in enumerate(lines) if ln.text.strip()), len(lines))
    block: list[int] = []
    titled = False
    for i in range(top, len(lines)):
        ln = lines[i]
        body = ln.body.strip()
        if not ln.text.strip():
            break
        if ln.label and body and len(body) <= 40 and len(body.split()) <= 8 and not ends_sentence(body):
            block.append(i)
        elif not ln.label and not block and not titled:
            titled = True  # the transcript's title
        else:
            return set()
    else:
        return set()
    after = next((ln for ln in lines[i + 1:] if ln.text.strip()), None)
    fields = sum(bool(_FIELD_WORD.search(lines[j].label or "")) for j in block)
    if len(block) >= 2 and fields and after is not None and after.label:
        return set(block)
    return set()


def speakers(lines: list[Line]) -> frozenset[str]:
    """The labels that are speakers in this document (whose tentative labels `settle` has
    decided).

    A label with words after it (or standing alone as a header) is a speaker when it looks
    like a name, recurs three times, or is marked up as a label (bold, or with a time). A
    Chinese label seen once needs a sentence after it, since any short word looks like a name.

    >>> sorted(speakers([split_label(s) for s in ["NoPriors:问?", "Karpathy:答。", "Priors:问?",
    ...     "所以问题就是:如何…", "注:编者的话", "Andrej Karpathy 说"]]))
    ['Karpathy', 'NoPriors', 'Priors']
    >>> sorted(speakers([split_label(s) for s in ["问：为什么？", "答：因为数据不够。", "问：然后呢？"]]))
    ['答', '问']
    >>> sorted(speakers([split_label(s) for s in ["Participant ID: P07", "Interviewer: KM", "",
    ...     "I: A typical shift?", "R: It starts at seven.", "I: Breaks?", "R: Rarely."]]))
    ['I', 'R']
    >>> session = ["INTERVIEWEE: Jane Roe", "INTERVIEWER: John Doe", "DOE: Where did you grow up?",
    ...            "ROE: In Ohio, on a dairy farm."]
    >>> sorted(speakers([split_label(s) for s in session * 2]))
    ['DOE', 'ROE']
    >>> sorted(speakers([split_label(s) for s in ["Frederico Muñoz (FSM): Hello. Who are you?",
    ...     "Carlos Santana (CS): I am Carlos.", "FSM: Why?", "CS: Books.", "FSM: How?", "CS: Votes."]]))
    ['CS', 'Carlos Santana (CS)', 'FSM', 'Frederico Muñoz (FSM)']
    >>> sorted(speakers([split_label(s) for s in ["Sarah Fox: Where?", "李明 (Li Ming): 在东莞。",
    ...     "Sarah Fox: How many?", "李明 (Li Ming): 三百个。", "倒立擺(Inverted Pendulum)：一种控制问题。"]]))
    ['Sarah Fox', '李明 (Li Ming)']
    """
    counts: Counter[str] = Counter()
    strong: set[str] = set()
    sentence: set[str] = set()  # labels with a full sentence after them at least once
    spelled: Counter[str] = Counter()  # `李明 (Li Ming)`: a name with its other spelling
    first: dict[str, int] = {}  # the line each label is first seen on
    bodies: dict[str, str] = {}  # ... and what follows it there
    wordy: set[str] = set()  # labels with more than a few words after them at least once
    for i, ln in enumerate(lines):
        if ln.label:
            first.setdefault(ln.label, i)
        if ln.label and ln.body and aliased(ln.label):
            spelled[ln.label] += 1
        if ln.label and (ln.body or ln.header) and may_speak(ln.label, ln.text, ln.body):
            counts[ln.label] += 1
            bodies.setdefault(ln.label, ln.body)
            if len(ln.body.split()) > 4:
                wordy.add(ln.label)
            if ln.strong:
                strong.add(ln.label)
            if ends_sentence(ln.body.rstrip(")）]】」”\"'")):
                sentence.add(ln.label)
    # A header of fields above the conversation (`Participant ID: P07`, `Interviewer: KM`):
    # labels seen once, with a few words and no sentence, before any label that recurs
    talk = min((first[label] for label, n in counts.items() if n >= 2), default=-1)
    header = {label for label, n in counts.items()
              if n == 1 and first[label] < talk and label not in sentence | strong
              and len(bodies[label].split()) <= 4}
    # ... and an oral history's fields, repeated above each session (`INTERVIEWEE: Jane Roe`):
    # a field's name, never more than a few words after it, never a sentence
    header |= {label for label in counts
               if _FIELD_NAME.match(label) and label not in sentence | strong | wordy}
    return frozenset(
        label
        for label, n in counts.items()
        if label not in header and (
        n >= 3
        or label in strong
        or _LATIN_NAME.match(label) and not (n == 1 and discourse_word(label))
        # Two to four characters is any Chinese word: once, with a title after it
        # (`访谈实录:自动驾驶与机器人`), it is a heading, not a person.
        or ((_CJK_NAME.match(label) or label in _QA_MARKS) and (n >= 2 or label in sentence)))
    ) | {
        # ... and a name given with another spelling, said twice or more (an editor's gloss,
        # `倒立擺(Inverted Pendulum)：…`, has the same shape, once), or once declaring the
        # short form that labels the later turns (`Frederico Muñoz (FSM):`, then `FSM:`)
        label for label, n in spelled.items()
        if n >= 2 or (m := aliased(label)) and m["alias"] in counts and m["alias"] != label
    }


# --- what an edited write-up puts between the turns -------------------------------------------

# `（注:Karpathy 的教育创业项目。）`: an editor's aside inside a speaker's paragraph.
_INLINE_NOTE = re.compile(
    r"[（(]\s*(?:注|编者注|編者注|译者注|譯者注|编者按|編者按|Note|Editor'?s note)\s*[:：]"
    r"[^()（）]*[)）]",
    re.I,
)
# `退化*。`, `Eureka*的`: a footnote or link marker after a word.
_ASTERISKED = re.compile(rf"\*(\s*(?:[\w'-]+\s+){{0,2}}{STAGE_WORDS}\s*)\*", re.I)
_FOOTNOTE = re.compile(r"(?<=[^\s*])\*+(?=[\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef,.;:!?)]|$)")
# `…退化*。Nature 重磅论文:用 AI 生成的数据训练 AI,会让大模型崩溃`: a linked article's title
# pasted after the paragraph it is linked from.
_TAIL = re.compile(r"^(?P<head>.*[。！？!?…」”])(?P<tail>[^。！？!?…」”]+)$")
_HEADLINE = re.compile(r"^[^,，。:：]{2,24}[:：]\s*\S")
# `倒立擺(Inverted Pendulum):…`: the glossed term, to recognise the gloss's next paragraph.
_GLOSSED = re.compile(r"^[“\"]?([^(（“”\"]{2,20}?)[”\"]?\s*[（(]")
_FIRST_PERSON = re.compile(r"我|你|咱|\b(?:I|we|you|my|our)\b", re.I)


def _tail_title(text: str) -> tuple[str, str | None]:
    m = _TAIL.match(text)
    if not m or ends_sentence(text):
        return text, None
    head, tail = m["head"], m["tail"].strip()
    if head.rstrip("。.").endswith("*") or _HEADLINE.match(tail):
        return head, tail
    return text, None


def _title(text: str, body: str) -> bool:
    # `Nature 重磅论文:用 AI 生成的数据训练 AI,会让大模型崩溃`: a linked article's title on a line
    # of its own, `Source: Headline` with no full stop anywhere. Only in Chinese text, where a
    # line is a paragraph; an English line without a full stop is usually just wrapped.
    return mostly_cjk(text) and not _SENTENCE_END.search(body) and not ends_sentence(text)


_SENTENCE_END = re.compile(r"[。！？!?]")
_GENERIC = frozenset("Speaker SPEAKER Host Guest Interviewer Interviewee Moderator".split())


def _third_person(speaker: str, text: str) -> bool:
    # A paragraph that opens with the speaker's own name is an editor writing about them
    # (`Karpathy 創立了 Eureka Labs,…`), not the speaker talking; `Karpathy, you…` is address.
    parts = [p for p in speaker.split() if len(p) >= 3 and p[0].isupper() and p not in _GENERIC]
    if _CJK_NAME.match(speaker):
        parts.append(speaker)
    return any(re.match(rf"{re.escape(p)}(?![\w:：,，])", text) for p in parts)


def _gloss_term(text: str) -> str | None:
    m = _GLOSSED.match(text)
    return m.group(1).strip() if m else None


# A line wholly in square brackets that is no stage direction: the editor's.
# A line wholly in brackets, or in parentheses from a capital, is the record's note:
# `[The prepared statement of Mr. Goss follows:]`, `(Whereupon, at 11:30 a.m., the interview
# was concluded.)`, `(Witness excused.)`
_BRACKETED = re.compile(r"^\[[^\[\]]+\]$|^\([A-Z][^()]{8,}\)$")
# ... and a Chinese note in parentheses on its own line, or as a turn's only words: what the
# room did (`（有人舉手）`, `現場提問：（點頭）`), nobody's words
_HAN_NOTE = re.compile(r"^[（(][^（）()]*[\u3400-\u9fff][^（）()]*[）)]$")
_ADJOURNED = re.compile(r"^[\[(]Whereupon\b.*\b(?:adjourned|concluded|ended|terminated)\b", re.I)
# A line in capitals, two words or more, that ends no sentence (`STATEMENT OF STEPHEN C. GOSS,`
# / `CHIEF ACTUARY, SOCIAL SECURITY ADMINISTRATION` between a hearing's turns).
_CAPITALS = re.compile(r"^(?=(?:.*?\b[A-Z]{2,}\b){2})[A-Z0-9][A-Z0-9 .,'’&/()\-–—]*(?<![.?!])$")

# --- the walker --------------------------------------------------------------------------------


def walk(lines: list[Line], *, headings: bool, edited: bool, ends: bool = False) -> Parsed:
    """Turn a document's lines into segments: speech by speaker, context, dropped chrome.

    `headings`: guess headings from short lines without a full stop (plain text has no
    markup for them). `edited`: the text is a write-up, with a page around it, editor's notes
    and titles inside it (rather than a recording's transcript). `ends`: segments end where
    the next one starts.

    >>> p = walk([split_label(s) for s in ["标题", "A:你好?", "注:旁注", "B:我很好。", "第二段。"]],
    ...          headings=True, edited=True)
    >>> [(s.kind, s.speaker, s.text) for s in p.segments]  # doctest: +NORMALIZE_WHITESPACE
    [('context', None, '标题'), ('speech', 'A', '你好?'), ('context', None, '注:旁注'),
     ('speech', 'B', '我很好。\\n第二段。')]
    """
    lines = settle(lines)
    fields = field_block(lines)  # a header's fields are the document's, never a turn
    lines = [Line(ln.text, heading=True) if i in fields else ln for i, ln in enumerate(lines)]
    who = speakers(lines)
    # a document written in upper and lower case, where a line in capitals is a heading
    letters = [c for ln in lines for c in ln.text if c.isalpha() and c.isascii()]
    cased = sum(c.islower() for c in letters) > 0.5 * len(letters)
    b = Builder()
    if not who and any(ln.text.strip() for ln in lines):
        b.warnings.append("no speaker labels found")
    current: str | None = None  # whose turn it is
    seen = False  # a speaker has spoken: before that, a write-up's text is its page's
    # ... unless a heading with a time ("## [00:00:00] Intro") says a recording has begun:
    # the words under it are speech, by nobody named yet
    timed = False
    closed = False  # page chrome ended the turn: context until the next label
    ended = False  # "[END OF INTERVIEW]": nobody speaks until a label (endnotes, a CV)
    chrome = 0  # page chrome lines since the last kept line
    gloss: str | None = None  # the term of the editor's gloss just passed
    in_list = False  # the last line read was a list item
    pending: float | None = None  # a time alone on its line: when the next turn starts
    for ln in lines:
        text = ln.text.strip()
        if not text and not ln.header:
            b.blank()
            continue
        if FIELD.match(text):  # `_page : 168`, `_tape : Tape 36/3`: the file's bookkeeping
            b.drop("markup", text)
            continue
        timed_before, pending = pending, None
        was_item, in_list = in_list, False
        if is_cruft(text):
            b.drop("page chrome", text)
            chrome += 1
            ended = ended or is_the_end(text)
            continue
        if chrome and edited and seen:
            # A footer (several chrome lines, or chrome then a heading) ends the page: what
            # follows until the next label is the next page's header, not the turn.
            closed = closed or chrome >= 2 or headings and is_heading(text)
        chrome = 0

        if ln.label is not None and ln.label in who:
            seen, closed, ended, gloss, current = True, False, False, None, ln.label
            start = ln.start if ln.start is not None else timed_before
            b.speech("", current, start, new=True, labelled=True)
            if _HAN_NOTE.match(ln.body.strip()):
                b.context(ln.body.strip())
            else:
                _say(b, ln.body, current, edited)
            continue
        if ended and who and ln.label is None:
            if not ln.header:
                b.context(text)
            continue
        if ln.header and ln.label is None:  # a bare timestamp: same speaker, new segment
            b.speech("", current, ln.start, new=True)  # ... unless a label comes next
            pending = ln.start
            continue
        if ln.heading:
            b.context(text)
            if ln.start is not None and not seen:
                timed = True
                b.speech("", None, ln.start, new=True)
            continue
        if (_BRACKETED.match(text) or _HAN_NOTE.match(text)) and not is_stage(text):
            # `[The prepared statement of Mr. Goss follows:]`, `(Whereupon, the Subcommittee
            # was adjourned.)`: the record's editor, between the turns; after the record's end
            # (an errata sheet, the reporter's certificate) nobody speaks until a label
            b.context(text)
            closed = closed or bool(_ADJOURNED.search(text))
            continue
        if is_editor_note(text, ln.label, ln.body) if ln.label else is_editor_note(text):
            b.context(text)
            gloss = _gloss_term(text)
            continue
        if edited and gloss and gloss in text and not _FIRST_PERSON.search(text):
            b.context(text)  # the gloss goes on for another paragraph
            continue
        gloss = None
        if edited and who and (not (seen or timed) or closed):
            b.context(text)
            continue
        item = bool(LIST_ITEM.match(text))  # a list item is a paragraph of its own
        # "2. Open at six" after an item, or "1. …" after "three rules:", is an item, not a
        # numbered heading
        listing, in_list = item and (was_item or b.mid_sentence), item
        if not b.mid_sentence and not listing:
            if headings and (is_heading(text) or cased and _CAPITALS.match(text)):
                b.context(text)
                continue
            if edited and current and _third_person(current, text):
                b.context(text)
                continue
            if edited and ln.label and ln.body and _title(text, ln.body):
                b.context(text)
                continue
        if item:
            b.blank()
        # a new segment at a time, or at a sentence's start in a file without labels, unless
        # a time alone on the line before has just begun one ("0:03" above the words, as a
        # transcript copied from a video page has it)
        if ln.start is not None or (timed_before is None and not who and not b.mid_sentence):
            b.speech("", current, ln.start, new=True)
        _say(b, text, current, edited)
        if item:
            b.blank()
    return b.result(ends=ends)


def ragged(lines: list[Line]) -> bool:
    """Are most lines of Chinese cut off mid-sentence, as a speech recognizer's text is? Then
    a short line without a full stop is no heading: "第二个是那种就是" goes on in the next line.
    (English lines are cut anywhere by wrapping; a heading there must look like one.)

    >>> ragged([split_label(s) for s in ["然后他就爆火了。", "这种有点玄学", "但是值得玩味", "啊"]])
    True
    >>> ragged([split_label(s) for s in ["访谈实录", "A: 你好?", "B: 我很好。", "第二段。"]])
    False
    """
    words = [ln.body if ln.label else ln.text.strip() for ln in lines]
    words = [w for w in words if w.strip() and mostly_cjk(w)]
    return len(words) >= 4 and sum(not ends_sentence(w) for w in words) >= 0.5 * len(words)


def _say(b: Builder, text: str, speaker: str | None, edited: bool) -> None:
    if not edited:
        b.speech(text, speaker)
        return
    notes = _INLINE_NOTE.findall(text)
    text = _INLINE_NOTE.sub("", text)
    text, title = _tail_title(text)
    # `*sighs*` is a stage direction (which `Builder` drops), not a footnote's asterisk
    text = _ASTERISKED.sub(r"[\1]", text)
    b.speech(_FOOTNOTE.sub("", text), speaker)
    for note in notes:
        b.context(note.strip("()（）"))
    if title:
        b.context(title)


# --- the format --------------------------------------------------------------------------------


def sniff(text: str) -> float:
    """Confidence that `text` is plain labelled text: the fallback for any text.

    >>> sniff("Sarah Guo: Hi?\\nElad Gil: Hello."), sniff("just words")
    (0.5, 0.2)
    """
    lines = text[:20000].split("\n")
    named = sum(1 for s in lines if (m := _LABEL.match(s)) and looks_like_name(m["label"].strip()))
    return 0.5 if named >= 2 else 0.3 if named else 0.2 if text.strip() else 0.0


def wrapped_notes(lines: list[str]) -> list[str]:
    """A record's note in parentheses wrapped over two to four lines, as one line.

    >>> wrapped_notes(["A. Thank you.", "(Whereupon, at 11:30 a.m., the", "interview was concluded.)", "ERRATA"])
    ['A. Thank you.', '(Whereupon, at 11:30 a.m., the interview was concluded.)', 'ERRATA']
    >>> wrapped_notes(["(Laughs", "and more"])
    ['(Laughs', 'and more']
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = i
        if _OPEN_NOTE.match(lines[i]):
            for j in range(i + 1, min(i + 4, len(lines))):
                if "(" in lines[j] or not lines[j].strip():
                    break
                if lines[j].rstrip().endswith(")"):
                    end = j
                    break
        out.append(" ".join(part.strip() for part in lines[i : end + 1]) if end > i else lines[i])
        i = end + 1
    return out


_OPEN_NOTE = re.compile(r"^\s*\([A-Z][^()]*$")


def recurring(names: Iterable[str]) -> set[str]:
    """The names that head words twice or more, when two names or more do: the speakers of a
    layout that gives each name a line of its own (one such line that recurs alone is a
    heading, "Introduction").

    >>> sorted(recurring(["Ann", "Bo", "Ann", "Bo", "Cy"])), recurring(["Intro", "Intro", "Cy"])
    (['Ann', 'Bo'], set())
    """
    counts = Counter(names)
    found = {n for n, c in counts.items() if c >= 2}
    return found if len(found) >= 2 else set()


def names_on_their_own_lines(lines: list[str]) -> list[str]:
    """A press or screenplay layout gives each speaker's name a line of its own, their words
    below it: such a name becomes a label of the words that follow (`RACHEL KIM` / `Senator,
    thank you.` -> `RACHEL KIM: Senator, thank you.`). A name counts when two or more of them
    each head two paragraphs or more, none of them labelled already.

    >>> names_on_their_own_lines(["Maria Lopez", "", "How many hives?", "", "Tom Becker", "Seven.",
    ...     "", "Maria Lopez", "", "Hard?", "", "Tom Becker", "", "The heat."])
    ['Maria Lopez: How many hives?', '', 'Tom Becker: Seven.', '', 'Maria Lopez: Hard?', '', 'Tom Becker: The heat.']
    >>> names_on_their_own_lines(["Introduction", "", "Some text.", "", "Introduction", "More."])
    ['Introduction', '', 'Some text.', '', 'Introduction', 'More.']

    Captions one to a line, without punctuation, are no such layout: a short word on a line of
    its own ("OK", "所以") goes on from the line before it.

    >>> names_on_their_own_lines(["為什麼你覺得這是最應該學習的能力嗎", "OK", "那先從自我覺察開始講起來好了",
    ...     "所以", "他們都會把員工的核心職能定義清楚", "OK", "那第二個就是教練式領導的部分", "所以",
    ...     "我們在課程裡面會花很多時間練習"])[1:3]
    ['OK', '那先從自我覺察開始講起來好了']
    """
    if sum(1 for line in lines if (label := split_label(line).label) and looks_like_name(label)) >= 3:
        return lines  # labelled the usual way: a name alone on a line is a heading there
    heads: dict[int, int] = {}  # line of a name -> line of the words below it
    for i, line in enumerate(lines):
        name = line.strip()
        if not name or _LABEL.match(name) or not looks_like_name(name) or not may_speak(name):
            continue
        if i and lines[i - 1].strip() and not ends_sentence(lines[i - 1].strip()):
            continue  # inside a run of caption lines ("…能力嗎" / "OK" / "那先從…"): a word, no name
        below = next((j for j in range(i + 1, min(i + 3, len(lines))) if lines[j].strip()), None)
        if below is not None and not (looks_like_name(lines[below].strip())
                                      and not ends_sentence(lines[below].strip())):
            heads[i] = below
    names = recurring(lines[i].strip() for i in heads)
    if not names:
        return lines
    out: list[str] = []
    skip: set[int] = set()
    for i, line in enumerate(lines):
        if i in skip:
            continue
        if i in heads and line.strip() in names:
            out.append(f"{line.strip()}: {lines[heads[i]].strip()}")
            skip.update(range(i + 1, heads[i] + 1))
        else:
            out.append(line)
    return out


def parse(text: str) -> Parsed:
    """Parse a `Name: text` transcript, repaired (HTML, pinyin) first.

    >>> p = parse("访谈实录\\nA:你好?\\nB:我很好。\\n第二段。\\n打开APP,查看全文")
    >>> [(s.kind, s.speaker, s.text) for s in p.segments]  # doctest: +NORMALIZE_WHITESPACE
    [('context', None, '访谈实录'), ('speech', 'A', '你好?'),
     ('speech', 'B', '我很好。\\n第二段。')]
    >>> p.dropped
    {'page chrome': 10}

    A court reporter's transcript, its lines numbered, its pages cut by form feeds:

    >>> lines = ["BY MR. SMITH:"] + [f"Q. Is {n} right?\\nA. Yes." for n in range(12)]
    >>> page = "\\n".join(f"{n:>2}  {line}" for n, line in enumerate("\\n".join(lines).split("\\n"), 1))
    >>> p = parse("ANN LEE, having been sworn, testified:\\n" + page + "\\n\\fPage 2\\n 1  Q. And?\\n 2  A. No.")
    >>> sorted({s.speaker for s in p.segments if s.kind == "speech"}), p.segments[-1].text, p.dropped
    (['ANN LEE', 'MR. SMITH'], 'No.', {'page headers, footers and numbers': 6, 'line numbers': 43})
    """
    lines, numbered = line_numbers(text.split("\n"))
    lines = names_on_their_own_lines(wrapped_notes(lines))
    chrome = 0
    if "\f" in text:  # pages (as `pdftotext` writes them): their running header and numbers go
        lines, chrome = strip_chrome([page.split("\n") for page in "\n".join(lines).split("\f")])
    split = [split_label(s) for s in repair("\n".join(lines)).split("\n")]
    parsed = walk(split, headings=not ragged(split), edited=True)
    counts = {"page headers, footers and numbers": chrome, "line numbers": numbered}
    return replace(parsed, dropped={**parsed.dropped, **{k: n for k, n in counts.items() if n}})
