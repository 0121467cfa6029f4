"""Transcript repair: pure functions on tiny strings, exact outputs."""

import pytest

from index.clean import (
    ends_sentence,
    is_cruft,
    is_editor_note,
    is_heading,
    normalize,
    repair,
    strip_pinyin,
    to_simplified,
)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("數(shù)據(jù)", "數據"),
        ("網(wǎng)絡(luò)很好", "網絡很好"),
        (
            "能夠?qū)崿F(xiàn)",
            "能夠崿F",
        ),  # lost character: the pinyin goes, the mojibake stays inert
        ("可微分神經計算機(DNC)", "可微分神經計算機(DNC)"),  # an English gloss is kept
        ("外皮層(exocortex)", "外皮層(exocortex)"),
        ("", ""),
        ("(shù)", "(shù)"),  # nothing before it: not an annotation
        ("🤖(jī)", "🤖"),
    ],
)
def test_strip_pinyin(raw, clean):
    assert strip_pinyin(raw) == clean


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("普及?/strong>", "普及?"),
        ("<b>粗體</b>  文字", "粗體 文字"),
        ("A &amp; B", "A & B"),
        ("控制\x07字符", "控制字符"),
        # a lost GBK byte: what reads back (and occurs elsewhere) is kept, the rest marked lost
        ("實現了。我們能夠?qū)崿F(xiàn)", "實現了。我們能夠\ufffd現"),
        ("Tesla 會在規(guī);褪杖肽J缴细I(lǐng)先。", "Tesla 會在規\ufffd先。"),
        ("没问题。普通的句子?没问题A股", "没问题。普通的句子?没问题A股"),
        ("全角\u3000空格", "全角 空格"),
        ("x", "x"),
    ],
)
def test_repair(raw, clean):
    assert repair(raw) == clean


def test_normalize_maps_scripts_width_and_case():
    assert normalize("數據：Tesla") == "数据:tesla"
    assert to_simplified("數據 Tesla") == "数据 Tesla"


@pytest.mark.parametrize(
    "line, cruft",
    [
        ("打开虎嗅APP,查看全文", True),
        ("本内容为作者独立观点,不代表虎嗅立场。未经允许不得转载", True),
        ("如对本稿件有异议或投诉,请联系tougao@huxiu.com", True),
        ("以上內容由騰訊混元大模型生成,僅供參考", True),
        ("全部删除", True),  # an app button scraped as a line
        ("文集:", True),
        ("https://www.huxiu.com/article/1.html", True),
        ("联系我们:hezuo@huxiu.com", True),
        ("Transcribed by https://otter.ai", True),
        ("我认为最好的第一批客户就是公司自己。", False),
        ("Go to https://karpathy.ai and read the post on it, it is good.", False),
        ("You can write to me at andrej@example.com any time you like.", False),
        ("删除这一段之后,模型反而更好了。", False),
        # a paragraph that mentions an app prompt or the show's address is somebody's words
        ("因為我偷偷在研究你們的數位錢包,我就敲一下,真的好像有感應到,你們真的有在流程上做了一些優化,"
         "就是比別的商業化網站還多做了一些 inform,比如打開 APP、綁定我的錢包,我雖然有一點緊張,"
         "但是我還是綁了,我覺得不錯啊!", False),
        ("All right, that is all the time we have for today. If you have anything you would "
         "like to share with us, you can e-mail us anytime at show@example.com. Thanks!", False),
        ("本文来自微信公众号:Founder Park,作者:No Priors,编译:Founder Park,题图来自:AI生成。本内容为"
         "作者独立观点,不代表虎嗅立场。未经允许不得转载,授权事宜请联系 hezuo@huxiu.com", True),
        ("", False),
    ],
)
def test_is_cruft(line, cruft):
    assert is_cruft(line) is cruft


@pytest.mark.parametrize(
    "line, heading",
    [
        ("01.", True),
        ("二、架构不是限制,数据稀缺才是重点", True),
        ("一、人形机器人的第一个落地场景是什么?", True),
        ("自動駕駛和 AGI 很像", True),
        ("对,正是这样。", False),
        (
            "我认为其中有很多是受监管因素的影响。但我确实认为,从某种意义上来说,我们已经实现了。",
            False,
        ),
        ("第二段话,", False),  # a comma: the sentence goes on
        ("Why Data Is the Bottleneck", True),
        ("2. The Software Problem", True),
        ("Yeah", False),
        ("and that is the thing", False),
        ("", False),
    ],
)
def test_is_heading(line, heading):
    assert is_heading(line) is heading


@pytest.mark.parametrize(
    "line, ends",
    [
        ("对,正是这样。", True),
        ("真的吗？", True),
        ("I have faith.", True),
        ("「对」", True),
        ("是可以", False),
        ("so the question is", False),
        ("", False),
    ],
)
def test_ends_sentence(line, ends):
    assert ends_sentence(line) is ends


@pytest.mark.parametrize(
    "line, note",
    [
        ("倒立擺(Inverted Pendulum):涉及到使一個擺保持直立", True),
        ("堆疊LSTM(Stacked LSTM)是指將多個LSTM層堆疊", True),
        ("注:可以理解为,在 AI 时代,拥有模型的权重", True),
        ("“旋轉位置編碼”(RoPE,Rotary Positional Encodings):一種編碼", True),
        ("所以问题就是:如何利用 AI 来扩大一个优秀老师的影响", False),
        ("Transformer 像一個通用計算機", False),
    ],
)
def test_is_editor_note(line, note):
    assert is_editor_note(line) is note
