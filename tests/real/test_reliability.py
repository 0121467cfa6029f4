"""Reliability under real conditions: `rag ingest` killed with SIGKILL (while embedding, and
while writing) leaves the previous index queryable and the next ingest completes; 20 threads
asking at once get the serial answers from one loaded model; the benchmark runs end to end.

The SIGKILL tests use the fake embedder in child processes, slowed by RAG_TEST_EMBED_DELAY
(tests/fakes.py); the concurrency test uses the real model."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from index import embed, store
from index.config import PROJECT_ROOT, Config
from index.ingest import ingest
from index.store import Store
from rag import ask, engine
from tests import support
from tests.fakes import FAKE_MODEL
from tests.support import expected_ids

pytestmark = pytest.mark.real

BUNDLED = Config().transcripts
HUMANOID_Q = "人形机器人的第一个应用领域会是什么?"
CHILD = (
    "import tests.fakes, index.embed as e; e.FACTORIES[tests.fakes.FAKE_MODEL] = tests.fakes.HashingEmbedder; "
    "from rag.cli import main; main()"
)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "RAG_EMBED_MODEL": FAKE_MODEL, **extra}


def rag_process(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=PROJECT_ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def start_rag(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        cwd=PROJECT_ROOT,
        env=_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def reopen() -> None:
    """Forget this process's handles on the index, so the next read sees what is on disk."""
    from chromadb.api.client import SharedSystemClient

    engine.reset_engines()
    store.forget_clients()
    SharedSystemClient.clear_system_cache()


def stored_ids(source: str | None = None) -> list[str]:
    reopen()
    return support.stored_ids(source)


def corpus(folder: Path, copies: int) -> list[Path]:
    """The bundled transcripts plus `copies` renamed copies of each."""
    folder.mkdir()
    files = []
    for src in sorted(BUNDLED.glob("*.txt")):
        files.append(Path(shutil.copy(src, folder / src.name)))
        for i in range(1, copies + 1):
            files.append(Path(shutil.copy(src, folder / f"copy{i}-{src.name}")))
    return files


def ask_in_a_process() -> list[str]:
    p = rag_process("ask", HUMANOID_Q, "--json")
    assert p.returncode == 0, p.stderr
    return [c["id"] for c in json.loads(p.stdout)["citations"]]


@pytest.fixture
def previous_index(fake_model) -> dict:
    """The bundled transcripts indexed by a child process; its chunk ids and first answer."""
    p = rag_process("ingest", "--json")
    assert p.returncode == 0, p.stderr
    ids = stored_ids()
    assert len(ids) == json.loads(p.stdout)["chunks"] > 100
    cited = ask_in_a_process()
    assert cited
    return {"ids": ids, "cited": cited}


def test_sigkill_while_embedding_keeps_the_previous_index(previous_index, tmp_path):
    files = corpus(tmp_path / "in", copies=2)
    copies = [f for f in files if f.name.startswith("copy")]
    new_passages = sum(len(expected_ids(f)) for f in copies)

    child = start_rag("ingest", str(tmp_path / "in"), "--json", RAG_TEST_EMBED_DELAY="0.1")
    try:
        line = ""
        while not line.startswith("fake embedder:"):
            line = child.stderr.readline()  # blocks until the embedder announces itself
            assert line, "the child ended without embedding"
        assert line.strip() == f"fake embedder: embedding {new_passages} passages"
        assert child.poll() is None
    finally:
        sigkill(child)
    assert child.stdout.read() == ""  # it never reported

    # The previous index is intact and answers as before, in a new process.
    assert stored_ids() == previous_index["ids"]
    assert ask_in_a_process() == previous_index["cited"]

    # The next ingest completes and reports the full chunk count.
    p = rag_process("ingest", str(tmp_path / "in"), "--json")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert sorted(report["added"]) == sorted(f.name for f in copies)
    full = sorted(i for f in files for i in expected_ids(f))
    assert report["chunks"] == len(full) == len(previous_index["ids"]) + new_passages
    assert stored_ids() == full


def sigkill(child: subprocess.Popen) -> None:
    """Kill the child as a crash would (no clean-up of its own) and reap it."""
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL


