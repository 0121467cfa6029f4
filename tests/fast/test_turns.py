"""Speaker detection and turns, decided from the whole document."""

import pytest

from index.chunk import chunk_turns, split_sentences, split_turn
from index.turns import find_speakers, split_turns

DOC = """扫码打开虎嗅APP
文章摘要
• 🤖 人形机器人初期应在企业内部应用
一、第一个落地场景是什么?
NoPriors:你觉得人形机器人的第一个应用领域会是什么?
Karpathy:我不认为 B2C 是个好起点。
我认为最好的第一批客户就是公司自己。
注:编者的解释。
NoPriors:为什么?
Karpathy:因为责任复杂。
所以问题就是:如何扩大影响?
Priors:最后一个问题。
Karpathy:数学、物理和计算机科学。
本文来自微信公众号:某某
大 家 都 在 看
文中提到的 Andrej Karpathy 是 OpenAI 创始成员。
"""


def test_split_turns_on_a_scraped_page():
    turns, warnings = split_turns(DOC)
    assert warnings == []
    assert [(t.n, t.speaker, t.role) for t in turns] == [
        (1, "No Priors", "host"),
        (2, "Andrej Karpathy", "guest"),
        (3, "No Priors", "host"),
        (4, "Andrej Karpathy", "guest"),
        (5, "No Priors", "host"),
        (6, "Andrej Karpathy", "guest"),
    ]
    # the unlabelled paragraph continues the turn; the editor's note does not
    assert turns[1].paragraphs == (
        "我不认为 B2C 是个好起点。",
        "我认为最好的第一批客户就是公司自己。",
    )
    # a label-like line that is no speaker stays in the turn
    assert turns[3].paragraphs == ("因为责任复杂。", "所以问题就是:如何扩大影响?")
    # nothing from the page footer is kept
    assert turns[5].paragraphs == ("数学、物理和计算机科学。",)


def test_full_names_and_truncated_labels():
    names = find_speakers(
        [
            "Sarah Guo:问?",
            "Andrej Karpathy:答。",
            "Elad Gil:问?",
            "Andrej Karpathy:答。",
            "排版:Fia",
        ]
    ).names
    assert names == {
        "Sarah Guo": "Sarah Guo",
        "Andrej Karpathy": "Andrej Karpathy",
        "Elad Gil": "Elad Gil",
    }


@pytest.mark.parametrize("text", ["", "   \n ", "打开APP", "🤖"])
def test_nothing_to_say(text):
    turns, warnings = split_turns(text)
    assert turns == [] or turns[0].speaker == "Narrator"


def test_unlabelled_text_is_one_narrator_turn():
    turns, warnings = split_turns("第一段话,很长的一句话。\n第二段话。")
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("Narrator", ("第一段话,很长的一句话。", "第二段话。"))
    ]
    assert warnings == ["no speaker labels found: ingested as one narrator's text"]


def test_full_width_colon_and_spaces_after_label():
    turns, _ = split_turns("Sarah Guo： 你好吗?\nAndrej Karpathy:  很好,谢谢你的提问。")
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("Sarah Guo", ("你好吗?",)),
        ("Andrej Karpathy", ("很好,谢谢你的提问。",)),
    ]


def test_sentences_and_pieces():
    assert split_sentences("我认为是的。对!What? 好") == ["我认为是的。", "对!", "What?", "好"]
    assert split_turn(("一二三。", "四五。", "六七八九十。"), max_chars=8) == [
        "一二三。\n四五。",
        "六七八九十。",
    ]
    # an over-long paragraph is cut at sentence ends
    assert split_turn(("甲乙丙。丁戊己。庚辛壬。",), max_chars=8) == [
        "甲乙丙。丁戊己。",
        "庚辛壬。",
    ]


def test_chunks_keep_speaker_turn_and_host_question():
    turns, _ = split_turns("A:为什么?\nB:因为。\n所以。\nA:还有呢?\nB:没了,谢谢大家的耐心。")
    chunks = chunk_turns("doc.txt", turns, max_chars=4)
    assert [(c.id, c.speaker, c.text, c.question) for c in chunks] == [
        ("doc.txt#t1p1", "A", "为什么?", None),
        ("doc.txt#t2p1", "B", "因为。", "为什么?"),
        ("doc.txt#t2p2", "B", "所以。", "为什么?"),
        ("doc.txt#t3p1", "A", "还有呢?", None),
        ("doc.txt#t4p1", "B", "没了,谢谢大家的耐心。", "还有呢?"),
    ]
    assert chunks[1].embed_text() == "为什么?\n因为。"
