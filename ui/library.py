"""Transcripts brought in from the chat: uploads saved inside the corpus, ingested one file at a
time with a report per file; documents removed; speakers renamed or merged.

An upload is checked before anything is written: a supported type (or a speaker map,
`NAME.speakers.yaml`), at most `config.max_file_bytes`, and a file name reduced to one safe
path component, so `../../x.txt` becomes `x.txt` inside `RAG_HOME/uploads/`. Each file is
ingested from a staging folder and kept in `uploads/` only once it is indexed, so a broken
re-upload never replaces a good copy. Writers are serialised by a lock file in `uploads/`
(threads of this process and other processes on the same RAG_HOME alike), because two
ingests at once would race on the index manifest.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import rag
from rag import IngestReport, NoIndexError, RagError, SourceInfo
from rag.render import count

log = logging.getLogger(__name__)

# What `rag ingest` reads (index/formats); a speaker map rides along beside its transcript.
SUPPORTED = tuple(sorted(rag.SUFFIXES))
SPEAKER_MAP = (".yaml", ".yml", ".json")
MAX_NAME = 150
MEDIA_FILE = "media.json"

Progress = Callable[[int, int, str], None]


@dataclass
class FileRow:
    """One line of an upload's report. `status`: ok, warn, error, or info (nothing indexed,
    nothing wrong)."""

    name: str
    status: str
    format: str = ""
    passages: int | None = None
    speakers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def safe_name(name: str) -> str | None:
    """A file name that stays inside its folder, or None when nothing usable is left: the
    last path component, without control characters, characters Windows refuses, or leading
    dots; shortened to MAX_NAME characters, keeping the extension.

    >>> safe_name("../../x.txt"), safe_name("..\\\\a\\\\b<1>.vtt")
    ('x.txt', 'b_1_.vtt')
    >>> safe_name("/.."), safe_name(".env")
    (None, 'env')
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in base)
    base = re.sub(r'[<>:"|?*]', "_", base)
    base = re.sub(r"\s+", " ", base).strip().lstrip(".").strip()
    if len(base) > MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        keep = f".{suffix}" if dot and len(suffix) <= 10 else ""
        base = base[: MAX_NAME - len(keep)].rstrip() + keep
    return base or None


def is_speaker_map(name: str) -> bool:
    """`talk.vtt.speakers.yaml` names the speakers of `talk.vtt`.

    >>> is_speaker_map("talk.vtt.speakers.yaml"), is_speaker_map("talk.json")
    (True, False)
    """
    lower = name.lower()
    return ".speakers." in lower and lower.endswith(SPEAKER_MAP)


def _map_target(name: str) -> str:
    """The transcript (name or stem) a speaker map is for: `a.vtt.speakers.yaml` -> `a.vtt`."""
    return name[: name.lower().rindex(".speakers.")]


def _maps_for(transcript: str, names: Sequence[str]) -> list[str]:
    stem = Path(transcript).stem
    return [n for n in names if is_speaker_map(n) and _map_target(n) in (transcript, stem)]


def size(n: float) -> str:
    """A file size for people.

    >>> size(503), size(20 * 2**20), size(1536)
    ('503 bytes', '20 MiB', '1.5 KiB')
    """
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{round(n / scale, 1):g} {unit}"
    return f"{int(n)} bytes"


def report_rows(name: str, path: str, report: IngestReport, indexed: SourceInfo | None = None) -> list[FileRow]:
    """What the ingest of one saved file did, as report lines (server paths left out);
    `indexed`: the document as the index holds it, shown for a file that is unchanged.

    >>> info = SourceInfo("a.vtt", 12, ("Ann", "Bo"), ("Ann",), 60.0)
    >>> report_rows("a.vtt", "/x/a.vtt", IngestReport(unchanged=["a.vtt"]), info)[0]
    FileRow(name='a.vtt', status='info', format='', passages=12, speakers=['Ann', 'Bo'], notes=['unchanged: already indexed'])
    """
    prefix = f"{path}: "
    problems = [p.removeprefix(prefix) for p in report.problems]
    if report.files:
        f = report.files[0]
        replaced = ["replaced the indexed version"] if f.source in report.updated else []
        dropped = [f"dropped {n} characters of {what}" for what, n in f.dropped.items() if n]
        notes = [*f.warnings, *replaced, *dropped, *problems]
        status = "error" if problems else "warn" if f.warnings else "ok"
        return [FileRow(name, status, f.format, f.passages, list(f.speakers), notes)]
    if name in report.unchanged:
        held = (indexed.passages, list(indexed.speakers)) if indexed else (None, [])
        return [FileRow(name, "info", "", *held, notes=["unchanged: already indexed"])]
    return [FileRow(name, "error", notes=problems or ["not indexed"])]


