"""The chat's rendering and its library side, without a browser (and without importing Gradio):
untrusted text stays inert, [n] markers become citation buttons, the evidence panel shows the
turns around a passage with its time, uploads are checked, named safely and reported per file."""

import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import rag
from rag import Answer, Citation, NoIndexError, Passage
from rag.generate import GenSentence
from rag.render import quote_markdown
from tests.fakes import HashingEmbedder
from ui.library import FileRow, Library, is_speaker_map, safe_name
from ui.render import (
    error_text,
    highlight,
    inert,
    media_link,
    parse_cite,
    render_answer,
    render_draft,
    render_evidence,
    render_ingest,
    render_library,
    render_sources,
    render_who_said,
    reply,
)
from ui.stream import Streamed

PAYLOAD = (
    "Before <script>alert(1)</script> then <img src=x onerror=alert(1)> "
    "and ![x](http://127.0.0.1:9/x.png) and [click](javascript:alert(1)) and http://127.0.0.1:9/y"
)
# The markdown a chat client might use: CommonMark with raw HTML allowed, plus GFM extras.
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
SAFE_TAGS = {
    "p", "br", "b", "i", "div", "blockquote", "mark", "small", "code", "span", "button",
    "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def passage(turn=3, piece=1, text="第一句话。第二句话。", **kw) -> Passage:
    fields = dict(source="talk_zh-hans.txt", speaker="Andrej Karpathy", role="guest")
    fields.update(kw)
    pid = f"{fields['source']}#t{turn}p{piece}"
    return Passage(id=pid, turn=turn, piece=piece, text=text, **fields)


def citation(n=1, quote=(), score=0.9, **kw) -> Citation:
    return Citation(n, passage(**kw), score, tuple(quote))


def answer(text="第二句话。[1]", citations=None, **kw) -> Answer:
    cites = [citation(quote=("第二句话。",))] if citations is None else citations
    return Answer("问题?", text, cites, **kw)


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


def test_sources_render_passage_speaker_question_and_time_as_text():
    c = citation(
        text=PAYLOAD + "\n\n# heading\n- item",
        speaker="Eve <b>x</b>",
        source="evil](http://127.0.0.1:9/).txt",
        question="Why ![q](http://127.0.0.1:9/q.png)?",
        start=754.6,
    )
    c = replace(c, passage=replace(c.passage, versions=(passage(7, source="other_<i>.txt"),)))
    html = render_sources([c], 0)
    assert_inert(html)
    assert "\n" not in html  # one raw-HTML block: markdown parses nothing inside it
    assert MD.render(html).strip() == html  # a raw-HTML block: passed through untouched
    assert "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;" in html
    assert "<b>Eve &lt;b&gt;x&lt;/b&gt;</b> · evil&#93;&#40;http" in html
    assert 'turn 3 · <span class="rag-time">[12:34]</span>' in html
    assert "Q: Why &#33;&#91;q&#93;" in html
    assert "Also in other&#95;&lt;i&gt;.txt, turn 7" in html
    assert 'class="rag-cite rag-a0 rag-n1" value="0:1"' in html


def test_quoted_sentences_are_highlighted():
    c = citation(
        text="不相干。数据\n才是瓶颈。<b>又一句</b>。", quote=("数据 才是瓶颈。", "<b>又一句</b>。")
    )
    assert highlight(c.text, c.quote) == (
        "不相干。<mark>数据<br>才是瓶颈。</mark><mark>&lt;b&gt;又一句&lt;/b&gt;。</mark>"
    )
    assert highlight("甲。乙。", ("丙。",)) == "甲。乙。"  # a quote not found marks nothing
    html = render_sources(answer().citations, 0)
    assert "第一句话。<mark>第二句话。</mark>" in html
    assert html.count("<mark>") == 1


def test_a_sentence_quoted_from_another_write_up_is_marked_there_and_attributed_to_it():
    """Sentences an answer took from the other write-up of a passage were marked nowhere (that
    version stayed folded) and the Markdown quote gave them the first write-up's name."""
    other = Passage("b.txt#t32p1", "b.txt", "Andrej Karpathy", "guest", 32, 1, "合成數據有風險。學生只有 20 人。")
    c = citation(text="合成数据很重要。", quote=("合成数据很重要。", "學生只有 20 人。"), versions=(other,))
    html = render_evidence(c, [c.passage])
    assert '<details class="rag-also" open>' in html and "<mark>學生只有 20 人。</mark>" in html
    assert "<mark>合成數據有風險。" not in html
    md = quote_markdown(c)
    assert md.endswith("> 學生只有 20 人。\n\n— Andrej Karpathy, b.txt")
    assert "> 合成数据很重要。\n\n— " in md and "學生" not in md.split("\n\n")[0]
    unquoted = citation(text="合成数据很重要。", quote=("合成数据很重要。",), versions=(other,))
    assert "<details class=\"rag-also\">" in render_evidence(unquoted, [unquoted.passage])


def test_a_quote_from_the_turns_other_language_is_shown_and_marked():
    """An English answer quoted from a translated turn's original: the source shows that
    version with the quote marked, then the document's own text; the evidence marks it too."""
    c = citation(
        text="青蛙产很多卵。", alt="Frogs lay <lots> of eggs.", quote=("Frogs lay <lots> of eggs.",)
    )
    html = render_sources([c], 0)
    assert "<mark>Frogs lay &lt;lots&gt; of eggs.</mark>" in html and "青蛙产很多卵。" in html
    assert html.index("<mark>") < html.index("青蛙产很多卵。")
    assert_inert(html)
    assert "<mark>Frogs lay &lt;lots&gt; of eggs.</mark>" in render_evidence(c, [c.passage])


def test_answer_markers_are_citation_buttons_and_time_is_small_print():
    a = answer(
        text="见 ![x](http://127.0.0.1:9/x.png) 与 <img src=x>。[1] 另一句 [7]",
        citations=[citation()],
        seconds=0.0561,
        standalone="问题? Waymo?",
    )
    html = render_answer(a, 4)
    assert_inert(html)
    assert "\n" not in html
    assert '<button type="button" class="rag-cite rag-a4 rag-n1" value="4:1"' in html
    assert ">[1]</button>" in html
    assert "[7]" not in html and "&#91;7&#93;" in html  # not a citation of this answer
    assert '<small class="rag-meta">answered in 56 ms · read as “问题? Waymo?”</small>' in html
    assert parse_cite("4:1") == (4, 1)
    assert parse_cite("4:1 or 5") is None and parse_cite({"x": 1}) is None


def test_abstained_answer_shows_closest_passages_as_not_an_answer():
    a = Answer("天气?", "访谈中没有谈到这个问题。", [], True)
    messages = reply(a, 0)
    assert len(messages) == 1 and "没有谈到" in messages[0]["content"]
    assert "metadata" not in messages[0]
    related = Answer("哪一年?", "访谈中没有谈到这个问题。", [], True, [citation(2)])
    messages = reply(related, 1)
    assert messages[1]["metadata"]["title"] == "Closest passages, not an answer · 1"
    assert 'value="1:2"' in messages[1]["content"]


def test_reply_is_answer_then_collapsed_sources():
    messages = reply(answer(citations=[citation(1), citation(2, text="另一段。")]), 0)
    assert [m["role"] for m in messages] == ["assistant", "assistant"]
    assert "[1]" in messages[0]["content"]
    assert messages[1]["metadata"] == {"title": "Sources · 2 passages, 0 quoted", "status": "done"}
    quoted = reply(answer(citations=[citation(1, quote=("第二句话。",)), citation(2, text="另一段。")]), 0)
    assert quoted[1]["metadata"]["title"] == "Sources · 2 passages, 1 quoted"
    every = reply(answer(citations=[citation(1, quote=("第二句话。",))]), 0)
    assert every[1]["metadata"]["title"] == "Sources · 1 passage"
    assert len(re.findall(r'class="rag-source"', messages[1]["content"])) == 2


def test_composed_answer_says_so_and_sources_carry_the_models_translation():
    kept = (GenSentence("The second sentence. [1]", (1,), True),)
    composed = answer(text="The second sentence. [1]", mode="compose", sentences=kept,
                      translations={1: f"Second sentence {PAYLOAD}"})  # fmt: skip
    messages = reply(composed, 0)
    assert "written by the language model from the quotes" in messages[0]["content"]
    assert ">[1]</button>" in messages[0]["content"]
    sources = messages[1]["content"]
    assert "Translated by the language model:</small> Second sentence" in sources
    assert_inert(sources)

    dropped = (GenSentence("Karpathy worked there for twelve years. [1]", (1,), False, "12"),)
    fell_back = answer(sentences=dropped)  # composing was asked for; the quote stayed
    html = render_answer(fell_back, 0)
    assert "quoted: the model's sentences were not supported by the passages" in html
    assert "written by the language model" not in render_answer(answer(), 0)
    assert "quoted:" not in render_answer(answer(), 0)


def test_quotes_in_another_language_than_the_question_say_so():
    english = replace(answer(), question="What is the second sentence?")
    assert "quoted in Chinese, as the transcript is; an answer in English needs a language model, " \
           "which whoever runs this chat can add" in render_answer(english, 0)
    assert "RAG_LLM" not in render_answer(english, 0)  # (a setting means nothing to a reader)
    assert "transcript is; pick Compose for an answer in English" in render_answer(english, 0, True)
    assert "quoted in" not in render_answer(answer(), 0)  # a Chinese question: nothing to say


def test_translated_answer_says_so_and_a_withheld_translation_says_why():
    dropped = (GenSentence("It costs 30,000 dollars. [1]", (1,), False, "30000"),)
    translated = answer(text=f"Ann Lee (translated): It is dear {PAYLOAD} [1]", mode="translate",
                        sentences=dropped, translations={1: f"It is dear {PAYLOAD}"},
                        withheld={2: "the translation says 30000, which the passage does not"},
                        citations=[citation(1), citation(2, text="另一段。")])  # fmt: skip
    messages = reply(translated, 0)
    assert "the quotes, translated by the language model" in messages[0]["content"]
    assert ">[1]</button>" in messages[0]["content"]
    assert "Translation withheld: the translation says 30000" in messages[1]["content"]
    for m in messages:
        assert_inert(m["content"])


def test_a_draft_is_inert_text_marked_as_being_written():
    html = render_draft(PAYLOAD + " [1]")
    assert_inert(html)
    assert "rag-draft" in html and "writing…" in html and "rag-cite" not in html


def test_streamed_yields_drafts_then_holds_the_result():
    def work(say):
        for piece in ("Tesla ", "has a ", "software problem."):
            say(piece)
        return "answer"

    run = Streamed(work, every=0)
    assert list(run) == ["Tesla ", "Tesla has a ", "Tesla has a software problem."]
    assert run.result == "answer"

    slow = Streamed(work, every=3600)  # the first piece shows at once, the rest wait
    assert list(slow) == ["Tesla "] and slow.result == "answer"

    def broken(say):
        say("Half a sentence")
        raise rag.BadInputError("the question is empty")

    failing = Streamed(broken, every=0)
    drafts = []
    with pytest.raises(rag.BadInputError, match="empty"):
        for d in failing:
            drafts.append(d)
    assert drafts == ["Half a sentence"] and failing.result is None


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


def test_evidence_shows_turns_around_the_passage_with_its_time_and_versions():
    host = passage(
        2, text="你觉得 <b>第一个</b> 应用是什么?", speaker="Sarah Guo", role="host", start=60.0
    )
    cited = passage(3, 2, "工厂。仓库。", question=host.text, start=754.0)
    context = [
        host,
        passage(3, 1, "先说背景。", start=70.0),
        cited,
        passage(4, text="明白了。", speaker="Sarah Guo", role="host", start=800.0),
    ]
    c = Citation(
        1, replace(cited, versions=(passage(14, 3, "工廠。", source="tw.txt"),)), 0.9, ("仓库。",)
    )
    html = render_evidence(c, context, "https://example.org/ep1.mp3", "第一个应用?")
    assert_inert(html.replace('<a class="rag-time" href="https://example.org/ep1.mp3#t=754"', "<b"))
    assert '<a class="rag-time" href="https://example.org/ep1.mp3#t=754"' in html
    assert ">[12:34]</a>" in html
    turns = re.findall(r'<div class="rag-turn (rag-\w+)"><div class="rag-who">([^<]*)', html)
    assert turns == [
        ("rag-around", "Sarah Guo (host) · turn 2 · [01:00]"),
        ("rag-cited", "Andrej Karpathy (guest) · turn 3 · [01:10]"),
        ("rag-around", "Sarah Guo (host) · turn 4 · [13:20]"),
    ]
    assert '<div class="rag-piece rag-this">工厂。<mark>仓库。</mark></div>' in html
    assert "你觉得 &lt;b&gt;第一个&lt;/b&gt;" in html
    assert "Q: " not in html  # the host's question is the turn shown before it
    assert "<summary>Also in tw.txt, turn 14</summary><div>工廠。</div>" in html
    # no media named, or one that is not an http(s) address: the time is plain text
    assert "<a " not in render_evidence(c, context, None)
    assert media_link('javascript:alert(1)//"', 3) is None
    assert media_link('https://x.org/a"onmouseover=alert(1).mp3', 3) is None
    assert media_link("https://x.org/a.mp3#t=5", 9.9) == "https://x.org/a.mp3#t=9"


def test_library_who_said_and_upload_report_are_inert():
    sources = [
        rag.SourceInfo(
            "<img src=x onerror=alert(1)>.txt", 12, ("A <b>", "No Priors"), ("No Priors",), 754.0
        )
    ]
    html = render_library(sources)
    assert_inert(html)
    assert "1 document, 12 passages" in html and "No Priors <small>(host)</small>" in html
    assert ">12:34<" in html
    assert "Nothing is indexed" in render_library([])
    rows = [
        ("doc.vtt", "Devon", [citation(text="![x](y) said", start=61.0)]),
        ("doc.vtt", "Mark", []),
    ]
    html = render_who_said("<zoning>", rows)
    assert_inert(html)
    assert "“&lt;zoning&gt;”: 1 of 2 speakers spoke to it" in html
    assert "turn 3 [01:01]</small> &#33;&#91;x&#93;&#40;y&#41; said" in html
    assert 'Mark</td><td><span class="rag-silent">— did not speak to it' in html
    html = render_ingest([FileRow("<b>.txt", "error", notes=["line 5: ![x](y)"])])
    assert_inert(html)
    assert "line 5&#58; &#33;&#91;x" in html


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../x.txt", "x.txt"),
        ("..\\..\\win.srt", "win.srt"),
        ("/etc/passwd", "passwd"),
        ("a\x00b\u202e.txt", "a b .txt"),
        ("访谈：第一集.md", "访谈：第一集.md"),
        ("🎙️ talk?.vtt", "🎙️ talk_.vtt"),
        ("x" * 300 + ".docx", "x" * 145 + ".docx"),
        ("..", None),
        ("", None),
        (" . ", None),
    ],
)
def test_upload_names_stay_inside_the_folder(name, safe):
    assert safe_name(name) == safe


