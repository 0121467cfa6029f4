"""Repair scraped transcript text: pure functions, text in, text out.

The repairs target what web scrapes and script converters leave behind, not one file:
pinyin annotations after characters, HTML remnants, mojibake fragments, and page cruft
(app prompts, share/tip widgets, reprint notices).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Lower-case pinyin syllables, with tone marks or a trailing tone digit.
_PINYIN = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}[1-5]?"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿü"
# `數(shù)據(jù)`: a converter's reading in ASCII parentheses right after a character.
_PINYIN_AFTER_CHAR = re.compile(rf"(?<=[^\s(（])\(({_PINYIN})\)")
# `?qū)`: the same, where the character and the opening parenthesis were lost to mojibake.
_LOST_CHAR_PINYIN = re.compile(rf"\?({_PINYIN})\)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# A closing tag whose `<` was lost to mojibake: `普及?/strong>`.
_TAG_REMNANT = re.compile(r"(?<=\?)/(?:strong|em|b|i|u|span|p|div|font|a)>")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
# GBK text that lost a byte reads as other characters until a trail byte in the ASCII range
# brings it back in step: `我們?nèi)ダ斫獯竽X是` for `我們去理解大腦是`. The run starts where the
# lost character left a `?` or `;` (and maybe a converter's pinyin remnant) and ends in that
# stray Latin letter, inside Chinese text.
# Where the byte that brought it back in step was lost too, a second `?` and pinyin remnant
# end the run: `我們?nèi)ビ?xùn)練` for `我們去訓練`.
_SHIFTED_GBK = re.compile(
    rf"[?;](?:{_PINYIN}\))?((?:[\u3040-\u30ff\u3400-\u9fff]{{1,12}}?[A-Za-z])+)"
    r"(?=[\u3400-\u9fff(])"
    rf"|[?;]{_PINYIN}\)([\u3040-\u30ff\u3400-\u9fff]{{1,12}}?)(?=\?{_PINYIN}\))"
)
LOST = "\ufffd"  # the Unicode replacement character: what could not be read back


def _looks_like_pinyin(syllable: str) -> bool:
    # Plain ASCII words in parentheses are usually English glosses such as `(DNC)`; only
    # tone-marked syllables are safe to drop without a dictionary.
    return any(ch in _TONED for ch in syllable) or syllable in _UNMARKED_SYLLABLES


# Neutral-tone syllables the converter emits without marks (`的(de)`, `么(me)`, `了(le)`).
_UNMARKED_SYLLABLES = frozenset(
    {"de", "me", "le", "ma", "ne", "ba", "zi", "men", "ge", "li", "shang", "zhe", "guo"}
)


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations a converter left after characters.

    >>> strip_pinyin("數(shù)據(jù)庫(kù)和 DNC(DNC)")
    '數據庫和 DNC(DNC)'
    """

    def drop(m: re.Match[str]) -> str:
        return "" if _looks_like_pinyin(m.group(1)) else m.group(0)

    text = _LOST_CHAR_PINYIN.sub(
        lambda m: "" if _looks_like_pinyin(m.group(1)) else m.group(0), text
    )
    return _PINYIN_AFTER_CHAR.sub(drop, text)


def fix_shifted_gbk(text: str) -> str:
    """Read back Chinese that a lost GBK byte turned into other characters, or mark it lost.

    The run's GBK bytes, read one byte on, are the original characters after the lost one.
    They are kept when each of them also occurs elsewhere in the document (the garbled ones
    are rare there); the lost character, or a run that does not read back and whose
    characters occur nowhere else, becomes U+FFFD.

    >>> fix_shifted_gbk("我們理解大腦。有利于我們?nèi)ダ斫獯竽X是如何")
    '我們理解大腦。有利于我們\ufffd理解大腦是如何'
    >>> fix_shifted_gbk("但從規(guī);慕嵌瓤矗艺J為逐步推進"), fix_shifted_gbk("是吗?我愿意。A股的")
    ('但從規(guī)\ufffd為逐步推進', '是吗?我愿意。A股的')
    >>> fix_shifted_gbk("幫助我們?nèi)ビ?xùn)練下一個模型")  # the byte back in step lost too
    '幫助我們\ufffd?xùn)練下一個模型'
    """
    if not _SHIFTED_GBK.search(text):  # nearly every document: no pass to count characters
        return text
    counts = Counter(text)

    def read_back(m: re.Match[str]) -> str:
        run = m.group(1) or m.group(2)
        try:
            found = run.encode("gbk")[1:].decode("gbk")
        except UnicodeError:
            found = ""
        if found and all("\u3400" <= ch <= "\u9fff" and counts[ch] >= 1 for ch in found):
            return LOST + found
        # No read-back: garbled only if its characters occur nowhere else in the document
        # (a question mark before "没问题A股" is not a lost byte).
        cjk = [ch for ch in run if "\u3040" <= ch <= "\u9fff"]  # kana and Han
        if cjk and sum(counts[ch] == 1 for ch in cjk) >= 2 * len(cjk) / 3:
            return LOST
        return m.group(0)
    return _SHIFTED_GBK.sub(read_back, text)


