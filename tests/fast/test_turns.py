"""Speakers and turns, decided from the whole document whatever the format; passages."""

import pytest

from index.chunk import chunk_turns, is_backchannel, split_sentences, split_turn
from index.formats import read
from index.formats.base import Parsed, Segment
from index.formats.lines import join
from index.turns import build_turns, canonical_names, roles
from index.types import Turn


def split_turns(text: str, name: str = "doc.txt"):
    """A text file through its format parser and the document-level speaker decisions."""
    return build_turns(read(name, text.encode()))

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
    # page chrome is dropped; an editor's line about the guest is nobody's words
    assert turns[5].paragraphs == ("数学、物理和计算机科学。",)
    assert all("创始成员" not in p for t in turns for p in t.paragraphs)


def test_full_names_and_truncated_labels():
    turns, _ = split_turns("Sarah Guo:问?\nAndrej Karpathy:答。\nElad Gil:问?\nAndrej Karpathy:答。\n排版:Fia")
    assert [t.speaker for t in turns] == ["Sarah Guo", "Andrej Karpathy", "Elad Gil", "Andrej Karpathy"]
    assert canonical_names(["NoPriors", "Priors", "NoPriors", "Karpathy"], "Andrej Karpathy 说") == {
        "NoPriors": "No Priors",
        "Priors": "No Priors",
        "Karpathy": "Andrej Karpathy",
    }
    # "The Karpathy" is no first name
    assert canonical_names(["Karpathy"], "The Karpathy interview") == {"Karpathy": "Karpathy"}


def test_one_person_one_name_across_a_long_file_and_a_speaker_map():
    p = Parsed([Segment("Hi?", "spk_0", 0, 1), Segment("Hello.", "spk_1", 1, 2),
                Segment("Why?", "spk_0", 3600, 3601), Segment("Because.", "spk_1", 3601, 3700)])
    turns, _ = build_turns(p, {"spk_0": "Luciano", "spk_1": "Ana"})
    assert [(t.speaker, t.role, t.times) for t in turns] == [
        ("Luciano", "host", ((0, 1),)),
        ("Ana", "guest", ((1, 2),)),
        ("Luciano", "host", ((3600, 3601),)),
        ("Ana", "guest", ((3601, 3700),)),
    ]


def test_a_name_given_in_a_speaker_map_is_shown_as_given():
    """`--speaker "Speaker 3=Cody"` listed the speaker as "For Cody": the text said "For Cody,
    like, …", read as his full name. A capitalised preposition opens no name either."""
    said = "So does that answer it? For Cody, like, if he wanted notes, I could add them."
    p = Parsed([Segment("How do modules work?", "Speaker 3", 0, 1), Segment(said, "Speaker 1", 1, 2)])
    turns, _ = build_turns(p, {"Speaker 3": "Cody"})
    assert [t.speaker for t in turns] == ["Cody", "Speaker 1"]
    names = canonical_names(["Cody", "Ann"], "For Cody, like, a note. Ann asked.", [])
    assert names["Cody"] == "Cody", names


def test_roles_from_front_matter_win():
    r = roles([("A", "Why?"), ("B", "Data."), ("A", "So?")], {"hosts": ["B"]})
    assert r == {"A": "guest", "B": "host"}
    assert roles([("Interviewer", "Tell me about it."), ("Jo", "Well.")]) == {
        "Interviewer": "host",
        "Jo": "guest",
    }


def test_guests_a_host_announces_are_guests_under_a_diarizers_letters():
    # AssemblyAI's export: speakers are letters; the host announces both guests after a
    # sponsor's read, one guest says his name, the other never does; the second host talks
    # about as much as the quieter guest.
    import json

    said = [
        ("A", "Surprise maps by themselves are hard. " * 3),
        ("B", "Brought to you by Qlik. Hey, everyone. Welcome to a new episode of Data Stories. "
              "Hey, Moritz."),
        ("C", "Hey, Enrico. Summer broke out here."),
        ("B", "Today we have on the show Michael Correll and Jeff Heer. Welcome."),
        ("D", "Hi, I'm Jeff Heer. I direct the lab and co-founded Trifacta."),
        ("A", "I'm a postdoc. My focus is statistics for the public. " * 4),
        ("C", "What do the maps show? Tell us more about the model and the data here."),
        ("D", "Cartographers and statisticians have spent decades on this."),
    ]
    data = {"utterances": [
        {"speaker": who, "start": 1000 * i, "end": 1000 * i + 900, "text": text}
        for i, (who, text) in enumerate(said)
    ]}
    turns, _ = build_turns(read("ds.json", json.dumps(data).encode()))
    role = {t.speaker: t.role for t in turns}
    assert role == {"Speaker A": "guest", "Speaker B": "host", "Speaker C": "host",
                    "Speaker D": "guest"}


