"""Run every system over each eval corpus, score it, compare it with the default.

    rag eval --out eval-out                          # all systems, both corpora
    rag eval --systems default,naive-llamaindex --json

Corpora: `bundled` (eval/questions.yaml over the two bundled write-ups) and `real`
(eval/real/questions.yaml over real public transcripts in other formats, see
eval/real/SOURCES.md). Each question is in the `tuning` split (thresholds in `Tuning` may be
set on it) or the `heldout` split (never used for tuning), by a hash of its id; every table
is also reported per split, and the real corpus per transcript format.

What is measured, and from what:
- Ranking (answerable questions only): hit@1/3/5, MRR@10, nDCG@10, recall@10 and hit@600c
  are scored on the system's ranked retrieval list (`rag.retrieve(k=10)` for the product),
  not on `ask`'s citations, so ranking quality is measured even when `ask` wrongly abstains.
  hit@600c reads the first 600 characters of the first 5 citations, in order.
- Answer (from `rag.ask(k=5)`): key-fact coverage and char-F1 of the answer text on answerable
  questions (an abstention scores its refusal text, i.e. ~0); marker validity on every answer
  given; citation precision on answered answerable questions, over the citations the answer's
  [n] markers point at (all of them if it has no markers).
- Speaker accuracy: of answerable questions with an expected speaker whose gold passage is in
  the top 10, the share whose first supporting citation has the right speaker (or a host role);
  None for a system whose citations carry no speaker.
- Abstention: share of unanswerable questions abstained on (abstain_acc), and share of
  answerable questions abstained on (wrongly_abstained).
- Language: of the answers given, the share in the question's language (in_question_language:
  English answers to English questions, Chinese to Chinese), read from the answer's words,
  and the share its reader can read (readable: in the question's language, or every quoted
  passage in another language has the model's translation beside it).
- Generated answers (the `compose` system): of the answers given, the share the model wrote
  that survived verification (composed; the rest fell back to the quotes), the share of the
  model's sentences that passed the checks (sentences_supported), and seconds to the first
  streamed token and to the whole answer (`latency`: median and 95th percentile).
A metric a system cannot produce (answer metrics of a retrieval-only system) is None.
"""

from __future__ import annotations

import dataclasses
import html
import json
import platform
import re
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

from eval import metrics as M
from eval.dataset import LANGS, QUESTIONS, REAL, REAL_QUESTIONS, Question, document_text, load
from eval.systems import (
    DEFAULT_SYSTEMS,
    FACTORIES,
    NAMES,
    MemoEmbedder,
    Output,
    System,
    Unavailable,
)
from index.config import BUNDLED_TRANSCRIPTS, Config
from index.errors import BadInputError, IndexMismatchError

DEFAULT = "default"
RESAMPLES = 10_000
SEED = 20240910
CHAR_BUDGET = 600
BUDGET_CITATIONS = 5
# The order metrics appear in results.json, the report and the plot.
METRICS = (
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr@10",
    "ndcg@10",
    "recall@10",
    "hit@600c",
    "key_facts",
    "char_f1",
    "markers_valid",
    "citation_precision",
    "speaker_acc",
    "abstain_acc",
    "wrongly_abstained",
    "in_question_language",
    "readable",
    "composed",
    "sentences_supported",
)
# Paired tests against the default (per-question values on answerable questions).
TESTED = ("hit@5", "mrr@10", "hit@600c", "key_facts")


def _cited(cs) -> list[M.Cited]:
    return [M.Cited(c.source, c.text, c.speaker or "", c.role or "") for c in cs]


_MARKER = re.compile(r"\[(\d+)\]")


def _markers(text: str) -> set[int]:
    return {int(m) for m in _MARKER.findall(text)}


