"""The chat's rendering helpers: untrusted passage text stays inert, quotes are highlighted."""

import re

import pytest
from markdown_it import MarkdownIt

from rag import Answer, Citation, NoIndexError
from rag.types import Passage
from ui.app import error_text, highlight, inert, plain_reply, render_answer, render_sources, reply

PAYLOAD = (
    "Before <script>alert(1)</script> then <img src=x onerror=alert(1)> "
    "and ![x](http://127.0.0.1:9/x.png) and [click](javascript:alert(1)) and http://127.0.0.1:9/y"
)
# The markdown a chat client might use: CommonMark with raw HTML allowed, plus GFM extras.
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def citation(n=1, text="第一句话。第二句话。", quote=(), **kw) -> Citation:
    fields = dict(speaker="Andrej Karpathy", source="talk_zh-hans.txt", turn=3, score=0.9)
    fields.update(kw)
    return Citation(n=n, text=text, quote=quote, **fields)


def answer(text="第二句话。[1]", citations=None, abstained=False) -> Answer:
    return Answer(
        "问题?",
        text,
        [citation(quote=("第二句话。",))] if citations is None else citations,
        abstained,
    )


SAFE_TAGS = {"p", "br", "b", "i", "div", "blockquote", "mark", "small", "code"}


def assert_inert(html: str) -> None:
    """No tag, image, link or script can come out of the text, as HTML or read as markdown."""
    assert "![" not in html and "](" not in html and "<script" not in html, html
    for out in (html, MD.render(html)):
        assert set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", out)) <= SAFE_TAGS, out
        assert not re.search(r"<[^>]*onerror", out), out


def test_inert_escapes_html_and_markdown():
    out = inert(PAYLOAD)
    assert_inert(out)
    assert "&lt;script&gt;" in out
    assert "<" not in out.replace("<br>", "")
    assert inert("a\nb\r\nc") == "a<br>b<br>c"
    assert "&#33;&#91;x&#93;&#40;http&#58;" in out


def test_sources_render_passage_speaker_question_as_text():
    c = citation(
        text=PAYLOAD + "\n\n# heading\n- item",
        speaker="Eve <b>x</b>",
        source="evil](http://127.0.0.1:9/).txt",
        question="Why ![q](http://127.0.0.1:9/q.png)?",
        also=(Passage("id2", "other_<i>.txt", 7, "Eve", "..."),),
    )
    html = render_sources(answer(citations=[c]))
    assert_inert(html)
    assert "\n" not in html  # one raw-HTML block: markdown parses nothing inside it
    assert MD.render(html).strip() == html  # a raw-HTML block: passed through untouched
    assert "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;" in html
    assert "[1] Eve &lt;b&gt;x&lt;/b&gt;" in html
    assert "turn 3" in html and "Q: Why &#33;&#91;q&#93;" in html
    assert "Also in other&#95;&lt;i&gt;.txt, turn 7" in html


def test_quoted_sentences_are_highlighted():
    c = citation(
        text="不相干。数据\n才是瓶颈。<b>又一句</b>。", quote=("数据 才是瓶颈。", "<b>又一句</b>。")
    )
    assert highlight(c.text, c.quote) == (
        "不相干。<mark>数据<br>才是瓶颈。</mark><mark>&lt;b&gt;又一句&lt;/b&gt;。</mark>"
    )
    assert highlight("甲。乙。", ("丙。",)) == "甲。乙。"  # a quote not found marks nothing
    html = render_sources(answer())
    assert "第一句话。<mark>第二句话。</mark>" in html
    assert html.count("<mark>") == 1


def test_answer_keeps_markers_and_escapes_sentences():
    a = answer(
        text="见 ![x](http://127.0.0.1:9/x.png) 与 <img src=x>。[1] 另一句 [7]",
        citations=[citation()],
    )
    html = render_answer(a)
    assert_inert(html)
    assert "<b>[1]</b>" in html
    assert "[7]" not in html  # not a citation of this answer: escaped like any other text
    assert "&#91;7&#93;" in html


def test_abstained_answer_has_no_sources():
    a = Answer("天气?", "访谈中没有谈到这个问题,无法根据访谈内容回答。", [], True)
    assert render_sources(a) == ""
    messages = reply(a)
    assert len(messages) == 1
    assert "没有谈到" in messages[0].content
    assert not messages[0].metadata


def test_reply_is_answer_then_collapsed_sources():
    messages = reply(answer(citations=[citation(1), citation(2, text="另一段。")]))
    assert [m.role for m in messages] == ["assistant", "assistant"]
    assert "[1]" in messages[0].content
    assert messages[1].metadata["title"] == "Sources · 2 passages"
    assert messages[1].metadata["status"] == "done"  # collapsed until clicked
    assert len(re.findall(r'class="rag-source"', messages[1].content)) == 2


def test_plain_reply_names_speaker_and_document():
    text = plain_reply(answer(citations=[citation(question="什么问题?")]))
    assert text.startswith("第二句话。[1]")
    assert "[1] Andrej Karpathy — talk_zh-hans.txt, turn 3" in text
    assert "Q: 什么问题?" in text


@pytest.mark.parametrize(
    "error, expected",
    [
        (NoIndexError("/tmp/x"), "run <code>rag ingest</code> first"),
        (RuntimeError("boom <b>"), "Something went wrong"),
    ],
)
def test_error_text_is_one_readable_line(error, expected):
    text = error_text(error)
    assert expected in text
    assert "Traceback" not in text and "boom" not in text and "\n" not in text


def test_app_wiring_without_an_index(fake_model):
    """The app builds before any ingest; chat output is sanitized; /chat is the public API."""
    import gradio as gr

    from rag import Config
    from ui.app import CONCURRENCY, build_app

    demo = build_app(Config.from_env())
    chatbot = next(b for b in demo.blocks.values() if isinstance(b, gr.Chatbot))
    assert chatbot.sanitize_html is True and chatbot.allow_tags is False
    assert chatbot.latex_delimiters == []
    dropdowns = [b for b in demo.blocks.values() if isinstance(b, gr.Dropdown)]
    assert [(d.label, d.value, d.choices) for d in dropdowns] == [
        ("Speaker", "any", [("any", "any")]),
        ("Document", "any", [("any", "any")]),
    ]
    public = [f.api_name for f in demo.fns.values() if f.api_visibility == "public"]
    assert public == ["chat"]
    assert demo._queue.default_concurrency_limit == CONCURRENCY > 1
