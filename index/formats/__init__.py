"""Transcript formats: one module per format, found automatically.

Each format module has `NAME`, `SUFFIXES`, `sniff(text) -> float` (0..1 confidence) and
`parse(text) -> Parsed` (or `parse_bytes(data) -> Parsed` for a binary format), so a new
format is one new file here plus its tests. `read` is the way in: bytes and a file name in,
`Parsed` out.

>>> sorted(FORMATS)  # doctest: +NORMALIZE_WHITESPACE
['ass', 'chat', 'csv', 'docx', 'elan', 'html', 'json', 'markdown', 'pdf', 'plain', 'sbv', 'srt', 'timedtext',
 'timestamped', 'ttml', 'vtt']
>>> detect("talk.txt", "1\\n00:00:01,000 --> 00:00:02,000\\nHello\\n")
'srt'
>>> [(s.speaker, s.text) for s in read("talk.md", b"**Ann:** Hi.\\r\\n**Bob:** Hello.").segments]
[('Ann', 'Hi.'), ('Bob', 'Hello.')]
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from dataclasses import replace
from pathlib import PurePath
from types import ModuleType

from index.formats.base import FormatError, Parsed, Segment
from index.formats.lines import require

__all__ = [
    "FORMATS", "SUFFIXES", "FormatError", "Parsed", "Segment", "decode", "detect", "hint",
    "read",
]


def _discover() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "NAME", None), str):
            found[module.NAME] = module
    return found


FORMATS: dict[str, ModuleType] = _discover()
SUFFIXES: frozenset[str] = frozenset(s for m in FORMATS.values() for s in m.SUFFIXES)

# Recordings people drop in by mistake, or hoping they get transcribed.
_MEDIA = frozenset(
    ".mp3 .m4a .wav .flac .ogg .oga .opus .aac .wma .aiff .mp4 .m4v .mov .mkv .webm .avi".split()
)
# Documents of other editors, which save as one of the formats read here.
_SAVE_AS = {
    ".doc": "an old Word file: save it as .docx (File > Save As) and add that",
    ".rtf": "save it as .docx or .txt and add that",
    ".odt": "save it as .docx (File > Save As > Word) and add that",
    ".pages": "export it as Word (.docx) or PDF and add that",
    # a spreadsheet of segments (speaker, start, text columns) reads as CSV
    ".xlsx": "save it as CSV (File > Save As > CSV UTF-8) and add that",
    ".xls": "save it as CSV (File > Save As > CSV UTF-8) and add that",
    ".ods": "save it as CSV (File > Save As > Text CSV) and add that",
    ".numbers": "export it as CSV (File > Export To > CSV) and add that",
}


def hint(suffix: str) -> str | None:
    """What to say about a file of a kind that is no transcript here but holds or makes one
    (None for others): a recording, or a document another editor can save as .docx.

    >>> hint(".MP3")[:39], hint(".doc")[:18], hint(".xyz")
    ('.mp3 is audio or video, not a transcrip', 'an old Word file: ', None)
    """
    suffix = suffix.lower()
    if suffix in _MEDIA:
        return (
            f"{suffix} is audio or video, not a transcript: transcribe it first (Whisper, for "
            "one, writes .vtt, .srt and .json) and add the transcript"
        )
    return _SAVE_AS.get(suffix)


# A format whose file suffix matches gets this much on top of its content score: content
# decides when it is clear (a .txt holding SRT), the suffix when it is not.
_SUFFIX_BONUS = 0.15


def detect(filename: str, text: str | None = None) -> str:
    """The format of a file, from its suffix and (when given) its content.

    Without text, the suffix decides: the first format, in module order, that claims it (a
    .txt is "plain", not "timestamped"). With text, every text format rates it and the suffix
    adds a little; a Markdown file stays Markdown unless it holds captions or JSON, since the
    Markdown parser also reads plain and timestamped lines; an HTML file stays HTML so.

    >>> detect("a.txt"), detect("a.txt", "Ann (00:00:01): Hi.\\nBob (00:00:03): Hello.")
    ('plain', 'timestamped')
    >>> detect("a.md", "Ann: Hi."), detect("a.json", "{oops")
    ('markdown', 'json')
    >>> detect("a.json", '{"segments": [{"start": 0, "end": 2, "text": "hi"},\\n {"start": 3 "end": 4}]}')
    'json'
    >>> detect("a.html", "<p>[00:00:25] <b>Ann:</b> Hi.</p>\\n<p>[00:00:31] <b>Bo:</b> Yo.</p>")
    'html'
    """
    suffix = PurePath(filename).suffix.lower()
    claimed = [name for name, m in FORMATS.items() if suffix in m.SUFFIXES]
    if suffix and not claimed:
        if advice := hint(suffix):
            raise ValueError(advice)
        raise ValueError(
            f"unsupported file type {suffix!r}: use one of {', '.join(sorted(SUFFIXES))}"
        )
    if claimed and (text is None or not hasattr(FORMATS[claimed[0]], "parse")):
        return claimed[0]
    if text is None:
        return "plain"
    if "json" in claimed and text.lstrip()[:1] in ("{", "["):
        return "json"  # (malformed, it gets the JSON reader's error and line, not another reader)
    scores = {
        name: m.sniff(text) + (_SUFFIX_BONUS if name in claimed else 0.0)
        for name, m in FORMATS.items()
        if hasattr(m, "parse")
    }
    best = max(scores, key=lambda name: (scores[name], name == "plain"))
    if "markdown" in claimed and best in ("plain", "timestamped"):
        return "markdown"
    kept = next((name for name in claimed if name in _KEEP_SUFFIX), None)
    if kept and best in ("plain", "timestamped", "markdown"):
        return kept
    return best


# Formats whose suffix outweighs lines that read as text: a page's markup is read as markup,
# whatever its lines look like; XML as XML, a table as a table, a CHAT file as CHAT (one that
# is not gets an error naming what is wrong).
_KEEP_SUFFIX = ("html", "ttml", "csv", "chat")


# Encodings a transcript that is not UTF-8 is most likely in: the Chinese national standard
# (a superset of GBK and GB2312, Notepad's "ANSI" on Simplified Chinese Windows), Big5
# (Traditional) as Windows writes it (code page 950) and as Hong Kong does (HKSCS, with the
# characters of Cantonese), and Windows-1252 (Western subtitle files). charset-normalizer picks
# the one whose text reads coherently, or none for bytes that read as a mess in all of them.
LEGACY_ENCODINGS = {
    "gb18030": "GB18030", "cp950": "Big5", "big5hkscs": "Big5-HKSCS", "cp1252": "Windows-1252",
}


def decoded(data: bytes) -> tuple[str, str | None]:
    """Text from bytes, with newlines made "\\n", and the legacy encoding it was read in: None
    for UTF-8 (a BOM allowed) and UTF-16 with a BOM, else a name of `LEGACY_ENCODINGS`.

    >>> decoded(b"\\xef\\xbb\\xbfA:\\r\\nhi\\rB: yo")
    ('A:\\nhi\\nB: yo', None)
    >>> decoded("主持人：你认为人形机器人最早会用在什么场景？\\n嘉宾：工厂里的物料搬运。".encode("gbk"))[1]
    'GB18030'
    >>> decoded("Host: A café in Zürich?\\nGuest: Oui, très bien.".encode("cp1252"))
    ('Host: A café in Zürich?\\nGuest: Oui, très bien.', 'Windows-1252')
    >>> decoded("主持人：數位國家‧創新經濟，圍碁在裏面。".encode("cp950"))
    ('主持人：數位國家‧創新經濟，圍碁在裏面。', 'Big5')
    >>> decoded("主持人：你覺得點樣？\\n嘉賓：佢哋做得唔錯，啲市民都好滿意嘅。".encode("big5hkscs"))
    ('主持人：你覺得點樣？\\n嘉賓：佢哋做得唔錯，啲市民都好滿意嘅。', 'Big5-HKSCS')
    >>> decoded("Ann: Hi.\\r\\nBo: Yo.".encode("utf-16-le"))
    ('Ann: Hi.\\nBo: Yo.', None)
    """
    legacy = None
    if (bom := data.startswith((b"\xff\xfe", b"\xfe\xff"))) or _utf16_without_bom(data):
        try:
            text = data.decode("utf-16" if bom else _utf16_without_bom(data))
        except UnicodeDecodeError as e:
            raise ValueError(f"not valid UTF-16 text (bad byte at offset {e.start})") from None
    else:
        if b"\x00" in data[:8192]:
            raise ValueError("looks like a binary file, not a text transcript")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            from charset_normalizer import from_bytes

            best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
            if best is None:
                raise ValueError(
                    f"not UTF-8 text (bad byte at offset {e.start}), nor GB18030, Big5 (or HKSCS) or "
                    "Windows-1252: convert it to UTF-8 first"
                ) from None
            text, legacy = str(best), LEGACY_ENCODINGS[best.encoding]
            if best.encoding in ("cp950", "big5hkscs"):
                # the two Big5s read most bytes alike and a few apart (`‧`, 碁, 佢哋): code
                # page 950 when it reads every byte, else HKSCS
                try:
                    text, legacy = data.decode("cp950"), "Big5"
                except UnicodeDecodeError:
                    text, legacy = data.decode("big5hkscs"), "Big5-HKSCS"
    if not text.strip():
        raise ValueError("the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n"), legacy


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text saved without its byte-order mark (a NUL
    byte after, or before, nearly every Latin character), else None.

    >>> _utf16_without_bom("Ann: Hi.\\nBo: Yo.".encode("utf-16-le")), _utf16_without_bom(b"Ann: Hi.")
    ('utf-16-le', None)
    """
    head = data[: 4096 - 4096 % 2]
    head = head[: len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd >= 0.6 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.6 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """Text from bytes (see `decoded`).

    >>> decode(b"\\xef\\xbb\\xbfA:\\r\\nhi\\rB: yo")
    'A:\\nhi\\nB: yo'
    """
    return decoded(data)[0]


_PEOPLE_KEYS = (
    "people",
    "speakers",
    "hosts",
    "guests",
    "host",
    "guest",
    "interviewer",
    "interviewee",
    "participants",
)
_MEDIA_KEYS = ("media", "url", "audio", "video", "link", "source")


def _plain_value(value: object) -> object:
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_value(v) for v in value]
    return value


