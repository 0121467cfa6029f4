"""Transcript formats: each parser on tiny strings, exact segments; detection; bad input."""

from __future__ import annotations

import io
import json
import random
import re
import time
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from index.chunk import chunk_turns, passage_sentences
from index.formats import (
    FORMATS,
    SUFFIXES,
    asr_json,
    ass,
    chat,
    decode,
    detect,
    markdown,
    plain,
    read,
    sbv,
    subrip,
    table,
    timestamped,
    ttml,
    vtt,
    webpage,
    word,
)
from index.formats.base import FormatError, Parsed, Segment
from index.formats.lines import join
from index.turns import build_turns

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "data" / "transcripts"
HANS = TRANSCRIPTS / "karpathy-no-priors-2024_zh-hans_huxiu.txt"
HANT = TRANSCRIPTS / "karpathy-no-priors-2024_zh-hant_tencent.txt"


def rows(parsed: Parsed) -> list[tuple]:
    """(kind, speaker, start, end, text, alt) of every segment, for exact comparisons."""
    return [(s.kind, s.speaker, s.start, s.end, s.text, s.alt) for s in parsed.segments]


def said(parsed: Parsed) -> list[tuple]:
    """(speaker, text) of the speech segments."""
    return [(s.speaker, s.text) for s in parsed.segments if s.kind == "speech"]


def context(parsed: Parsed) -> list[str]:
    return [s.text for s in parsed.segments if s.kind == "context"]


def docx_bytes(*paragraphs: tuple[str, ...], heading: str | None = None) -> bytes:
    """A .docx whose paragraphs are made of runs; a run in `**…**` is bold."""
    d = docx.Document()
    if heading:
        d.add_heading(heading, 1)
    for runs in paragraphs:
        p = d.add_paragraph()
        for run in runs:
            bold = run.startswith("**") and run.endswith("**")
            p.add_run(run.strip("*") if bold else run).bold = bold
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- the registry ------------------------------------------------------------------------------


def test_every_format_is_found_and_keeps_the_contract():
    assert sorted(FORMATS) == [
        "ass", "chat", "csv", "docx", "elan", "html", "json", "markdown", "pdf", "plain", "sbv", "srt", "timedtext",
        "timestamped", "ttml", "vtt",
    ]
    assert {
        ".txt", ".md", ".markdown", ".vtt", ".srt", ".json", ".docx", ".ass", ".ssa", ".pdf",
        ".html", ".htm", ".sbv", ".ttml", ".dfxp", ".xml", ".srv1", ".srv2", ".srv3", ".rst",
    } <= SUFFIXES
    for name, module in FORMATS.items():
        assert module.NAME == name
        assert module.SUFFIXES and all(s.startswith(".") for s in module.SUFFIXES)
        assert callable(module.sniff)
        assert callable(getattr(module, "parse", None) or module.parse_bytes)


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, text, fmt",
    [
        ("a.txt", None, "plain"),
        ("a.md", None, "markdown"),
        ("a.markdown", None, "markdown"),
        ("a.vtt", None, "vtt"),
        ("a.srt", None, "srt"),
        ("a.sbv", None, "sbv"),
        ("a.ttml", None, "ttml"),
        ("a.dfxp", None, "ttml"),
        ("a.srv3", None, "timedtext"),
        ("a.rst", None, "markdown"),
        ("a.xml", '<?xml version="1.0" encoding="utf-8" ?><transcript><text start="0">Hi</text></transcript>',
         "timedtext"),
        ("a.txt", '<timedtext format="3"><body><p t="0" d="900">Hi</p></body></timedtext>', "timedtext"),
        ("a.txt", '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p>Hi</p></div></body></tt>', "ttml"),
        ("a.txt", "0:00:01.000,0:00:02.000\nHi\n\n0:00:03.000,0:00:04.000\nBye\n", "sbv"),
        ("a.json", None, "json"),
        ("a.docx", None, "docx"),
        ("a.TXT", "Ann: Hi.\nBob: Hello.", "plain"),
        ("a.txt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n", "srt"),
        ("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", "vtt"),
        ("a.txt", "Ann (00:01:02):\nHi.\nBob (00:01:05):\nHello.", "timestamped"),
        ("a.txt", "Sarah Guo  0:03\nHi.\n\nElad Gil  0:07\nHello.", "timestamped"),
        ("a.txt", "[00:00:01] Ann: Hi.\n[00:00:03] Bob: Hello.", "timestamped"),
        ("a.txt", "**Ann:** Hi.\n**Bob:** Hello.", "markdown"),
        ("a.txt", '{"segments": [{"start": 0, "end": 1, "text": "Hi"}]}', "json"),
        ("a.md", "**Ann:** Hi.\n**Bob:** Hello.", "markdown"),
        ("a.md", "Ann: Hi.\nBob: Hello.", "markdown"),
        ("a.md", "Ann (00:01:02): Hi.", "markdown"),
        ("a.md", "1\n00:00:01,000 --> 00:00:02,000\nHi\n", "srt"),
        ("a.json", "{broken", "json"),
        ("a.vtt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n", "srt"),
        ("a.srt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi\n", "vtt"),
        ("notes", "Ann: Hi.\nBob: Hello.", "plain"),
        ("a.txt", "", "plain"),
    ],
)
def test_detect(filename, text, fmt):
    assert detect(filename, text) == fmt


def test_detect_refuses_an_unknown_suffix():
    with pytest.raises(ValueError, match=r"unsupported file type '\.key': use one of .*\.docx"):
        detect("a.key", "Ann: Hi.")
    with pytest.raises(ValueError, match=r"^an old Word file: save it as \.docx"):
        detect("interview.DOC")
    with pytest.raises(ValueError, match=r"^\.m4a is audio or video, not a transcript: transcribe"):
        detect("ep1.M4A")


# --- reading bytes -----------------------------------------------------------------------------


def test_read_decodes_bom_and_newlines():
    parsed = read("a.txt", "\ufeffAnn: Hello,\r\nfriend.\rBob: 好。".encode())
    assert said(parsed) == [("Ann", "Hello, friend."), ("Bob", "好。")]
    assert decode("A: hi".encode("utf-16")) == "A: hi"


@pytest.mark.parametrize(
    "name, data, encoding, expected",
    [
        (
            "talk.txt",
            "主持人：你认为人形机器人最早会用在什么场景？\n嘉宾：我觉得首先是工厂里的物料搬运。\n",
            ("gbk", "GB18030"),
            [("主持人", "你认为人形机器人最早会用在什么场景？"), ("嘉宾", "我觉得首先是工厂里的物料搬运。")],
        ),
        (
            "talk.txt",
            "主持人：你認為人形機器人最早會用在什麼場景？\n嘉賓：我覺得首先是工廠裡的物料搬運。\n",
            ("big5", "Big5"),
            [("主持人", "你認為人形機器人最早會用在什麼場景？"), ("嘉賓", "我覺得首先是工廠裡的物料搬運。")],
        ),
        (
            "talk.txt",
            "主持人：圍碁的規則寫在裏面嗎？\n嘉賓：寫了，恒常練習就好。\n",
            ("cp950", "Big5"),
            [("主持人", "圍碁的規則寫在裏面嗎？"), ("嘉賓", "寫了，恒常練習就好。")],
        ),
        (
            "talk.txt",
            "主持人：你覺得呢個政策點樣？\n嘉賓：我覺得佢哋做得唔錯，啲市民都好滿意嘅。\n",
            ("big5hkscs", "Big5-HKSCS"),
            [("主持人", "你覺得呢個政策點樣？"), ("嘉賓", "我覺得佢哋做得唔錯，啲市民都好滿意嘅。")],
        ),
        (
            "talk.srt",
            "1\n00:00:01,000 --> 00:00:03,000\nIt’s a café in Zürich — really.\n",
            ("cp1252", "Windows-1252"),
            [(None, "It’s a café in Zürich — really.")],
        ),
    ],
)
def test_read_takes_a_legacy_encoding_and_says_so(name, data, encoding, expected):
    """A GBK, Big5 or Windows-1252 file (Notepad's "ANSI", subtitle sites) is read, not
    refused, and the ingest report says how it was read."""
    codec, shown = encoding
    parsed = read(name, data.encode(codec))
    assert said(parsed) == expected
    assert parsed.warnings[0] == (
        f"not UTF-8: read as {shown}; if the text looks garbled, save the file as UTF-8"
    )
    assert read(name, data.encode()).warnings == []


def test_invisible_characters_are_read_out_of_captions_and_word_files():
    """Zero-width spaces and joiners a subtitle tool leaves inside words ("打击战\u200c\u200b场")
    split a word no search then finds and fill a passage with characters nobody sees."""
    zw = "\u200c\u200b\u200b" * 100
    srt = f"1\n00:00:01,000 --> 00:00:03,000\n我们就直接用来打击战{zw}场上的目标\n".encode()
    assert [s.text for s in read("talk.srt", srt).segments] == ["我们就直接用来打击战场上的目标"]
    document = docx.Document()
    document.add_paragraph("Ann\u200b: We co\u00adoperate with\u2060 the port.")
    buffer = io.BytesIO()
    document.save(buffer)
    assert said(read("talk.docx", buffer.getvalue())) == [("Ann", "We cooperate with the port.")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xff\xfe\x00", "not valid UTF-16"),
        (b"Ann: caf" + bytes(range(0x80, 0x100)), r"not UTF-8 text \(bad byte at offset 8\), nor GB18030"),
        (b"PK\x03\x04\x00\x00", "binary file"),
        (b"  \n ", "the file is empty"),
    ],
)
def test_read_refuses_what_is_not_text(data, message):
    with pytest.raises(ValueError, match=message) as e:
        read("a.txt", data)
    assert "\n" not in str(e.value)


def test_read_with_a_named_format():
    assert said(read("a.txt", b"Ann (00:00:01): Hi.", fmt="timestamped")) == [("Ann", "Hi.")]
    with pytest.raises(ValueError) as e:
        read("a.txt", b"Ann: Hi.", fmt="rtf")
    assert str(e.value) == (
        "unknown format 'rtf': use one of ass, chat, csv, docx, elan, html, json, markdown, pdf, plain, sbv, srt, "
        "timedtext, timestamped, ttml, vtt"
    )


def test_front_matter_becomes_meta():
    data = (
        b"---\ntitle: Karpathy on No Priors\ndate: 2024-09-10\nhosts: [Sarah Guo, Elad Gil]\n"
        b"guests:\n  - name: Andrej Karpathy\nvideo: https://youtu.be/hM_h0UA7upI\n---\n"
        b"**Sarah Guo:** Hi.\n"
    )
    parsed = read("ep.md", data)
    assert parsed.meta == {
        "title": "Karpathy on No Priors",
        "date": "2024-09-10",
        "hosts": ["Sarah Guo", "Elad Gil"],
        "guests": [{"name": "Andrej Karpathy"}],
        "video": "https://youtu.be/hM_h0UA7upI",
        "people": ["Sarah Guo", "Elad Gil", "Andrej Karpathy"],
        "media": "https://youtu.be/hM_h0UA7upI",
    }
    assert said(parsed) == [("Sarah Guo", "Hi.")]


def test_broken_front_matter_stays_text_with_a_warning():
    parsed = read("ep.txt", b"---\ntitle: [oops\n---\nAnn: Hi.\nBob: Hello.")
    assert parsed.meta == {}
    assert parsed.warnings[0].startswith("front matter could not be read (line ")
    assert said(parsed) == [("Ann", "Hi."), ("Bob", "Hello.")]


# --- joining lines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "left, right, joined",
    [
        ("I have faith.", "If it works", "I have faith. If it works"),
        ("我们已经在某种程度上", "融合了。", "我们已经在某种程度上融合了。"),
        ("是的,", "Tesla 领先。", "是的,Tesla 领先。"),
        ("well", "", "well"),
        ("", "好", "好"),
        ("数据。", "Data.", "数据。Data."),
    ],
)
def test_join(left, right, joined):
    assert join(left, right) == joined


# --- plain -------------------------------------------------------------------------------------


def test_plain_turns_labels_and_continuations():
    parsed = plain.parse(
        "Sarah Guo: How far along\nare we?\n"
        "Andrej Karpathy：I think close.\n\nVery close, really.\n"
        "Sarah Guo:Why?"
    )
    assert rows(parsed) == [
        ("speech", "Sarah Guo", None, None, "How far along are we?", None),
        ("speech", "Andrej Karpathy", None, None, "I think close.\nVery close, really.", None),
        ("speech", "Sarah Guo", None, None, "Why?", None),
    ]
    assert parsed.warnings == []


def test_plain_decides_speakers_from_the_whole_document():
    parsed = plain.parse(
        "主持人:你好吗?\n嘉宾甲乙丙:很好。\n主持人:为什么?\n嘉宾甲乙丙:因为。\n"
        "所以问题就是:如何扩大影响?\n主持人:好。\n嘉宾甲乙丙:是的。"
    )
    # `嘉宾甲乙丙` is no name but speaks three times; `所以问题就是` once, and stays in the turn
    assert said(parsed) == [
        ("主持人", "你好吗?"),
        ("嘉宾甲乙丙", "很好。"),
        ("主持人", "为什么?"),
        ("嘉宾甲乙丙", "因为。\n所以问题就是:如何扩大影响?"),
        ("主持人", "好。"),
        ("嘉宾甲乙丙", "是的。"),
    ]


def test_plain_names_with_accented_capitals_and_other_spellings_are_speakers():
    """`Émile Zola:` was no label (its words went to the speaker before), and `李明 (Li Ming):`
    looked like an editor's gloss (its words left the turns)."""
    accented = plain.parse("Anna Berg: Why dry farming?\nÉmile Zola: The aquifer dropped.\n"
                           "Anna Berg: Hard?\nJOSÉ ÁLVAREZ: Very.")
    assert said(accented) == [("Anna Berg", "Why dry farming?"), ("Émile Zola", "The aquifer dropped."),
                              ("Anna Berg", "Hard?"), ("JOSÉ ÁLVAREZ", "Very.")]
    aliased = plain.parse("Sarah Fox: Where is your factory?\n李明 (Li Ming): 在东莞。\n"
                          "Sarah Fox: How many workers?\n李明 (Li Ming)：三百个。")
    assert said(aliased) == [("Sarah Fox", "Where is your factory?"), ("李明 (Li Ming)", "在东莞。"),
                             ("Sarah Fox", "How many workers?"), ("李明 (Li Ming)", "三百个。")]


def test_captions_in_capitals_keep_their_opening_words():
    """">> WELCOME BACK. TONIGHT …" made a speaker "Welcome Back" and dropped the words."""
    parsed = subrip.parse(
        "1\n00:00:01,000 --> 00:00:04,000\n>> WELCOME BACK. TONIGHT WE ARE JOINED BY THE FIRE CHIEF.\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\n>> GOOD EVENING. HOW MANY ACRES HAVE BURNED?\n"
    )
    speech = [seg for seg in parsed.segments if seg.kind == "speech"]
    assert {seg.speaker for seg in speech} == {None}
    assert "WELCOME BACK." in speech[0].text and "GOOD EVENING." in speech[-1].text


def test_plain_names_on_lines_of_their_own_head_the_words_below():
    """A press or screenplay layout (`RACHEL KIM` above her paragraph) had no speakers: the
    turns ran together, unattributed, their names deleted."""
    parsed = plain.parse(
        "Transcript: Senator Alvarez on the harbor bill\n\nRACHEL KIM\n\nSenator, why now?\n\n"
        "SENATOR MIGUEL ALVAREZ\n\nThe harbor is silting up.\n\nRACHEL KIM\n\nWhen is the vote?\n\n"
        "SENATOR MIGUEL ALVAREZ\n\nBefore the summer recess.\n"
    )
    assert [speaker for speaker, _ in said(parsed)] == ["RACHEL KIM", "SENATOR MIGUEL ALVAREZ"] * 2
    assert said(parsed)[1][1] == "The harbor is silting up."
    chinese = plain.parse("主持人\n\n您养了多少箱蜜蜂？\n\n张伟\n\n一共七箱。\n\n主持人\n\n最难的是什么？\n\n张伟\n\n高温。\n")
    assert said(chinese) == [("主持人", "您养了多少箱蜜蜂？"), ("张伟", "一共七箱。"),
                             ("主持人", "最难的是什么？"), ("张伟", "高温。")]


def test_names_with_a_colon_alone_on_their_lines_head_the_words_below():
    """`Stephan Livera:` on a line of its own, the words in paragraphs below (a podcast's
    Markdown transcript): no speakers were found, the labels left in one long turn's text."""
    text = ("Stephan Livera:\n\nWelcome to the show. What did you do before?\n\nJane Doe:\n\n"
            "I was a police officer.\n\nI worked in forensics.\n\nStephan Livera:\n\nWhat does it cost?\n\n"
            "Jane Doe:\n\nAbout fifty dollars.\n")
    for parsed in (plain.parse(text), markdown.parse(text)):
        assert said(parsed) == [
            ("Stephan Livera", "Welcome to the show. What did you do before?"),
            ("Jane Doe", "I was a police officer.\nI worked in forensics."),
            ("Stephan Livera", "What does it cost?"), ("Jane Doe", "About fifty dollars."),
        ]
    # one such line, or a word that opens a sentence, is no speaker
    notes = plain.parse("Ann Lee: Hi?\nBo Chen: Yes.\nSummary:\nThey met.\nSummary:\nAgain.\nAnn Lee: Bye?\nBo Chen: Bye.")
    assert [speaker for speaker, _ in said(notes)] == ["Ann Lee", "Bo Chen", "Ann Lee", "Bo Chen"]


def test_what_the_room_did_in_chinese_parentheses_is_nobodys_words():
    """`> （有人舉手）` between turns was quoted as 蔡玉玲's words, and the floor's `（點頭）` (a
    nod) was the question heading 唐鳳's answer; `現場提問` (from the floor) was a person."""
    parsed = markdown.parse(
        "### 蔡玉玲：\n我可不可以看一下是誰問的？\n\n> （有人舉手）\n\n### 蔡玉玲：\n修好送到立法院了。\n\n"
        "### 主持人：\n還有其他問題嗎？\n\n### 現場提問：\n（點頭）\n\n### 唐鳳：\n小畫家畫的。\n"
    )
    assert "（有人舉手）" in context(parsed) and "（點頭）" in context(parsed)
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("蔡玉玲", ("我可不可以看一下是誰問的？", "修好送到立法院了。")), ("主持人", ("還有其他問題嗎？",)),
        ("唐鳳", ("小畫家畫的。",)),
    ]
    floor = build_turns(markdown.parse(
        "### 主持人：\n誰有問題？\n\n### 現場提問：\n怎麼申請補助？\n\n### 唐鳳：\n找中小企業處。\n\n"
        "### 主持人：\n還有嗎？\n\n### 現場提問：\n要多久？\n\n### 唐鳳：\n一個月。\n"
    ))[0]
    assert [(t.speaker, t.role) for t in floor] == [("主持人", "host"), (None, "host"), ("唐鳳", "guest")] * 2


def test_asterisked_actions_and_a_meeting_tools_last_line_are_no_speech():
    """`*sighs*` lost only its closing asterisk; Google Meet's `Meeting ended after 00:07:12`
    stayed in the last speaker's words."""
    parsed = plain.parse("Rosa Diaz: No, it's fine. *sighs* We made up.\nTim Ng: Good.\n"
                         "Rosa Diaz: It opened in 2019. *laughs* We sold out.\nMeeting ended after 00:07:12 👋\n")
    assert said(parsed) == [("Rosa Diaz", "No, it's fine. We made up."), ("Tim Ng", "Good."),
                            ("Rosa Diaz", "It opened in 2019. We sold out.")]


def test_plain_a_header_of_fields_is_context_not_speakers():
    """`Participant ID: P07` and `Interviewer: KM` above an `I:`/`R:` interview were speakers."""
    parsed = plain.parse("Participant ID: P07\nDate: 12/03/2024\nInterviewer: KM\n\n"
                         "I: A typical shift?\nR: It starts at seven.\nI: Breaks?\nR: Rarely.\n")
    assert {seg.speaker for seg in parsed.segments if seg.kind == "speech"} == {"I", "R"}
    assert "Participant ID: P07" in context(parsed) and "Interviewer: KM" in context(parsed)


def test_captions_a_bracketed_voice_the_file_also_labels_is_theirs():
    """`[GRACE] It's brighter…` among `GRACE:` / `HENRY:` cues was Henry's, brackets and all."""
    parsed = subrip.parse(
        "1\n00:00:01,000 --> 00:00:04,000\nGRACE: Did you see the comet?\n\n"
        "2\n00:00:04,000 --> 00:00:07,000\nHENRY: Only for a minute.\n\n"
        "3\n00:00:07,000 --> 00:00:10,000\n[GRACE] It's brighter than Hale-Bopp was.\n"
    )
    assert said(parsed)[-1] == ("GRACE", "It's brighter than Hale-Bopp was.")


def test_srt_without_cue_numbers_keeps_its_times():
    """Cues without their numbers were read as plain text: every time lost, no warning."""
    text = ("00:00:01,000 --> 00:00:04,000\nMAYA: We planted the first trees in 1996.\n\n"
            "00:00:04,000 --> 00:00:07,000\nLEON: And the cider?\n")
    assert detect("orchard.srt", text) == "srt"
    parsed = read("orchard.srt", text.encode())
    assert [(seg.speaker, seg.start) for seg in parsed.segments if seg.kind == "speech"] == [
        ("MAYA", 1.0), ("LEON", 4.0)]