# <ruby>: a term with its reading or original above it, written inline as "term（reading）"
_RUBY = re.compile(r"<ruby>([^<>]*)(?:<rp>[^<>]*</rp>)?<rt>([^<>]*)</rt>(?:<rp>[^<>]*</rp>)?</ruby>")


def strip_html(text: str) -> str:
    """Drop HTML tags and decode entities, keeping a ruby annotation in brackets.

    >>> strip_html("能<strong>做</strong>&amp;"), strip_html("<ruby>代码英雄<rt>Command Line Heroes</rt></ruby>")
    ('能做&', '代码英雄（Command Line Heroes）')
    """
    text = _RUBY.sub(lambda m: f"{m[1]}（{m[2]}）" if m[2].strip() else m[1], text)
    return html.unescape(_TAG_REMNANT.sub("", _TAG.sub("", text)))


# A briefing's record (the White House's, a ministry's) marks a reporter's question with `Q`
# and a wide space, no colon (`Q    Thank you, Jen.`, no-break spaces or a tab): the label
# `Q:` of a question-and-answer write-up, once the space is collapsed. A deposition marks its
# answers so too (`A    I do.`): they become `A.`, the deposition's own mark, which the
# parser takes for a label only where answers alternate with questions.
_WIDE_QA = re.compile(r"^\s*([QA])(?:[\u00a0\t]|  )\s*(?=\S)")


def tidy(text: str) -> str:
    """Collapse runs of spaces and drop control characters (keeps newlines); a briefing's
    `Q` and wide space becomes the label `Q:`, a deposition's `A` and wide space `A.`.

    >>> tidy("Q\\u00a0\\u00a0\\u00a0 Thank you,\\u00a0 Jen.\\nQ is a letter.\\nA\\tYes.")
    'Q: Thank you, Jen.\\nQ is a letter.\\nA. Yes.'
    """
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "\n".join(
        _SPACES.sub(" ", _WIDE_QA.sub(lambda m: f"{m[1]}{':' if m[1] == 'Q' else '.'} ", line)).strip()
        for line in text.split("\n")
    )


# Look-alike code points that a PDF's text layer (and text copied out of a PDF) gives for
# common characters: Kangxi radicals and compatibility ideographs for ideographs (⼈ for 人,
# ⼯⼚ for 工厂), ligatures for letters (ﬁ for fi). NFKC maps each to the usual one.
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\ufb00-\ufb06]")


# The CJK Radicals Supplement forms that stand for a whole simplified character (⻋ for 车),
# which NFKC leaves alone (Unicode's EquivalentUnifiedIdeograph.txt lists them).
_RADICALS = dict(zip(
    "⺠⺦⺷⺻⻄⻅⻆⻈⻉⻋⻓⻔⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰",
    "民丬羊聿西见角讠贝车长门雨青韦页风飞食食饣马骨鬼鱼鸟卤麦黄黾齐齿龙",
    strict=True,
))


def unify_lookalikes(text: str) -> str:
    """The usual characters for PDF look-alikes, leaving everything else as written (no full
    NFKC, which would also rewrite full-width punctuation).

    >>> unify_lookalikes("⼈形机器⼈的第⼀个应⽤：ﬁle，⻋⻄")
    '人形机器人的第一个应用：file，车西'
    """
    return _LOOKALIKE.sub(
        lambda m: _RADICALS.get(m[0]) or unicodedata.normalize("NFKC", m[0]), text
    )


