"""Ingest is idempotent and crash-safe: same input, same passage ids; a changed file replaces
its passages; `--prune` and `rag remove` drop documents; a failure half-way leaves a queryable
index that the next ingest completes. Fake embedder, `rag` run in-process through click's
CliRunner with the test's corpus passed in."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cli.main import main
from index.config import Config
from index.store import Store
from rag import open as open_corpus
from tests.fakes import HashingEmbedder
from tests.support import expected_ids, stored_ids

BUNDLED = Config().transcripts
HANS = "karpathy-no-priors-2024_zh-hans_huxiu.txt"
HANT = "karpathy-no-priors-2024_zh-hant_tencent.txt"
HUMANOID_Q = "人形机器人的第一个应用领域会是什么?"

ZEBRA = "Host: Tell me about the zebra quokka festival?\nGuest: It happens every spring on Rottnest island.\n"
OTTER = "Host: What do otters eat at the harbour?\nGuest: Mostly sea urchins and crabs, every single morning.\n"


@pytest.fixture
def rag(corpus):
    """`rag ARGS` in-process on the test's corpus; an unexpected exception fails the test."""

    def run(*args: str):
        return CliRunner(catch_exceptions=False).invoke(main, list(args), obj=corpus)

    return run


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def test_ingest_twice_gives_the_same_passages(rag):
    first = rag("ingest", "--json")
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    ids = stored_ids()
    want = expected_ids(BUNDLED / HANS) + expected_ids(BUNDLED / HANT)
    assert report["passages"] == len(want) == len(ids)
    assert ids == sorted(want)
    assert sorted(report["added"]) == [HANS, HANT]

    second = rag("ingest", "--json")
    assert second.exit_code == 0, second.stderr
    again = json.loads(second.stdout)
    assert again["passages"] == report["passages"]
    assert sorted(again["unchanged"]) == [HANS, HANT]
    assert again["added"] == again["updated"] == []
    assert stored_ids() == ids


def test_rebuild_gives_the_same_passages(rag):
    assert rag("ingest").exit_code == 0
    ids = stored_ids()
    out = rag("ingest", "--rebuild", "--json")
    assert out.exit_code == 0, out.stderr
    assert sorted(json.loads(out.stdout)["added"]) == [HANS, HANT]
    assert stored_ids() == ids


def test_a_rebuild_alone_builds_again_what_the_index_holds(rag, corpus, tmp_path):
    """`rag ingest --rebuild` (what an upgrade tells the user to run) read only the bundled
    transcripts: the user's own documents left the index, their renames and speaker maps
    with them, and the report said "removed 0". Now it reads every indexed document again from
    its file and keeps what was given for it; while a file is gone, it changes nothing and
    says so."""
    src = tmp_path / "in"
    zebra, otter = write(src, "zebra.txt", ZEBRA), write(src, "otter.txt", OTTER)
    diarized = write(src, "call.txt", "SPEAKER_00: Where is the lighthouse?\nSPEAKER_01: On the north cape.\n")
    assert rag("ingest", str(zebra), str(otter)).exit_code == 0
    assert rag("ingest", str(diarized), "--speaker", "SPEAKER_01=Ines").exit_code == 0
    corpus.rename_speaker("zebra.txt", "Guest", "Ranger Kim")
    otter.unlink()
    # A file that is gone (or a machine that cannot read the files, sharing a Chroma server)
    # would lose its document for good: nothing is dropped, the user is told what to do.
    ids = stored_ids()
    report = json.loads(rag("ingest", "--rebuild", "--json").stdout)
    assert any("otter.txt" in p and "nothing was changed" in p for p in report["problems"]), report["problems"]
    assert stored_ids() == ids and not report["added"]
    assert rag("remove", "otter.txt").exit_code == 0
    out = rag("ingest", "--rebuild", "--json")
    report = json.loads(out.stdout)
    assert sorted(report["added"]) == ["call.txt", "zebra.txt"]
    assert not report["problems"]
    speakers = {s.name: s.speakers for s in corpus.sources()}
    assert speakers["zebra.txt"] == ("Host", "Ranger Kim")
    assert "Ines" in speakers["call.txt"]
    assert HANS not in speakers  # the bundled transcripts were not in it: not added by a rebuild


def rebuild_dies(rag, monkeypatch) -> None:
    """`rag ingest --rebuild`, killed while it embeds (the long part)."""
    from tests.fakes import HashingEmbedder

    def dies(*_, **__):
        raise Crash()

    monkeypatch.setattr(HashingEmbedder, "passages", dies)
    with pytest.raises(Crash):
        rag("ingest", "--rebuild")
    monkeypatch.undo()