def _bilingual_srt(n: int, labels: bool) -> str:
    zh = ["你们社区现在有多少成员？", "大概有一千二百人，每个月办两次线下活动。", "第一次活动是在哪里办的？",
          "在杭州的一家咖啡馆，只来了七个人。"]
    en = ["How many members does your community have now?", "About 1,200, with two meetups a month.",
          "Where was the first meetup held?", "In a café in Hangzhou; seven people came."]
    cues = []
    for i in range(n):
        a, b = zh[i % 4], en[i % 4]
        if labels:
            a, b = ("主持人：" if i % 2 == 0 else "嘉宾：") + a, ("Host: " if i % 2 == 0 else "Guest: ") + b
        cues.append(f"{i + 1}\n00:{i // 6:02d}:{i % 6 * 10:02d},000 --> 00:{i // 6:02d}:{i % 6 * 10 + 9:02d},000\n{a}\n{b}\n")
    return "\n".join(cues)


def test_bilingual_subtitles_keep_each_line_with_its_translation():
    """字幕组 subtitles give each caption in Chinese and in English. The two lines were glued
    into one text ("成员？How many"), and labelled ones made four speakers (主持人, Host, 嘉宾,
    Guest): each caption's first-language line is the speech, the other its `alt`."""
    labelled = read("talk.srt", _bilingual_srt(4, labels=True).encode())
    assert [(s.speaker, s.text, s.alt) for s in labelled.segments][:2] == [
        ("主持人", "你们社区现在有多少成员？", "How many members does your community have now?"),
        ("嘉宾", "大概有一千二百人，每个月办两次线下活动。", "About 1,200, with two meetups a month."),
    ]
    turns, _ = build_turns(labelled)
    assert [t.speaker for t in turns] == ["主持人", "嘉宾"] * 2
    # Without speakers, captions make passages by length as ever, and each passage of a long
    # stretch carries the translation of its own captions, not the whole stretch's.
    turns, _ = build_turns(read("talk.srt", _bilingual_srt(40, labels=False).encode()))
    passages = chunk_turns("talk.srt", turns, max_chars=120)
    assert len(passages) > 3
    for p in passages:
        assert p.alt and "成员" not in p.alt and "How" not in p.text
        assert p.text.count("？") == p.alt.count("?")  # as many questions in both


def test_bilingual_subtitles_with_each_language_a_cue_of_its_own():
    """Some bilingual subtitles give each language its own cue, with the same number and
    timing twice (an English lecture with its Chinese translation). The two were glued into one
    text ("about好的"); each English cue is now the speech and the Chinese cue its `alt`."""
    zh = ["好的，大家晚上好。", "今天我们讲数论。", "第一部分是整除。", "第二部分是最大公约数。"]
    en = ["Okay, good evening, everyone.", "Today we talk about number theory.",
          "Part one is divisibility.", "Part two is the GCD."]
    blocks = [f"{i + 1}\n00:00:{i * 5:02d},000 --> 00:00:{i * 5 + 5:02d},000\n{line}\n"
              for i in range(4) for line in (en[i], zh[i])]
    parsed = read("lecture.zh-CN-dual.srt", "\n".join(blocks).encode())
    assert [(s.text, s.alt, s.start) for s in parsed.segments] == [
        (en[i], zh[i], i * 5.0) for i in range(4)]


BOLD_NAMES = [("0:00:12.9", "**Adam Garrett-Harris**", "Hello and welcome to BookBytes. Jen, the book?"),
              ("0:00:31.6", "**Jen Luker**", "Ara's robot is called DeeDee."),
              ("", "", "She breaks problems into teeny-tiny pieces."),
              ("0:00:40.5", "**Jen Luker & Adam Garrett-Harris**", "Because she's counting stars!"),
              ("0:00:45.0", "**Adam Garrett-Harris**", "All right. (laughs) Who wrote it?"),
              ("0:00:50.2", "**Jen Luker**", "Ali Moeeny, with Kaitlyn Moeeny.")]


@pytest.mark.parametrize("name", ["bookbytes.txt", "bookbytes.md"])
def test_a_name_in_bold_without_a_colon_labels_the_turn(name):
    """Orbit FM's transcripts write `0:00:12.9 **Adam Garrett-Harris** Hello…`: no colon, so
    the file had no speakers at all (one turn, `**Name**` inside every quote; in Markdown the
    name glued to the words). A paragraph without a time of its own had no moment either."""
    data = "\n\n".join(" ".join(p for p in line if p) for line in BOLD_NAMES).encode()
    turns, _ = build_turns(read(name, data))
    assert [t.speaker for t in turns] == ["Adam Garrett-Harris", "Jen Luker", "Jen Luker & Adam Garrett-Harris",
                                          "Adam Garrett-Harris", "Jen Luker"]
    assert not any("*" in p for t in turns for p in t.paragraphs)
    passages = chunk_turns(name, turns, max_chars=30)
    assert all(p.start is not None for p in passages)
    assert [p.start for p in passages if "teeny-tiny" in p.text] == [31.6]


def test_a_word_in_bold_opening_a_line_once_is_no_speaker():
    parsed = read("notes.md", b"**Update** the launch moved to May.\n\nAnn: Why?\n\nBo: Supply.\n")
    assert [(s.speaker, s.text) for s in parsed.segments][0] == (None, "Update the launch moved to May.")


CALL = [("**BRETT IVERSEN: **", "Thanks, Amy. Joe, please repeat your instructions."),
        ("**MARK MOERDLER, Bernstein Research: **", "Thank you. Where are we from training to inferencing?"),
        ("**SATYA NADELLA: **", "Most of the Azure number is inferencing."),
        ("**MARK MOERDLER: **", "Perfect. Thank you."),
        ("**KARL KEIRSTEAD, UBS: **", "I wanted to ask about GPU capacity."),
        ("**AMY HOOD: **", "We feel good about adding capacity."),
        ("**SATYA NADELLA: **", "Thank you.\nEND")]


@pytest.mark.parametrize("name", ["call.txt", "call.docx"])
def test_an_earnings_call_names_each_analysts_firm_once(name):
    """`MARK MOERDLER, Bernstein Research:` is Mark Moerdler, as his later `MARK MOERDLER:` is.
    In text the label was not read (his question went into the previous speaker's turn); in
    Word it became two people, one of them `Bernstein Research MARK MOERDLER` (read as a
    directory's "Last, First"); the document's closing `END` was quoted as Satya's words."""
    if name.endswith(".txt"):
        data = "\n\n".join(f"{a.strip('*').strip()} {b}" for a, b in CALL).encode()
    else:
        data = docx_bytes(*CALL)
    turns, _ = build_turns(read(name, data))
    assert [t.speaker for t in turns] == ["Brett Iversen", "Mark Moerdler", "Satya Nadella",
                                          "Mark Moerdler", "Karl Keirstead", "Amy Hood", "Satya Nadella"]
    assert turns[-1].paragraphs == ("Thank you.",)


def test_timestamped_names_on_the_line_of_their_time_or_above_it():
    """Trint's `[00:00:05] Leo Brandt` above the words, and `Name` / `00:00:03` / words, had no
    speakers: the names were read as words."""
    trint = ("[00:00:00] Speaker 1\nGood morning, chef.\n\n[00:00:05] Leo Brandt\nMorning.\n\n"
             "[00:00:09] Speaker 1\nWhat's on the menu?\n\n[00:00:12] Leo Brandt\nMussels.\n")
    stacked = ("Hannah Brooks\n00:00:03\nHow did you start?\n\nFelix Wagner\n00:00:09\nA broken Honda.\n\n"
               "Hannah Brooks\n00:00:21\nThe hardest part?\n\nFelix Wagner\n00:00:30\nSeats.\n")
    for name, text, first in (("trint.txt", trint, ("Speaker 1", 0.0, "Good morning, chef.")),
                              ("stacked.txt", stacked, ("Hannah Brooks", 3.0, "How did you start?"))):
        speech = [seg for seg in read(name, text.encode()).segments if seg.kind == "speech"]
        assert (speech[0].speaker, speech[0].start, speech[0].text) == first, name
        assert len({seg.speaker for seg in speech}) == 2 and len(speech) == 4, name


def test_a_markdown_table_of_turns_is_read_row_by_row():
    """`| Time | Speaker | Text |` rows were one passage with the pipes, speaker `| 00`; without
    a time column, the `|---|---|` rule became a speaker."""
    timed = ("| Time | Speaker | Text |\n|------|---------|------|\n"
             "| 00:05 | Moderator | What do you use the app for? |\n| 00:09 | P1 | Splitting bills. |\n"
             "| 00:14 | Moderator | Anything else? |\n")
    untimed = "| Speaker | Text |\n|---|---|\n| Moderator | What do you use it for? |\n| P1 | Bills. |\n"
    for text, start in ((timed, 5.0), (untimed, None)):
        speech = [seg for seg in read("study.md", text.encode()).segments if seg.kind == "speech"]
        assert [(seg.speaker, seg.text) for seg in speech][:2] == [
            ("Moderator", speech[0].text), ("P1", speech[1].text)]
        assert "|" not in " ".join(seg.text for seg in speech) and speech[0].start == start


def test_plain_editorial_text_is_context():
    parsed = plain.parse(
        "离开OpenAI之后,Karpathy更乐观了\n"  # page title, before the first speaker
        "文章摘要\n"
        "• 🤖 人形机器人初期应在企业内部应用\n"
        "一、人形机器人的第一个落地场景是什么?\n"
        "NoPriors:你觉得第一个应用领域会是什么?\n"
        "Karpathy:我不认为 B2C 是个好起点*。"
        "Nature 重磅论文:用 AI 生成的数据训练 AI,会让大模型崩溃\n"
        "倒立擺(Inverted Pendulum):涉及到使一個擺保持直立。\n"
        "隨著 AI 的發展,強化學習被引入到倒立擺的控制中。\n"
        "我认为最好的第一批客户就是公司自己。\n"
        "Unitree G1機器人\n"
        "Karpathy 创立了 Eureka Labs,这是一个教育平台。\n"
        "注:可以理解为拥有模型的权重。\n"
        "Priors:关于 Eureka*的问题?(注:Karpathy 的教育创业项目。)\n"
        "Karpathy:数学、物理和计算机科学。\n"
        "排版:Fia"
    )
    assert said(parsed) == [
        ("NoPriors", "你觉得第一个应用领域会是什么?"),
        ("Karpathy", "我不认为 B2C 是个好起点。"),
        ("Karpathy", "我认为最好的第一批客户就是公司自己。"),
        ("Priors", "关于 Eureka的问题?"),
        ("Karpathy", "数学、物理和计算机科学。"),
    ]
    assert context(parsed) == [
        "离开OpenAI之后,Karpathy更乐观了",
        "文章摘要",
        "• 🤖 人形机器人初期应在企业内部应用",
        "一、人形机器人的第一个落地场景是什么?",
        "Nature 重磅论文:用 AI 生成的数据训练 AI,会让大模型崩溃",
        "倒立擺(Inverted Pendulum):涉及到使一個擺保持直立。",
        "隨著 AI 的發展,強化學習被引入到倒立擺的控制中。",
        "Unitree G1機器人",
        "Karpathy 创立了 Eureka Labs,这是一个教育平台。",
        "注:可以理解为拥有模型的权重。",
        "注:Karpathy 的教育创业项目。",
        "排版:Fia",
    ]


def test_plain_english_lines_with_colons_stay_speech():
    parsed = plain.parse(
        "Ann: What did you find?\n"
        "Bob: The answer: we do not know, and\nnobody does.\n\n"
        "The reason: data\n\nBob said that once.\n"
        "Speaker 1: Yes.\nSpeaker 1 again here, sorry."
    )
    assert said(parsed) == [
        ("Ann", "What did you find?"),
        ("Bob", "The answer: we do not know, and nobody does.\nThe reason: data"),
        ("Speaker 1", "Yes.\nSpeaker 1 again here, sorry."),
    ]
    assert context(parsed) == ["Bob said that once."]  # about the speaker, in his own turn


def test_plain_a_line_broken_mid_sentence_is_joined():
    parsed = plain.parse(
        "Elad Gil:AI 領域的一些人認為,是可以\n通過某種融合的形式來解決的。\nAndrej Karpathy: 是的。"
    )
    assert said(parsed) == [
        ("Elad Gil", "AI 領域的一些人認為,是可以通過某種融合的形式來解決的。"),
        ("Andrej Karpathy", "是的。"),
    ]


def test_plain_repairs_pinyin_and_html():
    parsed = plain.parse(
        "Sarah Guo:自動駕駛的發(fā)展?</strong>\nAndrej Karpathy:數(shù)據(jù)很好?/strong>"
    )
    assert said(parsed) == [("Sarah Guo", "自動駕駛的發展?"), ("Andrej Karpathy", "數據很好?")]


def test_plain_page_chrome_is_dropped_line_by_line():
    page = (
        "扫码打开虎嗅APP\n搜索历史\n删除\n第{n}页的标题\n本文来自微信公众号:某某\n文章摘要\n"
        "摘要第{n}段,说了些什么。\n"
        "NoPriors:第{n}个问题?\n"
        "Karpathy:第{n}个回答。\n"
        "回答的第二段{n}。\n"
        "打开虎嗅APP,查看全文\n文集:\n频道:\n好的内容,值得赞赏\n"
    )
    parsed = plain.parse("".join(page.format(n=n) for n in range(1, 21)))
    expected = []
    for n in range(1, 21):
        expected += [
            ("NoPriors", f"第{n}个问题?"),
            ("Karpathy", f"第{n}个回答。\n回答的第二段{n}。"),
        ]
    assert said(parsed) == expected
    assert f"摘要第{20}段,说了些什么。" in context(parsed)
    chrome = "扫码打开虎嗅APP搜索历史删除本文来自微信公众号:某某"
    chrome += "打开虎嗅APP,查看全文文集:频道:好的内容,值得赞赏"
    assert parsed.dropped == {"page chrome": 20 * len(chrome)}


def test_plain_one_chrome_line_inside_a_turn_does_not_end_it():
    parsed = plain.parse("Ann: First part.\nhttps://example.com/x\nSecond part.\nBob: Yes.")
    assert said(parsed) == [("Ann", "First part.\nSecond part."), ("Bob", "Yes.")]
    assert parsed.dropped == {"page chrome": len("https://example.com/x")}


def test_a_time_alone_on_its_line_starts_the_labelled_turn_below_it():
    # NASA's air-to-ground transcripts as Spacelog publishes them: a mission time
    # (days:hours:minutes:seconds) above each turn, the file's own bookkeeping lines
    # (`_page : 157`) between, role abbreviations as labels, links and HTML inside the words
    text = (
        "[02:06:59:01]\nCMP: Okay. We're back on [glossary:CSM] power. The time was\n"
        "     54 hours 58 minutes 50 seconds.\n\n"
        "[02:06:59:10]\n_page : 157\n_tape : Tape 36/3\nCC:  Roger, Jack. Thank you.\n\n"
        "[02:07:55:35]\nCDR: Houston, we've had a problem. The O<sub>2</sub> tank.\n\n"
        "[02:07:55:42]\nCC:  Say again, please.\n"
    )
    parsed = read("TEC.txt", text.encode())
    assert rows(parsed) == [
        ("speech", "CMP", 197941.0, 197950.0,
         "Okay. We're back on CSM power. The time was 54 hours 58 minutes 50 seconds.", None),
        ("speech", "CC", 197950.0, 201335.0, "Roger, Jack. Thank you.", None),
        ("speech", "CDR", 201335.0, 201342.0, "Houston, we've had a problem. The O2 tank.", None),
        ("speech", "CC", 201342.0, None, "Say again, please.", None),
    ]
    assert parsed.dropped == {"markup": len("_page : 157") + len("_tape : Tape 36/3")}
    turns, _ = build_turns(parsed)
    assert [t.speaker for t in turns] == ["CMP", "CC", "CDR", "CC"]  # not "Cmp", "Cdr"


def test_plain_without_labels_is_unattributed_paragraphs():
    parsed = plain.parse("第一段话,很长的一句话。\n第二段话,\n没说完。\n\nA third paragraph.")
    assert rows(parsed) == [
        ("speech", None, None, None, "第一段话,很长的一句话。", None),
        ("speech", None, None, None, "第二段话,没说完。", None),
        ("speech", None, None, None, "A third paragraph.", None),
    ]
    assert all(s.speaker is None for s in parsed.segments)


@pytest.mark.parametrize(
    "path, speakers",
    [
        (HANS, {"NoPriors", "Priors", "Karpathy"}),
        (HANT, {"Sarah Guo", "Elad Gil", "Andrej Karpathy"}),
    ],
)
def test_plain_on_the_bundled_transcripts(path, speakers):
    parsed = read(path.name, path.read_bytes())
    assert {s.speaker for s in parsed.segments if s.kind == "speech"} == speakers
    assert all(s.speaker is None for s in parsed.segments if s.kind == "context")
    assert parsed.warnings == []
    pinyin = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
    for s in parsed.segments:
        assert not pinyin.search(s.text), s.text
        assert "</" not in s.text and "/strong>" not in s.text
        assert not re.match(
            r"^(?:NoPriors|Priors|Karpathy|Sarah Guo|Elad Gil|Andrej Karpathy)\s*[:：]", s.text
        )
    text = "\n".join(s.text for s in parsed.segments if s.kind == "speech")
    assert "扫码" not in text and "APP" not in text and "赞赏" not in text


def test_the_bundled_transcripts_keep_editorial_text_out_of_speech():
    hans = read(HANS.name, HANS.read_bytes())
    title = "Nature 重磅论文:用 AI 生成的数据训练 AI,会让大模型崩溃"
    assert title in context(hans)
    assert not any("重磅论文" in text for _, text in said(hans))
    assert ("Karpathy", "推出的第一个课程受众主要是本科生。") not in said(
        hans
    )  # sanity of the shape
    assert any(text.startswith("推出的第一个课程受众主要是本科生。") for _, text in said(hans))
    # the speech of the last turn survives; the footer after it does not
    assert said(hans)[-1][1].endswith("但我认为大部分时间还是应该集中在这些核心学科上。")

    hant = read(HANT.name, HANT.read_bytes())
    editor = [c for c in context(hant) if c.startswith("Karpathy 創立了 Eureka Labs")]
    assert len(editor) == 1
    assert not any("創立了 Eureka Labs" in text for _, text in said(hant))
    assert "Unitree G1機器人" in context(hant)
    assert not any(text.startswith(("倒立擺", "隨著 AI 的發展")) for _, text in said(hant))
    assert said(hant)[0] == (
        "Sarah Guo",
        "你怎么看今天自動駕駛的發展?還有多久我們會看到自動駕駛嫫占埃?",
    )


# --- timestamped -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["briefing.md", "briefing.txt"])
def test_a_briefing_record_marks_reporters_with_q(name):
    # the White House's briefing records: `Q` and a wide space (no-break spaces), no colon,
    # for every reporter; the officials in capitals with a colon. A reporter is nobody named,
    # who asks: the answer is indexed with the question it answers. The times of day it opens
    # and ends with are when it took place, nobody's words.
    nb = "\u00a0"
    data = (
        "James S. Brady Press Briefing Room\n\n3:02 P.M. EDT\n\n"
        f"MS. PSAKI:{nb} Hi, everyone. Darlene, go ahead.\n\n"
        f"Q{nb}{nb}{nb} Thank you, Jen.{nb} How often is the President updated on the border?\n\n"
        f"MS. PSAKI:{nb} He gets updates regularly — I mean, several times a week.\n\n"
        f"Q{nb}{nb}{nb} And on Taiwan?\n\n"
        f"MS. PSAKI:{nb} Our policy has not changed.\n\n3:51 P.M. EDT\n"
    ).encode()
    turns, _ = build_turns(read(name, data))
    assert [(t.speaker, t.role, t.paragraphs[0][:22]) for t in turns] == [
        ("Ms. Psaki", "guest", "Hi, everyone. Darlene,"),
        (None, "host", "Thank you, Jen. How of"),
        ("Ms. Psaki", "guest", "He gets updates regula"),
        (None, "host", "And on Taiwan?"),
        ("Ms. Psaki", "guest", "Our policy has not cha"),
    ]
    passages = chunk_turns(name, turns, max_chars=400)
    answer = next(p for p in passages if "several times a week" in p.text)
    assert answer.question and "How often is the President updated" in answer.question
    assert not any(p.text.startswith("Q") or "P.M." in p.text for p in passages)