def repair(text: str) -> str:
    """All text repairs, in order: shifted GBK, PDF look-alikes, HTML, pinyin, whitespace.

    >>> repair("技術(shù)</strong>  很好?/strong>")
    '技術 很好?'
    """
    return tidy(strip_pinyin(strip_html(unify_lookalikes(fix_shifted_gbk(text)))))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """The form used for matching, never for display: NFKC (and PDF look-alikes read as the
    characters they stand for), Simplified script, lower case.

    >>> normalize("數據：Tesla"), normalize("⾃动驾驶的⻋")
    ('数据:tesla', '自动驾驶的车')
    """
    return _t2s().convert(unicodedata.normalize("NFKC", unify_lookalikes(text))).lower()


# --- page chrome -------------------------------------------------------------------------------

# A reprint notice, a share/tip/payment widget, an app prompt or a transcription service's
# signature: text from the page or tool around the interview, never anybody's words.
_CRUFT = re.compile(
    r"(本文来自|本文來自|未经允许不得转载|未經允許不得轉載|不代表.{0,12}立场|不代表.{0,12}立場|"
    r"授权事宜|授權事宜|异议或投诉|異議或投訴|打开.{0,8}APP|打開.{0,8}APP|扫码|掃碼|"
    # (a tip button opens its line, "赞赏支持": "大家就会表示赞赏" is somebody's words)
    r"^(?:赞赏|讚賞|打赏|打賞)|扫一扫(?:赞赏|打赏)|掃一掃(?:讚賞|打賞)|(?:赞赏|讚賞|打赏|打賞)(?:金额|金額)|"
    r"内容[,，]\s*值得(?:赞赏|打赏)|內容[,，]\s*值得(?:讚賞|打賞)|大 家 都 在|转载请|轉載請|版权所有|版權所有|©|"
    r"以上內容由.{0,20}生成|以上内容由.{0,20}生成|"
    r"^Transcribed by |otter\.ai|^Subscribe to |^Sign up for |"
    # a meeting tool's last line: "Meeting ended after 00:07:12 👋" (Google Meet)
    r"^Meeting ended after \d)",
    re.I,
)
# App buttons and menu entries scraped as lines of their own.
_WIDGETS = frozenset(
    "删除 刪除 完成 全部删除 全部刪除 搜索历史 搜索歷史 热搜词 熱搜詞 自定义 自定義 分享 收藏 点赞 "
    "點贊 评论 評論 关注 關注 阅读原文 閱讀原文 举报 舉報 返回 登录 登錄 注册 註冊 下载 下載 "
    "文集 频道 頻道 支付 标签 標籤 相关推荐 相關推薦 热门文章 熱門文章 Share Subscribe".split()
)
# The lookbehinds keep the search linear on a long run of letters (no retry at each of them).
_ADDRESS = re.compile(r"https?://\S+|(?<![\w.])www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+")
_CONTACT = re.compile(r"联系|聯繫|聯系|投稿|contact|e-?mail", re.I)
_TERMINAL = '。！？!?…」”"』.;；~'


# A line that marks where the document ends (`END`, `-END-`, `[END OF TRANSCRIPT]`, `（完）`)
_THE_END = re.compile(
    r"^[-–—*#(（\[【\s]*(?:END|The End|THE END|END OF (?:TRANSCRIPT|CALL|RECORDING|INTERVIEW)|"
    r"End of (?:transcript|call|recording|interview)|全文完|(?<=[(（【\[])完)[-–—*#.)）\]】\s]*$"
)
# A notice or widget is a line of its own; a longer line is somebody's paragraph that mentions
# one ("比如打開 APP、綁定我的錢包", "you can e-mail us at …"), unless it opens with the notice.
_NOTICE_CHARS = 100


