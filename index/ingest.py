"""Ingest: load → parse (per format) → turns → passages → embed → store, a document at a time.

Re-ingesting a file replaces its passages (stable ids: document + turn + piece); an unchanged
file (same hash, same speaker map) is skipped. The manifest records a file's hash only after
its passages are written, so an ingest killed half-way leaves the previous index queryable
and the next ingest redoes whatever was not finished.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.chunk import CHUNKER_VERSION, chunk_turns
from index.clean import for_embedding
from index.config import Config
from index.embed import Embedder, progress_bar
from index.errors import listing
from index.lexical import tokenize
from index.load import UNREADABLE_FOLDER, Problem, expand, load, sidecar_map
from index.sponsors import invented_lines, sponsor_reads
from index.store import Manifest, Store
from index.turns import build_turns, speaker_labels, unmatched, unmatched_warning
from index.types import Passage, in_order

log = logging.getLogger(__name__)


@dataclass
class FileReport:
    """What one file became: passages, speakers, format, warnings, what was dropped."""

    source: str
    format: str
    passages: int
    speakers: list[str]
    words: int  # characters of speech kept (CJK) or words (Latin), for the words-kept check
    warnings: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)


@dataclass
class IngestReport:
    documents: int = 0  # documents in the index after this ingest
    passages: int = 0  # passages in the index after this ingest
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Prepared:
    passages: list[Passage]
    report: FileReport
    labels: set[str] = field(default_factory=set)  # the speaker labels the file writes


_WORD = re.compile(r"[\u3400-\u9fff]|[^\s\u3400-\u9fff]+")


def word_count(text: str) -> int:
    """Words, counting each Chinese character as one (a curly quote or a dash in English
    text made every character count).

    >>> word_count("It’s fine — really."), word_count("我用 Python 写的")
    (4, 5)
    """
    return len(_WORD.findall(text))


def prepare(
    source: str,
    data: bytes,
    config: Config,
    fmt: str | None = None,
    speaker_map: Mapping[str, str] | None = None,
    renames: Mapping[str, str] | None = None,
) -> Prepared:
    """The passages of one file (pure given the config). Raises ValueError (one line) for a
    file that cannot be parsed."""
    from index.formats import read

    parsed = read(source, data, fmt)
    context = _context(parsed)
    parsed = invented_lines(sponsor_reads(parsed))
    labels = speaker_labels(parsed)
    turns, warnings = build_turns(parsed, speaker_map, renames)
    passages = chunk_turns(source, turns, config.chunk_chars)
    speakers = in_order({t.speaker for t in turns if t.speaker})
    words = sum(word_count(p.text) for p in passages)
    return Prepared(
        passages,
        FileReport(
            source=source,
            format=parsed.format,
            passages=len(passages),
            speakers=speakers,
            words=words,
            warnings=[*parsed.warnings, *warnings],
            dropped={**parsed.dropped, **context},
            meta={k: v for k, v in parsed.meta.items() if isinstance(v, str | int | float | list)},
        ),
        labels,
    )


def _context(parsed) -> dict[str, int]:
    """How much of a file is nobody's words (headings, titles, editor's notes): the report
    says so, as it says what else was dropped."""
    n = sum(len(s.text) for s in parsed.segments if s.kind == "context")
    return {"headings, titles and editor's notes": n} if n else {}


def embed_text(p: Passage) -> str:
    """What the embedding model sees: the passage alone, in Simplified script and standard
    Chinese (`for_embedding`; the host question is indexed lexically; dense retrieval did
    better without it on the dev questions, at half the embedding cost)."""
    return for_embedding(p.text)


def context_texts(passages: list[Passage]) -> dict[str, str]:
    """What the embedding model sees for each passage that continues a turn: the piece
    before it, then the passage (a piece often goes on about what the one before named).

    >>> a = Passage("d#t1p1", "d", "A", "guest", 1, 1, "Tesla's cars.")
    >>> b = Passage("d#t1p2", "d", "A", "guest", 1, 2, "They see.")
    >>> context_texts([a, b])
    {'d#t1p2': "Tesla's cars.\\nThey see."}
    """
    by = {(p.source, p.turn, p.piece): p for p in passages}
    return {
        p.id: for_embedding(f"{prev.text}\n{p.text}")
        for p in passages
        if (prev := by.get((p.source, p.turn, p.piece - 1))) is not None
    }


def stored_vectors(store: Store, sources: list[str]) -> dict[str, np.ndarray]:
    """The stored vectors of documents being ingested again, by the text they embed: a
    document edited in one paragraph embeds that paragraph's passages again, not all of them."""
    known: dict[str, np.ndarray] = {}
    for source in sources:
        rec = store.records(source)
        contexts = context_texts(rec.passages)
        for i, p in enumerate(rec.passages):
            known[embed_text(p)] = rec.vectors[i]
            if p.id in contexts and rec.context is not None:
                known[contexts[p.id]] = rec.context[i]
    return known


