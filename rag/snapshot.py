"""An immutable view of the index that one question works on: passages, their vectors, the
BM25 index over their tokens, and corpus statistics. Built from the store's records whenever
the manifest's generation moves, so every process follows the same Chroma collection."""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.chunk import split_sentences
from index.clean import is_address, normalize
from index.lexical import HAN, tokenize
from index.store import Records
from index.turns import voice_names
from index.types import Passage

# the characters a whole-word match may not touch (`lowered` is lower-cased); "" is the text's
# start or end
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True)
class Snapshot:
    generation: int
    passages: list[Passage]
    position: dict[str, int]
    vectors: np.ndarray  # passage embeddings, row i = passages[i]
    context: np.ndarray  # each passage read with the piece of its turn before it (same rows)
    bm25: object  # bm25s.BM25 over the passages' lexical tokens
    vocabulary: frozenset[str]
    # the first five letters of each Latin token of five or more -> the tokens they begin
    prefixes: dict[str, tuple[str, ...]]
    idf: dict[str, float]  # log(N / df) + 1 of each lexical token
    char_idf: dict[str, float]  # the same for each Chinese character of the passages
    bigrams: frozenset[str]  # every pair of adjacent characters in the (normalized) passages
    speakers: tuple[str, ...]
    hosts: frozenset[str]  # speakers in the host role
    co_speakers: dict[str, frozenset[str]]  # each speaker -> the others of their documents
    together: frozenset[tuple[str, str]]  # the same as pairs (speaker, another of their documents)
    name_tokens: frozenset[str]  # lexical tokens of the speakers' names
    # the name a diarizer's label gives itself in a document ("I'm James Cridland"):
    # (document, label) -> name; a question naming that person names that label there
    introduced: dict[tuple[str, str], str]
    sources: tuple[str, ...]
    chinese: np.ndarray  # bool per passage: written mostly in Chinese characters
    substance: np.ndarray  # words per passage (`substance`), questions left out
    lowered: str  # every passage's lexical text, lower-cased, one per line
    line_starts: np.ndarray  # where each passage's line of `lowered` starts
    latin_words: frozenset[str]  # the Latin-script words of `lowered`

    def sources_mentioning(self, name: str, most: int) -> set[str]:
        """The documents whose passages mention `name` (as whole words, in any case), up to
        `most` + 1 of them: enough to tell whether more than `most` do."""
        found: set[str] = set()
        needle = name.lower()
        # each Latin word of a name the passages mention is one of their words: most names a
        # question says that no passage does are ruled out without reading the text
        if not needle or any(w not in self.latin_words for w in re.findall(r"[a-z]+", needle)):
            return found
        at = self.lowered.find(needle)  # (str.find: a regex scan of the text took 15-30 ms)
        while at >= 0:
            end = at + len(needle)
            if self.lowered[at - 1 : at] not in _ALNUM and self.lowered[end : end + 1] not in _ALNUM:
                line = int(np.searchsorted(self.line_starts, at, side="right")) - 1
                found.add(self.passages[line].source)
                if len(found) > most:
                    break
            at = self.lowered.find(needle, at + 1)
        return found

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


# a Han character, or a word of any other script's letters and digits ("Zürich", "весила")
_COUNTED = re.compile(rf"{HAN.pattern}|(?:(?!{HAN.pattern})[^\W_])+")


def substance(text: str) -> float:
    """How much a passage says on its own: its Latin words and numbers, and its Chinese
    characters at two to a word. "Yeah.", "10%," and "template." say next to nothing.

    >>> substance("10%,"), substance("Hey Adam."), substance("to this template?"), substance("但你依然缺少很多行动数据。")
    (1.0, 2.0, 3.0, 6.0)

    Sentences that only address the room say nothing:

    >>> substance("主席、各位委員。謝謝。"), substance("主席、各位委員。我們會努力。")
    (0.0, 2.5)

    Words of other scripts are words too (a Russian passage said nothing, and was never found):

    >>> substance("Я работала в Каргопольлаге."), substance("Müller in Zürich")
    (4.0, 3.0)
    """
    if is_address(text) or all(is_address(s) or len(s) < 3 for s in split_sentences(text)):
        return 0.0
    text = " ".join(s for s in split_sentences(text) if not is_address(s))
    units = _COUNTED.findall(text)
    return len(units) - sum(1 for u in units if HAN.match(u)) / 2


