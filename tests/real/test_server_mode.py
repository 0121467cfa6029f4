"""Chroma server mode: a real `chroma run` subprocess, RAG_CHROMA_URL pointing at it.

- With the real model, an index on the server answers like the embedded one (same top
  citation for a Simplified, a Traditional and an English question), in this process and in
  another; with the server stopped, `rag ask` fails with one line naming the URL.
- Two processes (fake model): one ingests, the other asks; a long-lived process's lexical
  index follows what another process writes to the server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import rag
from index.config import PROJECT_ROOT, Config
from rag import StoreUnavailableError
from tests.fakes import HashingEmbedder
from tests.support import free_port, stored_ids, wait_until_served

pytestmark = pytest.mark.real

CHROMA = Path(sys.executable).with_name("chroma")
QUESTIONS = [
    "人形机器人的第一个应用领域会是什么?",  # Simplified
    "特斯拉和 Waymo 在自動駕駛上誰領先?",  # Traditional
    "Why does Karpathy think Tesla is ahead of Waymo?",  # English
]
ZEBRA = "Host: Tell me about the zebra quokka festival?\nGuest: It happens every spring on Rottnest island.\n"


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def chroma_server(tmp_path) -> Iterator[Server]:
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    p = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", p)
    try:
        wait_until_served(f"{server.url}/api/v2/heartbeat", p, 60, "chroma run's heartbeat",
                          lambda: (tmp_path / "chroma.log").read_text(errors="replace"))
        yield server
    finally:
        server.stop()
        log.close()


def rag_process(*args: str, fake: bool = False, **env: str) -> subprocess.CompletedProcess:
    """`rag ARGS` in a child process: the real command, or with the fake embedder."""
    cmd = [sys.executable, "-m", "tests.fakes"] if fake else [sys.executable, "-m", "cli.main"]
    return subprocess.run(
        [*cmd, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


# --- the real model: server answers like embedded ---------------------------------------------


def test_the_server_answers_like_embedded_mode(real_bundled, chroma_server, monkeypatch, e5):
    local_ids = stored_ids()
    assert len(local_ids) > 100
    local_top = {q: real_bundled.ask(q).citations[0].id for q in QUESTIONS}

    monkeypatch.setenv("RAG_CHROMA_URL", chroma_server.url)
    served = rag.open(Config.from_env(), embedder=e5, glossary=real_bundled.glossary)
    report = served.ingest()
    assert report.passages == len(local_ids) and not report.problems
    assert stored_ids() == local_ids
    for q in QUESTIONS:
        a = served.ask(q)
        assert not a.abstained, q
        assert a.citations[0].id == local_top[q], q

    # Another process, same server, same answer.
    p = rag_process("ask", QUESTIONS[0], "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["citations"][0]["id"] == local_top[QUESTIONS[0]]

    # The server goes away: this process and a new one say so in one line naming the URL.
    chroma_server.stop()
    with pytest.raises(StoreUnavailableError) as e:
        served.ask(QUESTIONS[0])
    assert chroma_server.url in str(e.value) and "\n" not in str(e.value)
    p = rag_process("ask", QUESTIONS[0])
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    [line] = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert line.startswith(f"Error: cannot reach the Chroma server at {chroma_server.url} ")
    assert "RAG_CHROMA_URL" in line
    assert p.stdout == ""


# --- two processes, fake model -----------------------------------------------------------------


def test_one_process_ingests_another_asks(glossary, chroma_server, monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_CHROMA_URL", chroma_server.url)
    p = rag_process("ingest", "--json", fake=True)
    assert p.returncode == 0, p.stderr
    passages = json.loads(p.stdout)["passages"]
    assert not (Path(os.environ["RAG_HOME"]) / "chroma").exists()  # nothing stored locally

    # This process has never ingested: it reads the index (and builds its lexical side) from the server.
    corpus = rag.open(Config.from_env(), embedder=HashingEmbedder(), glossary=glossary)
    lexical = rag.open(
        replace(Config.from_env(), retrieval="lexical"), embedder=HashingEmbedder(), glossary=glossary
    )
    a = corpus.ask(QUESTIONS[0])
    assert a.citations and a.citations[0].speaker == "Andrej Karpathy"
    assert len(stored_ids()) == passages
    assert all(
        c.source != "zebra.txt" for c in lexical.retrieve("zebra quokka festival Rottnest", k=5)
    )

    # Another process adds a document: this process's lexical index picks it up …
    doc = tmp_path / "zebra.txt"
    doc.write_text(ZEBRA, encoding="utf-8")
    p = rag_process("ingest", str(doc), "--json", fake=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["passages"] == passages + 2
    hits = lexical.retrieve("zebra quokka festival Rottnest", k=5)
    assert hits, "the new document is not in this process's lexical index"
    assert hits[0].source == "zebra.txt" and "Rottnest" in hits[0].text

    # … and drops it when another process removes it.
    p = rag_process("remove", "zebra.txt", fake=True)
    assert p.returncode == 0, p.stderr
    assert all(
        c.source != "zebra.txt" for c in lexical.retrieve("zebra quokka festival Rottnest", k=5)
    )

    # And the other way round: a document ingested here is answered by a new process.
    corpus.ingest([doc])
    p = rag_process("ask", "When is the zebra quokka festival?", "--json", fake=True)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["citations"][0]["source"] == "zebra.txt"

    # Another process rebuilds (drops the collections, makes them again): this process goes
    # on answering (it raised chromadb's NotFoundError until restarted).
    p = rag_process("ingest", "--rebuild", "--json", fake=True)
    assert p.returncode == 0, p.stderr
    a = lexical.ask("When is the zebra quokka festival?")
    assert a.citations and a.citations[0].source == "zebra.txt"
    assert corpus.sources()


def test_an_unreachable_server_is_one_line(monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("RAG_CHROMA_URL", url)
    for args in (("ask", QUESTIONS[0]), ("ingest",), ("sources",)):
        p = rag_process(*args, fake=True)
        assert p.returncode == 1, args
        [line] = [ln for ln in p.stderr.splitlines() if ln.strip()]
        assert line.startswith(f"Error: cannot reach the Chroma server at {url} ("), args
        assert line.endswith(
            "start it (`chroma run --path DIR --port N`) or unset RAG_CHROMA_URL"
        ), args
        assert p.stdout == ""
