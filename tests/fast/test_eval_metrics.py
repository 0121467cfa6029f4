"""The eval harness on tiny fake results: scoring, aggregation, significance, report files,
and the hand-written question file."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from eval import harness, report
from eval.dataset import Gold, InvalidQuestions, Question, load
from eval.systems import Output
from index.types import Passage
from rag.types import Citation

DOC = "doc.txt"


def _q(qid: str, lang: str, answerable: bool = True, snippet: str = "数据是瓶颈", **kw) -> Question:
    gold = (Gold(DOC, snippet),) if answerable else ()
    return Question(
        id=qid,
        lang=lang,
        question=f"question {qid}",
        answerable=answerable,
        speaker=kw.pop("speaker", "Andrej Karpathy" if answerable else None),
        gold=gold,
        answer=kw.pop("answer", "数据是瓶颈" if answerable else ""),
        key_facts=kw.pop("key_facts", (("瓶颈", "bottleneck"),) if answerable else ()),
    )


def _c(
    n: int, text: str, speaker: str = "Andrej Karpathy", source: str = DOC, role: str = "guest"
) -> Citation:
    passage = Passage(f"{source}#t{n}p1", source, speaker, role, n, 1, text)
    return Citation(n=n, passage=passage, score=1.0 / n)


GOOD = [_c(1, "我认为数据是瓶颈。"), _c(2, "别的内容")]
BAD = [_c(1, "别的内容"), _c(2, "还是别的")]


def good_system(question: str) -> Output:
    return Output(GOOD, "我认为数据是瓶颈。[1]", False, GOOD)


def bad_system(question: str) -> Output:
    return Output(BAD, None, False, [])


def abstaining_system(question: str) -> Output:
    return Output(GOOD, "访谈中没有谈到这个问题。", True, [])


QUESTIONS = [
    _q("a1", "zh-hans"),
    _q("a2", "zh-hant"),
    _q("a3", "en"),
    _q("a4", "en"),
    _q("u1", "zh-hans", answerable=False),
    _q("u2", "en", answerable=False),
]


# ------------------------------------------------------------------ significance


def test_paired_test_identical_systems_is_not_significant():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2, 80).astype(float)
    t = harness.paired_test(a, a)
    assert t["diff"] == 0.0
    assert t["p"] == pytest.approx(1.0)
    assert t["ci95"] == [0.0, 0.0]


def test_paired_test_clear_difference_is_significant():
    a = np.zeros(60)
    b = np.r_[np.ones(50), np.zeros(10)]
    t = harness.paired_test(a, b)
    assert t["diff"] == pytest.approx(50 / 60, abs=1e-3)
    assert t["p"] < 0.001
    assert t["ci95"][0] > 0.5
    assert t["n"] == 60


def test_paired_test_is_deterministic_with_a_seed():
    rng = np.random.default_rng(1)
    a, b = rng.random(50), rng.random(50)
    assert harness.paired_test(a, b) == harness.paired_test(a, b)
    assert harness.paired_test(a, b, seed=7) == harness.paired_test(a, b, seed=7)
    # a small, noisy difference: a p-value strictly between the extremes
    assert 0.0 < harness.paired_test(a, b)["p"] < 1.0


def test_paired_test_rejects_unpaired_samples():
    with pytest.raises(ValueError):
        harness.paired_test([1.0, 0.0], [1.0])


# ------------------------------------------------------------------ scoring and aggregation


def test_score_reads_ranking_from_retrieval_and_answer_metrics_from_the_answer():
    q = _q("a1", "zh-hans")
    ranked = [_c(1, "无关" * 400), _c(2, "我认为数据是瓶颈。"), _c(3, "别的")]
    answer_cites = [_c(1, "我认为数据是瓶颈。"), _c(2, "别的")]
    rec = harness.score(q, Output(ranked, "我认为数据是瓶颈。[1]", False, answer_cites))
    assert rec["rank"] == 2
    assert (rec["hit@1"], rec["hit@3"], rec["hit@5"]) == (0.0, 1.0, 1.0)
    assert rec["mrr@10"] == 0.5
    assert rec["hit@600c"] == 0.0  # the first citation alone fills the 600-character budget
    assert rec["key_facts"] == 1.0
    assert rec["citation_precision"] == 1.0  # only the passage the [1] marker points at
    assert rec["markers_valid"] == 1.0
    assert rec["speaker_acc"] == 1.0
    assert rec["wrongly_abstained"] == 0.0
    assert rec["abstain_acc"] is None
    assert rec["top"]["turn"] == 1 and len(rec["top"]["text"]) == 80


def test_score_abstention_and_retrieval_only_systems():
    answerable, unanswerable = _q("a1", "en"), _q("u1", "en", answerable=False)
    rec = harness.score(answerable, abstaining_system(""))
    assert rec["wrongly_abstained"] == 1.0
    assert rec["hit@5"] == 1.0  # ranking is still measured on the retrieval list
    assert rec["key_facts"] == 0.0 and rec["markers_valid"] is None
    assert harness.score(unanswerable, abstaining_system(""))["abstain_acc"] == 1.0
    assert harness.score(unanswerable, good_system(""))["abstain_acc"] == 0.0
    only = harness.score(
        answerable, Output([_c(1, "数据是瓶颈", speaker="", role="")], None, False, [])
    )
    assert (
        only["key_facts"] is None and only["char_f1"] is None and only["citation_precision"] is None
    )
    assert only["speaker_acc"] is None  # no speakers known: not scored
    assert only["hit@1"] == 1.0


def test_aggregate_by_language_on_a_tiny_result_set():
    results = harness.run(QUESTIONS, {"default": good_system, "other": bad_system})
    assert results["questions"] == 6
    d = results["systems"]["default"]
    assert (d["n"], d["answerable"], d["unanswerable"]) == (6, 4, 2)
    assert d["hit@5"] == 1.0 and d["abstain_acc"] == 0.0 and d["wrongly_abstained"] == 0.0
    o = results["systems"]["other"]
    assert o["hit@5"] == 0.0 and o["key_facts"] is None
    by = results["by_lang"]["default"]
    assert list(by) == ["zh-hans", "zh-hant", "en"]
    assert (by["en"]["answerable"], by["en"]["unanswerable"]) == (2, 1)
    assert by["zh-hant"]["abstain_acc"] is None  # no unanswerable zh-hant question here
    mixed = harness.aggregate(
        [
            {"answerable": True, "lang": "en", **{m: None for m in harness.METRICS}, "hit@5": v}
            for v in (1.0, 0.0, 1.0, 1.0)
        ]
    )
    assert mixed["hit@5"] == 0.75 and mixed["mrr@10"] is None
    sig = results["significance"]["other"]
    assert sig["hit@5"]["diff"] == -1.0 and sig["hit@5"]["n"] == 4
    assert "key_facts" not in sig  # the other system gives no answers
    kinds = Counter((f["system"], k) for f in results["failures"] for k in f["kind"])
    assert kinds[("default", "answered-unanswerable")] == 2
    assert kinds[("other", "miss@5")] == 4
    assert ("other", "answered-unanswerable") not in kinds  # it gives no answers


# ------------------------------------------------------------------ outputs


def test_report_and_plot_are_written(tmp_path):
    results = harness.run(
        QUESTIONS, {"default": good_system, "abstains": abstaining_system, "naive": bad_system}
    )
    (tmp_path / "results.json").write_text(
        json.dumps(results, ensure_ascii=False), encoding="utf-8"
    )
    report.write_report({"corpora": {"mini": results}}, tmp_path / "report.md")
    report.write_plot(results, tmp_path / "systems.png")
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    for key in ("questions", "default", "systems", "by_lang", "significance", "failures"):
        assert key in data
    assert data["default"] == "default"
    assert set(data["systems"]) == {"default", "abstains", "naive"}
    for key in ("hit@5", "mrr@10", "hit@600c", "key_facts", "abstain_acc", "wrongly_abstained"):
        assert key in data["systems"]["default"]
    assert set(data["by_lang"]["naive"]) == {"zh-hans", "zh-hant", "en"}
    assert set(data["significance"]) == {"abstains", "naive"}
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for heading in ("## Systems", "## By language", "## Significance", "## Failures", "held-out"):
        assert heading in md
    assert (tmp_path / "systems.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = report.summary_table(results)
    assert "default" in table and "hit@5" in table


def test_a_file_the_product_cannot_read_is_reported_and_its_questions_find_nothing(
    glossary, tmp_path, capsys
):
    """A blind run on a format not read yet is measured: the other files are indexed, the
    unread one is named in the results and the report, its questions score as misses."""
    import shutil

    from index.config import Config
    from tests.fakes import HashingEmbedder

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(Config().transcripts / "karpathy-no-priors-2024_zh-hans_huxiu.txt", docs)
    (docs / "hearing.xyz").write_text("**Ann**: The bridge opened in 1932.\n", encoding="utf-8")
    qfile = tmp_path / "q.yaml"
    qfile.write_text(
        """