@pytest.mark.parametrize("text", ["打开APP", "🤖", "x"])
def test_nothing_to_say(text):
    turns, warnings = split_turns(text)
    assert all(t.speaker is None for t in turns)


def test_unlabelled_text_has_no_invented_speaker():
    turns, warnings = split_turns("第一段话,很长的一句话。\n\n第二段话。")
    assert [(t.speaker, t.role) for t in turns] == [(None, "")]
    assert "".join(turns[0].paragraphs) == "第一段话,很长的一句话。第二段话。"


def test_full_width_colon_and_spaces_after_label():
    turns, _ = split_turns("Sarah Guo： 你好吗?\nAndrej Karpathy:  很好,谢谢你的提问。")
    assert [(t.speaker, t.paragraphs) for t in turns] == [
        ("Sarah Guo", ("你好吗?",)),
        ("Andrej Karpathy", ("很好,谢谢你的提问。",)),
    ]


def test_sentences_and_pieces():
    assert split_sentences("我认为是的。对!What? 好") == ["我认为是的。", "对!", "What?", "好"]
    t = Turn(1, "G", "guest", ("一二三。", "四五。", "六七八九十。"))
    assert split_turn(t, max_chars=8) == [("一二三。\n四五。", None, None), ("六七八九十。", None, None)]
    # an over-long paragraph is cut at sentence ends; English sentences keep their space
    t = Turn(1, "G", "guest", ("甲乙丙。丁戊己。庚辛壬。",), ((5.0, 9.0),))
    assert split_turn(t, max_chars=8) == [("甲乙丙。丁戊己。", 5.0, 9.0), ("庚辛壬。", 5.0, 9.0)]
    t = Turn(1, "G", "guest", ("I kept the faith. If so, fine. Then we go.",))
    assert [x[0] for x in split_turn(t, max_chars=30)] == ["I kept the faith. If so, fine.", "Then we go."]


def test_a_caption_that_ends_mid_sentence_keeps_its_sentence_end():
    """Captions break anywhere: a piece takes the next caption when that finishes its sentence
    (up to half again its size), so an answer is not cut off at "… was why does"."""
    caps = ("the first comment we ever got", "was why does he look so mad.", "Then we moved on.")
    t = Turn(1, "G", "guest", caps, ((0, 2), (2, 4), (4, 6)))
    pieces = split_turn(t, max_chars=40)
    assert pieces[0] == ("the first comment we ever got\nwas why does he look so mad.", 0, 4)
    # a piece that ends its sentence is not stretched
    t = Turn(1, "G", "guest", ("It was free.", "Then we moved on to other things."))
    assert [p[0] for p in split_turn(t, max_chars=30)] == list(t.paragraphs)


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [("faith.", "If", "faith. If"), ("数据。", "我", "数据。我"), ("数据。", "Tesla", "数据。Tesla"), ("", "x", "x")],
)
def test_join_never_glues_words(a, b, joined):
    assert join(a, b) == joined


@pytest.mark.parametrize("text", ["Okay.", "Right, right.", "Yeah", "嗯。", "Mm-hmm.", "对对。"])
def test_backchannels(text):
    assert is_backchannel(text)


@pytest.mark.parametrize("text", ["Okay, so why data?", "Right. What about Tesla?", "嗯,为什么?"])
def test_questions_are_no_backchannels(text):
    assert not is_backchannel(text)


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
    assert chunks[1].lexical_text() == "为什么?\n因为。"