@pytest.mark.parametrize("name", ["presser.txt", "presser.md"])
def test_a_press_conference_record_labels_names_in_capitals_with_a_full_stop(name):
    # the Federal Reserve's press-conference transcripts: the name in capitals, a full stop and
    # two spaces; every reporter named, most of them once. A line in capitals that opens a
    # sentence once ("I SAID NO.") is no label.
    data = (
        b"CHAIR POWELL.  Good afternoon. We decided today to lower the target range.\n\n"
        b"JEANNA SMIALEK.  Hi, Chair Powell. Is this the start of a cutting cycle?\n\n"
        b"CHAIR POWELL.  It is not the beginning of a long series of rate cuts.\n\n"
        b"NANCY MARSHALL-GENZER.  Nancy Marshall-Genzer with Marketplace. What about trade?\n\n"
        b"CHAIR POWELL.  Trade policy uncertainty is weighing on business investment.\n"
    )
    turns, _ = build_turns(read(name, data))
    assert [(t.speaker, t.paragraphs[0][:20]) for t in turns] == [
        ("Chair Powell", "Good afternoon. We d"),
        ("Jeanna Smialek", "Hi, Chair Powell. Is"),
        ("Chair Powell", "It is not the beginn"),
        ("Nancy Marshall-Genzer", "Nancy Marshall-Genze"),
        ("Chair Powell", "Trade policy uncerta"),
    ]
    passages = chunk_turns(name, turns, max_chars=400)
    answer = next(p for p in passages if "long series" in p.text)
    assert answer.question and "cutting cycle" in answer.question
    once = build_turns(read(name, b"Ann: Hi.\n\nI SAID NO.  And I meant it.\n"))[0]
    assert [(t.speaker, t.paragraphs) for t in once] == [("Ann", ("Hi.", "I SAID NO. And I meant it."))]


@pytest.mark.parametrize("name", ["deposition.txt", "deposition.md"])
def test_a_deposition_marks_questions_q_and_answers_a(name):
    # a deposition's or a court record's examination: `Q.` the question of the lawyer named
    # by the `BY MR. SMITH:` line above, `A.` the answer of the witness sworn in (also `THE
    # WITNESS:`); objections and rulings under their speakers' labels between them.
    data = (
        b"JOHN DOE, having been first duly sworn, was examined and testified as follows:\n"
        b"DIRECT EXAMINATION\nBY MR. SMITH:\n"
        b"Q. Please state your name for the record.\nA. John Doe.\n"
        b"Q. Where were you on the night of May 4th?\n"
        b"A. I was at home with my wife. We watched a film.\n"
        b"MR. JONES: Objection, relevance.\nTHE COURT: Overruled.\n"
        b"THE WITNESS: Should I answer?\n"
        b"Q. Yes. Which film?\nA. Casablanca.\n"
    )
    turns, _ = build_turns(read(name, data))
    assert [(t.speaker, t.paragraphs[0][:22]) for t in turns] == [
        ("Mr. Smith", "Please state your name"),
        ("John Doe", "John Doe."),
        ("Mr. Smith", "Where were you on the "),
        ("John Doe", "I was at home with my "),
        ("Mr. Jones", "Objection, relevance."),
        ("The Court", "Overruled."),
        ("John Doe", "Should I answer?"),
        ("Mr. Smith", "Yes. Which film?"),
        ("John Doe", "Casablanca."),
    ]
    roles = {t.speaker: t.role for t in turns}
    assert (roles["Mr. Smith"], roles["John Doe"]) == ("host", "guest")
    passages = chunk_turns(name, turns, max_chars=400)
    answer = next(p for p in passages if "at home with my wife" in p.text)
    assert answer.question and "night of May 4th" in answer.question
    assert not any(re.match(r"[QA]\. ", p.text) for p in passages)
    # without the record's names: the questions are an anonymous asker's, the answers `A`'s
    unnamed = build_turns(read(name, b"Q. Name?\nA. Ann.\nQ. Age?\nA. 40.\n"))[0]
    assert [(t.speaker, t.role) for t in unnamed] == [(None, "host"), ("A", "guest")] * 2


# A court reporter's transcript: 25 numbered lines a page, the examination in `Q.`/`A.` lines
# wrapped at the margin, a page number and a running header on every page.
_COURT_RECORD = [
    "UNITED STATES DISTRICT COURT",
    "DEPOSITION OF JANE ROE",
    "JANE ROE,",
    "having been first duly sworn, was examined and testified as follows:",
    "EXAMINATION BY MR. SMITH:",
] + [
    line
    for n in range(1, 16)
    for line in (
        f"Q. Turning to exhibit {n}, who signed the",
        f"contract for warehouse {n}?",
        f"A. The regional manager signed exhibit {n} in",
        f"March, after the board approved warehouse {n}.",
    )
] + ["MR. JONES: Objection, form.", "THE WITNESS: I can answer that."]