def test_sigkill_while_writing_leaves_only_complete_documents(previous_index, tmp_path, rag_home):
    """Killed between documents: every document the manifest lists has exactly its chunks."""
    files = corpus(tmp_path / "in", copies=6)
    by_name = {f.name: f for f in files}
    manifest_path = rag_home / "manifest.json"
    start = json.loads(manifest_path.read_text(encoding="utf-8"))["generation"]

    child = start_rag("ingest", str(tmp_path / "in"), "--json")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            # Written with an atomic rename, so it is always whole.
            if json.loads(manifest_path.read_text(encoding="utf-8"))["generation"] > start:
                break
            assert child.poll() is None, child.stderr.read()
            time.sleep(0.002)
        assert child.poll() is None, "ingest finished before it could be killed"
    finally:
        sigkill(child)

    reopen()
    manifest = Store.open(Config.from_env()).manifest()
    done = set(manifest.files) - {f.name for f in BUNDLED.glob("*.txt")}
    assert done, "killed before any document was written"
    assert len(done) < len(files) - 2, "killed after every document was written"
    for name in done:
        assert stored_ids(name) == expected_ids(by_name[name])
    assert set(previous_index["ids"]) <= set(stored_ids())
    cited = ask_in_a_process()
    assert cited and set(cited) <= set(stored_ids())

    p = rag_process("ingest", str(tmp_path / "in"), "--json")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert set(report["unchanged"]) >= done
    full = sorted(i for f in files for i in expected_ids(f))
    assert report["chunks"] == len(full)
    assert stored_ids() == full


# --- concurrency, with the real model ----------------------------------------------------------


QUESTIONS = [
    HUMANOID_Q,
    "特斯拉和 Waymo 在自动驾驶上谁领先?",
    "Karpathy 認為合成數據有什麼作用?",
    "Why does Karpathy think Tesla is ahead of Waymo?",
    "What does Karpathy say about small models?",
]


def test_twenty_threads_get_the_serial_answers_from_one_model(real_model, monkeypatch):
    assert ingest(config=real_model).chunks > 100
    serial = {q: [c.id for c in ask(q).citations] for q in QUESTIONS}
    assert all(serial.values())

    # Start from nothing loaded, and count how often the model is built.
    import sentence_transformers

    built = []
    real_cls = sentence_transformers.SentenceTransformer

    class Counting(real_cls):
        def __init__(self, *args, **kwargs):
            built.append(args[0] if args else kwargs.get("model_name_or_path"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", Counting)
    engine.reset_engines()
    embed._cache.clear()

    n = 20
    barrier = threading.Barrier(n)
    got: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            got[i] = [c.id for c in ask(QUESTIONS[i % len(QUESTIONS)]).citations]
        except BaseException as e:  # reported below, with the thread's question
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(got) == n
    for i in range(n):
        assert got[i] == serial[QUESTIONS[i % len(QUESTIONS)]], QUESTIONS[i % len(QUESTIONS)]
    assert len(built) == 1
    assert str(real_model.models_dir) in built[0]
    assert list(embed._cache) == [(real_model.embed_model, str(real_model.models_dir))]
    assert len(engine._engines) == 1


# --- the benchmark -----------------------------------------------------------------------------


def test_the_benchmark_runs_end_to_end_and_cleans_up(fake_model, capsys):
    from rag.bench import run

    before = set(Path(tempfile.gettempdir()).glob("rag-bench-*"))
    result = run(Config.from_env(), scale=450, queries=6, progress=True)
    err = capsys.readouterr().err
    assert set(Path(tempfile.gettempdir()).glob("rag-bench-*")) == before

    b = result["bundled"]
    assert result["model"] == FAKE_MODEL
    assert b["documents"] == 2
    assert b["chunks"] == sum(len(expected_ids(f)) for f in BUNDLED.glob("*.txt"))
    assert b["queries"] == 6 and b["distinct_questions"] == 6
    assert 0 < b["ask_ms_p50"] <= b["ask_ms_p95"]
    assert 0 < b["ingest_seconds_in_process"] < b["ingest_seconds"]
    assert b["first_answer_citations"] > 0
    assert 0 < b["cold_start_seconds"] < 120
    assert b["cold_start_peak_rss_mib"] > 50 and b["index_mib"] > 0.5

    s = result["scale"]
    assert (s["turns"], s["files"]) == (450, 3)
    assert s["chunks"] >= 450
    assert s["turns_per_second"] == pytest.approx(450 / s["ingest_seconds"], rel=0.01)
    assert s["index_mib"] > b["index_mib"]
    assert re.search(r"bench: ingest of a synthetic corpus of 450 turns in 3 files", err)
