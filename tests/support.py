"""Helpers shared by tests: what the index holds, and servers started as child processes."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from index.config import Config
from index.ingest import prepare
from index.store import Store


def stored_ids(config: Config | None = None, source: str | None = None) -> list[str]:
    """The passage ids the index holds (for one document, or all)."""
    return sorted(p.id for p in Store(config or Config.from_env()).records(source).passages)


def expected_ids(path: Path, config: Config | None = None) -> list[str]:
    """The passage ids ingest should store for a file, computed from the pure pipeline."""
    prepared = prepare(path.name, path.read_bytes(), config or Config.from_env())
    return sorted(p.id for p in prepared.passages)


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(
    url: str, process: subprocess.Popen, seconds: float, what: str, output: Callable[[], str]
) -> None:
    """Poll `url` until it answers 200; fail with the end of the process's `output` if the
    process exits first, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, output()[-2000:]
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{what} did not answer within {seconds:.0f} s"
        time.sleep(0.2)
