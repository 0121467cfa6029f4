"""Hybrid retrieval: a dense ranker (Chroma's nearest neighbours) and a lexical one (BM25 on
segmented, script-normalized text), fused by weighted reciprocal rank, with the copies of one
passage across documents folded into one hit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from index.chunk import split_sentences
from index.clean import asks, is_traditional, to_simplified
from index.config import Config, Tuning
from index.errors import BadInputError
from index.lexical import ASKING, HAN, tokenize
from index.store import Store, where_filter
from index.types import Passage
from rag.abstain import asked_types, has_type, in_pinyin, names_in, said_alike, unasked
from rag.answer import term_coverage
from rag.crosslingual import ENGLISH_STOPWORDS, Glossary
from rag.fuse import group_duplicates, reciprocal_rank_fusion
from rag.snapshot import Snapshot, derived, speakers_by_source


@dataclass(frozen=True)
class Hit:
    passage: Passage  # with `versions`: the same passage in other documents
    score: float  # fused score (re-scored: `rescored`)


@dataclass(frozen=True)
class Retrieval:
    snapshot: Snapshot  # the index this retrieval read; answering uses the same one
    question: str
    hits: list[Hit]
    lang: str  # "zh" or "en"
    query_tokens: tuple[str, ...]  # lexical tokens of the question (speaker names removed)
    terms: dict[str, float]  # weighted lexical terms (with translations for English)
    about_hosts: bool = False  # the question asks what a host said (by role or by name)
    named: frozenset[str] = frozenset()  # the speakers the question names
    # ... and the diarizer labels it names by the name they introduced themselves with:
    # (document, label) -> that name
    named_at: dict[tuple[str, str], str] = field(default_factory=dict)
    called: frozenset[str] = frozenset()  # every speaker a name in it fits, shared or not
    asked: str = ""  # the question as asked, when `question` adds the names it sounds out
    # the re-scoring's features of each hit, in the hits' order (`rescore_features`); None
    # when the hits were not re-scored. eval/rescore_fit.py fits the weights from them.
    features: np.ndarray | None = None
    filtered: bool = False  # only some speakers' or documents' passages were searched
    # a follow-up read with the question before it ("How long did it take?"): its own words,
    # whose asked-for type (a duration) is what the answer must hold, not the other's (a count)
    follow_up: str = ""

    def names(self, p: Passage) -> bool:
        """Are these the words of someone the question names?"""
        return said_by(p, self.named, self.named_at)

    @property
    def people(self) -> frozenset[str]:
        """The names of the people the question names, as the transcripts write them."""
        return people_named(self.named, self.named_at)


def said_by(p: Passage, named: frozenset[str], named_at: dict[tuple[str, str], str]) -> bool:
    """Is the passage the words of a named speaker, or of a label named in its document?"""
    return p.speaker in named or (p.source, p.speaker) in named_at


def people_named(named: frozenset[str], named_at: dict[tuple[str, str], str]) -> frozenset[str]:
    return named | frozenset(named_at.values())


def clean_question(question: str, max_chars: int) -> str:
    """Strip control characters and surrounding space; refuse empty or over-long questions.

    >>> clean_question("  什么\\x00是 LLM?\\n", 100)
    '什么 是 LLM?'
    >>> clean_question("??? ……", 100)
    Traceback (most recent call last):
    index.errors.BadInputError: the question '??? ……' has no words: ask something about the interview
    >>> clean_question("🤔🤔 👍🏽?", 100)
    Traceback (most recent call last):
    index.errors.BadInputError: the question '🤔🤔 👍🏽?' has no words: ask something about the interview
    """
    if not isinstance(question, str):
        raise BadInputError("the question must be text")
    q = question_text(question)
    if not q:
        raise BadInputError("the question is empty: ask something about the interview")
    # "???", "🤔🤔": nothing to look for (a private script's letters, as pIqaD, may be words)
    if not any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co" for ch in q):
        raise BadInputError(f"the question {q!r} has no words: ask something about the interview")
    if len(q) > max_chars:
        raise BadInputError(
            f"the question is {len(q)} characters long; the limit is {max_chars}: ask a shorter question"
        )
    return q


def question_text(question: str) -> str:
    """A question as it is asked and measured: control, format and surrogate code points as
    spaces (private-use letters, pIqaD, are text), runs of white space as one, none around.

    >>> question_text("  什么\\x00是   LLM?\\n")
    '什么 是 LLM?'
    """
    q = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in question)
    return re.sub(r"\s+", " ", q).strip()


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def language(text: str) -> str:
    """ "zh" when the text has Chinese characters outside brackets, else "en": an English
    question may write a name in Chinese too, in brackets after it.

    >>> language("Tesla 和 Waymo"), language("Tesla and Waymo"), language("What did May Chin (高金素梅) say?")
    ('zh', 'en', 'en')
    >>> language("卡瓦莱克（Kathleen Kavalec）说了什么？"), language("（高金素梅）")
    ('zh', 'zh')
    >>> language("How long ago did 云哥 buy his bike?"), language("Jake Knapp 把邮件删掉是哪一年？")
    ('en', 'zh')
    """
    outside = _BRACKETED.sub(" ", text)
    text = outside if outside.strip() else text
    if not HAN.search(text):
        return "en"
    # an English sentence with a Chinese name or word in it ("How long ago did 云哥 buy his
    # bike?"): more English words than Chinese characters, three at least
    latin = len(re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text))
    return "en" if latin >= 3 and latin > len(HAN.findall(text)) else "zh"


_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def resolve(values: str | list[str] | None, known: tuple[str, ...], what: str) -> list[str] | None:
    """Match user-typed filter values to stored names, case-insensitively: an exact name, else
    by substring (`karpathy` finds `Andrej Karpathy`).

    >>> resolve("karpathy", ("Andrej Karpathy", "Elad Gil"), "speaker")
    ['Andrej Karpathy']
    >>> resolve("说话人2", ("说话人 1", "说话人 2"), "speaker"), resolve("唐凤", ("唐鳳", "黃光芹"), "speaker")
    (['说话人 2'], ['唐鳳'])

    A document's name without its extension is exact too, and a number is never the start of
    a longer one (research interviews are numbered files):

    >>> resolve("Interview 3", ("Interview 3.txt", "Interview 30.txt", "Interview 31.txt"), "document")
    ['Interview 3.txt']
    >>> resolve("Interview 3", ("Interview 30.txt", "Interview 31.txt"), "document")
    Traceback (most recent call last):
    ...
    index.errors.BadInputError: no document matches 'Interview 3'; known: Interview 30.txt, Interview 31.txt
    >>> resolve("view 3", ("Interview 3.txt", "Interview 30.txt"), "document")
    ['Interview 3.txt']
    """
    if values is None or values == [] or values == "":
        return None
    wanted = [values] if isinstance(values, str) else values
    if not isinstance(wanted, list | tuple) or not all(isinstance(v, str) for v in wanted):
        raise BadInputError(f"the {what} filter is a name or a list of names, not {values!r:.60}")
    wanted = list(wanted)
    out: list[str] = []
    def squeeze(name: str) -> str:
        # `说话人2` is `说话人 2` and 唐凤 is 唐鳳, as users type one or the other
        return re.sub(r"\s+", "", to_simplified(name)).lower()

    def within(want: str, name: str) -> bool:
        """`want` inside `name`, not as the start of a longer number (`3` of `30`)."""
        return any(
            not (want[-1].isdigit() and name[m.end():m.end() + 1].isdigit())
            and not (want[0].isdigit() and name[m.start() - 1:m.start()].isdigit())
            for m in re.finditer(re.escape(want), name)
        )

    for v in wanted:
        want = squeeze(v)
        exact = [k for k in known if want in (squeeze(k), squeeze(_EXTENSION.sub("", k)))]
        hits = exact or [k for k in known if within(want, squeeze(k))]
        if not hits:
            raise BadInputError(f"no {what} matches {v!r}; known: {', '.join(known) or 'none'}")
        out.extend(h for h in hits if h not in out)
    return out


def _spaced(text: str) -> str:
    """`_` and `-` read as spaces, and runs of spaces as one."""
    return " ".join(re.sub(r"[_\-]+", " ", text).split())


def document_name(source: str) -> str:
    """A document's name as a question says it: the file name without its extension, with
    `_` and `-` read as spaces.

    >>> document_name("lex_fridman_367.vtt"), document_name("Interview 12.txt")
    ('lex fridman 367', 'Interview 12')
    """
    return _spaced(_EXTENSION.sub("", source))


def documents_named(question: str, sources: tuple[str, ...]) -> list[str] | None:
    """The documents a question names by their file name, without its extension and with `_`
    or `-` read as spaces ("What did the interviewee in Interview 12 say about privacy?"), or
    None. Only a name of two words or more, or with a number, counts: "interview.txt" is no
    name a question says on purpose.

    >>> docs = ("Interview 12.txt", "Interview 1.txt", "interview.txt", "lex_fridman_367.vtt")
    >>> documents_named("What did the interviewee in interview 12 say about privacy?", docs)
    ['Interview 12.txt']
    >>> documents_named("In the interview, what did he say?", docs) is None
    True
    >>> documents_named("What does Lex Fridman 367 open with?", docs)
    ['lex_fridman_367.vtt']
    """
    asked = _spaced(question).lower()
    out = []
    for source in sources:
        name = document_name(source).lower()
        if name in asked and (len(name.split()) >= 2 or re.search(r"\d", name)) and re.search(
            rf"(?<!\w){re.escape(name)}(?!\w)", asked
        ):
            out.append(source)
    return out or None


def script(text: str) -> str:
    """ "hant" when OpenCC changes the text toward Simplified, else "hans" (or "latin")."""
    if not HAN.search(text):
        return "latin"
    return "hant" if is_traditional(text) else "hans"


HOST_WORDS = re.compile(r"主持人|主持|提问|问了|問了|host|asked|interviewer", re.I)
# A question about what the guests said, by their role ("What did the interviewees say about
# missing data?"): a host's words are still less likely its answer.
GUEST_WORDS = re.compile(
    r"\b(?:interviewees?|guests?|respondents?|participants?)\b|嘉宾|受访者|来宾|被访者", re.I
)
# A question about the episode itself ("Which episode is this?", "本期节目…"): its framing (the
# opening, the guest's introduction, the sign-off) is the hosts'. On the tuning split it
# changes one question, now answered from the host's opening ("Which episode of Podcasting 2.0
# is this, and what date does the show give?"): real hit@5 0.775 -> 0.787, key facts 0.556 ->
# 0.569, wrongly declined 5 -> 4 of 80; bundled unchanged.
# A host as the one who says it ("What did the host point out …?", "主持人举了什么例子?"): the
# hosts' own words are the answer, and come first
_SAYING = (
    "say|said|says|point|pointed|give|gave|mention|mentioned|suggest|suggested|note|noted|"
    "describe|described|bring|brought|quote|quoted|compare|compared|recommend|recommended|"
    "predict|predicted|admit|admitted|joke|joked|offer|offered|argue|argued|explain|explained|"
    "raise|raised|share|shared|recall|recalled|tell|told|call|called|ask|asked|use|used|"
    "cite|cited|remember|remembered|read|list|listed|announce|announced"
)
HOST_SAYS = re.compile(
    rf"\b(?:hosts?|interviewers?)\s+(?:\w+\s+){{0,2}}?(?:{_SAYING})\b|"
    r"(?:主持人|主持)[^，,。？?：:]{0,4}?(?:说|說|提到|指出|举|舉|问|問|认为|認為|觉得|覺得|讲|講|分享|推荐|推薦|打了|念|唸|引用)",
    re.I,
)
THE_SHOW = re.compile(r"\b(?:this|the|previous|last) (?:episode|show)\b|本期|这期|這期|这一期|這一期", re.I)


def asks_about_hosts(q: str, snap: Snapshot, glossary: Glossary | None = None) -> bool:
    """Does the question ask about what a host said (by role or by name), or about the
    episode itself?

    >>> class S: hosts = frozenset({"Adam Curry"}); speakers = ("Adam Curry", "Dave Jones")
    >>> asks_about_hosts("Which episode is this?", S), asks_about_hosts("这期节目是哪天录的?", S)
    (False, True)
    >>> asks_about_hosts("What date does this episode give?", S), asks_about_hosts("What did Dave fix?", S)
    (True, False)
    """
    if HOST_WORDS.search(q) or THE_SHOW.search(q):
        return True
    forms = forms_of(snap, glossary)
    hosts = {f for h in snap.hosts for f in forms[h]}
    return names_someone(to_simplified(q), hosts, {f for s in forms for f in forms[s]} - hosts)


# A Chinese record's label puts the title between the surname and the given name (the
# Legislative Yuan gazette's `孔委員文吉`, legislator 孔文吉; `陳院長冲`, Premier 陳冲)
_TITLE_INSIDE = re.compile(
    r"^([\u4e00-\u9fff]{1,2}?)(主任委員|主任委员|召集委員|召集委员|副院長|副院长|秘書長|秘书长|執行長|执行长|"
    r"委員|委员|院長|院长|部長|部长|署長|署长|局長|局长|市長|市长|縣長|县长|議員|议员|代表|次長|次长|處長|处长|"
    r"司長|司长|主委|教授|博士|老師|老师|律師|律师)([\u4e00-\u9fff]{1,3})$"
)


def untitled(label: str) -> str | None:
    """A label's name without the title a Chinese record writes inside it, or None.

    >>> untitled("孔委員文吉"), untitled("孫主任委員大川"), untitled("陳院長冲"), untitled("高委員金素梅")
    ('孔文吉', '孫大川', '陳冲', '高金素梅')
    >>> untitled("主席"), untitled("唐鳳")
    (None, None)
    """
    m = _TITLE_INSIDE.match(label)
    return m[1] + m[3] if m and m[1] else None


_BOTH_SPELLINGS = re.compile(r"(.+?)\s*[（(]\s*([^()（）]+?)\s*[)）]")


@lru_cache(maxsize=16)
def spellings(
    speakers: tuple[str, ...], glossary: Glossary | None, together: frozenset[tuple[str, str]] = frozenset()
) -> dict[str, frozenset[str]]:
    """Each speaker's name as a question may write it: as labelled, in Simplified script (the
    question is read in it: "唐凤" names "唐鳳") and, for a Chinese name, in pinyin too ("唐鳳"
    as "Tang Feng": an English question says "Tang").

    One person may be labelled in each script in different documents ("唐鳳" in a Chinese
    interview, "Audrey Tang" in an English meeting): a Latin name whose surname is the pinyin
    surname of one Chinese name, when no other speaker of either script shares that surname
    and the two never speak in one document (`together`: pairs of speakers who do; a meeting's
    "Nick Chen" is not its 陳俊傑), is also written with that Chinese name.

    >>> spellings(("Ann Lee",), None)
    {'Ann Lee': frozenset({'Ann Lee'})}
    >>> from rag.crosslingual import Glossary
    >>> g = Glossary(lambda p: {}, readings=lambda ws: {"唐": frozenset({"Tang2"}),
    ...     "凤": frozenset({"feng4"}), "葛": frozenset({"Ge3"}), "钧": frozenset({"jun1"})})
    >>> forms = spellings(("唐鳳", "葛钧", "Audrey Tang", "Kevin Ge", "Ann Ge"), g)
    >>> sorted(forms["唐鳳"]), sorted(forms["Audrey Tang"]), sorted(forms["Kevin Ge"])
    (['Tang Feng', '唐凤', '唐鳳'], ['Audrey Tang', '唐凤', '唐鳳'], ['Kevin Ge'])
    >>> sorted(spellings(("唐鳳", "Audrey Tang"), g, frozenset({("唐鳳", "Audrey Tang")}))["Audrey Tang"])
    ['Audrey Tang']
    >>> sorted(spellings(("穆勒 (Herta Müller)",), None)["穆勒 (Herta Müller)"])
    ['Herta Müller', '穆勒', '穆勒 (Herta Müller)']
    """
    # a name shown with its other spelling (`穆勒 (Herta Müller)`, `李明 (Li Ming)`) is
    # written either way
    both = {s: m.groups() if (m := _BOTH_SPELLINGS.fullmatch(s)) else (s,) for s in speakers}
    # a record's label with the title inside the name (`陳院長冲`: 陈冲, the premier) is
    # also written as the name alone
    bare = {s: untitled(both[s][0]) for s in speakers}
    roman = {s: glossary.romanize(bare[s] or both[s][0]) if glossary is not None else None
             for s in speakers}
    out = {s: frozenset({s, to_simplified(s), *both[s], to_simplified(both[s][0])}
                        | ({roman[s]} if roman[s] else set())
                        | ({bare[s], to_simplified(bare[s])} if bare[s] else set()))
           for s in speakers}
    chinese: dict[str, set[str]] = {}  # pinyin surname -> the Chinese names (Simplified) with it
    latin: dict[str, list[str]] = {}  # surname -> the Latin names ending with it
    for s in speakers:
        if roman[s]:
            chinese.setdefault(roman[s].split()[0], set()).add(to_simplified(s))
        elif len(words := s.split()) >= 2 and all(w[:1].isupper() and w.isascii() for w in words):
            latin.setdefault(words[-1], []).append(s)
    for surname, names in chinese.items():
        if len(names) == 1 and len(theirs := latin.get(surname, ())) == 1:
            cjk = [s for s in speakers if roman[s] and to_simplified(s) in names]
            if any((c, theirs[0]) in together or (theirs[0], c) in together for c in cjk):
                continue
            out[theirs[0]] = out[theirs[0]] | {f for s in cjk for f in (s, to_simplified(s))}
    return out


def forms_of(snap: Snapshot, glossary: Glossary | None) -> dict[str, frozenset[str]]:
    """`spellings` of the snapshot's speakers, knowing who speaks with whom."""
    return spellings(tuple(snap.speakers), glossary, getattr(snap, "together", frozenset()))


