"""The corpus object: one owner for the store, the embedder, the lexical index and the tuning.

    import rag
    corpus = rag.open()                       # RAG_HOME, RAG_CHROMA_URL, … from the environment
    corpus.ingest(["interviews/"])            # any supported format
    print(corpus.ask("Why does Karpathy think Tesla is ahead of Waymo?").text)

A Corpus is safe to share between threads, and follows what other processes write: each
question checks the manifest's generation and, when it moved, reads the index anew (in
embedded mode Chroma's per-process cache is dropped first). Nothing is loaded until needed:
`sources()` opens only the store, `ask()` loads the embedder once.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.chunk import CHUNKER_VERSION, is_aside, is_backchannel, passage_sentences
from index.clean import asks, to_simplified
from index.config import K_MAX, Config
from index.embed import Embedder, make_embedder
from index.errors import BadInputError, NoIndexError
from index.ingest import IngestReport
from index.ingest import ingest as run_ingest
from index.ingest import remove as run_remove
from index.ingest import rename_speaker as run_rename
from index.lexical import HAN, tokenize
from index.store import Store
from index.types import Passage, in_order, passage_id
from rag import abstain
from rag.answer import (
    Candidate,
    after_the_contrast,
    asks_the_same,
    candidates,
    complement,
    from_versions,
    in_reading_order,
    not_covered,
    readable_text,
    render,
    rest_of_list,
    score,
    select,
    statements,
    term_coverage,
    with_following,
    with_preceding,
)
from rag.crosslingual import Glossary, sound_alike
from rag.history import (
    OWN_SUBJECT_WORDS,
    checked,
    is_follow_up,
    last_question,
    names_another_time,
    names_of,
    new_subject,
    only_a_time,
    only_names,
    own_words,
    read_with,
    subject,
    with_people,
    without_times,
)
from rag.places import open_table
from rag.retrieve import (
    HOST_WORDS,
    Hit,
    Retrieval,
    clean_question,
    introduces,
    language,
    named_speakers,
    resolve,
    search,
)
from rag.snapshot import Snapshot, build, load_saved, save
from rag.types import Answer, Citation

log = logging.getLogger(__name__)
Filter = str | list[str] | None
History = Sequence[Mapping[str, object]] | None


@dataclass(frozen=True)
class SourceInfo:
    """One indexed document: its name, passages, speakers (with roles) and time span."""

    name: str
    passages: int
    speakers: tuple[str, ...]
    hosts: tuple[str, ...]
    duration: float | None


class Corpus:
    """Interview transcripts, indexed: ask, retrieve, ingest, remove, list, export."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        embedder: Embedder | None = None,
        glossary: Glossary | None = None,
        llm=None,
    ):
        self.config = config or Config.from_env()
        self.store = Store(self.config)
        self._embedder = embedder
        self._glossary = glossary
        self._llm = llm
        self._snapshot: Snapshot | None = None
        self._lock = threading.RLock()

    # --- owned parts, loaded on first use --------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = make_embedder(self.config)
        return self._embedder

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            with self._lock:
                if self._glossary is None:
                    try:
                        self._glossary = Glossary.open(self.config.cache_dir)
                    except OSError:  # a read-only user cache: keep the table with the index
                        self._glossary = Glossary.open(self.config.home / "cache")
        return self._glossary

    @property
    def can_compose(self) -> bool:
        """Whether `ask(mode="compose")` has a language model: one given, or RAG_LLM set."""
        return self._llm is not None or bool(self.config.llm)

    @property
    def llm(self):
        """The language model for composed answers (RAG_LLM), built on first use."""
        if self._llm is None:
            with self._lock:
                if self._llm is None:
                    from rag.llm import make_llm

                    self._llm = make_llm(self.config)
        return self._llm

    def snapshot(self) -> Snapshot:
        """The index as it is now; rebuilt only when an ingest (here or elsewhere) changed it."""
        try:
            manifest = self.store.manifest()
        except NoIndexError:  # (dropped by a rebuild, not created again yet)
            manifest = None
        if (manifest is None or manifest.rebuilding) and self._snapshot is not None:
            # Another process rebuilds the index (it is dropped, then filled again): answer from
            # it as it was until the rebuild ends.
            return self._snapshot
        if manifest is None or not manifest.files:
            raise NoIndexError(self.config.where, rebuilding=bool(manifest and manifest.rebuilding))
        snap = self._snapshot
        if snap is not None and snap.generation == manifest.generation:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and snap.generation == manifest.generation:
                return snap
            manifest.check(self.embedder.model_id, CHUNKER_VERSION)
            if snap is not None:
                self.store.refresh()  # another process wrote: read the directory anew
            saved = load_saved(self._saved_dir, manifest.generation, self.store.count(), self._index_name)
            if saved is not None:
                self._snapshot = saved
                return saved
            # the documents the manifest records: an ingest stopped after writing a document's
            # passages and before recording it leaves passages of no document (until `rag
            # ingest` of that file writes them again, or `rag remove` drops them)
            records = self.store.records().of(set(manifest.files) | set(manifest.paths))
            if not records.passages:
                raise NoIndexError(self.config.where)
            self._snapshot = build(records, manifest.generation)
            save(self._saved_dir, self._snapshot, self._index_name)
            return self._snapshot

    @property
    def _saved_dir(self) -> Path:
        return self.config.home / "cache"

    @property
    def _index_name(self) -> str:
        return f"{self.config.where}#{self.config.collection}"

    # --- questions -------------------------------------------------------------------------
    def _retrieve(
        self, question: str, k: int, speaker: Filter, source: Filter, history: History = None,
        most: int | None = K_MAX,
    ) -> tuple[str, Retrieval]:
        """`most`: the largest `k` a caller may ask for (as the command line and the chat's
        API allow; `who_said` reads every passage)."""
        q = clean_question(question, self.config.max_question_chars)
        if isinstance(k, bool) or not isinstance(k, int) or k < 1 or (most is not None and k > most):
            upto = f" to {most}" if most is not None else ""
            raise BadInputError(f"k is how many passages to cite, a whole number from 1{upto}; not {k!r}")
        snap = self.snapshot()
        glossary = self.glossary

        def embed(text: str):
            from index.clean import for_embedding

            return self.embedder.queries([for_embedding(text)])[0]

        def find(text: str, within: list[str] | None = None) -> Retrieval:
            """`within`: these documents only (found with the filters given)."""
            return search(snap, self.store, embed, glossary, self.config, text, k=k,
                          speaker=speaker, source=within if within is not None else source)

        previous = last_question(checked(history))
        if previous and is_follow_up(q):
            return q, follow_up(q, previous, snap, glossary, find, self.config.tuning.answer_passages)
        return q, find(q)

    def retrieve(
        self, question: str, *, k: int = 10, speaker: Filter = None, source: Filter = None
    ) -> list[Citation]:
        """The k passages that best match the question, ranked, numbered from 1."""
        _, r = self._retrieve(question, k, speaker, source)
        return [Citation(i, h.passage, h.score) for i, h in enumerate(r.hits, start=1)]

    def ask(
        self,
        question: str,
        *,
        k: int = 5,
        speaker: Filter = None,
        source: Filter = None,
        history: History = None,
        mode: str = "quote",
        on_token=None,
    ) -> Answer:
        """Answer from the transcripts: a few quoted sentences, each marked [n] for its passage.

        `history` holds the chat so far (`{"role": "user"|"assistant", "content": …}`), so
        that a follow-up ("And what about Waymo?") is read with the question before it.
        `mode="compose"` has the configured language model (RAG_LLM) write the answer in the
        question's language from the quoted sentences; every sentence it writes is checked
        against the passage it cites, and `on_token(text)` receives the reply as it streams.
        `mode="auto"` composes only when a language model is configured and the quotes are in
        another language than the question (an English reader of a Chinese interview).
        """
        if mode not in ("quote", "compose", "auto"):
            raise BadInputError(f"mode must be 'quote', 'compose' or 'auto', not {mode!r}")
        if mode == "compose":
            self.llm  # noqa: B018 - no model configured: say so now, not only when not abstaining
        started = time.perf_counter()
        q, r = self._retrieve(question, k, speaker, source, history)
        answer = compose(r, self.glossary, self.config)
        if mode == "auto":
            mode = "compose" if self.can_compose and answer.quoted_in else "quote"
        extra: dict = {}
        if mode == "compose" and not answer.abstained:
            from rag.generate import generate, passages_for

            aliases = self.glossary.aliases if self.glossary is not None else None
            g = generate(q, r.lang, passages_for(answer.citations), self.llm, on_token=on_token,
                         aliases=aliases)
            extra = {"sentences": tuple(g.sentences), "translations": g.translations,
                     "withheld": g.withheld}
            if not g.fell_back:
                extra.update(mode="compose")
                answer = replace(answer, text=g.text)
            elif g.translated:  # the quotes are all in the other language: their translations
                extra.update(mode="translate")
                answer = replace(answer, text=g.translated)
        return replace(
            answer,
            question=q,
            standalone=r.asked or r.question,
            seconds=round(time.perf_counter() - started, 4),
            **extra,
        )

    # --- the index -------------------------------------------------------------------------
    def ingest(
        self,
        paths: str | Path | Sequence[str | Path] | None = None,
        *,
        prune: bool = False,
        rebuild: bool = False,
        progress: bool = False,
        fmt: str | None = None,
        speaker_map: Mapping[str, str] | None = None,
        kept_at: Mapping[Path, Path] | None = None,
    ) -> IngestReport:
        """Index transcripts (default: the configured folder): files or folders, one or a
        list. Returns an IngestReport: what was added, updated, unchanged and removed, each
        file's report (format, passages, speakers, warnings, what was dropped), and in
        `problems` one line for each file that could not be read or parsed. Such a file does
        not raise: the other files are still indexed, and nothing indexed before is lost.
        `prune`: also remove the documents whose files are gone from the folders given.
        `rebuild`: build every document again from its file. `fmt`: a format name for every
        file (else detected). `speaker_map`: diarizer label -> name.
        `kept_at`: where a file read from elsewhere is kept (a chat upload, read from its
        staging folder), for `ingest(rebuild=True)` to read it again."""
        report = run_ingest(
            self.store,
            self.embedder,
            self.config,
            as_paths(paths),
            prune=prune,
            rebuild=rebuild,
            progress=progress,
            fmt=fmt,
            speaker_map=speaker_map,
            kept_at=kept_at,
        )
        if report.added or report.updated:
            self.glossary  # noqa: B018 - built now, so the first English question does not wait
            open_table(self.config.cache_dir)  # the place table too, read once from the gazetteer
        for f in report.files:  # (the chat shows a file's own warnings, the command line all)
            for a, b in sound_alike(f.speakers, self.glossary):
                said = (f"speakers {a} and {b} differ in one character said the same way: if they "
                        f'are one person, merge them with --speaker "{a}={b}" (or rename one in '
                        "the chat)")
                f.warnings.append(said)
                report.warnings.append(f"{f.source}: {said}")
        return report

    def bundled_index_due(self) -> str | None:
        """Whether the bundled transcripts should be indexed before a question: "missing" when
        there is no index yet, "outdated" when an earlier version of the product built an index
        that holds only them (rebuilding it loses nothing of the user's), else None. An earlier
        index with the user's own files is left to `rag ingest --rebuild`, and so is a Chroma
        server's (a misspelt RAG_COLLECTION, or an index emptied on purpose, is not filled)."""
        if self.config.chroma_url:
            return None  # a shared server's index is filled by `rag ingest`, never by a question
        store = self.store
        manifest = store.manifest() if store.exists() else None
        if manifest is not None and manifest.rebuilding:
            return None  # (another process rebuilds it, or did not finish: not ours to fill)
        if manifest is None or store.count() == 0:
            return "missing"
        bundled = {p.name for p in self.config.transcripts.iterdir()}
        ours = set(manifest.files) <= bundled and not manifest.renames
        if (
            manifest.earlier_version(CHUNKER_VERSION)
            and ours
            and manifest.embed_model == self.embedder.model_id
        ):
            return "outdated"
        return None

    def prepare(self, *, progress: bool = False) -> IngestReport | None:
        """Index the bundled transcripts when `bundled_index_due()` says so, logging why (what
        `rag ask`, `rag ui` and the module-level `rag.ask` do first); the ingest's report, or
        None when the index was ready."""
        due = self.bundled_index_due()
        if due is None:
            return None
        log.warning(
            "%s index: ingesting the bundled transcripts from %s …",
            "no" if due == "missing" else "an earlier version's",
            self.config.transcripts,
        )
        return self.ingest(rebuild=due == "outdated", progress=progress)

    def rebuild_unfinished(self) -> list[str]:
        """The documents a rebuild has yet to read again, while one runs or after one that was
        stopped (the index answers from the others until a `rag ingest --rebuild` ends); empty
        when none is due."""
        try:
            manifest = self.store.manifest() if self.store.exists() else None
        except NoIndexError:
            return []
        return [] if manifest is None else sorted(manifest.unread())

    def remove(self, sources: str | Sequence[str]) -> IngestReport:
        """Drop documents (by file name, one or a list) from the index."""
        names = [sources] if isinstance(sources, str) else sources
        if not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names):
            raise BadInputError(f"remove takes a document's file name or a list of them, not {sources!r:.60}")
        return run_remove(self.store, list(names))

    def sources(self) -> list[SourceInfo]:
        """The indexed documents, with passage counts and speakers."""
        snap = self.snapshot()
        out = []
        # The snapshot's passages come in document order (Store.records): one pass, not one
        # scan of the whole index per document (the chat lists sources on every message).
        for name, group in itertools.groupby(snap.passages, key=lambda p: p.source):
            ps = list(group)
            ends = [p.end for p in ps if p.end is not None]
            out.append(
                SourceInfo(
                    name=name,
                    passages=len(ps),
                    speakers=tuple(in_order({p.speaker for p in ps if p.speaker})),
                    hosts=tuple(sorted({p.speaker for p in ps if p.speaker and p.role == "host"})),
                    duration=max(ends) if ends else None,
                )
            )
        return out

    def speakers(self) -> list[str]:
        """Every speaker's display name, over all documents."""
        return list(self.snapshot().speakers)

    def rename_speaker(self, source: str, old: str, new: str) -> int:
        """Rename a speaker in one document, or merge it into another speaker by giving that
        name. Kept when the document is ingested again. Returns the passages changed."""
        return run_rename(self.store, source, old, new)

    def context(self, passage_id: str, around: int = 1) -> list[Passage]:
        """The passage with the `around` turns before and after it in its document."""
        if isinstance(around, bool) or not isinstance(around, int) or around < 0:
            raise BadInputError(f"around is how many turns to show on each side, 0 or more; not {around!r}")
        snap = self.snapshot()
        if passage_id not in snap.position:
            raise BadInputError(f"no passage {passage_id!r} in the index")
        p = snap.passage(passage_id)
        return [
            q
            for q in snap.passages
            if q.source == p.source and abs(q.turn - p.turn) <= around
        ]

    def who_said(self, topic: str, *, per_speaker: int = 1) -> list[tuple[str, str, list[Citation]]]:
        """For each document and each of its speakers, the best passages about `topic`
        (empty when that speaker did not speak to it): (document, speaker, citations).

        A passage counts when it holds the topic's words (or, across languages, their
        translation), ranked by the product's retrieval; a topic the transcripts do not cover
        (the check a declined answer makes) has none."""
        if not isinstance(topic, str) or not topic.strip():
            raise BadInputError(EMPTY_TOPIC)
        snap = self.snapshot()
        k = max(len(snap.passages), 1)
        _, r = self._retrieve(topic, k, None, None, most=None)
        # a topic the transcripts never touch (a declined answer's check; a topic asks for no
        # year or amount): nobody spoke to it
        sig = replace(abstain.signals(r, snap, self.glossary, 0), missing_type=None)
        if abstain.abstain(sig, self.config.tuning.max_unknown):
            hits = []
        else:  # the passages that hold the topic's words (or their translation)
            terms, unseen = topic_words(r)
            hits = [h for h in r.hits if (terms and mentions(r, h, terms)) or any(
                t in searchable(p) for p in (h.passage, *h.passage.versions) for t in unseen)]
        best: dict[tuple[str, str], list[Citation]] = {}
        n = 0
        for h in hits:
            for p in (h.passage, *h.passage.versions):
                key = (p.source, p.speaker or "")
                got = best.setdefault(key, [])
                if len(got) < per_speaker:
                    n += 1
                    got.append(Citation(n, p, h.score))
        speakers: dict[str, set[str]] = {}
        for p in snap.passages:  # one pass, not one per document
            speakers.setdefault(p.source, set()).add(p.speaker or "")
        return [
            (src, sp, best.get((src, sp), []))
            for src in snap.sources
            for sp in in_order(speakers.get(src, ()))
        ]

    def export(self, source: str | None = None) -> Iterator[Passage]:
        """Every indexed passage (of the documents `source` names, as `ask`'s filter matches
        them: the whole name, else part of it), in document order, as Passage objects (an
        iterator; `rag export --jsonl` writes them as JSON lines)."""
        snap = self.snapshot()
        chosen = resolve(source, tuple(sorted(snap.sources)), "document") if source is not None else None
        return (p for p in snap.passages if chosen is None or p.source in chosen)


