"""TTML / DFXP captions (Apple Podcasts transcripts, broadcasters' and streaming subtitles):
XML read with lxml.

Each `<p>` is a caption, `<br/>` a line break inside it; word and sentence `<span>`s (Apple
Podcasts' `podcasts:unit="word"`) are read as the words they hold. The speaker is the `<p>`'s
`ttm:agent` (or its `<div>`'s), shown by the `<ttm:name>` the document's metadata gives that
agent, else as labelled (`SPEAKER_1`: a speaker map names it). Times are clock times
(`00:01:02.500`, `00:01:02:12` in frames), offsets (`62.5s`, `1500ms`, `2m`, `90000t` in
ticks), each relative to its parent's begin as TTML has it, unless the file writes them
absolute under a parent that begins later (as some exporters do).
"""

from __future__ import annotations

import re

from index.formats.base import FormatError, Parsed
from index.formats.captions import Cue, to_parsed
from index.formats.lines import join, require

NAME = "ttml"
SUFFIXES = (".ttml", ".dfxp", ".xml")

_NAMESPACES = ("http://www.w3.org/ns/ttml", "http://www.w3.org/2006/10/ttaf1",
               "http://www.w3.org/2006/04/ttaf1")
_TTM = ("http://www.w3.org/ns/ttml#metadata", "http://www.w3.org/2006/10/ttaf1#metadata")
_TTP = ("http://www.w3.org/ns/ttml#parameter", "http://www.w3.org/2006/10/ttaf1#parameter")
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2})(?:(\.\d+)|:(\d+)(?:\.\d+)?)?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_SHORT = re.compile(r"^(\d+):(\d{2}(?:\.\d+)?)$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|m|s|ms|f|t)$")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def sniff(text: str) -> float:
    """Confidence that `text` is TTML: a `<tt>` root in a TTML namespace.

    >>> sniff('<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body/></tt>')
    1.0
    >>> sniff("<html><body>Hi</body></html>"), sniff("Ann: Hi")
    (0.0, 0.0)
    """
    head = text[:5000]
    if re.search(r"<(?:\w+:)?tt[\s>]", head) and any(ns in head for ns in _NAMESPACES):
        return 1.0
    return 0.0


def clock(value: str, frame_rate: float = 30.0, tick_rate: float = 1.0) -> float:
    """Seconds from a TTML time expression; ValueError for one it does not define.

    >>> clock("00:01:02.500"), clock("00:01:02:15", 30), clock("62.5s"), clock("1500ms")
    (62.5, 62.5, 62.5, 1.5)
    >>> clock("2m"), clock("1h"), clock("90000t", tick_rate=10000000), clock("25f", 25)
    (120.0, 3600.0, 0.009, 1.0)
    >>> clock("62.5"), clock("1:02.500")  # what some exporters write
    (62.5, 62.5)
    """
    value = value.strip()
    if m := _CLOCK.match(value):
        h, mi, s = int(m[1]), int(m[2]), int(m[3])
        if mi > 59 or s > 60:
            raise ValueError(f"bad time {value!r}")
        total = h * 3600 + mi * 60 + s
        if m[4]:
            total += float(m[4])
        elif m[5]:
            total += int(m[5]) / frame_rate
        return total
    if _NUMBER.match(value):  # seconds without a unit, as some exporters write them
        return float(value)
    if m := _SHORT.match(value):  # `1:02.500`: minutes and seconds
        if float(m[2]) >= 60:
            raise ValueError(f"bad time {value!r}")
        return int(m[1]) * 60 + float(m[2])
    if m := _OFFSET.match(value):
        n, unit = float(m[1]), m[2]
        return n * {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "f": 1 / frame_rate,
                    "t": 1 / tick_rate}[unit]
    raise ValueError(f"bad time {value!r} (expected 00:00:01.000 or 1.0s)")