- id: t1
  lang: zh-hans
  question: "Karpathy 在自动驾驶这个领域干了几年?"
  answerable: true
  gold:
    - doc: karpathy-no-priors-2024_zh-hans_huxiu.txt
      snippet: "我在自动驾驶领域花了大约五年的时间"
  key_facts:
    - ["五年", "5 年"]
- id: t2
  lang: en
  question: "When did the bridge open?"
  answerable: true
  gold:
    - doc: hearing.xyz
      snippet: "The bridge opened in 1932."
  key_facts:
    - ["1932"]
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    results = harness.main(
        out, ["default"], as_json=True, config=Config.from_env(),
        corpora=[harness.EvalCorpus("mini", qfile, docs)], embedder=HashingEmbedder(),
        glossary=glossary,
    )["corpora"]["mini"]
    capsys.readouterr()
    problem = results["ingest_problems"][0]
    assert "hearing.xyz" in problem and "unsupported file type '.xyz'" in problem
    ranks = {q["id"]: q["rank"] for q in results["per_question"]["default"]}
    assert ranks["t1"] is not None and ranks["t2"] is None
    assert "**Ingest problem**" in (out / "report.md").read_text(encoding="utf-8")


def test_harness_main_end_to_end_with_the_fake_model(glossary, tmp_path, capsys):
    """`rag eval`'s entry point: builds its own index, runs two systems, writes the files."""
    from index.config import Config
    from tests.fakes import HashingEmbedder

    qfile = tmp_path / "q.yaml"
    qfile.write_text(
        """
- id: t1
  lang: zh-hans
  question: "Karpathy 在自动驾驶这个领域干了几年?"
  answerable: true
  speaker: Andrej Karpathy
  gold:
    - doc: karpathy-no-priors-2024_zh-hans_huxiu.txt
      snippet: "我在自动驾驶领域花了大约五年的时间"
  answer: "大约五年。"
  key_facts:
    - ["五年", "5 年"]
- id: t2
  lang: en
  question: "Which football club does Karpathy support?"
  answerable: false
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    all_results = harness.main(
        out,
        ["default", "dense"],
        as_json=True,
        config=Config.from_env(),
        corpora=[harness.EvalCorpus("mini", qfile, Config().transcripts)],
        embedder=HashingEmbedder(),
        glossary=glossary,
    )
    printed = json.loads(capsys.readouterr().out)
    results = all_results["corpora"]["mini"]
    assert printed["corpora"]["mini"]["systems"] == results["systems"]
    assert set(results["systems"]) == {"default", "dense"}
    assert results["questions"] == 2
    assert {"hit@5", "mrr@10", "hit@600c"} <= set(results["systems"]["default"])
    assert set(results["by_split"]["default"]) <= {"tuning", "heldout"}
    assert (out / "results.json").exists() and (out / "report.md").exists()
    assert (out / "systems-mini.png").exists()
    assert "# Corpus `mini`" in (out / "report.md").read_text(encoding="utf-8")


def test_unknown_system_is_refused(tmp_path):
    from index.errors import BadInputError

    with pytest.raises(BadInputError, match="unknown system"):
        harness.main(tmp_path, ["nope"], as_json=True)


def test_generated_answers_without_a_model_say_what_to_set(glossary, tmp_path, monkeypatch):
    from index.config import Config
    from index.errors import BadInputError
    from tests.fakes import HashingEmbedder

    monkeypatch.delenv("RAG_LLM", raising=False)
    qfile = tmp_path / "q.yaml"
    qfile.write_text('- {id: t1, lang: en, question: "Why?", answerable: false}\n', encoding="utf-8")
    with pytest.raises(BadInputError, match="no system to run: compose: .*RAG_LLM"):
        harness.main(
            tmp_path / "out", ["compose"], as_json=True, config=Config.from_env(),
            corpora=[harness.EvalCorpus("mini", qfile, Config().transcripts)],
            embedder=HashingEmbedder(), glossary=glossary,
        )


# ------------------------------------------------------------------ the question file


def test_question_file_loads_and_validates():
    qs = load()
    langs = Counter(q.lang for q in qs)
    assert len(qs) >= 60
    assert sum(not q.answerable for q in qs) >= 8
    assert langs["zh-hant"] >= 5
    assert langs["en"] >= 10
    assert all(q.gold for q in qs if q.answerable)
    assert {q.split for q in qs} == {"tuning", "heldout"}


def test_the_real_transcripts_questions_load():
    from eval.dataset import REAL, REAL_QUESTIONS

    qs = load(REAL_QUESTIONS, REAL)
    assert sum(q.answerable for q in qs) >= 40
    assert len({q.format for q in qs if q.format}) >= 5


def test_a_snippet_not_in_its_transcript_is_refused(tmp_path):
    transcripts = tmp_path / "transcripts"
    transcripts.mkdir()
    (transcripts / DOC).write_text("主持人:你好。\n嘉宾:我認為數據是瓶頸。\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(
        f'- id: x1\n  lang: zh-hans\n  question: "瓶颈是什么?"\n  answerable: true\n'
        f'  gold:\n    - doc: {DOC}\n      snippet: "数据 是 瓶颈"\n',
        encoding="utf-8",
    )
    assert load(good, transcripts)[0].gold == (Gold(DOC, "数据 是 瓶颈"),)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f'- id: x1\n  lang: zh-hans\n  question: "瓶颈是什么?"\n  answerable: true\n'
        f'  gold:\n    - doc: {DOC}\n      snippet: "算力是瓶颈"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidQuestions, match="x1"):
        load(bad, transcripts)


def test_the_eval_can_run_a_spread_of_one_split():
    qs = [Question(f"q{i}", "en", "?", True, split="heldout" if i % 2 else "tuning") for i in range(9)]
    assert [q.id for q in harness.subset(qs, "heldout", None)] == ["q1", "q3", "q5", "q7"]
    assert [q.id for q in harness.subset(qs, None, 3)] == ["q0", "q4", "q8"]
    assert harness.subset(qs, "tuning", 1)[0].id == "q0"
    with pytest.raises(Exception, match="split"):
        harness.subset(qs, "dev", None)


def test_a_time_of_day_someone_says_is_no_timestamp_left_in_a_passage():
    from eval.harness import _CLOCK

    assert [bool(_CLOCK.search(t)) for t in (
        "[00:04:07] we started", "00:01.000 --> 00:02.000", "meet at 10:30 then",
        "support something at 2:00 AM in the morning", "1:00 a.m. in Berlin", "till 5:30pm",
    )] == [True, True, True, False, False, False]


def test_spoken_words_of_an_aws_transcribe_file_are_counted_once(tmp_path):
    """Amazon Transcribe keeps the whole text in `transcripts` and again word by word in
    `items`: the words said are the first, once."""
    f = tmp_path / "job.json"
    f.write_text(json.dumps({"results": {
        "transcripts": [{"transcript": "Hello there. Hi."}],
        "items": [{"alternatives": [{"content": w}], "speaker_label": s}
                  for w, s in (("Hello", "spk_0"), ("there", "spk_0"), ("Hi", "spk_1"))],
    }}), encoding="utf-8")
    assert harness.spoken_text(f) == "hello there. hi."