def as_paths(paths) -> list[Path] | None:
    """What `ingest` reads: one path, or any iterable of them (a list, `Path.glob(…)`; a single
    string is one path, not its characters), or None for the configured folder.

    >>> as_paths("talks/a.txt"), as_paths(None), as_paths([Path("b.vtt")]), as_paths(iter(["c.srt"]))
    ([PosixPath('talks/a.txt')], None, [PosixPath('b.vtt')], [PosixPath('c.srt')])
    >>> as_paths([None])
    Traceback (most recent call last):
    index.errors.BadInputError: ingest takes paths of files or folders (a string or a Path, or a list of them), not None

    No path at all is a mistake (a glob that matched nothing), not the configured folder, and
    an empty string is no path (not the current directory):

    >>> as_paths([])
    Traceback (most recent call last):
    index.errors.BadInputError: ingest was given no paths (a pattern that matched no file?): give files or folders, or None for the configured folder
    >>> as_paths(["a.txt", ""])
    Traceback (most recent call last):
    index.errors.BadInputError: ingest was given an empty path: give files or folders
    """
    if paths is None:
        return None
    try:
        items = [paths] if isinstance(paths, str | Path | bytes) else list(paths)
    except TypeError:  # not iterable (a number): named below as what it is
        items = [paths]
    if not items:
        raise BadInputError("ingest was given no paths (a pattern that matched no file?): give "
                            "files or folders, or None for the configured folder")
    for p in items:
        if not isinstance(p, str | Path):
            raise BadInputError("ingest takes paths of files or folders (a string or a Path, or a "
                                f"list of them), not {p!r:.60}")
        if not str(p).strip():
            raise BadInputError("ingest was given an empty path: give files or folders")
    return [Path(p) for p in items]


