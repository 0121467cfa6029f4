"""Decide whether the transcripts answer a question at all.

A cosine cut-off alone fails: with e5, off-topic Chinese questions score as high as
answerable ones. The decision combines signals that are relative to the corpus:
- how far the best passage stands out from all passages (a z-score, not a raw cosine),
- how much of the question's (IDF-weighted) vocabulary the best passages contain,
- whether the question names something the index never mentions.
Thresholds were set on the dev questions in eval/questions.yaml; `rag eval` reports the
resulting abstention accuracy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# Capitalised words inside an English sentence: names, products, places.
_NAME = re.compile(r"(?<=[a-z,;:] )([A-Z][A-Za-z0-9]+(?:[ -][A-Z][A-Za-z0-9]+)*)")


@dataclass(frozen=True)
class Signals:
    z: float  # best passage's dense similarity, in standard deviations above the mean
    coverage: float  # best IDF-weighted share of question terms found in one top passage
    sentence: float  # best answer sentence's score
    unknown: float  # IDF-weighted share of the question's words absent from the index
    unknown_names: tuple[str, ...]  # names in an English question absent from the index


def signals(r, snap, best_sentence: float) -> Signals:
    from rag.answer import term_coverage
    from index.lexical import tokenize

    cos = r.cosines
    z = (max(h.cosine for h in r.hits) - float(cos.mean())) / (float(cos.std()) or 1.0)
    cover = max((term_coverage(r.terms, snap.idf, h.chunk.text) for h in r.hits[:3]), default=0.0)
    unknown = unknown_share(r, snap)
    names = tuple(
        m
        for m in _NAME.findall(r.question)
        if not any(t in snap.vocabulary for t in tokenize(m))
        and not any(m.lower() in s.lower() for s in snap.speakers)
    )
    return Signals(round(z, 3), round(cover, 3), round(best_sentence, 3), round(unknown, 3), names)


def _known(word: str, snap) -> bool:
    """A word the passages contain, as a word or as any two adjacent characters of it."""
    if word in snap.vocabulary:
        return True
    return len(word) > 1 and not word.isascii() and any(
        word[i : i + 2] in snap.bigrams for i in range(len(word) - 1)
    )


def unknown_share(r, snap) -> float:
    """IDF-weighted share of the question's content words that the passages never contain.
    Unknown words weigh like the rarest known word: they are usually the question's subject.
    An English word counts as known when the dictionary translates it into an indexed word."""
    from rag.crosslingual import ENGLISH_STOPWORDS

    max_idf = max(snap.idf.values(), default=1.0) + 1.0
    if r.lang == "en":
        words = [w for w in re.findall(r"[a-z0-9]+", r.question.lower()) if w not in ENGLISH_STOPWORDS]
        names = {t for s in snap.speakers for t in s.lower().split()}
        words = [w for w in words if w not in names and len(w) > 2]
        known = [snap.glossary.translate(w) or (w in snap.vocabulary) for w in words]
        if not words:
            return 0.0
        return sum(not k for k in known) / len(words)
    weights = {t: snap.idf.get(t, max_idf) for t in r.query_tokens}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if not _known(t, snap)) / total if total else 0.0


@dataclass(frozen=True)
class Policy:
    min_z: float = 2.5
    min_coverage: float = 0.3
    max_unknown: float = 0.5

    def abstain(self, s: Signals) -> bool:
        if s.unknown_names or s.unknown > self.max_unknown:
            return True
        return s.z < self.min_z and s.coverage < self.min_coverage
