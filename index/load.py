"""Find and read transcript files. Each problem is reported per file, in one line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.types import Transcript

# Files beside a transcript that are not transcripts themselves.
SIDECAR = ".speakers"


@dataclass(frozen=True)
class Problem:
    """A file that could not be used, and why (one line a person can act on)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _suffixes() -> frozenset[str]:
    from index.formats import SUFFIXES

    return SUFFIXES


def _unsupported(suffix: str, suffixes: frozenset[str]) -> str:
    from index.formats import hint

    return hint(suffix) or f"unsupported file type (supported: {', '.join(sorted(suffixes))})"


def is_sidecar(p: Path) -> bool:
    """`talk.json.speakers.yaml` / `talk.speakers.json` hold a speaker map, not a transcript.

    >>> is_sidecar(Path("a.speakers.yaml")), is_sidecar(Path("a.json"))
    (True, False)
    """
    return SIDECAR in p.suffixes


def expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to read: the given files, and every supported transcript inside given folders.
    Unsupported files inside a folder are reported by name."""
    suffixes = _suffixes()
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if not p.exists():
            problems.append(Problem(str(p), "no such file or directory"))
        elif p.is_dir():
            found = []
            for f in sorted(p.iterdir()):
                if not f.is_file() or f.name.startswith(".") or is_sidecar(f):
                    continue
                if f.suffix.lower() in suffixes:
                    found.append(f)
                else:
                    problems.append(Problem(str(f), _unsupported(f.suffix, suffixes)))
            if not found:
                problems.append(
                    Problem(str(p), f"no transcripts ({', '.join(sorted(suffixes))}) in this directory")
                )
            files.extend(found)
        else:
            files.append(p)
    return files, problems


def read(path: Path, max_bytes: int) -> Transcript:
    """Read one file's bytes; raises ValueError with a one-line reason."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(
            f"{size / 2**20:.1f} MiB is over the {round(max_bytes / 2**20, 2):g} MiB limit "
            "(raise it with RAG_MAX_FILE_MB)"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("the file is empty")
    return Transcript(source=path.name, data=data, sha256=hashlib.sha256(data).hexdigest())


def load(paths: list[Path], max_bytes: int) -> tuple[list[tuple[Path, Transcript]], list[Problem]]:
    """Read every transcript under `paths`; unreadable files become Problems, the rest load."""
    files, problems = expand(paths)
    out: list[tuple[Path, Transcript]] = []
    seen: dict[str, Path] = {}
    for f in files:
        if f.name in seen and seen[f.name].resolve() != f.resolve():
            problems.append(
                Problem(str(f), f"another file named {f.name} is in this ingest ({seen[f.name]}): rename one")
            )
            continue
        if f.name in seen:  # the same file given twice (`talks/ talks/call.vtt`): read once
            continue
        try:
            t = read(f, max_bytes)
        except (ValueError, OSError) as e:
            problems.append(Problem(str(f), str(e)))
            continue
        seen[f.name] = f
        out.append((f, t))
    return out, problems


def sidecar_map(path: Path) -> dict[str, str]:
    """The speaker map beside a transcript (`NAME.speakers.yaml` or `.json`, label: name)."""
    import json

    for cand in (
        path.with_name(path.name + ".speakers.yaml"),
        path.with_name(path.stem + ".speakers.yaml"),
        path.with_name(path.name + ".speakers.json"),
        path.with_name(path.stem + ".speakers.json"),
    ):
        if cand.is_file():
            text = cand.read_text(encoding="utf-8")
            if cand.suffix == ".json":
                data = json.loads(text)
            else:
                import yaml

                try:
                    data = yaml.safe_load(text)
                except yaml.YAMLError as e:
                    mark = getattr(e, "problem_mark", None)
                    where = f" (line {mark.line + 1})" if mark is not None else ""
                    raise ValueError(
                        f"{cand.name}: not a speaker map{where}: write one `label: name` line each"
                    ) from None
            if not isinstance(data, dict):
                raise ValueError(f"{cand.name}: expected `label: name` lines")
            return {str(k): str(v) for k, v in data.items()}
    return {}