def declined(r: Retrieval, *, related: bool) -> Answer:
    """The transcripts do not answer `r`'s question: say so in its language, offering the
    three closest passages as related (not quoted as an answer) when `related`."""
    near = [Citation(i, h.passage, h.score) for i, h in enumerate(r.hits[:3], start=1)]
    text = not_covered(r.question, r.lang, filtered=r.filtered)
    return Answer(r.question, text, [], True, near if related else [])


def first_use(quoted_hits: list[int], n: int) -> list[int]:
    """The order sources are numbered in: the passages the answer quotes (`quoted_hits`, the
    hit of each quoted sentence in reading order), as it first quotes them, then the others
    as they were ranked.

    >>> first_use([2, 0, 2], 4)
    [2, 0, 1, 3]
    """
    quoted = list(dict.fromkeys(quoted_hits))
    return quoted + [i for i in range(n) if i not in quoted]


def mentions(r: Retrieval, hit, terms: Mapping[str, float] | None = None) -> bool:
    """Does a hit hold one of the question's words (or, across languages, a translation), or
    one of `terms`, in any of its write-ups or in the host question it answers?"""
    terms = r.terms if terms is None else terms
    return any(term_coverage(terms, r.snapshot.idf, p.lexical_text()) > 0
               for p in (hit.passage, *hit.passage.versions))