def test_a_backchannel_keeps_the_question_being_answered():
    turns, _ = split_turns("A: Why is data the bottleneck?\nB: Because models need it.\nA: Okay.\nB: And labels are rare.")
    chunks = chunk_turns("doc.txt", turns, max_chars=200)
    assert chunks[-1].question == "Why is data the bottleneck?"


@pytest.mark.parametrize(
    ("aside", "asked"),
    [("That is awesome.", "Why is data the bottleneck?"),  # a remark: still answering
     ("Tell me more.", "Why is data the bottleneck?"),
     ("So what about labels?", "So what about labels?"),  # asks: the new question
     ("Jen, you said 425,000.", "Jen, you said 425,000."),  # a number: something new
     ("Tell me about the labelling teams.", "Tell me about the labelling teams.")],
)
def test_a_short_remark_keeps_the_question_being_answered(aside, asked):
    turns, _ = split_turns(f"A: Why is data the bottleneck?\nB: Because models need it.\nA: {aside}\nB: And labels are rare.")
    assert chunk_turns("doc.txt", turns, max_chars=200)[-1].question == asked


def test_a_short_cantonese_remark_keeps_the_question_being_answered():
    turns, _ = split_turns("D：亞視點解硬係做唔起呢？\nB：其實係要好多年囖。\nD：都唔少年𡃉嚹喎。\nB：我覺得個上層變得太緊要。")
    assert chunk_turns("doc.txt", turns, max_chars=200)[-1].question == "亞視點解硬係做唔起呢？"


def test_initials_take_the_names_the_document_declares():
    p = Parsed(
        [Segment("开场。", "Shaun Apps（SA）"), Segment("我先说?", "SA"), Segment("好的。", "AP"),
         Segment("我也说。", "JR")],
        meta={"speakers": ["Jeremy Rubin", "Andrew Poelstra"]},
    )
    turns, _ = build_turns(p)
    assert [t.speaker for t in turns] == ["Shaun Apps", "Andrew Poelstra", "Jeremy Rubin"]


@pytest.mark.parametrize("name, text", [
    ("doc.txt", "Frederico Muñoz (FSM): Hello Carlos. Could you tell us about yourself?\n\n"
                "Carlos Santana (CS): Of course. I am an architect at AWS.\n\n"
                "FSM: Why a book club?\n\nCS: A livestream suggestion.\n\n"
                "FSM: How do you choose?\n\nCS: We vote.\n"),
    ("doc.md", "**Frederico Muñoz (FSM)**：你好 Carlos。你能介绍一下自己吗？\n\n"
               "**Carlos Santana (CS)**：当然可以。我是 AWS 的架构师。\n\n"
               "**FSM**：为什么办读书会？\n\n**CS**：一次直播中的建议。\n\n"
               "**FSM**：如何选书？\n\n**CS**：大家投票。\n"),
])
def test_a_full_name_declaring_the_short_label_of_later_turns_is_a_speaker(name, text):
    """`Frederico Muñoz (FSM):` once, then `FSM:`: the first turn is the host's opening
    question, not a heading to drop, and every `FSM` turn is Frederico Muñoz."""
    turns, _ = split_turns(text, name)
    assert [t.speaker for t in turns] == ["Frederico Muñoz", "Carlos Santana"] * 3
    assert "AWS" in " ".join(turns[1].paragraphs)


def test_initials_spelled_out_in_the_text():
    assert canonical_names(["SA", "Q"], "Shaun Apps（SA）：我先做个开场吧。") == {"SA": "Shaun Apps", "Q": "Q"}


def test_a_first_name_next_to_another_speaker_is_no_full_name():
    names = canonical_names(["Kevin", "Tom", "Kevin"], "thanks Kevin Tom and Travis")
    assert names == {"Kevin": "Kevin", "Tom": "Tom"}


