"""Metrics computable offline, without an LLM judge. Pure functions on strings and lists."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from eval.dataset import Gold, squash
from index.clean import normalize

HOST = "host"


@dataclass(frozen=True)
class Cited:
    """What a metric needs of a citation."""

    source: str
    text: str
    speaker: str
    role: str = ""


def supports(c: Cited, gold: Sequence[Gold]) -> bool:
    """Does the cited passage contain one of the gold snippets (in the same document)?

    >>> supports(Cited("a.txt", "我認為數據是瓶頸。", "X"), [Gold("a.txt", "数据是瓶颈")])
    True
    """
    text = squash(c.text)
    return any(g.doc == c.source and squash(g.snippet) in text for g in gold)


def first_hit(cited: Sequence[Cited], gold: Sequence[Gold], k: int) -> int | None:
    """Rank (1-based) of the first supporting citation within the first k, else None."""
    for i, c in enumerate(cited[:k], start=1):
        if supports(c, gold):
            return i
    return None


def hit_at(cited, gold, k: int) -> float:
    return float(first_hit(cited, gold, k) is not None)


def mrr_at(cited, gold, k: int = 10) -> float:
    r = first_hit(cited, gold, k)
    return 1.0 / r if r else 0.0


def ndcg_at(cited, gold, k: int = 10) -> float:
    """Binary-relevance nDCG@k; the ideal ranking puts every gold passage first.

    >>> round(ndcg_at([Cited("a", "x", "s"), Cited("a", "yes", "s")], [Gold("a", "yes")], 10), 3)
    0.631
    """
    rel = [1.0 if supports(c, gold) else 0.0 for c in cited[:k]]
    dcg = sum(r / math.log2(i + 2) for i, r in enumerate(rel))
    n_ideal = min(k, max(1, len({g.doc for g in gold})))
    idcg = sum(1.0 / math.log2(i + 2) for i in range(n_ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(cited, gold, k: int = 10) -> float:
    """Share of gold snippets found in the first k citations."""
    if not gold:
        return 0.0
    found = sum(any(supports(c, [g]) for c in cited[:k]) for g in gold)
    return found / len(gold)


def hit_within_chars(cited: Sequence[Cited], gold: Sequence[Gold], budget: int = 600) -> float:
    """1 if a gold snippet lies inside the first `budget` characters of cited text, read in order.

    >>> hit_within_chars([Cited("a", "x" * 590, "s"), Cited("a", "甲乙丙丁", "s")], [Gold("a", "甲乙")], 600)
    1.0
    >>> hit_within_chars([Cited("a", "x" * 599, "s"), Cited("a", "甲乙丙丁", "s")], [Gold("a", "甲乙")], 600)
    0.0
    """
    used = 0
    for c in cited:
        if used >= budget:
            break
        visible = c.text[: budget - used]
        if supports(Cited(c.source, visible, c.speaker), gold):
            return 1.0
        used += len(c.text)
    return 0.0


def key_fact_coverage(answer: str, key_facts: Sequence[Sequence[str]]) -> float:
    """Share of key facts (each a group of acceptable phrasings) found in the answer text.

    >>> key_fact_coverage("大約五年,在工廠裡", [["五年", "five years"], ["物料搬运"]])
    0.5
    """
    if not key_facts:
        return 0.0
    text = squash(answer).lower()
    return sum(any(squash(p).lower() in text for p in group) for group in key_facts) / len(
        key_facts
    )


_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def char_tokens(text: str) -> list[str]:
    """CMRC 2018 style tokens: each CJK character, each English word; punctuation dropped;
    Simplified script, lower case.

    >>> char_tokens("數據 is the Bottleneck!")
    ['数', '据', 'is', 'the', 'bottleneck']
    """
    out: list[str] = []
    for piece in re.findall(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff_]+", normalize(text)):
        if not all(unicodedata.category(ch).startswith("P") for ch in piece):
            out.append(piece)
    return out


def char_f1(prediction: str, reference: str) -> float:
    """Token-level F1 between prediction and reference (CMRC 2018 style).

    >>> round(char_f1("大约五年", "大約五年。"), 2)
    1.0
    """
    p, r = char_tokens(prediction), char_tokens(reference)
    if not p or not r:
        return 0.0
    common = sum((Counter(p) & Counter(r)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(r)
    return 2 * precision * recall / (precision + recall)


_MARKER = re.compile(r"\[(\d+)\]")


def markers_valid(answer: str, numbers: Sequence[int]) -> bool:
    """Every [n] in the answer names a listed citation.

    >>> markers_valid("甲 [1] 乙 [3]", [1, 2]), markers_valid("甲 [2]", [1, 2])
    (False, True)
    """
    have = set(numbers)
    return all(int(m) in have for m in _MARKER.findall(answer))


def citation_precision(cited: Sequence[Cited], gold: Sequence[Gold]) -> float:
    """Cited passages holding a gold snippet / all cited passages."""
    if not cited:
        return 0.0
    return sum(supports(c, gold) for c in cited) / len(cited)


_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|lady|lord)\s+")


def same_person(expected: str, found: str) -> bool:
    """Do two labels name one person: the same words (case and dots aside), or a title with a
    surname ("Mr. Laycock", as counsel address a witness the record never labels) and a full
    name ending with that surname ("Stephen C. Laycock", as the record's title page gives it)?

    >>> same_person("Mr. Laycock", "Stephen C. Laycock"), same_person("Ann Lee", "ANN LEE")
    (True, True)
    >>> same_person("Mr. Laycock", "Mr. Somers"), same_person("Ms Mitchell", "Ms Mitchell KC")
    (False, False)
    """
    def words(name: str) -> list[str]:
        return re.sub(r"[.,]", " ", name).lower().split()

    a, b = words(expected), words(found)
    if a == b:
        return True
    titled_a, titled_b = bool(_HONORIFIC.match(" ".join(a))), bool(_HONORIFIC.match(" ".join(b)))
    if titled_a == titled_b:
        return False
    short, full = (a, b) if titled_a else (b, a)
    return len(short) == 2 and len(full) >= 2 and full[-1] == short[1]


def speaker_correct(cited: Sequence[Cited], gold: Sequence[Gold], expected: str | None) -> float:
    """Is the best (first) supporting citation attributed to the expected speaker?
    `host` accepts any host."""
    if not expected:
        return 0.0
    for c in cited:
        if supports(c, gold):
            if expected == HOST:
                return float(c.role == "host")
            return float(same_person(expected, c.speaker or ""))
    return 0.0


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# "Andrej Karpathy: " at the start of a line, and [n] markers: not the answer's own words.
_SPEAKER_PREFIX = re.compile(r"^[^\n:：]{1,40}[:：]\s*", re.M)


def answer_language(text: str) -> str:
    """"zh" or "en": the language most of an answer's words are in (a Chinese character
    counts as a word; markers and speaker prefixes do not count).

    >>> answer_language("Karpathy: 特斯拉的问题是软件问题 [1]"), answer_language("He says Tesla 领先 [1]")
    ('zh', 'en')
    """
    body = _SPEAKER_PREFIX.sub("", _MARKER.sub(" ", text))
    return "zh" if len(_HAN.findall(body)) > len(_LATIN_WORD.findall(body)) else "en"


def in_language(answer: str, question_lang: str) -> float:
    """1.0 when the answer is in the question's language (both scripts of Chinese are zh).

    >>> in_language("Tesla is ahead [1]", "en"), in_language("特斯拉领先 [1]", "en")
    (1.0, 0.0)
    """
    return float(answer_language(answer) == ("zh" if question_lang.startswith("zh") else "en"))

