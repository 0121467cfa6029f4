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
from index.formats.lines import (
    MAX_LINE_NUMBER,
    TIME_ALONE,
    blur,
    join_all,
    line_numbers,
    require,
    strip_chrome,
)
from index.formats.timestamped import parse_prose

NAME = "pdf"
SUFFIXES = (".pdf",)

def sniff(text: str) -> float:
    """A PDF is known by its name and bytes, never by text content."""
    return 0.0


# A glyph whose font maps to no character (an errata sheet in an embedded font): pdfminer
# writes its code, `(cid:49)`, which is no text.
_UNMAPPED = re.compile(r"\(cid:\d+\)")


def _pages(data: bytes) -> list[list[list[str]]]:
    """Each page's text boxes (pdfminer's paragraphs), each a list of its lines, in reading
    order (`parse_bytes` has checked that pdfminer.six is installed)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings on every glyph
    return [
        [
            [" ".join(line.split()) for line in _UNMAPPED.sub("", unify_lookalikes(box.get_text())).split("\n")
             if line.strip()]
            for box in page
            if isinstance(box, LTTextBox)
        ]
        for page in extract_pages(io.BytesIO(data), laparams=LAParams())
    ]


_MARGIN_NUMBER = re.compile(r"^\d{1,2}$")
# A court record's `Q` and `A` opening a line, the wide space after them gone from the text
# layer: its examination marks, as `Q.` and `A.`
_EXAMINATION_MARK = re.compile(r"^([QA]) (?=[A-Z0-9\"'“‘(\[])")
_OPENS_TURN = re.compile(r"^(?:[QA][ .]|[^:]{1,40}:)")
_ENDS = tuple(".?!,;:")


def _in_record(line: str) -> bool:
    """A court record's line that may recur on many pages and still be the record: one that
    opens a turn (`A. Yes.`) or ends a sentence."""
    return bool(_OPENS_TURN.match(line)) or line.endswith(_ENDS)


def _numbered_page(page: list[list[str]]) -> bool:
    """Does the page number its lines in the margin: five or more numbers alone on their lines
    (in one text box or in several), counting up from one to the next? The page's own number
    may stand among them."""
    numbers = [int(line) for box in page for line in box if _MARGIN_NUMBER.match(line)]
    return sum(b == a + 1 <= MAX_LINE_NUMBER for a, b in zip(numbers, numbers[1:], strict=False)) >= 4


_TIME_ALONE = re.compile(TIME_ALONE)


def _timed(box: list[str]) -> list[str]:
    """A text box as one line, or two when its first line is a time alone."""
    if len(box) > 1 and _TIME_ALONE.fullmatch(box[0].strip()):
        return [box[0], join_all(box[1:])]
    return [join_all(box)]


def page_lines(pages: list[list[list[str]]]) -> tuple[list[list[str]], int, int]:
    """Each page as lines: a text box is one line (pdfminer's paragraph) in most documents;
    in a court reporter's transcript, whose lines are numbered in the margin, each printed
    line stays a line (a box there holds a page of `Q.` and `A.` lines), without its number
    and without the reporter's footer wherever it stands. Returns the pages and how many
    characters of line numbers and of footers went.

    >>> column = ["7"] + [str(n) for n in range(1, 26)]
    >>> page_lines([[column, ["Q Name?", "A Ann Lee, and I", "work in Boston."]]])
    ([['Q. Name?', 'A. Ann Lee, and I', 'work in Boston.']], 42, 0)
    >>> page_lines([[["Ann: We grew", "a lot."], ["Bob: Why?"]]])
    ([['Ann: We grew a lot.', 'Bob: Why?']], 0, 0)

    A time on the first line of a box stays a line of its own, above the turn it times (an
    oral history's `[00:00:21]` above `GLUSKER: Should I start out again?`):

    >>> page_lines([[["[00:00:21]", "GLUSKER: Should I", "start out again?"]]])
    ([['[00:00:21]', 'GLUSKER: Should I start out again?']], 0, 0)
    """
    columns = sum(_numbered_page(page) for page in pages)
    lines = [line for page in pages for box in page for line in box]
    if columns < max(1, len(pages) / 2) and not line_numbers(lines)[1]:
        return [[line for box in page for line in _timed(box)] for page in pages], 0, 0
    # the reporter's footer may come anywhere in a page's reading order: a line that recurs on
    # half of the pages, digits aside, is chrome wherever it stands, unless it opens a turn or
    # ends a sentence
    seen = Counter(shape for page in pages for shape in {blur(line) for box in page for line in box})
    chrome = {shape for shape, n in seen.items() if n >= max(3, len(pages) / 2)}
    # ... and a line on nine pages in ten, as printed, is chrome though it reads as a turn
    # (`A Trustpoint Company`)
    seen = Counter(line for page in pages for line in {line for box in page for line in box})
    everywhere = {line for line, n in seen.items() if n >= max(3, 0.9 * len(pages))}
    numbers = footers = 0
    out = []
    for page in pages:
        kept = []
        for line in (line for box in page for line in box):
            if _MARGIN_NUMBER.match(line):
                numbers += len(line)
            elif line in everywhere or blur(line) in chrome and not _in_record(line):
                footers += len(line)
            else:
                kept.append(line)
        kept, inline = line_numbers(kept)
        out.append([_EXAMINATION_MARK.sub(r"\1. ", line) for line in kept])
        numbers += inline
    return out, numbers, footers


def parse_bytes(data: bytes) -> Parsed:
    """Parse a PDF transcript from its text layer."""
    require("pdfminer", "pdfminer.six")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        boxes = _pages(data)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ValueError("the PDF is password-protected: save a copy without the password") from None
    except Exception as e:  # pdfminer raises many types for a damaged file
        reason = str(e).split("\n")[0] or type(e).__name__
        raise ValueError(f"not a readable PDF file ({reason})") from None
    if not any(box for page in boxes for box in page):
        raise ValueError("this PDF has no text layer (a scan?): run OCR on it first")
    pages, numbers, footers = page_lines(boxes)
    lines, dropped = strip_chrome(pages, keep=_in_record if numbers else lambda line: False)
    parsed = parse_prose("\n".join(lines))
    counts = {"page headers, footers and numbers": dropped + footers, "line numbers": numbers}
    return replace(parsed, dropped={**parsed.dropped, **{k: n for k, n in counts.items() if n}})