def topic_words(r: Retrieval) -> tuple[dict[str, float], list[str]]:
    """What a passage must hold to speak to a topic (`who_said`): the topic's own words, and
    translations of them longer than one character or two letters ("Teams" is no 班 or 组);
    and the Chinese words the index knows only inside longer ones (颈椎 in 颈椎病), found as
    written. A topic of no words has neither."""
    own = set(r.query_tokens)
    terms = {t: w for t, w in r.terms.items() if t in own or len(t) >= (2 if HAN.match(t) else 3)}
    return terms, [t for t in own if t not in r.terms and HAN.match(t)]


EMPTY_TOPIC = "the topic is empty: name a subject, e.g. Waymo or 合成数据"


# What the words of a person the question names share, beside their documents' names: one
# account, whichever interview holds it (`select` keeps to one conversation or to this).
NAMED_PERSON = "\0the person the question names"
# A question across the interviews of a corpus: what the guests said by their role in the
# plural, who of them said something, each or all of the interviews.
ACROSS = re.compile(
    r"\b(?:interviewees|guests|respondents|participants|panell?ists|each interview|all (?:the |of the )?"
    r"interviews|(?:which|what) interviews|who (?:else )?(?:mentioned|talked about|spoke about|"
    r"discussed|brought up))\b|哪些受访者|哪些嘉宾|哪位受访者|哪位嘉宾|受访者们|嘉宾们|各位嘉宾|每位受访者|每个受访者",
    re.I,
)