def score(q: Question, out: Output) -> dict:
    """One question's record: every metric that applies to it (None where it does not)."""
    ranked = _cited(out.citations)
    rec: dict = {
        "id": q.id,
        "lang": q.lang,
        "split": q.split,
        "format": q.format or "plain",
        "question": q.question,
        "answerable": q.answerable,
        "abstained": bool(out.abstained),
        "rank": None,
    }
    rec.update({m: None for m in METRICS})
    top = out.citations[0] if out.citations else None
    rec["top"] = (
        {
            "source": top.source,
            "turn": top.turn,
            "speaker": top.speaker,
            "text": top.text[:80].replace("\n", " "),
        }
        if top
        else None
    )
    answered = out.answer is not None and not out.abstained
    if q.answerable:
        gold = q.gold
        rec["rank"] = M.first_hit(ranked, gold, 10)
        for k in (1, 3, 5):
            rec[f"hit@{k}"] = M.hit_at(ranked, gold, k)
        rec["mrr@10"] = M.mrr_at(ranked, gold, 10)
        rec["ndcg@10"] = M.ndcg_at(ranked, gold, 10)
        rec["recall@10"] = M.recall_at(ranked, gold, 10)
        rec["hit@600c"] = M.hit_within_chars(ranked[:BUDGET_CITATIONS], gold, CHAR_BUDGET)
        if q.speaker and rec["rank"] is not None:
            best = ranked[rec["rank"] - 1]
            if best.speaker or best.role:  # a system that knows no speakers is not scored
                rec["speaker_acc"] = M.speaker_correct(ranked[:10], gold, q.speaker)
        rec["wrongly_abstained"] = float(out.abstained)
        if out.answer is not None:
            if q.key_facts:
                rec["key_facts"] = M.key_fact_coverage(out.answer, q.key_facts)
            if q.answer:
                rec["char_f1"] = M.char_f1(out.answer, q.answer)
            if answered:
                marks = _markers(out.answer)
                used = [c for c in out.answer_citations if c.n in marks] or list(
                    out.answer_citations
                )
                rec["citation_precision"] = M.citation_precision(_cited(used), gold)
    else:
        rec["abstain_acc"] = float(out.abstained)
    if answered:
        rec["markers_valid"] = float(
            M.markers_valid(out.answer, [c.n for c in out.answer_citations])
        )
        rec["in_question_language"] = M.in_language(out.answer, q.lang)
    extra = out.extra or {}
    if answered:
        marks = _markers(out.answer)
        foreign = {
            c.n for c in out.answer_citations if c.n in marks and not M.in_language(c.text, q.lang)
        }
        translated = set(extra.get("translated") or ())
        rec["readable"] = float(bool(rec["in_question_language"]) or bool(foreign) and foreign <= translated)
    if answered and "mode" in extra:
        rec["composed"] = float(extra["mode"] == "compose")
        verdicts = extra.get("supported") or []
        rec["sentences_supported"] = float(np.mean(verdicts)) if verdicts else None
    rec["seconds"] = extra.get("seconds")
    rec["first_token"] = extra.get("first_token")
    rec["model_declined"] = extra.get("model_declined")
    # citations whose translation was withheld (it stated a number the quote does not)
    rec["translations_withheld"] = extra.get("withheld")
    rec["answer"] = out.answer
    return rec


def latency(records: Sequence[Mapping]) -> dict | None:
    """Median and 95th percentile of the seconds to the whole answer and to its first
    streamed token, for a system that reports them."""
    out: dict = {}
    for key in ("seconds", "first_token"):
        vals = [r[key] for r in records if r.get(key) is not None]
        if vals:
            out[key] = {
                "n": len(vals),
                "p50": round(float(np.percentile(vals, 50)), 2),
                "p95": round(float(np.percentile(vals, 95)), 2),
                "max": round(float(max(vals)), 2),
            }
    return out or None


def aggregate(records: Sequence[Mapping]) -> dict:
    """Mean of each metric over the records where it applies (None if it applies to none)."""
    out: dict = {
        "n": len(records),
        "answerable": sum(bool(r["answerable"]) for r in records),
        "unanswerable": sum(not r["answerable"] for r in records),
    }
    for m in METRICS:
        vals = [r[m] for r in records if r.get(m) is not None]
        out[m] = round(float(np.mean(vals)), 4) if vals else None
    return out


