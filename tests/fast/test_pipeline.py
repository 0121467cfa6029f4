"""End to end with the fake embedder: ingest the bundled transcripts, ask, check citations."""

import re

import pytest

from index.ingest import ingest
from rag import BadInputError, NoIndexError, ask, retrieve

pytestmark = pytest.mark.usefixtures("fake_model")


@pytest.fixture
def indexed():
    return ingest()


def test_ingest_reports_documents_and_chunks(indexed):
    assert indexed.documents == 2
    assert indexed.chunks > 100
    again = ingest()
    assert again.unchanged == sorted(again.unchanged) and len(again.unchanged) == 2
    assert again.chunks == indexed.chunks


def test_ask_cites_numbered_passages_and_markers_resolve(indexed):
    a = ask("特斯拉其实是一家大规模的机器人公司吗?")
    assert not a.abstained
    assert [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", a.text)}
    assert markers and markers <= {c.n for c in a.citations}
    # the quoted sentences are in the passages they cite
    for c in a.citations:
        for q in c.quote:
            assert q in c.text.replace("\n", " ")
    assert any("机器人公司" in c.text for c in a.citations[:3])


def test_filters(indexed):
    hits = retrieve("自动驾驶", k=5, speaker="karpathy")
    assert hits and {c.speaker for c in hits} == {"Andrej Karpathy"}
    hits = retrieve("自動駕駛", k=5, source="tencent")
    assert hits and {c.source for c in hits} == {"karpathy-no-priors-2024_zh-hant_tencent.txt"}
    with pytest.raises(BadInputError, match="no speaker matches 'nobody'"):
        retrieve("自动驾驶", speaker="nobody")


def test_empty_question_is_refused(indexed):
    with pytest.raises(BadInputError, match="empty"):
        ask("   ")


def test_no_index_says_what_to_do():
    with pytest.raises(NoIndexError, match="rag ingest"):
        ask("什么是 LLM 公司?")


def test_unknown_subject_abstains(indexed):
    a = ask("Karpathy 怎么评价 Anthropic 的 Claude 模型?")
    assert a.abstained and a.citations == [] and "没有" in a.text


def test_a_running_engine_survives_a_rebuild(indexed):
    before = retrieve("特斯拉其实是一家大规模的机器人公司", k=3)
    ingest(rebuild=True)
    after = retrieve("特斯拉其实是一家大规模的机器人公司", k=3)
    assert [c.id for c in after] == [c.id for c in before]


def test_a_bad_size_limit_is_a_one_line_error(monkeypatch):
    from index.config import Config

    monkeypatch.setenv("RAG_MAX_FILE_MB", "abc")
    with pytest.raises(BadInputError, match="RAG_MAX_FILE_MB must be a number"):
        Config.from_env()