def court_pdf(lines: list[str], per_page: int = 25) -> bytes:
    import fpdf

    doc = fpdf.FPDF(format="letter")
    doc.set_auto_page_break(False)
    doc.set_font("Courier", size=11)
    for first in range(0, len(lines), per_page):
        doc.add_page()
        doc.set_xy(150, 10)
        doc.cell(40, 6, "Roe Deposition", align="R")
        for i, line in enumerate(lines[first:first + per_page]):
            y = 22 + i * 9.5
            doc.set_xy(12, y)
            doc.cell(10, 6, str(i + 1), align="R")
            doc.set_xy(28, y)
            doc.cell(170, 6, line)
        doc.set_xy(100, 262)
        doc.cell(10, 6, str(first // per_page + 1), align="C")
        doc.set_xy(20, 270)
        doc.cell(60, 5, "Acme Court Reporting")
        doc.set_xy(140, 270)
        doc.cell(60, 5, "1-800-555-DEPO")
    return bytes(doc.output())


def court_text(lines: list[str], per_page: int = 25) -> bytes:
    pages = []
    for first in range(0, len(lines), per_page):
        numbered = [f"{i + 1:>2}      {line}" for i, line in enumerate(lines[first:first + per_page])]
        pages.append("\n".join(["                                    Roe Deposition", *numbered,
                                 f"                         {first // per_page + 1}"]))
    return "\f".join(pages).encode()


@pytest.mark.parametrize("name", ["roe.pdf", "roe.txt"])
def test_a_court_reporters_numbered_lines(name):
    data = court_pdf(_COURT_RECORD) if name.endswith(".pdf") else court_text(_COURT_RECORD)
    parsed = read(name, data)
    turns, _ = build_turns(parsed)
    assert [t.speaker for t in turns] == ["Mr. Smith", "Jane Roe"] * 15 + ["Mr. Jones", "Jane Roe"]
    # each turn whole across its wrapped lines and the page breaks, without a number or header
    assert [t.paragraphs for t in turns[:4]] == [
        ("Turning to exhibit 1, who signed the contract for warehouse 1?",),
        ("The regional manager signed exhibit 1 in March, after the board approved warehouse 1.",),
        ("Turning to exhibit 2, who signed the contract for warehouse 2?",),
        ("The regional manager signed exhibit 2 in March, after the board approved warehouse 2.",),
    ]
    text = " ".join(s.text for s in parsed.segments)
    assert "Roe Deposition" not in text and not re.search(r"(?<![\w,]) \d{1,2} ", text)
    assert parsed.dropped["line numbers"] >= 2 * 9 + 2 * 25
    passages = chunk_turns(name, turns, max_chars=400)
    answer = next(p for p in passages if "exhibit 7 in" in p.text)
    assert answer.question and "exhibit 7, who signed" in answer.question
    # an objection between a question and its answer replaces no question
    assert passages[-1].text == "I can answer that." and "exhibit 15, who" in passages[-1].question
    assert "Acme" not in text and "555" not in text


def test_a_transcribed_interview_in_court_layout_pdf():
    # no oath: the witness is named on the title page; `Q` and `A` without a full stop (the
    # wide space after them lost in the text layer); the reporter's footer on every page; the
    # record's closing note in parentheses; an errata page whose font maps to no characters
    lines = ["INTERVIEW OF: JANE ROE", "BY MS. LEE:"] + [
        line for n in range(1, 16)
        for line in (f"Q Did the board meet in May {2000 + n}?", f"A Yes, the board met {n} times that",
                     "spring.")
    ] + ["Ms. Lee: Thank you.", "(Whereupon, at 11:30 a.m., the", "interview was concluded.)",
         "ERRATA", "Page 2, line 3: for warehouse read warehouses"]
    data = court_pdf(lines)
    parsed = read("roe.pdf", data)
    turns, _ = build_turns(parsed)
    assert [t.speaker for t in turns] == ["Ms. Lee", "Jane Roe"] * 15 + ["Ms. Lee"]
    assert turns[1].paragraphs == ("Yes, the board met 1 times that spring.",)
    text = " ".join(s.text for s in parsed.segments if s.kind == "speech")
    assert "Acme" not in text and "555" not in text and "Whereupon" not in text and "ERRATA" not in text
    assert turns[-1].paragraphs == ("Thank you.",)
    assert any(s.kind == "context" and "Whereupon" in s.text for s in parsed.segments)


def test_pdf_glyphs_without_characters_are_no_text():
    from index.formats.pdf import _UNMAPPED

    assert _UNMAPPED.sub("", "ERRATA (cid:49)(cid:82)(cid:87) Page 53") == "ERRATA  Page 53"


def test_numbered_lines_of_ordinary_text_keep_their_numbers():
    # a numbered list, or a few lines opening with numbers, is no court record
    steps = "\n".join(f"{n} Mix the flour." for n in range(1, 6)) + "\nServe warm.\n"
    assert "1 Mix the flour." in " ".join(s.text for s in read("recipe.txt", steps.encode()).segments)


def test_timestamped_descript_style():
    parsed = timestamped.parse(
        "Bill Carr (00:00:03):\nWelcome to the show.\n\n(00:00:09):\nToday we talk\nabout books.\n"
        "Luciano (00:01:02): Thanks for having me.\n"
    )
    assert rows(parsed) == [
        ("speech", "Bill Carr", 3.0, 9.0, "Welcome to the show.", None),
        ("speech", "Bill Carr", 9.0, 62.0, "Today we talk about books.", None),
        ("speech", "Luciano", 62.0, None, "Thanks for having me.", None),
    ]


def test_timestamped_otter_and_teams_headers():
    parsed = timestamped.parse(
        "Sarah Guo  0:03\nSo tell me\nabout it.\n\nSpeaker 1  1:05\n我觉得\n很好。\n\n"
        "Elad Gil 1:02:03\nOK.\n\nTranscribed by https://otter.ai\n"
    )
    assert rows(parsed) == [
        ("speech", "Sarah Guo", 3.0, 65.0, "So tell me about it.", None),
        ("speech", "Speaker 1", 65.0, 3723.0, "我觉得很好。", None),
        ("speech", "Elad Gil", 3723.0, None, "OK.", None),
    ]
    assert parsed.dropped == {"page chrome": len("Transcribed by https://otter.ai")}


@pytest.mark.parametrize(
    "tool, text",
    [
        (  # Feishu Minutes (飞书妙记): a header block, then `说话人 1 00:03 ` above the words
            "feishu",
            "产品访谈 2026年6月2日 下午 5:51|14分钟 43秒\n\n关键词:\n机器人、物流\n\n文字记录:\n"
            "说话人 1 00:03 \n你们公司最早是做什么的？\n\n"
            "说话人 2 00:15 \n我们最早是做仓储物流机器人的，\n主要在工厂里搬运物料。\n\n"
            "说话人 1 01:02:03 \n那家庭机器人呢？\n",
        ),
        (  # Tingwu (通义听悟): `发言人1   00:00:03`
            "tingwu",
            "发言人1   00:00:03\n你们公司最早是做什么的？\n\n"
            "发言人2   00:00:15\n我们最早是做仓储物流机器人的，主要在工厂里搬运物料。\n\n"
            "发言人1   01:02:03\n那家庭机器人呢？\n",
        ),
        (  # iFlytek (讯飞听见): label, time and words on one line
            "iflytek",
            "说话人1 00:00:03 你们公司最早是做什么的？\n"
            "说话人2 00:00:15 我们最早是做仓储物流机器人的，主要在工厂里搬运物料。\n"
            "说话人1 01:02:03 那家庭机器人呢？\n",
        ),
    ],
)
def test_chinese_meeting_tool_exports(tool, text):
    """The exports of the Chinese transcription tools: numbered speaker tags with the time,
    no time or header left in the speech."""
    parsed = read(f"{tool}.txt", text.encode())
    first, second = ("说话人 1", "说话人 2") if tool == "feishu" else {
        "tingwu": ("发言人1", "发言人2"), "iflytek": ("说话人1", "说话人2")}[tool]
    assert [(s.speaker, s.start, s.end, s.text) for s in parsed.segments if s.kind == "speech"] == [
        (first, 3.0, 15.0, "你们公司最早是做什么的？"),
        (second, 15.0, 3723.0, "我们最早是做仓储物流机器人的，主要在工厂里搬运物料。"),
        (first, 3723.0, None, "那家庭机器人呢？"),
    ]
    assert parsed.warnings == [] and parsed.format == "timestamped"
    assert not any("关键词" in s.text for s in parsed.segments if s.kind == "speech")


def test_a_time_or_two_in_a_write_up_makes_no_export_and_loses_nothing():
    turns = [f"张三：第{i}个问题是什么？\n李四：第{i}个回答，我们做物流机器人。" for i in range(15)]
    text = "\n".join(turns[:5] + ["会议时间 10:30 开始。"] + turns[5:])
    parsed = read("notes.txt", text.encode())
    assert {s.speaker for s in parsed.segments} == {"张三", "李四"}
    assert sum(s.kind == "speech" for s in parsed.segments) == 30
    # Only a short header before the first time is context; a longer text stays speech.
    story = "\n".join(f"Line {i} of a story told before the recording started." for i in range(20))
    parsed = timestamped.parse(story + "\nAnn (00:00:01): Hello.\nBob (00:00:03): Hi.")
    assert sum(s.kind == "speech" for s in parsed.segments) == 3 and context(parsed) == []


def test_bilibili_subtitles_json():
    """Bilibili's subtitle files (BCC): `body` cues with `from`/`to` seconds, no speakers."""
    data = (
        '{"font_size": 0.4, "font_color": "#FFFFFF", "background_alpha": 0.5, "Stroke": "none",'
        ' "body": [{"from": 0.0, "to": 2.5, "location": 2, "content": "大家好，欢迎来到节目。"},'
        ' {"from": 2.5, "to": 5.2, "location": 2, "content": "今天我们聊聊机器人。"}]}'
    )
    parsed = read("cc.json", data.encode())
    assert [(s.speaker, s.start, s.end, s.text) for s in parsed.segments] == [
        (None, 0.0, 2.5, "大家好，欢迎来到节目。"),
        (None, 2.5, 5.2, "今天我们聊聊机器人。"),
    ]


@pytest.mark.parametrize("name", ["talking_turkeys_transcript.md", "talking_turkeys.txt"])
def test_a_bracketed_label_and_a_bracketed_time(name):
    # Oxide and Friends' transcripts: `[Speaker 1] [00:00] text`. As Markdown, the opening
    # bracket made the file broken JSON, refused; read as text, no speakers and no times.
    text = (
        "[Speaker 1] [00:00] Yeah. I was just in the Elizabeth Holmes trial space.\n"
        "[Speaker 2] [00:04] What? No. Not at home.\n"
        "[Speaker 1] [01:08] You know what? I did think of you.\n"
    )
    parsed = read(name, text.encode())
    assert [(s.speaker, s.start, s.text) for s in parsed.segments] == [
        ("Speaker 1", 0.0, "Yeah. I was just in the Elizabeth Holmes trial space."),
        ("Speaker 2", 4.0, "What? No. Not at home."),
        ("Speaker 1", 68.0, "You know what? I did think of you."),
    ]


def test_speech_recognizer_lines_cut_mid_sentence_are_kept_as_speech():
    # A recognizer's Chinese text cut into lines anywhere: short lines without a full stop
    # were headings, and their words were lost without a word in the report
    text = (
        "然后他这个赛道就直接爆火，第一他已经垄断了。\n那这种就是自带流量自带产品，这种有点玄学，但是\n"
        "但是值得玩味，人家自己跑出来了。\n第二个是那种就是\n导致了像这种热贝塔的作用有损失。\n啊\n"
        "这个厂是我们的创新在企业的\n双方的\n"
    )
    parsed = read("meeting_asr.txt", text.encode())
    assert [s.kind for s in parsed.segments] == ["speech"] * len(parsed.segments)
    assert "".join(s.text for s in parsed.segments).replace("\n", "") == text.replace("\n", "")


@pytest.mark.parametrize("sep", [" ", "\n"])
def test_timestamped_zoom_saved_captions(sep):
    text = (
        f"[Kevin Scott] 14:03:21{sep}Welcome everyone to the call.\n"
        f"[Maria Lopez] 14:03:25{sep}Thanks, glad to be here.\n"
        f"[Kevin Scott] 14:03:30{sep}Let us start.\n"
    )
    parsed = read("meeting_saved_closed_caption.txt", text.encode())
    assert parsed.format == "timestamped"
    assert [(s.speaker, s.start, s.text) for s in parsed.segments] == [
        ("Kevin Scott", 50601.0, "Welcome everyone to the call."),
        ("Maria Lopez", 50605.0, "Thanks, glad to be here."),
        ("Kevin Scott", 50610.0, "Let us start."),
    ]


def test_timestamped_whisper_console_output():
    # what Whisper and whisper.cpp print, copied from the terminal into a .txt
    text = (
        "[00:00.000 --> 00:04.000]  So today we talk about batteries.\n"
        "[00:04.000 --> 00:09.500]  Iron phosphate cells last longer.\n"
        "[01:00:09.500 --> 01:00:12.000]   Why is that?\n"
    )
    assert detect("whisper.txt", text) == "timestamped"
    parsed = read("whisper.txt", text.encode())
    assert rows(parsed) == [
        ("speech", None, 0.0, 4.0, "So today we talk about batteries.", None),
        ("speech", None, 4.0, 3609.5, "Iron phosphate cells last longer.", None),
        ("speech", None, 3609.5, None, "Why is that?", None),
    ]
    assert all(s.speaker is None for s in parsed.segments)


def test_timestamped_bracketed_times():
    parsed = timestamped.parse(
        "[00:00:01] Ann: Hello.\n[00:00:04] And more [laughs].\n"
        "[00:00:09] Bob: Yes.\n[00:10] no name"
    )
    assert rows(parsed) == [
        ("speech", "Ann", 1.0, 4.0, "Hello.", None),
        ("speech", "Ann", 4.0, 9.0, "And more.", None),
        ("speech", "Bob", 9.0, 10.0, "Yes.", None),
        ("speech", "Bob", 10.0, None, "no name", None),
    ]
    assert parsed.dropped == {"stage directions": len("[laughs]")}


def test_timestamped_prose_with_times_is_no_speaker():
    parsed = timestamped.parse(
        "Ann (00:00:01):\nThe talk (12:30) was great.\nMeeting starts at 10:30\n"
        "we met at the cafe (10:30): it was fun."
    )
    assert said(parsed) == [
        ("Ann", "The talk was great.\nMeeting starts at 10:30 we met at the cafe: it was fun.")
    ]


def test_timestamped_without_names():
    parsed = timestamped.parse("[00:00:01] Hello there.\n[00:00:04] 你好。")
    assert said(parsed) == [(None, "Hello there."), (None, "你好。")]


def test_timestamped_bad_time_names_the_line():
    with pytest.raises(FormatError, match=r"^line 2: bad timestamp '00:61:00'$"):
        timestamped.parse("Ann (00:00:01): Hi.\nBob (00:61:00): Hello.")


# --- markdown ----------------------------------------------------------------------------------


def test_markdown_bold_labels_in_every_spelling():
    parsed = markdown.parse(
        "# Episode 12: On Data\n\n"
        "**Ann:** First.\n\n"
        "**Bob**: Second, see [the paper](https://x.org/p_(1)).\n\n"
        "**Ann (01:02:03)**：Third.\n\n"
        "**Bob** (01:02:09): Fourth \\[laughs\\] indeed.\n\n"
        "## Part two\n\n"
        "**Ann:**\n\nFifth, on its own line,\nwrapped.\n"
    )
    assert rows(parsed) == [
        ("context", None, None, None, "Episode 12: On Data", None),
        ("speech", "Ann", None, None, "First.", None),
        ("speech", "Bob", None, None, "Second, see the paper.", None),
        ("speech", "Ann", 3723.0, 3729.0, "Third.", None),
        ("speech", "Bob", 3729.0, None, "Fourth indeed.", None),
        ("context", None, None, None, "Part two", None),
        ("speech", "Ann", None, None, "Fifth, on its own line, wrapped.", None),
    ]
    assert parsed.dropped == {"stage directions": len("[laughs]")}


def test_markdown_interviewer_turns_set_wholly_in_bold():
    """A write-up that sets the interviewer's turns in bold, label included, sometimes over
    two lines; a bold line without a speaker's label is still a heading."""
    parsed = markdown.parse(
        "**为清晰起见，本稿经过编辑。**\n\n"
        "**CRAIG BOX：我们谈谈青蛙！**\n\n"
        "REY LEJANO：哦，你是说非洲爪蛙？\n\n"
        "**CRAIG BOX：当然。**\n\n"
        "REY LEJANO：只是一些朋友。\n"
        "**CRAIG BOX：我认为疫情会带来兴趣。\n"
        "看看影响会很有趣。**\n\n"
        "REY LEJANO：是的。\n"
    )
    assert [(s.kind, s.speaker, s.text) for s in parsed.segments] == [
        ("context", None, "为清晰起见，本稿经过编辑。"),
        ("speech", "CRAIG BOX", "我们谈谈青蛙！"),
        ("speech", "REY LEJANO", "哦，你是说非洲爪蛙？"),
        ("speech", "CRAIG BOX", "当然。"),
        ("speech", "REY LEJANO", "只是一些朋友。"),
        ("speech", "CRAIG BOX", "我认为疫情会带来兴趣。\n看看影响会很有趣。"),
        ("speech", "REY LEJANO", "是的。"),
    ]


def test_markdown_translation_with_the_original_in_comments():
    """A translation that keeps the original before each block in HTML comments (as the
    Kubernetes blog's do): each turn gets its original as its second language, also when a
    turn goes on past the next comment; front matter and unmatched comments are dropped."""
    parsed = markdown.parse(
        "<!--\ntitle: An interview\n-->\n"
        "<!--\n**CRAIG BOX: Why frogs?**\n\nREY LEJANO: Frogs lay lots of eggs.\n-->\n"
        "**CRAIG BOX：为什么是青蛙？**\n\n"
        "REY LEJANO：青蛙产很多卵。\n\n"
        "<!--\nThen I moved to a lab.\n\n**CRAIG BOX: And then?**\n-->\n"
        "然后我去了实验室。\n\n"
        "**CRAIG BOX：然后呢？**\n"
    )
    assert [(s.speaker, s.text, s.alt) for s in parsed.segments] == [
        ("CRAIG BOX", "为什么是青蛙？", "Why frogs?"),
        ("REY LEJANO", "青蛙产很多卵。\n然后我去了实验室。",
         "Frogs lay lots of eggs.\nThen I moved to a lab."),
        ("CRAIG BOX", "然后呢？", "And then?"),
    ]


def test_markdown_comments_in_the_texts_own_language_stay_hidden():
    parsed = markdown.parse(
        "<!--\n**Ann:** An old draft of the answer.\n-->\n**Ann:** The answer as published.\n"
    )
    assert [(s.speaker, s.text, s.alt) for s in parsed.segments] == [
        ("Ann", "The answer as published.", None)
    ]


def test_markdown_time_first_headers_and_bare_time_continuations():
    """A translated show's turn headers: `**hh:mm:ss - Name**：` above the paragraph, and a
    bold time alone for the same speaker going on; `<ruby>` glosses stay readable."""
    parsed = markdown.parse(
        "[#]: via: (https://example.org/ep)\n\n"
        "**00:00:06 - Saron Yitbarek**：\n\n大家好，这里是<ruby>代码英雄<rt>Command Line Heroes</rt></ruby>。\n\n"
        "**00:00:28**：\n\n我们还有一个地方要去。\n\n"
        "**00:01:38 - Sandra Persing**：\n\n嗨， Saron。\n\n"
        "**00:16:45**:\n\n我们去了西雅图。\n"
    )
    assert [(s.speaker, s.start, s.text) for s in parsed.segments if s.kind == "speech"] == [
        ("Saron Yitbarek", 6.0, "大家好，这里是代码英雄（Command Line Heroes）。"),
        ("Saron Yitbarek", 28.0, "我们还有一个地方要去。"),
        ("Sandra Persing", 98.0, "嗨， Saron。"),
        ("Sandra Persing", 1005.0, "我们去了西雅图。"),
    ]


def test_a_hugo_page_front_matter_show_notes_and_a_shortcode_turn():
    """A podcast site's page: TOML front matter is metadata, a numbered list item in the show
    notes is no speaker, and the first turn inside a shortcode keeps its speaker."""
    parsed = read(
        "ep246.md",
        (
            b'+++\ntitle = "Game Servers"\nhosts = ["Mark Mirchandani", "Stephanie Wong"]\n+++\n\n'
            b"Former host Mark Mandel is our guest this week.\n\n"
            b"* GCP Podcast Episode 142: Agones with Mark Mandel [podcast](https://x.org/142)\n\n"
            b'{{< transcript "[MUSIC PLAYING] MARK MIRCHANDANI: Hi, and welcome to episode 246." >}}\n\n'
            b"STEPHANIE WONG: Yay. Hi.\n\nMARK MANDEL: Thanks for having me.\n\n"
            b"MARK MIRCHANDANI: So, game servers.\n"
        ),
    )
    assert parsed.meta["title"] == "Game Servers"
    assert parsed.meta["people"] == ["Mark Mirchandani", "Stephanie Wong"]
    assert [(s.kind, s.speaker, s.text) for s in parsed.segments] == [
        ("context", None, "Former host Mark Mandel is our guest this week."),
        ("context", None, "GCP Podcast Episode 142: Agones with Mark Mandel podcast"),
        ("speech", "MARK MIRCHANDANI", "Hi, and welcome to episode 246."),
        ("speech", "STEPHANIE WONG", "Yay. Hi."),
        ("speech", "MARK MANDEL", "Thanks for having me."),
        ("speech", "MARK MIRCHANDANI", "So, game servers."),
    ]


def test_markdown_times_in_full_width_brackets():
    parsed = markdown.parse(
        "**张三（00:01:02）**：你们公司最早是做什么的？\n\n**李四**【00:01:10】：做物流机器人。\n"
    )
    assert rows(parsed) == [
        ("speech", "张三", 62.0, 70.0, "你们公司最早是做什么的？", None),
        ("speech", "李四", 70.0, None, "做物流机器人。", None),
    ]


def test_markdown_heading_speakers_and_inline_times():
    parsed = markdown.parse(
        "# Show notes\n\nWe talk about cars.\n\n"
        "### Lex Fridman\n\n\\[00:00:05\\] What is it like?\n\n"
        "### Andrej Karpathy\n\n[04:07] It is *fun*. [inaudible] Really \\[04:09\\] fun.\n\n"
        "[04:30] And hard.\n\n"
        "### Lex Fridman\n\nWhy?\n\n### Andrej Karpathy\n\n(laughs)\n"
    )
    assert rows(parsed) == [
        ("context", None, None, None, "Show notes", None),
        ("context", None, None, None, "We talk about cars.", None),
        ("speech", "Lex Fridman", 5.0, 247.0, "What is it like?", None),
        ("speech", "Andrej Karpathy", 247.0, 270.0, "It is fun. … Really fun.", None),
        ("speech", "Andrej Karpathy", 270.0, None, "And hard.", None),
        ("speech", "Lex Fridman", None, None, "Why?", None),
    ]
    assert parsed.dropped == {"stage directions": len("[inaudible](laughs)")}


def test_markdown_heading_label_of_someone_who_speaks_once():
    """A meeting's `### Name:` labels: a person who speaks once is a speaker too, at the level
    and with the colon the recurring labels use; a heading without a colon stays a chapter."""
    parsed = markdown.parse(
        "# 2023-07-04 Meeting\n\n### Ann Lee:\nWelcome.\n\n### Bo Chen:\nThanks.\n\n"
        "### Kathy Wu:\n我想代 Bo 問一下。\n\n### Agenda\nCloud.\n\n### Ann Lee:\nYes.\n\n"
        "### Bo Chen：\nGood.\n\n## Notes:\nLater.\n"
    )
    assert [(r[1], r[4]) for r in rows(parsed)] == [
        (None, "2023-07-04 Meeting"),
        ("Ann Lee", "Welcome."),
        ("Bo Chen", "Thanks."),
        ("Kathy Wu", "我想代 Bo 問一下。"),
        (None, "Agenda"),
        ("Kathy Wu", "Cloud."),
        ("Ann Lee", "Yes."),
        ("Bo Chen", "Good."),
        (None, "Notes:"),
        ("Bo Chen", "Later."),
    ]


def test_markdown_question_and_answer_labels_as_headings_or_bold():
    """`### 問：` headings (a Q&A write-up in Markdown) were chapters: the whole interview was
    one turn of the guest's, the host's questions quoted as her words. `**問**` alone on a
    line likewise."""
    for text in (
        "# 訪談\n\n### 問：\n我是主持人小夏。你在德國待了多久？\n\n### 唐鳳：\n大概 12 個月。\n\n"
        "### 問：\n你唸過幾個小學？\n\n### 唐鳳：\n六個。\n",
        "# 訪談\n\n**問**\n\n我是主持人小夏。你在德國待了多久？\n\n**唐鳳**\n\n大概 12 個月。\n\n"
        "**問**\n\n你唸過幾個小學？\n\n**唐鳳**\n\n六個。\n",
    ):
        turns, _ = build_turns(markdown.parse(text))
        assert [(t.speaker, t.role, t.paragraphs) for t in turns] == [
            (None, "host", ("我是主持人小夏。你在德國待了多久？",)), ("唐鳳", "guest", ("大概 12 個月。",)),
            (None, "host", ("你唸過幾個小學？",)), ("唐鳳", "guest", ("六個。",)),
        ]


def test_markdown_chapters_with_times_open_a_recording():
    """A Descript export: a table of contents, then `## [hh:mm:ss] Chapter` headings; the
    narration under the first chapter, before any label, is speech (by nobody named), not
    page text; a chapter heading inside a turn stays out of it."""
    parsed = markdown.parse(
        "- [\\[00:00:00\\] Intro](#000000-intro)\n- [\\[00:01:27\\] Founders](#000127-founders)\n\n"
        "## [00:00:00] Intro\n\nHousing is expensive.\n\nIn this episode, I talk with Ann.\n\n"
        "## [00:01:27] Founders\n\n[00:01:27] **Ann Lee:** I build houses.\n\n"
        "## [00:02:00] Factories\n\n[00:02:00] **Ann Lee:** In containers.\n"
    )
    speech = [(s.speaker, s.start, s.text) for s in parsed.segments if s.kind == "speech"]
    assert speech == [
        (None, 0.0, "Housing is expensive.\nIn this episode, I talk with Ann."),
        ("Ann Lee", 87.0, "I build houses."),
        ("Ann Lee", 120.0, "In containers."),
    ]
    context = [s.text for s in parsed.segments if s.kind == "context"]
    assert "Intro" in context and "Factories" in context
    assert not any("00:0" in s.text for s in parsed.segments)


def test_markdown_q_and_a():
    parsed = markdown.parse(
        "## Interview\n\nQ: Why data?\n\nA: Because [crosstalk] it is scarce.\n"
    )
    assert said(parsed) == [("Q", "Why data?"), ("A", "Because … it is scarce.")]


def test_markdown_bilingual_turns_become_one_segment():
    parsed = markdown.parse(
        "**Sarah Guo (00:00:05):** 你怎么看自动驾驶?\n\n"
        "**Sarah Guo (00:00:05):** How do you see self-driving?\n\n"
        "**Andrej Karpathy:** 我觉得已经很接近了。\n\n"
        "**Andrej Karpathy:** I think it is close.\n\nVery close.\n\n"
        "**Sarah Guo:** OK.\n\n**Sarah Guo:** Next question.\n"
    )
    assert rows(parsed) == [
        ("speech", "Sarah Guo", 5.0, None, "你怎么看自动驾驶?", "How do you see self-driving?"),
        (
            "speech",
            "Andrej Karpathy",
            None,
            None,
            "我觉得已经很接近了。",
            "I think it is close.\nVery close.",
        ),
        ("speech", "Sarah Guo", None, None, "OK.", None),  # same language twice: two turns
        ("speech", "Sarah Guo", None, None, "Next question.", None),
    ]


def test_markdown_bad_time_names_the_line():
    with pytest.raises(FormatError, match=r"^line 4: bad timestamp '1:75:00'$"):
        markdown.parse("<!-- a\ncomment -->\n**Ann (0:01):** Hi.\n**Bob (1:75:00):** Hello.")


def test_a_hearing_in_restructuredtext():
    # a public inquiry's transcript as reStructuredText: section titles underlined (= - ^),
    # `**Name**:` labels, the oath in italics and capitals, times and breaks in italics, a
    # counsel's post-nominal written now and then, a stretch hard-wrapped with blank lines
    data = (
        b"19 June 2023\n============\n\n*(11.00 am)*\n\n**Lady Hallett**: Yes, Mr Keith.\n\n"
        b"Mr David Cameron\n----------------\n\n*MR DAVID CAMERON (sworn).*\n\n"
        b"Questions From Counsel to the Inquiry\n^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\n"
        b"**Ms Mitchell KC**: Were you aware of the exercise?\n\n"
        b"**Mr David Cameron**: -- seen anything, sort of a note from an official\n\n"
        b"saying, \"There's this exercise going on\". I mean, I've\n\n"
        b"seen notes of me on Ebola.\n\n"
        b"**Ms Mitchell**: Thank you.\n\n*(The witness withdrew)*\n"
    )
    parsed = read("hearing.rst", data)
    assert parsed.format == "markdown"
    assert [s.text for s in parsed.segments if s.kind == "context"] == [
        "19 June 2023", "(11.00 am)", "Mr David Cameron", "MR DAVID CAMERON (sworn).",
        "Questions From Counsel to the Inquiry", "(The witness withdrew)",
    ]
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("Lady Hallett", ("Yes, Mr Keith.",)),
        ("Ms Mitchell", ("Were you aware of the exercise?",)),
        ("Mr David Cameron", ("-- seen anything, sort of a note from an official saying, \"There's "
                              "this exercise going on\". I mean, I've seen notes of me on Ebola.",)),
        ("Ms Mitchell", ("Thank you.",)),
    ]


# --- vtt ---------------------------------------------------------------------------------------


ASS_FORMAT = "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def ass_file(*events: str) -> str:
    return "\n".join(["[Script Info]", "ScriptType: v4.00+", "", "[Events]", ASS_FORMAT, *events])


def test_ass_fansub_bilingual_lines_in_time_order():
    # Fansub files often list every Chinese line, then every English one (another style).
    text = ass_file(
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,我们先在工厂里用。",
        "Dialogue: 0,0:00:03.00,0:00:05.00,Default,,0,0,0,,{\\i1}然后再卖给别人。{\\i0}",
        "Dialogue: 0,0:00:01.00,0:00:03.00,English,,0,0,0,,First we use it in our factories.",
        "Dialogue: 0,0:00:03.00,0:00:05.00,English,,0,0,0,,Then we sell it.",
    )
    assert detect("talk.ass", text) == "ass" and detect("talk.txt", text) == "ass"
    assert rows(ass.parse(text)) == [
        ("speech", None, 1.0, 3.0, "我们先在工厂里用。First we use it in our factories.", None),
        ("speech", None, 3.0, 5.0, "然后再卖给别人。Then we sell it.", None),
    ]


def test_ass_actor_names_speakers_and_songs_are_not_speech():
    text = ass_file(
        "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,翻译注意:术语统一",
        "Dialogue: 0,0:00:00.00,0:00:04.00,OP_JP,,0,0,0,,{\\k30}きみの{\\k30}こえ",
        "Dialogue: 0,0:00:00.00,0:00:04.00,Staff,,0,0,0,,翻译:小明 校对:小红",
        "Dialogue: 0,0:00:01.00,0:00:03.00,Default,Host,0,0,0,,Why robots?\\NWhy now?",
        "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,Good question.",
        "Dialogue: 0,0:00:04.00,0:00:06.00,Default,Guest,0,0,0,,Cheap motors.",
        "Dialogue: 0,0:00:06.00,0:00:07.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}",
    )
    parsed = ass.parse(text)
    assert said(parsed) == [
        ("Host", "Why robots? Why now?"), (None, "Good question."), ("Guest", "Cheap motors."),
    ]
    assert parsed.dropped == {"songs, signs and credits": len("きみのこえ翻译:小明 校对:小红")}


@pytest.mark.parametrize(
    "event, message",
    [
        ("Dialogue: 0,0:00:xx.00,0:00:02.00,Default,,0,0,0,,Hi", "line 6: Failed to parse"),
        ("Dialogue: 0,0:00:01.00,Hi", "line 6: an event needs 10 comma-separated fields"),
        ("Dialogue: 0,0:00:09.00,0:00:02.00,Default,,0,0,0,,Hi", "line 6: the caption ends"),
    ],
)
def test_ass_errors_name_the_line(event, message):
    with pytest.raises(FormatError) as e:
        ass.parse(ass_file(event))
    assert str(e.value).startswith(message)


def test_vtt_voices_labels_and_ignored_blocks():
    parsed = vtt.parse(
        "\ufeffWEBVTT - interview\r\nKind: captions\r\n\r\n"
        "STYLE\r\n::cue { color: white }\r\n\r\n"
        "REGION\r\nid:left width:40%\r\n\r\n"
        "NOTE this is not\r\nspoken\r\n\r\n"
        "intro\r\n00:00:01.000 --> 00:00:03.500 align:start position:10%\r\n"
        "<v.loud Sarah Guo>How far <i>along</i>\r\nare we?</v>\r\n\r\n"
        "00:00:04.000 --> 00:00:06.000\r\n"
        "<v Andrej Karpathy>Close. <c.yellow>Very</c> close.\r\n\r\n"
        "00:00:06.000 --> 00:00:07.000\r\nSarah Guo: 为什么?\r\n"
    )
    assert rows(parsed) == [
        ("speech", "Sarah Guo", 1.0, 3.5, "How far along are we?", None),
        ("speech", "Andrej Karpathy", 4.0, 6.0, "Close. Very close.", None),
        ("speech", "Sarah Guo", 6.0, 7.0, "为什么?", None),
    ]


def test_vtt_meeting_display_names_with_a_team():
    # Zoom's transcript: each cue opens with the display name, which may carry a team
    parsed = vtt.parse(
        "WEBVTT\r\n\r\n1\r\n00:03:38.080 --> 00:03:39.080\r\nSam: Hello, hello.\r\n\r\n"
        "2\r\n00:03:40.000 --> 00:03:42.000\r\nChris - Base: Thanks, Sam.\r\n"
    )
    assert said(parsed) == [("Sam", "Hello, hello."), ("Chris - Base", "Thanks, Sam.")]


def test_vtt_zoom_display_names_with_a_tag_in_brackets():
    # Zoom shows a participant's name with the tag they chose (`(SL)`): all their words went to
    # the other speaker, label and all
    parsed = vtt.parse(
        "WEBVTT\n\n1\n00:00:00.510 --> 00:00:01.550\nAshlee Kupor (SL): Let's do that.\n\n"
        "2\n00:00:01.790 --> 00:00:07.080\nDora Demszky: Sure, I think it is transcribing.\n\n"
        "3\n00:00:07.170 --> 00:00:12.520\nAshlee Kupor (SL): Where are the transcripts stored?\n"
    )
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("Ashlee Kupor", ("Let's do that.",)),
        ("Dora Demszky", ("Sure, I think it is transcribing.",)),
        ("Ashlee Kupor", ("Where are the transcripts stored?",)),
    ]


def test_vtt_two_voices_on_one_line_each_after_a_dash():
    # YouTube's captions put a guest's thanks and the host's reply on one line
    parsed = vtt.parse(
        "WEBVTT\n\n00:00:14.880 --> 00:00:15.840\nWelcome to the podcast.\n\n"
        "00:00:15.840 --> 00:00:16.940\n- Thank you. - It's so good to have you here.\n\n"
        "00:00:16.940 --> 00:00:18.320\n- Yeah, it's great to be here.\n"
    )
    assert [(s.text, s.new_turn) for s in parsed.segments] == [
        ("Welcome to the podcast.", False),
        ("Thank you.", True),
        ("It's so good to have you here.", True),
        ("Yeah, it's great to be here.", True),
    ]


def test_vtt_teams_directory_names_are_shown_as_people_write_them():
    # Teams writes a directory's "Last, First" and marks attendees from outside "(Guest)"
    parsed = vtt.parse(
        "WEBVTT\n\n5a1f-0\n00:00:01.000 --> 00:00:03.000\n<v Nair, Priya>What is the rent?</v>\n\n"
        "5a1f-1\n00:00:03.500 --> 00:00:06.000\n<v Okafor, Daniel (Guest)>About 900 euros.</v>\n"
    )
    turns, _ = build_turns(parsed)
    assert [t.speaker for t in turns] == ["Priya Nair", "Daniel Okafor"]


def test_a_word_and_a_colon_inside_a_turn_is_no_speaker():
    """"Seriously: slower." opens a sentence; it is no person, though it looks like a name."""
    parsed = plain.parse(
        "Host: What are your three tips for new runners?\n"
        "Ines Ferreira: Start slower than you think.\n"
        "Seriously: slower. Most people quit because they run too fast.\n"
        "Host: And Emily?\n"
        "Emily: I agree.\n"
    )
    turns, _ = build_turns(parsed)
    assert [t.speaker for t in turns] == ["Host", "Ines Ferreira", "Host", "Emily"]
    assert "Seriously: slower. Most people quit" in " ".join(turns[1].paragraphs)


def test_a_translation_under_its_own_labels_is_the_same_turn():
    """Each turn in Chinese, then in English under the English form of the label: one turn
    each, with both texts; two people who each speak their own language stay two."""
    turns, _ = build_turns(plain.parse(
        "主持人：你为什么开始拍纪录片？\nHost: Why did you start making documentaries?\n"
        "周敏：因为村子要被水库淹没了。\nZhou Min: Because the village was going to be flooded.\n"
        "主持人：拍了多久？\nHost: How long did the filming take?\n"
        "周敏：整整四年。\nZhou Min: Four full years.\n"
    ))
    assert [(t.speaker, t.role, t.alt) for t in turns[:2]] == [
        ("主持人", "host", "Why did you start making documentaries?"),
        ("周敏", "guest", "Because the village was going to be flooded."),
    ] and len(turns) == 4
    talk, _ = build_turns(plain.parse(
        "王磊：你是怎么学中文的？\nEmily Clark: By watching TV every day.\n"
        "王磊：真的吗？\nEmily Clark: Yes, and by talking to taxi drivers.\n"
    ))
    assert [t.speaker for t in talk] == ["王磊", "Emily Clark", "王磊", "Emily Clark"]