def listed_names(value: object) -> list[str]:
    """The people a front-matter value lists: names in a string, a list, or entries with a
    name (`- name: Ann Lee` with its `url:`).

    >>> listed_names("Ann Lee, Bo Chen"), listed_names([{"name": "Ann Lee", "url": "x"}, "Bo Chen"])
    (['Ann Lee', 'Bo Chen'], ['Ann Lee', 'Bo Chen'])
    """
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, dict):
        name = value.get("name")
        return [str(name)] if name else []
    if isinstance(value, list):
        return [n for v in value for n in listed_names(v)]
    return []


def front_matter(text: str) -> tuple[dict[str, object], str, list[str]]:
    """Split YAML front matter off a text transcript: (meta, text, warnings).

    Besides its own keys, `meta` gets `people` (from people/speakers/hosts/guests, in that
    order, no repeats) and `media` (the first of media/url/audio/video/link/source). Front
    matter that is not valid YAML stays in the text, with a warning.

    >>> meta, text, _ = front_matter(
    ...     "---\\ntitle: Ep 1\\ndate: 2024-09-10\\nhosts: [Sarah Guo]\\n"
    ...     "guests: Andrej Karpathy\\naudio: https://x/1.mp3\\n---\\nA: hi"
    ... )
    >>> meta["date"], meta["people"], meta["media"], text
    ('2024-09-10', ['Sarah Guo', 'Andrej Karpathy'], 'https://x/1.mp3', 'A: hi')

    TOML front matter between `+++` lines (Hugo's) is read too:

    >>> meta, text, _ = front_matter('+++\\ntitle = "Ep 2"\\nhosts = ["Ann Lee"]\\n+++\\nA: hi')
    >>> meta["title"], meta["people"], text
    ('Ep 2', ['Ann Lee'], 'A: hi')
    >>> front_matter("\\n---\\ntitle: Ep 3\\n---\\nA: hi")[:2]  # after a blank line
    ({'title': 'Ep 3'}, 'A: hi')
    """
    whole = text
    text = re.sub(r"\A(?:[ \t]*\n)+", "", text)  # blank lines before it (a copied page)
    fence = text[:4]
    if fence not in ("---\n", "+++\n"):
        return {}, whole, []
    end = text.find("\n" + fence[:3], 4)
    if end < 0 or text[end + 4 : end + 5] not in ("", "\n"):
        return {}, whole, []
    if fence == "+++\n":
        import tomllib

        try:
            metadata, content = tomllib.loads(text[4 : end + 1]), text[end + 5 :]
        except tomllib.TOMLDecodeError as e:
            return {}, whole, [f"front matter could not be read ({e}); kept as text"]
    else:
        frontmatter = require("frontmatter", "python-frontmatter")
        yaml = require("yaml", "pyyaml")
        try:
            post = frontmatter.loads(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            reason = str(getattr(e, "problem", None) or e).split("\n")[0]
            return {}, whole, [f"front matter could not be read ({where}{reason}); kept as text"]
        metadata, content = post.metadata, post.content
    if not metadata:
        return {}, whole, []
    meta: dict[str, object] = {str(k).lower(): _plain_value(v) for k, v in metadata.items()}
    people: list[str] = []
    for key in _PEOPLE_KEYS:
        people += [n for n in listed_names(meta.get(key)) if n not in people]
    if people:
        meta["people"] = people
    media = next((meta[k] for k in _MEDIA_KEYS if isinstance(meta.get(k), str)), None)
    if media:
        meta["media"] = media
    return meta, content, []


# Characters with no width that a web page or a subtitle tool leaves inside words (a zero-width
# space or joiner, a word joiner, a BOM mid-text, a soft hyphen): they split "战场" into two
# words no search finds, and can fill a caption with hundreds of characters nobody sees.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]")


def visible(text: str) -> str:
    """The text without its invisible characters (`_INVISIBLE`).

    >>> visible("打击战\u200c\u200b\u200b场上的目标"), visible("co\u00adoperate")
    ('打击战场上的目标', 'cooperate')
    """
    return _INVISIBLE.sub("", text)


def read(filename: str, data: bytes, fmt: str | None = None) -> Parsed:
    """Decode, detect (unless `fmt` is given) and parse one transcript file.

    A file in a legacy encoding (GB18030, Big5, Windows-1252) is read, with a warning that
    says so. Raises ValueError with a one-line reason for bytes that are no text, an unknown `fmt` or
    suffix, and FormatError (a ValueError) naming the line for a malformed VTT, SRT or JSON.

    >>> read("talk.txt", b"Ann (00:00:01): Hi.").format
    'timestamped'
    >>> read("x.txt", b"A: hi", fmt="rtf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: unknown format 'rtf': use one of ass, chat, csv, docx, elan, html, json, markdown, ...
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(sorted(FORMATS))}")
    name = fmt or detect(filename)
    if hasattr(FORMATS[name], "parse_bytes"):
        parsed = FORMATS[name].parse_bytes(data)
        segments = [
            replace(s, text=visible(s.text), speaker=s.speaker and visible(s.speaker),
                    alt=s.alt and visible(s.alt))
            for s in parsed.segments
        ]  # fmt: skip
        return replace(parsed, segments=segments, format=name)
    text, legacy = decoded(data)
    text = visible(text)
    meta, text, warnings = front_matter(text)
    if legacy:
        warnings = [
            f"not UTF-8: read as {legacy}; if the text looks garbled, save the file as UTF-8",
            *warnings,
        ]
    name = fmt or detect(filename, text)
    parsed = FORMATS[name].parse(text)
    return replace(
        parsed, meta={**meta, **parsed.meta}, warnings=warnings + parsed.warnings, format=name
    )