def is_cruft(line: str) -> bool:
    """A line from the web page around the article, not from the interview.

    A link or an e-mail address counts only when it is (nearly) the whole line or a contact
    line: an address inside a spoken sentence is part of what was said. A line of more than
    100 characters is a paragraph, page text only when it opens with a notice.

    >>> is_cruft("打开虎嗅APP,查看全文"), is_cruft("我认为最好的第一批客户就是公司自己。")
    (True, False)
    >>> is_cruft("https://example.com/a"), is_cruft("Go to https://example.com and try it out.")
    (True, False)
    >>> [is_cruft(s) for s in ["END", "-END-", "[END OF TRANSCRIPT]", "（完）", "完", "The end of it."]]
    [True, True, True, True, False, False]
    >>> [is_cruft(s) for s in ["赞赏", "好的内容,值得赞赏", "您的赞赏金额会直接进入作者的账号", "然后大家就会表示赞赏"]]
    [True, True, True, False]
    """
    s = line.strip()
    if not s:
        return False
    if len(s) > _NOTICE_CHARS:
        found = _CRUFT.search(s)
        return bool(found) and found.start() == 0
    if _CRUFT.search(s) or s.rstrip(":：") in _WIDGETS or _THE_END.match(s):
        return True
    if _ADDRESS.search(s):
        rest = _ADDRESS.sub("", s).strip()
        return len(rest) <= 12 or bool(_CONTACT.search(rest))
    return False


def is_the_end(line: str) -> bool:
    """A line that marks where the transcript ends (`[END OF INTERVIEW]`, `-END-`, `（完）`):
    what follows, until a speaker's label, is nobody's words (an appendix, a CV, endnotes).

    >>> is_the_end("[END OF INTERVIEW]"), is_the_end("The end of it.")
    (True, False)
    """
    return bool(_THE_END.match(line.strip()))


_QUESTION_END = re.compile(r"[?？]\s*[\"'”」』)]*\s*$")


def ends_question(text: str) -> bool:
    """Does the text end by asking (a question mark, perhaps inside closing quotes)?

    >>> ends_question('He asked "why?"'), ends_question("为什么？"), ends_question("Fine.")
    (True, True, False)
    """
    return bool(_QUESTION_END.search(text))


_HAN = re.compile(r"[\u4e00-\u9fff]")
_ENDS = re.compile(r"[。!?！？…]")


# a line that ends a sentence (a caption line of prose, not of speech recognition)
_ENDS_LINE = re.compile(r"[。!?！？…」”]\s*$")


def unpunctuated(lines: list[str]) -> bool:
    """Chinese captions as speech recognition writes them: three lines or more, short, and
    most of them ending without a sentence end (prose ends most of its paragraphs with one).

    >>> unpunctuated(["我個人從事公職 43 年", "從基層做起", "你是在跟新潮流示好？"])
    True
    >>> unpunctuated(["我认为是的。", "数据是瓶颈。", "对吧？"]), unpunctuated(["I have faith", "in it", "yes"])
    (False, False)
    """
    said = [s for s in lines if s.strip()]
    if len(said) < 3 or sum(len(s) for s in said) > 45 * len(said):
        return False
    han = sum(len(_HAN.findall(s)) for s in said)
    return han * 2 >= sum(len(s) for s in said) and 3 * sum(bool(_ENDS_LINE.search(s)) for s in said) <= len(said)


_CAPTION_MARK = re.compile(r"[.!?…,;:](?=\s|$)")


def unpunctuated_latin(lines: list[str]) -> bool:
    """English (or other Latin-script) captions as automatic captioning writes them: three
    lines or more, short, and no punctuation at all in 25 words or more.

    >>> unpunctuated_latin(["so today we're going to look at how", "glaciers move and why they speed up in",
    ...                     "summer when meltwater reaches the bed", "the water acts like a lubricant"])
    True
    >>> unpunctuated_latin(["I have faith", "in it. Yes, we did.", "Then we left."])
    False
    """
    said = [s for s in lines if s.strip()]
    if len(said) < 3 or sum(len(s) for s in said) > 60 * len(said):
        return False
    text = " ".join(said)
    # not one comma or sentence end in 25 words or more (a punctuated caption's long
    # sentence still has its commas)
    return not _HAN.search(text) and len(text.split()) >= 25 and not _CAPTION_MARK.search(text)


