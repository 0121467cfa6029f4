"""`rag bench`: how long ingest, a cold start and a warm `ask` take, and how much memory and disk.

Every measurement runs in a fresh child process against a temporary RAG_HOME, the way a user
meets the product, and everything is removed afterwards:

- ingest of the bundled transcripts into an empty home (materializing the model), then again
  with the model already materialized;
- a cold start: seconds from spawning `python -c "from rag import ask; ask(…)"` to its first
  answer, then warm `ask` latency (p50/p95/mean) over the eval questions in that same process;
- peak RSS of each child (the ingest process, and the asking one at its first answer and at
  the end) and the index size on disk;
- with `scale=N`: the same on a synthetic corpus of N speaker turns made of real sentences.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import resource
import shutil
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

# The asking child: first answer (cold), a warm-up, then timed questions. Reads its questions
# as JSON on stdin, prints one JSON line.
_ASK_CHILD = """
import json, resource, sys, time
spawned, warmup, n = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
questions = json.load(sys.stdin)
from rag import ask
first = ask(questions[0])
cold = time.time() - spawned
rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for q in questions[1 : 1 + warmup]:
    ask(q)
seconds, abstained = [], 0
for i in range(n):
    q = questions[(1 + warmup + i) % len(questions)]
    t = time.perf_counter()
    a = ask(q)
    seconds.append(time.perf_counter() - t)
    abstained += a.abstained