def ingest(
    store: Store,
    embedder: Embedder,
    config: Config,
    paths: list[Path] | None = None,
    *,
    prune: bool = False,
    rebuild: bool = False,
    progress: bool = False,
    fmt: str | None = None,
    speaker_map: Mapping[str, str] | None = None,
    kept_at: Mapping[Path, Path] | None = None,
) -> IngestReport:
    """Index transcripts (the bundled ones by default); returns what changed.

    Each document's file is recorded (`kept_at` gives the lasting place of a file read from
    elsewhere), so that a rebuild without paths reads every document again.

    Files that cannot be read or parsed are reported in `problems` and skipped; the rest
    still ingest, and nothing already indexed is lost.
    """
    started = time.perf_counter()
    report = IngestReport()
    old = store.manifest() if store.exists() else None
    if old is not None and not (rebuild or old.rebuilding):
        old = None  # (only a rebuild, or an ingest after one that did not finish, carries it over)
    rebuilds_all = old is not None and not paths and bool(old.paths)
    if rebuilds_all:
        # A rebuild alone builds again what the index holds (the bundled transcripts, the
        # user's own, uploads), each from the file it was read from, with the speaker maps,
        # renames and formats given for it: an upgrade's "run `rag ingest --rebuild`" loses
        # nothing of the user's.
        # (a bundled transcript is read from this copy of the product, wherever it now is)
        bundled = {f.name: f for f in Path(config.transcripts).glob("*") if f.is_file()}
        paths = [bundled.get(Path(p).name, Path(p)) if not Path(p).exists() else Path(p)
                 for p in dict.fromkeys(old.paths.values())]
    files, problems = load(paths or [config.transcripts], config.max_file_bytes, (config.home,))
    report.problems.extend(str(p) for p in problems)
    if rebuild and (not files or (problems and rebuilds_all)):
        # A rebuild drops the index first: from a machine that cannot read the documents'
        # files (a shared Chroma server), or after a file moved, it would lose them for good.
        unread = [Path(p.path).name for p in problems] or ["no file to read"]
        report.problems.append(
            f"nothing was changed: the index's documents cannot all be read here ({listing(unread)}); "
            "rebuild where their files are, or `rag remove` "
            "those that are gone, then `rag ingest --rebuild`"
        )
        report.documents = len(old.files) if old else 0
        report.passages = store.count() if store.exists() else 0
        return report

    generation = 0
    if rebuild:
        # Running readers reload when the generation changes, so a new manifest continues the
        # old one's count instead of starting again at a number they may already hold.
        generation = old.generation if old else 0
        store.drop()
    store.create()
    manifest = store.manifest()
    fresh = manifest is None or store.count() == 0
    if fresh:
        generation = max(generation, manifest.generation if manifest else 0)
        manifest = Manifest(
            embed_model=embedder.model_id,
            dim=embedder.dim,
            chunker=CHUNKER_VERSION,
            generation=generation,
        )
        if old is not None:  # (what was given for a document applies to its new passages)
            manifest.speaker_maps = dict(old.speaker_maps)
            manifest.renames = dict(old.renames)
            manifest.formats = dict(old.formats)
            # ...and where each was read from, until the rebuild ends: a rebuild that dies
            # half-way (killed, out of memory) leaves what the next one must read again.
            manifest.paths = dict(old.paths)
        manifest.rebuilding = rebuild or (old is not None and old.rebuilding)
        # recorded before any passage is written and before the long part (embedding), which
        # may die: a collection of passages without a manifest is none of this product's
        store.save_manifest(manifest)
    else:
        manifest.check(embedder.model_id, CHUNKER_VERSION)

    kept = {Path(k).resolve(): v for k, v in (kept_at or {}).items()}
    todo: list[tuple[str, str, dict[str, str], Prepared, str | None, str]] = []
    # each file read, with the keys of its speaker map that name none of its labels
    unmatched_by_file: list[tuple[Prepared, list[str]]] = []
    used: set[str] = set()  # the keys of the map given that name a label of some file
    given_map = dict(speaker_map or {})

    def unchanged(source: str, sha: str, smap: dict[str, str], chosen: str | None) -> bool:
        return (manifest.files.get(source) == sha and manifest.speaker_maps.get(source, {}) == smap
                and manifest.formats.get(source) == chosen)

    for path, t in files:
        try:
            # a map given once is kept for the document's later ingests; new names win
            smap = {
                **manifest.speaker_maps.get(t.source, {}), **sidecar_map(path), **given_map
            }
        except (ValueError, OSError) as e:
            report.problems.append(str(Problem(str(path), f"speaker map: {e}")))
            continue
        chosen = fmt or manifest.formats.get(t.source)  # a --format given once is kept too
        if unchanged(t.source, t.sha256, smap, chosen):
            report.unchanged.append(t.source)
            used.update(smap)  # (a kept map holds only labels the file has)
            continue
        where = str(Path(kept.get(Path(path).resolve(), path)).resolve())
        before = manifest.paths.get(t.source)
        if t.source in manifest.files and before and before != where and Path(before).exists():
            report.problems.append(str(Problem(str(path), (
                f"another file named {t.source} is indexed, from {before}: rename one, or "
                f"`rag remove {t.source}` first to replace it"
            ))))
            continue
        try:
            prepared = prepare(t.source, t.data, config, chosen, smap, manifest.renames.get(t.source))
        except ValueError as e:  # FormatError included: "line N: …"
            report.problems.append(str(Problem(str(path), str(e))))
            continue
        except Exception as e:  # noqa: BLE001 a defect of ours, not the file's: the others still go in
            log.exception("reading %s", path)
            report.problems.append(str(Problem(str(path), (
                f"could not be read ({type(e).__name__}: {e}); this is a defect in Interview Q&A, "
                "please report it with the file"
            ))))
            continue
        if not prepared.passages:  # refused: one error, not also a file read with 0 passages
            report.problems.append(str(Problem(str(path), "no interview text found after cleaning")))
            continue
        # A map is kept for the labels the file has: `--speaker SPEAKER_00=Jane` given with
        # several files is no map of those without that label, nor is a mistyped key
        missing = unmatched(smap, prepared.labels)
        smap = {k: v for k, v in smap.items() if k not in missing}
        unmatched_by_file.append((prepared, missing))
        used.update(k for k in given_map if k not in missing)
        if unchanged(t.source, t.sha256, smap, chosen):  # (a map of other files' labels)
            report.unchanged.append(t.source)
            continue
        # the same text under another name ("P05 (1).txt", a second download): its passages
        # would come up twice in every answer
        twin = next((src for src, sha in manifest.files.items() if sha == t.sha256 and src != t.source),
                    None) or next((s for s, sha, *_ in todo if sha == t.sha256), None)
        if twin:
            prepared.report.warnings.append(
                f"the same text as {twin}, which is indexed too: its passages will be cited twice "
                f"(`rag remove` one of them)"
            )
        report.files.append(prepared.report)
        todo.append((t.source, t.sha256, smap, prepared, chosen, where))

    # A key that names no label of a file is a mistake, unless it was given on the command line
    # for another file of this ingest (a file left unchanged is warned about only for those)
    for prepared, missing in unmatched_by_file:
        listed = prepared.report in report.files
        said = [unmatched_warning(k, prepared.labels) for k in missing if prepared.labels and (
            k not in used if k in given_map else listed)]
        prepared.report.warnings.extend(said)
        if not listed:  # (its report is not in the ingest's)
            report.warnings.extend(f"{prepared.report.source}: {w}" for w in said)
    for f in report.files:
        report.warnings.extend(f"{f.source}: {w}" for w in f.warnings)

    if todo:
        _embed_and_write(store, embedder, manifest, report, todo, rebuild, progress)

    given = paths or [config.transcripts]
    if prune and (any(not Path(p).exists() for p in given) or any(
        problem.message.startswith(UNREADABLE_FOLDER) for problem in problems  # (`load`'s walk)
    )):
        # A typo in a path, or a folder that cannot be read, would make every document under
        # it look removed.
        report.problems.append("--prune skipped because of the problems above: nothing was removed")
    elif prune:
        for source in pruned(manifest, given, (config.home,)):
            remove_source(store, manifest, source)
            report.removed.append(source)
    if manifest.rebuilding:  # (done: a fresh index's manifest was recorded before any write)
        manifest.rebuilding = False
        if rebuild:  # (a file that is gone was named in `problems`)
            manifest.paths = {s: p for s, p in manifest.paths.items() if s in manifest.files}
        store.save_manifest(manifest, touched=None if rebuild else ())
    if unread := manifest.unread():
        report.warnings.append(
            f"a rebuild did not finish: {len(unread)} document(s) are not in the index yet "
            f"({listing(unread)}); run `rag ingest --rebuild`"
        )

    report.documents = len(manifest.files)
    report.passages = store.count()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


