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


# why a folder inside a given one could not be read through (`--prune` then removes nothing)
UNREADABLE_FOLDER = "cannot read this folder"


def _walk(
    folder: Path, suffixes: frozenset[str], problems: list[Problem], skip: frozenset[Path]
) -> list[Path]:
    """The transcripts in a folder and, in order, in the folders inside it (not hidden ones,
    nor linked ones, which may lead back up, nor those in `skip`); unsupported files, folders
    that cannot be read and links to nothing are reported by name."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as e:
        problems.append(Problem(str(folder), f"{UNREADABLE_FOLDER} ({e.strerror or e})"))
        return []
    found: list[Path] = []
    for f in entries:
        if f.name.startswith(".") or is_sidecar(f):
            continue
        if f.is_symlink() and not f.exists():
            problems.append(Problem(str(f), "a link to a file that is not there"))
        elif f.is_dir():
            if not f.is_symlink() and f.resolve() not in skip:
                found.extend(_walk(f, suffixes, problems, skip))
        elif not f.is_file():
            continue
        elif f.suffix.lower() in suffixes:
            found.append(f)
        else:
            problems.append(Problem(str(f), _unsupported(f.suffix, suffixes)))
    return found


def expand(paths: list[Path], skip: tuple[Path, ...] = ()) -> tuple[list[Path], list[Problem]]:
    """Files to read: the given files, and every supported transcript inside given folders
    and the folders inside them but `skip` (the index's own folder). Unsupported files inside
    a folder are reported by name.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("top.txt", "2023/a.vtt", "2024/b.srt", "2024/notes.xyz", ".git/c.txt"):
    ...     (root / name).parent.mkdir(exist_ok=True); _ = (root / name).write_text("x")
    >>> files, problems = expand([root])
    >>> [str(f.relative_to(root)) for f in files], [Path(p.path).name for p in problems]
    (['2023/a.vtt', '2024/b.srt', 'top.txt'], ['notes.xyz'])
    """
    suffixes = _suffixes()
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if not p.exists():
            problems.append(Problem(str(p), "no such file or directory"))
        elif p.is_dir():
            found = _walk(p, suffixes, problems, frozenset(Path(k).resolve() for k in skip))
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


def load(
    paths: list[Path], max_bytes: int, skip: tuple[Path, ...] = ()
) -> tuple[list[tuple[Path, Transcript]], list[Problem]]:
    """Read every transcript under `paths` (but `skip`); unreadable files become Problems, the
    rest load."""
    files, problems = expand(paths, skip)
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