print(json.dumps({"cold": cold, "first_citations": len(first.citations), "rss_first_kib": rss_first,
                  "rss_end_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "seconds": seconds, "abstained": abstained}))
"""


def run(config: Config, scale: int = 0, queries: int = 40, progress: bool = True) -> dict:
    """Benchmark the configured embedding model; returns figures ready for JSON.

    The store is always an embedded Chroma in a temporary RAG_HOME (RAG_CHROMA_URL is ignored),
    so a benchmark never touches a real index.
    """
    log = _Log(progress)
    root = Path(tempfile.mkdtemp(prefix="rag-bench-"))
    started = time.perf_counter()
    try:
        home = root / "home"
        base = replace(config, home=home, chroma_url=None)
        questions = _questions()
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
            "bundled": _bundled(base, questions, queries, log),
        }
        if scale:
            result["scale"] = _scaled(base, root, scale, questions, queries, log)
        result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        result["bench_process_peak_rss_mib"] = _mib(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        )
        result["seconds_total"] = round(time.perf_counter() - started, 1)
        return result
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _bundled(config: Config, questions: list[str], queries: int, log: _Log) -> dict:
    log(
        f"ingest of the bundled transcripts into an empty RAG_HOME ({config.home}), model included …"
    )
    fresh = _ingest(config, [], log)
    size = _disk_bytes(config.chroma_dir) + _disk_bytes(config.manifest_path)
    log(f"  {fresh['wall']:.1f} s; again with the model already materialized …")
    shutil.rmtree(config.chroma_dir)
    config.manifest_path.unlink(missing_ok=True)
    warm = _ingest(config, [], log)
    log(f"  {warm['wall']:.1f} s; cold start and {queries} warm questions …")
    asked = _ask(config, questions, queries, log)
    log(
        f"  cold start {asked['cold_start_seconds']} s, warm p50 {asked['ask_ms_p50']} ms, p95 {asked['ask_ms_p95']} ms"
    )
    return {
        "documents": warm["report"]["documents"],
        "chunks": warm["report"]["chunks"],
        "ingest_seconds_fresh": fresh["wall"],
        "ingest_seconds": warm["wall"],
        "ingest_seconds_in_process": warm["report"]["seconds"],
        "ingest_peak_rss_mib_fresh": fresh["rss_mib"],
        "ingest_peak_rss_mib": warm["rss_mib"],
        **asked,
        "index_mib": _mib(size),
        "model_mib": _mib(_disk_bytes(config.models_dir)),
    }


def _scaled(
    base: Config, root: Path, turns: int, questions: list[str], queries: int, log: _Log
) -> dict:
    corpus = root / f"synthetic-{turns}"
    files = write_corpus(corpus, turns, sentence_pool(base))
    config = replace(base, home=root / f"home-{turns}")
    config.home.mkdir(parents=True)
    # Share the materialized model: what is measured is the corpus, not the model preparation.
    (config.home / "models").symlink_to(base.models_dir, target_is_directory=True)
    log(f"ingest of a synthetic corpus of {turns} turns in {len(files)} files …")
    ing = _ingest(config, [corpus], log)
    wall = ing["wall"]
    log(
        f"  {ing['report']['chunks']} chunks in {wall:.1f} s ({turns / wall:.1f} turns/s); {queries} warm questions …"
    )
    asked = _ask(config, questions, queries, log)
    log(f"  warm p50 {asked['ask_ms_p50']} ms, p95 {asked['ask_ms_p95']} ms")
    return {
        "turns": turns,
        "files": len(files),
        "chunks": ing["report"]["chunks"],
        "ingest_seconds": wall,
        "ingest_seconds_in_process": ing["report"]["seconds"],
        "turns_per_second": round(turns / wall, 1),
        "chunks_per_second": round(ing["report"]["chunks"] / wall, 1),
        "ingest_peak_rss_mib": ing["rss_mib"],
        **asked,
        "index_mib": _mib(_disk_bytes(config.chroma_dir) + _disk_bytes(config.manifest_path)),
        "corpus_mib": _mib(sum(f.stat().st_size for f in files)),
    }


# --- the synthetic corpus ----------------------------------------------------------------------

_LABEL_LIKE = re.compile(r"^[^\n]{0,25}[:：]")


def sentence_pool(config: Config) -> tuple[list[str], list[str]]:
    """(questions, sentences) from the bundled transcripts, after the ingest's own cleaning.

    Sentences that could read as a `label:` at the start of a line are left out, so the
    synthetic speakers are the only ones.
    """
    from index.chunk import split_sentences
    from index.clean import repair
    from index.load import load
    from index.turns import split_turns

    transcripts, _ = load([config.transcripts], config.max_file_bytes)
    asks: dict[str, None] = {}
    says: dict[str, None] = {}
    for t in transcripts:
        turns, _ = split_turns(repair(t.text))
        for turn in turns:
            for para in turn.paragraphs:
                for s in split_sentences(para):
                    if len(s) < 4 or _LABEL_LIKE.match(s):
                        continue
                    if turn.role == "host" and s.rstrip().endswith(("?", "？")):
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


def _child_code(body: str) -> str:
    """Python for a child process: re-registers any embedder registered in this process
    (tests' fakes) by its import path, then runs `body`."""
    from index.embed import FACTORIES

    lines = ["import index.embed as _embed"]
    for name, factory in FACTORIES.items():
        if "<locals>" in factory.__qualname__:
            continue  # not importable: the child uses the configured model as it would anyway
        lines.append(
            f"import {factory.__module__} as _m; _embed.FACTORIES[{name!r}] = _m.{factory.__qualname__}"
        )
    return "\n".join(lines) + "\n" + body


def _env(config: Config) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(
        RAG_HOME=str(config.home),
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
            tail = " | ".join((err.read() or stdout).strip().splitlines()[-3:])
            raise RuntimeError(f"benchmark child failed (exit {p.returncode}): {tail}")
        return stdout, wall, _mib(usage.ru_maxrss * 1024)


def _ingest(config: Config, paths: list[Path], log: _Log) -> dict:
    code = _child_code("from rag.cli import main\nmain()")
    stdout, wall, rss = _spawn(
        config, [sys.executable, "-c", code, "ingest", "--json", *map(str, paths)], log
    )
    report = json.loads(stdout.strip().splitlines()[-1])
    if report["problems"]:
        raise RuntimeError(f"benchmark ingest reported problems: {report['problems'][:3]}")
    return {"wall": round(wall, 2), "rss_mib": rss, "report": report}


def _ask(config: Config, questions: list[str], queries: int, log: _Log) -> dict:
    import numpy as np

    spawned = time.time()
    code = _child_code(_ASK_CHILD)
    stdout, wall, rss = _spawn(
        config,
        [sys.executable, "-c", code, repr(spawned), str(WARMUP), str(queries)],
        log,
        stdin=json.dumps(questions, ensure_ascii=False),
    )
    got = json.loads(stdout.strip().splitlines()[-1])
    ms = np.asarray(got["seconds"]) * 1000
    return {
        "cold_start_seconds": round(got["cold"], 2),
        "cold_start_peak_rss_mib": _mib(got["rss_first_kib"] * 1024),
        "first_answer_citations": got["first_citations"],
        "queries": len(ms),
        "distinct_questions": min(len(ms), len(questions)),
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
