"""An immutable view of the index that one question works on: passages, their vectors, the
BM25 index over their tokens, and corpus statistics. Built from the store's records whenever
the manifest's generation moves, so every process follows the same Chroma collection."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from index.clean import normalize
from index.lexical import HAN, tokenize
from index.store import Records
from index.types import Passage


@dataclass(frozen=True)
class Snapshot:
    generation: int
    passages: list[Passage]
    position: dict[str, int]
    vectors: np.ndarray  # passage embeddings, row i = passages[i]
    bm25: object  # bm25s.BM25 over the passages' lexical tokens
    vocabulary: frozenset[str]
    prefixes: frozenset[str]  # the first five letters of each Latin token of five or more
    idf: dict[str, float]  # log(N / df) + 1 of each lexical token
    char_idf: dict[str, float]  # the same for each Chinese character of the passages
    bigrams: frozenset[str]  # every pair of adjacent characters in the (normalized) passages
    speakers: tuple[str, ...]
    hosts: frozenset[str]  # speakers in the host role
    name_tokens: frozenset[str]  # lexical tokens of the speakers' names
    sources: tuple[str, ...]
    chinese: np.ndarray  # bool per passage: written mostly in Chinese characters
    substance: np.ndarray  # words per passage (`substance`), questions left out
    lowered: str  # every passage's lexical text, lower-cased, one per line
    latin_words: frozenset[str]  # the Latin-script words of `lowered`

    def spaced(self, word: str) -> tuple[str, str] | None:
        """The two words the passages write `word` as when a transcriber split it
        (`podping` as "pod ping", `openai` as "open-ai"), or None."""
        w = word.lower()
        if len(w) < 5 or not w.isalpha() or not w.isascii():
            return None
        for i in range(2, len(w) - 1):
            first, second = w[:i], w[i:]
            if first not in self.latin_words or second not in self.latin_words:
                continue
            for sep in (" ", "-"):
                at = self.lowered.find(f"{first}{sep}{second}")
                while at >= 0:
                    end = at + len(w) + 1
                    if not self.lowered[at - 1 : at].isalnum() and not self.lowered[end : end + 1].isalnum():
                        return first, second
                    at = self.lowered.find(f"{first}{sep}{second}", at + 1)
        return None

    @property
    def max_idf(self) -> float:
        return max(self.idf.values(), default=1.0)

    def passage(self, pid: str) -> Passage:
        return self.passages[self.position[pid]]


def char_bigrams(text: str) -> set[str]:
    """Adjacent character pairs of the normalized text, ignoring spaces.

    >>> sorted(char_bigrams("數據 AB"))
    ['ab', '据a', '数据']
    """
    t = normalize(text).replace(" ", "")
    return {t[i : i + 2] for i in range(len(t) - 1)}


_WORDISH = re.compile(rf"{HAN.pattern}|[A-Za-z]+")


def chinese_share(text: str) -> float:
    """Share of Chinese characters among the text's characters and Latin words.

    >>> round(chinese_share("Tesla 面临的是软件问题"), 2), chinese_share("Tesla has a software problem")
    (0.89, 0.0)
    """
    units = _WORDISH.findall(text)
    return sum(1 for u in units if HAN.match(u)) / len(units) if units else 0.0


_COUNTED = re.compile(rf"{HAN.pattern}|[A-Za-z0-9]+")


def substance(text: str) -> float:
    """How much a passage says on its own: its Latin words and numbers, and its Chinese
    characters at two to a word. "Yeah.", "10%," and "template." say next to nothing.

    >>> substance("10%,"), substance("Hey Adam."), substance("to this template?"), substance("但你依然缺少很多行动数据。")
    (1.0, 2.0, 3.0, 6.0)
    """
    units = _COUNTED.findall(text)
    return len(units) - sum(1 for u in units if HAN.match(u)) / 2


def build(records: Records, generation: int) -> Snapshot:
    import bm25s

    passages, tokens = records.passages, records.tokens
    bm25 = bm25s.BM25()
    bm25.index([t or ["\x00"] for t in tokens], show_progress=False)
    df = Counter(t for toks in tokens for t in set(toks))
    n = max(len(passages), 1)
    speakers = {p.speaker for p in passages if p.speaker}
    lowered = "\n".join(p.lexical_text().lower() for p in passages)
    char_df = Counter(ch for p in passages for ch in set(HAN.findall(normalize(p.lexical_text()))))
    return Snapshot(
        generation=generation,
        passages=passages,
        position={p.id: i for i, p in enumerate(passages)},
        vectors=records.vectors,
        bm25=bm25,
        vocabulary=frozenset(df),
        prefixes=frozenset(t[:5] for t in df if len(t) >= 5 and t.isascii()),
        idf={t: math.log(n / c) + 1.0 for t, c in df.items()},
        char_idf={ch: math.log(n / c) + 1.0 for ch, c in char_df.items()},
        bigrams=frozenset(b for p in passages for b in char_bigrams(p.lexical_text())),
        speakers=tuple(sorted(speakers)),
        hosts=frozenset(p.speaker for p in passages if p.role == "host" and p.speaker),
        name_tokens=frozenset(t for s in speakers for t in tokenize(s)),
        sources=tuple(sorted({p.source for p in passages})),
        chinese=np.array([chinese_share(p.text) >= 0.3 for p in passages], dtype=bool),
        substance=np.array([substance(p.text) for p in passages], dtype=np.float32),
        lowered=lowered,
        latin_words=frozenset(re.findall(r"[a-z]+", lowered)),
    )