def test_a_rebuild_that_dies_half_way_loses_no_document(rag, corpus, config, glossary, tmp_path, monkeypatch):
    """A rebuild killed while embedding (the long part) left an empty index whose manifest had
    forgotten where the documents came from: the next `rag ask` filled it with the bundled
    transcripts, and the next `rag ingest --rebuild` read only those. The user's documents were
    gone for good. Now the next process says the rebuild did not finish, an ingest in between
    says which documents are missing, and the next rebuild reads every one again."""
    import rag as api
    from tests.fakes import HashingEmbedder

    src = tmp_path / "in"
    zebra = write(src, "zebra.txt", ZEBRA)
    diarized = write(src, "call.txt", "SPEAKER_00: Where is the lighthouse?\nSPEAKER_01: On the north cape.\n")
    assert rag("ingest", str(zebra)).exit_code == 0
    assert rag("ingest", str(diarized), "--speaker", "SPEAKER_01=Ines").exit_code == 0

    rebuild_dies(rag, monkeypatch)

    fresh = api.open(config, embedder=HashingEmbedder(), glossary=glossary)  # a new process
    assert fresh.bundled_index_due() is None  # not filled with the bundled transcripts
    with pytest.raises(api.NoIndexError, match="rebuild did not finish"):
        fresh.ask("Where is the lighthouse?")

    otter = write(src, "otter.txt", OTTER)
    report = json.loads(rag("ingest", str(otter), "--json").stdout)
    assert any("rebuild did not finish" in w and "zebra.txt" in w for w in report["warnings"])
    # questions are answered from what the index holds, and say what it does not hold yet
    unfinished = ("Warning: the index's rebuild is running or did not finish: 2 documents not read "
                  "again yet (call.txt, zebra.txt); answers come from the others: run `rag ingest --rebuild`")
    for args in (("sources",), ("ask", "Where do otters sleep?")):
        out = rag(*args)
        assert out.exit_code == 0 and unfinished in out.stderr.splitlines(), out.stderr

    report = json.loads(rag("ingest", "--rebuild", "--json").stdout)
    assert "Warning" not in rag("sources").stderr
    assert sorted(report["added"]) == ["call.txt", "otter.txt", "zebra.txt"]
    assert [w for w in report["warnings"] if "a diarizer's label" not in w] == []  # (SPEAKER_00: no name)
    speakers = {s.name: s.speakers for s in corpus.sources()}
    assert "Ines" in speakers["call.txt"]


def test_a_document_a_dead_rebuild_has_yet_to_read_can_be_removed(rag, corpus, tmp_path, monkeypatch):
    """After a rebuild that died, a document whose file is gone stopped every later rebuild
    ("rag remove those that are gone"), and `rag remove` said it was not in the index."""
    src = tmp_path / "in"
    zebra, otter = write(src, "zebra.txt", ZEBRA), write(src, "otter.txt", OTTER)
    assert rag("ingest", str(zebra), str(otter)).exit_code == 0

    rebuild_dies(rag, monkeypatch)
    otter.unlink()
    assert "otter.txt" in json.loads(rag("ingest", "--rebuild", "--json").stdout)["problems"][0]
    assert rag("remove", "otter.txt").exit_code == 0
    report = json.loads(rag("ingest", "--rebuild", "--json").stdout)
    assert report["added"] == ["zebra.txt"] and not report["problems"] and not report["warnings"]