def introduces(text: str, people) -> bool:
    """Does the text tell about one of `people`: a statement (not a question) with their full
    name, as a host's introduction of a guest has?

    >>> introduces("All right. So, Adrian Tchaikovsky is an author based in the UK.", {"Adrian Tchaikovsky"})
    True
    >>> introduces("Adrian, why do spiders matter? Adrian Tchaikovsky, really?", {"Adrian Tchaikovsky"})
    False
    """
    if not any(name in text for name in people):
        return False
    return any(
        name in sentence and not sentence.rstrip().endswith(("?", "？"))
        for sentence in split_sentences(text)
        for name in people
    )


def names_someone(q: str, people, others=()) -> bool:
    """Does `q` name one of `people`, in full or by a part of the name (a first name, a
    surname) that none of `others` shares? Parts are matched as whole words.

    >>> names_someone("In Mark's view, why?", {"Mark McGranaghan"}, {"Devon Zuegel"})
    True
    >>> names_someone("Why quietly?", {"Q", "Ann Lee"}), names_someone("Adam?", {"Adam Wiggins"}, {"Adam Smith"})
    (False, False)
    >>> names_someone("Is there no data?", {"No Priors"}), names_someone("No Priors 问了什么?", {"No Priors"})
    (False, True)
    >>> names_someone("说话人2怎么看?", {"说话人 2"}, {"说话人 1"}), names_someone("发言人 2 呢?", {"发言人2"})
    (True, True)
    >>> names_someone("What does Sam Sethi say?", {"Sam"}), names_someone("Why, Sam? Sam Lee?", {"Sam Lee"})
    (False, True)
    """
    shared = {part.lower() for o in others for part in o.split()}
    for person in people:
        words = person.split()
        for part in {person, *words}:
            if len(part) < 2 or part.lower() in shared or part.lower() in ENGLISH_STOPWORDS:
                continue  # `No` of `No Priors` is no name in "Is there no …?"
            # spaces in a name are optional in the question (`说话人2` names `说话人 2`), and so
            # is one between a Chinese word and a number (`发言人 2` names `发言人2`)
            loose = re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)", " ", part)
            pattern = r"\s*".join(re.escape(w) for w in loose.split())
            for m in re.finditer(rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])", q):
                # "Sam Sethi" is somebody else than a speaker labelled "Sam" (or "Sam Lee")
                after = re.match(r"\s+([A-Z][a-z]+)", q[m.end():])
                if not (after and after[1] not in words and part == words[0]):
                    return True
    return False


