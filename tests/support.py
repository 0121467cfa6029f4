"""Helpers shared by tests that look inside the index."""

from __future__ import annotations

from pathlib import Path

from index.config import Config
from index.ingest import prepare
from index.store import Store


def stored_ids(config: Config | None = None, source: str | None = None) -> list[str]:
    """The passage ids the index holds (for one document, or all)."""
    return sorted(p.id for p in Store(config or Config.from_env()).records(source).passages)


def expected_ids(path: Path, config: Config | None = None) -> list[str]:
    """The passage ids ingest should store for a file, computed from the pure pipeline."""
    prepared = prepare(path.name, path.read_bytes(), config or Config.from_env())
    return sorted(p.id for p in prepared.passages)
