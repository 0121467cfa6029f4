"""Fusion, answer composition and marker/citation consistency on tiny inputs."""

import json
import re

from rag.answer import Candidate, candidates, render, select, term_coverage
from rag.crosslingual import Glossary
from rag.fuse import group_duplicates, reciprocal_rank_fusion


def test_rrf_weights_and_ties():
    assert reciprocal_rank_fusion([["a", "b"], ["b", "c"]], [1.0, 1.0], k=1) == [
        ("b", 0.8333333333333333),
        ("a", 0.5),
        ("c", 0.3333333333333333),
    ]
    # a zero weight leaves that list's order out of it
    assert [i for i, _ in reciprocal_rank_fusion([["a", "b"], ["b", "a"]], [1.0, 0.0])] == [
        "a",
        "b",
    ]


def test_twins_share_a_slot():
    src = {"a1": "A", "b1": "B", "a2": "A", "b2": "B", "a3": "A"}.__getitem__
    twins = {("a1", "b1"), ("a2", "b2")}
    groups = group_duplicates(
        ["a1", "b1", "a2", "a3", "b2"], src, lambda x, y: (x, y) in twins, limit=3
    )
    assert groups == [("a1", ["b1"]), ("a2", ["b2"]), ("a3", [])]


def test_candidates_skip_questions_and_fillers():
    cands = candidates(["是的。我认为数据是瓶颈。你怎么看?", "对。Data is the bottleneck now."])
    assert [(c.hit, c.position, c.text) for c in cands] == [
        (0, 1, "我认为数据是瓶颈。"),
        (1, 1, "Data is the bottleneck now."),
    ]


def test_select_keeps_reading_order_and_limits_per_passage():
    cs = [Candidate(0, 0, "a"), Candidate(0, 1, "b"), Candidate(0, 2, "c"), Candidate(1, 0, "d")]
    assert [c.text for c in select(cs, [0.9, 0.89, 0.88, 0.87], per_passage=2)] == ["a", "b", "d"]
    assert select([], []) == []


def test_render_markers_resolve():
    text = render([Candidate(0, 0, "甲。"), Candidate(2, 1, "Yes.")], [1, 2, 3])
    assert text == "甲。[1] Yes. [3]"
    assert {int(n) for n in re.findall(r"\[(\d+)\]", text)} <= {1, 2, 3}


def test_term_coverage_is_idf_weighted_across_scripts():
    assert (
        term_coverage({"数据": 1.0, "瓶颈": 1.0}, {"数据": 1.0, "瓶颈": 3.0}, "瓶頸在哪裡") == 0.75
    )
    assert term_coverage({}, {}, "任何") == 0.0


def test_glossary_translates_phrases_first():
    g = Glossary.from_pairs(
        [
            ("旧金山", "San Francisco, California"),
            ("城市", "city"),
            ("常见", "commonly seen; common"),
            ("罕见", "rare"),
        ]
    )
    vocabulary = frozenset({"旧金山", "城市", "常见"})
    assert g.translate("Is it common in San Francisco, the city?", vocabulary) == {
        "旧金山": 1.0,
        "常见": 1.0,
        "城市": 1.0,
    }
    assert g.translate("pizza", vocabulary) == {}
    assert g.translate("rare", vocabulary) == {}  # only words the index holds


def test_the_cedict_glossary_is_a_lookup_table(glossary):
    assert glossary.translate("San Francisco", {"旧金山"}) == {"旧金山": 1.0}


def test_filter_values_resolve_exactly_first():
    from rag.retrieve import resolve

    known = ("Andrej Karpathy", "Karpathy Fan", "Sarah Guo")
    assert resolve("karpathy fan", known, "speaker") == ["Karpathy Fan"]
    assert resolve("karpathy", known, "speaker") == ["Andrej Karpathy", "Karpathy Fan"]
    assert resolve(None, known, "speaker") is None


def test_the_opening_of_a_reply_to_the_same_question_wins():
    from rag.answer import score

    cands = [Candidate(0, 0, "公司自己就是第一个客户。"), Candidate(0, 4, "这种场景很多。")]
    terms = {"机器人": 1.0, "场景": 1.0, "最早": 1.0, "用": 1.0}
    idf = dict.fromkeys(terms, 1.0)
    plain = score(cands, terms, idf)
    asked = score(cands, terms, idf, [True])
    assert plain[1] > plain[0]  # words alone prefer the sentence that shares a word
    assert asked[0] > asked[1]  # the reply's opening wins when the host asked the same


def test_list_items_are_quoted_one_by_one():
    # Items end without a full stop; glued, three items read as one "sentence".
    text = "On this slide we have:\n- to find a bomb lost in 1966\n- to break Enigma\nThey share one thing."
    assert [c.text for c in candidates([text])] == [
        "On this slide we have:", "to find a bomb lost in 1966", "to break Enigma", "They share one thing.",
    ]


def test_the_place_table_is_kept_in_the_cache_and_read_back(tmp_path):
    """The gazetteer is read once into a small table in the cache directory; a later process
    reads that file (here: a changed file is what it reads), and a cache it cannot write
    still gets a table, in memory."""
    from rag.places import PLACES_VERSION, open_table, places

    table = open_table(tmp_path)
    saved = tmp_path / f"places-v{PLACES_VERSION}.json"
    assert saved.exists() and places("Summits in Seattle and 新加坡", table) == {"seattle", "singapore"}
    saved.write_text(json.dumps({"atlantis": "atlantis"}), encoding="utf-8")
    elsewhere = tmp_path / "again"
    elsewhere.mkdir()
    (elsewhere / saved.name).write_text(saved.read_text(encoding="utf-8"), encoding="utf-8")
    assert places("Off to Atlantis, not Seattle.", open_table(elsewhere)) == {"atlantis"}
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    assert places("Seattle", open_table(blocked / "cache")) == {"seattle"}


def test_thanks_alone_is_no_answer_sentence():
    """An interviewer's "Thank you, Maria." was quoted in an answer about what Maria said."""
    texts = ["Thank you, Maria. Anything else about trust?", "谢谢你，王老师。我们下次再聊这个问题。",
             "Thanks to the new rules, trust grew."]
    assert [c.text for c in candidates(texts)] == ["我们下次再聊这个问题。", "Thanks to the new rules, trust grew."]
