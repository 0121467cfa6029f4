"""Helpers shared by tests that look inside the index."""

from __future__ import annotations

from pathlib import Path

from index.config import Config
from index.ingest import prepare
from index.store import Store


def stored_ids(source: str | None = None) -> list[str]:
    """The chunk ids the index holds (for one document, or all)."""
    col = Store.open(Config.from_env()).collection
    got = col.get(where={"source": source}, include=[]) if source else col.get(include=[])
    return sorted(got["ids"])


def expected_ids(path: Path) -> list[str]:
    """The chunk ids ingest should store for a file, computed from the pure chunker."""
    chunks, _ = prepare(path.name, path.read_text(encoding="utf-8"), Config.from_env())
    return sorted(c.id for c in chunks)