# How unpunctuated Chinese speech ends a question: with a question word or particle among its
# last words ("…你的心得跟感想是什麼", "…你有什麼話對柯參選人說呢").
_ASKS_AT_END = re.compile(
    r"(?:什麼|什么|怎麼|怎么|為什麼|为什么|如何|哪|是否|有沒有|有没有|會不會|会不会|是不是|"
    r"能不能|可不可以|要不要|多少|幾|几)[^\s]{0,12}$|[嗎吗呢]$"
)


def asks(text: str) -> bool:
    """Does a turn end by asking: with a question mark, or, in Chinese written without
    punctuation, with a question word among its last words?

    >>> asks("为什么？"), asks("你覺得臺灣現在最迫切的前三大問題是什麼"), asks("那你有什麼話對柯參選人說呢")
    (True, True, True)
    >>> asks("所以我們還是選擇一個迎向臺灣未來新政治的人物"), asks("我不知道为什么。但是我们做到了。"), asks("那你呢")
    (False, False, True)
    """
    if ends_question(text):
        return True
    tail = text.rstrip()[-40:]
    return bool(_HAN.search(tail) and not _ENDS.search(tail) and _ASKS_AT_END.search(tail))


def ends_sentence(line: str) -> bool:
    """Whether a line ends with sentence punctuation (so the next line starts a paragraph).

    >>> ends_sentence("对,正是这样。"), ends_sentence("是可以"), ends_sentence("faith.")
    (True, False, True)
    """
    s = line.rstrip()
    return bool(s) and s[-1] in _TERMINAL


_HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、]|第[一二三四五六七八九十\d]+[章节部分])"
)


# A title set off by the same run of marks on both sides, as scripts and wikis write them
# ("--Title page--", "== Results ==", "~~ Part 2 ~~"): nobody says that line.
_DECORATED = re.compile(r"^(-{2,}|={2,}|~{2,}|\*{3,})(?!-|=|~|\*)\s*\S.{0,80}?\s*\1$")
# A line ending in a comma goes on in the next line: never a heading.
_CONTINUES = ",，、;；"
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# ... and so does a Chinese line that stops on a word that leads into more, as speech
# recognition cuts its lines ("这种有点玄学，但是", "就是说", "第二个是那种就是")
_LEADS_ON = re.compile(
    r"(?:但是|但|可是|不过|就是说|就是|然后|所以|因为|而且|或者|如果|还有|那么|比如说?|包括|其实|"
    r"我觉得|我覺得|這個|这个|那个|那個|这种|這種|那种|那種|一个|一個|[是说說和跟与與把被给給对對让讓从從到就也都还還又才在])$"
)
_TITLE_WORD = re.compile(r"[A-Z0-9]")


def is_heading(line: str) -> bool:
    """A section heading or a bare section number: short, and not a sentence.

    Latin text needs more: a short English line without a full stop is as often a spoken
    "Yeah" as a heading, so it must be numbered or in Title Case over two or more words.

    >>> [is_heading(s) for s in ["01.", "二、架构不是限制,数据稀缺才是重点", "对,正是这样。"]]
    [True, True, False]
    >>> is_heading("Why Data Is the Bottleneck"), is_heading("yeah I think so")
    (True, False)
    >>> is_heading("--Title page--"), is_heading("-- Car insurance – encore--"), is_heading("== Results ==")
    (True, True, True)
    >>> is_heading("-- and then he left --, she said."), is_heading("---")
    (False, False)
    >>> is_heading("三个赛道都说明了一个点，就是说"), is_heading("第二个是那种就是")  # speech, cut off
    (False, False)
    """
    s = line.strip()
    if not s:
        return False
    if _HEADING_NUMBER.match(s) and len(s) <= 40 or _DECORATED.match(s):
        return True
    if s[-1] in _CONTINUES:
        return False
    if _CJK_CHAR.search(s):
        return len(s) <= 24 and s[-1] not in _TERMINAL and not _LEADS_ON.search(s)
    words = [w for w in re.split(r"[\s:：\-–—]+", s) if len(w) >= 4]
    return (
        len(s) <= 60
        and s[-1] not in _TERMINAL
        and len(s.split()) >= 2
        and bool(words)
        and all(_TITLE_WORD.match(w) for w in words)
    )