def test_speaker_maps_are_recognised():
    assert is_speaker_map("talk.vtt.speakers.yaml") and is_speaker_map("talk.speakers.json")
    assert not is_speaker_map("talk.json") and not is_speaker_map("speakers.txt")


GOOD_MD = """---
title: Episode 1
media: https://example.org/ep1.mp3
---
**Ann (00:01:05):** Welcome. What do zebras eat?

**Bob (00:12:34):** Zebras eat grass, mostly, and some leaves in the dry season.
"""
NO_LABELS = "Just a note without any speaker.\n\nA second paragraph of it.\n"
BAD_SRT = "1\n00:00:01,000 --> 00:00:02,000\nAnn: hi\n\n2\n00:00:0x,000 --> zz\nBob: yo\n"
DIARIZED = "SPEAKER_00: Where were you born?\nSPEAKER_01: In a small fishing town on the coast.\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_upload_checks_saves_and_reports_each_file(corpus, tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    small = rag.open(
        replace(corpus.config, max_file_bytes=400),
        embedder=corpus.embedder,
        glossary=corpus.glossary,
    )
    library = Library(small)
    files = [
        ("ep1.md", write(incoming, "a", GOOD_MD)),
        ("note.txt", write(incoming, "b", NO_LABELS)),
        ("slides.key", write(incoming, "c", b"PK\x03\x04")),
        ("episode.m4a", write(incoming, "g", b"\x00\x00\x00\x20ftypM4A ")),
        ("big.txt", write(incoming, "d", "A: " + "word " * 100)),
        ("bad.srt", write(incoming, "e", BAD_SRT)),
        ("../../escape.txt", write(incoming, "f", "Host: Why?\nGuest: Because it is raining.\n")),
    ]
    steps = []
    rows = library.add(files, progress=lambda done, total, name: steps.append((done, total, name)))
    got = {r.name: r for r in rows}
    assert [r.name for r in rows] == [
        "ep1.md",
        "note.txt",
        "slides.key",
        "episode.m4a",
        "big.txt",
        "bad.srt",
        "escape.txt",
    ]
    assert (got["ep1.md"].status, got["ep1.md"].passages, got["ep1.md"].speakers) == (
        "ok",
        2,
        ["Ann", "Bob"],
    )
    assert got["note.txt"].status == "warn" and got["note.txt"].notes == ["no speaker labels found"]
    assert (
        got["slides.key"].status == "error"
        and "unsupported file type '.key'" in got["slides.key"].notes[0]
    )
    assert got["episode.m4a"].notes == [
        ".m4a is audio or video, not a transcript: transcribe it first (Whisper, for one, writes "
        ".vtt, .srt and .json) and add the transcript"
    ]
    assert got["big.txt"].notes == [
        "the file is 503 bytes; the limit is 400 bytes (RAG_MAX_FILE_MB)"
    ]
    assert got["bad.srt"].notes == [
        "line 6: bad caption timing '00:00:0x,000 --> zz' (expected 00:00:01,000 --> 00:00:02,000)"
    ]  # no server path in it
    assert got["escape.txt"].status == "ok"
    assert steps[0] == (0, 4, "ep1.md") and steps[-1] == (4, 4, "done")
    # indexed, and kept in RAG_HOME/uploads/ only when indexed; nothing written outside it
    assert sorted(s.name for s in library.sources()) == ["ep1.md", "escape.txt", "note.txt"]
    kept = sorted(p.name for p in library.folder.iterdir() if not p.name.startswith("."))
    assert kept == ["ep1.md", "escape.txt", "media.json", "note.txt"]
    assert (
        not (tmp_path / "escape.txt").exists() and not (corpus.config.home / "escape.txt").exists()
    )
    assert library.media("ep1.md") == "https://example.org/ep1.mp3"
    # the same file again is unchanged; a new version replaces the old one
    again = library.add([("ep1.md", files[0][1])])[0]
    assert again.notes == ["unchanged: already indexed"]
    held = next(s for s in library.sources() if s.name == "ep1.md")  # (its row was blank)
    assert (again.passages, again.speakers) == (held.passages, list(held.speakers)) and held.passages
    newer = write(incoming, "g", GOOD_MD.replace("grass", "tall grass"))
    assert library.add([("ep1.md", newer)])[0].notes == ["replaced the indexed version"]
    # a broken re-upload leaves the indexed version and its copy alone
    assert library.add([("ep1.md", write(incoming, "h", " \n"))])[0].status == "error"
    assert "tall grass" in (library.folder / "ep1.md").read_text()


