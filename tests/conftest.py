"""Shared fixtures: every test gets its own RAG_HOME; the fast tier uses a fake embedder.

Fakes are passed to the corpus object (`rag.open(embedder=…, glossary=…)`), never registered
in the product. The CC-CEDICT glossary is built once per test session and shared.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import rag
from index.config import Config
from rag.crosslingual import Glossary
from tests.fakes import HashingEmbedder


@pytest.fixture(autouse=True)
def rag_home(tmp_path, monkeypatch):
    """Point all state at a fresh temp dir."""
    home = tmp_path / "rag-home"
    monkeypatch.setenv("RAG_HOME", str(home))
    for var in ("RAG_CHROMA_URL", "RAG_EMBED_MODEL", "RAG_RETRIEVAL", "RAG_TRANSCRIPTS", "RAG_LLM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RAG_TEST_GLOSSARY", str(GLOSSARY_DIR))
    yield home


# The glossary is a pure function of the installed dictionary: built once per machine and
# shared by test sessions, pytest-xdist workers and the child processes tests start
# (tests/fakes.py reads RAG_TEST_GLOSSARY).
GLOSSARY_DIR = Path(tempfile.gettempdir()) / "interview-qa-test-glossary"


@pytest.fixture(scope="session")
def glossary() -> Glossary:
    """The real CC-CEDICT glossary (built on first use, atomically)."""
    os.environ["RAG_TEST_GLOSSARY"] = str(GLOSSARY_DIR)
    return Glossary.open(GLOSSARY_DIR)


@pytest.fixture
def config(rag_home) -> Config:
    return Config.from_env()


@pytest.fixture
def corpus(config, glossary) -> rag.Corpus:
    """An empty corpus in this test's RAG_HOME with the hashing embedder."""
    return rag.open(config, embedder=HashingEmbedder(), glossary=glossary)


@pytest.fixture(scope="session")
def _bundled_index(tmp_path_factory, glossary):
    """The bundled transcripts ingested once with the fake embedder (copied per test)."""
    home = tmp_path_factory.mktemp("bundled") / "rag-home"
    c = rag.open(Config(home=home), embedder=HashingEmbedder(), glossary=glossary)
    c.ingest()
    return home


@pytest.fixture
def bundled(_bundled_index, rag_home, glossary) -> rag.Corpus:
    """A corpus holding the bundled transcripts (fake embedder), in this test's own RAG_HOME."""
    import shutil

    shutil.copytree(_bundled_index, rag_home)
    return rag.open(Config.from_env(), embedder=HashingEmbedder(), glossary=glossary)
