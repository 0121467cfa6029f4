"""`rag` as processes: the chat stopped the way services are stopped, and the same answer from
one process to the next. Fake embedder, real children."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from index.config import PROJECT_ROOT
from tests.support import free_port, wait_until_served


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
