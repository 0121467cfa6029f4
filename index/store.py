"""The Chroma collection behind the index, and the manifest that versions it.

Everything Chroma-specific lives here. Chroma is the single source of truth: each passage is
stored in llama-index's node format (text, metadata, embedding, so llama-index's
ChromaVectorStore can read the collection too) plus its lexical tokens, and the manifest
(embedding model, dimension, chunker version, file hashes, a generation counter) lives in
the collection's metadata, with a copy in RAG_HOME/manifest.json for people to read. A second
collection beside it (`<name>__context`) holds, for each passage that continues a turn, the
vector of that passage read with the piece before it.
"""

from __future__ import annotations

import fcntl
import functools
import itertools
import json
import os
import re
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.config import Config
from index.errors import (
    CorruptIndexError,
    IndexMismatchError,
    NoIndexError,
    RagError,
    StoreUnavailableError,
)
from index.types import Passage

FORMAT = "interview-qa-index v3"
CONTEXT_SUFFIX = "__context"
_BATCH = 1000


# the manifest's entries kept per document (source -> …)
_PER_DOCUMENT = ("files", "speaker_maps", "renames", "formats", "paths")


@dataclass
class Manifest:
    embed_model: str
    dim: int
    chunker: str
    format: str = FORMAT
    files: dict[str, str] = field(default_factory=dict)  # source -> sha256
    generation: int = 0
    speaker_maps: dict[str, dict[str, str]] = field(default_factory=dict)  # source -> label -> name
    renames: dict[str, dict[str, str]] = field(default_factory=dict)  # source -> shown -> new name
    formats: dict[str, str] = field(default_factory=dict)  # source -> format chosen with --format
    paths: dict[str, str] = field(default_factory=dict)  # source -> the file it was read from
    # a rebuild is filling the index: a reader that holds the index as it was answers from
    # that until the rebuild ends, not from the few documents read again so far
    rebuilding: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def unread(self) -> list[str]:
        """The documents whose file the index knows and whose passages it does not hold: a
        rebuild, running or stopped, has yet to read them again."""
        return [s for s in self.paths if s not in self.files]

    def earlier_version(self, chunker: str) -> bool:
        """Was this index built by an earlier version of the product (another index format
        or chunker)? Re-ingesting its sources brings it up to date."""
        return self.format != FORMAT or self.chunker != chunker

    def check(self, embed_model: str, chunker: str) -> None:
        """Refuse an index built with another model or chunker, saying how to fix it."""
        if self.format != FORMAT:
            raise IndexMismatchError(
                f"index format is {self.format!r}, this version reads {FORMAT!r}: run `rag ingest --rebuild`"
            )
        if self.embed_model != embed_model:
            raise IndexMismatchError(
                f"index was built with embedding model {self.embed_model!r} but RAG_EMBED_MODEL is "
                f"{embed_model!r}: set RAG_EMBED_MODEL={self.embed_model} or run `rag ingest --rebuild`"
            )
        if self.chunker != chunker:
            raise IndexMismatchError(
                f"index was built with chunker {self.chunker!r}, this version uses {chunker!r}: "
                "run `rag ingest --rebuild`"
            )


@dataclass(frozen=True)
class Records:
    """Everything stored, in a stable order: passages, their lexical tokens and vectors."""

    passages: list[Passage]
    tokens: list[list[str]]
    vectors: np.ndarray
    # each passage read with the piece of its turn before it (its own vector when it has none)
    context: np.ndarray | None = None

    def of(self, sources: set[str]) -> Records:
        """Only the passages of these documents."""
        keep = [i for i, p in enumerate(self.passages) if p.source in sources]
        if len(keep) == len(self.passages):
            return self
        return Records(
            [self.passages[i] for i in keep], [self.tokens[i] for i in keep], self.vectors[keep],
            None if self.context is None else self.context[keep],
        )


def _unreachable(e: Exception) -> bool:
    """Did a call fail because the Chroma server is gone (stopped, restarted, network)?"""
    chain = [e, e.__cause__, e.__context__]
    return any(
        x is not None and (isinstance(x, ConnectionError) or type(x).__module__.startswith(("httpx", "httpcore"))
                           or "Could not connect" in str(x))
        for x in chain
    )