_DERIVED: dict[tuple[int, int, str], object] = {}


def derived(snap: Snapshot, name: str, build):
    """What `build()` derives from `snap`, built on first use and kept while `snap` is the
    snapshot in use (for what only some questions need, so neither built with the snapshot
    nor saved with it).

    >>> class S: generation = 1
    >>> s = S(); derived(s, "n", lambda: [1]) is derived(s, "n", lambda: [2])
    True
    """
    key = (id(snap), snap.generation, name)
    if key not in _DERIVED:
        for old in [k for k in _DERIVED if k[2] == name]:  # one snapshot at a time
            del _DERIVED[old]
        _DERIVED[key] = build()
    return _DERIVED[key]


def introductions(passages: list[Passage]) -> dict[tuple[str, str], str]:
    """The names of diarizer labels, per document: the names they give themselves in their
    first turns, else the first names they are handed the word with (`voice_names`).

    >>> ps = [Passage("a#t1p1", "a", "SPEAKER_1", "host", 1, 1, "Hi, I'm James Cridland."),
    ...       Passage("a#t2p1", "a", "SPEAKER_2", "guest", 2, 1, "And I'm Sam Sethi.")]
    >>> introductions(ps)
    {('a', 'SPEAKER_1'): 'James Cridland', ('a', 'SPEAKER_2'): 'Sam Sethi'}
    """
    turns: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in sorted(passages, key=lambda p: (p.source, p.turn, p.piece)):
        if p.speaker and p.piece == 1:
            turns[p.source].append((p.speaker, p.text))
    return {
        (source, label): name
        for source, said in turns.items()
        for label, name in voice_names(said).items()
    }


def speakers_by_source(passages: list[Passage]) -> dict[str, frozenset[str]]:
    """Each document's speakers (their labels).

    >>> ps = [Passage("a#t1p1", "a", "Ann", "host", 1, 1, "Hi."), Passage("b#t1p1", "b", None, None, 1, 1, "Yo.")]
    >>> speakers_by_source(ps)
    {'a': frozenset({'Ann'})}
    """
    by_source: dict[str, set[str]] = defaultdict(set)
    for p in passages:
        if p.speaker:
            by_source[p.source].add(p.speaker)
    return {d: frozenset(s) for d, s in by_source.items()}


def co_speakers(passages: list[Passage]) -> dict[str, frozenset[str]]:
    """Each speaker's company: the other speakers of the documents they speak in.

    >>> ps = [Passage("a#t1p1", "a", "Ann", "host", 1, 1, "Hi."), Passage("a#t2p1", "a", "Bo", "guest", 2, 1, "Hey."),
    ...       Passage("b#t1p1", "b", "Ann", "host", 1, 1, "Hi."), Passage("b#t2p1", "b", "Cy", "guest", 2, 1, "Yo.")]
    >>> {s: sorted(o) for s, o in sorted(co_speakers(ps).items())}
    {'Ann': ['Bo', 'Cy'], 'Bo': ['Ann'], 'Cy': ['Ann']}
    """
    company: dict[str, set[str]] = defaultdict(set)
    for present in speakers_by_source(passages).values():
        for s in present:
            company[s] |= present - {s}
    return {s: frozenset(o) for s, o in company.items()}


