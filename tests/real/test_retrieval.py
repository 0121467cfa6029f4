"""The real model and a real embedded Chroma: specific passages for specific questions,
in Simplified and Traditional Chinese and in English."""

import re

import pytest

from eval.dataset import squash

pytestmark = pytest.mark.real

HUXIU = "karpathy-no-priors-2024_zh-hans_huxiu.txt"
TENCENT = "karpathy-no-priors-2024_zh-hant_tencent.txt"


@pytest.fixture
def config(real_bundled):
    return real_bundled


def _has(citations, snippet, k):
    return any(squash(snippet) in squash(c.text) for c in citations[:k])


@pytest.mark.parametrize(
    "question, snippet, speaker",
    [
        (  # material handling in the company's own factories, in either write-up
            "Karpathy 认为人形机器人最早会用在什么场景?",
            "物料搬运",
            "Andrej Karpathy",
        ),
        (
            "為什麼 Karpathy 覺得 Tesla 比 Waymo 領先?",
            "Tesla 面臨的是軟件層面的問題",
            "Andrej Karpathy",
        ),
        ("Why does Karpathy think Tesla is ahead of Waymo?", "软件问题", "Andrej Karpathy"),
        (
            "What should kids study today, according to Karpathy?",
            "数学、物理和计算机科学",
            "Andrej Karpathy",
        ),
        ("什么是 LLM 公司?", "LLM 公司", "Andrej Karpathy"),
    ],
)
def test_specific_passages(config, question, snippet, speaker):
    hits = config.retrieve(question, k=5)
    assert _has(hits, snippet, 5), [c.text[:40] for c in hits]
    best = next(c for c in hits if squash(snippet) in squash(c.text))
    assert best.speaker == speaker


def test_answer_quotes_the_passage_with_valid_markers(config):
    a = config.ask("Karpathy 在自动驾驶领域工作了多少年?")
    assert not a.abstained
    assert "五年" in a.text or "5 年" in a.text
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", a.text)}
    assert numbers and numbers <= {c.n for c in a.citations}


def test_twins_across_scripts_share_one_citation(config):
    hits = config.retrieve("Karpathy 在自动驾驶领域工作了多少年?", k=5)
    sources = [c.source for c in hits]
    top = hits[0]
    assert top.also, "the same passage in the other write-up should be folded into the top citation"
    assert {top.source, top.also[0].source} == {HUXIU, TENCENT}
    assert len(sources) == 5


def test_off_topic_question_abstains(config):
    a = config.ask("Karpathy 最喜欢吃什么口味的披萨?")
    assert a.abstained and not a.citations