# Texts embedded between two writes: large enough for the batched (torch) path, small enough
# that a stopped ingest of a folder keeps most of what it embedded.
EMBED_SLICE = 512


def _embed_and_write(store, embedder, manifest, report, todo, rebuild, progress) -> None:
    """Embed what `todo`'s documents need, in slices, and write each document as soon as its
    vectors are ready: an ingest of a folder stopped half-way (Ctrl-C, a crash, out of
    memory) keeps the documents already written, which the next ingest skips as unchanged,
    instead of having embedded every file before writing any."""
    known = {} if rebuild else stored_vectors(store, [s for s, *_ in todo if s in manifest.files])
    needs = []  # per document: its passages' texts, then its contexts' texts
    for *_, prep, _, _ in todo:
        contexts = context_texts(prep.passages)
        needs.append(([embed_text(p) for p in prep.passages], contexts))
    missing = list(dict.fromkeys(
        t for texts, contexts in needs for t in [*texts, *contexts.values()] if t not in known
    ))
    bar = progress_bar(len(missing), progress)
    done = 0
    for (source, sha, smap, prep, chosen, where), (texts, contexts) in zip(todo, needs, strict=True):
        while any(t not in known for t in [*texts, *contexts.values()]):
            batch = missing[done : done + EMBED_SLICE]
            known.update(zip(batch, embedder.passages(batch), strict=True))
            done += len(batch)
            bar(len(batch))
        vecs = np.stack([known[t] for t in texts])
        old = set(store.ids_of(source))
        store.upsert(
            prep.passages,
            vecs,
            [tokenize(p.lexical_text()) for p in prep.passages],
            {pid: known[text] for pid, text in contexts.items()},
        )
        store.delete(sorted(old - {p.id for p in prep.passages}))
        (report.updated if source in manifest.files else report.added).append(source)
        manifest.files[source] = sha
        if smap:
            manifest.speaker_maps[source] = smap
        else:
            manifest.speaker_maps.pop(source, None)
        if chosen:
            manifest.formats[source] = chosen
        manifest.paths[source] = where
        store.save_manifest(manifest, touched={source})


