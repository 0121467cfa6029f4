"""Shared fixtures: every test gets its own RAG_HOME; the fast tier uses a fake embedder."""

from __future__ import annotations

import pytest

from index import embed, store
from rag import engine
from tests.fakes import FAKE_MODEL, HashingEmbedder

embed.FACTORIES[FAKE_MODEL] = HashingEmbedder


@pytest.fixture(autouse=True)
def rag_home(tmp_path, monkeypatch):
    """Point all state at a fresh temp dir, and forget loaded engines and clients."""
    home = tmp_path / "rag-home"
    monkeypatch.setenv("RAG_HOME", str(home))
    monkeypatch.delenv("RAG_CHROMA_URL", raising=False)
    monkeypatch.delenv("RAG_EMBED_MODEL", raising=False)
    engine.reset_engines()
    store.forget_clients()
    yield home
    engine.reset_engines()
    store.forget_clients()


@pytest.fixture
def fake_model(monkeypatch):
    """Use the hashing embedder instead of the real model."""
    monkeypatch.setenv("RAG_EMBED_MODEL", FAKE_MODEL)
    return FAKE_MODEL
