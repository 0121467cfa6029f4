"""Find and read transcript files. Each problem is reported per file, in one line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.types import Transcript

SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why (one line a person can act on)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to read: the given files, and the transcripts (*.txt, *.md) inside given folders."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if not p.exists():
            problems.append(Problem(str(p), "no such file or directory"))
        elif p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                problems.append(Problem(str(p), f"no transcripts ({', '.join(SUFFIXES)}) in this directory"))
            files.extend(found)
        else:
            files.append(p)
    return files, problems


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed); raises ValueError with a readable reason otherwise.

    >>> decode("你好".encode()), decode(b"\\xef\\xbb\\xbfhi")
    ('你好', 'hi')
    """
    if b"\x00" in data[:8192]:
        raise ValueError("looks like a binary file, not a text transcript")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 text (bad byte at offset {e.start}): convert it to UTF-8 first") from None
    if not text.strip():
        raise ValueError("the file is empty")
    return text


def read(path: Path, max_bytes: int) -> Transcript:
    """Read one transcript; raises ValueError with a one-line reason."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(
            f"{size / 2**20:.1f} MiB is over the {round(max_bytes / 2**20, 2):g} MiB limit "
            "(raise it with RAG_MAX_FILE_MB)"
        )
    data = path.read_bytes()
    return Transcript(source=path.name, text=decode(data), sha256=hashlib.sha256(data).hexdigest())


def load(paths: list[Path], max_bytes: int) -> tuple[list[Transcript], list[Problem]]:
    """Read every transcript under `paths`; unreadable files become Problems, the rest load."""
    files, problems = expand(paths)
    transcripts: list[Transcript] = []
    seen: dict[str, Path] = {}
    for f in files:
        if f.name in seen and seen[f.name].resolve() != f.resolve():
            problems.append(Problem(str(f), f"another file named {f.name} is in this ingest ({seen[f.name]}): rename one"))
            continue
        try:
            t = read(f, max_bytes)
        except (ValueError, OSError) as e:
            problems.append(Problem(str(f), str(e)))
            continue
        seen[f.name] = f
        transcripts.append(t)
    return transcripts, problems
