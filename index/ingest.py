"""Ingest: load → repair → turns → chunks → embed → store, one document at a time.

Re-ingesting a file replaces its chunks (stable ids: document + turn + piece); an unchanged
file (same hash) is skipped. The manifest records a file's hash only after its chunks are
written, so an ingest killed half-way leaves the previous index queryable and the next
ingest redoes whatever was not finished.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from index.chunk import CHUNKER_VERSION, chunk_turns
from index.clean import repair, to_simplified
from index.config import Config
from index.embed import load_embedder
from index.errors import NoIndexError
from index.lexical import tokenize
from index.load import Problem, load
from index.store import Manifest, Store
from index.turns import split_turns
from index.types import Chunk


@dataclass
class IngestReport:
    documents: int = 0  # documents in the index after this ingest
    chunks: int = 0  # chunks in the index after this ingest
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def prepare(source: str, text: str, config: Config) -> tuple[list[Chunk], list[str]]:
    """The chunks of one document (pure given the config), and warnings about it."""
    turns, warnings = split_turns(repair(text))
    return chunk_turns(source, turns, config.chunk_chars), [f"{source}: {w}" for w in warnings]


def passage_text(chunk: Chunk) -> str:
    """What the embedding model sees: the passage alone, in Simplified script. The host
    question is indexed lexically with it (dense retrieval did better without it on the
    dev questions, at half the embedding cost)."""
    return to_simplified(chunk.text)




def ingest(
    paths: list[Path] | None = None,
    config: Config | None = None,
    *,
    prune: bool = False,
    rebuild: bool = False,
    progress: bool = False,
) -> IngestReport:
    """Index transcripts (the bundled ones by default); returns what changed.

    Files that cannot be read are reported in `problems` and skipped; the rest still ingest.
    """
    config = config or Config.from_env()
    started = time.perf_counter()
    report = IngestReport()
    transcripts, problems = load(paths or [config.transcripts], config.max_file_bytes)
    report.problems.extend(str(p) for p in problems)

    embedder = load_embedder(config)
    # Running readers reload when the generation changes, so a new manifest continues the
    # old one's count instead of starting again at a number they may already hold.
    generation = 0
    if rebuild:
        generation = _generation(config)
        Store.drop(config)
    store = Store.open(config, create=True)
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
    else:
        manifest.check(embedder.model_id, CHUNKER_VERSION)

    todo: list[tuple[str, str, list[Chunk]]] = []
    for t in transcripts:
        if manifest.files.get(t.source) == t.sha256:
            report.unchanged.append(t.source)
            continue
        chunks, warnings = prepare(t.source, t.text, config)
        report.warnings.extend(warnings)
        if not chunks:
            report.problems.append(str(Problem(t.source, "no interview text found after cleaning")))
            continue
        todo.append((t.source, t.sha256, chunks))

    if todo:
        every = [c for _, _, cs in todo for c in cs]
        vectors = embedder.passages([passage_text(c) for c in every], progress=progress)
        at = 0
        for source, sha, chunks in todo:
            vecs = vectors[at : at + len(chunks)]
            at += len(chunks)
            old = set(store.ids_of(source))
            store.upsert(chunks, vecs, [tokenize(c.embed_text()) for c in chunks])
            store.delete(sorted(old - {c.id for c in chunks}))
            (report.updated if source in manifest.files else report.added).append(source)
            manifest.files[source] = sha
            store.save_manifest(manifest)

    if prune and report.problems:
        # A file that failed to load (a typo in a path, an unreadable edit) would look removed.
        report.problems.append("--prune skipped because of the problems above: nothing was removed")
    elif prune:
        keep = {t.source for t in transcripts}
        for source in sorted(set(manifest.files) - keep):
            remove_source(store, manifest, source)
            report.removed.append(source)
    if fresh and manifest.generation == generation:  # nothing written: still record the model
        store.save_manifest(manifest)

    report.documents = len(manifest.files)
    report.chunks = store.count()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _generation(config: Config) -> int:
    try:
        return Store.open(config).generation()
    except NoIndexError:
        return 0


def remove_source(store: Store, manifest: Manifest, source: str) -> None:
    store.delete(store.ids_of(source))
    manifest.files.pop(source, None)
    store.save_manifest(manifest)


def remove(sources: list[str], config: Config | None = None) -> IngestReport:
    """Drop documents (by file name) from the index."""
    config = config or Config.from_env()
    store = Store.open(config)
    manifest = store.manifest()
    report = IngestReport()
    if manifest is None:
        return report
    for s in sources:
        name = Path(s).name
        if name in manifest.files:
            remove_source(store, manifest, name)
            report.removed.append(name)
        else:
            report.problems.append(f"{s}: not in the index (see `rag sources`)")
    report.documents = len(manifest.files)
    report.chunks = store.count()
    return report
