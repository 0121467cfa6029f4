"""Numbers a text states, in digits, Chinese numerals or English words: for telling whether a
sentence or a write-up says a number another does not."""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# the characters a Chinese numeral below ten thousand is written with
CN_NUMERALS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_RUN = re.compile(f"[{''.join(_CN_DIGITS)}{''.join(_CN_UNITS)}{''.join(_CN_BIG)}]+")
# Words spelled with numeral characters that state no number.
_CN_NOT_NUMBERS = re.compile(r"十分|万一|萬一|一一|千万别|千萬別|百分之")
_ARABIC = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(%|万|萬|亿|億|千|百|thousand|million|billion|trillion|[kKmMbB]\b)?"
)
_EN_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if i >= 2
}  # noqa: E501
_EN_SCALE = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_MULTIPLIER = {
    "%": 1, "万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "千": 1000, "百": 100,
    "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "k": 1000, "m": 10**6, "b": 10**9,
}  # fmt: skip


def chinese_number(run: str) -> int | None:
    """The value of a Chinese numeral ("二十五" 25, "三千万" 30,000,000, "二〇二四" 2024).

    >>> chinese_number("二十五"), chinese_number("三千万"), chinese_number("二〇二四")
    (25, 30000000, 2024)
    """
    if not run:
        return None
    if all(c in _CN_DIGITS for c in run):
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    total, section, digit = 0, 0, 0
    for c in run:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[c]
            digit = 0
        else:
            total = (total + section + digit) * _CN_BIG[c]
            section = digit = 0
    return total + section + digit


def numbers(text: str, scaled_only: bool = False) -> set[float]:
    """Every number a text states: digits (with 万/million/…), Chinese numerals, English
    number words. "One"/"一" alone are left out: they are articles far more often than counts.
    A number with its multiplier also counts as its digits, unless `scaled_only`.

    >>> sorted(numbers("Two of 3.5 million users, 百分之八十, 十年, 一个"))
    [2.0, 3.5, 10.0, 80.0, 3500000.0]
    >>> sorted(numbers("100 million parameters", scaled_only=True))
    [100000000.0]
    """
    text = unicodedata.normalize("NFKC", text)
    out: set[float] = set()
    for m in _ARABIC.finditer(text):
        raw = m.group(1).replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        unit = (m.group(2) or "").lower()
        if not (scaled_only and unit in _MULTIPLIER):
            out.add(value)
        if unit in _MULTIPLIER:
            out.add(value * _MULTIPLIER[unit])
    for piece in _CN_NOT_NUMBERS.split(text):
        for m in _CN_RUN.finditer(piece):
            if len(m.group(0)) == 1 and m.group(0) in "百千万萬亿億":
                continue  # a multiplier of the digits before it, or a word (百度, 万物)
            value = chinese_number(m.group(0))
            if value is not None and value != 1:
                out.add(float(value))
    out |= _english_numbers(text)
    return out


def _english_numbers(text: str) -> set[float]:
    out: set[float] = set()
    current: float | None = None
    previous = ""
    for word in re.findall(r"[a-z]+|\S", text.lower()) + ["."]:
        if word in _EN_SCALE and previous.isdigit():
            previous = word
            continue  # "3.5 million": the digits' own multiplier, counted with them
        previous = word
        if word in _EN_SMALL or word in _EN_TENS:
            v = _EN_SMALL.get(word, _EN_TENS.get(word, 0))
            current = (current or 0) + v
        elif word in _EN_SCALE:
            current = (current or 1) * _EN_SCALE[word]
        elif word in ("and", "-") and current is not None:
            continue
        else:
            if current is not None and current != 1:
                out.add(float(current))
            current = None
    return out