# An editor's gloss: `倒立擺(Inverted Pendulum):…`, `堆疊LSTM(Stacked LSTM)是指…`, `注:…`.
_GLOSS = re.compile(
    r"^[^,，。:：]{1,30}?[（(][A-Za-z][^)）]{0,80}[)）]\s*(?:[:：]|是指|指的是|通常指)"
)
_NOTE = re.compile(
    r"^(?:注|編者注|编者注|編者按|编者按|譯者注|译者注|按|Note|Editor'?s note)\s*[:：]", re.I
)
_DEFINITION_CUES = ("通常指", "指的是", "是指", "一种", "一種")


def is_editor_note(line: str, label: str | None = None, body: str = "") -> bool:
    """An editor's note or glossary entry inside the body, not the speaker's words.

    `label`/`body` are given when the line looks like `label: body` but the label is no speaker.

    >>> is_editor_note("倒立擺(Inverted Pendulum):涉及到…"), is_editor_note("所以问题就是:如何…")
    (True, False)
    >>> is_editor_note("所以，强化学习(Reinforcement Learning)是指让模型自己试错。")  # speech
    False
    """
    s = line.strip()
    if _NOTE.match(s) or _GLOSS.match(s):
        return True
    return label is not None and body.startswith(_DEFINITION_CUES)


# A sentence that only addresses the room, as a record's speakers open their turns
# ("主席、各位委員。", "Thank you, Mr. Chairman."): it answers nothing.
_TO_THE_ROOM = re.compile(
    r"^(?:(?:主席|議長|议长|召委|各位|在座|委員|委员|院長|院长|部長|部长|首長|首长|同仁|女士|先生|們|们|"
    r"大家好|謝謝|谢谢|[、，,\s])+[。！!.]?|"
    r"(?:thank you|thanks)?[,\s]*(?:mr\.?|madam|madame)?\s*(?:chair(?:man|woman|person)?|speaker|president)"
    r"[,\s]*(?:thank you|thanks)?[.!]?|"
    # thanks alone, to a person at most ("Thank you, Maria.", "谢谢王老师。")
    r"(?:(?:ok(?:ay)?|great|alright|all right|well|good)[,\s]+)?(?:thank you|thanks)"
    r"(?: (?:so|very) much)?(?: again)?(?:[,\s]+(?:[A-Za-z][a-z]+(?: [A-Z][a-z]+)?|everyone|everybody|all))?"
    r"[.!]?|"
    r"(?:好的?[，,、]?)?(?:谢谢|謝謝|感谢|感謝)(?:你|您|大家)?(?:[，,]?[\u4e00-\u9fff]{1,3}(?:老师|老師|先生|女士|博士))?[。！!]?)$",
    re.I,
)


def is_address(sentence: str) -> bool:
    """Does the sentence only address the room?

    >>> is_address("主席、各位委員。"), is_address("Thank you, Mr. Chairman."), is_address("主席，我反對。")
    (True, True, False)
    >>> is_address("Thank you, Maria."), is_address("谢谢你，王老师。"), is_address("Thanks for the chairs.")
    (True, True, False)
    """
    return bool(_TO_THE_ROOM.match(sentence.strip()))


def to_simplified(text: str) -> str:
    """Traditional to Simplified script only (case and width kept).

    >>> to_simplified("數據 Tesla")
    '数据 Tesla'
    """
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    # Taiwan-standard characters (為, 裡, 著), as Traditional write-ups use them; no
    # vocabulary swaps (軟體 for 软件), so the text still matches its passages' words.
    return opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    """Simplified to Traditional script only (Taiwan's characters, no vocabulary swaps).

    >>> to_traditional("访谈里的数据")
    '訪談裡的數據'
    """
    return _s2t().convert(text)


def is_traditional(text: str) -> bool:
    """Whether Chinese text is written in Traditional script.

    >>> is_traditional("數據是瓶頸嗎"), is_traditional("数据是瓶颈吗"), is_traditional("Tesla")
    (True, False, False)
    """
    return to_simplified(text) != text


def for_embedding(text: str) -> str:
    """What the embedder sees, of a passage or a question: Simplified script, written
    Cantonese read as standard Chinese (`index.cantonese`); case and width kept.

    >>> for_embedding("佢哋唔係噉講嘅 Tesla")
    '他们不是这样说的 Tesla'
    """
    from index.cantonese import to_written

    return to_written(_t2s().convert(text))