def test_speaker_map_rename_and_merge_persist_and_remove_drops_the_copy(corpus, tmp_path):
    library = Library(corpus)
    talk = write(tmp_path, "talk.txt", DIARIZED)
    assert library.add([("talk.txt", talk)])[0].speakers == ["SPEAKER_00", "SPEAKER_01"]
    speaker_map = write(tmp_path, "m.yaml", "SPEAKER_00: Ann\nSPEAKER_01: Bob\n")
    rows = library.add([("talk.txt.speakers.yaml", speaker_map)])
    assert [(r.name, r.notes) for r in rows] == [
        ("talk.txt.speakers.yaml", ["speaker map for talk.txt"]),
        ("talk.txt", ["replaced the indexed version"]),
    ]
    assert rows[1].speakers == ["Ann", "Bob"]
    assert (
        library.rename("talk.txt", "Ann", "Ann Lee")
        == "Renamed Ann to Ann Lee in talk.txt (1 passages)."
    )
    assert (
        library.rename("talk.txt", "Bob", "Ann Lee")
        == "Merged Bob into Ann Lee in talk.txt (1 passages)."
    )
    assert library.sources()[0].speakers == ("Ann Lee",)
    with pytest.raises(rag.BadInputError, match="no speaker 'Nobody'"):
        library.rename("talk.txt", "Nobody", "X")
    # kept when the document comes in again
    library.add([("talk.txt", write(tmp_path, "v2", DIARIZED + "SPEAKER_01: And a lighthouse.\n"))])
    assert library.sources()[0].speakers == ("Ann Lee",)
    # ... and by a rebuild (an upgrade's advice), which reads the upload from where it is
    # kept, not from the staging folder it was indexed from (gone: the upload was lost)
    assert corpus.ingest(rebuild=True).added == ["talk.txt"]
    assert library.sources()[0].speakers == ("Ann Lee",)
    assert library.remove("talk.txt") == "Removed talk.txt: 0 documents, 0 passages left."
    assert not (library.folder / "talk.txt").exists() and library.sources() == []
    with pytest.raises(rag.BadInputError, match="not in the index"):
        library.remove("talk.txt")