def pruned(manifest: Manifest, given: list[Path], skip: tuple[Path, ...] = ()) -> list[str]:
    """The documents `--prune` drops: those indexed from a file inside the given folders (or
    given itself) that is no longer among the files there. Every file that is there is kept,
    read or not (an unreadable edit, or an empty file beside the others, is no removal), and
    so is every document indexed from anywhere else.
    """
    roots = [Path(p).resolve() for p in given]
    there = {str(f.resolve()) for f in expand(given, skip)[0]}
    return sorted(
        source for source in manifest.files
        if (where := manifest.paths.get(source)) and where not in there
        and any(Path(where) == r or r in Path(where).parents for r in roots)
    )


def remove_source(store: Store, manifest: Manifest, source: str) -> None:
    store.delete(store.ids_of(source))
    manifest.files.pop(source, None)
    manifest.speaker_maps.pop(source, None)
    manifest.renames.pop(source, None)
    manifest.formats.pop(source, None)
    manifest.paths.pop(source, None)
    store.save_manifest(manifest, touched={source})


def rename_speaker(store: Store, source: str, old: str, new: str) -> int:
    """Rename (or, to an existing name, merge) a speaker in one document; kept across
    re-ingests of that document. Returns the number of passages changed."""
    from index.errors import BadInputError

    # (the chat shows a host as "林老师 (host)": that mark is no part of the name)
    new = re.sub(r"\s*[(（](?:host|guest)[)）]$", "", new.strip(), flags=re.I)
    if not new or len(new) > 80 or "\n" in new:
        raise BadInputError("a speaker name must be one line of 1 to 80 characters")
    manifest = store.manifest() if store.exists() else None
    if manifest is None or source not in manifest.files:
        raise BadInputError(f"{source!r} is not in the index; see `rag sources`")
    changed = store.rename_speaker(source, old, new)
    if not changed:
        raise BadInputError(f"no speaker {old!r} in {source}")
    renames = manifest.renames.setdefault(source, {})
    for shown, to in list(renames.items()):
        if to == old:
            renames[shown] = new
    renames[old] = new
    store.save_manifest(manifest, touched={source})
    return changed


