"""Load and validate eval/questions.yaml.

Gold passages are referenced by document + a short verbatim snippet, matched after the same
repair and normalization as ingest (pinyin artifacts removed, Simplified script, no spaces),
so the references survive re-chunking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from index.clean import normalize, repair
from index.config import BUNDLED_TRANSCRIPTS

QUESTIONS = Path(__file__).with_name("questions.yaml")
REAL = Path(__file__).with_name("real")
REAL_QUESTIONS = REAL / "questions.yaml"
LANGS = ("zh-hans", "zh-hant", "en")
SPLITS = ("tuning", "heldout")
# Share of the questions held out from tuning, assigned by a hash of the id (stable, and
# blind to the question's content or the system's results).
HELDOUT_SHARE = 0.4


@dataclass(frozen=True)
class Gold:
    doc: str
    snippet: str


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    question: str
    answerable: bool
    speaker: str | None = None  # "Andrej Karpathy", or "host" for any host
    gold: tuple[Gold, ...] = ()
    answer: str = ""
    key_facts: tuple[tuple[str, ...], ...] = ()
    note: str = ""
    format: str = ""  # the transcript's format (real transcripts)
    split: str = "tuning"  # "tuning" (thresholds may be set on it) or "heldout" (never)


def document_text(p: Path) -> str:
    """A transcript file's text as its author wrote it: a Word file's paragraphs (as the
    product's reader gives them), a PDF's text layer (as pdfminer.six gives it, page chrome
    included), any other file decoded as UTF-8."""
    if p.suffix.lower() == ".docx":
        from index.formats.word import to_text

        return to_text(p.read_bytes())[0]
    if p.suffix.lower() == ".pdf":
        from pdfminer.high_level import extract_text

        return extract_text(str(p))
    return p.read_text(encoding="utf-8")


def split_of(qid: str) -> str:
    """The split a question belongs to, from a hash of its id.

    >>> split_of("q001"), split_of("q002")
    ('tuning', 'tuning')
    """
    import hashlib

    h = int(hashlib.sha256(qid.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "heldout" if h < HELDOUT_SHARE else "tuning"


def squash(text: str) -> str:
    """The matching form of a passage or snippet: repaired, normalized, without whitespace.

    >>> squash("數(shù)據 是 瓶頸")
    '数据是瓶颈'
    """
    return re.sub(r"\s+", "", normalize(repair(text)))


class InvalidQuestions(ValueError):
    pass


def load(path: Path = QUESTIONS, transcripts: Path | None = None) -> list[Question]:
    """Questions from YAML; every snippet must occur in its transcript (else InvalidQuestions)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise InvalidQuestions(f"{path}: expected a list of questions")
    transcripts = transcripts or BUNDLED_TRANSCRIPTS
    texts: dict[str, str] = {}
    out: list[Question] = []
    seen: set[str] = set()
    errors: list[str] = []
    for entry in raw:
        qid = str(entry.get("id", "?"))
        if qid in seen:
            errors.append(f"{qid}: duplicate id")
        seen.add(qid)
        if entry.get("lang") not in LANGS:
            errors.append(f"{qid}: lang must be one of {LANGS}")
        if not str(entry.get("question", "")).strip():
            errors.append(f"{qid}: empty question")
        answerable = bool(entry.get("answerable"))
        gold = tuple(Gold(g["doc"], g["snippet"]) for g in entry.get("gold") or ())
        if answerable and not gold:
            errors.append(f"{qid}: answerable but no gold passage")
        for g in gold:
            if g.doc not in texts:
                p = transcripts / g.doc
                if not p.exists():
                    errors.append(f"{qid}: unknown document {g.doc}")
                    continue
                texts[g.doc] = squash(document_text(p))
            if squash(g.snippet) not in texts[g.doc]:
                errors.append(f"{qid}: snippet {g.snippet!r} is not in {g.doc}")
        out.append(
            Question(
                id=qid,
                lang=entry.get("lang", ""),
                question=str(entry.get("question", "")),
                answerable=answerable,
                speaker=entry.get("speaker"),
                gold=gold,
                answer=str(entry.get("answer", "")),
                key_facts=tuple(
                    tuple(str(p) for p in group) for group in entry.get("key_facts") or ()
                ),
                note=str(entry.get("note", "")),
                format=str(entry.get("format", "")),
                split=str(entry.get("split") or split_of(qid)),
            )
        )
    if errors:
        raise InvalidQuestions("; ".join(errors))
    return out