def test_a_label_that_names_nobody_leaves_the_passage_without_a_speaker():
    text = (
        "Adam Curry: The storm took the power out.\n"
        "Unknown: Yes.\n"
        "Dave Jones: We ran on the generator all night.\n"
        "Unknown Speaker: It was loud.\n"
    )
    turns, _ = split_turns(text)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Adam Curry", "guest"), (None, ""), ("Dave Jones", "guest"), (None, ""),
    ]  # fmt: skip
    # A speaker map that names the voice wins.
    mapped, _ = build_turns(read("doc.txt", text.encode()), speaker_map={"Unknown": "Tina"})
    assert [t.speaker for t in mapped] == ["Adam Curry", "Tina", "Dave Jones", None]


def test_an_anonymous_questioner_asks_but_is_nobody():
    """An audience `Q：` is no person: no speaker, yet its question still heads the answer."""
    p = Parsed(
        [Segment("我先做个开场。", "Shaun Apps（SA）"), Segment("为什么要禁用 CAT？", "Q"),
         Segment("因为当时有漏洞。", "AP"), Segment("那现在呢？", "Q")],
        meta={"speakers": ["Andrew Poelstra"]},
    )
    turns, _ = build_turns(p)
    assert [(t.speaker, t.role) for t in turns][1:] == [
        (None, "host"), ("Andrew Poelstra", "guest"), (None, "host")
    ]
    answer = [c for c in chunk_turns("panel.md", turns, 320) if c.speaker == "Andrew Poelstra"]
    assert answer[0].question == "为什么要禁用 CAT？"
    named = build_turns(p, speaker_map={"Q": "Ada Lovelace"})[0]
    assert named[1].speaker == "Ada Lovelace"  # a speaker map that names the voice wins


def test_a_chinese_question_and_answer_write_up():
    """`问：… 答：…`, as Chinese interview write-ups have it: the questioner is nobody named, and
    the answer follows its question."""
    text = (
        "问：你们公司最早是做什么的？\n答：我们最早是做仓储物流机器人的，主要在工厂里搬运物料。\n"
        "问：那家庭机器人呢？\n答：至少还要五到十年。\n"
    )
    turns, warnings = build_turns(read("qa.txt", text.encode()))
    assert [(t.speaker, t.role) for t in turns] == [
        (None, "host"), ("答", "guest"), (None, "host"), ("答", "guest")
    ]
    assert warnings == []
    answer = chunk_turns("qa.txt", turns, 320)[1]
    assert answer.question == "你们公司最早是做什么的？" and answer.text.startswith("我们最早")


SHOW = """Behind the Show Podcast
ANN LEE: I wrote a book a year for fifteen years before one sold.

KEVIN SCOTT: Hi, everyone. Welcome to Behind the Show. I'm your host, Kevin Scott. Today we talk with an author whose stories I have read for years, about how she works, why she keeps writing, and what she reads.

ANN LEE: Thanks for having me. I started with games, then short stories, then novels.

KEVIN SCOTT: Tell me about the games. I played a lot of them as a kid and they shaped how I think about stories, worlds and characters, so I am curious.

ANN LEE: They taught me to build worlds.
"""


def test_capitals_labels_become_names_and_the_self_declared_host_is_the_host():
    """`KEVIN SCOTT:` is Kevin Scott, as the text spells him; he says he is the host, so the
    other speaker is the guest, though he asks few questions and speaks most."""
    turns, _ = split_turns(SHOW)
    assert {(t.speaker, t.role) for t in turns} == {("Ann Lee", "guest"), ("Kevin Scott", "host")}


def test_the_person_welcomed_to_the_show_is_the_guest():
    talk = ("Tom: Dave, welcome to the show. Thanks for all your work.\n\nDave: Glad to be here.\n\n"
            "Kim: We have been busy. " * 1 + "So much to say. " * 20 + "\n\nDave: Indeed.\n")
    turns, _ = split_turns(talk)
    assert {t.speaker: t.role for t in turns} == {"Tom": "host", "Dave": "guest", "Kim": "host"}