def local(tag) -> str:
    """An element's name without its namespace ("" for a comment)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xml_root(text: str):
    """The root element of an XML caption file (None when it is empty), read with lxml;
    entities are never expanded. FormatError naming the line when the XML is not well formed.

    >>> xml_root("<?xml version='1.0' encoding='utf-8'?>\\n<tt/>").tag, xml_root("  ")
    ('tt', None)
    >>> xml_root("<tt><p>Hi</tt>")
    Traceback (most recent call last):
    ...
    index.formats.base.FormatError: line 1: not well-formed XML: Opening and ending tag mismatch: p line 1 and tt, line 1, column 15
    """
    etree = require("lxml.etree", "lxml")
    body_text = _DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    if not body_text.strip():
        return None
    try:
        return etree.fromstring(body_text.encode("utf-8"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        raise FormatError(f"line {e.lineno or 1}: not well-formed XML: {e.msg}") from None


def _attr(el, name: str, namespaces: tuple[str, ...]) -> str | None:
    """The attribute `name` in the first of `namespaces` that the element sets."""
    return next((v for ns in namespaces if (v := el.get(f"{{{ns}}}{name}")) is not None), None)


def _is_word(el) -> bool:
    """A span that holds one word (Apple Podcasts' `podcasts:unit="word"`)."""
    return any(local(k) == "unit" and v == "word" for k, v in el.attrib.items())


def _words(p) -> tuple[str, ...]:
    """The lines of a caption: `<br/>` breaks them, the XML's own line breaks do not. Word
    spans are words apart though the file writes nothing between them, as Apple's does
    (`<span …>Welcome</span><span …>to</span>`): a space between Latin words, none in Chinese.

    >>> from lxml import etree
    >>> _words(etree.fromstring('<p xmlns:x="u"><span x:unit="word">Welcome</span>'
    ...        '<span x:unit="word">back.</span><br/><span x:unit="word">我们</span>'
    ...        '<span x:unit="word">开始</span></p>'))
    ('Welcome back.', '我们开始')
    """
    lines: list[str] = []
    line = ""

    def walk(el) -> None:
        nonlocal line
        if el.text:
            line = join(line, el.text.strip()) if _is_word(el) else line + el.text
        for child in el:
            if local(child.tag) == "br":
                lines.append(line)
                line = ""
            elif local(child.tag) != "metadata":
                walk(child)
            if child.tail:
                line += child.tail

    walk(p)
    lines.append(line)
    return tuple(text for text in (" ".join(s.split()) for s in lines) if text)


def parse(text: str) -> Parsed:
    """Parse a TTML document.

    >>> p = parse('''<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata">
    ... <head><metadata><ttm:agent xml:id="s1"><ttm:name>Ann Lee</ttm:name></ttm:agent></metadata></head>
    ... <body><div begin="10s">
    ...  <p begin="00:00:01.000" end="00:00:03.000" ttm:agent="s1"><span>Hello</span> <span>there.</span></p>
    ...  <p begin="3s" dur="2s" ttm:agent="SPEAKER_2">Hi<br/>Ann.</p></div></body></tt>''')
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('Ann Lee', 11.0, 13.0, 'Hello there.'), ('SPEAKER_2', 13.0, 15.0, 'Hi Ann.')]
    """
    root = xml_root(text)
    if root is None:
        return Parsed([], warnings=["no captions found"])
    if local(root.tag) != "tt":
        raise FormatError(f"line {root.sourceline or 1}: not a transcript format this reads "
                          f"(XML is read as TTML captions, whose root is <tt>; this one's is "
                          f"<{local(root.tag)}>)")
    frame_rate = float(_attr(root, "frameRate", _TTP) or 30)
    tick_rate = float(_attr(root, "tickRate", _TTP) or 1)

    def time_of(el, name: str) -> float | None:
        value = el.get(name)
        if value is None:
            return None
        try:
            return clock(value, frame_rate, tick_rate)
        except ValueError as e:
            raise FormatError(f"line {el.sourceline}: {e}") from None

    names: dict[str, str] = {}
    for el in root.iter():
        if local(el.tag) == "agent" and (agent_id := el.get(_XML_ID)):
            name = next((" ".join((n.text or "").split()) for n in el if local(n.tag) == "name"), "")
            if name:
                names[agent_id] = name

    cues: list[Cue] = []
    speakers: list[str | None] = []

    def visit(el, offset: float, parent_span: tuple[float, float] | None, agent: str | None) -> None:
        begin, end, dur = time_of(el, "begin"), time_of(el, "end"), time_of(el, "dur")
        agent = _attr(el, "agent", _TTM) or agent
        # relative to the parent's begin, as TTML has it; but a time that already lies within
        # the parent's span, under a parent that begins later than 0, was written absolute
        absolute = (
            parent_span is not None and begin is not None and offset > 0
            and parent_span[0] <= begin <= parent_span[1]
        )
        start = begin if absolute else offset + (begin or 0.0)
        stop = (end if absolute else offset + end) if end is not None else (
            start + dur if dur is not None else None)
        if local(el.tag) == "p":
            lines = _words(el)
            if lines:
                if stop is not None and stop < start:
                    raise FormatError(f"line {el.sourceline}: the caption ends before it starts")
                cues.append(Cue(start, stop if stop is not None else start, lines))
                speakers.append(names.get(agent, agent) if agent else None)
            return
        span = (start, stop) if stop is not None else None
        for child in el:
            if local(child.tag) in ("body", "div", "p"):
                visit(child, start, span, agent)

    for child in root:
        if local(child.tag) == "body":
            visit(child, 0.0, None, None)
    order = sorted(range(len(cues)), key=lambda i: cues[i].start)
    return to_parsed([cues[i] for i in order], [speakers[i] for i in order])