def test_vtt_times_written_short_are_read():
    # seconds alone and one-digit minutes, as a podcast host's export writes them
    parsed = vtt.parse(
        "WEBVTT\n\n0.000 --> 3.480\n<v SPEAKER_1>It's Friday.\n\n"
        "59.240 --> 1:03.100\n<v SPEAKER_2>The last word.\n"
    )
    assert said(parsed) == [("SPEAKER_1", "It's Friday."), ("SPEAKER_2", "The last word.")]
    assert [(s.start, s.end) for s in parsed.segments] == [(0.0, 3.48), (59.24, 63.1)]


def test_vtt_two_voices_in_one_cue():
    parsed = vtt.parse("WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ann>Hi.</v>\n<v Bob>Hello.</v>\n")
    assert said(parsed) == [("Ann", "Hi."), ("Bob", "Hello.")]


def test_vtt_rolling_captions_are_read_once():
    parsed = vtt.parse(
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
        "00:00:00.000 --> 00:00:02.990 align:start position:0%\n \n"
        "so<00:00:00.480><c> the</c><00:00:00.960><c> question</c>\n\n"
        "00:00:02.990 --> 00:00:03.000 align:start position:0%\nso the question\n \n\n"
        "00:00:03.000 --> 00:00:05.000 align:start position:0%\nso the question\n"
        "is<00:00:03.300><c> data</c>\n\n"
        "00:00:05.000 --> 00:00:07.000 align:start position:0%\nis data\n[Music]\n"
    )
    assert rows(parsed) == [
        ("speech", None, 0.0, 3.0, "so the question", None),
        ("speech", None, 3.0, 5.0, "is data", None),
    ]
    assert parsed.dropped == {
        "repeated captions": 2 * len("so the question") + len("is data"),
        "stage directions": len("[Music]"),
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("hello\n\n00:01.000 --> 00:02.000\nHi", 'line 1: a WebVTT file starts with "WEBVTT"'),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:61.000\nHi", "line 3: bad timestamp '00:00:61.000'"),
        (
            "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nHi",
            "line 3: bad cue timing '00:00:01,000 --> 00:00:02,000'",
        ),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHi", "line 3: the cue ends before it starts"),
        (  # an arrow of one dash: webvtt-py skips the block, and the cue's words with it
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Ann>Welcome.\n\n"
            "2\n00:00:04.500 -> 00:00:09.000\n<v Piotr>Thanks.",
            "line 8: bad cue timing '00:00:04.500 -> 00:00:09.000'",
        ),
    ],
)
def test_vtt_errors_name_the_line(text, message):
    with pytest.raises(FormatError) as e:
        vtt.parse(text)
    assert str(e.value).startswith(message)


def test_vtt_text_outside_any_cue_is_reported_not_lost_silently():
    parsed = vtt.parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi.\n\nand then more\n")
    assert [s.text for s in parsed.segments] == ["Hi."]
    assert "line 6: text outside any cue was left out: 'and then more'" in parsed.warnings


# --- srt ---------------------------------------------------------------------------------------


def test_srt_captions_without_speakers():
    parsed = subrip.parse(
        "1\n00:00:01,000 --> 00:00:02,500\n<i>I have faith.</i>\nIf it works\n\n"
        '2\n00:00:03,000 --> 00:00:04,000\n<font color="#fff">我们已经</font>\n融合了。\n'
    )
    assert rows(parsed) == [
        ("speech", None, 1.0, 2.5, "I have faith. If it works", None),
        ("speech", None, 3.0, 4.0, "我们已经融合了。", None),
    ]


def test_srt_speaker_marks():
    parsed = subrip.parse(
        "1\n00:00:01,000 --> 00:00:02,000\n>> SARAH GUO: How far\nare we?\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nStill asking. [MUSIC]\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\n>> ANDREJ KARPATHY: Close.\n\n"
        "4\n00:00:04,000 --> 00:00:05,000\n- Really?\n- Yes.\n\n"
        "5\n00:00:05,000 --> 00:00:06,000\n>> Somebody new.\n"
    )
    assert rows(parsed) == [
        ("speech", "SARAH GUO", 1.0, 2.0, "How far are we?", None),
        ("speech", "SARAH GUO", 2.0, 3.0, "Still asking.", None),
        ("speech", "ANDREJ KARPATHY", 3.0, 4.0, "Close.", None),
        ("speech", None, 4.0, 5.0, "Really?", None),
        ("speech", None, 4.0, 5.0, "Yes.", None),
        ("speech", None, 5.0, 6.0, "Somebody new.", None),
    ]
    # each dash and `>>` without a name starts somebody else, whom nobody names
    assert [s.new_turn for s in parsed.segments] == [False, False, False, True, True, True]


def test_unnamed_speaker_changes_in_captions_make_turns():
    # broadcast captions mark each change of speaker with `>>` and name nobody: the marks
    # keep the question and its answer apart, and nobody is invented for either
    parsed = subrip.parse(
        "1\n00:00:01,000 --> 00:00:04,000\n>> So how did you start\nthe company?\n\n"
        "2\n00:00:04,500 --> 00:00:09,000\n>> In a garage in 2004,\nwith two laptops.\n\n"
        "3\n00:00:09,500 --> 00:00:12,000\nWe sold a payroll app.\n\n"
        "4\n00:00:12,500 --> 00:00:16,000\n>> And who bought it?\n"
    )
    turns, _ = build_turns(parsed)
    assert [(t.speaker, " ".join(t.paragraphs)) for t in turns] == [
        (None, "So how did you start the company?"),
        (None, "In a garage in 2004, with two laptops. We sold a payroll app."),
        (None, "And who bought it?"),
    ]
    # the answer is indexed with the question it answers
    passages = chunk_turns("talk.srt", turns, max_chars=400)
    assert [p.question for p in passages] == [None, "So how did you start the company?", None]


def test_srt_voices_named_in_brackets():
    # subtitles for the deaf: "[NAME] words" opens a voice's line, a line wholly in brackets
    # is a sound, and a bracketed label seen once ("[Door opens] Hello?") is left as text
    parsed = subrip.parse(
        "1\n00:00:01,000 --> 00:00:02,000\n[JOHN] Ready?\n- [MARY] Not yet.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\n[Door opens] Hello?\n[phone ringing]\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\n[MARY]: Now.\n(gunshot)\n\n"
        "4\n00:00:04,000 --> 00:00:05,000\n[JOHN] Go.\n"
    )
    assert rows(parsed) == [
        ("speech", "JOHN", 1.0, 2.0, "Ready?", None),
        ("speech", "MARY", 1.0, 2.0, "Not yet.", None),
        ("speech", "MARY", 2.0, 3.0, "[Door opens] Hello?", None),
        ("speech", "MARY", 3.0, 4.0, "Now.", None),
        ("speech", "JOHN", 4.0, 5.0, "Go.", None),
    ]
    assert parsed.dropped == {"stage directions": len("[phone ringing]") + len("(gunshot)")}


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:0x --> 00:00:03,000\nYo\n",
            "line 6: bad caption timing '00:00:0x --> 00:00:03,000'",
        ),
        ("hello world", "line 1: not an SRT caption: 'hello world'"),
        ("1\n00:61:01,000 --> 00:62:00,000\nHi\n", "line 2: bad timestamp '00:61:01,000'"),
        # a caption with no timing was read, number and all, as the words of the one before
        (
            "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\nthis is not a timestamp\nWorld\n",
            "line 6: caption 2 has no timing: 'this is not a timestamp'",
        ),
    ],
)
def test_srt_errors_name_the_line(text, message):
    with pytest.raises(FormatError) as e:
        subrip.parse(text)
    assert str(e.value).startswith(message)


# --- sbv ---------------------------------------------------------------------------------------


def test_sbv_captions_from_youtube_studio():
    # YouTube Studio's download: a `start,end` line above the words, `>> NAME:` where marked;
    # a timing with no words below is an empty caption, not an error
    data = (
        "\ufeff0:00:00.599,0:00:04.160\r\n>> ALICE: Hi, my name is Alice Miller\r\n"
        "and this is John Brown\r\n\r\n0:00:04.160,0:00:06.770\r\n>> JOHN: We own\r\n"
        "the bakery. [MUSIC]\r\n\r\n0:00:06.770,0:00:07.000\r\n\r\n"
        "1:02:03.000,1:02:05.500\r\n我们开始吧。\r\n"
    ).encode()
    parsed = read("cookies.sbv", data)
    assert parsed.format == "sbv"
    assert rows(parsed) == [
        ("speech", "ALICE", 0.599, 4.16, "Hi, my name is Alice Miller and this is John Brown", None),
        ("speech", "JOHN", 4.16, 6.77, "We own the bakery.", None),
        ("speech", "JOHN", 3723.0, 3725.5, "我们开始吧。", None),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("0:00:01.000,0:00:02.000\nHi\n\nThere\n", "line 4: not an SBV cue timing: 'There'"),
        ("0:00:01.000,0:00:02.000\nHi\n\n0:00:0x.000,0:00:03.000\nYo\n", "line 4: not an SBV"),
        ("0:61:01.000,0:62:00.000\nHi\n", "line 1: bad timestamp"),
        ("0:00:05.000,0:00:02.000\nHi\n", "line 1: the caption ends before it starts"),
    ],
)
def test_sbv_errors_name_the_line(text, message):
    with pytest.raises(FormatError) as e:
        read("talk.sbv", text.encode())
    assert str(e.value).startswith(message)


def test_a_transcript_copied_from_a_video_page_keeps_its_times():
    # "Show transcript" copied from a video page: each time alone on its line, the words
    # said from then on below it, no speakers; the times are data, not text
    parsed = read(
        "talk.txt",
        b"0:00\nhey everybody welcome back\n0:04\ntoday I'm talking with Jane\n"
        b"1:02:03\nwell it began in 1998\n",
    )
    assert parsed.format == "timestamped"
    assert rows(parsed) == [
        ("speech", None, 0.0, 4.0, "hey everybody welcome back", None),
        ("speech", None, 4.0, 3723.0, "today I'm talking with Jane", None),
        ("speech", None, 3723.0, None, "well it began in 1998", None),
    ]
    assert all(s.speaker is None for s in parsed.segments)


# --- ttml --------------------------------------------------------------------------------------


def test_ttml_apple_podcasts_transcript():
    # Apple Podcasts' TTML: one <p> per stretch of speech with its agent, a span per word,
    # the XML's own line breaks between them; each <div> begins where its first <p> does,
    # and the <p> times are written absolute
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:podcasts="http://podcasts.apple.com/transcript-ttml-internal"
    xmlns:ttm="http://www.w3.org/ns/ttml#metadata" xml:lang="en">
  <head><metadata/></head>
  <body dur="1:23:45.678">
    <div begin="0.000" end="12.500">
      <p begin="0.000" end="5.200" ttm:agent="SPEAKER_1">
        <span podcasts:unit="sentence"><span podcasts:unit="word">Welcome</span>
        <span podcasts:unit="word">back.</span></span>
      </p>
      <p begin="5.200" end="12.500" ttm:agent="SPEAKER_2"><span>Thanks</span> <span>for having me.</span></p>
    </div>
    <div begin="12.500" end="20.000">
      <p begin="12.500" end="20.000" ttm:agent="SPEAKER_1"><span>So, how did it start?</span></p>
    </div>
  </body>
</tt>"""
    parsed = read("episode.ttml", data)
    assert parsed.format == "ttml"
    assert rows(parsed) == [
        ("speech", "SPEAKER_1", 0.0, 5.2, "Welcome back.", None),
        ("speech", "SPEAKER_2", 5.2, 12.5, "Thanks for having me.", None),
        ("speech", "SPEAKER_1", 12.5, 20.0, "So, how did it start?", None),
    ]


def test_ttml_apple_word_spans_written_without_spaces():
    # what Apple Podcasts' files really hold: word spans inside sentence spans with nothing
    # between them, times as bare seconds and as h:mm:ss
    data = (
        b'<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata" '
        b'xmlns:podcasts="http://podcasts.apple.com/transcript-ttml-internal"><body><div>'
        b'<p begin="0.220" end="2.000" ttm:agent="SPEAKER_1"><span podcasts:unit="sentence">'
        b'<span podcasts:unit="word" begin="0.220" end="0.500">Welcome</span>'
        b'<span podcasts:unit="word" begin="0.500" end="0.600">to</span>'
        b'<span podcasts:unit="word" begin="0.600" end="0.900">War</span>'
        b'<span podcasts:unit="word" begin="0.900" end="1.300">Talk.</span></span></p>'
        b'<p begin="1:09:04.480" end="1:09:06.000" ttm:agent="SPEAKER_2"><span podcasts:unit="sentence">'
        b'<span podcasts:unit="word">Thanks,</span><span podcasts:unit="word">Jo.</span></span></p>'
        b"</div></body></tt>"
    )
    assert rows(read("episode.ttml", data)) == [
        ("speech", "SPEAKER_1", 0.22, 2.0, "Welcome to War Talk.", None),
        ("speech", "SPEAKER_2", 4144.48, 4146.0, "Thanks, Jo.", None),
    ]


def test_dfxp_subtitles_with_frames_and_named_agents():
    # a broadcaster's DFXP: the older namespace, times in frames, a <br/> inside a caption,
    # agents named in the head, and <p> times relative to their <div>
    data = """<tt xmlns="http://www.w3.org/2006/10/ttaf1" xmlns:ttp="http://www.w3.org/2006/10/ttaf1#parameter"
    xmlns:ttm="http://www.w3.org/2006/10/ttaf1#metadata" ttp:frameRate="25">
  <head><metadata><ttm:agent xml:id="a1"><ttm:name>王芳</ttm:name></ttm:agent></metadata></head>
  <body><div begin="00:01:00:00" ttm:agent="a1">
    <p begin="00:00:01:00" end="00:00:02:12">我们从<br/>二〇一九年开始。</p>
    <p begin="2.5s" dur="1s" ttm:agent="guest">Right.</p>
  </div></body>
</tt>""".encode()
    parsed = read("news.dfxp", data)
    assert rows(parsed) == [
        ("speech", "王芳", 61.0, 62.48, "我们从二〇一九年开始。", None),
        ("speech", "guest", 62.5, 63.5, "Right.", None),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ('<tt xmlns="http://www.w3.org/ns/ttml">\n<body><p begin="1s">Hi</body></tt>',
         "line 2: not well-formed XML"),
        ("<subtitles><text start=\"1\">Hi</text></subtitles>",
         "line 1: not a transcript format this reads (XML is read as TTML captions, whose root is "
         "<tt>; this one's is <subtitles>)"),
        ('<tt xmlns="http://www.w3.org/ns/ttml"><body>\n<p begin="soon">Hi</p></body></tt>',
         "line 2: bad time 'soon'"),
        ('<tt xmlns="http://www.w3.org/ns/ttml"><body>\n\n<p begin="5s" end="2s">Hi</p></body></tt>',
         "line 3: the caption ends before it starts"),
    ],
)
def test_ttml_errors_name_the_line(text, message):
    with pytest.raises(FormatError) as e:
        read("talk.xml", text.encode())
    assert str(e.value).startswith(message)


def test_ttml_entities_are_not_expanded():
    # an XML bomb or an external entity is refused as it stands, not expanded or fetched
    data = b"""<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="1s" end="2s">&x;</p></div></body></tt>"""
    parsed = read("talk.ttml", data)
    assert all("root:" not in s.text for s in parsed.segments)


# --- YouTube timed text ------------------------------------------------------------------------


def test_youtube_timed_text_from_the_caption_track():
    # what YouTube's caption track address serves (youtube-transcript-api reads it): seconds,
    # the text escaped twice, a line break inside a caption, `>>` where the speaker changes
    data = (
        b'<?xml version="1.0" encoding="utf-8" ?><transcript>'
        b'<text start="0.5" dur="2.1">&gt;&gt; So I&amp;#39;m glad\nyou came.</text>'
        b'<text start="2.6" dur="1.9">[Music]</text>'
        b'<text start="4.5" dur="2">&gt;&gt; Thanks for having me.</text></transcript>'
    )
    parsed = read("talk.xml", data)
    assert parsed.format == "timedtext"
    assert [(s.start, s.end, s.text) for s in parsed.segments if s.kind == "speech"] == [
        (0.5, 2.6, "So I'm glad you came."),
        (4.5, 6.5, "Thanks for having me."),
    ]
    starts = [s for s in parsed.segments if s.kind == "speech"]
    assert starts[0].new_turn and starts[1].new_turn


def test_youtube_srv3_from_yt_dlp():
    # yt-dlp --sub-format srv3: milliseconds, a <p> per caption with <s> word spans, empty
    # appended lines (a="1") between them, a <head> of pens and window styles
    data = """<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">