def test_a_diarized_voice_that_says_its_name_gets_a_suggestion_not_a_new_name():
    p = Parsed([
        Segment("It's Friday. I'm James Cridland, the editor of Podnews.", "SPEAKER_1", 0.0, 3.0),
        Segment("And I'm Sam Sethi.", "SPEAKER_2", 3.0, 5.0),
        Segment("I'm sure it is.", "SPEAKER_1", 5.0, 6.0),
    ])
    turns, warnings = build_turns(p)
    assert [t.speaker for t in turns] == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_1"]
    assert warnings == [
        'SPEAKER_1 says "I\'m James Cridland": if that is who it is, rename SPEAKER_1 to James '
        'Cridland (--speaker "SPEAKER_1=James Cridland")',
        'SPEAKER_2 says "I\'m Sam Sethi": if that is who it is, rename SPEAKER_2 to Sam Sethi '
        '(--speaker "SPEAKER_2=Sam Sethi")',
    ]
    # mapped, or a label that is a name already: nothing to suggest
    assert build_turns(p, {"SPEAKER_1": "James Cridland", "SPEAKER_2": "Sam Sethi"})[1] == []
    named = Parsed([Segment("I'm Bo Chen, filling in.", "Ann Lee", 0.0, 1.0)])
    assert build_turns(named)[1] == []


def test_a_voice_that_says_its_name_after_a_few_greetings_is_still_introduced():
    from index.turns import self_introductions

    said = [("Speaker D", "Hi."), ("Speaker D", "Good to be back."), ("Speaker D", "Third time's the charm."),
            ("Speaker D", "Hi, I'm Jeff Heer. I direct the interactive data lab.")]
    assert self_introductions(said) == {"Speaker D": ("Jeff Heer", "I'm Jeff Heer")}


def test_a_diarized_voice_handed_the_word_by_name_gets_a_suggestion():
    p = Parsed([
        Segment("Welcome to the show. Hey, Moritz.", "SPEAKER_1", 0.0, 3.0),
        Segment("Hey, Enrico.", "SPEAKER_2", 3.0, 5.0),
        Segment("Four?", "SPEAKER_1", 5.0, 6.0),
        Segment("Yes, four of them.", "SPEAKER_2", 6.0, 7.0),
    ])
    turns, warnings = build_turns(p)
    assert [t.speaker for t in turns] == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_1", "SPEAKER_2"]
    assert warnings == [
        'SPEAKER_2 is handed the word as "Moritz": if that is who it is, rename SPEAKER_2 '
        '(--speaker "SPEAKER_2=Moritz …")',
        'SPEAKER_1 is handed the word as "Enrico": if that is who it is, rename SPEAKER_1 '
        '(--speaker "SPEAKER_1=Enrico …")',
    ]


def test_a_host_turn_that_opens_with_a_sponsor_read_heads_the_answer_with_its_question():
    """The answer's question was the host turn's first 200 characters: a sponsor's read
    ("Today's episode is brought to you by DX…"), cut off mid-word."""
    ad = "Today's episode is brought to you by DX, an engineering intelligence solution. " * 2
    turns = [
        Turn(1, "Lenny Rachitsky", "host", (ad, "This episode is brought to you by Vanta.",
                                            "I want to start with a question from Wes Kao. How do you know if you have good taste?")),
        Turn(2, "Seth Godin", "guest", ("I define good taste as knowing what people want just before they do.",)),
    ]
    answer = chunk_turns("lenny.md", turns, 320)[-1]
    assert answer.question == "I want to start with a question from Wes Kao. How do you know if you have good taste?"
    long_intro = [Turn(1, "Host", "host", ("Welcome to the show, " + "and thanks to our sponsors " * 12,)),
                  Turn(2, "Guest", "guest", ("Thanks.",))]
    q = chunk_turns("x.md", long_intro, 320)[-1].question
    assert q.endswith(" to…") and len(q) <= 200  # after a whole word


def test_a_paragraph_without_a_time_of_its_own_is_at_the_last_time_before_it():
    """A transcript line without a time goes on from the timed line before it; its passage
    had no moment (no `[mm:ss]`, no deep link)."""
    turn = Turn(1, "Jen", "guest", ("And she asks how to solve it.", "She breaks it into tiny pieces."),
                times=((665.2, None), (None, None)))
    assert [p.start for p in chunk_turns("b.txt", [turn], max_chars=30)] == [665.2, 665.2]