def with_next_pieces(r: Retrieval, first: int, around: int = 0) -> Retrieval:
    """The retrieval with, after its hits, the next piece of the turn of each of its `first`
    hits that is not among them: what a piece leads up to may open the next one ("…the same
    number of dollars went to venture capital as the year before." | "But it went to half as
    many companies."). With `around`, the turn's pieces up to that many before and after too
    (where the other items of a list are: "the first one is …" … "the third thing is …")."""
    have = {h.passage.id for h in r.hits}
    extra = []
    for h in r.hits[:first]:
        p = h.passage
        pids = [passage_id(p.source, p.turn, piece) for piece in range(p.piece - around, p.piece + around + 1)]
        for pid in [*pids, follows(p, r.snapshot)]:
            if pid in r.snapshot.position and pid not in have:
                have.add(pid)
                extra.append(Hit(r.snapshot.passage(pid), h.score))
    return replace(r, hits=[*r.hits, *extra]) if extra else r


def follows(p: Passage, snap: Snapshot) -> str | None:
    """The id of the passage that goes on from `p`: the next piece of its turn, or the turn
    that resumes it (`resumes`)."""
    nxt = passage_id(p.source, p.turn, p.piece + 1)
    return nxt if nxt in snap.position else resumes(p, snap)


def resumes(p: Passage, snap: Snapshot, reach: int = 3) -> str | None:
    """The passage that goes on with the last piece `p` of a turn after others only
    acknowledged it ("嗯。", "對。", "Right."): the same speaker's next turn, when at most `reach`
    such turns come between. None when the turn goes on, or someone says more."""
    at = snap.position.get(p.id)
    if at is None:
        return None
    for q in snap.passages[at + 1: at + 2 + reach]:
        if q.source != p.source or q.turn == p.turn:
            return None  # another document, or the turn goes on: its next piece follows
        if q.speaker == p.speaker and q.piece == 1:
            return q.id if q.turn > p.turn + 1 else None
        if q.speaker == p.speaker or not (is_backchannel(q.text) or is_aside(q.text)):
            return None
    return None


def conversation(p) -> frozenset[str]:
    """The documents that hold a passage: its own and those of its other write-ups."""
    return frozenset({p.source, *(v.source for v in p.versions)})


def continuations(hits, snap: Snapshot) -> dict[int, int]:
    """Which hit continues which (`follows`): the next piece of the same turn, or the same
    speaker's turn that resumes it after others only acknowledged it."""
    at = {h.passage.id: i for i, h in enumerate(hits)}
    return {i: at[nxt] for i, h in enumerate(hits) if (nxt := follows(h.passage, snap)) in at}


# capitalised question words that name no one
_NOT_NAMES = frozenset("what who when where why how which does did do is are was were i".split())


def quotes_whom_it_names(r: Retrieval, chosen, snap: Snapshot) -> bool:
    """Does an answer to a question that names speakers quote at least one of them, or a
    host's introduction of one ("Adrian Tchaikovsky is … His first novel … was published in
    2008.", which the ranking counts as theirs too)? (A question about a role, "what did the
    host ask Karpathy?", may quote anyone; so may one whose named person speaks in none of
    the quoted documents and whom the quotes name: there, the name is someone they talk about,
    "How well did Guido say he knows Python?", though a speaker of another show is called
    Guido.)"""
    if not r.people or HOST_WORDS.search(r.question):
        return True
    # "Mark" names the guest Mark McGranaghan of one show; the Mark Mandel of another, who
    # speaks with a second Mark, may be the one it means as well
    if any(speaks_for(r, p := r.hits[c.hit].passage) or p.speaker in r.called for c in chosen):
        return True
    # ... or the quotes tell of the person the question names, by the name it uses, in
    # documents where no speaker is so named ("What does Omar think about the comet?" is not
    # answered by the others' words in a file that never names him)
    named = {w for w in re.findall(r"(?<!^)\b[A-Z][\w'’-]+", r.question.strip()) if w.lower() not in _NOT_NAMES}
    if not named or not any(re.search(rf"\b{re.escape(w)}\b", r.hits[c.hit].passage.text)
                            for w in named for c in chosen):
        return False
    quoted = {r.hits[c.hit].passage.source for c in chosen}
    return not any(p.source in quoted and r.names(p) for p in snap.passages)


