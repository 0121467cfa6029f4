"""From a parsed file's segments to speaker turns. Pure: segments in, turns out.

Speakers are decided from the whole document, whatever the format: one person gets one
display name (a truncated label joins its full form, `Priors` -> `No Priors`; CamelCase is
split; a bare surname takes the full name the document spells out; a speaker map renames
diarized labels), and roles come from the front matter when it names hosts or guests, else
from whom a host welcomes or announces as the guests, else from who asks and who talks: the
speaker with most of the answering is the guest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from rapidfuzz.distance import Levenshtein

from index.clean import asks
from index.errors import listing
from index.formats import listed_names
from index.formats.base import Parsed, Segment
from index.formats.plain import INTERVIEW_ROLES, TITLES
from index.types import Turn, in_order

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}$")
# Labels that say nobody knows who spoke: the passage carries no speaker.
_UNIDENTIFIED = re.compile(
    r"^(?:unknown(?: speaker)?(?: \d+)?|unidentified(?: speaker)?(?: \d+)?|inaudible|"
    r"speaker ?\?|\?+|未知(?:说话人|說話人|发言人|發言人)?|不明)$",
    re.I,
)
# Labels of an anonymous questioner (an audience member, a `Q:`/`A:` write-up's interviewer):
# the turn asks, as a host's does, but names nobody, so the passage carries no speaker.
_ASKER = re.compile(
    r"^(?:q|question|questioner|audience(?: member| question)?(?: \d+)?|"
    # 提问, and where it came from: 現場提問 (from the floor), 線上提問 (online), 观众提问
    r"(?:现场|現場|线上|線上|网上|網上|观众|觀眾|听众|聽眾|网友|網友|学员|學員)?(?:提问|提問)|"
    r"观众|觀眾|听众|聽眾|网友|網友|问|問)$",
    re.I,
)
# A speaker who introduces themself as the host, or welcomes the listeners to the show.
_HOSTING = re.compile(
    r"\bI(?:'|’| a)m your (?:co-?)?host\b|\b(?:hello|hi|hey)\b[^.!?]{0,20}\bwelcome to\b|"
    r"\bwelcome (?:back )?to (?:the|this|our) (?:show|podcast|program|programme|episode)\b|"
    # a turn that opens the show: "Welcome to Metamuse.", "Hello and welcome to …"
    r"^\W*(?:(?:hello|hi|hey)\W+)?(?:and\W+)?welcome (?:back )?to\b|"
    # "Welcome to a new episode of Data Stories", after a sponsor's read
    r"\bwelcome to (?:a|another|the|this|our) (?:new |brand new |special )?(?:episode|edition) of\b|"
    r"我是(?:你们的|大家的|本期的?)?主持人|欢迎收听|歡迎收聽",
    re.I,
)
# "Dave, welcome to the show": the person welcomed is the guest.
_WELCOMED = re.compile(
    r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?),? (?:(?:and )?welcome (?:back )?to (?:the|this|our) "
    # a machine transcript's false start ("welcome to the sh to the podcast") is kept
    r"(?:[a-z]+ ){0,3}?(?:show|podcast|program|programme|episode)\b|"
    # ... or thanked for coming: "Priya, thanks for joining us."
    r"(?:thanks|thank you)(?: so much)? for (?:joining|coming on|coming in|being (?:here|with|on))\b)"
)
# "We have on the show Michael Correll and Jeff Heer", "my guest today is Ann Lee": the
# people a host announces are the guests.
_FULL_NAME = r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}"
_ANNOUNCED = re.compile(
    r"\b(?:[Ww]e have|[Ww]e've got|[Jj]oining (?:us|me)|[Ww]ith (?:us|me)|(?:[Mm]y|[Oo]ur) guests?|"
    # "Today, we're talking with Andrew Bush."
    r"(?:[Ww]e're|[Ww]e are|I'm|I am) (?:talking|speaking|chatting) (?:with|to))"
    r"(?: (?:today|here|tonight|again|back|this week))?(?: on the (?:show|podcast|program))?"
    r"(?: (?:today|again|this week))?(?: (?:is|are))?:? "
    rf"({_FULL_NAME})(?:,? and ({_FULL_NAME}))?"
)
# ... and the next names of the list, each perhaps after its title ("On the call with me are
# Satya Nadella, chairman and chief executive officer, Amy Hood, chief financial officer, …")
_LISTED = re.compile(rf",?(?: [a-z][\w'’-]*,?){{0,8}},? (?:and )?({_FULL_NAME})")
# Labels that name the role rather than the person (an anonymous `Q:` is `_ASKER`'s, above).
# the label of a role, alone or numbered as research transcripts number their interviewers
# (`Interviewer 1`, `Interviewer B`, `主持人2`)
_HOST_LABEL = re.compile(
    r"^(?:host|interviewer|moderator|announcer|narrator|voice-?over|主持人|主持|记者|記者|旁白)"
    r"(?:\s*#?\s*(?:\d{1,2}|[A-Z]))?$", re.I
)


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


_DECLARED = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<short>[A-Z][A-Za-z]{0,3})\s*[)）]$")
_INITIALS = re.compile(r"^[A-Z]{2,4}$")
_POSTNOMINAL = re.compile(
    r"^(?P<name>.+?),?\s+(?:KC|QC|SC|MP|MSP|MLA|TD|Jr\.?|Sr\.?|PhD|CBE|OBE|MBE|Esq\.?)$"
)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", name)).upper()


# A hearing record's label: a title, the surname in capitals (`Mr. GOSS`, `The CHAIRMAN`,
# `Mrs. BLACKBURN of Tennessee`)
_TITLED_NAME = re.compile(
    rf"(?P<title>(?:{TITLES})\.?|The) (?P<name>[A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+)*)"
    r"(?P<rest> of [A-Z][a-z]+(?: [A-Z][a-z]+)?| pro tempore)?"
)


def uncapped(name: str, text: str = "") -> str:
    """A label written in capitals (`KEVIN SCOTT:`) as a name: as the document spells it
    elsewhere ("I'm Kevin Scott"), else in title case. Initials (`SA`, `JR`) stay.

    >>> uncapped("KEVIN SCOTT", "I'm your host, Kevin Scott."), uncapped("MARK MCGRANAGHAN"), uncapped("JR")
    ('Kevin Scott', 'Mark Mcgranaghan', 'JR')
    >>> uncapped("SPEAKER_00"), uncapped("Ann LEE"), uncapped("CDR"), uncapped("TOM")
    ('SPEAKER_00', 'Ann LEE', 'CDR', 'Tom')

    A record's label (a title, the surname in capitals) keeps its title:

    >>> uncapped("Mr. GOSS", "Mr. Goss, welcome."), uncapped("The CHAIRMAN"), uncapped("Ms. JACKSON LEE")
    ('Mr. Goss', 'The Chairman', 'Ms. Jackson Lee')
    >>> uncapped("Mrs. BLACKBURN of Tennessee"), uncapped("The SPEAKER pro tempore")
    ('Mrs. Blackburn of Tennessee', 'The Speaker pro tempore')
    """
    if titled := _TITLED_NAME.fullmatch(name):
        return f"{titled['title']} {uncapped(titled['name'], text)}{titled['rest'] or ''}"
    if not re.fullmatch(r"[A-Z][A-Z.'’\- ]*", name) or not re.search(r"[A-Z]{3}", name):
        return name  # mixed case, initials, or an identifier (`SPEAKER_00`)
    if re.fullmatch(r"[B-DF-HJ-NP-TV-XZ]{3,5}", name):
        return name  # a role's abbreviation, no name: `CDR` (commander), `LMP`
    for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I):
        if m.group(0) != name and m.group(0)[0].isupper():
            return m.group(0)
    return name.title()


# How meeting tools mark a display name: an attendee from outside the organisation, a
# directory's "Last, First"
_GUEST_MARK = re.compile(r"\s*[(（](?:guest|external|unverified|外部|访客|訪客)[)）]\s*$", re.I)
_NAME_FIRM = re.compile(r"^([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}), (.+)$")
_LAST_FIRST = re.compile(r"^([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?), ([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)?)$")


def directory_name(label: str) -> str:
    """A meeting's display name as people write it: `Okafor, Daniel (Guest)` is Daniel Okafor.

    >>> directory_name("Nair, Priya"), directory_name("Okafor, Daniel (Guest)"), directory_name("Kim (External)")
    ('Priya Nair', 'Daniel Okafor', 'Kim')
    >>> directory_name("Chris - Base"), directory_name("Mr. GOSS")
    ('Chris - Base', 'Mr. GOSS')

    An earnings call's analyst: a full name, a comma, the firm (a directory gives one name
    before its comma):

    >>> directory_name("MARK MOERDLER, Bernstein Research"), directory_name("KARL KEIRSTEAD, UBS")
    ('MARK MOERDLER', 'KARL KEIRSTEAD')
    """
    name = _GUEST_MARK.sub("", label).strip() or label
    if firm := _NAME_FIRM.match(name):
        return firm[1]  # `MARK MOERDLER, Bernstein Research`: a full name, then the firm
    m = _LAST_FIRST.match(name)
    return f"{m[2]} {m[1]}" if m else name


# capitalised words before a surname that are no given name ("For Cody, like, …")
_NOT_GIVEN_NAMES = frozenset(
    "The And But So Or Nor For To From With Of In On At By If When Then Than Like Okay Ok Oh Well "
    "Mr Ms Mrs Dr Hey Hi Hello Thanks Thank Yes No Yeah Sure Right Now Also Ask Tell".split()
)


def canonical_names(
    labels: Sequence[str], text: str = "", people: Sequence[str] = ()
) -> dict[str, str]:
    """Label as written -> display name, decided over the whole document.

    A label that declares a short form (`Shaun Apps（SA）`) names every later `SA`; initials
    that match exactly one person the front matter lists (`AP`, Andrew Poelstra) take that name.

    >>> canonical_names(["NoPriors", "Karpathy", "NoPriors", "Priors"], "Andrej Karpathy 说")
    {'NoPriors': 'No Priors', 'Karpathy': 'Andrej Karpathy', 'Priors': 'No Priors'}
    >>> canonical_names(["Shaun Apps（SA）", "SA", "AP"], people=["Andrew Poelstra"])
    {'Shaun Apps（SA）': 'Shaun Apps', 'SA': 'Shaun Apps', 'AP': 'Andrew Poelstra'}
    >>> canonical_names(["Ali", "Monica", "Monica Powell", "Monica", "Adam", "Adam Li", "Adam Wu"])
    {'Ali': 'Ali', 'Monica': 'Monica Powell', 'Monica Powell': 'Monica Powell', 'Adam': 'Adam', 'Adam Li': 'Adam Li', 'Adam Wu': 'Adam Wu'}
    >>> canonical_names(["Nick Chen", "Harry Lin", "Nick Chang", "Harry Lin", "Harry Lini", "Nick Chen"])
    {'Nick Chen': 'Nick Chen', 'Harry Lin': 'Harry Lin', 'Nick Chang': 'Nick Chen', 'Harry Lini': 'Harry Lin'}
    >>> canonical_names(["Ann Smith", "Ann Smith", "Ann Smythe", "Bo Li", "Bo Li", "Bo Lu"])["Bo Lu"]
    'Bo Lu'
    >>> canonical_names(["HUANG", "BALTIMORE"], people=["Alice Huang", "David Baltimore"])
    {'HUANG': 'Alice Huang', 'BALTIMORE': 'David Baltimore'}
    >>> canonical_names(["SCHNEIDER", "GLUSKER"], "Today Sarah Schneider is here. today Jenny Pickworth Glusker")
    {'SCHNEIDER': 'Sarah Schneider', 'GLUSKER': 'Jenny Pickworth Glusker'}
    >>> canonical_names(["XXA", "XXB"], people=["XXA", "XXB"])
    {'XXA': 'XXA', 'XXB': 'XXB'}
    >>> canonical_names(["Ms Mitchell", "Ms Mitchell KC", "Lord Patel QC"])
    {'Ms Mitchell': 'Ms Mitchell', 'Ms Mitchell KC': 'Ms Mitchell', 'Lord Patel QC': 'Lord Patel QC'}
    >>> canonical_names(["明鏡", "穆勒", "普京"], "專訪赫塔·穆勒（Herta Müller，2009得主）。普京（Vladimir Putin）")
    {'明鏡': '明鏡', '穆勒': '穆勒 (Herta Müller)', '普京': '普京 (Vladimir Putin)'}
    """
    counts = Counter(labels)
    declared: dict[str, str] = {}
    for label in counts:
        m = _DECLARED.match(label.strip())
        if m:
            declared[m.group("short")] = m.group("name").strip()
    names: dict[str, str] = {}
    for label in counts:
        if label in people:  # listed as written (a CHAT file's `XXA`): no other form of it
            names[label] = label
            continue
        m = _DECLARED.match(label.strip())
        if m or label in declared:
            names[label] = m.group("name").strip() if m else declared[label]
            continue
        surnamed = [p for p in people if " " in p and p.split()[-1].lower() == label.strip().lower()]
        if len(surnamed) == 1:  # `HUANG:` of the one listed person called Huang
            names[label] = surnamed[0]
            continue
        if _INITIALS.match(label):
            # `Shaun Apps（SA）` written anywhere in the document, or one listed person.
            spelled = re.search(
                rf"([A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)+)\s*[（(]\s*{label}\s*[)）]", text
            )
            match = [p for p in people if _initials(p) == label]
            if spelled or len(match) == 1:
                names[label] = spelled.group(1) if spelled else match[0]
                continue
            if not match and (named := _spelled_out(label, text)):
                names[label] = named
                continue
        # A truncated label is the tail of a more frequent one: `Priors` of `NoPriors`.
        longer = [o for o in counts if o != label and o.endswith(label) and counts[o] > counts[label]]
        base = max(longer, key=counts.__getitem__) if longer else label
        if base in names:
            names[label] = names[base]
            continue
        base = directory_name(base)
        canonical = _split_camel(base) if " " not in base else base
        if " " not in canonical and re.fullmatch(r"[A-Z][A-Z'’\-]{2,}", canonical) and text:
            canonical = uncapped(canonical, text)  # `HUANG` is the surname Huang, for below
        if " " not in canonical and _LATIN_NAME.match(canonical) and text:
            # A bare surname: use the full name if the document spells it out somewhere.
            full = re.search(rf"\b((?:[A-Z][a-z]+ )?[A-Z][a-z]+) {re.escape(canonical)}\b", text)
            given = full.group(1).split() if full else []
            # ("Jenny Pickworth Glusker": both; "Today Sarah Schneider": a word the text also
            # writes in lower case opens no name)
            if len(given) == 2 and re.search(rf"\b{given[0].lower()}\b", text):
                given = given[1:]
            # "Kevin Tom" in "thanks Kevin Tom and Travis" is two speakers, not a full name.
            if given and given[0] not in counts and given[0] not in _NOT_GIVEN_NAMES:
                canonical = f"{' '.join(given)} {canonical}"
        names[label] = uncapped(canonical, text)
    # A first name alone is the one person whose full name starts with it: `Monica` and
    # `Monica Powell` in one export are one guest (`Adam` stays as it is beside two Adams).
    for label, name in names.items():
        if " " in name or not _LATIN_NAME.match(name):
            continue
        fuller = {n for n in names.values() if n.split()[0] == name and len(n.split()) > 1}
        if len(fuller) == 1:
            names[label] = fuller.pop()
    # A post-nominal names no other person: `Ms Mitchell KC` beside `Ms Mitchell` is she (a
    # barrister's rank, a member's seat, a `Jr.`).
    for label, name in names.items():
        m = _POSTNOMINAL.match(name)
        if m and m["name"] in names.values():
            names[label] = m["name"]
    # A name misspelt now and then is its speaker's: `Harry Lini` beside seventeen `Harry Lin`,
    # `Nick Chang` beside `Nick Chen`: the same first name and a surname one or two letters
    # off that starts alike, written at most half as often. "Adam Li" and "Adam Wu" stay two.
    for label in counts:
        name = names[label]
        parts = name.split()
        if len(parts) < 2 or not _LATIN_NAME.match(name):
            continue
        for other in sorted(counts, key=counts.__getitem__, reverse=True):
            theirs = names[other].split()
            if (
                counts[label] * 2 <= counts[other]
                and len(theirs) == len(parts)
                and theirs[:-1] == parts[:-1]
                and theirs[-1][:1] == parts[-1][:1]
                and min(len(theirs[-1]), len(parts[-1])) >= 3
                and 0 < Levenshtein.distance(theirs[-1], parts[-1]) <= 2
            ):
                names[label] = names[other]
                break
    # A Chinese name the document spells in Latin letters where it first tells of the person
    # (`赫塔·穆勒（Herta Müller，2009得主）`, a translated interview's introduction) is shown
    # with that spelling: an English question names her so, and an English reader reads it.
    for label, name in names.items():
        if _GLOSSED_NAME.fullmatch(name) and (m := re.search(
            rf"{re.escape(name)}\s*[（(]\s*(?P<latin>{_GLOSS})\s*[，,;；）)]", text
        )):
            names[label] = f"{name} ({m['latin']})"
    return names


# A Chinese name that may be glossed (two to six characters: a transliterated foreign name
# runs longer than `plain`'s `_CJK_NAME` of a label), and a Latin spelling of a person's name
# (each word capitalised, accents allowed) as a bracket after it gives it
_GLOSSED_NAME = re.compile(r"[\u3400-\u9fff]{2,6}")
_GLOSS = r"[A-ZÀ-Þ][\w'’.-]*(?: [A-ZÀ-Þ][\w'’.-]*){0,3}"


def _spelled_out(initials: str, text: str) -> str | None:
    """The one full name in the document whose initials a label is, when its first name
    comes back elsewhere (`KH:` turns after "a special guest with us, Kelsey Hightower" and
    seventeen "Kelsey"s).

    >>> _spelled_out("KH", "with us, Kelsey Hightower. So Kelsey, hi. Kelsey?")
    'Kelsey Hightower'
    >>> _spelled_out("AP", "as the Associated Press reported"), _spelled_out("KH", "Kelsey Hightower")
    (None, None)
    """
    found = {
        m for m in re.findall(r"\b[A-Z][a-z]+(?: [A-Z][a-z'\-]+){1,2}\b", text)
        if _initials(m) == initials
    }
    if len(found) != 1:
        return None
    name = found.pop()
    return name if len(re.findall(rf"\b{name.split()[0]}\b", text)) >= 3 else None


_HEADER_FIELD = re.compile(
    rf"^\s*(?P<field>{INTERVIEW_ROLES}|(?:participant|respondent|interviewee)(?: id| number| no\.?)?|"
    r"受访者编号|受訪者編號|受访人|受訪人|被访者|被訪者|访谈者|訪談者|访问者|訪問者)\s*[:：]\s*(?P<who>.+)$",
    re.I,
)
# what a name in a header says of it, after it: `P10（化名小周）`, `P15 (pseudonym "Sam")`
_ASIDE = re.compile(r"\s*[(（\[【].*$")


def header_fields(lines: Sequence[str]) -> dict[str, list[str]]:
    """An oral history's or a study's header (`INTERVIEWEE: David Baltimore`, `INTERVIEWER:
    Sondra Schlesinger`, `受访者编号：P03`) as front matter: the interviewees (participants,
    respondents) are guests, the interviewers hosts.

    >>> header_fields(["INTERVIEWEE: David Baltimore", "INTERVIEWERS: Ann Lee, Bo Chen", "DATE: 1994"])
    {'guests': ['David Baltimore'], 'hosts': ['Ann Lee', 'Bo Chen']}
    >>> header_fields(["受访者编号：P10", "访谈者：林老师", "受访者：P10（化名小周）", "Participant ID: P10"])
    {'guests': ['P10'], 'hosts': ['林老师']}
    """
    out: dict[str, list[str]] = {}
    for line in lines:
        if m := _HEADER_FIELD.match(line):
            field = m["field"].lower()
            key = "guests" if field.startswith(("interviewee", "participant", "respondent")) or (
                field[0] in "受被") else "hosts"
            for name in re.split(r"\s*(?:,|;|、|\band\b|&)\s*", m["who"].strip()):
                name = _ASIDE.sub("", name)
                if name and name not in out.setdefault(key, []):
                    out[key].append(name)
    return out


# A label that names a side of the conversation, not a person (`问`/`答`, `Q`/`A`,
# `Interviewer`/`Respondent`): a header that names one person of that side names it.
_ASKING_SIDE = re.compile(r"^(?:q|i|interviewer|问|問|访谈者|訪談者|采访者|採訪者|访问者|訪問者)$", re.I)
_ANSWERING_SIDE = re.compile(
    r"^(?:a|r|answer|respondent|interviewee|participant|答|受访者|受訪者|被访者|被訪者|受访人|受訪人)$",
    re.I,
)


def side_names(labels: set[str], header: Mapping[str, list[str]]) -> dict[str, str]:
    """Labels that name a side (`答`, `Interviewer`) -> the one person a header names on that
    side (`受访者编号：P03`, `访谈者：林老师`), when the file has one such label for it.

    >>> side_names({"问", "答"}, {"guests": ["P03"], "hosts": ["林老师"]})
    {'问': '林老师', '答': 'P03'}
    >>> side_names({"Q", "A", "Kim"}, {"guests": ["P03", "P04"]}), side_names({"Ann", "Bo"}, {"guests": ["Bo"]})
    ({}, {})
    """
    out: dict[str, str] = {}
    for key, side in (("hosts", _ASKING_SIDE), ("guests", _ANSWERING_SIDE)):
        named, generic = header.get(key, []), [label for label in labels if side.match(label.strip())]
        if len(named) == 1 and len(generic) == 1 and named[0] not in labels:
            out[generic[0]] = named[0]
    return out


def _people(meta: Mapping[str, object], *keys: str) -> set[str]:
    out: set[str] = set()
    for k in keys:
        v = meta.get(k)
        if isinstance(v, str):
            out.update(p.strip() for p in re.split(r"[,;]", v) if p.strip())
        elif isinstance(v, list | tuple):  # names, or entries with one (`- name: Ann Lee`)
            out.update(n.strip() for p in v for n in (listed_names(p) if isinstance(p, dict) else [str(p)]))
    return out


# a question inside a turn, the turn going on after it
_ASKED_INSIDE = re.compile(r"[?？]\s*\S")
SELDOM_ASKS = 0.15  # the share of a speaker's turns that ask, under which they interview nobody


def roles(turns: Sequence[tuple[str, str]], meta: Mapping[str, object] = {}) -> dict[str, str]:
    """Speaker -> "host" or "guest", from (speaker, text) turns and the front matter.

    Without front matter, the speakers a host welcomes to the show ("Dave, welcome to the
    show") are the guests and the others hosts. Otherwise a speaker whose turns are mostly
    questions, or who introduces themself as the host ("I'm your host", "Hello, and welcome
    to …"), is a host; of the others, the one with most words is the guest, and so is anyone
    else with a quarter of the words.

    >>> roles([("Q", "为什么?"), ("A", "因为数据不够。"), ("Q", "然后呢?"), ("A", "然后就好了。")])
    {'Q': 'host', 'A': 'guest'}
    >>> roles([("Interviewer 1", "Tell me about your work. " * 9), ("Interviewee", "I build models."),
    ...        ("Interviewer 2", "Which ones?")])
    {'Interviewer 1': 'host', 'Interviewee': 'guest', 'Interviewer 2': 'host'}
    >>> roles([("K", "Welcome. I'm your host, Kevin. Today, Ann."), ("A", "Thanks."), ("K", "Long story. " * 9)])
    {'K': 'host', 'A': 'guest'}
    >>> roles([("Tom", "Dave, welcome to the show."), ("Dave", "Thanks."), ("Kim", "So, Dave. " * 9)])
    {'Tom': 'host', 'Dave': 'guest', 'Kim': 'host'}
    >>> roles([("Lisa", "Launches. " * 9), ("Adam", "Lisa, welcome to the sh to the podcast."), ("Mark", "Yes.")])
    {'Lisa': 'guest', 'Adam': 'host', 'Mark': 'host'}
    >>> roles([("Adam", "Welcome to Metamuse. " * 9), ("Lisa", "Thanks. " * 5), ("Mark", "Yes.")])
    {'Adam': 'host', 'Lisa': 'guest', 'Mark': 'host'}
    >>> roles([("Maria", "Kenji, welcome to the show."), ("Kenji", "Kelp. " * 9),
    ...        ("Priya", "Can I jump in?"), ("Maria", "Priya, thanks for joining us. How?"),
    ...        ("Priya", "I dive. " * 5)])
    {'Maria': 'host', 'Kenji': 'guest', 'Priya': 'guest'}

    With nobody who mostly asks, those who seldom ask (a crew and its ground control) are no
    hosts either:

    >>> roles([("CC", "Roger. Go ahead. " * 5), ("CMP", "Okay."), ("CC", "Say again."), ("CMP", "Yes.")])
    {'CC': 'guest', 'CMP': 'guest'}
    >>> said = [("Jerod", "So what is it?"), ("Ewa", "Neurons. " * 20)] + [("Jerod", "Right."), ("Ewa", "Yes.")] * 4
    >>> roles(said)  # Jerod asks in one turn of five: enough to be the host
    {'Jerod': 'host', 'Ewa': 'guest'}
    >>> roles([("1", "我们做调研。"), ("潘", "对。"), ("1", "刚毕业吗？什么时候？前年。"), ("潘", "嗯。"),
    ...        ("1", "你一直这样吗？对，从小。"), ("潘", "是的。"), ("1", "好的。"), ("潘", "晚上涂。")])
    {'1': 'host', '潘': 'guest'}

    A diarizer's labels are matched to the guests a host announces by the names they give
    themselves; a guest who never does is the one of the others who talks most:

    >>> roles([("Brett Iversen", "On the call with me are Satya Nadella, chairman and chief executive "
    ...        "officer, Amy Hood, chief financial officer, and Alice Jolla."), ("Satya Nadella", "Growth. " * 9),
    ...        ("Amy Hood", "Revenue was $62 billion. " * 9), ("Mark Moerdler", "Where are we?")])
    {'Brett Iversen': 'host', 'Satya Nadella': 'guest', 'Amy Hood': 'guest', 'Mark Moerdler': 'host'}
    >>> roles([("Bekah", "Here with me today is my cohost, Dan."), ("Dan Ott", "Today, we're talking "
    ...        "with Andrew Bush."), ("Bekah", "How did you start?"), ("Andrew Bush", "Thanks. " * 20),
    ...        ("Dan Ott", "So I tried it. " * 8), ("Bekah", "And then?"), ("Andrew Bush", "More. " * 20)])
    {'Bekah': 'host', 'Dan Ott': 'host', 'Andrew Bush': 'guest'}
    >>> roles([("Q", "Why?"), ("A", "Rain."), ("Q", "When?"), ("A", "May.")], {"guests": ["P10", "P11"]})
    {'Q': 'host', 'A': 'guest'}
    >>> roles([("Speaker B", "We have on the show Ann Lee and Bo Chen."), ("Speaker C", "Hey."),
    ...        ("Speaker D", "Hi, I'm Bo Chen."), ("Speaker A", "Maps. " * 9)])
    {'Speaker B': 'host', 'Speaker C': 'host', 'Speaker D': 'guest', 'Speaker A': 'guest'}
    """
    hosts, guests = _people(meta, "hosts", "host", "interviewer"), _people(meta, "guests", "guest")
    size: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    inquiring: Counter[str] = Counter()  # turns with a question anywhere in them
    count: Counter[str] = Counter()
    introduced: set[str] = set()
    welcomed: set[str] = set()
    for s, text in turns:
        if _HOSTING.search(text):
            introduced.add(s)
        welcomed.update(m.group(1) for m in _WELCOMED.finditer(text))
        size[s] += len(text)
        count[s] += 1
        asked[s] += asks(text)
        inquiring[s] += asks(text) or bool(_ASKED_INSIDE.search(text))
    out: dict[str, str] = {}
    if not (hosts or guests):
        # whom a host welcomes to the show, or announces, when that is one of the speakers
        guests = {s for s in size if s in welcomed or s.split()[0] in welcomed}
        guests |= _announced_guests(turns, size, introduced)
    if hosts and not guests and any(_INITIALS.match(s) and s not in hosts for s in size):
        # The front matter lists the hosts alone, and some labels are initials it could not
        # be matched to (`CC` for Carlisia Thompson): those are decided as if it listed nobody.
        found = roles(turns)
        return {
            s: "host" if s in hosts or _HOST_LABEL.match(s.strip())
            else found[s] if _INITIALS.match(s) else "guest"
            for s in size
        }
    if (hosts or guests) and not (hosts | guests) & set(size):
        # The header names people no label names (`受访者：P10` above `问`/`答` turns that
        # `side_names` could not match): the turns decide, as if it named nobody.
        return roles(turns)
    if hosts or guests:
        for s in size:
            out[s] = "host" if (
                s in hosts or (guests and s not in guests) or _HOST_LABEL.match(s.strip())
            ) else "guest"
        return out
    askers = {
        s for s in size
        if asked[s] / count[s] >= 0.4 or _HOST_LABEL.match(s.strip()) or s in introduced
    }
    if not askers and len(size) >= 2:
        # A diarizer glues the answer's first words to the question ("是刚毕业不久吗？什么时候
        # 毕业的？前年。"): one who asks inside a turn of four or more, three times as often
        # as anyone else, is the interviewer.
        share = {s: inquiring[s] / count[s] for s in size}
        lead = max(share, key=share.__getitem__)
        if share[lead] >= 0.25 and share[lead] >= 3 * max(v for s, v in share.items() if s != lead):
            askers = {lead}
    answering = Counter({s: n for s, n in size.items() if s not in askers}) or size
    top = answering.most_common(1)[0][0] if answering else None
    total = sum(answering.values()) or 1
    for s in size:
        # with nobody who mostly asks, one who seldom asks is no interviewer either (a crew
        # and their ground control, a meeting): a host asks now and then at least
        seldom = not askers and asked[s] / count[s] < SELDOM_ASKS
        out[s] = "guest" if s == top or (
            s not in askers and (size[s] / total >= 0.25 or seldom)
        ) else "host"
    return out


def _announced_guests(
    turns: Sequence[tuple[str, str]], size: Counter[str], hosting: set[str]
) -> set[str]:
    """The speakers who are the guests a host announces: by name, by the name a diarizer
    label gives itself or is handed the word with (`voice_names`), and, for each announced name no label claims while some diarizer
    label stays unnamed, the unnamed label that talks most (not one that hosts or announces)."""
    announced: list[str] = []
    announcers = set(hosting)
    for s, text in turns:
        for m in _ANNOUNCED.finditer(text):
            announced += [name for name in m.groups() if name]
            announcers.add(s)
            at = m.end()
            while listed := _LISTED.match(text, at):
                announced.append(listed[1])
                at = listed.end()
    if not announced:
        return set()
    claimed = voice_names(turns)
    guests: set[str] = set()
    missing = 0
    for name in dict.fromkeys(announced):
        found = {s for s in size if s == name or claimed.get(s) in (name, name.split()[0])}
        guests |= found
        missing += not found
    unnamed = [s for s in size if _DIARIZED.fullmatch(s) and s not in claimed and s not in announcers]
    unnamed.sort(key=lambda s: -size[s])
    return guests | set(unnamed[:missing])


def unidentified(label: str) -> bool:
    """A label that names nobody (`Unknown:`, `Speaker ?:`, `未知:`).

    >>> [unidentified(x) for x in ("Unknown", "unknown speaker 2", "?", "Unknown Mortal", "Q")]
    [True, True, True, False, False]
    """
    return bool(_UNIDENTIFIED.match(label.strip()))


def anonymous_asker(label: str) -> bool:
    """A label for whoever asks, naming nobody (`Q`, `Audience`, `提问`).

    >>> [anonymous_asker(x) for x in ("Q", "Audience member", "问", "Host", "Quinn")]
    [True, True, True, False, False]
    >>> [anonymous_asker(x) for x in ("現場提問", "线上提问", "听众", "提问者甲")]
    [True, True, True, False]
    """
    return bool(_ASKER.match(label.strip()))


# A diarizer's label for a voice it could not name (WhisperX/pyannote `SPEAKER_00`, AWS
# `spk_0`, `Speaker 1`, AssemblyAI's `Speaker A`, Feishu's `说话人 1`, Tingwu's `发言人1`).
_DIARIZED = re.compile(r"\d+|(?i:speaker[ _]?\d+|spk_\d+|speaker [a-z])|(?:说话人|發言人|发言人|說話人) ?\d+")
# "I'm James Cridland", "my name is Ann Lee": a first name and a surname, said of oneself; or
# a first name alone after "my name is" ("My name is Tom, and I'll be assisting you"), not
# after "I'm" ("I'm Sure", "I'm Good" open sentences as often).
_SELF_INTRO = re.compile(
    r"\b(?:I'm|I am)\s+(?P<full>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b|"
    r"\b[Mm]y name(?: is|'s)\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b"
)


def self_introductions(turns: Sequence[tuple[str, str]], first: int = 3) -> dict[str, tuple[str, str]]:
    """The name each diarizer label gives itself in one of its first turns (a greeting of a
    few words, "Hi.", "Good to be back.", does not count as one), with the words that say so: `{"SPEAKER_1": ("James Cridland", "I'm James Cridland")}`. Only a label whose
    introductions agree, with a name no other label claims.

    >>> self_introductions([("SPEAKER_1", "Hi. I'm James Cridland, the editor."),
    ...     ("SPEAKER_2", "And I'm Sam Sethi."), ("Ann", "I'm Bo Chen."), ("SPEAKER_3", "I'm sure.")])
    {'SPEAKER_1': ('James Cridland', "I'm James Cridland"), 'SPEAKER_2': ('Sam Sethi', "I'm Sam Sethi")}
    >>> self_introductions([("SPEAKER_00", "Premier Phone. My name is Tom, and I'll help you."),
    ...     ("SPEAKER_01", "I'm Good, thanks. Is this about my bill?")])
    {'SPEAKER_00': ('Tom', 'My name is Tom')}
    """
    seen: Counter[str] = Counter()
    claims: dict[str, set[tuple[str, str]]] = {}
    for label, text in turns:
        if not _DIARIZED.fullmatch(label) or seen[label] >= first:
            continue
        seen[label] += len(text.split()) > 5  # a greeting ("Hi.", "Good to be back.") is no turn yet
        for m in _SELF_INTRO.finditer(text):
            claims.setdefault(label, set()).add((m["full"] or m["name"], m[0]))
    named = {label: sorted(c)[0] for label, c in claims.items() if len({n for n, _ in c}) == 1}
    taken = Counter(name for name, _ in named.values())
    return {label: v for label, v in named.items() if taken[v[0]] == 1}


# The last sentence of a turn that hands over to someone by name: a greeting ("Hey, Moritz."),
# the name asked alone ("Jeff?"), or a question put to them ("Michael, you want to start?").
_HANDS_OVER = re.compile(
    r"^(?i:hey|hi|hello),?\s+(?P<g>[A-Z][a-z]+)\s*[.!]$|"
    r"^(?:(?i:and|so|okay|ok|well),?\s+)?(?P<a>[A-Z][a-z]+)\s*\?$|"
    r"^(?P<q>[A-Z][a-z]+), (?:you|what|how|why|can|could|would|will|do|did|are|is|tell|want)\b[^.!?]*\?$"
)
_NOT_A_NAME = frozenset(
    "So Okay Ok Well Yeah Yes No Right Great Sure Cool Thanks Everyone Everybody Guys Folks All "
    "Hey Hi Hello Really Wow Oh Alright Awesome Good Nice Perfect Exactly Absolutely Totally "
    "True Interesting Amazing Fantastic Excellent Fine Indeed Correct Anyway Welcome".split()
)


def addressed_names(turns: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The first name each diarizer label is handed the word with ("Hey, Moritz." and the
    next voice answers): only a label always handed over by one name, a name no other
    label is handed over by, and a word the document never writes in lower case ("Four?"
    asks a number).

    >>> addressed_names([("2", "Welcome. Hey, Moritz."), ("3", "Hey, Enrico."), ("2", "Good."),
    ...                  ("2", "Michael, you want to start?"), ("1", "Sure."), ("2", "Thanks, Jeff.")])
    {'3': 'Moritz', '2': 'Enrico', '1': 'Michael'}
    """
    votes: dict[str, Counter[str]] = {}
    lower = {w for _, text in turns for w in re.findall(r"\b[a-z]+\b", text)}
    for (who, text), (nxt, _) in zip(turns, turns[1:], strict=False):
        if nxt == who or not _DIARIZED.fullmatch(nxt):
            continue
        sentences = re.split(r"(?<=[.!?])\s+", text.strip())
        m = _HANDS_OVER.match(sentences[-1]) if sentences else None
        name = m and (m["g"] or m["a"] or m["q"])
        if name and name not in _NOT_A_NAME and name.lower() not in lower:
            votes.setdefault(nxt, Counter())[name] += 1
    named = {label: next(iter(c)) for label, c in votes.items() if len(c) == 1}
    taken = Counter(named.values())
    return {label: name for label, name in named.items() if taken[name] == 1}


def voice_names(turns: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The name of each diarizer label that says who it is (`self_introductions`), else the
    first name it is handed the word with (`addressed_names`) when that is nobody else's.

    >>> voice_names([("1", "Hi, I'm Ann Lee. Bo?"), ("2", "Hello, Ann."), ("1", "Hey, Bo.")])
    {'1': 'Ann Lee', '2': 'Bo'}
    """
    names = {label: name for label, (name, _) in self_introductions(turns).items()}
    firsts = {n.split()[0] for n in names.values()}
    for label, first in addressed_names(turns).items():
        if label not in names and first not in firsts:
            names[label] = first
    return names


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def speaker_labels(parsed: Parsed) -> set[str]:
    """The speaker labels a file writes above words, as written (before any map)."""
    return {s.speaker for s in _spoken(parsed) if s.speaker}


def _spoken(parsed: Parsed) -> list[Segment]:
    return [s for s in parsed.segments if s.kind == "speech" and s.text.strip()]


def unmatched(mapping: Mapping[str, str], labels: set[str]) -> list[str]:
    """The keys of a speaker map that name no label of the file (`A` names `Speaker A`).

    >>> unmatched({"A": "Nora", "SPEAKER_09": "Zed", "Bo": "Bo Li"}, {"Speaker A", "Bo"})
    ['SPEAKER_09']
    """
    return [k for k in mapping if k not in labels and f"Speaker {k}" not in labels]


def unmatched_warning(key: str, labels: set[str]) -> str:
    return f"speaker map: no label {key!r} in this file (its labels: {listing(sorted(labels), 12)})"


def build_turns(
    parsed: Parsed,
    speaker_map: Mapping[str, str] | None = None,
    renames: Mapping[str, str] | None = None,
) -> tuple[list[Turn], list[str]]:
    """Merge a file's speech segments into turns with display names and roles.

    Consecutive segments of one speaker form one turn (a paragraph each, with its times).
    `speaker_map` renames labels as written (`SPEAKER_00` -> `Jane`); `renames` renames
    display names (`No Priors` -> `Sarah Guo`), merging two speakers when the new name exists.
    Context segments (headings, editor's notes) are nobody's words and form no turn.

    >>> from index.formats.base import Segment, Parsed
    >>> p = Parsed([Segment("Why?", "Q", 0.0, 2.0), Segment("Data.", "A", 2.0, 3.5),
    ...             Segment("Lots of it.", "A", 3.5, 5.0), Segment("Intro", kind="context")])
    >>> [(t.n, t.speaker, t.role, t.paragraphs, t.times) for t in build_turns(p)[0]]
    [(1, None, 'host', ('Why?',), ((0.0, 2.0),)), (2, 'A', 'guest', ('Data.', 'Lots of it.'), ((2.0, 3.5), (3.5, 5.0)))]
    """
    speech = _spoken(parsed)
    warnings: list[str] = []
    labels = [s.speaker for s in speech if s.speaker]
    written = set(labels)
    header = header_fields([line for s in parsed.segments if s.kind == "context" for line in s.text.split("\n")])
    # (`答` is the participant the header names, `受访者编号：P03`, unless the map says otherwise)
    mapping = {**side_names(written, header), **(speaker_map or {})}
    for key in [k for k in mapping if k not in written]:
        if f"Speaker {key}" in written:  # `A: Nora` for the label shown as `Speaker A`
            mapping.setdefault(f"Speaker {key}", mapping[key])
    shown = [mapping.get(label, label) for label in labels]
    text = "\n".join(s.text for s in parsed.segments)
    meta = {**header, **parsed.meta}
    people = sorted(_people(meta, "people", "speakers", "hosts", "guests", "host", "guest"))
    names = canonical_names(
        [label for label in shown if not (unidentified(label) or anonymous_asker(label))], text, people
    )
    # A name the user gave a label (`--speaker "Speaker 3=Cody"`) is shown as given: "For Cody,
    # like, …" in the text is no fuller form of it.
    names.update({name: name for label, name in (speaker_map or {}).items()
                  if name in names and (label in written or f"Speaker {label}" in written)})
    # A person's own renames (`rag` UI, `Corpus.rename_speaker`) come last and win.
    names = {k: (renames or {}).get(v, v) for k, v in names.items()}

    # Each segment's speaker (None for a label that names nobody) and whether it is an
    # anonymous questioner's; consecutive segments alike form one turn (unnamed ones only
    # while they are not bilingual pairs, each of which is a turn of its own, and while no
    # mark says that someone else speaks: a caption's `>>`).
    groups: list[tuple[str | None, bool, list[Segment]]] = []
    for seg in speech:
        label = mapping.get(seg.speaker, seg.speaker) if seg.speaker else None
        who = names.get(label) if label is not None else None
        asking = label is not None and anonymous_asker(label)
        last = groups[-1] if groups else None
        if (
            last
            and (last[0], last[1]) == (who, asking)
            # (timed pairs, bilingual subtitles, are captions like others: a turn is a stretch)
            and (who is not None
                 or not ((last[2][-1].alt and last[2][-1].start is None) or seg.new_turn))
        ):
            last[2].append(seg)
        else:
            groups.append((who, asking, [seg]))
    role = roles([(w, " ".join(s.text for s in segs)) for w, _, segs in groups if w], meta)
    turns = [
        Turn(
            n=i,
            speaker=who,
            role=role.get(who, "") if who else ("host" if asking else ""),
            paragraphs=tuple(para for s in segs for para in _paragraphs(s.text)),
            times=tuple((s.start, s.end) for s in segs for _ in _paragraphs(s.text)),
            alt="\n".join(s.alt for s in segs if s.alt) or None,
            alts=tuple((s.start, s.alt) for s in segs if s.alt and s.start is not None),
        )
        for i, (who, asking, segs) in enumerate(groups, start=1)
    ]
    if speech and not labels and not any("speaker label" in w for w in parsed.warnings):
        warnings.append("no speaker labels found: passages carry no speaker")
    # A diarized voice that says who it is: the name is suggested, never put in its mouth.
    spoken = [(t.speaker, " ".join(t.paragraphs)) for t in turns if t.speaker]
    introduced = self_introductions(spoken)
    for label, (name, said) in introduced.items():
        if name not in names.values():
            warnings.append(
                f'{label} says "{said}": if that is who it is, rename {label} to {name} '
                f'(--speaker "{label}={name}")'
            )
    handed = voice_names(spoken)
    for label, first in handed.items():
        if label not in introduced:
            warnings.append(
                f'{label} is handed the word as "{first}": if that is who it is, rename '
                f'{label} (--speaker "{label}={first} …")'
            )
    # The other diarizer's labels (`0`, `SPEAKER_01`) name nobody: say how to name them.
    unnamed = in_order({t.speaker for t in turns if t.speaker and _DIARIZED.fullmatch(t.speaker)}
                       - set(introduced) - set(handed))
    if unnamed:
        shown = listing(unnamed, 6)
        them = "them" if len(unnamed) > 1 else "it"
        warnings.append(
            f"no name for {shown} (a diarizer's label{'s' if len(unnamed) > 1 else ''}): name "
            f'{them} with --speaker "{unnamed[0]}=Name" or a NAME.speakers.yaml file beside the transcript'
        )
    return turns, warnings