def build(records: Records, generation: int) -> Snapshot:
    import bm25s

    passages, tokens = records.passages, records.tokens
    bm25 = bm25s.BM25()
    bm25.index([t or ["\x00"] for t in tokens], show_progress=False)
    df = Counter(t for toks in tokens for t in set(toks))
    n = max(len(passages), 1)
    speakers = {p.speaker for p in passages if p.speaker}
    introduced = introductions(passages)
    lines = [p.lexical_text().lower() for p in passages]
    lowered = "\n".join(lines)
    char_df = Counter(ch for p in passages for ch in set(HAN.findall(normalize(p.lexical_text()))))
    return Snapshot(
        generation=generation,
        passages=passages,
        position={p.id: i for i, p in enumerate(passages)},
        vectors=records.vectors,
        context=records.context if records.context is not None else records.vectors,
        bm25=bm25,
        vocabulary=frozenset(df),
        prefixes=by_prefix(df),
        idf={t: math.log(n / c) + 1.0 for t, c in df.items()},
        char_idf={ch: math.log(n / c) + 1.0 for ch, c in char_df.items()},
        bigrams=frozenset(b for p in passages for b in char_bigrams(p.lexical_text())),
        speakers=tuple(sorted(speakers)),
        hosts=frozenset(p.speaker for p in passages if p.role == "host" and p.speaker),
        co_speakers=(co := co_speakers(passages)),
        together=frozenset((s, o) for s, others in co.items() for o in others),
        name_tokens=frozenset(t for s in [*speakers, *introduced.values()] for t in tokenize(s)),
        introduced=introduced,
        sources=tuple(sorted({p.source for p in passages})),
        chinese=np.array([chinese_share(p.text) >= 0.3 for p in passages], dtype=bool),
        substance=np.array([substance(p.text) for p in passages], dtype=np.float32),
        lowered=lowered,
        line_starts=np.cumsum([0] + [len(line) + 1 for line in lines[:-1]], dtype=np.int64),
        latin_words=frozenset(re.findall(r"[a-z]+", lowered)),
    )


# --- a saved snapshot, so that a new process does not rebuild it -----------------------------
# Reading every record from Chroma and building BM25 and the word statistics takes a cold
# process 0.2 s on the bundled transcripts, 1.6 s on 2,700 passages and about 4 s on 10,000;
# loading the snapshot saved for the same generation takes a few hundredths of a second.


def by_prefix(tokens) -> dict[str, tuple[str, ...]]:
    """The Latin tokens of five letters or more, by their first five.

    >>> by_prefix(["europ", "european", "camera", "map", "数据"])
    {'camer': ('camera',), 'europ': ('europ', 'european')}
    """
    found: defaultdict[str, list[str]] = defaultdict(list)
    for t in sorted(tokens):
        if len(t) >= 5 and t.isascii():
            found[t[:5]].append(t)
    return {k: tuple(v) for k, v in found.items()}


@lru_cache(maxsize=1)
def _code_key() -> str:
    """A key of the code a snapshot's derived fields come from: a saved one built by another
    version of it is not used."""
    here = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in ("rag/snapshot.py", "index/clean.py", "index/lexical.py", "index/types.py",
                 "index/turns.py"):  # `introduced` comes from index.turns.voice_names
        digest.update((here / part).read_bytes())
    return digest.hexdigest()[:16]


def _saved_path(directory: Path, generation: int, index: str = "") -> Path:
    # `index` names the index (its server or folder, and collection): two indexes that share a
    # RAG_HOME may well be at the same generation
    return directory / f"{_saved_prefix(index)}-{generation}-{_code_key()}.pickle"


def _saved_prefix(index: str) -> str:
    return f"snapshot-{hashlib.sha1(index.encode()).hexdigest()[:10] if index else 'default'}"


def load_saved(directory: Path, generation: int, passages: int, index: str = "") -> Snapshot | None:
    """The snapshot saved for this generation of the index named `index` (holding `passages`
    passages), or None when there is none, it is of another version, or it cannot be read."""
    try:
        with _saved_path(directory, generation, index).open("rb") as f:
            snap = pickle.load(f)  # a file this product wrote into the index's own folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError,
            ValueError):
        return None
    if not isinstance(snap, Snapshot) or snap.generation != generation:
        return None
    return snap if len(snap.passages) == passages else None


def save(directory: Path, snap: Snapshot, index: str = "") -> None:
    """Save the snapshot of the index named `index` for the next process (atomically; older
    ones of that index are removed). A folder that cannot be written only means the next
    process builds its own."""
    path = _saved_path(directory, snap.generation, index)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            pickle.dump(snap, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in directory.glob(f"{_saved_prefix(index)}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        tmp.unlink(missing_ok=True)
