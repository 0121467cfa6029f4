"""The Chroma collection behind the index, and the manifest that versions it.

Chroma is the single source of truth: each chunk is stored through llama-index's node format
(text, metadata, embedding) plus its lexical tokens, and the manifest (embedding model,
dimension, chunker version, file hashes, a generation counter) lives in the collection's
metadata, with a copy in RAG_HOME/manifest.json for people to read. The lexical index is
rebuilt from the collection, so it cannot drift from it, in embedded or server mode alike.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
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
from index.types import Chunk

FORMAT = "interview-qa-index v1"


@dataclass
class Manifest:
    embed_model: str
    dim: int
    chunker: str
    format: str = FORMAT
    files: dict[str, str] = field(default_factory=dict)  # source -> sha256
    generation: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls(**json.loads(text))

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


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _client(config: Config):
    import chromadb
    from chromadb.config import Settings

    key = config.chroma_url or str(config.chroma_dir)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        settings = Settings(anonymized_telemetry=False)
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
        else:
            try:
                config.chroma_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(config.chroma_dir), settings=settings)
            except Exception as e:
                _forget_failed_system(config.chroma_dir)
                raise _failure(config, e) from None
        _clients[key] = client
        return client


def _forget_failed_system(path: Path) -> None:
    # Chroma caches a client's system before starting it, so after a failed open it would hand
    # the broken one back ("no attribute 'bindings'"); drop it so the next attempt (say, once
    # the user has moved a damaged index aside) opens the directory again.
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)


def forget_clients() -> None:
    """Drop cached Chroma clients (tests that delete RAG_HOME between runs)."""
    with _clients_lock:
        _clients.clear()


class Store:
    """One Chroma collection: chunks with embeddings, plus the manifest."""

    def __init__(self, config: Config, collection: Any):
        self.config = config
        self.collection = collection

    @classmethod
    def open(cls, config: Config, create: bool = False) -> Store:
        """Open the collection; with create=False a missing one raises NoIndexError."""
        client = _client(config)
        where = config.chroma_url or str(config.chroma_dir)
        try:
            if create:
                col = client.get_or_create_collection(
                    config.collection,
                    configuration={"hnsw": {"space": "cosine"}},
                    embedding_function=None,
                )
            else:
                names = [getattr(c, "name", c) for c in client.list_collections()]
                if config.collection not in names:
                    raise NoIndexError(where)
                col = client.get_collection(config.collection, embedding_function=None)
        except (NoIndexError, StoreUnavailableError):
            raise
        except Exception as e:
            raise _failure(config, e) from None
        return cls(config, col)

    @staticmethod
    def drop(config: Config) -> None:
        client = _client(config)
        names = [getattr(c, "name", c) for c in client.list_collections()]
        if config.collection in names:
            client.delete_collection(config.collection)

    # --- manifest -------------------------------------------------------------------------
    def manifest(self) -> Manifest | None:
        """The manifest as stored now. Read afresh every time (Chroma's collection object keeps
        the metadata it was opened with), so a long-lived process notices another process's
        ingest, in server mode or while the UI runs."""
        from chromadb.errors import NotFoundError

        try:
            self.collection = _client(self.config).get_collection(
                self.config.collection, embedding_function=None
            )
        except NotFoundError:
            raise NoIndexError(self.config.chroma_url or str(self.config.chroma_dir)) from None
        except RagError:
            raise
        except Exception as e:
            raise _failure(self.config, e) from None
        meta = self.collection.metadata or {}
        if "manifest" not in meta:
            return None
        try:
            return Manifest.from_json(meta["manifest"])
        except (ValueError, TypeError) as e:
            raise CorruptIndexError(f"the index manifest is unreadable ({e}): run `rag ingest --rebuild`") from None

    def save_manifest(self, manifest: Manifest) -> None:
        manifest.generation += 1
        self.collection.modify(metadata={"manifest": manifest.to_json()})
        if not self.config.chroma_url:
            path = self.config.manifest_path
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
            tmp.replace(path)

    def generation(self) -> int:
        """Changes with every ingest; readers use it to notice a new index."""
        m = self.manifest()
        return m.generation if m else 0

    # --- chunks ---------------------------------------------------------------------------
    def ids_of(self, source: str) -> list[str]:
        return list(self.collection.get(where={"source": source}, include=[])["ids"])

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray, tokens: list[list[str]]) -> None:
        """Write chunks through llama-index's node format (so its retrievers read them back)."""
        from llama_index.core.schema import TextNode
        from llama_index.core.vector_stores.utils import node_to_metadata_dict

        for start in range(0, len(chunks), 1000):
            part = range(start, min(start + 1000, len(chunks)))
            metas = []
            for i in part:
                c = chunks[i]
                node = TextNode(
                    id_=c.id,
                    text=c.text,
                    metadata={
                        "source": c.source,
                        "turn": c.turn,
                        "piece": c.piece,
                        "speaker": c.speaker,
                        "role": c.role,
                        "question": c.question or "",
                        "lex": " ".join(tokens[i]),
                    },
                    excluded_embed_metadata_keys=["lex", "role", "piece", "turn"],
                    excluded_llm_metadata_keys=["lex"],
                )
                metas.append(node_to_metadata_dict(node, remove_text=True, flat_metadata=True))
            self.collection.upsert(
                ids=[chunks[i].id for i in part],
                embeddings=vectors[part.start : part.stop].tolist(),
                documents=[chunks[i].text for i in part],
                metadatas=metas,
            )

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=ids[start : start + 1000])

    def count(self) -> int:
        return int(self.collection.count())

    def all_chunks(self) -> tuple[list[Chunk], list[list[str]]]:
        """Every stored chunk and its lexical tokens, in a stable order."""
        chunks: list[Chunk] = []
        tokens: list[list[str]] = []
        total = self.count()
        for offset in range(0, total, 5000):
            got = self.collection.get(include=["documents", "metadatas"], limit=5000, offset=offset)
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                chunks.append(
                    Chunk(
                        id=cid,
                        source=meta["source"],
                        turn=int(meta["turn"]),
                        piece=int(meta["piece"]),
                        speaker=meta["speaker"],
                        role=meta["role"],
                        text=doc,
                        question=meta.get("question") or None,
                    )
                )
                tokens.append(meta.get("lex", "").split())
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].source, chunks[i].turn, chunks[i].piece))
        return [chunks[i] for i in order], [tokens[i] for i in order]


def _failure(config: Config, e: Exception) -> CorruptIndexError | StoreUnavailableError:
    """The one-line error for a Chroma call that failed: the server's fault or the directory's."""
    why = " ".join(str(e).split())  # Chroma's messages may span lines; the CLI prints one
    if config.chroma_url:
        return StoreUnavailableError(
            f"the Chroma server at {config.chroma_url} failed ({type(e).__name__}: {why}): "
            "check that it is running (`chroma run --path DIR --port N`) or unset RAG_CHROMA_URL"
        )
    return CorruptIndexError(
        f"cannot read the index at {config.chroma_dir} ({type(e).__name__}: {why}): "
        "move it aside and run `rag ingest`"
    )


def home_exists(config: Config) -> bool:
    return config.chroma_url is not None or Path(config.chroma_dir).exists()
