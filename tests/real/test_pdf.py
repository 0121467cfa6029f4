"""A web-page transcript printed to PDF by a real browser, as people save interviews they read
online: Chromium's PDF gives Kangxi radicals for common characters (⼈ for 人, ⻋ for 车),
prints the date, title, address and page number on every page, and wraps every paragraph.
Indexed with the real model and asked in Chinese and English.

Needs `apt-get install chromium fonts-noto-cjk` (the README's setup installs both).
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

import rag
from index.config import Config
from index.formats import read

pytestmark = pytest.mark.real

CHROMIUM = "/usr/bin/chromium"
SOURCE = Path(__file__).resolve().parents[2] / "data" / "transcripts" / (
    "karpathy-no-priors-2024_zh-hans_huxiu.txt"
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list]:
    """The bundled Simplified transcript as a web page, printed to PDF by Chromium."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    turns = [s for s in read(SOURCE.name, SOURCE.read_bytes()).segments if s.kind == "speech"]
    body = "\n".join(f"<p><b>{html.escape(s.speaker)}：</b>{html.escape(s.text)}</p>" for s in turns)
    folder = tmp_path_factory.mktemp("pdf")
    page = folder / "karpathy.html"
    page.write_text(
        f'<html><head><meta charset="utf-8"><title>Karpathy 访谈</title></head><body>{body}</body></html>',
        encoding="utf-8",
    )
    pdf = folder / "karpathy-printed.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", str(page)],
        check=True, capture_output=True, timeout=120,
    )
    return pdf, turns


def test_every_turn_comes_back_whole_without_the_page_chrome(printed):
    pdf, turns = printed
    parsed = read(pdf.name, pdf.read_bytes())
    speech = [s for s in parsed.segments if s.kind == "speech"]
    assert [s.speaker for s in speech] == [s.speaker for s in turns]
    assert [_squash(s.text) for s in speech] == [_squash(s.text) for s in turns]
    assert parsed.dropped["page headers, footers and numbers"] > 0
    assert not [s.text for s in parsed.segments if "file://" in s.text or "PM" in s.text]


def test_the_printed_pdf_answers_with_citations(printed, rag_home, e5, glossary):
    pdf, _ = printed
    corpus = rag.open(Config.from_env(), embedder=e5, glossary=glossary)
    report = corpus.ingest([pdf])
    assert (report.documents, report.problems) == (1, [])
    for question in ("Karpathy 认为人形机器人最早会用在什么场景?", "Who should buy the first humanoid robots?"):
        hits = corpus.retrieve(question, k=5)
        best = next(c for c in hits if "第一批客户就是公司自己" in c.text)
        assert best.speaker == "Karpathy" and best.source == pdf.name
    answer = corpus.ask("Karpathy 在自动驾驶领域工作了多少年?")
    assert not answer.abstained and "五年" in answer.text
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert numbers and numbers <= {c.n for c in answer.citations}