def test_a_changed_file_replaces_its_passages(rag, tmp_path):
    src = tmp_path / "in"
    write(src, "zebra.txt", ZEBRA)
    doc = src / "interview.txt"
    shutil.copy(BUNDLED / HANS, doc)
    assert rag("ingest", str(src)).exit_code == 0
    before = stored_ids(source="interview.txt")
    zebra_ids = stored_ids(source="zebra.txt")

    # Keep only the first third of the interview: its later turns must disappear.
    lines = doc.read_text(encoding="utf-8").splitlines()
    doc.write_text("\n".join(lines[: len(lines) // 3]) + "\n", encoding="utf-8")
    out = rag("ingest", str(src), "--json")
    assert out.exit_code == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["updated"] == ["interview.txt"]
    assert report["unchanged"] == ["zebra.txt"]

    after = stored_ids(source="interview.txt")
    assert after == expected_ids(doc)
    assert set(before) - set(after)  # the later turns' ids are gone, not left stale
    assert report["passages"] == len(after) + len(zebra_ids)
    assert stored_ids(source="zebra.txt") == zebra_ids


def test_an_edited_turn_is_what_retrieval_returns(rag, corpus, tmp_path):
    doc = write(tmp_path / "in", "zebra.txt", ZEBRA)
    assert rag("ingest", str(doc)).exit_code == 0
    assert "Rottnest" in corpus.retrieve("zebra quokka festival Rottnest", k=1)[0].text
    doc.write_text(ZEBRA.replace("Rottnest island", "Kangaroo Island in March"), encoding="utf-8")
    assert rag("ingest", str(doc)).exit_code == 0
    texts = [c.text for c in corpus.retrieve("zebra quokka festival island", k=5, source="zebra.txt")]
    assert any("Kangaroo Island" in t for t in texts)
    assert not any("Rottnest" in t for t in texts)


def test_prune_drops_a_removed_file(rag, tmp_path):
    src = tmp_path / "in"
    write(src, "zebra.txt", ZEBRA)
    otter = write(src, "otter.txt", OTTER)
    assert rag("ingest", str(src)).exit_code == 0
    zebra_ids = stored_ids(source="zebra.txt")
    assert zebra_ids and stored_ids(source="otter.txt")

    otter.unlink()
    out = rag("ingest", str(src), "--prune", "--json")
    assert out.exit_code == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["removed"] == ["otter.txt"]
    assert report["documents"] == 1
    assert stored_ids(source="otter.txt") == []
    assert stored_ids() == zebra_ids
    assert [line.split("\t")[0] for line in rag("sources").stdout.splitlines()] == ["zebra.txt"]


def test_prune_keeps_what_was_indexed_from_another_folder(rag, tmp_path):
    """`rag ingest folder2/ --prune` dropped every document ingested from folder1/, whose files
    are still there."""
    write(tmp_path / "one", "zebra.txt", ZEBRA)
    otter = write(tmp_path / "two", "otter.txt", OTTER)
    write(tmp_path / "two", "notes.txt", ZEBRA.replace("zebra", "okapi"))
    assert rag("ingest", str(tmp_path / "one")).exit_code == 0
    assert rag("ingest", str(tmp_path / "two")).exit_code == 0
    otter.unlink()
    report = json.loads(rag("ingest", str(tmp_path / "two"), "--prune", "--json").stdout)
    assert report["removed"] == ["otter.txt"]
    assert [line.split("\t")[0] for line in rag("sources").stdout.splitlines()] == ["notes.txt", "zebra.txt"]


def test_prune_removes_nothing_when_a_path_fails(rag, tmp_path):
    """A typo in the path must not read as "every document was removed"."""
    src = tmp_path / "in"
    write(src, "zebra.txt", ZEBRA)
    write(src, "otter.txt", OTTER)
    assert rag("ingest", str(src)).exit_code == 0
    ids = stored_ids()

    out = rag("ingest", str(tmp_path / "typo"), "--prune", "--json")
    assert out.exit_code == 1
    report = json.loads(out.stdout)
    assert report["removed"] == []
    assert any("--prune skipped" in p for p in report["problems"])
    assert stored_ids() == ids

    # A file that is there but cannot be read (here: no longer text in any encoding) is not pruned either.
    (src / "otter.txt").write_bytes(b"Host: caf" + bytes(range(0x80, 0x100)) + b"?\n")
    out = rag("ingest", str(src), "--prune")
    assert out.exit_code == 1
    assert "otter.txt: not UTF-8" in out.stderr
    assert stored_ids() == ids


def test_prune_is_not_blocked_by_a_bad_file_beside_the_others(rag, tmp_path):
    """An empty file in the folder blocked `--prune` of a file renamed there."""
    src = tmp_path / "in"
    write(src, "zebra.txt", ZEBRA)
    otter = write(src, "otter.txt", OTTER)
    assert rag("ingest", str(src)).exit_code == 0
    otter.rename(src / "sea-otter.txt")
    (src / "empty.txt").write_text("", encoding="utf-8")
    out = rag("ingest", str(src), "--prune", "--json")
    report = json.loads(out.stdout)
    assert report["removed"] == ["otter.txt"] and report["added"] == ["sea-otter.txt"]
    assert any("empty.txt" in p for p in report["problems"])
    assert [line.split("\t")[0] for line in rag("sources").stdout.splitlines()] == ["sea-otter.txt", "zebra.txt"]


def test_remove_drops_one_document(rag, corpus, tmp_path):
    src = tmp_path / "in"
    write(src, "zebra.txt", ZEBRA)
    write(src, "otter.txt", OTTER)
    assert rag("ingest").exit_code == 0
    assert rag("ingest", str(src)).exit_code == 0
    total = len(stored_ids())
    otter = stored_ids(source="otter.txt")

    out = rag("remove", "otter.txt", "--json")
    assert out.exit_code == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["removed"] == ["otter.txt"]
    assert report["passages"] == total - len(otter) == len(stored_ids())
    assert stored_ids(source="otter.txt") == []
    assert sorted(line.split("\t")[0] for line in rag("sources").stdout.splitlines()) == sorted([HANS, HANT, "zebra.txt"])
    assert all(c.source != "otter.txt" for c in corpus.retrieve("otters sea urchins crabs", k=10))

    # A path works too (the name is what is indexed); an unknown name is an error.
    assert rag("remove", str(src / "zebra.txt")).exit_code == 0
    assert stored_ids(source="zebra.txt") == []
    left = stored_ids()
    assert len(left) < total - len(otter)
    out = rag("remove", "nope.txt")
    assert out.exit_code == 1
    assert out.stderr.strip() == "Error: nope.txt: not in the index (see `rag sources`)"
    assert stored_ids() == left


def test_two_files_with_one_name_are_refused(rag, corpus, tmp_path):
    write(tmp_path / "a", "same.txt", ZEBRA)
    write(tmp_path / "b", "same.txt", OTTER)
    out = rag("ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--json")
    assert out.exit_code == 1
    report = json.loads(out.stdout)
    assert report["added"] == ["same.txt"]
    assert len(report["problems"]) == 1 and "another file named same.txt" in report["problems"][0]
    assert "Rottnest" in corpus.retrieve("zebra quokka festival", k=1)[0].text  # the first one won


def test_a_file_with_an_indexed_name_from_another_folder_is_refused_later_too(rag, corpus, tmp_path):
    """Meeting tools save every meeting as `transcript.txt`: the second, ingested on its own
    later, must not silently replace the first."""
    write(tmp_path / "a", "same.txt", ZEBRA)
    write(tmp_path / "b", "same.txt", OTTER)
    assert rag("ingest", str(tmp_path / "a" / "same.txt")).exit_code == 0
    out = rag("ingest", str(tmp_path / "b" / "same.txt"), "--json")
    assert out.exit_code == 1
    problem = json.loads(out.stdout)["problems"][0]
    assert "another file named same.txt is indexed, from" in problem and "rag remove same.txt" in problem
    assert "Rottnest" in corpus.retrieve("zebra quokka festival", k=1)[0].text  # kept
    # an edit of the first file still updates it, and a file moved away from its old place
    write(tmp_path / "a", "same.txt", ZEBRA.replace("spring", "autumn"))
    assert rag("ingest", str(tmp_path / "a" / "same.txt")).exit_code == 0
    shutil.rmtree(tmp_path / "a")
    assert rag("ingest", str(tmp_path / "b" / "same.txt")).exit_code == 0
    assert "urchins" in corpus.retrieve("otters harbour", k=1)[0].text


def test_a_speaker_map_and_a_format_are_kept_for_later_ingests(rag, corpus, tmp_path):
    """`--speaker` and `--format` given once still hold when the folder is ingested again
    without them; a map key that names no label is reported with the labels there are."""
    folder = tmp_path / "calls"
    write(folder, "call.txt", "Speaker 1: (00:00)\nWhat do otters eat?\n\n"
                              "Speaker 2: (00:05)\nSea urchins and crabs, every morning.\n")
    out = rag("ingest", str(folder / "call.txt"), "--speaker", "Speaker 2=Ola Berg", "--json")
    report = json.loads(out.stdout)
    assert report["files"][0]["format"] == "timestamped"
    assert report["files"][0]["speakers"] == ["Ola Berg", "Speaker 1"]
    write(folder, "zebra.txt", ZEBRA)
    assert rag("ingest", str(folder)).exit_code == 0
    hit = corpus.retrieve("What do otters eat?", k=1)[0]
    assert (hit.speaker, hit.passage.start) == ("Ola Berg", 5.0)
    out = rag("ingest", str(folder / "call.txt"), "--speaker", "Speakr 1=Ann", "--json")
    assert "speaker map: no label 'Speakr 1' in this file (its labels: Speaker 1, Speaker 2)" in out.stdout
    # a --format for a file already indexed unchanged is applied, not ignored
    out = rag("ingest", str(folder / "call.txt"), "--format", "plain", "--json")
    assert json.loads(out.stdout)["updated"] == ["call.txt"]
    assert corpus.retrieve("What do otters eat?", k=1)[0].passage.start is None


class Crash(Exception):
    """Stands in for the process dying (SIGKILL is tested for real in tests/real)."""


def test_a_failure_half_way_keeps_the_index_and_the_next_ingest_completes(corpus, tmp_path, monkeypatch):
    assert corpus.ingest().passages > 0
    before = stored_ids()
    answer = corpus.ask(HUMANOID_Q, source="karpathy")
    assert answer.citations

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(BUNDLED / HANS, src / name)
    # The second document's chunks fail to be written: the first is complete and in the
    # manifest; the second and third are not, and nothing of the old index is lost.
    real_upsert = Store.upsert
    calls = []

    def upsert(self, passages, vectors, tokens, context=None):
        calls.append(passages[0].source)
        if len(calls) == 2:
            raise Crash()
        return real_upsert(self, passages, vectors, tokens, context)

    monkeypatch.setattr(Store, "upsert", upsert)
    with pytest.raises(Crash):
        corpus.ingest([src])
    monkeypatch.setattr(Store, "upsert", real_upsert)

    manifest = Store(Config.from_env()).manifest()
    assert sorted(manifest.files) == sorted([HANS, HANT, calls[0]])
    assert stored_ids(source=calls[0]) == expected_ids(src / calls[0])
    assert stored_ids(source=calls[1]) == []
    assert set(before) <= set(stored_ids())
    # Still answered from the old documents, first with the same passage. (The rest may move:
    # the first new document's words change the lexical statistics, as any ingest does.)
    after = corpus.ask(HUMANOID_Q, source="karpathy").citations
    assert after and after[0].id == answer.citations[0].id
    assert {c.source for c in after} <= {HANS, HANT}

    report = corpus.ingest([src])
    assert sorted(report.added) == sorted(set(["a.txt", "b.txt", "c.txt"]) - {calls[0]})
    assert report.unchanged == [calls[0]]
    per_copy = len(expected_ids(src / "a.txt"))
    assert report.passages == len(before) + 3 * per_copy == len(stored_ids())


def test_a_failure_before_stale_passages_are_deleted_is_redone(corpus, tmp_path, monkeypatch):
    """New chunks written, old ones not yet deleted, manifest not updated: the next ingest
    redoes the file and leaves exactly its new chunks."""
    doc = tmp_path / "interview.txt"
    shutil.copy(BUNDLED / HANS, doc)
    corpus.ingest([doc])
    old = stored_ids(source="interview.txt")
    old_sha = Store(Config.from_env()).manifest().files["interview.txt"]
    lines = doc.read_text(encoding="utf-8").splitlines()
    doc.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")

    def delete(self, ids):
        raise Crash()

    real_delete = Store.delete
    monkeypatch.setattr(Store, "delete", delete)
    with pytest.raises(Crash):
        corpus.ingest([doc])
    monkeypatch.setattr(Store, "delete", real_delete)
    assert set(stored_ids(source="interview.txt")) >= set(old)  # stale chunks still there …
    assert (
        Store(Config.from_env()).manifest().files["interview.txt"] == old_sha
    )  # … and not marked done

    report = corpus.ingest([doc])
    assert report.updated == ["interview.txt"]
    assert stored_ids(source="interview.txt") == expected_ids(doc)
    assert len(expected_ids(doc)) < len(old)


def test_remove_by_the_name_without_its_extension(rag, tmp_path):
    """`rag remove P05_访谈记录` said "not in the index", though `--source P05_访谈记录` finds it:
    the name without its extension removes the one document it names, and asks for the whole
    name when two share it."""
    src = tmp_path / "in"
    write(src, "P05_访谈记录.txt", OTTER)
    write(src, "zebra.txt", ZEBRA)
    write(src, "zebra.md", ZEBRA)
    assert rag("ingest", str(src)).exit_code == 0
    out = rag("remove", "P05_访谈记录", "--json")
    assert out.exit_code == 0 and json.loads(out.stdout)["removed"] == ["P05_访谈记录.txt"], out.stdout
    assert stored_ids(source="P05_访谈记录.txt") == []
    both = rag("remove", "zebra")
    assert both.exit_code != 0 and "zebra.md, zebra.txt; give the whole file name" in both.stderr, both.stderr
    assert stored_ids(source="zebra.txt") and stored_ids(source="zebra.md")


def test_a_reader_follows_the_index_after_everything_was_removed(rag, corpus, tmp_path):
    """A long-lived process (the UI) reloads when the manifest generation changes; removing
    every document and ingesting another must not bring the old generation number back."""
    write(tmp_path, "zebra.txt", ZEBRA)
    write(tmp_path, "otter.txt", OTTER)
    corpus.ingest([tmp_path / "zebra.txt"])
    assert corpus.retrieve("zebra quokka festival", k=1)[0].source == "zebra.txt"
    assert rag("remove", "zebra.txt").exit_code == 0
    corpus.ingest([tmp_path / "otter.txt"])
    assert {c.source for c in corpus.retrieve("zebra quokka festival", k=5)} == {"otter.txt"}


def test_a_synthetic_corpus_ingests_as_the_turns_it_was_made_of(corpus, tmp_path):
    """`rag bench --scale N` measures N turns: check the corpus really parses that way."""
    from cli.bench import SYNTHETIC_HEADER, sentence_pool, write_corpus
    from index.ingest import prepare

    files = write_corpus(tmp_path / "synthetic", 450, sentence_pool(Config.from_env()))
    assert [f.name for f in files] == [
        "synthetic-0001.txt",
        "synthetic-0002.txt",
        "synthetic-0003.txt",
    ]
    counts = []
    for f in files:
        assert f.read_text(encoding="utf-8").startswith(SYNTHETIC_HEADER + "\n")
        prepared = prepare(f.name, f.read_bytes(), Config.from_env())
        assert prepared.report.warnings == []
        turns = {(p.turn, p.speaker) for p in prepared.passages}
        assert {s for _, s in turns} == {"Host", "Guest"}
        counts.append(len(turns))
    assert counts == [200, 200, 50]
    report = corpus.ingest([tmp_path / "synthetic"])
    assert report.problems == [] and report.documents == 3
    assert len({(p.source, p.turn) for p in corpus.export()}) == 450


def test_context_vectors_are_stored_beside_the_passages_and_go_with_them(corpus, tmp_path):
    """Each passage that continues a turn has a second vector (it read with the piece before
    it), in the store's context collection; removing the document removes them too."""
    from index.ingest import context_texts
    from tests.fakes import HashingEmbedder

    doc = tmp_path / "talk.txt"
    shutil.copy(BUNDLED / HANS, doc)
    corpus.ingest([doc])
    store = Store(Config.from_env())
    rec = store.records(source="talk.txt")
    later = [i for i, p in enumerate(rec.passages) if p.piece > 1]
    first = [i for i, p in enumerate(rec.passages) if p.piece == 1]
    assert later and first
    texts = context_texts(rec.passages)
    want = HashingEmbedder().passages([texts[rec.passages[i].id] for i in later])
    assert np.allclose(rec.context[later], want, atol=1e-5)
    assert np.array_equal(rec.context[first], rec.vectors[first])
    corpus.remove(["talk.txt"])
    ids = [rec.passages[i].id for i in later]
    assert store._context().get(ids=ids)["ids"] == []



def test_the_report_counts_what_is_nobodys_words():
    """Headings and editor's notes are kept out of the passages; the report says how much."""
    text = "访谈实录\nA: 你好?\nB: 我很好。\n(注: 编者的话)\nA: 为什么?\nB: 因为数据。\n"
    from index.ingest import prepare

    report = prepare("talk.txt", text.encode(), Config.from_env()).report
    assert report.dropped == {"headings, titles and editor's notes": len("访谈实录") + len("(注: 编者的话)")}


def test_a_sponsor_read_is_nobodys_answer():
    """A podcast's sponsor read ("This portion … is brought to you by Linode. … Just visit
    talkpython.fm/Linode.") was quoted as the answer to "How did he start with Python?" in a
    file without speakers. Its sentences are now context, and the report counts them."""
    from index.ingest import prepare

    lines = ["00:21:42 Writing binary files out was the painful part.",
             "00:21:56 This portion of Talk Python To Me is brought to you by Linode.",
             "00:22:00 Are you looking for bulletproof hosting that's fast and affordable?",
             "00:22:11 Plans start at just $5 a month for a dedicated server.",
             "00:22:47 Just visit talkpython.fm/Linode.",
             "00:22:50 So another thing Brett talked about was the mythical Python 4."]
    prepared = prepare("talk.txt", "\n\n".join(lines).encode(), Config.from_env())
    text = "\n".join(p.text for p in prepared.passages)
    assert "binary files" in text and "Python 4" in text
    assert not any(w in text for w in ("Linode", "bulletproof", "$5"))
    assert prepared.report.dropped["sponsor reads"] > 100


def test_two_ingests_at_once_keep_each_others_documents(corpus, config, glossary, tmp_path, monkeypatch):
    """Two ingests at once each wrote back the manifest as it was when it started: all
    passages were stored, but only one side's documents were listed, so `rag remove` said the
    others were not in the index and the next rebuild dropped them."""
    import rag as api
    from tests.fakes import HashingEmbedder

    zebra, otter = write(tmp_path / "a", "zebra.txt", ZEBRA), write(tmp_path / "b", "otter.txt", OTTER)
    other = api.open(config, embedder=HashingEmbedder(), glossary=glossary)  # another process
    real = HashingEmbedder.passages

    def meanwhile(self, texts, **kw):  # the other ingest runs while this one embeds
        monkeypatch.setattr(HashingEmbedder, "passages", real)
        other.ingest([otter])
        return real(self, texts, **kw)

    monkeypatch.setattr(HashingEmbedder, "passages", meanwhile)
    corpus.ingest([zebra])
    monkeypatch.undo()
    assert sorted(corpus.store.manifest().files) == ["otter.txt", "zebra.txt"]
    assert corpus.remove("otter.txt").removed == ["otter.txt"]
    assert sorted(corpus.store.manifest().files) == ["zebra.txt"]


def test_an_edited_document_embeds_only_what_changed(corpus, tmp_path, monkeypatch):
    """A one-paragraph edit of a two-hour transcript embedded all its 135 passages again
    (32 s); the unchanged passages keep their stored vectors, and the answers are the same."""
    from tests.fakes import HashingEmbedder

    turns = [f"Host: What happened in year {n}?\nGuest: In year {n} the harbour built pier number {n}."
             for n in range(1, 9)]
    f = write(tmp_path, "harbour.txt", "\n".join(turns) + "\n")
    corpus.ingest([f])
    before = {p.id: v for p, v in zip(corpus.store.records().passages, corpus.store.records().vectors,
                                      strict=True)}
    embedded: list[str] = []
    real = HashingEmbedder.passages

    def counting(self, texts, progress=False):
        embedded.extend(texts)
        return real(self, texts, progress)

    monkeypatch.setattr(HashingEmbedder, "passages", counting)
    f.write_text("\n".join(turns).replace("pier number 5.", "a lighthouse instead.") + "\n", encoding="utf-8")
    report = corpus.ingest([f])
    assert report.updated == ["harbour.txt"]
    assert embedded == ["In year 5 the harbour built a lighthouse instead."]
    rec = corpus.store.records()
    for p, v in zip(rec.passages, rec.vectors, strict=True):
        if "year 5" not in p.text:
            assert (v == before[p.id]).all()
    assert "lighthouse" in corpus.ask("What did the harbour build in year 5?").text


def test_a_document_written_but_never_recorded_is_no_part_of_the_index(corpus, tmp_path, monkeypatch):
    """Stopped (Ctrl-C, a kill) after a document's passages were written and before the
    manifest recorded it, an ingest left a document that answers cited and that neither `rag
    remove` nor `--prune` could drop."""
    talk = tmp_path / "talk.txt"
    talk.write_text("Ann: We moved the bakery to Lisbon in 2019.\nBo: Why Lisbon?\n"
                    "Ann: The rent was half of what we paid before.\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Cy: The ferry to Porto leaves at noon.\nDi: Every day?\n"
                     "Cy: Every day but Sunday.\n", encoding="utf-8")
    corpus.ingest([other])
    real_save = Store.save_manifest

    def save_manifest(self, manifest, touched=None):
        if "talk.txt" in manifest.files:
            raise Crash()
        return real_save(self, manifest, touched)

    monkeypatch.setattr(Store, "save_manifest", save_manifest)
    with pytest.raises(Crash):
        corpus.ingest([talk])
    monkeypatch.setattr(Store, "save_manifest", real_save)
    assert stored_ids(source="talk.txt")  # written, not recorded

    fresh = open_corpus(Config.from_env(), embedder=HashingEmbedder())  # the next process
    assert [s.name for s in fresh.sources()] == ["other.txt"]
    assert {c.source for c in fresh.ask("Why did Ann move the bakery to Lisbon?").citations} <= {"other.txt"}
    assert fresh.remove(["talk.txt"]).removed == ["talk.txt"]
    assert stored_ids(source="talk.txt") == []


def test_ctrl_c_during_an_ingest_says_what_is_kept_and_what_to_run(rag, corpus, tmp_path, monkeypatch):
    """Ctrl-C printed `Aborted!` alone: nothing said what was kept or what to run next."""
    src = tmp_path / "in"
    assert rag("ingest", str(write(src, "a_zebra.txt", ZEBRA))).exit_code == 0
    write(src, "b_otter.txt", OTTER)
    real = HashingEmbedder.passages

    def stopped(self, texts, *args, **kwargs):  # Ctrl-C while the second file is embedded
        if any("otters" in t for t in texts):
            raise KeyboardInterrupt
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(HashingEmbedder, "passages", stopped)
    out = rag("ingest", str(src))
    assert out.exit_code == 130
    assert out.stderr.splitlines()[-1] == (
        "Interrupted: the documents indexed before the stop are kept; run the same `rag ingest` "
        "again to finish the others (unchanged files are skipped)"
    )
    monkeypatch.undo()
    assert [s.name for s in corpus.sources()] == ["a_zebra.txt"]
    assert rag("ingest", str(src)).exit_code == 0
    assert [s.name for s in corpus.sources()] == ["a_zebra.txt", "b_otter.txt"]


def test_an_ingest_stopped_half_way_keeps_the_documents_already_embedded(rag, corpus, tmp_path, monkeypatch):
    """A folder's files were all embedded before the first was written: an ingest stopped an
    hour into a large folder kept nothing, and the next one embedded every file again."""
    src = tmp_path / "in"
    write(src, "a_zebra.txt", ZEBRA)
    write(src, "b_otter.txt", OTTER)
    monkeypatch.setattr(sys.modules["index.ingest"], "EMBED_SLICE", 1)  # (the package exports a function of that name)
    real = HashingEmbedder.passages
    embedded: list[str] = []

    def stopped(self, texts, *args, **kwargs):  # Ctrl-C once the second file is embedded
        if any("otters" in t for t in texts):
            raise KeyboardInterrupt
        embedded.extend(texts)
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(HashingEmbedder, "passages", stopped)
    assert rag("ingest", str(src)).exit_code == 130
    assert [s.name for s in corpus.sources()] == ["a_zebra.txt"]
    assert any("quokka" in t for t in embedded)

    embedded.clear()
    monkeypatch.setattr(HashingEmbedder, "passages", lambda self, texts, *a, **k: (
        embedded.extend(texts), real(self, texts, *a, **k))[1])
    assert rag("ingest", str(src)).exit_code == 0
    assert [s.name for s in corpus.sources()] == ["a_zebra.txt", "b_otter.txt"]
    assert embedded and not any("quokka" in t for t in embedded)  # the zebra file is kept


def test_a_speaker_map_given_with_several_files_holds_for_the_files_with_its_labels(rag, corpus, tmp_path):
    """`rag ingest a b --speaker SPEAKER_00=Jane` kept that map for every file, so each later
    ingest of a file without the label warned; a mistyped key was kept and warned forever."""
    folder = tmp_path / "in"
    write(folder, "call.txt", "SPEAKER_00: What do otters eat at the harbour?\n"
                              "SPEAKER_01: Mostly sea urchins and crabs, every single morning.\n")
    write(folder, "zebra.txt", ZEBRA)
    out = rag("ingest", str(folder), "--speaker", "SPEAKER_00=Jane", "--speaker", "SPEAKR_09=Zed", "--json")
    report = json.loads(out.stdout)
    assert [w for w in report["warnings"] if "no label" in w] == [
        "call.txt: speaker map: no label 'SPEAKR_09' in this file (its labels: SPEAKER_00, SPEAKER_01)",
        "zebra.txt: speaker map: no label 'SPEAKR_09' in this file (its labels: Guest, Host)",
    ]  # (SPEAKER_00 is call.txt's, so zebra.txt's lacking it is no mistake)
    assert corpus.retrieve("What do otters eat?", k=2)[0].passage.question.startswith("What do otters")
    assert {p.speaker for p in corpus.export() if p.source == "call.txt"} >= {"Jane"}
    write(folder, "zebra.txt", ZEBRA + "Host: Thanks!\n")
    again = json.loads(rag("ingest", str(folder), "--json").stdout)
    assert not [w for w in again["warnings"] if "speaker map" in w], again["warnings"]
    assert again["updated"] == ["zebra.txt"] and again["unchanged"] == ["call.txt"]
    assert {p.speaker for p in corpus.export() if p.source == "call.txt"} >= {"Jane"}  # still held


def test_the_e5_embedder_keeps_using_torch_once_loaded(tmp_path):
    """After an ingest's passages went through the torch checkpoint, its host questions (fewer
    than `torch_min`) went through the C engine, four times slower per passage: 50 s of a 100 s
    ingest. Once the checkpoint is loaded, batches of `TORCH_AFTER` or more use it."""
    from index.embed import E5Embedder

    class Checkpoint:
        calls: list[int] = []

        def passages(self, texts, progress=False):
            self.calls.append(len(texts))
            return np.zeros((len(texts), 384), dtype=np.float32)

    e = E5Embedder(tmp_path, torch_min=400)
    e._st = Checkpoint()
    e.passages(["passage text"] * E5Embedder.TORCH_AFTER)
    few = e.passages(["a short passage"] * 3)
    assert Checkpoint.calls == [E5Embedder.TORCH_AFTER]
    assert few.shape == (3, 384) and np.allclose(np.linalg.norm(few, axis=1), 1, atol=1e-3)


def test_the_same_text_under_another_name_is_indexed_with_a_warning(rag, tmp_path):
    """"P05 (1).txt", a second download of an indexed transcript, was indexed without a word,
    and answers cited the copy."""
    src = tmp_path / "in"
    write(src, "P05.txt", OTTER)
    assert rag("ingest", str(src / "P05.txt")).exit_code == 0
    write(src, "P05 (1).txt", OTTER)
    out = rag("ingest", str(src / "P05 (1).txt"), "--json")
    report = json.loads(out.stdout)
    assert report["added"] == ["P05 (1).txt"]
    assert any("the same text as P05.txt" in w for w in report["warnings"]), report["warnings"]


def test_lines_a_speech_recognizer_invents_are_not_indexed(rag, corpus, tmp_path):
    """Whisper's closing "优优独播剧场——YoYo Television Series Exclusive" (written over the music
    at a recording's end) was indexed as speech; the report says what was dropped."""
    segs = [{"start": 0.0, "end": 4.0, "text": "今天我们聊聊学术自由。"},
            {"start": 4.0, "end": 9.0, "text": "学术自由起源于欧洲中世纪的大学。"},
            {"start": 2355.0, "end": 2358.0, "text": "优优独播剧场——YoYo Television Series Exclusive"},
            {"start": 2358.0, "end": 2360.0, "text": "字幕由Amara.org社区提供"}]
    path = tmp_path / "ep21.json"
    path.write_text(json.dumps({"text": "", "segments": segs}, ensure_ascii=False), encoding="utf-8")
    out = rag("ingest", str(path))
    assert out.exit_code == 0 and "lines a speech recognizer invents" in out.output, out.output
    said = " ".join(p.text for p in corpus.export())
    assert "欧洲中世纪" in said and "YoYo" not in said and "Amara" not in said, said