def test_concurrent_uploads_are_all_indexed(corpus, tmp_path):
    """Uploads from several sessions at once: each is indexed, none lost to a race on the index."""
    libraries = [Library(corpus), Library(corpus), Library(corpus)]  # as separate app processes
    paths = [
        write(tmp_path, f"t{i}.txt", f"Host: Question {i}?\nGuest: Answer number {i} is here.\n")
        for i in range(6)
    ]
    results, errors = {}, []

    def upload(i):
        try:
            results[i] = libraries[i % 3].add([(f"talk-{i}.txt", paths[i]), ("same.txt", paths[i])])
        except Exception as e:  # pragma: no cover - shown by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    # (same.txt holds the text of a talk-i.txt: indexed, with a warning that says so)
    assert all(r.status == "ok" or (r.status == "warn" and any("the same text as" in n for n in r.notes))
               for rows in results.values() for r in rows)
    names = sorted(s.name for s in libraries[0].sources())
    assert names == ["same.txt", *(f"talk-{i}.txt" for i in range(6))]
    assert not [p for p in libraries[0].folder.iterdir() if p.name.startswith(".incoming")]


def test_upload_then_ask_then_open_in_context(corpus, tmp_path):
    library = Library(corpus)
    library.add([("ep1.md", write(tmp_path, "ep1.md", GOOD_MD))])
    a = corpus.ask("What do zebras eat?")
    (c,) = [c for c in a.citations if c.speaker == "Bob"]
    html = render_evidence(c, corpus.context(c.id), library.media(c.source), a.question)
    assert '<a class="rag-time" href="https://example.org/ep1.mp3#t=754"' in html
    assert "Ann (host) · turn 1 · [01:05]" in html and "What do zebras eat?" in html