def named_speakers(q: str, snap: Snapshot, glossary: Glossary | None = None) -> set[str]:
    """The speakers a question names, in full or by a part of the name that nobody they speak
    with has (a Chinese name also in pinyin, with a glossary). A question asks about one
    conversation and calls people as it does: "Mark" names the one Mark of each document.

    >>> class S: speakers = ("Adam Curry", "Adam Wiggins", "Dave Jones", "Mark Lee", "Mark Mandel")
    >>> one = {"Adam Curry", "Adam Wiggins", "Dave Jones"}  # one document; Mark Lee and Mark Mandel in two others
    >>> S.co_speakers = {s: one - {s} for s in one}
    >>> sorted(named_speakers("Why did Dave's generator fail, Adam?", S))
    ['Dave Jones']
    >>> sorted(named_speakers("In Mark's view, why?", S))
    ['Mark Lee', 'Mark Mandel']
    """
    forms = forms_of(snap, glossary)
    q = to_simplified(q)
    return {
        s
        for s in forms
        if names_someone(q, forms[s], {f for o in snap.co_speakers.get(s, ()) for f in forms[o]})
    }


def called_speakers(q: str, snap: Snapshot, glossary: Glossary | None = None) -> set[str]:
    """Every speaker a name in the question fits, though another shares it ("Adam" fits
    Adam Curry and Adam Wiggins): whom an answer may quote as the one named.

    >>> class S: speakers = ("Adam Curry", "Adam Wiggins", "Dave Jones")
    >>> sorted(called_speakers("Why, Adam?", S))
    ['Adam Curry', 'Adam Wiggins']
    """
    forms = forms_of(snap, glossary)
    q = to_simplified(q)
    return {s for s in forms if names_someone(q, forms[s])}