def speaks_for(r: Retrieval, p) -> bool:
    """Is the passage the words of a speaker the question names, or a host's introduction of
    one (which the ranking counts as theirs too)?"""
    return r.names(p) or (p.role == "host" and introduces(p.text, r.people))


def follow_up(
    q: str,
    previous: str,
    snap: Snapshot,
    glossary: Glossary | None,
    find: Callable[..., Retrieval],
    answer_passages: int,
) -> Retrieval:
    """The passages for a follow-up `q` to the question `previous`: the question before it
    asked of someone else ("那 Sarah Guo 呢?"), or both read together, or, for a subject of
    its own that the passage found first for both never mentions ("那合成数据呢?"), the
    follow-up alone with the people the question before it named (when one of the first
    passages found so mentions it)."""
    new = named_speakers(q, snap, glossary)
    old = named_speakers(previous, snap, glossary)
    if new and old and not new & old and only_names(q, new):
        return find(with_people(previous, old, sorted(new)))
    topic = subject(q)
    if not topic and own_words(q) >= OWN_SUBJECT_WORDS and (names := names_of(previous)):
        # "Why didn't her new ministry's website go down that day?": a pronoun, and a subject
        # of its own; the question before it lends the names "her" may point to, not its words
        # (one that names nobody lends all its words: "it" may be its whole subject)
        return replace(find(" ".join([*names, q])), follow_up=q)
    # "And what about next year?": the subject before it, at that time, in the documents that
    # answered it (another interview's "next year" is no answer)
    at_a_time = bool(topic) and only_a_time(topic)
    docs = [h.passage.source for h in find(previous).hits[:answer_passages]] if at_a_time else []
    # (the times the question before it named are left out: "现在呢？" after "…在2010年…")
    before = without_times(previous) if at_a_time else previous
    r = replace(find(read_with(q, before), list(dict.fromkeys(docs)) or None), follow_up=q)
    if not topic or at_a_time:
        return r
    alone = find(" ".join([*sorted(r.people), topic]))
    words = [w for w in alone.query_tokens if w not in snap.name_tokens]
    translations = [w for w in alone.terms if w not in words and language(w) != language(topic)]
    # the passage an answer opens with, against the first passages found for it alone
    if new_subject(words, translations, [searchable(h.passage) for h in r.hits[:1]],
                   [searchable(h.passage) for h in alone.hits[:answer_passages]]):
        return alone
    return r


def searchable(p: Passage) -> str:
    """A passage's words in both its versions, in Simplified script and lower case, for
    telling whether it mentions a word."""
    return to_simplified(f"{p.text} {p.alt or ''}").lower()


