"""Written Cantonese read as standard written Chinese, for search only.

A Hong Kong transcript writes speech as it is said: 佢哋唔係噉講嘅 ("they don't say it like
that"), where a question, and the embedding model's training text, would write 他们不是这样说的.
Neither the model nor the word segmenter knows 佢, 哋, 唔, 嘅, so a Cantonese passage matched
a Mandarin question only by its nouns. `to_written` maps Cantonese function words to their
standard equivalents in the text the embedder and the lexical index see; quotes and citations
keep the transcript's own words. It acts only on text with at least two characters that
standard Chinese does not use, so Mandarin passages (and their 关系, 系统) are left alone.

No maintained package maps Cantonese to standard Chinese offline (PyCantonese segments and
romanizes; OpenCC converts scripts), hence this short table of the commonest words, after
the usage notes of the Hong Kong Cantonese Corpus (HKCanCor) and CantoDict.
"""

from __future__ import annotations

import re

# Characters of written Cantonese that standard written Chinese does not use (Simplified
# forms, as OpenCC's t2s leaves them; 嗰 becomes 𠮶).
_MARKERS = re.compile("[嘅咗唔冇佢哋喺啲𠮶嗰嘢噉畀攞揾搵谂諗嚟咩乜囖𡃉嚹㗎]")

# Longest first where one key holds another.
_WORDS = {
    "系唔系": "是不是", "系咪": "是不是", "唔系": "不是", "即系": "就是", "真系": "真是",
    "但系": "但是", "就系": "就是", "都系": "都是", "唔好": "不要", "唔会": "不会",
    "我哋": "我们", "你哋": "你们", "佢哋": "他们", "噉样": "这样", "点解": "为什么",
    "点样": "怎样", "乜嘢": "什么", "边个": "谁", "边度": "哪里", "几多": "多少",
    "哩个": "这个", "呢个": "这个", "哩啲": "这些", "呢啲": "这些", "𠮶个": "那个",
    "嗰个": "那个", "𠮶啲": "那些", "嗰啲": "那些", "一啲": "一些", "有啲": "有些",
    "同埋": "和", "有阵时": "有时候", "而家": "现在", "宜家": "现在", "成日": "经常",
    "琴日": "昨天", "听日": "明天", "跟住": "接着", "好似": "好像", "钟意": "喜欢",
    "返工": "上班", "做嘢": "工作",
    "佢": "他", "哋": "们", "唔": "不", "冇": "没有", "嘅": "的", "咗": "了", "喺": "在",
    "𠮶": "那", "嗰": "那", "啲": "些", "嘢": "东西", "噉": "这样", "咁": "这么", "畀": "给",
    "俾": "给", "攞": "拿", "揾": "找", "搵": "找", "谂": "想", "諗": "想", "嚟": "来",
    "咩": "什么", "乜": "什么", "讲": "说", "睇": "看",
    # sentence-final particles say nothing a search can use
    "囖": "", "𡃉": "", "嚹": "", "㗎": "", "嘞": "", "㖞": "", "喎": "", "𠻺": "", "𠸏": "",
}
_WORD = re.compile("|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)))
# the copula 係 (系 after t2s), not the 系 of 关系, 系统, 体系, 联系, 系列 …
_COPULA = re.compile(r"(?<![关關体體联聯维維派院直语語水星世母父])[系係](?![统統列数數])")


def is_cantonese(text: str) -> bool:
    """Does the text write Cantonese (two or more characters only Cantonese uses)?

    >>> is_cantonese("佢哋唔係噉講嘅"), is_cantonese("他们不是这样说的"), is_cantonese("唔，我想想")
    (True, False, False)
    """
    return len(_MARKERS.findall(text)) >= 2


def to_written(text: str) -> str:
    """Cantonese function words as standard written Chinese; any other text unchanged.
    Works on either script (the index feeds it Simplified text).

    >>> to_written("佢哋唔系噉讲嘅")
    '他们不是这样说的'
    >>> to_written("即系哩个机构里边呢，工作咗八年嘅一啲点点滴滴")
    '就是这个机构里边呢，工作了八年的一些点点滴滴'
    >>> to_written("佢话关系系好重要嘅")
    '他话关系是好重要的'
    >>> to_written("这个系统和我们的关系")
    '这个系统和我们的关系'
    """
    if not is_cantonese(text):
        return text
    return _COPULA.sub("是", _WORD.sub(lambda m: _WORDS[m[0]], text))