def remove(store: Store, sources: list[str]) -> IngestReport:
    """Drop documents (by file name) from the index."""
    report = IngestReport()
    manifest = store.manifest() if store.exists() else None
    if manifest is None:
        report.problems.extend(f"{s}: not in the index (see `rag sources`)" for s in sources)
        return report
    for s in sources:
        if not s.strip():
            report.problems.append("an empty name: give the file name of an indexed document (see `rag sources`)")
            continue
        name = Path(s).name
        # (one that a rebuild which did not finish has yet to read again is still the index's)
        if name in manifest.files or name in manifest.paths:
            remove_source(store, manifest, name)
            report.removed.append(name)
        elif name and (ids := store.ids_of(name)):
            # passages an ingest stopped before it recorded their document
            store.delete(ids)
            report.removed.append(name)
        elif len(same := [f for f in manifest.files if Path(f).stem == name]) == 1:
            # the file's name without its extension, as `rag sources` users shorten it
            remove_source(store, manifest, same[0])
            report.removed.append(same[0])
        elif same:
            report.problems.append(f"{s}: names {listing(sorted(same))}; give the whole file name")
        else:
            report.problems.append(f"{s}: not in the index (see `rag sources`)")
    report.documents = len(manifest.files)
    report.passages = store.count()
    return report