def named_introduced(
    q: str, snap: Snapshot, glossary: Glossary | None = None
) -> dict[tuple[str, str], str]:
    """The diarizer labels a question names by the name they introduced themselves with
    ("According to Sam Sethi" names `SPEAKER_2` of the document where it said "I'm Sam Sethi"),
    in full or by a part of the name nobody else in that document has: as with labelled
    speakers, "James" names the James of each conversation, whatever other files hold.
    """
    forms = forms_of(snap, glossary)
    present = speakers_by_document(snap)
    return {
        key: name
        for key, name in snap.introduced.items()
        if names_someone(q, {name}, {
            *(f for s in present.get(key[0], ()) if s != key[1] for f in forms.get(s, ())),
            *(n for k, n in snap.introduced.items() if k[0] == key[0] and n != name),
        })
    }


def speakers_by_document(snap: Snapshot) -> dict[str, frozenset[str]]:
    """Each document's speakers (their labels), derived once per snapshot."""
    return derived(snap, "speakers by document", lambda: speakers_by_source(snap.passages))


def mentioned_documents(q: str, lang: str, snap: Snapshot, most: int) -> frozenset[str]:
    """The documents a question points to with a name that only they mention ("Who is
    Luciano's co-host?"), at most `most` of them per name; a speaker's name does not count
    (the speaker's turns come first already).

    >>> from index.types import Passage
    >>> from rag.snapshot import build
    >>> from index.store import Records
    >>> ps = [Passage("a#t1p1", "a", "Ann", "host", 1, 1, "Luciano joins us today."),
    ...       Passage("b#t1p1", "b", "Bo", "host", 1, 1, "Ann is back. A co-host too.")]
    >>> snap = build(Records(ps, [["luciano"], ["ann"]], np.zeros((2, 2), dtype=np.float32)), 1)
    >>> sorted(mentioned_documents("Who is Luciano's co-host, Ann?", "en", snap, 2))
    ['a']
    """
    speakers = " ".join([*snap.speakers, *snap.introduced.values()]).lower()
    out: set[str] = set()
    for name in names_in(q, lang):
        if name.lower() in speakers:
            continue
        found = snap.sources_mentioning(name, most)
        if len(found) <= most:
            out |= found
    return frozenset(out)


