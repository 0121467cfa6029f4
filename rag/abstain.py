"""Decide whether the transcripts answer a question at all.

A cosine cut-off alone fails: with e5, off-topic Chinese questions score as high as
answerable ones. The decision combines signals that are relative to the corpus:
- how far the best passage stands out from the other candidates (a z-score, not a raw cosine),
- how well the best answer sentence matches the question,
- whether the question's content words exist anywhere in the index (a name the interview
  never mentions is strong evidence it is not covered).
Thresholds are set from the dev questions in eval/ and reported by `rag eval`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

_PROPER = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-zA-Z0-9]+(?:\s[A-Z][a-zA-Z0-9]+)*)")


@dataclass(frozen=True)
class Signals:
    z: float  # best candidate's dense similarity, in standard deviations above the mean
    top_cosine: float
    sentence: float  # best answer sentence's similarity to the question
    unknown_share: float  # share of the question's content words absent from the index
    unknown_names: tuple[str, ...]  # capitalised words of an English question absent from the index


def signals(
    cosines: np.ndarray,
    top_cosine: float,
    best_sentence: float,
    query_tokens: tuple[str, ...],
    unknown_terms: tuple[str, ...],
    question: str,
    vocabulary: frozenset[str],
    known_names: set[str],
) -> Signals:
    mean = float(cosines.mean()) if cosines.size else 0.0
    std = float(cosines.std()) if cosines.size > 1 else 1.0
    z = (top_cosine - mean) / (std or 1.0)
    names = tuple(
        m
        for m in _PROPER.findall(question)
        if all(w.lower() not in vocabulary and w.lower() not in known_names for w in m.split())
        and not any(w.lower() in vocabulary for w in m.split())
    )
    share = len(unknown_terms) / len(query_tokens) if query_tokens else 0.0
    return Signals(round(z, 3), round(top_cosine, 4), round(best_sentence, 4), round(share, 3), names)


@dataclass(frozen=True)
class Policy:
    min_z: float = 2.0
    min_sentence: float = 0.80
    max_unknown_share: float = 0.5

    def abstain(self, s: Signals) -> bool:
        if s.unknown_names:
            return True
        if s.unknown_share > self.max_unknown_share:
            return True
        return s.z < self.min_z and s.sentence < self.min_sentence