<head><pen id="1" fc="#E5E5E5"/><ws id="0"/><wp id="0" ap="6" ah="20" av="100"/></head>
<body>
<w t="0" id="1" wp="0" ws="0"/>
<p t="15519" d="4241" w="1"><s ac="0">for</s><s t="281" ac="0"> years</s><s t="1281" ac="0"> it's</s></p>
<p t="17950" d="10" w="1" a="1">
</p>
<p t="17960" d="4960" w="1"><s ac="0">been</s><s t="280" ac="0"> asked</s></p>
<p t="23000" d="2000" w="1">我们开始吧。</p>
</body>
</timedtext>""".encode()
    parsed = read("talk.en.srv3", data)
    assert [(s.start, s.end, s.text) for s in parsed.segments] == [
        (15.519, 19.76, "for years it's"),
        (17.96, 22.92, "been asked"),
        (23.0, 25.0, "我们开始吧。"),
    ]
    assert all(s.speaker is None for s in parsed.segments)


def test_youtube_timed_text_errors_name_the_line():
    with pytest.raises(FormatError) as e:
        read("talk.srv1", b'<transcript>\n<text start="soon" dur="2">Hi</text></transcript>')
    assert str(e.value) == "line 2: start='soon' is no time"
    with pytest.raises(FormatError) as e:
        read("talk.srv3", b'<timedtext format="3"><body>\n<p t="1" d="2">Hi</body></timedtext>')
    assert str(e.value).startswith("line 2: not well-formed XML")


# --- json --------------------------------------------------------------------------------------


def test_json_whisper():
    parsed = asr_json.parse(
        json.dumps(
            {
                "text": " Hello there. 你好。",
                "segments": [
                    {"id": 0, "start": 0.0, "end": 2.5, "text": " Hello there."},
                    {"id": 1, "start": 2.5, "end": 4.0, "text": " [Music] 你好。"},
                ],
                "language": "en",
            }
        )
    )
    assert rows(parsed) == [
        ("speech", None, 0.0, 2.5, "Hello there.", None),
        ("speech", None, 2.5, 4.0, "你好。", None),
    ]
    assert parsed.dropped == {"stage directions": len("[Music]")}


def test_json_whisper_output_kept_inside_a_pipelines_own_object():
    # as a transcription job stores it: {"bucket_name", "object_key", "result": {whisper}}
    text = json.dumps(
        {
            "object_key": "audio/45.m4a",
            "result": {"text": " Hi.", "segments": [{"start": 0, "end": 1.5, "text": " Hi."}]},
        }
    )
    assert asr_json.sniff(text) == 1.0
    assert rows(asr_json.parse(text)) == [("speech", None, 0.0, 1.5, "Hi.", None)]


def test_json_whisperx_with_words():
    parsed = asr_json.parse(
        json.dumps(
            {
                "segments": [
                    {
                        "start": 1.0,
                        "end": 2.0,
                        "speaker": "SPEAKER_00",
                        "text": "Hi there.",
                        "words": [{"word": "Hi", "start": 1.0}, {"word": "there.", "start": 1.5}],
                    },
                    {
                        "start": 2.0,
                        "end": 3.0,
                        "speaker": "SPEAKER_01",
                        "words": [{"word": "Hello"}, {"word": ","}, {"word": "friend"}],
                    },
                ]
            }
        )
    )
    assert said(parsed) == [("SPEAKER_00", "Hi there."), ("SPEAKER_01", "Hello, friend")]


@pytest.mark.parametrize("key", ["speakerLabel", "speaker_label", "speaker"])
def test_json_diarization_with_a_speaker_map(key):
    parsed = asr_json.parse(
        json.dumps(
            {
                "speakers": {"spk_0": "Luciano", "spk_1": "Bill Carr"},
                "segments": [
                    {key: "spk_0", "start": 3.76, "end": 5.0, "text": "Welcome."},
                    {key: "spk_1", "start": 5.0, "end": 6.5, "text": "Thanks."},
                    {key: "spk_2", "start": 6.5, "end": 7.0, "text": "Hi."},
                ],
            }
        )
    )
    assert rows(parsed) == [
        ("speech", "Luciano", 3.76, 5.0, "Welcome.", None),
        ("speech", "Bill Carr", 5.0, 6.5, "Thanks.", None),
        ("speech", "spk_2", 6.5, 7.0, "Hi.", None),
    ]


def test_json_bare_list_and_string_times():
    parsed = asr_json.parse(
        '[{"speaker": 0, "start": "00:00:01.5", "end": "2", "text": "One."},\n'
        ' {"speaker": 1, "start": 2, "end": null, "text": "Two."}]'
    )
    assert rows(parsed) == [
        ("speech", "Speaker 0", 1.5, 2.0, "One.", None),
        ("speech", "Speaker 1", 2.0, None, "Two.", None),
    ]


def test_json_turns_in_sections_of_a_parsers_own():
    # the g0v Legislative Yuan gazette parser: each interpellation a header object and its list
    # of turns, a turn's paragraphs as objects of their own; a time of day is no start time
    data = json.dumps([
        [{"type": "interp", "people": ["高委員金素梅", "陳院長冲"]},
         [{"speaker": "主席", "content": "請高委員金素梅質詢。"},
          {"speaker": "高委員金素梅", "content": "院長，原鄉的預算夠嗎？", "time": "11時8分"},
          {"speaker": "陳院長冲", "content": "我們編了4年500億。"},
          {"speaker": "陳院長冲", "content": "省道部分也有幫助。"}]],
    ], ensure_ascii=False).encode()
    parsed = read("4004_interp.json", data)
    assert parsed.format == "json"
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("主席", ("請高委員金素梅質詢。",)),
        ("高委員金素梅", ("院長，原鄉的預算夠嗎？",)),
        ("陳院長冲", ("我們編了4年500億。", "省道部分也有幫助。")),
    ]
    assert all(s.start is None for s in parsed.segments)
    with pytest.raises(ValueError, match='no transcript here'):
        read("x.json", b'[["a", ["b"]]]')


def test_json_youtube_transcript_api_list():
    # youtube-transcript-api's list: a start and a duration, auto-captions' `[Music]` cues
    parsed = read(
        "video.json",
        b'[{"text": "hey there", "start": 0.0, "duration": 1.54},'
        b' {"text": "[Music]", "start": 1.54, "duration": 2.0},'
        b' {"text": "so today we", "start": 3.54, "duration": 4.0}]',
    )
    assert rows(parsed) == [
        ("speech", None, 0.0, 1.54, "hey there", None),
        ("speech", None, 3.54, 7.54, "so today we", None),
    ]


def test_json_youtube_json3_captions():
    # yt-dlp's `--sub-format json3`: events in milliseconds, words as `segs`, line breaks as
    # events of their own, auto-captions' `[Music]`
    data = json.dumps({"wireMagic": "pb3", "events": [
        {"tStartMs": 0, "dDurationMs": 3000, "id": 1, "wpWinPosId": 1},
        {"tStartMs": 120, "dDurationMs": 2880, "wWinId": 1,
         "segs": [{"utf8": "hey"}, {"utf8": " there", "tOffsetMs": 400}]},
        {"tStartMs": 2990, "dDurationMs": 10, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\n"}]},
        {"tStartMs": 3000, "dDurationMs": 1500, "wWinId": 1, "segs": [{"utf8": "[Music]"}]},
        {"tStartMs": 4500, "dDurationMs": 2000, "wWinId": 1, "segs": [{"utf8": "so today we"}]},
    ]}).encode()
    parsed = read("video.en.json3", data)
    assert rows(parsed) == [
        ("speech", None, 0.12, 3.0, "hey there", None),
        ("speech", None, 4.5, 6.5, "so today we", None),
    ]


def test_json_assemblyai_utterances_in_milliseconds():
    parsed = asr_json.parse(
        '{"text": "Hi. Hello.", "utterances": [{"speaker": "A", "start": 250, "end": 1000, '
        '"text": "Hi."}, {"speaker": "B", "start": 1000, "end": 2500, "text": "Hello."}]}'
    )
    assert rows(parsed) == [
        ("speech", "Speaker A", 0.25, 1.0, "Hi.", None),
        ("speech", "Speaker B", 1.0, 2.5, "Hello.", None),
    ]


def test_json_a_long_utterance_is_cut_into_its_sentences_at_their_words_times():
    """One AssemblyAI utterance ran the whole 29 minutes, so every passage of it was cited at
    its first second; its words give the time of each sentence. The words come from the text
    (an editor's "Jeff Heer"), not the word list (the recognizer's "Hare")."""
    said = ["Hi, I'm Jeff Heer.", "I direct the interactive data lab " + "and we study charts " * 11 + "every day.",
            "Finally, I take four hundred milligrams of magnesium before bed."]
    text = " ".join(said)
    words, t = [], 0
    for w in text.replace("Heer", "Hare").split():
        words.append({"text": w, "start": t, "end": t + 300, "speaker": "A"})
        t += 400 if w != "day." else 600_000  # ten minutes pass before the last sentence
    data = {"utterances": [{"speaker": "A", "start": 0, "end": t, "text": text, "words": words}]}
    parsed = asr_json.parse(json.dumps(data))
    assert [s.text for s in parsed.segments] == said
    assert [s.start for s in parsed.segments] == [0.0, 1.6, words[-10]["start"] / 1000]
    passages = chunk_turns("a.json", build_turns(parsed)[0], 320)
    last = passages[-1]
    assert last.moment(said[-1]) == words[-10]["start"] / 1000 > 600


def test_json_google_speech_to_text_results():
    """Google Cloud Speech-to-Text's response (`results[].alternatives[0].transcript`, word
    times as "44.300s") was refused as "no transcript here", naming the "results" it holds."""
    def result(text, start, speaker=None):
        words = [{"startTime": f"{start + i * 0.5:.3f}s", "endTime": f"{start + i * 0.5 + 0.4:.3f}s", "word": w,
                  **({"speakerTag": speaker(i)} if speaker else {})} for i, w in enumerate(text.split())]
        return {"alternatives": [{"transcript": text, "confidence": 0.9, "words": words}], "languageCode": "en-us"}

    plain = {"@type": "type.googleapis.com/google.cloud.speech.v1.LongRunningRecognizeResponse",
             "results": [result("welcome to the podcast", 0), result(" the antivirus runs on 7000 machines", 44.3)]}
    parsed = read("sp003.json", json.dumps(plain).encode())
    assert [(s.speaker, s.start, s.text) for s in parsed.segments] == [
        (None, 0.0, "welcome to the podcast"), (None, 44.3, "the antivirus runs on 7000 machines")]
    # diarized: the last result gives every word again, with its speaker's tag
    both = "why do you run it every night because the disks fill up"
    diarized = {"results": [result("why do you run it every night", 0), result("because the disks fill up", 3.5),
                            result(both, 0, speaker=lambda i: 1 if i < 7 else 2)]}
    parsed = read("diarized.json", json.dumps(diarized).encode())
    assert [(s.speaker, s.start, s.text) for s in parsed.segments] == [
        ("Speaker 1", 0.0, "why do you run it every night"), ("Speaker 2", 3.5, "because the disks fill up")]


def test_json_a_lone_letter_label_is_a_speaker_not_an_answer():
    # AssemblyAI's "A" is whoever spoke first, usually the host; "Q" is its 17th speaker.
    parsed = asr_json.parse(
        '{"utterances": [{"speaker": "A", "start": 0, "end": 900, "text": "Why batteries?"},'
        ' {"speaker": "Q", "start": 900, "end": 2000, "text": "They store sun."}]}'
    )
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.role) for t in turns] == [("Speaker A", "host"), ("Speaker Q", "guest")]


def test_json_deepgram_utterances():
    data = {
        "metadata": {"request_id": "x"},
        "results": {
            "channels": [{"alternatives": [{"transcript": "welcome maria thanks"}]}],
            "utterances": [
                {"start": 0.25, "end": 2.6, "transcript": "Welcome, Maria.", "speaker": 0},
                {"start": 2.7, "end": 6.1, "transcript": "Thanks.", "speaker": 1},
            ],
        },
    }
    assert rows(asr_json.parse(json.dumps(data))) == [
        ("speech", "Speaker 0", 0.25, 2.6, "Welcome, Maria.", None),
        ("speech", "Speaker 1", 2.7, 6.1, "Thanks.", None),
    ]


def test_json_segments_under_a_key_of_the_tools_own():
    # Tingwu's transcript as a podcast pipeline stores it: refused as "no transcript here"
    data = {"title": "商业小样18", "transcription": [
        {"time": "00:00:01", "text": "大家好，我是肖文杰。", "speaker": "发言人1"},
        {"time": "00:03:55", "text": "科比是2003年从阿迪达斯转投耐克的。", "speaker": "发言人2"}]}
    assert rows(asr_json.parse(json.dumps(data, ensure_ascii=False))) == [
        ("speech", "发言人1", 1.0, None, "大家好，我是肖文杰。", None),
        ("speech", "发言人2", 235.0, None, "科比是2003年从阿迪达斯转投耐克的。", None),
    ]


def test_json_deepgram_utterance_of_two_speakers_follows_its_words():
    # An utterance Deepgram gives one speaker, whose words it gives to two: the customer's
    # "I'm good." was the agent's
    words = [
        {"word": "how", "punctuated_word": "How", "start": 7.1, "end": 7.2, "speaker": 0},
        {"word": "are", "punctuated_word": "are", "start": 7.2, "end": 7.3, "speaker": 0},
        {"word": "you", "punctuated_word": "you?", "start": 7.3, "end": 7.5, "speaker": 0},
        {"word": "i'm", "punctuated_word": "I'm", "start": 8.4, "end": 8.8, "speaker": 1},
        {"word": "good", "punctuated_word": "good.", "start": 8.8, "end": 9.1, "speaker": 1},
    ]
    utterance = {"start": 7.1, "end": 9.1, "transcript": "How are you? I'm good.", "speaker": 0,
                 "words": words}
    assert rows(asr_json.parse(json.dumps({"results": {"utterances": [utterance]}}))) == [
        ("speech", "Speaker 0", 7.1, 7.5, "How are you?", None),
        ("speech", "Speaker 1", 8.4, 9.1, "I'm good.", None),
    ]


def test_json_deepgram_paragraphs_then_words():
    paragraphs = {"paragraphs": [
        {"speaker": 0, "start": 0.0, "end": 3.0,
         "sentences": [{"text": "Welcome.", "start": 0, "end": 1}, {"text": "Who are you?"}]},
        {"speaker": 1, "start": 3.0, "end": 4.0, "sentences": [{"text": "Maria."}]},
    ]}
    words = [
        {"word": "welcome", "punctuated_word": "Welcome.", "start": 0.0, "end": 0.5, "speaker": 0},
        {"word": "hi", "punctuated_word": "Hi", "start": 0.6, "end": 0.8, "speaker": 1},
        {"word": "there", "punctuated_word": "there.", "start": 0.8, "end": 1.2, "speaker": 1},
    ]
    alt = {"transcript": "welcome who are you maria", "paragraphs": paragraphs, "words": words}
    parse = lambda a: rows(asr_json.parse(json.dumps(  # noqa: E731
        {"results": {"channels": [{"alternatives": [a]}]}})))
    assert parse(alt) == [
        ("speech", "Speaker 0", 0.0, 3.0, "Welcome. Who are you?", None),
        ("speech", "Speaker 1", 3.0, 4.0, "Maria.", None),
    ]
    assert parse({"transcript": "x", "words": words}) == [
        ("speech", "Speaker 0", 0.0, 0.5, "Welcome.", None),
        ("speech", "Speaker 1", 0.6, 1.2, "Hi there.", None),
    ]
    assert parse({"transcript": "no diarization here."}) == [
        ("speech", None, None, None, "no diarization here.", None),
    ]


def test_json_aws_transcribe_items():
    item = lambda t, s, e, w: {  # noqa: E731
        "type": t,
        "start_time": s,
        "end_time": e,
        "alternatives": [{"content": w}],
    }
    data = {
        "results": {
            "transcripts": [{"transcript": "Hello there. Hi."}],
            "speaker_labels": {
                "segments": [
                    {
                        "speaker_label": "spk_0",
                        "items": [{"start_time": "0.1"}, {"start_time": "0.5"}],
                    },
                    {"speaker_label": "spk_1", "items": [{"start_time": "1.2"}]},
                ]
            },
            "items": [
                item("pronunciation", "0.1", "0.4", "Hello"),
                item("pronunciation", "0.5", "0.9", "there"),
                {"type": "punctuation", "alternatives": [{"content": "."}]},
                item("pronunciation", "1.2", "1.4", "Hi"),
                {"type": "punctuation", "alternatives": [{"content": "."}]},
            ],
        }
    }
    assert rows(asr_json.parse(json.dumps(data))) == [
        ("speech", "spk_0", 0.1, 0.9, "Hello there.", None),
        ("speech", "spk_1", 1.2, 1.4, "Hi.", None),
    ]
    # a word the speaker segment's item list leaves out takes the speaker whose span holds it
    data["results"]["speaker_labels"]["segments"][0].update(start_time="0.1", end_time="1.0")
    data["results"]["speaker_labels"]["segments"][0]["items"].pop()
    assert rows(asr_json.parse(json.dumps(data)))[0][1:5] == ("spk_0", 0.1, 0.9, "Hello there.")


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '{\n  "segments": [\n    {"text": "Hi",}\n  ]\n}',
            "line 3: Expecting property name enclosed in double quotes",
        ),
        ('{"segments": [{"text": "Hi", "start": -1}]}', "segment 1: bad time -1"),
        ('{"segments": [{"text": "Hi", "start": "soon"}]}', "segment 1: bad time 'soon'"),
        ('{"segments": ["Hi"]}', 'segment 1: expected an object with "text", got str'),
        ('{"words": []}', 'line 1: no transcript here: expected "segments"'),
        ("42", "line 1: expected a JSON object or a list of segments"),
    ],
)
def test_json_errors(text, message):
    with pytest.raises(FormatError) as e:
        asr_json.parse(text)
    assert str(e.value).startswith(message)


# --- docx --------------------------------------------------------------------------------------


def pdf_bytes(paragraphs: list[str], header: str | None = None, page_numbers: bool = True,
              encrypt: str | None = None) -> bytes:
    """A PDF of wrapped paragraphs, with a running header and "Page N of M" on every page."""
    import fpdf

    class Doc(fpdf.FPDF):
        def header(self):
            if header:
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, header, align="C")
                self.ln(12)

        def footer(self):
            if page_numbers:
                self.set_y(-15)
                self.set_font("Helvetica", size=9)
                self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    doc = Doc()
    if encrypt:
        doc.set_encryption(owner_password="owner", user_password=encrypt)
    doc.alias_nb_pages()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    for text in paragraphs:
        doc.multi_cell(0, 6, text)
        doc.ln(3)
    return bytes(doc.output())


def test_pdf_oral_history_over_page_breaks():
    answer = "I grew up in Tucson, Arizona, where my father worked at the copper mine. " * 14
    paragraphs = [
        "INTERVIEWER: Where did you grow up?",
        f"LOPEZ: {answer.strip()}",
        "INTERVIEWER: And your mother?",
        "LOPEZ: She ran a bakery on Fourth Avenue.",
    ] * 3
    header = "Oral History Project - Interview with Maria Lopez"
    parsed = read("lopez.pdf", pdf_bytes(paragraphs, header=header))
    assert parsed.format == "pdf"
    turns = said(parsed)
    assert [who for who, _ in turns] == ["INTERVIEWER", "LOPEZ"] * 6
    # the long answers run over page breaks and come back whole, without the page chrome
    assert {" ".join(text.split()) for who, text in turns if who == "LOPEZ"} == {
        answer.strip(), "She ran a bakery on Fourth Avenue."
    }
    assert parsed.dropped["page headers, footers and numbers"] >= len(header) * 2
    assert not any("Page " in s.text or "Oral History" in s.text for s in parsed.segments)


def test_pdf_speaker_lines_at_the_top_of_every_page_are_not_a_running_header():
    # An Otter-style export: `Name  m:ss` above each turn; the same speaker often opens a page.
    paragraphs = []
    for i in range(16):
        who = "Monica Powell" if i % 2 else "Emily Freeman"
        words = " ".join(f"point{i}x{k}" for k in range(60 if i % 2 else 8))
        paragraphs += [f"{who}  {i}:{i * 3 % 60:02d}", f"{words}."]
    parsed = read("otter.pdf", pdf_bytes(paragraphs, header="Transcribed by https://otter.ai"))
    assert [(s.speaker, s.start) for s in parsed.segments] == [
        ("Monica Powell" if i % 2 else "Emily Freeman", i * 60 + i * 3 % 60) for i in range(16)
    ]


def test_pdf_timestamped_export():
    parsed = read("call.pdf", pdf_bytes(
        ["Ann Lee (00:00:01):", "Why batteries?", "Bo Chen (00:00:04):", "They store the sun."]
    ))
    assert [(s.speaker, s.start, s.text) for s in parsed.segments] == [
        ("Ann Lee", 1.0, "Why batteries?"), ("Bo Chen", 4.0, "They store the sun."),
    ]
    assert "page headers, footers and numbers" in parsed.dropped  # "Page 1 of 1"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.4\nnot really", "not a readable PDF file ("),
        ("scan", "this PDF has no text layer (a scan?): run OCR on it first"),
        ("locked", "the PDF is password-protected: save a copy without the password"),
    ],
)
def test_pdf_errors_are_one_line(data, message):
    if data == "scan":
        data = pdf_bytes([], page_numbers=False)
    elif data == "locked":
        data = pdf_bytes(["Ann: Hi."], encrypt="secret")
    with pytest.raises(ValueError) as e:
        read("x.pdf", data)
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_html_article_page_without_the_site_around_it():
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Ep. 42 | The Grid</title>"
        "<script>var a = 1;</script><style>p {color: red}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/ep'>Episodes</a></nav>"
        "<div class='ad-banner'>Sponsored: try our VPN!</div>"
        "<article><h2>Batteries with Maria Lopez</h2>"
        "<p><strong>Kevin Scott:</strong> Where did you <a href='/az'>grow up</a>?</p>"
        "<p><strong>Maria Lopez:</strong> In Tucson.</p><p>My father worked at the mine.</p>"
        "<div class='share-buttons'>Share on X</div></article>"
        "<aside>Related: Ep. 41</aside><footer>© 2024 The Grid</footer></body></html>"
    )
    parsed = read("ep42.html", page.encode())
    assert parsed.format == "html" and parsed.meta == {"title": "Ep. 42 | The Grid"}
    assert context(parsed) == ["Batteries with Maria Lopez"]
    assert said(parsed) == [
        ("Kevin Scott", "Where did you grow up?"),
        ("Maria Lopez", "In Tucson.\nMy father worked at the mine."),
    ]


def test_a_hearing_record_in_a_pre_page_title_and_capitals_labels():
    # The US Government Publishing Office's hearings as HTML: one <pre> of fixed-width text;
    # the title page and an advisory with form fields before the first turn, turns opened by
    # a title and the surname in capitals, a heading in capitals and the editor's brackets
    # between them
    page = (
        "<html>\n<title> - TRUST FUNDS</title>\n<body><pre>\n[House Hearing, 115 Congress]\n\n"
        "                 TRUST FUNDS\n\n                 HEARING\n"
        "CONTACT: (202) 225-1721\nPlease Note: Any person wishing to submit written\n"
        "comments must follow the link.\n"
        "    Chairman JOHNSON. Good morning. Mr. Goss, welcome. Please,\nproceed.\n"
        "                 STATEMENT OF STEPHEN C. GOSS,\n"
        "            CHIEF ACTUARY, SOCIAL SECURITY ADMINISTRATION\n\n"
        "    Mr. GOSS. Thank you. Reserves are depleted\nin 2034.\n"
        "    [The prepared statement of Mr. Goss follows:]\n\n"
        "[GRAPHICS NOT AVAILABLE IN TIFF FORMAT]\n\n"
        "    Mr. GOSS [continuing]. And 77 percent is payable.\n"
        "    Chairman JOHNSON. The Subcommittee stands adjourned.\n"
        "    [Whereupon, at 10:43 a.m., the Subcommittee was adjourned.]\n\n[all]\n"
        "</pre></body>\n</html>\n"
    )
    parsed = read("CHRG-115hhrg33480.htm", page.encode())
    assert parsed.format == "html" and parsed.meta == {"title": "TRUST FUNDS"}
    assert said(parsed) == [
        ("Chairman JOHNSON", "Good morning. Mr. Goss, welcome. Please, proceed."),
        ("Mr. GOSS", "Thank you. Reserves are depleted in 2034."),
        ("Mr. GOSS", "And 77 percent is payable."),
        ("Chairman JOHNSON", "The Subcommittee stands adjourned."),
    ]
    assert "STATEMENT OF STEPHEN C. GOSS," in context(parsed)
    assert "[The prepared statement of Mr. Goss follows:]" in context(parsed)
    assert "[all]" in context(parsed)
    assert not any("Contact" in (s.speaker or "") or "Note" in (s.speaker or "")
                   for s in parsed.segments)


def test_html_wechat_article_without_hidden_parts_and_widgets():
    # an interview as a WeChat official-account article, saved from the browser
    turns = (
        "<section><strong>主持人：</strong><span>人形机器人最早用在哪里？</span></section>"
        "<section style='display: none'>隐藏的转载说明</section>"
        "<section><strong>嘉宾：</strong><span>先在自己的工厂里做物料搬运。</span></section>"
    )
    page = (
        "<html><head><title>对话某某：机器人先进工厂</title></head><body>"
        f"<div class='rich_media_content' id='js_content'>{turns * 3}<p hidden>预览版本</p></div>"
        "<div class='qr_code_pc'>微信扫一扫 关注该公众号</div>"
        "<div class='reward_area'>喜欢作者</div></body></html>"
    )
    parsed = read("wechat.html", page.encode())
    assert said(parsed) == [
        ("主持人", "人形机器人最早用在哪里？"), ("嘉宾", "先在自己的工厂里做物料搬运。")
    ] * 3
    assert context(parsed) == []


def test_html_fragment_with_timed_lines_stays_html():
    # a site's transcript include: <p> on lines of their own, each turn `[time] <strong>Name: </strong>`
    text = "".join(
        f"<p>\n[00:00:{t:02d}] <strong>{who}: </strong>[00:00:{t:02d}] {words}\n</p>\n"
        for t, who, words in [(0, "Jared Morgan", "Hello there."), (25, "Tom Johnson", "Hey, Jared.")] * 2
    )
    assert detect("ep30.html", text) == "html"
    assert [(s.speaker, s.start, s.text) for s in read("ep30.html", text.encode()).segments][:2] == [
        ("Jared Morgan", 0.0, "Hello there."), ("Tom Johnson", 25.0, "Hey, Jared."),
    ]


def test_html_podcasting20_transcript_and_a_page_without_an_article():
    p20 = (
        "<html><body><cite>Kevin:</cite><time>0:00</time><p>Welcome, Maria.</p>"
        "<cite>Maria:</cite><time>1:05</time><p>Thanks.</p></body></html>"
    )
    assert [(s.speaker, s.start, s.text) for s in read("ep.htm", p20.encode()).segments] == [
        ("Kevin", 0.0, "Welcome, Maria."), ("Maria", 65.0, "Thanks."),
    ]
    # a news site's article page: no <article>, the sidebar is a div named for what it is
    page = (
        "<html><body><div class='main'><h1>访谈实录</h1><div class='content'>"
        + "".join(f"<p>{who}：{text}</p>" for who, text in [("主持人", "人形机器人最早用在哪里?"),
                                                        ("嘉宾", "工厂里的物料搬运。")] * 3)
        + "</div></div><div class='side-hot'>热门文章 某某某</div></body></html>"
    )
    parsed = read("talk.html", page.encode())
    assert [who for who, _ in said(parsed)] == ["主持人", "嘉宾"] * 3
    assert not any("热门" in s.text for s in parsed.segments)


def test_docx_bold_labels_and_headings():
    data = docx_bytes(
        ("**Sarah Guo:**", " How far along are we?"),
        ("**Andrej Karpathy**", ": Close. I think ", "**very**", " close."),
        ("It is a matter of software.",),
        heading="Karpathy on No Priors",
    )
    parsed = read("interview.docx", data)
    assert rows(parsed) == [
        ("context", None, None, None, "Karpathy on No Priors", None),
        ("speech", "Sarah Guo", None, None, "How far along are we?", None),
        (
            "speech",
            "Andrej Karpathy",
            None,
            None,
            "Close. I think very close.\nIt is a matter of software.",
            None,
        ),
    ]


def test_docx_keeps_the_words_of_hyperlinks():
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("Ann:").bold = True
    p.add_run(" Read ")
    link, run, text = OxmlElement("w:hyperlink"), OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "the paper"
    run.append(text)
    link.append(run)
    p._p.append(link)
    p.add_run(" first.")
    d.add_paragraph().add_run("Bob: OK.")
    buf = io.BytesIO()
    d.save(buf)
    assert said(word.parse_bytes(buf.getvalue())) == [
        ("Ann", "Read the paper first."),
        ("Bob", "OK."),
    ]


def test_docx_plain_and_timestamped_text():
    plain_doc = docx_bytes(("主持人:你好吗?",), ("嘉宾:很好。",), ("打开APP",))
    assert said(word.parse_bytes(plain_doc)) == [("主持人", "你好吗?"), ("嘉宾", "很好。")]
    timed = docx_bytes(("Sarah Guo  0:03",), ("How far along?",), ("Elad Gil  0:09",), ("Far.",))
    assert rows(word.parse_bytes(timed)) == [
        ("speech", "Sarah Guo", 3.0, 9.0, "How far along?", None),
        ("speech", "Elad Gil", 9.0, None, "Far.", None),
    ]


def test_docx_table_rows():
    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    for r, cells in enumerate([("Ann", "00:01", "Hello."), ("Bob", "00:04", "Hi.")]):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    assert rows(word.parse_bytes(buf.getvalue())) == [
        ("speech", "Ann", 1.0, 4.0, "Hello.", None),
        ("speech", "Bob", 4.0, None, "Hi.", None),
    ]


def test_docx_table_of_questions_and_answers():
    """A researcher's Word table, a row per exchange (`访谈者 | 受访者P06`, or no heading row):
    each row had become one passage by nobody, the question run into its answer."""
    def table_doc(cells):
        d = docx.Document()
        d.add_paragraph("受访者编号：P06")
        table = d.add_table(rows=len(cells), cols=2)
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        buf = io.BytesIO()
        d.save(buf)
        return build_turns(word.parse_bytes(buf.getvalue()))[0]

    exchanges = [("您现在在哪里工作？", "大部分时间在家。"), ("孩子会影响您吗？", "影响很大。")]
    for cells in ([("访谈者", "受访者P06"), *exchanges], exchanges):
        turns = table_doc(cells)
        assert [(t.role, t.paragraphs) for t in turns] == [
            ("host", ("您现在在哪里工作？",)), ("guest", ("大部分时间在家。",)),
            ("host", ("孩子会影响您吗？",)), ("guest", ("影响很大。",)),
        ]
        assert turns[1].speaker == "P06"


def test_docx_lecture_script_slide_titles_and_list_items():
    # A lecture's script as people write one in Word: slide titles set off by dashes, a list
    # in the List style whose items end without a full stop, no speaker labels.
    d = docx.Document()
    d.add_paragraph("--Title page--")
    d.add_paragraph("Hi, I'm Ann. We have:")
    d.add_paragraph("to find a bomb lost in 1966", style="List Paragraph")
    d.add_paragraph("to break Enigma", style="List Paragraph")
    d.add_paragraph("-- What they share --")
    d.add_paragraph("They all use Bayes.")
    buf = io.BytesIO()
    d.save(buf)
    parsed = word.parse_bytes(buf.getvalue())
    assert [(s.kind, s.speaker, s.text) for s in parsed.segments] == [
        ("context", None, "--Title page--"),
        ("speech", None, "Hi, I'm Ann. We have:"),
        ("speech", None, "- to find a bomb lost in 1966"),
        ("speech", None, "- to break Enigma"),
        ("context", None, "-- What they share --"),
        ("speech", None, "They all use Bayes."),
    ]


def test_markdown_and_text_list_items_are_paragraphs_of_their_own():
    md = "**Ann:** We had goals:\n\n- to build a case\n- to find the bomb\n\nThat was it.\n\n**Bob:** Ok."
    text = md.replace("**", "")
    for fmt, data in (("a.md", md), ("a.txt", text)):
        first = read(fmt, data.encode()).segments[0]
        assert first.text == "We had goals:\n- to build a case\n- to find the bomb\nThat was it.", fmt


def test_numbered_list_items_keep_their_numbers_and_are_not_headings():
    """"2. Open at six" after an item is the speaker's list, not a numbered section heading;
    a numbered line between turns is still a heading."""
    md = "**Ann:** Three rules:\n\n1. never sell old bread\n2. open at six\n3) close on Mondays\n\n**Bob:** Ok."
    text = md.replace("**", "").replace("\n\n", "\n")
    for fmt, data in (("a.md", md), ("a.txt", text)):
        assert said(read(fmt, data.encode())) == [
            ("Ann", "Three rules:\n1. never sell old bread\n2. open at six\n3) close on Mondays"),
            ("Bob", "Ok."),
        ], fmt
    items = said(read("a.md", md.encode()))[0][1]
    assert passage_sentences(items)[1:] == ["never sell old bread", "open at six", "close on Mondays"]
    zh = "安娜：三条规矩：\n1、不卖隔夜面包\n2、六点开门\n博文：好。\n安娜：就这些。\n博文：嗯。"
    assert said(read("a.txt", zh.encode()))[0] == ("安娜", "三条规矩：\n1、不卖隔夜面包\n2、六点开门")
    headed = "Ann: Intro here.\n1. Tesla\nAnn: We build cars.\n2. Waymo\nAnn: They drive.\nBob: Ok."
    parsed = read("a.txt", headed.encode())
    assert context(parsed) == ["1. Tesla", "2. Waymo"]
    assert ("Ann", "We build cars.") in said(parsed)


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken", b"Ann: hi"])
def test_docx_that_is_not_a_docx(data):
    with pytest.raises(ValueError, match=r"^not a readable \.docx file \(") as e:
        read("a.docx", data)
    assert "\n" not in str(e.value)


# --- what no parser may do ---------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\n\n\n",
    "a",
    "：",
    ":",
    "🤖",
    "🤖: 🤖",
    "A：",
    "：B",
    "數(shù)據(jù)",
    "(shù)",
    "é¢˜ç›®ï¼šæµ‹è¯•",
    "崿F(xiàn)在",
    "\ufeff",
    "\x07\x1b[0m",
    "-->",
    "WEBVTT",
    "WEBVTT\n\n-->",
    "{",
    "[",
    "[]",
    "{}",
    "null",
    '{"segments": null}',
    '[{"text": null}]',
    "1\n",
    "**",
    "****",
    "**:**",
    "# ",
    "\\[",
    "[00:00:01]",
    "(00:00:01):",
    "00:61:00",
    "Ann (99:99:99):",
    "<v >",
    "<v Ann>",
    ">>",
    "- ",
    "---\n---",
    "x" * 5000,
    "你" * 3000,
    "[Script Info]\n[Events]\nDialogue: 0,0:00:01.00",
    "[Events]\nFormat: Start, Text\nDialogue: soon,hi",
]
TEXT_PARSERS = [plain, timestamped, markdown, vtt, subrip, sbv, ttml, asr_json, ass, webpage, table, chat]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_input_gives_parsed_or_a_one_line_error(text):
    for module in TEXT_PARSERS:
        try:
            parsed = module.parse(text)
        except (FormatError, ValueError) as e:
            assert str(e) and "\n" not in str(e), module.NAME
            continue
        assert isinstance(parsed, Parsed), module.NAME
        assert all(isinstance(s, Segment) and s.text for s in parsed.segments), module.NAME
        assert 0.0 <= module.sniff(text) <= 1.0, module.NAME
    for suffix in sorted(SUFFIXES):
        try:
            parsed = read(f"x{suffix}", text.encode())
        except ValueError as e:  # FormatError is a ValueError
            assert str(e) and "\n" not in str(e), suffix
            continue
        assert isinstance(parsed, Parsed), suffix


FRAGMENTS = [
    "Ann: ",
    "Bob：",
    "**Ann:** ",
    "### Ann\n",
    "[00:00:01] ",
    "(00:01:02):",
    "Ann (00:00:03):",
    "Speaker 1  0:03",
    "1\n00:00:01,000 --> 00:00:02,000\n",
    "WEBVTT\n\n",
    "00:00:01.000 --> 00:00:02.000\n",
    "<v Ann>",
    "</v>",
    ">> ",
    "- ",
    "[laughs]",
    "\\[04:07\\]",
    "(inaudible)",
    "你好。",
    "Hello there.",
    "數(shù)",
    "?/strong>",
    "注:",
    "倒立擺(Inverted Pendulum):",
    "打开APP",
    "https://x.y",
    "\n",
    "\n\n",
    '{"segments": [',
    '{"text": "hi", "start": 1}',
    "]}",
    "*",
    "#",
    "：",
    "🤖",
    "\ufeff",
    "\r\n",
]


@pytest.mark.parametrize("module", TEXT_PARSERS, ids=lambda m: m.NAME)
def test_random_mixtures_never_crash(module):
    rng = random.Random(module.NAME)
    for _ in range(150):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 12)))
        try:
            parsed = module.parse(text)
        except (FormatError, ValueError) as e:
            assert "\n" not in str(e), text
            continue
        for s in parsed.segments:
            assert s.text and s.text == s.text.strip(), text


# --- one conversation in every format: speakers right, no words lost, nothing else kept --------

TALK = [
    (
        "Sarah Guo",
        "How do you think about self-driving today? How far are we from it being everywhere?",
    ),
    (
        "Andrej Karpathy",
        "I spent about five years on it. I think we reached something like AGI there, "
        "in a way, but the globalization is still ahead.",
    ),
    ("Sarah Guo", "And how do you see Waymo versus Tesla?"),
    (
        "Andrej Karpathy",
        "Tesla has a software problem and Waymo has a hardware problem. "
        "I would bet on the software problem being easier to solve at scale.",
    ),
    ("Elad Gil", "人形机器人的第一个应用场景会是什么?"),
    (
        "Andrej Karpathy",
        "我认为最好的第一批客户就是公司自己。特斯拉可能会先走这条路,先在工厂里做物料搬运。",
    ),
]


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[A-Za-z']+|[\u4e00-\u9fff]", text.lower()))


def _chunks(text: str, size: int) -> list[str]:
    if re.search(r"[\u4e00-\u9fff]", text):
        return [text[i : i + size * 2] for i in range(0, len(text), size * 2)]
    words = text.split()
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def _clock(t: int, sep: str = ".") -> str:
    return f"00:{t // 60:02d}:{t % 60:02d}{sep}000"


def render(fmt: str) -> tuple[str, bytes]:
    """TALK written the way `fmt` files write it, with the usual noise around it."""
    lines: list[str] = []
    if fmt == "plain":
        lines += ["扫码打开APP", "访谈实录:自动驾驶与机器人", ""]
        for who, text in TALK:
            lines += [f"{who}:{text}", ""]
        lines += ["本文来自微信公众号:某某", "打开虎嗅APP,查看全文"]
        return "talk.txt", "\n".join(lines).encode()
    if fmt == "timestamped":
        for i, (who, text) in enumerate(TALK):
            lines += [f"{who} ({_clock(i * 20)[:8]}):", *_chunks(text, 7), ""]
        return "talk.txt", "\n".join(lines).encode()
    if fmt == "markdown":
        lines += ["# Karpathy on No Priors", "", "Show notes: [episode](https://x.org/ep).", ""]
        for i, (who, text) in enumerate(TALK):
            lines += [f"**{who} ({_clock(i * 20)[:8]}):** {text} \\[laughs\\]", ""]
        return "talk.md", "\n".join(lines).encode()
    if fmt == "vtt":
        lines += ["WEBVTT", ""]
        t = 0
        for who, text in TALK:
            for piece in _chunks(text, 6):
                lines += [f"{_clock(t)} --> {_clock(t + 2)}", f"<v {who}>{piece}</v>", ""]
                t += 2
        return "talk.vtt", "\n".join(lines).encode()
    if fmt == "srt":
        t, n = 0, 1
        for who, text in TALK:
            for k, piece in enumerate(_chunks(text, 6)):
                mark = f">> {who.upper()}: " if k == 0 else ""
                lines += [str(n), f"{_clock(t, ',')} --> {_clock(t + 2, ',')}", mark + piece, ""]
                t, n = t + 2, n + 1
        return "talk.srt", "\n".join(lines).encode()
    if fmt == "sbv":
        t = 0
        for who, text in TALK:
            for k, piece in enumerate(_chunks(text, 6)):
                mark = f">> {who.upper()}: " if k == 0 else ""
                lines += [f"0:{_clock(t)[3:]},0:{_clock(t + 2)[3:]}", mark + piece, ""]
                t += 2
        return "talk.sbv", "\n".join(lines).encode()
    if fmt == "ttml":
        ids = {who: f"spk{i}" for i, who in enumerate(dict.fromkeys(w for w, _ in TALK))}
        lines += ['<?xml version="1.0" encoding="UTF-8"?>',
                  '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata">',
                  "<head><metadata>"]
        lines += [f'<ttm:agent xml:id="{i}" type="person"><ttm:name type="full">{who}</ttm:name>'
                  "</ttm:agent>" for who, i in ids.items()]
        lines += ["</metadata></head>", "<body>", "<div>"]
        t = 0
        for who, text in TALK:
            for piece in _chunks(text, 6):
                words = " ".join(f"<span>{w}</span>" for w in piece.split())
                lines += [f'<p begin="{t}.0s" end="{t + 2}.0s" ttm:agent="{ids[who]}">', words, "</p>"]
                t += 2
        lines += ["</div>", "</body>", "</tt>"]
        return "talk.ttml", "\n".join(lines).encode()
    if fmt == "timedtext":
        lines += ['<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">', "<body>"]
        t = 0
        for who, text in TALK:
            for k, piece in enumerate(_chunks(text, 6)):
                mark = f"&gt;&gt; {who.upper()}: " if k == 0 else ""
                words = "".join(f'<s t="{i * 200}">{" " * bool(i)}{w}</s>' for i, w in enumerate(piece.split()))
                lines += [f'<p t="{t * 1000}" d="2000" w="1">{mark}{words}</p>']
                t += 2
        lines += ["</body>", "</timedtext>"]
        return "talk.srv3", "\n".join(lines).encode()
    if fmt == "json":
        names = {who: f"spk_{i}" for i, who in enumerate(dict.fromkeys(w for w, _ in TALK))}
        segments = []
        t = 0.0
        for who, text in TALK:
            for piece in _chunks(text, 8):
                segments.append(
                    {"speakerLabel": names[who], "start": t, "end": t + 2.5, "text": f" {piece}"}
                )
                t += 2.5
        data = {"speakers": {v: k for k, v in names.items()}, "segments": segments}
        return "talk.json", json.dumps(data, ensure_ascii=False).encode()
    if fmt == "ass":
        lines += ["[Script Info]", "Title: 访谈", "ScriptType: v4.00+", "", "[Events]", ASS_FORMAT]
        lines.append("Dialogue: 0,0:00:00.00,0:00:05.00,OP,,0,0,0,,{\\k20}啦啦啦")
        t = 0
        for who, text in TALK:
            for piece in _chunks(text, 6):
                lines.append(f"Dialogue: 0,{_clock(t)[1:-1]},{_clock(t + 2)[1:-1]},Default,{who},0,0,0,,"
                             f"{{\\an8}}{piece}")
                t += 2
        return "talk.ass", "\n".join(lines).encode()
    if fmt == "html":
        lines += ["<!DOCTYPE html><html><head><title>No Priors</title></head><body>",
                  "<nav>Home | Episodes</nav><article><h1>Karpathy on No Priors</h1>"]
        lines += [f"<p><b>{who}:</b> {text} <i>[laughs]</i></p>" for who, text in TALK]
        lines += ["</article><footer>© No Priors</footer></body></html>"]
        return "talk.html", "\n".join(lines).encode()
    if fmt == "chat":
        codes = {who: f"P{i}" for i, who in enumerate(dict.fromkeys(w for w, _ in TALK))}
        lines += ["@UTF8", "@Begin", "@Languages:\teng, zho",
                  "@Participants:\t" + ", ".join(f"{c} {w.replace(' ', '_')} Adult" for w, c in codes.items())]
        for who, text in TALK:
            for piece in _chunks(text, 6):
                words = " ".join(piece) if re.search(r"[\u4e00-\u9fff]", piece) else piece
                lines += [f"*{codes[who]}:\t{words} .", "%mor:\tn|x"]
        lines.append("@End")
        return "talk.cha", "\n".join(lines).encode()
    if fmt == "csv":
        lines += ["segment,start,end,speaker,text"]
        t = 0
        for who, text in TALK:
            for piece in _chunks(text, 6):
                cell = f'"{piece}"' if "," in piece else piece
                lines.append(f"{len(lines)},{_clock(t)},{_clock(t + 2)},{who},{cell}")
                t += 2
        return "talk.csv", "\r\n".join(lines).encode()
    if fmt == "docx":
        return "talk.docx", docx_bytes(
            *[(f"**{who}:**", f" {text}") for who, text in TALK], heading="No Priors"
        )
    if fmt == "elan":  # a tier per speaker, an annotation per caption-sized piece
        pieces: dict[str, list[tuple[int, str]]] = {}
        t = 0
        for who, text in TALK:
            for piece in _chunks(text, 6):
                pieces.setdefault(who, []).append((t, piece))
                t += 1
        tiers = "".join(
            f'<TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="{who}" TIER_ID="tier{i}">'
            + "".join(_annotation(n, n + 1, n + 2, piece) for n, piece in said) + "</TIER>"
            for i, (who, said) in enumerate(pieces.items())
        )
        return "talk.eaf", _eaf(tiers, slots=t + 2)
    raise AssertionError(fmt)


# PDF has tests of its own: no font a test can embed gives pypdf the Chinese turns back.
@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"pdf"}))
def test_one_conversation_in_every_format(fmt):
    filename, data = render(fmt)
    parsed = read(filename, data)
    speech = [s for s in parsed.segments if s.kind == "speech"]
    turns = [
        s.speaker for i, s in enumerate(speech) if i == 0 or s.speaker != speech[i - 1].speaker
    ]
    expected = [who for who, _ in TALK]
    if fmt in ("srt", "sbv", "timedtext"):
        expected = [who.upper() for who in expected]
    assert turns == expected
    spoken = _words(" ".join(text for _, text in TALK))
    kept = _words(" ".join(s.text for s in speech))
    assert sum((spoken & kept).values()) / sum(spoken.values()) >= 0.98
    assert not kept - spoken  # nothing but the spoken words: no labels, times, chrome, cues
    for s in speech:
        assert not re.search(r"\d:\d\d|laughs|-->|\*\*|<v|>>", s.text), s.text
        assert not re.search(r"[a-z][.?!,][A-Za-z]", s.text), s.text  # `faith.If` is a bug
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", s.text), s.text


# Runs of one character that once made a pattern retry from every position (quadratic time).
# The guard is how the time grows, not a time limit, so a busy machine cannot fail it: four times
# the text takes about four times as long in a linear parser and sixteen times in a quadratic one.
PATHOLOGICAL = ["[", "<", "<v ", "[{", "ab@", "](", "[a](b", "x", ":\n"]


def _parse_time(text: str) -> float:
    """The faster of two runs of every text parser over `text`, bare and as a caption."""

    def once() -> float:
        begin = time.perf_counter()
        for module in TEXT_PARSERS:
            for body in (text, "WEBVTT\n\n00:01.000 --> 00:02.000\n" + text):
                try:
                    module.parse(body)
                except (FormatError, ValueError):
                    pass
        return time.perf_counter() - begin

    return min(once() for _ in range(2))


@pytest.mark.parametrize("unit", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
def test_long_runs_stay_linear(unit):
    short, long = (unit * (n // len(unit)) for n in (1500, 6000))
    assert _parse_time(long) < 8 * _parse_time(short) + 0.05


# --- tables (CSV, TSV) ---------------------------------------------------------------------------


def test_csv_whisper_segments_with_a_speaker_on_every_row():
    text = (
        "segment,from,to,speaker,text\r\n"
        "1,0:00:00,0:00:02,司儀,現在將時間交給我們的主持人\r\n"
        "2,0:00:02,0:00:05,楊瑪利,大家早安大家好\r\n"
        "4,0:00:05,0:00:08,楊瑪利,今年是臺灣發展相當關鍵的一年\r\n"
        "5,0:00:08,0:00:11,侯友宜,謝謝主持人 我個人從事公職 43 年\r\n"
        "6,0:00:11,0:00:13,,謝謝主持人"
    )
    parsed = read("all13.csv", text.encode())
    assert parsed.format == "csv"
    assert [(s.speaker, s.start, s.end) for s in parsed.segments] == [
        ("司儀", 0.0, 2.0), ("楊瑪利", 2.0, 5.0), ("楊瑪利", 5.0, 8.0), ("侯友宜", 8.0, 11.0),
        (None, 11.0, 13.0),
    ]
    turns, _ = build_turns(parsed)
    assert [t.speaker for t in turns] == ["司儀", "楊瑪利", "侯友宜", None]
    assert turns[1].paragraphs == ("大家早安大家好", "今年是臺灣發展相當關鍵的一年")


@pytest.mark.parametrize(
    "filename, text, expected",
    [
        # a tool's export with spaced header names and times in milliseconds
        ("a.csv", "Speaker Name,Start Time (ms),End Time (ms),Transcript\n"
                  'Ann Lee,1500,4000,"Hello, and welcome."\nBo Li,4000,6500,Thanks.\n',
         [("Ann Lee", 1.5, 4.0, "Hello, and welcome."), ("Bo Li", 4.0, 6.5, "Thanks.")]),
        # tab-separated, Chinese header names, no end times
        ("a.tsv", "時間\t說話者\t內容\n00:00:01\t主持人\t歡迎收聽。\n00:00:04\t來賓\t謝謝邀請。\n",
         [("主持人", 1.0, None, "歡迎收聽。"), ("來賓", 4.0, None, "謝謝邀請。")]),
        # no header: clock times, a short label that repeats, the longest cells are the text
        ("a.csv", "00:00:01,Ann,Hello there everyone.\n00:00:04,Bo,Hi Ann.\n00:00:06,Ann,How are you today?\n",
         [("Ann", 1.0, None, "Hello there everyone."), ("Bo", 4.0, None, "Hi Ann."),
          ("Ann", 6.0, None, "How are you today?")]),
        # a numbered diarizer label, a stage direction, semicolons
        ("a.csv", "start;end;speaker;text\n0.5;2.0;0;Hi [laughs] there.\n2.0;3.0;1;Yo.\n",
         [("Speaker 0", 0.5, 2.0, "Hi there."), ("Speaker 1", 2.0, 3.0, "Yo.")]),
    ],
)
def test_tables_in_the_shapes_tools_export(filename, text, expected):
    parsed = read(filename, text.encode())
    assert [(s.speaker, s.start, s.end, s.text) for s in parsed.segments] == expected


def test_table_without_speakers_says_so():
    parsed = read("captions.csv", b"start,end,text\n0,2,Hello there.\n2,4,General Kenobi.\n")
    assert [s.speaker for s in parsed.segments] == [None, None]
    assert any("no speaker" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "text, message",
    [
        ("start,end,speaker,text\n0:00:01,0:61:00,Ann,Hi.\n", "row 1: bad time '0:61:00'"),
        ("start,end\n1,2\n3,4\n", "line 1: no column of text found"),
        ("1,2\n3,4\n", "line 1: no column of text found"),
    ],
)
def test_table_errors_name_the_row(text, message):
    with pytest.raises(FormatError) as e:
        read("bad.csv", text.encode())
    assert message in str(e.value) and "\n" not in str(e.value)


def test_text_lines_with_voice_tags_name_their_speakers():
    # a podcast's own transcript: WebVTT voice tags kept in timed text lines, cues merged
    # into the line before keeping their tag mid-line
    text = (
        "00:00:00 <v Michael Kennedy>Hello and welcome to Python Bytes.\n\n"
        "00:00:11 <v Calvin Hendryx-Parker>I'm Calvin. <v Michael Kennedy>Welcome, Calvin.\n\n"
        "00:00:15 <v Michael Kennedy>So what is new?\n\n"
        "00:00:18 <v Calvin Hendryx-Parker>uv audit.\n"
    )
    parsed = read("483.txt", text.encode())
    assert [(s.speaker, s.text) for s in parsed.segments] == [
        ("Michael Kennedy", "Hello and welcome to Python Bytes."),
        ("Calvin Hendryx-Parker", "I'm Calvin."),
        ("Michael Kennedy", "Welcome, Calvin."),
        ("Michael Kennedy", "So what is new?"),
        ("Calvin Hendryx-Parker", "uv audit."),
    ]
    assert parsed.segments[0].start == 0.0 and parsed.segments[-1].start == 18.0


def test_chat_transcript_of_a_cantonese_interview():
    # a CHAT file as a corpus keeps it: speaker codes, words separated by spaces, a %mor tier
    # that does not line up with the words, a wrapped utterance, a filler and a retracing
    text = (
        "@UTF8\n@Begin\n@Languages:\tyue , eng\n"
        "@Participants:\tXXA A Adult , XXB B Adult\n@Date:\t02-MAR-1998\n"
        "*XXA:\t噉 我哋 由 而家 余 永姍 , 你 喺 亞視 做 咗 幾 耐\n\t呀 ?\n"
        "%mor:\tc|gam2 r|ngo5dei6\n"
        "*XXB:\t&-uh 八 年 , <即係> [/] 即係 工作 咗 八 年 .\n"
        "%mor:\tm|baat3 q|nin4\n"
        "@End\n"
    )
    parsed = read("r013.cha", text.encode())
    assert parsed.format == "chat" and parsed.meta["date"] == "1998-03-02"
    assert [(s.speaker, s.text) for s in parsed.segments] == [
        ("XXA", "噉我哋由而家余永姍,你喺亞視做咗幾耐呀？"),
        ("XXB", "八年,即係工作咗八年。"),
    ]
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.role) for t in turns] == [("XXA", "host"), ("XXB", "guest")]


def test_chat_without_utterances_is_one_line_error():
    with pytest.raises(FormatError, match="no utterance found"):
        read("empty.cha", b"@UTF8\n@Begin\n@End\n")


def test_a_turn_without_full_stops_is_cut_into_passages_and_keeps_every_word():
    """A 20,000-word turn with one full stop at its end was one passage of 100 KB: embedded
    as its first 512 tokens, quoted whole in answers to anything."""
    words = [f"w{i}" for i in range(20000)]
    chinese = "我们今天讨论城市交通的问题早高峰地铁非常拥挤" * 400
    for name, text in (("rant.txt", f"Ann Park: {' '.join(words)}."),
                       ("zh.txt", f"张伟：{chinese}。\n李娜：谢谢。\n张伟：不客气。")):
        turns, _ = build_turns(read(name, text.encode()))
        passages = chunk_turns(name, turns, max_chars=320)
        assert len(passages) > 20 and max(len(p.text) for p in passages) <= 960
        kept = " ".join(p.text for p in passages)
        if name == "rant.txt":
            assert kept.split() == [*words[:-1], words[-1] + "."]
        else:
            assert kept.replace(" ", "") == f"{chinese}。谢谢。不客气。"


def test_pdf_oral_history_with_its_times_above_the_turns_and_an_appendix():
    """A real oral history's PDF (the Science History Institute's): twenty pages of abstract
    and contents, each turn a box with its time on the first line (`[00:00:21]` above
    `GLUSKER: …`), then a publication list after `[END OF INTERVIEW]`. Every label stayed in
    the text, no turn had a speaker or a time, and the abstract was quoted as speech."""
    front = ["ABSTRACT"] + [f"Jenny Glusker grew up in Birmingham and studied chemistry, part {i}. " * 6
                            for i in range(60)]
    turns = ["[00:00:00]\nSCHNEIDER: So today is Tuesday. Where did you grow up?",
             "[00:00:21]\nGLUSKER: I was brought up in England, in Birmingham, a big industrial city.",
             "[00:00:30]\nSCHNEIDER: And your father?",
             "[00:00:41]\nGLUSKER: He was a doctor, and my mother was a doctor too.",
             "[END OF INTERVIEW]",
             "1972 Glusker, J.P. and Soule, F.B. The structure of the calcium salt. Acta Cryst. 28.",
             "1973 Carrell, H.L. and Glusker, J.P. The crystal structure of fluorocitrate. Acta Cryst. 29."]
    parsed = read("glusker.pdf", pdf_bytes(front + turns))
    speech = [(s.speaker, s.start, s.text) for s in parsed.segments if s.kind == "speech"]
    assert speech == [
        ("SCHNEIDER", 0.0, "So today is Tuesday. Where did you grow up?"),
        ("GLUSKER", 21.0, "I was brought up in England, in Birmingham, a big industrial city."),
        ("SCHNEIDER", 30.0, "And your father?"),
        ("GLUSKER", 41.0, "He was a doctor, and my mother was a doctor too."),
    ]
    context = " ".join(s.text for s in parsed.segments if s.kind == "context")
    assert "ABSTRACT" in context and "Acta Cryst. 29" in context


# --- ELAN (.eaf) ---------------------------------------------------------------------------------


def _eaf(tiers: str, slots: int = 8) -> bytes:
    """An ELAN document as ELAN 6 saves it, with `slots` time slots two seconds apart."""
    order = "".join(f'<TIME_SLOT TIME_SLOT_ID="ts{i}" TIME_VALUE="{2000 * i}"/>' for i in range(1, slots + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-05-02T10:00:00+01:00" FORMAT="3.0" VERSION="3.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">\n'
        '<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">'
        '<MEDIA_DESCRIPTOR MEDIA_URL="file:///home/ana/oral-history/rosa.wav" MIME_TYPE="audio/x-wav"/>'
        '<PROPERTY NAME="lastUsedAnnotationId">9</PROPERTY></HEADER>\n'
        f"<TIME_ORDER>{order}</TIME_ORDER>\n{tiers}\n"
        '<LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>\n'
        '<CONSTRAINT DESCRIPTION="Time subdivision" STEREOTYPE="Time_Subdivision"/>\n'
        "</ANNOTATION_DOCUMENT>\n"
    ).encode()


def _annotation(n: int, start: int, end: int, words: str) -> str:
    return (f'<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a{n}" TIME_SLOT_REF1="ts{start}" '
            f'TIME_SLOT_REF2="ts{end}"><ANNOTATION_VALUE>{words}</ANNOTATION_VALUE>'
            "</ALIGNABLE_ANNOTATION></ANNOTATION>")


def test_elan_tiers_are_speakers_and_their_annotations_turns_in_time_order():
    """An oral history transcribed in ELAN: a tier per speaker, named by its participant,
    annotations read in the order they were said across tiers, a translation tier beneath
    the narrator's as the second language, a notes tier left out."""
    interviewer = (
        '<TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Ana Ruiz" TIER_ID="Interviewer">'
        + _annotation(1, 1, 2, "¿Dónde creció usted?") + _annotation(3, 5, 6, "¿Y su padre?") + "</TIER>"
    )
    narrator = (
        '<TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Rosa Díaz" TIER_ID="Narrator">'
        + _annotation(2, 2, 4, "En Oaxaca, cerca del mercado.") + _annotation(4, 6, 8, "Era pescador.")
        + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="translation-lt" PARENT_REF="Narrator" TIER_ID="Narrator translation">'
        '<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a5" ANNOTATION_REF="a2">'
        "<ANNOTATION_VALUE>In Oaxaca, near the market.</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>"
        '<TIER LINGUISTIC_TYPE_REF="notes-lt" PARENT_REF="Narrator" TIER_ID="Notes">'
        '<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a6" ANNOTATION_REF="a4">'
        "<ANNOTATION_VALUE>[check spelling]</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>"
    )
    parsed = read("rosa.eaf", _eaf(interviewer + narrator))
    assert parsed.format == "elan" and parsed.meta["media"] == "file:///home/ana/oral-history/rosa.wav"
    assert [(s.speaker, s.start, s.end, s.text, s.alt) for s in parsed.segments] == [
        ("Ana Ruiz", 2.0, 4.0, "¿Dónde creció usted?", None),
        ("Rosa Díaz", 4.0, 8.0, "En Oaxaca, cerca del mercado.", "In Oaxaca, near the market."),
        ("Ana Ruiz", 10.0, 12.0, "¿Y su padre?", None),
        ("Rosa Díaz", 12.0, 16.0, "Era pescador.", None),
    ]
    turns, _ = build_turns(parsed)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Ana Ruiz", "host"), ("Rosa Díaz", "guest"), ("Ana Ruiz", "host"), ("Rosa Díaz", "guest"),
    ]


