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
    cells = [" ".join(c.split()) for c in cells if c.strip()]
    times = [c for c in cells if _CLOCK.match(c)]
    words = [c for c in cells if not _CLOCK.match(c)]
    if len(words) == 2 and len(words[0]) <= 40:
        time = f" ({_CLOCK.match(times[0]).group(1)})" if times else ""
        return f"{words[0]}{time}: {words[1]}"
    return " ".join(cells)


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
            lines.extend(_row([c.text for c in row.cells]) for row in block.rows)
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