_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][a-z]{2,}(?:[A-Z][a-z]+)?(?![\w'’-])")
_LOWER = re.compile(r"(?<![\w'’-])[a-z]{3,}(?![\w'’-])")
_TITLES = frozenset("mr mrs ms miss mx dr prof sir dame lady lord".split())


@dataclass(frozen=True)
class LatinNames:
    """The Latin names of the passages, each with its `english_sounds`: the words written with
    a capital more often than without (Kavalec, Steele) and, apart from them, the words of the
    speakers' names (Laycock), with the documents each such word speaks in."""

    written: dict[str, frozenset[str]]
    spoken: dict[str, frozenset[str]]
    spoken_in: dict[str, frozenset[str]]


def latin_names(snap: Snapshot) -> LatinNames:
    """The snapshot's `LatinNames`, built on the first question that needs them."""

    def build() -> LatinNames:
        from collections import Counter

        from rag.crosslingual import english_sounds

        text = "\n".join(p.text for p in snap.passages)
        upper = Counter(_CAPITALISED.findall(text))
        lower = Counter(_LOWER.findall(text))
        names = {w for w, k in upper.items() if k > lower[w.lower()] and w.lower() not in ENGLISH_STOPWORDS}
        spoken = {w for sp in snap.speakers for w in re.findall(r"[A-Za-z]{3,}", sp)
                  if w.lower() not in _TITLES}
        spoken_in: dict[str, set[str]] = {}
        for p in snap.passages:
            for w in (p.speaker or "").split():
                spoken_in.setdefault(w, set()).add(p.source)
        return LatinNames({w: english_sounds(w) for w in names - spoken},
                          {w: english_sounds(w) for w in spoken},
                          {w: frozenset(d) for w, d in spoken_in.items()})

    return derived(snap, "latin names", build)


_ROMANIZED = re.compile(r"\b[A-Z][a-z'’]*(?:-[a-z'’]+)*\b")


def in_pinyin_out(
    q: str, snap: Snapshot, glossary: Glossary | None, closeness: np.ndarray | None = None
) -> str:
    """An English question with the Chinese names it writes in Wade–Giles written in pinyin,
    where the pinyin is a speaker's name or a word of the passages: "according to legislator
    Kung Wen-chi" -> "… Kong Wenji" (孔委員文吉), "Hou Yu-ih" -> "Hou Youyi" (侯友宜), "Ko's"
    -> "Ke's" (柯文哲). A spelling that fits several speakers' names ("Ko": 柯 Ke and 葛 Ge)
    takes the one whose words are closest to the question (`closeness`, each passage's), and
    is left as written without it. The question itself when it writes none."""
    from rag.abstain import in_pinyin, pinyin_names
    from rag.crosslingual import wade_giles

    if glossary is None or not snap.chinese.any():  # no Chinese passage: no Chinese name
        return q
    known: set[str] | None = None
    out = q
    for m in _ROMANIZED.finditer(q):
        word = re.sub(r"['’]s$", "", m[0])  # "Ko's" is Ko
        if word.lower().replace("-", "") in snap.vocabulary or len(word) < 2:
            continue
        spelled = [""]
        for part in word.split("-"):
            spelled = [a + b for a in spelled for b in sorted(wade_giles(part))][:64]
        if known is None:
            spoken = set(pinyin_names(snap, glossary))
            known = spoken | set(in_pinyin(snap, glossary))
        # a two-letter word is a name only as a speaker's surname ("Ko" for 柯文哲)
        among = known if len(word) > 2 else spoken
        found = sorted(x for x in spelled if x != word.lower().replace("-", "") and x in among)
        # a speaker's name before any other word; one of several speakers' by closeness
        found = [x for x in found if x in spoken] or found
        if len(found) > 1 and found[0] in spoken:
            found = _closest(found, snap, glossary, closeness)
        if found:
            out = out.replace(word, found[0].capitalize(), 1)
    return out


def _closest(
    spellings: list[str], snap: Snapshot, glossary: Glossary | None, closeness: np.ndarray | None
) -> list[str]:
    """Of the pinyin spellings of speakers' names one romanized word may stand for, the one
    whose speakers said the passage closest to the question ([] without `closeness`)."""
    from rag.abstain import pinyin_speakers

    if closeness is None or not len(closeness):
        return []
    whose = pinyin_speakers(snap, glossary)
    best = {
        x: max((closeness[i] for i, p in enumerate(snap.passages) if p.speaker in whose.get(x, ())),
               default=-np.inf)
        for x in spellings
    }
    return sorted(spellings, key=lambda x: -best[x])[:1]


def sounded_out(q: str, snap: Snapshot, glossary: Glossary | None) -> str:
    """A Chinese question with the foreign names it writes by their sound written as the
    passages write them: "拉科克多久见卡瓦莱克一次?" -> "Laycock 多久见 Kavalec 一次?" (a speaker's
    name: two consonant classes will do). The question itself when it sounds out none."""
    from rag.crosslingual import sound_runs, sounded_names

    text = to_simplified(q)
    if glossary is None or not sound_runs(text):
        return q
    latin = latin_names(snap)
    found = sounded_names(text, {**latin.written, **latin.spoken}, glossary, short=latin.spoken.keys())
    if not found:
        return q
    # a sound that fits several names (斯蒂尔: Steele, Stella, Seattle) is the one that shares
    # a document with the names the question sounds out without doubt (Laycock, Kavalec)
    def documents(name: str) -> set[str]:
        return snap.sources_mentioning(name, 50) | latin.spoken_in.get(name, frozenset())

    sure = set().union(*(documents(next(iter(ns))) for ns in found.values() if len(ns) == 1))
    if sure:
        found = {run: {n for n in ns if documents(n) & sure} or ns if len(ns) > 1 else ns
                 for run, ns in found.items()}
    for run in sorted(found, key=len, reverse=True):  # the longest that sounds out a name
        if run in text:
            text = text.replace(run, f" {' '.join(sorted(found[run]))} ")
    return " ".join(text.split())


def lexical_query(
    q: str, lang: str, tokens: list[str], snap: Snapshot, glossary: Glossary | None
) -> dict[str, float]:
    """Weighted lexical terms: the question's own words found in the index, plus dictionary
    translations of its words into the other language (English -> Chinese words, Chinese ->
    English stems) where the index holds them."""
    weights: dict[str, float] = {}
    for t in tokens:
        if t in snap.vocabulary:
            weights[t] = weights.get(t, 0.0) + 1.0
    for t in respaced(q, snap):
        weights.setdefault(t, 1.0)
    if glossary is not None:
        found = (
            glossary.translate(q, snap.vocabulary)
            if lang == "en"
            else glossary.to_english(tokens, snap.vocabulary)
        )
        for w, wt in found.items():
            weights[w] = weights.get(w, 0.0) + wt
        if lang == "en":  # a Chinese word the question writes in pinyin ("Xiulin": 秀林)
            for w in re.findall(r"[a-z]{4,}", q.lower()):
                if w not in snap.vocabulary and (written := in_pinyin(snap, glossary).get(w)):
                    for c in written:
                        weights[c] = weights.get(c, 0.0) + 1.0 / len(written)
        # a name the passages write with other characters of the same sound (a recognizer's
        # 利亚德 for 利雅得), asked in Chinese or in English ("Riyadh": 利雅得 in the dictionary)
        unknown = [t for t in tokens if t not in snap.vocabulary] if lang != "en" else [
            w for ws in glossary.names(
                [n.lower() for n in re.findall(r"(?<![\w'])[A-Z][a-z]{2,}", q)]).values()
            for w in ws if w not in snap.vocabulary]
        for t in dict.fromkeys(unknown):
            if alike := said_alike(to_simplified(t), snap, glossary):
                for w in alike:
                    weights[w] = weights.get(w, 0.0) + 1.0 / len(alike)
    return weights


def respaced(q: str, snap: Snapshot) -> list[str]:
    """Index tokens for words a transcriber wrote apart or together: a question word the
    index lacks but holds as two words ("Podping" where the passages say "pod ping"), and
    two question words it holds as one ("Open AI" where they say "OpenAI")."""
    words = re.findall(r"[a-z0-9]+", q.lower())
    out: list[str] = []
    for w in words:
        if not any(t in snap.vocabulary for t in tokenize(w)) and (parts := snap.spaced(w)):
            out.extend(t for part in parts for t in tokenize(part))
    for a, b in zip(words, words[1:], strict=False):
        if min(len(a), len(b)) < 2 or a in ENGLISH_STOPWORDS or b in ENGLISH_STOPWORDS:
            continue
        out.extend(t for t in tokenize(a + b) if t not in tokenize(a) + tokenize(b))
    return [t for t in dict.fromkeys(out) if t in snap.vocabulary and t not in snap.name_tokens]


def bm25_scores(snap: Snapshot, weights: dict[str, float]) -> np.ndarray:
    total = np.zeros(len(snap.passages), dtype=np.float32)
    for term, w in weights.items():
        total += w * np.asarray(snap.bm25.get_scores([term]), dtype=np.float32)
    return total


def mutual_twins(
    ids: list[str], sources: list[str], vectors: np.ndarray, min_cosine: float
) -> set[tuple[str, str]]:
    """Pairs of candidates from different documents that are each other's closest match
    there, above min_cosine: the same passage in two write-ups. A passage may have a twin in
    each other document (a talk as captions, as a transcript and as a translation).

    >>> v = np.array([[1, 0], [0.99, 0.14], [0, 1]], dtype=np.float32)
    >>> sorted(mutual_twins(["a1", "b1", "a2"], ["A", "B", "A"], v, 0.9))
    [('a1', 'b1'), ('b1', 'a1')]
    >>> v = np.array([[1, 0], [0.99, 0.14], [0.98, -0.2]], dtype=np.float32)
    >>> sorted(mutual_twins(["a1", "b1", "c1"], ["A", "B", "C"], v, 0.9))[:2]
    [('a1', 'b1'), ('a1', 'c1')]
    """
    if len(ids) < 2:
        return set()
    sims = vectors @ vectors.T
    src = np.array(sources)
    others = sorted(set(sources))
    best: dict[tuple[int, str], int] = {}
    for i in range(len(ids)):
        for s in others:
            if s != sources[i]:
                cols = np.flatnonzero(src == s)
                best[(i, s)] = int(cols[np.argmax(sims[i, cols])])
    return {
        (ids[i], ids[j])
        for (i, s), j in best.items()
        if best[(j, sources[i])] == i and sims[i, j] >= min_cosine
    }


def retold(snap: Snapshot, a: str, b: str, min_cosine: float, min_share: float) -> bool:
    """Are documents `a` and `b` write-ups of one conversation (two scripts, a transcript and
    its captions, an excerpt of the other)? Yes when `min_share` of the passages of either has
    a passage at least `min_cosine` close in the other. Two interviews that follow one interview
    guide share a few near-identical questions, and no more: their passages are no copies.

    >>> from types import SimpleNamespace
    >>> from index.types import Passage
    >>> ps = [Passage(f"{d}#t{i}p1", d, "", "", i, 1, "") for d in "abc" for i in range(3)]
    >>> v = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0.6, 0.8, 0],
    ...               [1, 0, 0], [0, 0.6, 0.8], [0.8, 0, 0.6]], dtype=np.float32)
    >>> snap = SimpleNamespace(generation=1, passages=ps, vectors=v)
    >>> retold(snap, "a", "b", 0.94, 0.5), retold(snap, "a", "c", 0.94, 0.5)
    (True, False)
    """
    memo: dict[tuple, bool] = derived(snap, "retold", dict)
    key = (min(a, b), max(a, b), min_cosine, min_share)
    if key not in memo:
        rows = {d: [i for i, p in enumerate(snap.passages) if p.source == d] for d in (a, b)}
        close = snap.vectors[rows[a]] @ snap.vectors[rows[b]].T >= min_cosine
        memo[key] = bool(close.size) and bool(
            max(close.any(axis=1).mean(), close.any(axis=0).mean()) >= min_share
        )
    return memo[key]


BALANCE_MIN = 20  # passages a language needs before its dense scores are re-centred


def top_ids(snap: Snapshot, scores: np.ndarray, n: int) -> list[str]:
    """The ids of the n passages with the highest finite scores (-inf: left out)."""
    top = np.argsort(-scores, kind="stable")[:n]
    return [snap.passages[i].id for i in top if np.isfinite(scores[i])]


def dense_scores(snap: Snapshot, vector, t: Tuning) -> np.ndarray:
    """Every passage's closeness to the question, over the snapshot's vectors (each passage's
    own and, weighted by `t.context_weight`, its vector read with the piece before it), with
    each language's scores re-centred (`t.dense_balance`)."""
    v = np.asarray(vector, dtype=np.float32)
    sims = snap.vectors @ v
    if t.context_weight > 0:
        sims = (sims + t.context_weight * (snap.context @ v)) / (1 + t.context_weight)
    if t.dense_balance and len(sims):
        # Each language's passages are shifted to the same baseline (a low quantile of their
        # scores); a language with too few passages to estimate it is left as it is.
        q = t.balance_quantile
        centre = np.quantile(sims, q)
        for group in (snap.chinese, ~snap.chinese):
            if group.sum() >= BALANCE_MIN:
                sims[group] += centre - np.quantile(sims[group], q)
    return sims


def dense_ranking(snap: Snapshot, vector, allowed: np.ndarray, t: Tuning, n: int) -> list[str]:
    """The n allowed passages nearest the question (`dense_scores`)."""
    if not len(snap.passages):
        return []
    return top_ids(snap, np.where(allowed, dense_scores(snap, vector, t), -np.inf), n)


RESCORE_FEATURES = (
    "ln fused score", "closeness", "passage share", "host turn share",
    "named speaker", "mentioned document", "host question",
)


def rescore_features(
    hits: list[Hit],
    sims: np.ndarray,
    terms: dict[str, float],
    snap: Snapshot,
    flags: np.ndarray,
    floor: float = 4.0,
) -> np.ndarray:
    """One row per fused hit (`RESCORE_FEATURES`): the log of the fused score (boosts and
    host factor included); dense closeness below the best hit's, in standard deviations of
    the question's scores over all passages (so that any embedding model's scale reads the
    same), counted down to `floor`; the IDF-weighted share of the question's terms in the
    passage, and in the host turn it follows; and the hit's `flags` (said by a person the
    question names; in a document that alone mentions a name the question says; a host's
    question).

    >>> from index.types import Passage
    >>> from types import SimpleNamespace
    >>> ps = [Passage("a#t1p1", "a", "G", "guest", 1, 1, "Rain, mostly.", question="Weather?"),
    ...       Passage("a#t2p1", "a", "G", "guest", 2, 1, "The weather is rain.")]
    >>> snap = SimpleNamespace(position={"a#t1p1": 0, "a#t2p1": 1}, idf={})
    >>> hits, sims = [Hit(ps[0], 0.05), Hit(ps[1], 0.04)], np.array([0.80, 0.70])
    >>> rescore_features(hits, sims, {"weather": 1.0}, snap, np.zeros((2, 3))).round(2).tolist()
    [[-3.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0], [-3.22, -2.0, 1.0, 0.0, 0.0, 0.0, 0.0]]
    """
    dense = np.array([sims[snap.position[h.passage.id]] for h in hits])
    spread = float(np.std(sims)) or 1.0
    columns = [
        np.log([h.score for h in hits]),
        np.maximum((dense - dense.max()) / spread, -floor),
        [term_coverage(terms, snap.idf, h.passage.text) for h in hits],
        [term_coverage(terms, snap.idf, h.passage.question or "") for h in hits],
    ]
    return np.column_stack([*columns, flags]) if hits else np.zeros((0, len(RESCORE_FEATURES)))


def rescored(
    hits: list[Hit], features: np.ndarray, w: tuple[float, ...]
) -> tuple[list[Hit], np.ndarray]:
    """Hits ranked by the weighted sum of their `rescore_features` (weights `w`, in that
    order), each hit's score its new one; the features in the new order.

    >>> from index.types import Passage
    >>> hits = [Hit(Passage(f"a#t{i}p1", "a", "G", "guest", i, 1, "x"), 0.1) for i in (1, 2)]
    >>> ranked, _ = rescored(hits, np.array([[-2.3, 0, 0, 0, 0, 0, 0], [-2.3, -1, 1, 0, 0, 0, 0]]),
    ...                      (3, 0.6, 8, 7.3, 6, 4, -3))
    >>> [(h.passage.id, h.score) for h in ranked]
    [('a#t2p1', 0.5), ('a#t1p1', -6.9)]
    """
    scores = features @ np.asarray(w, dtype=float)
    order = np.argsort(-scores, kind="stable")
    return [replace(hits[i], score=round(float(scores[i]), 6)) for i in order], features[order]


def search(
    snap: Snapshot,
    store: Store,
    query_vector,
    glossary: Glossary | None,
    config: Config,
    question: str,
    *,
    k: int,
    speaker: str | list[str] | None = None,
    source: str | list[str] | None = None,
) -> Retrieval:
    """Rank passages for a cleaned question. `query_vector(text)` embeds the question."""
    t: Tuning = config.tuning
    q = question
    speakers = resolve(speaker, snap.speakers, "speaker")
    sources = resolve(source, snap.sources, "document")
    if sources is None and (named_documents := documents_named(question, snap.sources)):
        # a question that names a document by its file name asks about that one alone
        present = speakers_by_document(snap)
        sources = named_documents if speakers is None or any(
            present.get(d, frozenset()) & set(speakers) for d in named_documents
        ) else None
    allowed = np.array(
        [
            (speakers is None or p.speaker in speakers) and (sources is None or p.source in sources)
            for p in snap.passages
        ],
        dtype=bool,
    ) & (snap.substance >= t.min_passage_words)
    if speakers is not None and sources is not None and not allowed.any():
        raise BadInputError(
            f"{' or '.join(speakers)} never speaks in {' or '.join(sources)}: "
            "choose another speaker or document"
        )
    lang = language(q)
    asked = q
    n = min(t.candidates, len(snap.passages))
    w_dense, w_lex = config.weights()
    vector = query_vector(q) if w_dense > 0 else None
    sims = dense_scores(snap, vector, t) if vector is not None else None
    # a foreign name a Chinese question writes by its sound (拉科克) is read as the Latin name
    # the passages write (Laycock): for whom it names, the documents it points to, and the
    # lexical ranker
    if lang == "zh":
        q = sounded_out(q, snap, glossary)
    else:
        q = in_pinyin_out(q, snap, glossary, sims)

    # Whom the question names ("According to Tom, …"): their words are ranked among
    # themselves too, so that a reply that words the question differently still gets a place.
    named = frozenset(named_speakers(q, snap, glossary))
    named_at = named_introduced(q, snap, glossary)
    people = people_named(named, named_at)

    def about_them(p: Passage) -> bool:
        # their words, or a host telling about them (the guest's introduction: "Adrian
        # Tchaikovsky is … His first novel … was published in 2008.")
        return said_by(p, named, named_at) or (p.role == "host" and introduces(p.text, people))

    about = np.array([about_them(p) for p in snap.passages], dtype=bool) if people else None
    theirs = allowed & about if about is not None and t.named_lists > 0 else None

    dense_ids: list[str] = []
    dense_named: list[str] = []
    if sims is not None and t.dense_balance:  # ranked over all and over theirs
        dense_ids = top_ids(snap, np.where(allowed, sims, -np.inf), n)
        if theirs is not None:
            dense_named = top_ids(snap, np.where(theirs, sims, -np.inf), n)
    elif w_dense > 0:
        found = store.query(vector, n, where_filter(speakers, sources))
        dense_ids = [pid for pid in found if pid in snap.position]

    # Questions name the speakers ("What does Karpathy think…"); passages rarely do.
    tokens = [tok for tok in tokenize(q) if tok not in snap.name_tokens and tok not in ASKING]
    weights = lexical_query(q, lang, tokens, snap, glossary)
    lex_ids: list[str] = []
    lex_named: list[str] = []
    if weights and w_lex > 0:
        bm25 = bm25_scores(snap, weights)
        bm25 = np.where(bm25 > 0, bm25, -np.inf)  # a passage with no word of the question: none
        lex_ids = top_ids(snap, np.where(allowed, bm25, -np.inf), n)
        if theirs is not None:
            lex_named = top_ids(snap, np.where(theirs, bm25, -np.inf), n)

    w_named = t.named_lists
    fused = [
        (pid, s)
        for pid, s in reciprocal_rank_fusion(
            [dense_ids, lex_ids, dense_named, lex_named],
            (w_dense, w_lex, w_dense * w_named, w_lex * w_named),
            t.rrf_k,
        )
        if s > 0
    ]
    # Hosts' questions resemble users' questions; the answers are in the guests' turns,
    # unless the question asks about the hosts. The person a question names ("According to
    # Tom, …") comes first.
    about_hosts = asks_about_hosts(q, snap, glossary)
    host_factor = 1.0 if about_hosts else t.host_factor
    if not about_hosts and GUEST_WORDS.search(to_simplified(q)):
        host_factor *= t.host_factor

    # ("What did the host point out …?": the hosts' words, as a named speaker's would be)
    host_says = t.host_says_boost if about_hosts and HOST_SAYS.search(q) else 1.0

    def factor(pid: str) -> float:
        if about is not None and about[snap.position[pid]]:
            return t.named_speaker_boost  # a host the question names is no host to pass over
        return host_factor * host_says if snap.passage(pid).role == "host" else 1.0

    # a name only one or two documents mention points the question to them
    pointed = mentioned_documents(q, lang, snap, t.mention_documents) if t.mention_boost != 1 else ()

    def document(pid: str) -> float:
        return t.mention_boost if snap.passage(pid).source in pointed else 1.0

    # a passage that holds what the question asks for: a count for "how many", an amount for
    # "how much" (numbers the question states itself do not count)
    kinds = [kind for kind in asked_types(q) if kind != "date"] if t.type_boost != 1 else []

    def holds(pid: str) -> float:
        if not kinds:  # most questions ask for no such thing: no text to read
            return 1.0
        text = unasked(q, snap.passage(pid).text)
        return t.type_boost if any(has_type(kind, text) for kind in kinds) else 1.0

    fused = sorted(((pid, s * factor(pid) * document(pid) * holds(pid)) for pid, s in fused),
                   key=lambda kv: -kv[1])
    fused_score = dict(fused)
    pos = snap.position
    ranked = [pid for pid, _ in fused]
    twins = {
        (x, y) for x, y in mutual_twins(
            ranked,
            [snap.passage(c).source for c in ranked],
            snap.vectors[[pos[c] for c in ranked]] if ranked else snap.vectors[:0],
            t.duplicate_cosine,
        )
        if retold(snap, snap.passage(x).source, snap.passage(y).source, t.duplicate_cosine,
                  t.retold_share)
    }  # fmt: skip
    rescoring = sims is not None and w_lex > 0 and bool(weights) and any(t.rescore_weights[1:])
    depth = max(k, t.rescore_depth) if rescoring else k
    features = None
    groups = group_duplicates(
        ranked, lambda pid: snap.passage(pid).source, lambda a, b: (a, b) in twins, limit=depth
    )
    # Of two copies of one passage, show the one that holds more of the question's words,
    # and on a tie the one in the question's own script.
    want_script = script(q)

    def preference(pid: str) -> tuple[float, bool]:
        text = snap.passage(pid).text
        return (round(term_coverage(weights, snap.idf, text), 2), script(text) == want_script)

    hits = []
    for head, others in groups:
        members = [head, *others]
        best = max(members, key=preference)
        versions = tuple(snap.passage(m) for m in members if m != best)
        hits.append(
            Hit(replace(snap.passage(best), versions=versions), round(fused_score[head], 6))
        )
    if rescoring and hits:
        def flags_of(p: Passage) -> tuple[bool, bool, bool]:
            theirs = about is not None and bool(about[pos[p.id]])
            # a host's question is no answer, unless the question is about the hosts
            hosts_question = not about_hosts and p.role == "host" and not theirs and asks(p.text)
            return theirs, p.source in pointed, hosts_question

        flags = np.array([flags_of(h.passage) for h in hits], dtype=float).reshape(len(hits), 3)
        features = rescore_features(hits, sims, weights, snap, flags, t.rescore_floor)
        hits, features = rescored(hits, features, t.rescore_weights)
        hits, features = hits[:k], features[:k]
    return Retrieval(
        snapshot=snap, question=q, hits=hits, lang=lang, query_tokens=tuple(tokens), terms=weights,
        about_hosts=about_hosts, named=named, named_at=named_at,
        called=frozenset(called_speakers(q, snap, glossary)) if named or named_at else frozenset(),
        asked=asked, features=features, filtered=speakers is not None or sources is not None,
    )