def test_elan_that_is_not_well_formed_or_not_elan_is_one_line():
    with pytest.raises(FormatError, match=r"^line \d+: not well-formed XML"):
        read("rosa.eaf", _eaf("<TIER TIER_ID='A'>")[:-40])
    with pytest.raises(FormatError, match=r"not an ELAN document \(its root is <tt>"):
        read("rosa.eaf", b"<tt><body/></tt>", fmt="elan")


def _ref(n: int, to: int, words: str) -> str:
    return (f'<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="r{n}" ANNOTATION_REF="a{to}">'
            f"<ANNOTATION_VALUE>{words}</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>")


def test_elan_as_toolbox_and_flex_export_it_reads_the_transcription_not_the_line_numbers():
    """A field linguist's file (Toolbox, FLEx): a `ref@SP1` tier of line numbers on top, the
    words in `tx@SP1` beneath it, word and morpheme tiers, the free translation in `ft@SP1`, a
    literal translation and notes, and a title tier. The turns were the line numbers ("1",
    "10.2"), the words and the translation were lost, and the title was a speaker."""
    tiers = (
        '<TIER LINGUISTIC_TYPE_REF="ref" PARTICIPANT="SP1" TIER_ID="ref@SP1">'
        + _annotation(1, 1, 2, "1") + _annotation(2, 3, 4, "2") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="tx" PARENT_REF="ref@SP1" PARTICIPANT="SP1" TIER_ID="tx@SP1">'
        + _ref(1, 1, "jǐnjɛ̀ ú jɛ̀ɛ̂ .") + _ref(2, 2, "jâm sày .") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="mot" PARENT_REF="tx@SP1" PARTICIPANT="SP1" TIER_ID="mot@SP1">'
        '<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="w1" ANNOTATION_REF="r1"><ANNOTATION_VALUE>jǐnjɛ̀'
        "</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>"
        '<TIER LINGUISTIC_TYPE_REF="ft" PARENT_REF="ref@SP1" PARTICIPANT="SP1" TIER_ID="ft@SP1">'
        + _ref(3, 1, "God has brought you.") + _ref(4, 2, "Just") + _ref(5, 2, "health.") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="lit" PARENT_REF="ref@SP1" PARTICIPANT="SP1" TIER_ID="lit@SP1">'
        + _ref(6, 1, "God you brought") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="not" PARENT_REF="ref@SP1" PARTICIPANT="SP1" TIER_ID="not@SP1">'
        + _ref(7, 2, "greeting formula") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="txt" TIER_ID="interlinear-text-title-en">'
        + _annotation(9, 1, 4, "Name-giving ceremony") + "</TIER>"
    )
    parsed = read("dogon.eaf", _eaf(tiers))
    assert [(s.speaker, s.start, s.end, s.text, s.alt) for s in parsed.segments] == [
        ("SP1", 2.0, 4.0, "jǐnjɛ̀ ú jɛ̀ɛ̂ .", "God has brought you."),
        ("SP1", 6.0, 8.0, "jâm sày .", "Just health."),
    ]
    assert parsed.warnings == ["tiers left out as no one's words: interlinear-text-title-en"]


