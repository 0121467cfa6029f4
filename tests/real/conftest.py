"""Real-tier fixtures: the real embedding model, materialized once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.config import DEFAULT_EMBED_MODEL, Config


@pytest.fixture(scope="session")
def e5_folder(tmp_path_factory) -> Path:
    """The real model materialized once; tests link it into their own RAG_HOME."""
    from index import e5

    return e5.materialize(tmp_path_factory.mktemp("models") / "multilingual-e5-small")


@pytest.fixture
def real_model(e5_folder, rag_home) -> Config:
    """This test's RAG_HOME with the real model already in place."""
    (rag_home / "models").mkdir(parents=True)
    (rag_home / "models" / "multilingual-e5-small").symlink_to(e5_folder, target_is_directory=True)
    config = Config.from_env()
    assert config.embed_model == DEFAULT_EMBED_MODEL
    return config
