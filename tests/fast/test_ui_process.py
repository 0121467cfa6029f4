"""`rag ui` as a process: stopped the way services are stopped. Fake embedder, a real child."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from index.config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        deadline = time.monotonic() + 90
        while True:
            assert child.poll() is None, child.stdout.read()[-2000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the chat did not come up within 90 s"
                time.sleep(0.3)
        assert [p.name for p in scratch.glob("interview-qa-exports-*")], "no export folder made"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=30) == 0, child.stdout.read()[-2000:]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert list(scratch.glob("interview-qa-exports-*")) == []