def test_elan_with_two_cuts_of_one_narration_keeps_the_sentences_and_their_translation():
    """A narration cut into sentences and, on a top tier of its own, into intonation units
    (Pangloss): every word was read twice, the notes tier was a speaker, and a gloss tier of
    type `translation` was taken for the translation."""
    tiers = (
        '<TIER LINGUISTIC_TYPE_REF="text" TIER_ID="Dzala Sentence">'
        + _annotation(1, 1, 4, "guru rinpoche ... níke-raŋ") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="Dzala Sentence" TIER_ID="English Free Translation">'
        + _ref(1, 1, "Guru Rinpoche was born down in India.") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="text" TIER_ID="Dzala IU">'
        + _annotation(2, 1, 2, "guru rinpoche") + _annotation(3, 3, 4, "níke-raŋ") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="Dzala IU" TIER_ID="Gloss">'
        + _ref(2, 2, "guru rinpoche (personal name)") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="text" TIER_ID="Transcriber Notes">'
        + _annotation(4, 1, 2, "Manali is a placename") + "</TIER>"
        '<TIER LINGUISTIC_TYPE_REF="translit" PARENT_REF="Dzala Sentence" TIER_ID="Transliteration">'
        + _ref(5, 1, "guru rinpoche nike rang") + "</TIER>"
    )
    parsed = read("buddhism.eaf", _eaf(tiers))
    assert [(s.speaker, s.start, s.end, s.text, s.alt) for s in parsed.segments] == [
        ("Dzala", 2.0, 8.0, "guru rinpoche ... níke-raŋ", "Guru Rinpoche was born down in India."),
    ]
    assert parsed.warnings == ["tiers left out as no one's words: Dzala IU, Transcriber Notes"]
    # with its words beneath it, the finer cut is found by the time it shares with the other
    words = ('<TIER LINGUISTIC_TYPE_REF="chunk" PARENT_REF="Dzala IU" TIER_ID="Dzala Words and Morphemes">'
             + _ref(6, 2, "guru") + _ref(7, 2, "rinpoche") + _ref(8, 3, "níke-raŋ") + "</TIER>")
    parsed = read("buddhism.eaf", _eaf(tiers + words))
    assert [s.text for s in parsed.segments] == ["guru rinpoche ... níke-raŋ"]
    assert parsed.warnings[-1] == "tiers left out as another cut of the same words: Dzala IU"


def test_a_header_of_fields_is_no_turn_and_names_the_two_sides():
    """A study's header (`访谈者：林老师`, `受访者编号：P05`) above turns labelled by side: the
    header line whose label the turns use was the interviewer's first turn ("林老师备注：…"
    quoted as speech), and a header naming the interviewee (`受访者：P10（化名小周）`) above
    `Q:`/`A:` turns made the participant a host. The header names each side now."""
    def turns_of(text):
        return [(t.speaker, t.role, " ".join(t.paragraphs)) for t in build_turns(plain.parse(text))[0]]

    assert turns_of(
        "远程办公访谈\n访谈日期：2024年3月15日\n受访者编号：P05\n访谈者：林老师\n备注：同意录音，时长41分钟\n\n"
        "访谈者：王老师您好，请先介绍一下自己。\n受访者：我姓王，教英语十一年了。\n"
        "访谈者：用什么平台上课？\n受访者：用钉钉直播。\n"
    ) == [("林老师", "host", "王老师您好，请先介绍一下自己。"), ("P05", "guest", "我姓王，教英语十一年了。"),
          ("林老师", "host", "用什么平台上课？"), ("P05", "guest", "用钉钉直播。")]
    assert turns_of(
        "访谈日期：2024年4月8日\n访谈者：林老师\n受访者：P10（化名小周）\n\n"
        "Q: 您平时在哪里办公？\nA: 在家里的书房。\nQ: 为什么？\nA: 太安静了。\n"
    ) == [("林老师", "host", "您平时在哪里办公？"), ("P10", "guest", "在家里的书房。"),
          ("林老师", "host", "为什么？"), ("P10", "guest", "太安静了。")]
    assert [(s, r) for s, r, _ in turns_of(
        'Date: 2024-04-10\nInterviewer: KM\nInterviewee: P15 (pseudonym "Sam")\n\n'
        "Q: Where do you work from?\nA: My kitchen table.\nQ: Why?\nA: No desk.\n"
    )][:2] == [("KM", "host"), ("P15", "guest")]
    # a header naming two participants names no label: the turns decide who asks
    assert [(s, r) for s, r, _ in turns_of(
        "Date: 2024-04-10\nParticipants: P15, P16\n\nQ: Where do you work from?\nA: My kitchen table.\n"
        "Q: Why?\nA: No desk.\n"
    )][:2] == [(None, "host"), ("A", "guest")]
