"""Lexical matching for Chinese and English: normalize, segment, drop function words.

llama-index's BM25Retriever tokenizes with a `\\w\\w+` pattern, which keeps an unsegmented
Chinese run as one token (llama_index#13866). Here Chinese is segmented with jieba's
dictionary and algorithm (through jieba-rs, `rjieba`: the same words as Python jieba on the
bundled transcripts, loaded in 0.2 s instead of 1.4 s) after OpenCC has mapped Traditional to
Simplified, so `數據` in a question matches `数据` in a passage; Latin words are lower-cased
and stemmed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from index.cantonese import to_written
from index.clean import normalize

# a run of Han characters (cut into words by jieba), or a word of any other script's letters and
# digits (Latin with its accents folded, Cyrillic, Greek, …), kept whole across `.`, `'` and `-`
_LETTER = r"(?:(?![\u3400-\u9fff])[^\W_])"
_TOKEN = re.compile(rf"[\u3400-\u9fff]+|{_LETTER}+(?:[.'\-]{_LETTER}+)*")
# typographic apostrophes (PDFs, word processors, caption tools), read as the typed one
_APOSTROPHE = re.compile(r"[\u2019\u2018\u02bc\uff07]")
# what a contraction or a possessive adds to a word: "'ve", "'ll", "'re", "'d", "'m", "'s", "n't"
_CONTRACTION = re.compile(r"(?:(?<!^ca)(?<!^wo)n't|'(?:ve|ll|re|d|m|s|t))$")
# A Han character (CJK Unified Ideographs and Extension A): what makes text Chinese here.
HAN = re.compile(r"[\u3400-\u9fff]")
# Function words and question words: they say how something is asked, not what about.
STOPWORDS = frozenset(
    """的 了 是 在 我 你 他 她 它 我们 你们 他们 这 那 这个 那个 这些 那些 吗 呢 吧 啊 呀 和 与 及 也 都 就
    会 有 没有 不 很 还 又 而 但 但是 所以 因为 如果 把 被 让 给 对 从 到 向 之 其 一个 一些 什么 怎么 怎样
    如何 为什么 为何 哪些 哪个 哪 谁 多少 几 是否 是不是 怎么样 什么样 怎么办 哪里 哪儿 吗 呢 啥 能 能否 可以 可能 要 想 说 讲 谈 认为 觉得 看 看法 提到
    提出 表示 指出 关于 方面 时候 时 中 上 下 里 样 等 吗 么 之后 之前 一下 一点 自己 他的 你的 我的 曾 将 已经
    the a an of to in on for and or is are was were be been do does did what which who whom why how
    when where that this these those it its he his she her they them their you your we our i me my
    about think thinks say says said according at by from with but being doing whose him than then
    so such there here into also just only""".split()
)
# Modal and auxiliary verbs and words of degree (as stemmed) say how a question asks ("Will he
# run again?", "How much …?", "What did they sell most?"), not what about. Left out of a
# question's words only: a passage's "will" or "may" stays indexed, where it may be a noun.
ASKING = frozenset(
    "will would could should can may might must shall has have had most much mani more veri".split()
)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _jieba():
    import rjieba

    return rjieba


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _unaccented(text: str) -> str:
    """Letters without their accents (é: e), Han characters and all else as they are."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    ))


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: Simplified-script Chinese words and stemmed English words.

    >>> tokenize("Karpathy 認為數據是瓶頸, robots learning")
    ['karpathi', '数据', '瓶颈', 'robot', 'learn']

    Accented Latin letters are read without their accents, and other scripts' words are words
    (they were dropped: "Zürich" was `z` and `rich`, Russian nothing at all):

    >>> tokenize("A café in Zürich, Müller's"), tokenize("Каргопольлаг, 47 килограммов")
    (['cafe', 'zurich', 'muller'], ['каргопольлаг', '47', 'килограммов'])

    A hyphenated word is a word, and so is each of its words:

    >>> tokenize("our best-selling loaf, on a PDP-7")
    ['best-sel', 'best', 'sell', 'loaf', 'pdp-7']

    Function words are no words of a subject ("at" made every "At Captions, …" match "What is
    the engineering goal at Captions?"):

    >>> tokenize("What is the engineering goal at Captions, then?")
    ['engin', 'goal', 'caption']

    A contraction is the word it shortens, with a typographic apostrophe too ("We’ve" had been
    the word "ve", "don’t" the words "don" and "t"); a name keeps its apostrophe:

    >>> tokenize("We’ve said it’s Karpathy's, don't we? O'Brien")
    ['karpathi', "o'brien"]
    """
    out: list[str] = []
    for run in _TOKEN.findall(_unaccented(to_written(_APOSTROPHE.sub("'", normalize(text))))):
        run = _CONTRACTION.sub("", run)  # "we've", "don't", "it’s": the word before it
        if HAN.match(run):
            with _lock:  # the dictionary loads on first use; once, not once per thread
                words = _jieba().cut(run)
            out.extend(w for w in words if w not in STOPWORDS)
        elif run not in STOPWORDS:
            out.append(_stemmer().stemWord(run))
            # ... and a word of hyphenated words, each of them too ("best-selling" is found by
            # "sell"); a code with digits stays one ("ERC-7579": its parts, each common in a
            # text about ERCs, only took other passages to the top)
            parts = run.split("-")
            if len(parts) > 1 and all(w.isalpha() for w in parts):
                out.extend(_stemmer().stemWord(w) for w in parts if w not in STOPWORDS)
    return out


# jieba's tags for a person, place, organisation or other proper name
PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})  # jieba's tags of names


def parts_of_speech(text: str) -> list[tuple[str, str]]:
    """jieba's words of a (Simplified) text with their part-of-speech tags.

    >>> parts_of_speech("多少付费会员")
    [('多少', 'm'), ('付费', 'v'), ('会员', 'n')]
    """
    with _lock:
        return list(_jieba().tag(text))


def proper_nouns(text: str) -> list[str]:
    """The Chinese words of a text that jieba tags as names of people, places or
    organisations (in Simplified script).

    >>> proper_nouns("他在斯坦福大學讀博士，後來去了特斯拉。"), proper_nouns("我下个月去一家新公司。")
    (['斯坦福大学', '特斯拉'], [])
    """
    return [w for w, tag in parts_of_speech(normalize(text)) if tag in PROPER_TAGS and len(w) >= 2 and HAN.match(w)]


def subwords(word: str) -> list[str]:
    """The dictionary words of two or more characters inside a longer word.

    >>> subwords("今天天气")
    ['今天', '天天', '天气']
    """
    with _lock:
        parts = _jieba().cut_for_search(word)
    return [w for w in parts if len(w) >= 2 and w != word]
