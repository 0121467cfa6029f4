"""Extractive answers: choose the sentences that answer the question, mark each with [n].

Nothing here generates text: every sentence of an answer is copied from a cited passage, so
each claim carries the number of the passage it came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.chunk import passage_sentences
from index.clean import is_address, is_traditional, normalize, to_traditional
from index.config import Tuning
from index.formats.lines import mostly_cjk
from index.lexical import tokenize
from index.types import Passage
from rag.numbers import numbers

NOT_COVERED = {
    "zh": "访谈中没有谈到这个问题，无法根据访谈内容回答。",
    "en": "The transcripts do not cover this, so there is no answer from them.",
}
# ... when only some speakers' or documents' passages were searched
NOT_COVERED_FILTERED = {
    "zh": "所选说话人或文档的内容中没有谈到这个问题；去掉筛选条件可以在全部访谈中查找。",
    "en": "What the chosen speaker or document says does not cover this; without the filter, "
          "every transcript is searched.",
}


def not_covered(question: str, lang: str, *, filtered: bool = False) -> str:
    """What a declined answer says, in the question's language and script.

    >>> not_covered("國旅卡省了多少錢？", "zh")
    '訪談中沒有談到這個問題，無法根據訪談內容回答。'
    >>> not_covered("国旅卡省了多少钱？", "zh", filtered=True)[:12]
    '所选说话人或文档的内容中'
    """
    text = (NOT_COVERED_FILTERED if filtered else NOT_COVERED)[lang]
    return to_traditional(text) if lang == "zh" and is_traditional(question) else text


@dataclass(frozen=True)
class Candidate:
    hit: int  # index of the passage in the ranked list (0-based)
    position: int  # sentence index inside the passage
    text: str
    version: int = 0  # 0: the passage itself; k: its k-th other write-up (`Passage.versions`)

    @property
    def place(self) -> tuple[int, int, int]:
        """Where the sentence is, in reading order: passage, write-up, sentence."""
        return (self.hit, self.version, self.position)


def readable_text(p: Passage, lang: str) -> str:
    """The version of a passage to quote for a question in `lang` ("zh" or "en"): its
    second-language text (`alt`, the other half of a bilingual turn, such as a translation's
    original) when that is in the question's language and the text is not.

    >>> p = Passage("d#t1p1", "d", "A", "guest", 1, 1, "我喜欢青蛙。", alt="I like frogs.")
    >>> readable_text(p, "en"), readable_text(p, "zh")
    ('I like frogs.', '我喜欢青蛙。')
    """
    want_cjk = lang == "zh"
    if p.alt and mostly_cjk(p.text) != want_cjk and mostly_cjk(p.alt) == want_cjk:
        return p.alt
    return p.text


def candidates(
    passages: Sequence[str], max_passages: int = 3, min_chars: int = 8, preamble_chars: int = 0,
    self_answer_chars: int = 0, questions: bool = False,
) -> list[Candidate]:
    """Sentences of the first passages that could stand alone in an answer.

    Questions are left out: a question does not answer anything, unless (`preamble_chars` > 0)
    it opens with a statement at least that long, as a host's often does ("Since the 1980s
    studies show tutoring lifts a student two sigma, so how would you …?"), or the speaker
    answers it at once, in a statement of at most `self_answer_chars` ("How many downloads did
    we get? Four."): the question says what the short answer is about (`with_following` adds it).
    With `questions`, every question is one: "Who asked for an example?" is answered by it.

    >>> [(c.hit, c.position, c.text) for c in candidates(["是的。我认为数据是瓶颈。你怎么看?", "对。"])]
    [(0, 1, '我认为数据是瓶颈。')]
    >>> [c.text for c in candidates(["你认为人形机器人最早会用在什么场景？", "工厂里的物料搬运。"], 2)]
    ['工厂里的物料搬运。']
    >>> [c.text for c in candidates(["研究说一对一辅导能提高两个标准差,你怎么看?"], preamble_chars=10)]
    ['研究说一对一辅导能提高两个标准差,你怎么看?']
    >>> [c.text for c in candidates(["主席、各位委員。我們編了四年五百億。", "Thank you, Mr. Chairman. We agree."], 2)]
    ['我們編了四年五百億。', 'We agree.']
    >>> [c.text for c in candidates(["How many downloads did we get? Four. Ha.", "Why? Was it late?"],
    ...                             2, self_answer_chars=40)]
    ['How many downloads did we get?']
    >>> [c.text for c in candidates(["How long does it take? I've always been curious."], self_answer_chars=40)]
    ["I've always been curious."]
    >>> [c.text for c in candidates(["Can you give me an example of a module?"], questions=True)]
    ['Can you give me an example of a module?']
    """
    out: list[Candidate] = []
    for h, text in enumerate(passages[:max_passages]):
        said = passage_sentences(text)
        for i, s in enumerate(said):
            nxt = said[i + 1] if i + 1 < len(said) else ""
            answered = (0 < len(nxt) <= self_answer_chars and not _is_question(nxt)
                        and not _CURIOUS.search(nxt))
            if len(s) >= min_chars and not is_address(s) and (
                not _is_question(s) or 0 < preamble_chars <= _preamble(s) or answered or questions
            ):
                out.append(Candidate(h, i, s))
    return out


def from_versions(
    own: Sequence[str], versions: Sequence[Sequence[str]], max_passages: int = 3,
    min_chars: int = 8, max_shared: float = 0.4,
) -> list[Candidate]:
    """Sentences of the other write-ups of the first passages (`versions[hit]`) that say
    something their own text does not: a translator may keep a fact ("20 到 30 人") the other
    left out. A sentence sharing more than `max_shared` of its character pairs with the
    passage's own text is the same sentence in other words, and left out, unless it holds a
    number the own text does not.

    >>> own = ["我曾在斯坦福教过一门深度学习课程,效果很好。"]
    >>> other = [["我之前教授了斯坦福的一門深度學習課程。學生人數只有 20 到 30 人。"]]
    >>> [(c.hit, c.version, c.position, c.text) for c in from_versions(own, other)]
    [(0, 1, 1, '學生人數只有 20 到 30 人。')]
    >>> [c.text for c in from_versions(own, [["我之前教过斯坦福的一门深度学习课程,只有 30 人,效果很好。"]])]
    ['我之前教过斯坦福的一门深度学习课程,只有 30 人,效果很好。']

    A number written in digits in one and in words in the other is the same number:

    >>> from_versions(["我在自动驾驶领域花了大约五年的时间。"], [["我在自動駕駛領域大約花了 5 年的時間。"]])
    []
    """
    out: list[Candidate] = []
    for h, texts in enumerate(versions[:max_passages]):
        have, said = _pairs(own[h]), numbers(own[h])
        for k, text in enumerate(texts, start=1):
            for i, s in enumerate(passage_sentences(text)):
                pairs = _pairs(s)
                new = pairs and (len(pairs & have) / len(pairs) <= max_shared
                                 or numbers(s) - said)
                if len(s) >= min_chars and not _is_question(s) and not is_address(s) and new:
                    out.append(Candidate(h, i, s, k))
    return out




@lru_cache(maxsize=8192)
def _pairs(text: str) -> frozenset[str]:
    """What two wordings of one sentence share: its pairs of adjacent Chinese characters
    (Simplified script) and its Latin words (lower case), as "a b" pairs of adjacent ones.

    >>> sorted(_pairs("數據 is the key")), sorted(_pairs("It is key."))
    (['is the', 'the key', '数据'], ['is key', 'it is'])
    """
    t = normalize(text)
    out = {run[i : i + 2] for run in _HAN_RUN.findall(t) for i in range(max(len(run) - 1, 1))}
    for run in _LATIN_RUN.findall(t):
        words = run.split()
        out |= {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return frozenset(out)


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_RUN = re.compile(r"[a-z0-9'][a-z0-9' ]*")


def repeats(text: str, said: Sequence[str], max_shared: float) -> bool:
    """Does the sentence say again what one of `said` says: more than `max_shared` of its
    character pairs (or of the other's, if shorter) are the other's? (1 or more: never.)

    >>> repeats("早期的 Optimus 机器人以为自己是辆车。", ["早期的 Optimus 機器人還認為自己是一輛車。"], 0.5)
    True
    """
    if max_shared >= 1:
        return False
    mine = _pairs(text)
    return any(
        mine and (theirs := _pairs(s)) and len(mine & theirs) / min(len(mine), len(theirs)) > max_shared
        for s in said
    )


# what an asker adds after a question, which answers nothing ("I've always been curious.")
_CURIOUS = re.compile(r"\b(?:curious|wonder(?:ed|ing)?)\b|好奇|想知道", re.I)


def _is_question(sentence: str) -> bool:
    return sentence.rstrip("”」』\"' ").endswith(("?", "？"))


def _preamble(question: str) -> int:
    """Length of what a question says before its last clause.

    >>> _preamble("Studies show two sigma, so how?"), _preamble("Why?"), _preamble("研究说能提高两个标准差，你怎么看？")
    (22, 0, 11)
    """
    cut = max(question.rfind(sep) for sep in ",，;；:：")
    return max(cut, 0)


def term_coverage(terms: dict[str, float], idf: dict[str, float], text: str) -> float:
    """IDF-weighted share of the question's terms that occur in `text`.

    >>> term_coverage({"数据": 1.0, "瓶颈": 1.0}, {"数据": 1.0, "瓶颈": 3.0}, "瓶頸在哪裡")
    0.75
    """
    total = sum(w * idf.get(t, 1.0) for t, w in terms.items())
    if not total:
        return 0.0
    have = words_of(text)
    return sum(w * idf.get(t, 1.0) for t, w in terms.items() if t in have) / total


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    """The lexical tokens of a text, remembered: the same passages and sentences are read for
    question after question."""
    return frozenset(tokenize(text))


def asks_the_same(
    host_question: str, terms: dict[str, float], idf: dict[str, float], min_share: float,
    min_terms: int,
) -> bool:
    """Does a host's question ask what the user asks: it holds `min_share` of the user's
    (IDF-weighted) terms and at least `min_terms` of them? One shared word ("robots") is a
    topic, not the same question.

    >>> asks_the_same("Where will robots be used first?", {"robot": 1.0}, {}, 0.6, 2)
    False
    >>> asks_the_same("Which robot would you buy?", {"robot": 1.0, "buy": 1.0}, {}, 0.6, 2)
    True
    >>> asks_the_same("Which robot would you buy?", {"robot": 1.0, "buy": 1.0, "机器人": 1.0, "买": 1.0}, {}, 0.6, 2)
    True
    """
    shared = set(tokenize(host_question)) & terms.keys()
    # (of the terms in the host question's own script: an English question is also read as
    # Chinese words, which an English host question cannot hold)
    own = {t: w for t, w in terms.items() if in_script(t, _scripts(host_question))} or terms
    return len(shared) >= min_terms and term_coverage(own, idf, host_question) >= min_share


def score(
    cands: Sequence[Candidate],
    terms: dict[str, float],
    idf: dict[str, float],
    answers_asked: Sequence[bool] = (),
    tuning: Tuning | None = None,
) -> list[float]:
    """How well each sentence answers: its term coverage, nudged toward higher-ranked passages
    and the opening sentences of a passage (where answers usually start). When a passage opens
    the answer to a host question that asks what the user asks (`answers_asked[hit]`), its first
    sentences are the answer even if they share few words with the question."""
    tuning = tuning or Tuning()
    out = []
    for c in cands:
        s = (
            term_coverage(terms, idf, c.text)
            + tuning.rank_bonus / (1 + c.hit)
            + (tuning.opening_bonus if c.position == 0 else 0.0)
        )
        lead = c.hit < len(answers_asked) and answers_asked[c.hit]
        if lead and c.position < tuning.lead_sentences:
            s += tuning.lead_bonus
        out.append(s)
    return out


def complement(
    chosen: Sequence[Candidate],
    cands: Sequence[Candidate],
    terms: dict[str, float],
    idf: dict[str, float],
    min_gain: float,
    documents: Sequence[frozenset[str]] = (),
    same_shared: float = 1.0,
    asked: Sequence[str] = (),
) -> list[Candidate]:
    """Add the one sentence that covers most of what the chosen ones leave out of the
    question, when that is at least `min_gain` of the question's weight: the second half of
    "What does it cost, and what budget does he suggest?". What the host question a chosen
    sentence replies to asks (`asked[hit]`) is not left out: the reply answers it ("Why did
    Fernway move from Jenkins?" is answered by a reply to it that never says "move").

    >>> cs = [Candidate(0, 0, "A search costs $950."), Candidate(0, 1, "Budget about $1,500 in all."),
    ...       Candidate(1, 0, "Searches are slow.")]
    >>> [c.text for c in complement(cs[:1], cs, {"search": 1.0, "cost": 1.0, "budget": 1.0}, {}, 0.3)]
    ['A search costs $950.', 'Budget about $1,500 in all.']

    Given each passage's documents, only the conversation already quoted completes it:

    >>> cs = [Candidate(0, 0, "A search costs $950."), Candidate(1, 0, "Our budget is $1,500.")]
    >>> [c.text for c in complement(cs[:1], cs, {"search": 1.0, "cost": 1.0, "budget": 1.0}, {},
    ...                             0.3, [frozenset({"trademarks.txt"}), frozenset({"cities.vtt"})])]
    ['A search costs $950.']
    """
    def weight(ts: dict[str, float]) -> float:
        return sum(w * idf.get(t, 1.0) for t, w in ts.items())

    total = weight(terms)
    if not chosen or not total:
        return list(chosen)
    have = {t for c in chosen for t in tokenize(c.text)}
    have |= {t for c in chosen if c.hit < len(asked) for t in tokenize(asked[c.hit])}
    left = {t: w for t, w in terms.items() if t not in have}
    taken = {c.place for c in chosen}

    def gain(c: Candidate) -> float:
        # (of the question's terms in the sentence's own script: an English sentence can hold
        # none of the Chinese words an English question is also read as, nor they its words)
        words = set(tokenize(c.text))
        own = weight({t: w for t, w in terms.items() if in_script(t, _scripts(c.text))}) or total
        return weight({t: w for t, w in left.items() if t in words}) / own

    # the rest of the question is answered in the conversation the chosen sentences come
    # from (`documents[hit]`: the passage's document and those of its other write-ups), not
    # by another interview's words
    same = frozenset().union(*(documents[c.hit] for c in chosen)) if documents else None
    rest = [
        c for c in cands
        if c.place not in taken and (same is None or documents[c.hit] & same)
        and not repeats(c.text, [x.text for x in chosen], same_shared)  # nor says it again
    ]
    best = max(rest, key=gain, default=None)
    if best is None or gain(best) < min_gain:
        return list(chosen)
    return sorted([*chosen, best], key=lambda c: c.place)


def _script(term: str) -> str:
    return "han" if _HAN_RUN.match(term) else "digits" if term.isdigit() else "latin"


def in_script(term: str, scripts: frozenset[str]) -> bool:
    """Can a text in these scripts hold the term? Digits are written in any.

    >>> in_script("2017", frozenset({"han"})), in_script("fund", frozenset({"han"}))
    (True, False)
    """
    return _script(term) == "digits" or _script(term) in scripts


def _scripts(text: str) -> frozenset[str]:
    """The scripts a text is written in: "han", "latin" or both."""
    return frozenset({"han"} if _HAN_RUN.search(text) else set()) | (
        {"latin"} if re.search(r"[A-Za-z]{2}", text) else set())


def _last_positions(sentences: Sequence[Candidate]) -> dict[tuple[int, int], int]:
    """The position of the last sentence of each passage's write-up, by (hit, version)."""
    last: dict[tuple[int, int], int] = {}
    for c in sentences:
        last[c.hit, c.version] = max(last.get((c.hit, c.version), 0), c.position)
    return last


def _next_place(
    place: tuple[int, int, int], last: Mapping[tuple[int, int], int],
    continues: Mapping[int, int] | None,
) -> tuple[int, int, int] | None:
    """Where the sentence after `place` stands: the next one of its passage, or after the
    passage's last the first of the passage that `continues` it (its own text only).

    >>> _next_place((0, 0, 0), {(0, 0): 1}, {0: 2}), _next_place((0, 0, 1), {(0, 0): 1}, {0: 2})
    ((0, 0, 1), (2, 0, 0))
    >>> _next_place((0, 1, 1), {(0, 1): 1}, {0: 2}) is None
    True
    """
    hit, version, position = place
    if position < last.get((hit, version), -1):
        return (hit, version, position + 1)
    if continues and version == 0 and hit in continues:
        return (continues[hit], 0, 0)
    return None


def with_following(
    chosen: Sequence[Candidate], sentences: Sequence[Candidate], max_chars: int = 120,
    min_chars: int = 8, continues: Mapping[int, int] | None = None,
) -> list[Candidate]:
    """Add the sentence after each chosen one when the chosen one is short: the words that
    match a question often set up the fact, which comes next. After a passage's last sentence
    comes the first of the passage that `continues` it (the next piece of the same turn). A
    follower shorter than `min_chars` ("Yes.") is added only after a question, which it answers;
    a follower that is a question comes with the statement after it, its answer.

    >>> cs = [Candidate(0, 0, "我不认为架构是瓶颈。"), Candidate(0, 1, "数据才是。"), Candidate(0, 3, "另一点。")]
    >>> [c.text for c in with_following([cs[0]], cs, min_chars=4)]
    ['我不认为架构是瓶颈。', '数据才是。']
    >>> qs = [Candidate(0, 0, "你愿意租一个更好的大脑吗?"), Candidate(0, 1, "我愿意。")]
    >>> [c.text for c in with_following([qs[0]], qs)], len(with_following([cs[0]], cs))
    (['你愿意租一个更好的大脑吗?', '我愿意。'], 1)
    >>> ps = [Candidate(0, 0, "Paris is denser than London."), Candidate(1, 0, "Because it had walls.")]
    >>> [c.text for c in with_following([ps[0]], ps, continues={0: 1})]
    ['Paris is denser than London.', 'Because it had walls.']
    >>> fs = [Candidate(0, 0, "We are number one."), Candidate(0, 1, "How many downloads?"), Candidate(0, 2, "Four.")]
    >>> [c.text for c in with_following([fs[0]], fs)]
    ['We are number one.', 'How many downloads?', 'Four.']
    >>> [c.text for c in with_following([fs[0]], fs[:2])]  # a question put to someone else
    ['We are number one.']
    >>> ws = [Candidate(0, 0, "你愿意租一个更好的大脑吗?"), Candidate(0, 1, "我个人愿意。"), Candidate(0, 2, "所以我认为这是一个权衡。")]
    >>> [c.text for c in with_following([ws[0]], ws)]
    ['你愿意租一个更好的大脑吗?', '我个人愿意。', '所以我认为这是一个权衡。']
    """
    by_place = {c.place: c for c in sentences}
    last = _last_positions(sentences)
    out = {c.place: c for c in chosen}
    for c in chosen:
        place = _next_place(c.place, last, continues)
        nxt = by_place.get(place) if place else None
        if nxt is None or len(c.text) > max_chars:
            continue
        if len(nxt.text) >= min_chars or _is_question(c.text):
            answer = by_place.get((nxt.hit, nxt.version, nxt.position + 1))
            if _is_question(nxt.text) and (answer is None or _is_question(answer.text)):
                continue  # a question with no answer after it: put to someone else, unanswered here
            out.setdefault(nxt.place, nxt)
            # a follower that is a question comes with its answer, and a bare reply ("我个人愿意。")
            # with what the speaker says next, which says why
            if answer and not _is_question(answer.text) and (
                _is_question(nxt.text) or len(nxt.text) < min_chars):
                out.setdefault(answer.place, answer)
    return [out[key] for key in sorted(out)]


def with_preceding(
    chosen: Sequence[Candidate], sentences: Sequence[Candidate], terms: Mapping[str, float],
    min_echo: float = 0.8, min_words: int = 3,
) -> list[Candidate]:
    """Add the sentence before each chosen one that only says the question again: at least
    `min_echo` of its words (and `min_words` of them) are the question's. The asker took the
    question from it, and the fact it sums up came just before ("…by doubling the SIFI
    surcharge. We've, in effect, already put in place countercyclical buffers."). So is the
    sentence before one that opens by pointing back to it ("That has been there since
    1994.", "这就是为什么…"): what "that" is was said there.

    >>> cs = [Candidate(0, 0, "We doubled the SIFI surcharge."),
    ...       Candidate(0, 1, "So we already have countercyclical buffers in place.")]
    >>> terms = {t: 1.0 for t in ("alreadi", "countercycl", "buffer", "place", "bank")}
    >>> [c.text for c in with_preceding(cs[1:], cs, terms)]
    ['We doubled the SIFI surcharge.', 'So we already have countercyclical buffers in place.']
    >>> len(with_preceding([Candidate(0, 1, "Banks hold more capital than before the crisis.")], cs, terms))
    1
    >>> ms = [Candidate(0, 0, "Make has had pattern rules all along."), Candidate(0, 1, "That has been there since 1994.")]
    >>> [c.text for c in with_preceding(ms[1:], ms, {"1994": 1.0})]
    ['Make has had pattern rules all along.', 'That has been there since 1994.']
    >>> xs = [Candidate(0, 0, "Exactly."), Candidate(0, 1, "That's what we did in 1994.")]
    >>> [c.text for c in with_preceding(xs[1:], xs, {"1994": 1.0}, min_words=9)]
    ["That's what we did in 1994."]
    """
    by_place = {c.place: c for c in sentences}
    out = {c.place: c for c in chosen}
    for c in chosen:
        words = words_of(c.text)
        echoed = words & terms.keys()
        echo = len(echoed) >= min_words and len(echoed) >= min_echo * len(words)
        if c.position and (echo or refers_back(c.text)):
            before = by_place.get((c.hit, c.version, c.position - 1))
            # ("Yeah, well yeah, absolutely." before "And that was …" says nothing it points to)
            if before is not None and (echo or words_of(before.text) - _AGREEING):
                out.setdefault(before.place, before)
    return [out[key] for key in sorted(out)]


# a sentence whose subject points back to the one before: "That has been there since
# 1994.", "And so, this is the way Bing Chat works.", "这就是为什么…", "那是在 2017 年。"
_REFERS_BACK = re.compile(
    r"^(?:(?:and|so|but|yeah|yes|well|now),?\s+)*(?:that|this|these|those)(?:'s|’s|\s+(?:is|was|"
    r"are|were|has|had|have|will|would|can|could|must|one|ones|thing|things|kind|sort|way|"
    r"saying|idea|approach|feature|part)\b)|"
    r"^(?:所以|但是?|而且|然后|然後|其实|其實)?[这這那](?:就|是|也|个|個|些|种|種|样|樣|便|才)",
    re.I,
)

_AGREEING = frozenset(t for w in ("yeah yes yep well absolutely okay ok right sure exactly true oh "
                                   "uh-huh mm-hmm 对 對 是的 没错 沒錯 好的 嗯").split() for t in tokenize(w))


def refers_back(sentence: str) -> bool:
    """Does the sentence open with a word that points back to the sentence before it?

    >>> refers_back("That's actually a saying my first lead told me."), refers_back("这就是原因。")
    (True, True)
    >>> refers_back("That company sells steel."), refers_back("那么我们开始吧。"), refers_back("This year we grew.")
    (False, False, False)
    """
    return bool(_REFERS_BACK.search(sentence.strip()))


# the items of a list, said one after the other: "The first thing you need is …", "The
# second thing is …", "首先…", "其次…"; an ordinal alone ("when I first started") is no item
_ITEM = re.compile(
    r"\b(?:the|my|our|your|a)\s+(?:first|second|third|fourth|fifth|next|last|final|other)\s+"
    r"(?:one|thing|step|point|reason|way|element|tip|piece|part|item|rule|lesson|mistake|"
    r"question|idea|factor|area|pillar|principle|problem|issue|criticism|category|kind|type)s?\b|"
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|lastly)\b[,:]?|\band (?:then )?(?:finally|lastly)\b|"
    r"^(?:and\s+)?(?:one|two|three|four)\s*[,:]|^[一二三四]是|^(?:一方面|另一方面)|"
    r"首先|其次|再次|第[一二三四五六七八九十][个個点點条條是,，、：:]|最后一|最後一|另一个|另一個|还有一个|還有一個",
    re.I,
)


def is_item(sentence: str) -> bool:
    """Does the sentence give an item of a list by its place in it?

    >>> is_item("The second thing that you need is a good hook."), is_item("首先是数学。")
    (True, True)
    >>> is_item("One, people aren't very nice sometimes."), is_item("二是成本太高。")
    (True, True)
    >>> is_item("When I first started, it was hard."), is_item("The first time I rode one.")
    (False, False)
    """
    return bool(_ITEM.search(sentence.strip()))


def rest_of_list(
    chosen: Sequence[Candidate], sentences: Sequence[Candidate], passages: Sequence[Passage],
    wanted: int | None = None, most: int = 5,
) -> list[Candidate]:
    """When a chosen sentence gives an item of a list ("The first thing you need is a visual
    element"), the list's other items in the same turn (`passages[hit]` says whose), in
    reading order: as many as the question asks for (`wanted`), else at most `most`.

    >>> from index.types import Passage
    >>> ps = [Passage("d#t3p1", "d", "G", "guest", 3, 1, ""), Passage("d#t3p2", "d", "G", "guest", 3, 2, ""),
    ...       Passage("d#t4p1", "d", "H", "host", 4, 1, "")]
    >>> ss = [Candidate(0, 0, "The first thing you need is a visual element."), Candidate(0, 1, "People scroll."),
    ...       Candidate(1, 0, "The second thing you need is a good hook."), Candidate(1, 1, "Make it short."),
    ...       Candidate(1, 2, "The third thing is a link."), Candidate(2, 0, "The next thing is lunch.")]
    >>> [c.text for c in rest_of_list(ss[:2], ss, ps, 3)]
    ['The first thing you need is a visual element.', 'People scroll.', 'The second thing you need is a good hook.', 'The third thing is a link.']

    An item said in a piece before the chosen one is quoted before it:

    >>> later, earlier = ps[1], ps[0]  # the piece found first, and the one before it in the turn
    >>> two = [Candidate(0, 0, "The second thing is a good hook."), Candidate(1, 0, "The first thing is a visual.")]
    >>> [c.text for c in rest_of_list(two[:1], two, [later, earlier], 2)]
    ['The first thing is a visual.', 'The second thing is a good hook.']
    """
    def turn(c: Candidate) -> tuple[str, int, int]:
        p = passages[c.hit]
        return (p.source, p.turn, p.piece)

    items = [c for c in chosen if c.version == 0 and is_item(c.text)]
    if not items:
        return list(chosen)
    where = {turn(c)[:2] for c in items}
    have = {c.place for c in chosen}
    said = sorted((c for c in sentences if c.version == 0 and turn(c)[:2] in where and is_item(c.text)),
                  key=lambda c: (*turn(c), c.position))
    room = max((wanted or most) - len(items), 0)
    extra = [c for c in said if c.place not in have][:room]
    # the sentences of a list's turn in the order they were said, where its first one stood
    # ("the first one is …" from the piece before comes first)
    out = sorted([*chosen, *extra], key=lambda c: c.place)
    first = {}
    for c in out:
        first.setdefault(turn(c)[:2], c.place)
    return sorted(out, key=lambda c: (first[turn(c)[:2]], *turn(c)[2:], c.version, c.position)
                  if c.version == 0 and turn(c)[:2] in where else (c.place, 0, 0, 0))


def after_the_contrast(
    sentences: Sequence[Candidate], against: frozenset[str], continues: Mapping[int, int] | None = None,
    reach: int = 3,
) -> set[tuple[int, int, int]]:
    """Where the answer to "Instead of X, what …?" may stand: the `reach` sentences after one
    that names X (holds a word of `against`) and do not name it themselves. Speakers name
    the usual thing first and then say what they do instead ("A typical home is framed with
    lumber. … Therefore, we use steel for our framing."). After a passage's last sentence
    come the first of the passage that `continues` it (the next piece of the same turn).

    >>> ss = [Candidate(0, 0, "A typical home is framed with lumber."), Candidate(0, 1, "It is cheap."),
    ...       Candidate(1, 0, "We use steel for our framing."), Candidate(2, 0, "Steel lasts.")]
    >>> sorted(after_the_contrast(ss, frozenset({"lumber"}), {0: 1}, reach=2))
    [(0, 0, 1), (1, 0, 0)]
    """
    by_place = {c.place: c for c in sentences}
    last = _last_positions(sentences)
    out: set[tuple[int, int, int]] = set()
    for c in sentences:
        if not words_of(c.text) & against:
            continue
        place: tuple[int, int, int] | None = c.place
        for _ in range(reach):
            if (place := _next_place(place, last, continues)) is None:
                break
            nxt = by_place.get(place)
            if nxt is not None and not words_of(nxt.text) & against:
                out.add(nxt.place)
    return out


def in_reading_order(chosen: Sequence[Candidate], continues: Mapping[int, int]) -> list[Candidate]:
    """The chosen sentences in order: a passage's own, then those of the passage that
    `continues` it (the next piece of its turn, or its resumption after a "Mm-hmm."), which
    was found only as its continuation; the passages found come in their ranking's order.

    >>> cs = [Candidate(0, 0, "…engineers follow the template quite"), Candidate(1, 0, "Another passage."),
    ...       Candidate(2, 0, "rigidly: GitHub issues.")]
    >>> [c.text for c in in_reading_order(cs, {0: 2})]
    ['…engineers follow the template quite', 'rigidly: GitHub issues.', 'Another passage.']
    """
    before = {v: k for k, v in continues.items()}

    def start(hit: int) -> tuple[int, int]:
        depth, seen = 0, {hit}
        while hit in before and before[hit] not in seen:
            hit = before[hit]
            seen.add(hit)
            depth += 1
        return hit, depth

    return sorted(chosen, key=lambda c: (*start(c.hit), c.version, c.position))


def statements(chosen: Sequence[Candidate]) -> list[str]:
    """The chosen sentences as the answer checks read them: a question joined to the answer the
    speaker gives right after it, which alone does not say what it answers.

    >>> statements([Candidate(0, 3, "How many downloads?"), Candidate(0, 4, "Four."),
    ...             Candidate(1, 0, "Why?"), Candidate(1, 2, "Rain.")])
    ['How many downloads? Four.', 'Why?', 'Rain.']
    """
    out: list[str] = []
    prev: Candidate | None = None
    for c in chosen:
        if prev and _is_question(prev.text) and c.place == (prev.hit, prev.version, prev.position + 1):
            out[-1] = f"{out[-1]} {c.text}"
        else:
            out.append(c.text)
        prev = c
    return out


def select(
    cands: Sequence[Candidate],
    scores: Sequence[float],
    *,
    max_sentences: int = 3,
    per_passage: int = 2,
    keep_within: float = 0.08,
    same_shared: float = 1.0,
    documents: Sequence[frozenset[str]] = (),
    groups: Sequence[object] = (),
) -> list[Candidate]:
    """The best-scoring sentences (close to the best one), in reading order. A sentence that
    shares more than `same_shared` of its character pairs (or of the other's, if shorter)
    with one already chosen says it again, as the other write-up of an interview does, and
    is left out. Given each passage's `documents`, the sentences come from the conversation
    of the best one: another interview's words that happen to share the question's are no
    part of its answer. Given each passage's group (`groups[hit]`, its document), at most
    `per_passage` sentences come from each group rather than from each passage.

    >>> cs = [Candidate(0, 0, "a"), Candidate(0, 1, "b"), Candidate(1, 0, "c")]
    >>> [c.text for c in select(cs, [0.9, 0.5, 0.88])]
    ['a', 'c']
    >>> cs = [Candidate(0, 0, "早期的 Optimus 机器人甚至以为自己是辆车。"),
    ...       Candidate(1, 0, "事實上,早期的 Optimus 機器人甚至還認為自己是一輛車。"), Candidate(2, 0, "它用了汽车的电脑。")]
    >>> [c.text for c in select(cs, [0.9, 0.9, 0.85], keep_within=0.1, same_shared=0.5)]
    ['早期的 Optimus 机器人甚至以为自己是辆车。', '它用了汽车的电脑。']
    >>> cs = [Candidate(0, 0, "只有2種選擇：移民或保持沉默。"), Candidate(1, 0, "I made the right choice.")]
    >>> [c.text for c in select(cs, [0.9, 0.88], documents=[frozenset({"spiegel.md"}), frozenset({"lenny.txt"})])]
    ['只有2種選擇：移民或保持沉默。']
    >>> cs = [Candidate(0, 0, "a"), Candidate(1, 0, "b"), Candidate(2, 0, "c")]
    >>> [c.text for c in select(cs, [0.9, 0.89, 0.88], per_passage=1, groups=["A", "A", "B"])]
    ['a', 'c']
    """
    if not cands:
        return []
    ranked = sorted(range(len(cands)), key=lambda i: -scores[i])
    best = scores[ranked[0]]
    chosen: list[int] = []
    per: dict[object, int] = {}
    same = documents[cands[ranked[0]].hit] if documents else None
    for i in ranked:
        if len(chosen) == max_sentences or scores[i] < best - keep_within:
            break
        if same is not None and not documents[cands[i].hit] & same:
            continue
        if repeats(cands[i].text, [cands[j].text for j in chosen], same_shared):
            continue
        group = groups[cands[i].hit] if groups else cands[i].hit
        if per.get(group, 0) < per_passage:
            chosen.append(i)
            per[group] = per.get(group, 0) + 1
    return sorted((cands[i] for i in chosen), key=lambda c: c.place)


def wide(text: str) -> bool:
    """Text in CJK (full-width) characters, judged by its first letter or digit: no space
    is written beside it, and its colon is full-width.

    >>> wide("“好。”"), wide("“yes.”"), wide("«печь»")
    (True, False, False)
    """
    ch = next((c for c in text if c.isalnum()), "")
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"


def render(
    chosen: Sequence[Candidate],
    numbers: Sequence[int],
    speakers: Sequence[str | None] = (),
) -> str:
    """Join sentences, each followed by the [n] of its passage (`numbers[hit]`). With the
    passages' `speakers`, each run of one person's words opens with their name, so the
    answer says who said what; words whose speaker is unknown say so when others are named.

    >>> render([Candidate(0, 0, "甲。"), Candidate(1, 2, "Yes.")], [1, 2])
    '甲。[1] Yes. [2]'
    >>> render([Candidate(0, 0, "Data."), Candidate(0, 1, "Yes."), Candidate(1, 0, "我同意。")],
    ...        [1, 2], ["Ann Lee", "Bo Li"])
    'Ann Lee: Data. [1] Yes. [1] Bo Li：我同意。[2]'
    >>> render([Candidate(0, 0, "Data."), Candidate(1, 0, "Yes.")], [1, 2], ["Ann Lee", None])
    'Ann Lee: Data. [1] Unknown speaker: Yes. [2]'
    >>> render([Candidate(0, 0, "Обжиг, «печь»")], [1], ["Анна"])  # (no full-width colon but in CJK)
    'Анна: Обжиг, «печь» [1]'
    """
    whos = [speakers[c.hit] if c.hit < len(speakers) else None for c in chosen]
    parts = []
    for i, (c, who) in enumerate(zip(chosen, whos, strict=True)):
        sep = "" if wide(c.text[::-1]) else " "
        text = f"{c.text}{sep}[{numbers[c.hit]}]"
        if any(whos) and (i == 0 or who != whos[i - 1]):
            colon = "：" if wide(c.text) else ": "
            text = f"{who or 'Unknown speaker'}{colon}{text}"
        parts.append(text)
    return " ".join(parts)
