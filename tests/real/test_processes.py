"""Real child processes (the `rag` command with the fake embedder, tests/fakes.py): one-line
errors and exit codes as a user sees them, a long-lived corpus following another process's
ingest, the chat stopped the way services are stopped, and the same answer from one process to
the next. Real processes are slow to start, so these run in the real tier."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from index.config import PROJECT_ROOT
from tests.support import free_port, stored_ids, wait_until_served

pytestmark = pytest.mark.real

HUMANOID_Q = "人形机器人的第一个应用领域会是什么?"


def rag_process(*args: str) -> subprocess.CompletedProcess:
    """`rag ARGS` in a child process with the fake embedder (tests/fakes.py)."""
    return subprocess.run(
        [sys.executable, "-m", "tests.fakes", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


@pytest.fixture
def indexed(bundled) -> list[str]:
    return stored_ids()


def _reopen() -> None:
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _garbage(path) -> None:
    with path.open("r+b") as f:
        f.write(os.urandom(4096))


def test_a_bad_file_in_a_real_process_prints_one_line(indexed, tmp_path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    p = rag_process("ingest", str(bad))
    assert p.returncode == 1
    assert lines(p.stderr) == [f"Error: {bad}: looks like a binary file, not a text transcript"]
    assert stored_ids() == indexed


@pytest.mark.parametrize("damage", ["garbage", "half-written", "not a folder"])
def test_a_damaged_index_in_a_real_process_is_one_line(damage, indexed, rag_home):
    _reopen()
    db = rag_home / "chroma" / "chroma.sqlite3"
    if damage == "garbage":
        _garbage(db)
    elif damage == "half-written":
        os.truncate(db, db.stat().st_size // 2)
    else:
        shutil.rmtree(rag_home / "chroma")
        (rag_home / "chroma").write_text("not an index\n", encoding="utf-8")
    p = rag_process("ask", HUMANOID_Q)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    [line] = lines(p.stderr)
    assert line.startswith(f"Error: cannot read the index at {rag_home / 'chroma'} (")
    assert line.endswith("move it aside and run `rag ingest`")
    assert p.stdout == ""


def test_another_process_ingests_and_a_long_lived_corpus_follows(bundled, tmp_path):
    """Embedded Chroma caches segments per process: after another process's ingest the
    running corpus must answer, and see the new document, without a restart."""
    assert bundled.retrieve("特斯拉", k=1)  # this process has read the index
    doc = tmp_path / "zebra.txt"
    doc.write_text(
        "Host: Tell me about the zebra quokka festival?\n"
        "Guest: It happens every spring on Rottnest island.\n",
        encoding="utf-8",
    )
    p = subprocess.run(
        [sys.executable, "-m", "tests.fakes", "ingest", str(doc)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert p.returncode == 0, p.stderr
    hit = bundled.retrieve("zebra quokka festival Rottnest", k=1)[0]
    assert hit.source == "zebra.txt" and "Rottnest" in hit.text
    assert "zebra.txt" in {s.name for s in bundled.sources()}
    p = subprocess.run(
        [sys.executable, "-m", "tests.fakes", "remove", "zebra.txt"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert all(c.source != "zebra.txt" for c in bundled.retrieve("zebra quokka festival", k=5))
    assert bundled.ask("特斯拉其实是一家大规模的机器人公司吗?").citations


def test_sigterm_closes_the_chat_and_removes_its_temporary_files(rag_home, glossary, tmp_path):
    """`kill PID` (a service manager, a container stopping) ends `rag ui` as Ctrl-C does: exit
    status 0 and no export folder left behind in the temporary directory."""
    transcripts = tmp_path / "transcripts"
    transcripts.mkdir()
    (transcripts / "talk.txt").write_text(
        "Ana: We moved the bakery to Lisbon in 2019.\nBo: Why Lisbon?\n"
        "Ana: The rent was half of what we paid before.\n",
        encoding="utf-8",
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    env = {**os.environ, "TMPDIR": str(scratch), "RAG_TRANSCRIPTS": str(transcripts)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes", "ui", "--port", str(port)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_served(url, child, 90, "the chat", lambda: child.stdout.read())
        assert [p.name for p in scratch.glob("interview-qa-exports-*")], "no export folder made"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=30) == 0, child.stdout.read()[-2000:]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert list(scratch.glob("interview-qa-exports-*")) == []


def test_every_process_gives_the_same_citations(rag_home, glossary, tmp_path):
    """One talk in three documents (captions, a transcript, its Markdown): each passage has a
    twin in both other documents. Processes with different hash seeds (as every new process
    gets) must group and cite them alike."""
    turns = [
        ("Ana", "We moved the bakery to Lisbon in 2019 because the rent was half."),
        ("Bo", "What did you bake first?"),
        ("Ana", "Sourdough, and custard tarts for the neighbours every Sunday."),
    ]
    talk = tmp_path / "talk"
    talk.mkdir()
    (talk / "bakery.txt").write_text("".join(f"{w}: {t}\n" for w, t in turns), encoding="utf-8")
    (talk / "bakery.md").write_text("".join(f"**{w}:** {t}\n\n" for w, t in turns), encoding="utf-8")
    (talk / "bakery.vtt").write_text(
        "WEBVTT\n\n" + "".join(
            f"00:00:{10 * i:02d}.000 --> 00:00:{10 * i + 9:02d}.000\n<v {w}>{t}\n\n"
            for i, (w, t) in enumerate(turns)
        ),
        encoding="utf-8",
    )

    def rag(seed: int, *args: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        p = subprocess.run(
            [sys.executable, "-m", "tests.fakes", *args], cwd=PROJECT_ROOT, env=env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert p.returncode == 0, p.stderr[-2000:]
        return p.stdout

    rag(0, "ingest", str(talk))
    runs = [
        json.loads(rag(seed, "ask", "Why did they move the bakery to Lisbon?", "--json"))
        for seed in (1, 2, 3, 4)
    ]
    cited = [[(c["id"], [v["id"] for v in c["also"]]) for c in r["citations"]] for r in runs]
    assert cited[0] and all(c == cited[0] for c in cited), cited
