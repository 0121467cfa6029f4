"""Word documents (.docx): paragraphs read with python-docx, then parsed as text.

A speaker label in bold (`**Sarah Guo:** …`) and Heading styles are kept as Markdown, so the
Markdown parser reads them; a document without such markup goes to whichever of the plain
and timestamped parsers fits its text. Tables of two or three columns (speaker, time, text)
become labelled lines.
"""

from __future__ import annotations

import io
import re

from index.formats import markdown
from index.formats.base import Parsed
from index.formats.lines import CLOCK, require
from index.formats.timestamped import parse_prose

NAME = "docx"
SUFFIXES = (".docx",)

_CLOCK = re.compile(rf"^\s*[(\[]?({CLOCK})[)\]]?\s*$")


def _paragraph(p) -> tuple[str, bool]:
    """A paragraph as text, with a leading bold run kept as `**…**`; and whether it had one."""
    # `p.text` includes hyperlinks, `p.runs` does not: runs only find the bold lead.
    text = p.text
    runs = [(r.text, bool(r.bold)) for r in p.runs if r.text]
    n = 0
    while n < len(runs) and runs[n][1]:
        n += 1
    raw = "".join(t for t, _ in runs[:n])
    lead = raw.strip()
    if not lead or not text.startswith(raw) or len(lead) > 80 or "*" in lead:
        return text, False
    return f"**{lead}**{text[len(raw) :]}", True


def _is_list_item(p, style: str) -> bool:
    """A bulleted or numbered paragraph: a List style, or Word's own numbering on it."""
    ppr = p._p.pPr
    return style.startswith("List") or (ppr is not None and ppr.numPr is not None)


def _row(cells: list[str]) -> str:
    """A row of cells (`_cells`): `Speaker (time): words` when it holds a speaker and words."""
    words, times = _words(cells)
    if len(words) == 2 and len(words[0]) <= 40:
        time = f" ({_CLOCK.match(times[0]).group(1)})" if times else ""
        return f"{words[0]}{time}: {words[1]}"
    return " ".join(cells)


# a column's heading that names a side and the participant's ID (`受访者P06`, `Participant 7`):
# the ID labels its turns
_SIDE_WITH_ID = re.compile(
    r"^(?:受访者|受訪者|被访者|被訪者|interviewee|participant|respondent)\s*[#:：（(]?\s*"
    r"(?P<id>[A-Za-z]{0,3}\s?\d{1,4})\s*[)）]?$",
    re.I,
)
_ASKS = re.compile(r"[?？]\s*$")


def _cells(cells: list[str]) -> list[str]:
    """A row's cells with text, each on one line."""
    return [" ".join(c.split()) for c in cells if c.strip()]


def _words(cells: list[str]) -> tuple[list[str], list[str]]:
    """A row's cells of words, and its cells of times."""
    return [c for c in cells if not _CLOCK.match(c)], [c for c in cells if _CLOCK.match(c)]


def _column_label(heading: str) -> str:
    m = _SIDE_WITH_ID.match(heading.strip())
    return m["id"].replace(" ", "") if m else heading.strip()


def _table(rows: list[list[str]]) -> list[str]:
    """A table's rows as labelled lines. A speaker (and a time) beside the words becomes
    `Speaker (time): words`; a table with a column of questions and a column of answers
    (a row per exchange, headed `访谈者 | 受访者P06` or not headed) becomes a question's turn and
    an answer's, labelled by the headings (`问`/`答`, `Q`/`A` without them).

    >>> _table([["Ann", "0:05", "Hello."], ["Bo", "0:07", "Hi."]])
    ['Ann (0:05): Hello.', 'Bo (0:07): Hi.']
    >>> _table([["访谈者", "受访者P06"], ["您在哪里工作？", "在家。"], ["为什么？", "孩子小。"]])
    ['访谈者: 您在哪里工作？', 'P06: 在家。', '访谈者: 为什么？', 'P06: 孩子小。']
    >>> _table([["Where do you work?", "At home."], ["Why?", "My kids are small."]])
    ['Q: Where do you work?', 'A: At home.', 'Q: Why?', 'A: My kids are small.']
    """
    rows = [_cells(r) for r in rows]
    words = [_words(r)[0] for r in rows]
    pairs = [w for w in words if len(w) == 2]
    if len(pairs) == len(words) >= 2:
        headed = not _ASKS.search(words[0][0]) and all(
            len(c) <= 20 and not re.search(r"[。.!！]$", c) for c in words[0])
        body = words[1:] if headed else words
        lefts = [w[0] for w in body]
        if len(body) >= 2 and sum(bool(_ASKS.search(c)) for c in lefts) * 2 >= len(lefts) and (
            len(set(lefts)) == len(lefts)
        ):
            cjk = any("\u4e00" <= ch <= "\u9fff" for ch in "".join(lefts))
            ask, answer = (map(_column_label, words[0]) if headed
                           else (("问", "答") if cjk else ("Q", "A")))
            return [line for q, a in body for line in (f"{ask}: {q}", f"{answer}: {a}")]
    return [_row(r) for r in rows]


def to_text(data: bytes) -> tuple[str, bool]:
    """The document as text (Markdown for bold labels and headings), and whether it used any."""
    docx = require("docx", "python-docx")
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as e:  # zip, XML and package errors come in many types
        reason = str(e).split("\n")[0] or type(e).__name__
        raise ValueError(f"not a readable .docx file ({reason})") from None
    lines: list[str] = []
    marked = False
    for block in doc.iter_inner_content():
        if hasattr(block, "rows"):
            lines.extend(_table([[c.text for c in row.cells] for row in block.rows]))
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style.startswith(("Heading", "Title")) and block.text.strip():
            lines.append(f"# {block.text.strip()}")
            marked = True
            continue
        text, bold = _paragraph(block)
        marked = marked or bold
        if not bold and text.strip() and _is_list_item(block, style):
            text = f"- {text.strip()}"  # an item, read as a paragraph of its own
        lines.append(text)
    return "\n\n".join(lines), marked


def sniff(text: str) -> float:
    """A .docx is known by its name and bytes, never by text content."""
    return 0.0


def parse_bytes(data: bytes) -> Parsed:
    """Parse a .docx transcript.

    >>> import docx, io
    >>> d = docx.Document(); d.add_heading("Episode 3", 1)
    ... # doctest: +ELLIPSIS
    <docx.text.paragraph.Paragraph object at ...>
    >>> p = d.add_paragraph(); p.add_run("Ann:").bold = True; _ = p.add_run(" Hello.")
    >>> buf = io.BytesIO(); d.save(buf)
    >>> [(s.kind, s.speaker, s.text) for s in parse_bytes(buf.getvalue()).segments]
    [('context', None, 'Episode 3'), ('speech', 'Ann', 'Hello.')]

    List paragraphs are items, each a paragraph of its own (they rarely end a sentence):

    >>> d = docx.Document(); _ = d.add_paragraph("We had two goals:")
    >>> _ = d.add_paragraph("to build it", style="List Bullet"); _ = d.add_paragraph("to ship it", style="List Bullet")
    >>> buf = io.BytesIO(); d.save(buf)
    >>> [s.text for s in parse_bytes(buf.getvalue()).segments]
    ['We had two goals:', '- to build it', '- to ship it']
    """
    text, marked = to_text(data)
    return markdown.parse(text) if marked else parse_prose(text)