class Library:
    """The chat's side of the corpus: uploads in, documents out, speakers renamed."""

    def __init__(self, corpus: rag.Corpus):
        self.corpus = corpus
        self.folder = corpus.config.home / "uploads"
        self._lock = threading.Lock()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock, (self.folder / ".lock").open("a") as handle:
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX)
            except ImportError:  # not POSIX: threads of this process are still serialised
                pass
            yield

    # --- uploads ---------------------------------------------------------------------------
    def check(self, name: str, path: Path) -> tuple[str | None, FileRow | None]:
        """(safe name, None) for an acceptable upload, else (name, the report line refusing it)."""
        safe = safe_name(name)
        if safe is None:
            return None, FileRow(name, "error", notes=["no usable file name"])
        suffix = Path(safe).suffix.lower()
        if suffix not in SUPPORTED and not is_speaker_map(safe):
            return safe, FileRow(
                safe,
                "error",
                notes=[
                    rag.file_hint(suffix)
                    or f"unsupported file type {suffix or '(none)'!r}: use one of "
                    f"{', '.join(SUPPORTED)} (or NAME.speakers.yaml for a speaker map)"
                ],
            )
        n = path.stat().st_size
        limit = self.corpus.config.max_file_bytes
        if n > limit:
            return safe, FileRow(
                safe,
                "error",
                notes=[f"the file is {size(n)}; the limit is {size(limit)} (RAG_MAX_FILE_MB)"],
            )
        return safe, None

    def add(
        self,
        files: Sequence[tuple[str, str | Path]],
        progress: Progress | None = None,
        bars: bool = False,
    ) -> list[FileRow]:
        """Save and ingest uploaded files, given as (name the user gave, where it is now).
        Returns the report lines, in the order the files were given. `progress` hears of each
        file; `bars` lets ingest show tqdm bars for the passages being embedded."""
        rows: dict[int, list[FileRow]] = {}
        accepted: dict[str, tuple[int, Path]] = {}  # safe name -> (position, file)
        for i, (name, path) in enumerate(files):
            safe, refused = self.check(name, Path(path))
            if refused is None and safe in accepted:
                refused = FileRow(
                    safe, "error", notes=["another file of this upload has this name"]
                )
            if refused is not None:
                rows[i] = [refused]
            else:
                accepted[safe] = (i, Path(path))
        with self._writing():
            maps = [n for n in accepted if is_speaker_map(n)]
            todo = [(n, *accepted[n]) for n in accepted if not is_speaker_map(n)]
            for n in maps:
                self._keep(accepted[n][1], n)
            # A speaker map applies to its transcript in this upload, or re-ingests the one
            # uploaded before.
            for n in maps:
                queued = {t for t, *_ in todo}
                here = [t for t in queued if _map_target(n) in (t, Path(t).stem)]
                earlier = sorted(
                    p.name
                    for p in self.folder.iterdir()
                    if p.is_file()
                    and not p.name.startswith(".")
                    and not is_speaker_map(p.name)
                    and p.name not in queued
                    and _map_target(n) in (p.name, p.stem)
                )
                note = (
                    f"speaker map for {', '.join(sorted(here) + earlier)}"
                    if here or earlier
                    else f"speaker map for {_map_target(n)}: applied when that file is added"
                )
                rows[accepted[n][0]] = [FileRow(n, "info", "speaker map", notes=[note])]
                todo += [(t, len(files) + len(todo), self.folder / t) for t in earlier]
            for done, (n, position, source) in enumerate(todo):
                if progress:
                    progress(done, len(todo), n)
                rows.setdefault(position, []).extend(self._ingest(n, source, bars))
            if progress:
                progress(len(todo), len(todo), "done")
        return [r for _, rs in sorted(rows.items()) for r in rs]

    def _keep(self, source: Path, name: str) -> None:
        """Copy a file into uploads/ atomically (a reader never sees half a file)."""
        part = self.folder / f".{uuid.uuid4().hex}.part"
        shutil.copyfile(source, part)
        part.replace(self.folder / name)

    def _ingest(self, name: str, source: Path, bars: bool = False) -> list[FileRow]:
        staging = self.folder / f".incoming-{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            staged = staging / name
            shutil.copyfile(source, staged)
            for m in _maps_for(name, [p.name for p in self.folder.iterdir()]):
                shutil.copyfile(self.folder / m, staging / m)
            try:
                # (recorded where it is kept, so that a rebuild reads it again)
                report = self.corpus.ingest([staged], progress=bars, kept_at={staged: self.folder / name})
            except RagError as e:
                return [FileRow(name, "error", notes=[str(e)])]
            indexed = next((s for s in self.corpus.sources() if s.name == name), None) if report.unchanged else None
            rows = report_rows(name, str(staged), report, indexed)
            if report.added or report.updated or report.unchanged:
                if source != self.folder / name:
                    self._keep(staged, name)
                self._remember_media(name, report)
            return rows
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # --- media links -----------------------------------------------------------------------
    def _media_map(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / MEDIA_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _save_media_map(self, media: dict[str, str]) -> None:
        part = self.folder / f".{uuid.uuid4().hex}.part"
        part.write_text(json.dumps(media, ensure_ascii=False, indent=1), encoding="utf-8")
        part.replace(self.folder / MEDIA_FILE)

    def _remember_media(self, name: str, report: IngestReport) -> None:
        media = self._media_map()
        url = next((f.meta.get("media") for f in report.files if f.source == name), None)
        if isinstance(url, str) and url:
            media[name] = url
        elif report.files:
            media.pop(name, None)
        else:
            return  # unchanged: keep what was recorded
        self._save_media_map(media)

    def media(self, document: str) -> str | None:
        """The recording a document names in its front matter (`media:`, `audio:`, `url:` …),
        as recorded when it was uploaded here."""
        return self._media_map().get(document)

    # --- documents and speakers --------------------------------------------------------------
    def sources(self) -> list[rag.SourceInfo]:
        """The indexed documents ([] before the first ingest)."""
        try:
            return self.corpus.sources()
        except NoIndexError:
            return []

    def remove(self, document: str) -> str:
        """Drop a document from the index (and its uploaded copy); a sentence saying so."""
        if not document:
            raise rag.BadInputError("pick a document to remove")
        with self._writing():
            report = self.corpus.remove([document])
            if report.problems:
                raise rag.BadInputError(report.problems[0])
            (self.folder / document).unlink(missing_ok=True)
            media = self._media_map()
            if media.pop(document, None) is not None:
                self._save_media_map(media)
        return (f"Removed {document}: {count(report.documents, 'document')}, "
                f"{count(report.passages, 'passage')} left.")

    def rename(self, document: str, old: str, new: str) -> str:
        """Rename a speaker of one document, or merge it into another of its speakers by
        giving that name; kept when the document is ingested again. A sentence saying so."""
        if not document or not old:
            raise rag.BadInputError("pick a document and one of its speakers")
        new = (new or "").strip()
        if new == old:
            raise rag.BadInputError(f"{old} already has that name")
        before = next((s.speakers for s in self.sources() if s.name == document), ())
        with self._writing():
            changed = self.corpus.rename_speaker(document, old, new)
        verb = "Merged" if new in before else "Renamed"
        into = "into" if new in before else "to"
        return f"{verb} {old} {into} {new} in {document} ({changed} passages)."