def compose(r: Retrieval, glossary: Glossary | None, config: Config) -> Answer:
    """Pick answer sentences from the retrieved passages, or abstain."""
    t = config.tuning
    if not r.hits:
        return declined(r, related=False)
    snap = r.snapshot
    # (the next piece of a turn the first passages break off: quoted only after their last
    # sentence, never a candidate or a related passage of its own)
    # (and, for a question asking for a list, the pieces around them in their turns)
    listed = abstain.asks_for_a_list(r.question)
    found, r = r, with_next_pieces(r, t.answer_passages, t.list_pieces if listed else 0)
    ranked = len(found.hits)
    # A question about what a host said may be answered by the statement a host's question
    # opens with ("Since the 1980s studies show tutoring lifts a student two sigma, so …?").
    preamble = t.question_preamble if r.about_hosts else 0
    # every statement of the first passages; the ones long enough to stand alone compete
    # (from the version of each passage in the question's language, when it has two)
    texts = [readable_text(h.passage, r.lang) for h in r.hits]
    # ("Who asked for an example of a module?" is answered by the question that asked it)
    sentences = candidates(texts[:ranked], t.answer_passages, 1, preamble, t.self_answer_chars,
                           questions=abstain.asks_who_asked(r.question))
    if t.version_shared > 0:  # and what the passage's other write-ups add
        versions = [[readable_text(v, r.lang) for v in h.passage.versions] for h in r.hits]
        sentences += from_versions(texts, versions, t.answer_passages, 1, t.version_shared)
    # what the answer must hold: a follow-up's own asked-for type, when it asks for one
    own_type = bool(r.follow_up and abstain.asked_types(r.follow_up))
    typed_q = r.follow_up if own_type else r.question
    kinds = abstain.asked_types(typed_q)
    ranked_kinds = abstain.precise(kinds)
    # the passages that reply to a host question asking what the user asks: their opening
    # sentences answer it, though they share few of its words
    asked = [
        h.passage.piece == 1
        and asks_the_same(
            h.passage.question or "", r.terms, snap.idf, t.same_question, t.lead_min_terms
        )
        for h in r.hits
    ]
    # a short sentence carries no fact alone, unless it opens a reply with what is asked
    # ("整整十二年。", "Five months.") or replies to that very question ("用钉钉直播。")
    cands = [c for c in sentences if len(c.text) >= t.min_sentence_chars or (c.position == 0 and (
        (kinds and abstain.answers_type(ranked_kinds, [c.text], typed_q))
        or (c.version == 0 and asked[c.hit] and not is_backchannel(c.text))))]
    # A host's statements before the question they ask set it up ("The bus network redesign
    # was delayed twice. Why?"): they hold the question's words, but the reply is the answer.
    # (Quoted when the question asks what a host said, or when nothing else is found. A turn
    # that goes on after its question, "What about the deficit? The council says …", may hold
    # what the user asks: see eval/HISTORY.md, tried and not adopted.)
    setup = [not r.about_hosts and h.passage.role == "host" and asks(texts[i])
             for i, h in enumerate(r.hits)]
    if any(not setup[c.hit] for c in cands):
        cands = [c for c in cands if not setup[c.hit]]
    if r.follow_up and only_a_time(subject(r.follow_up)):
        # "现在呢？" after "…在2010年…": a sentence about another time answered the question
        # before it
        cands = [c for c in cands if not names_another_time(c.text, r.follow_up)] or cands
    # which passage goes on from which: among all of them, and among those found
    goes_on = continuations(r.hits, snap)
    goes_on_found = {i: j for i, j in goes_on.items() if i < ranked and j < ranked}
    # "Instead of lumber, what …?": the speaker names lumber, then what they use instead
    against = frozenset(tokenize(abstain.contrasted(r.question))) & r.terms.keys()
    told = {k: w for k, w in r.terms.items() if k not in against} or r.terms
    scores = score(cands, told, snap.idf, asked, t)
    if against and t.contrast_bonus:
        instead = after_the_contrast(sentences, against, goes_on_found, t.contrast_reach)
        scores = [s + (t.contrast_bonus if c.place in instead else 0.0)
                  for s, c in zip(scores, cands, strict=True)]

    def holds_what_is_asked(c) -> float:  # a year, count, amount or time; a new name
        return (t.type_bonus if kinds and abstain.answers_type(ranked_kinds, [c.text], typed_q)
                else 0.0) + (
            t.name_bonus if abstain.names_something_new(r.question, c.text) else 0.0
        ) + (t.shape_bonus if abstain.has_the_shape(r.question, c.text) else 0.0) + (
            t.counted_bonus if "count" in kinds and abstain.counts_the_noun(typed_q, c.text)
            else 0.0
        )

    scores = [s + holds_what_is_asked(c) for s, c in zip(scores, cands, strict=True)]
    if r.people:  # the words of the speaker the question names, or a host's account of them
        scores = [s + (t.named_bonus if speaks_for(r, r.hits[c.hit].passage) else 0.0)
                  for s, c in zip(scores, cands, strict=True)]
    sig = abstain.signals(r, snap, glossary, t.type_passages, typed_q)
    if abstain.abstain(sig, t.max_unknown) or not cands:
        # A question about a covered topic that asks for what no passage gives: offer the
        # closest passages, without quoting them as the answer.
        return declined(found, related=bool(sig.missing_type and not sig.unknown_names))
    follow = {"sentences": sentences, "max_chars": t.follow_max_chars,
              "min_chars": t.min_sentence_chars, "continues": goes_on_found}
    # ... and, once the answer is checked, what the next piece of a turn opens with (the
    # checks read the passages found: "The books before that would be too much work to
    # salvage." gives no title)
    after = [replace(c, hit=ranked + c.hit) for c in candidates(texts[ranked:], len(texts), 1)]
    follow_on = {**follow, "sentences": sentences + after, "continues": goes_on}

    # what a count question counts, in the other language's words (会员 -> "member")
    counted = (
        abstain.counted_translations(typed_q, glossary, snap.vocabulary)
        if kinds == ["count"] else frozenset()
    )

    def holds_the_type(chosen) -> bool:  # a year, amount or count the question asks for
        said = statements(chosen)
        # a turn that opens with the count its host question asks for ("How many people work
        # at the shop?" "Seventeen, most of them students."): read with that question
        replies = [f"{p.question} {c.text}" for c in chosen
                   if c.position == 0 and (p := r.hits[c.hit].passage).piece == 1
                   and (p.question or "").rstrip().endswith(("?", "？"))]
        return not kinds or (
            abstain.answers_type(kinds, said, typed_q)
            and (kinds != ["count"]
                 or abstain.counts_what_is_asked(typed_q, said + replies, counted))
            and abstain.names_the_thing(typed_q, [(c.text, texts[c.hit]) for c in chosen],
                                        config.cache_dir)
        )

    # (the words of a person the question names are one account, in any of their interviews;
    # a question across the interviews, "What did the interviewees say about missing data?",
    # is answered by a sentence of each of several)
    across = len(snap.sources) > 1 and bool(ACROSS.search(to_simplified(r.question)))
    documents = [conversation(h.passage) | ({NAMED_PERSON} if r.names(h.passage) else set())
                 for h in r.hits] if t.one_conversation and not across else ()
    spread = {"per_passage": 1, "keep_within": math.inf,
              "groups": [h.passage.source for h in r.hits]} if across else {
        "per_passage": t.per_passage, "keep_within": t.keep_within}
    # (across the interviews: each one's best sentence, however it scores beside another's,
    # from its passages that hold the question's words or answer a host question that does:
    # "privacy" is asked of each participant, and few say the word again)
    pool = [i for i, c in enumerate(cands) if mentions(r, r.hits[c.hit])] if across else []
    pool = pool or list(range(len(cands)))
    chosen = select([cands[i] for i in pool], [scores[i] for i in pool],
                    max_sentences=t.max_sentences, same_shared=t.same_shared,
                    documents=documents, **spread)
    # what the best-scoring sentences say; the answer-type check reads only these, as the
    # sentence `complement` adds for another part of the question may hold any number
    best = with_following(chosen, **follow)
    # (a follow-up's own type, "How long did it take?", is all it adds to the question before
    # it, whose words rank the sentences: any sentence of the passages found may hold it)
    within = t.follow_up_typed_within if own_type else t.typed_within
    if not holds_the_type(best) and within > 0:
        # The best sentences lack the amount asked for, and a sentence nearly as good has it
        # ("Your first cluster is free. But from there, it's $0.50 per hour."): quote that.
        top = max(scores)
        typed = [i for i, c in enumerate(cands)
                 if scores[i] >= top - within
                 and holds_the_type(with_following([c], **follow))]
        if typed:
            chosen = select([cands[i] for i in typed], [scores[i] for i in typed],
                            max_sentences=t.max_sentences, same_shared=t.same_shared,
                            documents=documents, **spread)
            best = with_following(chosen, **follow)
    if t.complement_gain < 1:
        # (what a chosen reply's host question asks is what it answers; a question of several
        # parts is still completed part by part)
        one_part = len(abstain.question_parts(r.question)) == 1
        replied = [(h.passage.question or "") if one_part else "" for h in r.hits]
        chosen = complement(chosen, cands, told, snap.idf, t.complement_gain,
                            [conversation(h.passage) for h in r.hits], t.same_shared, replied)
    chosen = with_following(chosen, **follow_on)
    chosen = with_preceding(chosen, sentences, r.terms)
    if listed:  # "What three things …?": the list's other items, in the same turn
        every = [Candidate(h, i, x) for h, text in enumerate(texts)
                 for i, x in enumerate(passage_sentences(text))]
        chosen = rest_of_list(chosen, every, [h.passage for h in r.hits],
                              abstain.items_asked(r.question))
    else:  # the next piece of a turn, or its resumption, found only as such: right after it
        chosen = in_reading_order(chosen, {i: j for i, j in goes_on.items() if j >= ranked})
    if (r.filtered or (r.people and t.named_needs_terms)) and r.terms and not any(
        mentions(r, r.hits[c.hit]) for c in chosen
    ):
        # "What happens to the urchins?" asked of the host alone, or "What does Omar think
        # about the comet?" of someone who never speaks of it: what they say never mentions
        # what is asked, so it is no answer
        return declined(found, related=True)
    if not quotes_whom_it_names(r, chosen, snap):
        # "Which framework does Jerod say …?" answered only by other people's words: those
        # are not Jerod's, so they are related passages, not his answer.
        return declined(found, related=True)
    said = statements(best)
    # (a question that also asks what or why is answered though the number is missing)
    typed = abstain.asks_only_types(typed_q)
    if typed and not holds_the_type(best):
        # The passages are on topic but the quoted sentences hold no year, amount or count
        # the question asks for ("How much does X cost?" answered by "X is expensive"): a
        # near miss, shown as related passages rather than as the answer.
        return declined(found, related=True)
    if typed and not abstain.names_what_is_asked(typed_q, said, config.cache_dir):
        # "Which company …?" answered by sentences that name none: a near miss
        return declined(found, related=True)
    if typed and abstain.admits_not_knowing([c.text for c in chosen]):
        # "Which wavelength …?" answered with "I don't remember which one.": the speaker
        # says the transcript does not hold it
        return declined(found, related=True)
    quotes: dict[int, list[str]] = {}
    for c in chosen:
        quotes.setdefault(c.hit, []).append(c.text)
    order = [i for i in first_use([c.hit for c in chosen], len(r.hits)) if i < ranked or i in quotes]
    numbers = [0] * len(r.hits)
    for n, i in enumerate(order, start=1):
        numbers[i] = n
    citations = [
        Citation(numbers[i], r.hits[i].passage, r.hits[i].score, tuple(quotes.get(i, ())))
        for i in order
    ]
    text = render(chosen, numbers, [h.passage.speaker for h in r.hits])
    return Answer(r.question, text, citations, False)