def _guarded(method):
    """A store call whose server stops answering half-way (an ingest when the server is
    stopped) raises the one-line StoreUnavailableError, not the HTTP client's traceback."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RagError:
            raise
        except Exception as e:
            if self.config.chroma_url and _unreachable(e):
                raise _failure(self.config, e) from None
            raise

    return call


class Store:
    """One Chroma collection (embedded or on a `chroma run` server) and its manifest.

    The store owns its client. In embedded mode Chroma caches segments per process, so after
    another process has written, `refresh()` opens the directory anew; callers do that when
    the manifest's generation moves.
    """

    def __init__(self, config: Config):
        self.config = config
        self._client = None
        self._col = None
        self._ctx = None
        self._lock = threading.Lock()

    # --- connection -------------------------------------------------------------------------
    def client(self):
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self):
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        config = self.config
        if config.chroma_url:
            u = urlparse(config.chroma_url)
            try:
                client = chromadb.HttpClient(
                    host=u.hostname or "localhost",
                    port=u.port or (443 if u.scheme == "https" else 8000),
                    ssl=u.scheme == "https",
                    settings=settings,
                )
                client.heartbeat()
            except Exception as e:
                raise StoreUnavailableError(
                    f"cannot reach the Chroma server at {config.chroma_url} ({type(e).__name__}): "
                    "start it (`chroma run --path DIR --port N`) or unset RAG_CHROMA_URL"
                ) from None
            return client
        try:
            config.chroma_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(config.chroma_dir), settings=settings)
        except Exception as e:
            self._forget_system()
            raise _failure(config, e) from None

    def _forget_system(self) -> None:
        # Chroma keeps one system per directory per process and hands it back to every new
        # client; drop ours so the next client reads the directory as it is now (after another
        # process's ingest, or once a user has moved a damaged index aside).
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(self.config.chroma_dir), None)

    def refresh(self) -> None:
        """Read the index as other processes left it (embedded mode caches it; a server's
        collections may have been dropped and made again by another process's rebuild, so
        their handles are fetched anew)."""
        if self.config.chroma_url:
            with self._lock:
                self._col = None
                self._ctx = None
            return
        with self._lock:
            self._forget_system()
            self._client = None
            self._col = None
            self._ctx = None

    def _context(self):
        """The collection of context vectors (made on first use)."""
        if self._ctx is not None and self._client is not None:
            return self._ctx
        client = self.client()
        try:
            self._ctx = client.get_or_create_collection(
                self._context_name(), configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
            return self._ctx
        except RagError:
            raise
        except Exception as e:
            raise _failure(self.config, e) from None

    def _context_name(self) -> str:
        return self.config.collection + CONTEXT_SUFFIX

    def _collection(self, create: bool = False, fresh: bool = False):
        """The collection object, fetched anew when `fresh` (its metadata is a snapshot)."""
        col = self._col
        if col is not None and not (create or fresh) and self._client is not None:
            return col
        client = self.client()
        try:
            if create:
                col = client.get_or_create_collection(
                    self.config.collection,
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=None,
                )
            else:
                col = client.get_collection(self.config.collection, embedding_function=None)
            self._col = col
            return col
        except RagError:
            raise
        except Exception as e:
            if type(e).__name__ in ("NotFoundError", "InvalidCollectionException") or (
                "does not exist" in str(e)
            ):
                raise NoIndexError(self.config.where) from None
            raise _failure(self.config, e) from None

    @_guarded
    def exists(self) -> bool:
        try:
            self._collection(fresh=True)
            return True
        except NoIndexError:
            return False

    @_guarded
    def drop(self) -> None:
        if self.exists():
            self.client().delete_collection(self.config.collection)
        names = {getattr(c, "name", c) for c in self.client().list_collections()}
        if self._context_name() in names:
            self.client().delete_collection(self._context_name())
        self._col = None
        self._ctx = None

    # --- manifest ---------------------------------------------------------------------------
    @_guarded
    def manifest(self) -> Manifest | None:
        """The manifest as stored now (read afresh: another process may have ingested)."""
        col = self._collection(fresh=True)
        meta = col.metadata or {}
        if "manifest" not in meta:
            if n := col.count():  # another application's collection: never written into
                raise IndexMismatchError(
                    f"the collection {self.config.collection!r} at {self.config.chroma_url or self.config.chroma_dir} holds {n} items "
                    "but is no Interview Q&A index: set RAG_COLLECTION to another name"
                )
            return None
        try:
            return Manifest.from_json(meta["manifest"])
        except (ValueError, TypeError) as e:
            raise CorruptIndexError(
                f"the index manifest is unreadable ({e}): run `rag ingest --rebuild`"
            ) from None

    @_guarded
    def create(self) -> None:
        self._collection(create=True)
        self._context()

    @_guarded
    def save_manifest(self, manifest: Manifest, touched: Iterable[str] | None = None) -> None:
        """Store the manifest. With `touched`, the documents this process changed since it
        last saved, every other document's entries are taken from the manifest as stored now:
        another process may have ingested or removed documents meanwhile, and two ingests at
        once must lose nothing of each other's (in embedded mode a lock file makes the
        read and the write one step; a server's clients only narrow the window to both)."""
        with self._manifest_lock():
            if touched is not None and (stored := self.manifest()) is not None:
                mine = set(touched)
                for name in _PER_DOCUMENT:
                    ours, theirs = getattr(manifest, name), getattr(stored, name)
                    merged = {s: v for s, v in theirs.items() if s not in mine}
                    merged.update((s, v) for s, v in ours.items() if s in mine)
                    ours.clear()
                    ours.update(merged)
                manifest.generation = max(manifest.generation, stored.generation)
            manifest.generation += 1
            self._collection().modify(metadata={"manifest": manifest.to_json()})
            if not self.config.chroma_url:
                path = self.config.manifest_path
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
                tmp.replace(path)

    @contextmanager
    def _manifest_lock(self):
        if self.config.chroma_url:
            yield
            return
        self.config.home.mkdir(parents=True, exist_ok=True)
        with open(self.config.home / "manifest.lock", "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    # --- passages ---------------------------------------------------------------------------
    @_guarded
    def ids_of(self, source: str) -> list[str]:
        return list(self._collection().get(where={"source": source}, include=[])["ids"])

    @_guarded
    def upsert(
        self,
        passages: list[Passage],
        vectors: np.ndarray,
        tokens: list[list[str]],
        context: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Write passages in llama-index's node format, with their lexical tokens, and the
        context vectors of those that have one (passage id -> vector)."""
        from llama_index.core.schema import TextNode
        from llama_index.core.vector_stores.utils import node_to_metadata_dict

        col = self._collection()
        ids = sorted(context or {})
        for s in range(0, len(ids), _BATCH):
            part = ids[s : s + _BATCH]
            self._context().upsert(
                ids=part, embeddings=[np.asarray(context[i], dtype=np.float32).tolist() for i in part]
            )
        for s in range(0, len(passages), _BATCH):
            part = range(s, min(s + _BATCH, len(passages)))
            metas = []
            for i in part:
                p = passages[i]
                meta = {
                    "source": p.source,
                    "turn": p.turn,
                    "piece": p.piece,
                    "speaker": p.speaker or "",
                    "role": p.role,
                    "question": p.question or "",
                    "alt": p.alt or "",
                    "start": -1.0 if p.start is None else float(p.start),
                    "end": -1.0 if p.end is None else float(p.end),
                    "marks": json.dumps(p.marks) if p.marks else "",
                    "lex": " ".join(tokens[i]),
                }
                node = TextNode(
                    id_=p.id,
                    text=p.text,
                    metadata=meta,
                    excluded_embed_metadata_keys=list(meta),
                    excluded_llm_metadata_keys=["lex", "alt", "start", "end", "marks"],
                )
                metas.append(node_to_metadata_dict(node, remove_text=True, flat_metadata=True))
            col.upsert(
                ids=[passages[i].id for i in part],
                embeddings=vectors[part.start : part.stop].tolist(),
                documents=[passages[i].text for i in part],
                metadatas=metas,
            )

    @_guarded
    def rename_speaker(self, source: str, old: str, new: str) -> int:
        """Show `old`'s passages in `source` under `new`; returns how many changed."""
        col = self._collection()
        got = col.get(where={"$and": [{"source": source}, {"speaker": old}]}, include=["metadatas"])
        if not got["ids"]:
            return 0
        metas = [{**m, "speaker": new} for m in got["metadatas"]]
        for s in range(0, len(metas), _BATCH):
            col.update(ids=got["ids"][s : s + _BATCH], metadatas=metas[s : s + _BATCH])
        return len(got["ids"])

    @_guarded
    def delete(self, ids: list[str]) -> None:
        col = self._collection()
        for s in range(0, len(ids), _BATCH):
            col.delete(ids=ids[s : s + _BATCH])
            self._context().delete(ids=ids[s : s + _BATCH])

    @_guarded
    def count(self) -> int:
        return int(self._collection().count())

    @_guarded
    def records(self, source: str | None = None) -> Records:
        """Every stored passage (of one document, if given) with tokens and vectors."""
        col = self._collection()
        passages: list[Passage] = []
        tokens: list[list[str]] = []
        vectors: list[Any] = []
        where = {"source": source} if source else None
        step = 5000
        for offset in itertools.count(0, step):
            got = col.get(
                where=where,
                include=["documents", "metadatas", "embeddings"],
                limit=step,
                offset=offset,
            )
            for pid, doc, meta, vec in zip(
                got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
            ):
                passages.append(_passage(pid, doc, meta))
                tokens.append((meta.get("lex") or "").split())
                vectors.append(vec)
            if len(got["ids"]) < step:
                break
        order = sorted(range(len(passages)), key=lambda i: _order(passages[i]))
        mat = np.asarray([vectors[i] for i in order], dtype=np.float32)
        if not order:
            mat = np.zeros((0, 1), dtype=np.float32)
        ctx = mat.copy()
        wanted = [passages[i].id for i in order]
        row = {pid: n for n, pid in enumerate(wanted)}
        for s in range(0, len(wanted), step):
            got = self._context().get(ids=wanted[s : s + step], include=["embeddings"])
            for pid, vec in zip(got["ids"], got["embeddings"], strict=True):
                ctx[row[pid]] = vec
        return Records([passages[i] for i in order], [tokens[i] for i in order], mat, ctx)

    @_guarded
    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[str]:
        """Ids of the n nearest passages (cosine), optionally filtered by metadata."""
        col = self._collection()
        if n <= 0:
            return []
        got = col.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=n,
            where=where,
            include=[],
        )
        return list(got["ids"][0])


def _order(p: Passage) -> tuple[str, int, int]:
    return (p.source, p.turn, p.piece)


def _passage(pid: str, doc: str, meta: dict) -> Passage:
    def time(key: str) -> float | None:
        v = meta.get(key)
        return None if v is None or float(v) < 0 else float(v)

    return Passage(
        id=pid,
        source=meta["source"],
        speaker=meta.get("speaker") or None,
        role=meta.get("role") or "",
        turn=int(meta["turn"]),
        piece=int(meta["piece"]),
        text=doc,
        question=meta.get("question") or None,
        start=time("start"),
        end=time("end"),
        alt=meta.get("alt") or None,
        marks=tuple((int(o), float(t)) for o, t in json.loads(meta.get("marks") or "[]")),
    )


def where_filter(speakers: list[str] | None, sources: list[str] | None) -> dict | None:
    """Chroma's `where` for passages by these speakers and/or from these documents.

    >>> where_filter(["A"], ["x.txt", "y.txt"])
    {'$and': [{'speaker': {'$in': ['A']}}, {'source': {'$in': ['x.txt', 'y.txt']}}]}
    """
    parts = []
    if speakers:
        parts.append({"speaker": {"$in": list(speakers)}})
    if sources:
        parts.append({"source": {"$in": list(sources)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _failure(config: Config, e: Exception) -> CorruptIndexError | StoreUnavailableError:
    """The one-line error for a Chroma call that failed: the server's fault or the directory's."""
    why = " ".join(str(e).split())  # Chroma's messages may span lines; the CLI prints one
    if config.chroma_url:
        return StoreUnavailableError(
            f"the Chroma server at {config.chroma_url} failed ({type(e).__name__}: {why}): "
            "check that it is running (`chroma run --path DIR --port N`) or unset RAG_CHROMA_URL"
        )
    if _not_writable(e):
        # (an intact index on a read-only disk, or owned by someone else: nothing to move aside)
        return StoreUnavailableError(
            f"cannot write in {config.chroma_dir} ({type(e).__name__}: {why}): the index must "
            "be in a folder you can write to (Chroma writes even to answer); check its "
            "permissions, or set RAG_HOME to a folder you can write"
        )
    return CorruptIndexError(
        f"cannot read the index at {config.chroma_dir} ({type(e).__name__}: {why}): "
        "move it aside and run `rag ingest`"
    )


def _not_writable(e: BaseException) -> bool:
    """Did a call fail because the index's folder is read-only, not because the index is
    damaged?

    >>> _not_writable(RuntimeError("attempt to write a readonly database")), _not_writable(ValueError("bad"))
    (True, False)
    >>> _not_writable(PermissionError(13, "Permission denied")), _not_writable(NotADirectoryError(20, "x"))
    (True, True)
    """
    chain = [e, e.__cause__, e.__context__]
    return any(
        isinstance(x, PermissionError | NotADirectoryError)
        or (x is not None and re.search(r"readonly database|read-only file system|permission denied",
                                        str(x), re.I))
        for x in chain
    )
