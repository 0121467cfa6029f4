"""Repair scraped transcript text: pure functions, text in, text out.

The repairs target what web scrapes and script converters leave behind, not one file:
pinyin annotations after characters, HTML remnants, mojibake fragments, and page cruft
(app prompts, share/tip widgets, reprint notices).
"""

from __future__ import annotations

import html
import re
import unicodedata
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


def strip_html(text: str) -> str:
    """Drop HTML tags and decode entities: `能<strong>做</strong>&amp;` -> `能做&`."""
    return html.unescape(_TAG_REMNANT.sub("", _TAG.sub("", text)))


def tidy(text: str) -> str:
    """Collapse runs of spaces and drop control characters (keeps newlines)."""
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def repair(text: str) -> str:
    """All text repairs, in order: HTML, pinyin, whitespace.

    >>> repair("技術(shù)</strong>  很好?/strong>")
    '技術 很好?'
    """
    return tidy(strip_pinyin(strip_html(text)))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """The form used for matching, never for display: NFKC, Simplified script, lower case.

    >>> normalize("數據：Tesla")
    '数据:tesla'
    """
    return _t2s().convert(unicodedata.normalize("NFKC", text)).lower()


# --- page cruft -------------------------------------------------------------------------------

# A reprint notice, a share/tip/payment widget or an app prompt: once the article body has
# started, one of these marks its end.
_CRUFT = re.compile(
    r"(本文来自|本文來自|未经允许不得转载|未經允許不得轉載|不代表.{0,12}立场|不代表.{0,12}立場|"
    r"授权事宜|授權事宜|异议或投诉|異議或投訴|打开.{0,8}APP|打開.{0,8}APP|扫码|掃碼|"
    r"赞赏|讚賞|打赏|打賞|大 家 都 在|转载请|轉載請|版权所有|版權所有|©|"
    r"[\w.+-]+@[\w-]+\.[\w.]+|https?://|以上內容由.{0,20}生成|以上内容由.{0,20}生成)"
)
_TERMINAL = '。!?!?…」”"』.;;~'


def is_cruft(line: str) -> bool:
    """A line from the web page around the article, not from the interview.

    >>> is_cruft("打开虎嗅APP,查看全文"), is_cruft("我认为最好的第一批客户就是公司自己。")
    (True, False)
    """
    return bool(_CRUFT.search(line))


_HEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、]|第[一二三四五六七八九十\d]+[章节部分])"
)


def is_heading(line: str) -> bool:
    """A section heading or a bare section number: short, and not a sentence.

    >>> [is_heading(s) for s in ["01.", "二、架构不是限制,数据稀缺才是重点", "对,正是这样。"]]
    [True, True, False]
    """
    s = line.strip()
    if not s:
        return False
    if _HEADING_NUMBER.match(s) and len(s) <= 40:
        return True
    return len(s) <= 24 and s[-1] not in _TERMINAL


# An editor's gloss: `倒立擺(Inverted Pendulum):…`, `堆疊LSTM(Stacked LSTM)是指…`, `注:…`.
_GLOSS = re.compile(
    r"^[^,,。:：]{1,30}?[（(][A-Za-z][^)）]{0,80}[)）]\s*(?:[:：]|是指|指的是|通常指)"
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
    """
    s = line.strip()
    if _NOTE.match(s) or _GLOSS.match(s):
        return True
    return label is not None and body.startswith(_DEFINITION_CUES)


def to_simplified(text: str) -> str:
    """Traditional to Simplified script only (case and width kept): what the embedder sees.

    >>> to_simplified("數據 Tesla")
    '数据 Tesla'
    """
    return _t2s().convert(text)