def by_language(records: Sequence[Mapping]) -> dict:
    langs = [lang for lang in LANGS if any(r["lang"] == lang for r in records)]
    return {lang: aggregate([r for r in records if r["lang"] == lang]) for lang in langs}


def by_key(records: Sequence[Mapping], key: str) -> dict:
    """Aggregates per value of `key` ("split", "format")."""
    values = sorted({r.get(key) or "" for r in records})
    return {v: aggregate([r for r in records if (r.get(key) or "") == v]) for v in values}


def paired_test(
    a: Sequence[float], b: Sequence[float], *, resamples: int = RESAMPLES, seed: int = SEED
) -> dict:
    """Paired comparison of b against a on the same items.

    `diff` is mean(b - a); `p` is a two-sided sign-flip randomization p-value (with the +1
    correction, so never 0); `ci95` a percentile bootstrap interval of the mean difference.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError("paired samples must have the same length")
    d = y - x
    n = d.size
    if n == 0:
        return {"n": 0, "a": None, "b": None, "diff": None, "ci95": None, "p": None}
    rng = np.random.default_rng(seed)
    obs = float(d.mean())
    signs = rng.integers(0, 2, size=(resamples, n), dtype=np.int8) * 2 - 1
    null = (signs * d).mean(axis=1)
    p = (int(np.sum(np.abs(null) >= abs(obs) - 1e-12)) + 1) / (resamples + 1)
    boot = d[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return {
        "n": int(n),
        "a": round(float(x.mean()), 4),
        "b": round(float(y.mean()), 4),
        "diff": round(obs, 4),
        "ci95": [round(float(lo), 4), round(float(hi), 4)],
        "p": round(float(p), 4),
    }


def significance(
    per_question: Mapping[str, Sequence[Mapping]], default: str = DEFAULT, **kw
) -> dict:
    """For each other system: paired tests against `default` on the TESTED metrics."""
    if default not in per_question:
        return {}
    base = {r["id"]: r for r in per_question[default]}
    out: dict = {}
    for name, recs in per_question.items():
        if name == default:
            continue
        tests: dict = {}
        for m in TESTED:
            pairs = [
                (base[r["id"]][m], r[m])
                for r in recs
                if r["id"] in base and r.get(m) is not None and base[r["id"]].get(m) is not None
            ]
            if pairs:
                a, b = zip(*pairs, strict=True)
                tests[m] = paired_test(a, b, **kw)
        out[name] = tests
    return out


def failures(name: str, records: Sequence[Mapping]) -> list[dict]:
    """Questions a system got wrong: gold not in the top 5, answerable but abstained, or
    answered an unanswerable question (only for systems that can abstain)."""
    out = []
    for r in records:
        kinds = []
        if r["answerable"]:
            if r["rank"] is None or r["rank"] > 5:
                kinds.append("miss@5")
            if r["wrongly_abstained"]:
                kinds.append("wrongly-abstained")
        elif r["abstain_acc"] == 0.0 and r.get("answer") is not None:
            kinds.append("answered-unanswerable")
        if kinds:
            out.append(
                {
                    "system": name,
                    "id": r["id"],
                    "lang": r["lang"],
                    "question": r["question"],
                    "kind": kinds,
                    "rank": r["rank"],
                    "abstained": r["abstained"],
                    "top": r["top"],
                }
            )
    return out


def run(
    questions: Sequence[Question],
    systems: Mapping[str, System],
    *,
    progress: bool = False,
    default: str = DEFAULT,
    setup_seconds: Mapping[str, float] | None = None,
) -> dict:
    """Score every system on every question; the whole results.json except `meta`."""
    from tqdm import tqdm

    per_question: dict[str, list[dict]] = {}
    seconds: dict[str, float] = dict(setup_seconds or {})
    bar = tqdm(total=len(questions) * len(systems), file=sys.stderr, disable=not progress, unit="q")
    for name, system in systems.items():
        bar.set_description(name)
        started = time.perf_counter()
        recs = []
        for q in questions:
            recs.append(score(q, system(q.question)))
            bar.update(1)
        per_question[name] = recs
        seconds[name] = round(seconds.get(name, 0.0) + time.perf_counter() - started, 2)
    bar.close()
    return {
        "questions": len(questions),
        "default": default if default in systems else next(iter(systems), None),
        "metrics": list(METRICS),
        "systems": {name: aggregate(recs) for name, recs in per_question.items()},
        "by_lang": {name: by_language(recs) for name, recs in per_question.items()},
        "by_split": {name: by_key(recs, "split") for name, recs in per_question.items()},
        "by_format": {name: by_key(recs, "format") for name, recs in per_question.items()},
        "latency": {n: lat for n, recs in per_question.items() if (lat := latency(recs))},
        "significance": significance(per_question, default),
        "failures": [f for name, recs in per_question.items() for f in failures(name, recs)],
        "seconds": seconds,
        "per_question": per_question,
    }


def subset(qs: Sequence[Question], split: str | None, limit: int | None) -> list[Question]:
    """The questions of one split (all if None), then `limit` of them evenly spread.

    >>> [q.id for q in subset([Question(f"q{i}", "en", "?", True) for i in range(10)], None, 3)]
    ['q0', 'q4', 'q9']
    """
    if split not in (None, "tuning", "heldout"):
        raise BadInputError(f"split must be tuning or heldout, not {split!r}")
    qs = [q for q in qs if split is None or q.split == split]
    if limit is not None and 0 < limit < len(qs):
        step = (len(qs) - 1) / (limit - 1) if limit > 1 else 0
        picks = sorted({round(i * step) for i in range(limit)})
        qs = [qs[i] for i in picks]
    return list(qs)


def check_names(names: Sequence[str]) -> None:
    unknown = [n for n in names if n not in FACTORIES]
    if unknown or not names:
        raise BadInputError(
            f"unknown system(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(NAMES)}"
        )


def build_systems(
    names: Sequence[str], corpus, files: Sequence[Path] | None = None, progress: bool = False
) -> tuple[dict, dict, dict]:
    """The named systems over a corpus, the seconds each took to set up, and the systems
    skipped because the current product cannot provide them (name -> reason)."""
    check_names(names)
    systems, seconds, skipped = {}, {}, {}
    for n in names:
        if progress:
            print(f"setting up {n} …", file=sys.stderr)
        t = time.perf_counter()
        try:
            systems[n] = FACTORIES[n](corpus, files)
        except Unavailable as e:
            if n == DEFAULT:
                raise
            print(f"warning: skipping {n}: {e}", file=sys.stderr)
            skipped[n] = str(e)
            continue
        seconds[n] = round(time.perf_counter() - t, 2)
    return systems, seconds, skipped


@dataclass(frozen=True)
class EvalCorpus:
    """A set of transcripts and the questions written from them."""

    name: str
    questions: Path
    transcripts: Path


CORPORA = (
    EvalCorpus("bundled", QUESTIONS, BUNDLED_TRANSCRIPTS),
    EvalCorpus("real", REAL_QUESTIONS, REAL),
)


def transcript_files(c: EvalCorpus, qs: Sequence[Question]) -> list[Path]:
    """The transcripts of a corpus: every file its questions cite, plus the folder's other
    supported files (never its notes, question file or speaker maps)."""
    from index.formats import SUFFIXES
    from index.load import is_sidecar

    named = {g.doc for q in qs for g in q.gold}
    found = {
        p.name
        for p in c.transcripts.iterdir()
        if p.suffix.lower() in SUFFIXES
        and not is_sidecar(p)
        and p.name != c.questions.name
        and p.name.upper() != "SOURCES.MD"
    }
    return [c.transcripts / n for n in sorted(named | found)]


# A transcript's timestamp left in a passage; a time of day someone says ("at 2:00 AM") is none.
# (`dd:hh:mm:ss`: a mission's elapsed time)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}){0,2}(?:[.,]\d+)?\b(?!\s*[AaPp]\.?[Mm]\b)|-->")
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff]")


_LABEL = re.compile(r"^\s*(?:\*\*)?[^\n:：*]{1,40}?(?:\*\*)?\s*[:：](?:\*\*)?", re.M)


def spoken_text(f: Path) -> str:
    """The words of a transcript file that someone said, roughly: no front matter, headings,
    speaker labels, clock times, cue numbers, tags or bracketed notes; for JSON, the string
    values of text fields."""
    import json as _json

    from index.formats import decode, front_matter
    from index.formats.asr_json import find_transcript

    try:
        text = document_text(f) if f.suffix.lower() in (".docx", ".pdf") else decode(f.read_bytes())
    except ValueError:
        return ""
    if f.suffix.lower() == ".pdf":  # a line holding only a number: a page's or a line's
        text = re.sub(r"^\s*\d{1,3}\s*$", " ", text, flags=re.M)
    # a deposition's examination marks (`Q.`, `A`) are labels, not words said
    text = re.sub(r"^\s*[QA](?:\.|\s{2,}|\t|\s(?=[A-Z]))\s*", " ", text, flags=re.M)
    if f.suffix.lower() == ".json":
        found: list[str] = []

        def walk(x, key=""):
            if isinstance(x, dict):
                for k, v in x.items():
                    walk(v, k)
            elif isinstance(x, list):
                for v in x:
                    walk(v, key)
            elif isinstance(x, str) and key.lower() in ("text", "body", "transcript", "word", "content"):
                found.append(x)

        try:
            data = _json.loads(text)
        except ValueError:
            return ""
        # The segments, wherever the file keeps them (`{"result": {"text", "segments"}}`,
        # AssemblyAI's `utterances`), each one's own text: a Whisper file also holds the whole
        # text once more outside them, and a segment may list its words again inside it.
        inner = find_transcript(data) if isinstance(data, dict) else None
        segs = next(
            (inner[k] for k in ("segments", "utterances") if isinstance(inner.get(k), list)), None
        ) if inner is not None else None
        results = data.get("results") if isinstance(data, dict) else None
        if segs is None and isinstance(results, dict) and isinstance(results.get("transcripts"), list):
            # AWS Transcribe: the whole text once in `transcripts`, then word by word in `items`
            walk(results["transcripts"])
        elif segs is None:
            walk(data)
        for seg in segs or ():
            if isinstance(seg, dict):
                found.extend(v for k, v in seg.items() if k in ("text", "body") and isinstance(v, str))
        return " ".join(found).lower()
    if f.suffix.lower() in (".csv", ".tsv"):  # a table: its text column's cells
        from index.formats.table import guess_columns, header_columns, rows_of

        rows = rows_of(text.lstrip("\ufeff"))
        cols = header_columns(rows[0]) if rows else {}
        body = rows[1:] if cols else rows
        cols = cols or guess_columns(rows)
        i = cols.get("text")
        return " ".join(r[i] for r in body if i is not None and i < len(r)).lower()
    if f.suffix.lower() == ".cha":  # CHAT: the utterance lines (with their continuations)
        said, keep = [], False
        for line in text.split("\n"):
            if line.startswith("*"):
                keep = True
                said.append(line.split(":", 1)[-1])
            elif line.startswith("\t") and keep:
                said.append(line)
            else:
                keep = False
        text = " ".join(said)
        # CHAT's markup: fillers, codes in brackets, scopes, unintelligible words, pauses,
        # terminators, time bullets, language marks
        text = re.sub(r"&[-=+~]?\S*|\[[^\]]*\]|[<>]|\bxxx\b|\(\.+\)|\+\S*|\x15[^\x15]*\x15|@\w+(?::\w+)?",
                      " ", text)
        return text.lower()
    text = html.unescape(front_matter(text)[1])
    # headings, a table of contents (list items that only link within the page), cue numbers
    text = re.sub(r"^\s*(?:#.*|WEBVTT.*|NOTE.*|\d+\s*|[-*+]\s*\[.*\]\(#[^)]*\)\s*)$", " ", text,
                  flags=re.M)
    # a script's slide titles, set off by dashes ("--Title page--")
    text = re.sub(r"^\s*(-{2,}|={2,}|~{2,})(?![-=~]).*?\1\s*$", " ", text, flags=re.M)
    # caption timing lines whole, however the times are written ("59.240 --> 1:03.100")
    text = re.sub(r"^\s*[\d:.,]+\s*-->.*$", " ", text, flags=re.M)
    # a transcript file's own bookkeeping lines (`_page : 168`, `_tape : Tape 36/3`)
    text = re.sub(r"^\s*_[a-z]+\s+:.*$", " ", text, flags=re.M)
    text = re.sub(r"</?(?:sub|sup)>", "", text, flags=re.I)  # `O<sub>2</sub>` is the word O2
    text = _CLOCK.sub(" ", text)
    text = re.sub(r"^\s*\\?[\[(]\s*\\?[\])]", " ", text, flags=re.M)  # where a time opened the line
    text = _LABEL.sub(" ", text)
    text = re.sub(r"<[^>]+>|\\?\[[^\]]*\\?\]|\((?:[^)]{0,30})\)|（[^）]{0,30}）|https?://\S+", " ", text)
    return text.lower()


def ingest_quality(corpus, files: Sequence[Path], expected: Mapping[str, Sequence[str]]) -> dict:
    """Per file: speakers found against the expected ones (F1), passages that still hold a
    timestamp, and the share of the file's words that reach some passage (words of the raw
    file, minus clock times and markup, counted with multiplicity)."""
    from collections import Counter


    out = {}
    for f in files:
        try:
            passages = list(corpus.export(f.name))
        except BadInputError:  # a file the product could not read: nothing of it was kept
            passages = []
        found = {p.speaker for p in passages if p.speaker}
        want = set(expected.get(f.name, ()))
        # one person may be labelled in another form than the list's ("Mr. Laycock")
        right = {f for f in found if any(M.same_person(w, f) for w in want)}
        named = {w for w in want if any(M.same_person(w, f) for f in found)}
        prec = len(right) / len(found) if found else None
        rec = len(named) / len(want) if want else None
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else (0.0 if want else None)
        raw = spoken_text(f)
        have = Counter(_WORDS.findall(" ".join(
            " ".join(x for x in (p.text, p.alt) if x) for p in passages).lower()))
        need = Counter(_WORDS.findall(raw))
        kept = sum(min(n, have[w]) for w, n in need.items()) / max(sum(need.values()), 1)
        out[f.name] = {
            "passages": len(passages),
            "speakers": sorted(found),
            "expected_speakers": sorted(want),
            "speaker_precision": prec,
            "speaker_recall": rec,
            "speaker_f1": f1,
            "passages_with_timestamps": sum(bool(_CLOCK.search(p.text)) for p in passages),
            "words_kept": round(kept, 4),
        }
    return out


def open_corpus(c: EvalCorpus, home: Path, config: Config, embedder, glossary, progress: bool):
    """The eval's own index of a corpus under `home` (built once, reused while unchanged). A
    file the product cannot read is left out as a user's folder ingest leaves it out: the
    report's `problems` name it, and its questions find nothing (a blind run on a format the
    product does not read yet is measured, not stopped)."""
    import rag

    cfg = dataclasses.replace(config, home=home, transcripts=c.transcripts, chroma_url=None)
    corpus = rag.open(cfg, embedder=embedder, glossary=glossary)
    qs = load(c.questions, c.transcripts)
    files = transcript_files(c, qs)
    try:
        report = corpus.ingest(files, prune=True, progress=progress)
    except IndexMismatchError:  # built by another version of the pipeline: start over
        report = corpus.ingest(files, rebuild=True, progress=progress)
    if report.problems and progress:
        print(f"{c.name}: not indexed: " + "; ".join(report.problems), file=sys.stderr)
    return corpus, qs, files, report


def main(
    out: Path,
    systems: list[str] | None = None,
    *,
    as_json: bool = False,
    config: Config | None = None,
    corpora: Sequence[str | EvalCorpus] | None = None,
    embedder=None,
    glossary=None,
    split: str | None = None,
    limit: int | None = None,
) -> dict:
    """Run the eval on each corpus and write DIR/results.json, DIR/report.md and a plot per
    corpus. The indexes live in DIR/index-<corpus> (the user's own index is never touched).

    `split` ("tuning" / "heldout") and `limit` (that many questions per corpus, evenly spread
    over its question file) run a part of the questions, for the slow systems.

    `embedder` (default: the configured model) is wrapped in a MemoEmbedder shared by every
    system of this run."""
    import rag
    from eval import report

    started = time.perf_counter()
    config = config or Config.from_env()
    names = list(dict.fromkeys(s.strip() for s in (systems or DEFAULT_SYSTEMS) if s.strip()))
    check_names(names)
    wanted = [c for c in corpora or CORPORA if isinstance(c, EvalCorpus)] + [
        c for c in CORPORA if corpora is not None and c.name in corpora
    ] if corpora else list(CORPORA)
    progress = not as_json
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    base = rag.open(config, embedder=embedder, glossary=glossary)
    memo = MemoEmbedder(base.embedder)
    results: dict = {"corpora": {}}
    for c in wanted:
        if progress:
            print(f"{c.name}: indexing {c.transcripts} …", file=sys.stderr)
        corpus, qs, files, ingest_report = open_corpus(
            c, out / f"index-{c.name}", config, memo, base.glossary, progress
        )
        qs = subset(qs, split, limit)
        built, setup, skipped = build_systems(names, corpus, files, progress=progress)
        if not built:
            raise BadInputError(
                "no system to run: " + "; ".join(f"{n}: {why}" for n, why in skipped.items())
            )
        res = run(qs, built, progress=progress, setup_seconds=setup)
        res["skipped"] = skipped
        res["ingest"] = [dataclasses.asdict(f) for f in ingest_report.files]
        res["ingest_problems"] = list(ingest_report.problems)
        expected = c.transcripts / "speakers.yaml"
        res["ingest_quality"] = ingest_quality(
            corpus,
            files,
            yaml.safe_load(expected.read_text(encoding="utf-8")) if expected.exists() else {},
        )
        results["corpora"][c.name] = res
    results["meta"] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpora": {c.name: str(c.questions) for c in wanted},
        "embed_model": config.embed_model,
        "retrieval": config.retrieval,
        "tuning": dataclasses.asdict(config.tuning),
        "rank_k": 10,
        "answer_k": 5,
        "split": split,
        "limit": limit,
        "char_budget": CHAR_BUDGET,
        "resamples": RESAMPLES,
        "seed": SEED,
        "python": platform.python_version(),
        "seconds_total": round(time.perf_counter() - started, 2),
    }
    (out / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    report.write_report(results, out / "report.md")
    for name, res in results["corpora"].items():
        report.write_plot(res, out / f"systems-{name}.png")
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for name, res in results["corpora"].items():
            print(f"\n{name} ({res['questions']} questions)")
            print(report.summary_table(res))
            print(report.split_table(res))
        print(f"\nwrote {out / 'results.json'}, {out / 'report.md'} and plots in "
              f"{results['meta']['seconds_total']:.0f} s")
    return results
