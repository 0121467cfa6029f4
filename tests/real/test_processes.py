"""Real child processes (the `rag` command with the fake embedder, tests/fakes.py): one-line
errors and exit codes as a user sees them, and a long-lived corpus following another process's
ingest. Real processes are slow to start, so these run in the real tier."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from index.config import PROJECT_ROOT
from tests.support import stored_ids

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
