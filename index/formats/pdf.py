"""PDF transcripts (oral histories, hearings, earnings calls, exported meeting notes, web
pages printed to PDF): the text layer read with pdfminer.six, whose layout analysis gives
paragraphs rather than wrapped lines, then parsed as text.

A PDF repeats its page chrome on every page: a running header ("Oral History Project –
Interview with …"), a footer, a page number. Such lines are dropped where they occur (the
ingest report counts them), so a turn that runs over a page break stays one turn. A PDF
without a text layer (a scan) gets a one-line error saying to run OCR first.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import replace

from index.clean import unify_lookalikes
from index.formats.base import Parsed
from index.formats.lines import CLOCK, join, require
from index.formats.timestamped import parse_prose

NAME = "pdf"
SUFFIXES = (".pdf",)

_CLOCK_IN = re.compile(rf"(?<![\d:]){CLOCK}(?![\d:])")
# How many lines at the top and at the bottom of a page may be its header or footer.
_EDGE = 3
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s*#(?:\s*(?:of|/)\s*#)?|#\s*(?:of|/)\s*#|[-–—]?\s*#\s*[-–—]?|"
    r"第\s*#\s*[页頁](?:\s*[,，/]?\s*共\s*#\s*[页頁])?|#\s*/\s*#)$"
    # what a browser prints around a web page: the time and title, the address and page
    r"|^#[/.-]#[/.-]#,?\s+#:#(?:\s*[AP]M)?(?:\s|$)|"
    r"^(?:file|https?)://\S+(?:\s+#\s*(?:/|of)\s*#)?$"
)


def _blur(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _shape(line: str) -> str:
    """A line with its digits blurred, so "Page 3" and "Page 4" are one running line; but a
    line with a clock time stays as written: `Emily Freeman 1:14` at the top of one page and
    `Emily Freeman 6:24` at the top of the next are two turns, not a running header.

    >>> _shape("Page 3  of 9"), _shape("Emily Freeman 6:24")
    ('Page # of #', 'Emily Freeman 6:24')
    """
    return " ".join(line.split()) if _CLOCK_IN.search(line) else _blur(line)


def strip_chrome(pages: list[list[str]]) -> tuple[list[str], int]:
    """The lines of every page without its running header, footer and page number, and how
    many characters were dropped. A line is chrome when it sits among the first lines (or
    among the last) of at least half of the pages, and of two, digits aside; or when it is a
    page number there.

    >>> pages = [["Acme call", "Ann: We grew.", "Page 1 of 2"],
    ...          ["Acme call", "Bob: Why?", "2"]]
    >>> strip_chrome(pages)
    (['Ann: We grew.', 'Bob: Why?'], 30)
    >>> strip_chrome([["12/3/26, 12:42 PM 访谈实录", "甲：好。", "file:///tmp/talk.html 1/1"]])[0]
    ['甲：好。']
    """
    def edges(lines: list[str]) -> dict[int, set[str]]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        out: dict[int, set[str]] = {}
        for side, part in (("top", filled[:_EDGE]), ("bottom", filled[-_EDGE:])):
            for i in part:
                out.setdefault(i, set()).add(side)
        return out

    page_edges = [edges(lines) for lines in pages]
    seen: Counter[tuple[str, str]] = Counter()
    for lines, at_edge in zip(pages, page_edges, strict=True):
        seen.update({(side, _shape(lines[i])) for i, sides in at_edge.items() for side in sides})
    running = {key for key, n in seen.items() if n >= max(2, len(pages) / 2)}
    kept: list[str] = []
    dropped = 0
    for lines, at_edge in zip(pages, page_edges, strict=True):
        for i, line in enumerate(lines):
            sides = at_edge.get(i, ())
            if sides and (
                any((side, _shape(line)) in running for side in sides)
                or _PAGE_NUMBER.match(_blur(line))
            ):
                dropped += len(line.strip())
            else:
                kept.append(line)
    return kept, dropped


def sniff(text: str) -> float:
    """A PDF is known by its name and bytes, never by text content."""
    return 0.0


def _pages(data: bytes) -> list[list[str]]:
    """Each page's text boxes (pdfminer's paragraphs), each as one line, in reading order
    (`parse_bytes` has checked that pdfminer.six is installed)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings on every glyph
    pages = []
    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        boxes = []
        for box in page:
            if isinstance(box, LTTextBox):
                text = ""
                for line in unify_lookalikes(box.get_text()).split("\n"):
                    text = join(text, " ".join(line.split()))
                boxes.append(text)
        pages.append(boxes)
    return pages


def parse_bytes(data: bytes) -> Parsed:
    """Parse a PDF transcript from its text layer."""
    require("pdfminer", "pdfminer.six")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pages = _pages(data)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ValueError("the PDF is password-protected: save a copy without the password") from None
    except Exception as e:  # pdfminer raises many types for a damaged file
        reason = str(e).split("\n")[0] or type(e).__name__
        raise ValueError(f"not a readable PDF file ({reason})") from None
    if not any(line.strip() for lines in pages for line in lines):
        raise ValueError("this PDF has no text layer (a scan?): run OCR on it first")
    lines, dropped = strip_chrome(pages)
    parsed = parse_prose("\n".join(lines))
    if not dropped:
        return parsed
    return replace(parsed, dropped={**parsed.dropped, "page headers, footers and numbers": dropped})