def test_a_corpus_without_uploads_lists_nothing(tmp_path, glossary):
    library = Library(
        rag.open(rag.Config(home=tmp_path / "h"), embedder=HashingEmbedder(), glossary=glossary)
    )
    assert library.sources() == [] and library.media("x") is None


def test_a_long_question_heads_the_evidence_in_a_few_words():
    """A 1,400-character question was echoed whole above the passage, pushing it out of view."""
    c = citation(text="合成数据很重要。")
    html = render_evidence(c, [c.passage], question="Why " + "really " * 200 + "?")
    asked = html.split('class="rag-ev-asked"')[1].split("</small>")[0]
    assert len(asked) < 200 and "…" in asked
    assert "Answer to “Why is it?”" in render_evidence(c, [c.passage], question="Why is it?")


def test_an_upload_beside_the_bundled_sample_says_answers_may_quote_it(bundled, tmp_path):
    """A researcher's own interviews uploaded into the chat: the bundled Karpathy interview
    stayed indexed, answers quoted it, and nothing said so."""
    from ui.handlers import Handlers

    h = Handlers(bundled)
    report = h.add_files([str(write(tmp_path, "P05.txt", "Host: Where?\nGuest: At home, mostly.\n"))])[0]
    assert "sample interview" in report and "remove it under Library" in report, report
    for name in h.samples():
        bundled.remove(name)
    again = h.add_files([str(write(tmp_path, "P06.txt", "Host: When?\nGuest: In May, after exams.\n"))])[0]
    assert "sample interview" not in again


def test_the_new_name_picker_offers_other_documents_speakers(bundled, tmp_path):
    """Merging "Andrej" of one interview into "Andrej Karpathy" of another meant typing the
    name: the picker offered only the document's own speakers."""
    from ui.handlers import Handlers

    h = Handlers(bundled)
    h.add_files([str(write(tmp_path, "P07.txt", "Host: Where?\nAndrej: At home, mostly.\n"))])
    old, new = h.speakers_of("P07.txt")
    own, names = ([c[0] if isinstance(c, tuple) else c for c in x["choices"]] for x in (old, new))
    assert "Andrej" in own and names[: len(own)] == own, names
    assert "Andrej Karpathy" in names[len(own):], names


def test_an_empty_topic_is_named_as_a_topic_in_the_chat_and_the_api(bundled):
    """Who said what about nothing: the chat and `Corpus.who_said` both say the topic is empty
    (the API had said "the question is empty")."""
    from rag import BadInputError
    from ui.handlers import Handlers

    assert "the topic is empty" in Handlers(bundled).who_said("  ")
    with pytest.raises(BadInputError, match="the topic is empty"):
        bundled.who_said(" ")
