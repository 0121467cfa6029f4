"""HTML for the chat: answers, sources, the evidence panel, the library, who said what.

Pure functions from the library's records to strings; no Gradio here, so they are tested
without a browser.

Passage text, speaker names, document names and host questions come from users' files, so
everything taken from the index goes through `inert`: `&<>"'` are html-escaped as by
html.escape, and the characters that start markdown syntax (`[]()!*_` and friends) become
numeric entities, so no tag, markdown link or image, autolink or emphasis can form; newlines
become <br>. Each block of chat HTML is a single line, which markdown passes through as raw
HTML. The only links made are to a document's media, and only to an http(s) address.

A citation marker is a button, `<button class="rag-cite rag-a2 rag-n1" value="2:1">[1]</button>`:
answer 2 of the session, citation 1. The chat's sanitizer keeps `class` and `value` (it drops
`data-*` and `aria-*`), and the page's script turns a click on it into "open this passage".
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from index.types import quoted_at
from rag import Answer, Citation, Passage, RagError, SourceInfo
from rag.render import LANGUAGE_NAMES, other_language, prompted_by, timestamp

if TYPE_CHECKING:
    from ui.library import FileRow

# html.escape's characters, and every one that starts markdown inline syntax (links, images,
# autolinks, emphasis, code, strike-through, math, escapes, tables, headings).
_UNSAFE = re.compile(r"[&<>\"'\\`*_\[\](){}!#~|$:@]")
_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}  # as html.escape
_MARKER = re.compile(r"\[(\d+)\]")
_CITE_VALUE = re.compile(r"^(\d+):(\d+)$")

HINT = (
    '<div class="rag-hint">Click a <b>&#91;n&#93;</b> in an answer to read that passage in '
    "context: the turns before and after it, the host&#x27;s question, its time in the "
    "recording.</div>"
)

ASKED_CHARS = 160  # of the question an answer's evidence is headed with


def shortened(text: str, most: int) -> str:
    """The text, or its first `most` characters and " …" when it is longer.

    >>> shortened("Why is Tesla ahead?", 40), shortened("Why is Tesla ahead?", 7)
    ('Why is Tesla ahead?', 'Why is …')
    """
    return text if len(text) <= most else text[:most].rstrip() + " …"


def inert(text: str | None) -> str:
    """Untrusted text as HTML that is plain text to both markdown and the browser.

    >>> inert('<b>![x](y)</b>\\nok')
    '&lt;b&gt;&#33;&#91;x&#93;&#40;y&#41;&lt;/b&gt;<br>ok'
    """
    out = _UNSAFE.sub(lambda m: _NAMED.get(m.group(), f"&#{ord(m.group())};"), text or "")
    return re.sub(r"\r\n|\r|\n", "<br>", out)


def highlight(text: str, quotes: Sequence[str]) -> str:
    """The passage, inert, with the quoted sentences wrapped in <mark>.

    >>> highlight("A b. <C> d.", ["<C> d."])
    'A b. <mark>&lt;C&gt; d.</mark>'
    """
    spans = []
    for q in quotes:
        start = quoted_at(text, q)
        if start >= 0:
            spans.append((start, start + len(q.strip())))
    out, pos = [], 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if a < b:
            out += [inert(text[pos:a]), "<mark>", inert(text[a:b]), "</mark>"]
            pos = b
    out.append(inert(text[pos:]))
    return "".join(out)


def cite_button(answer: int, n: int) -> str:
    """The clickable [n] of answer number `answer` in this chat session.

    >>> cite_button(2, 1).split(" title=")[0]
    '<button type="button" class="rag-cite rag-a2 rag-n1" value="2:1"'
    """
    return (
        f'<button type="button" class="rag-cite rag-a{answer} rag-n{n}" value="{answer}:{n}" '
        f'title="Open passage {n} in context">[{n}]</button>'
    )


def parse_cite(value: object) -> tuple[int, int] | None:
    """(answer, n) from a citation button's value, or None for anything else.

    >>> parse_cite("2:1"), parse_cite("x:1"), parse_cite(None)
    ((2, 1), None, None)
    """
    m = _CITE_VALUE.match(str(value)) if isinstance(value, str | int) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def seconds(s: float) -> str:
    """An answer's time in small print.

    >>> seconds(0.0561), seconds(1.234)
    ('56 ms', '1.2 s')
    """
    return f"{max(round(s * 1000), 1)} ms" if s < 1 else f"{s:.1f} s"


def render_question(text: str) -> str:
    """A user's message, shown exactly as typed."""
    return f"<p>{inert(text)}</p>"


def render_answer(answer: Answer, index: int, can_compose: bool = False) -> str:
    """The answer for the chat: inert sentences, each [n] of a citation a button, then the
    answer's time (and the question as retrieval read it, for a follow-up) in small print."""
    numbers = {c.n for c in answer.citations}
    out, pos = [], 0
    for m in _MARKER.finditer(answer.text):
        if int(m.group(1)) in numbers:
            out += [inert(answer.text[pos : m.start()]), cite_button(index, int(m.group(1)))]
            pos = m.end()
    out.append(inert(answer.text[pos:]))
    meta = [f"answered in {seconds(answer.seconds)}"]
    if answer.mode == "compose":
        meta.append("written by the language model from the quotes; each sentence checked")
    elif answer.mode == "translate":
        meta.append("the quotes, translated by the language model (its own sentences were not "
                    "supported by the passages)")
    elif answer.sentences:  # composing was asked for; no sentence the model wrote held up
        meta.append("quoted: the model's sentences were not supported by the passages")
    if answer.quoted_in:  # an English question, a Chinese interview: say why, and what helps
        # (a reader of the chat is not the one who runs it: no setting named here)
        want = other_language(answer.quoted_in)
        how = (f"pick Compose for an answer in {want}" if can_compose
               else f"an answer in {want} needs a language model, which whoever runs this chat can add")
        meta.append(f"quoted in {LANGUAGE_NAMES[answer.quoted_in]}, as the transcript is; {how}")
    if answer.standalone and answer.standalone != answer.question:
        meta.append(f"read as “{inert(answer.standalone)}”")
    small = f'<small class="rag-meta">{" · ".join(meta)}</small>'
    # One line, block tags: markdown takes it as raw HTML and no block syntax can start.
    return f'<div class="rag-answer"><p>{"".join(out)}</p> <p>{small}</p></div>'


def render_draft(text: str) -> str:
    """A composed answer as it streams in: plain inert text; the checked answer replaces it."""
    small = '<small class="rag-meta">writing… each sentence is checked against its passage</small>'
    return f'<div class="rag-answer rag-draft"><p>{inert(text)}</p> <p>{small}</p></div>'


def where(p: Passage | Citation, link: str | None = None) -> str:
    """`Speaker · document · turn 3 · [12:34]`, inert; the time links to the media if given."""
    parts = [f"<b>{inert(p.speaker or 'unknown speaker')}</b>", inert(p.source), f"turn {p.turn}"]
    if p.piece > 1:
        parts[-1] += f", part {p.piece}"
    stamp = timestamp(p.start)
    if stamp and link:
        parts.append(
            f'<a class="rag-time" href="{link}" target="_blank" rel="noopener">{stamp}</a>'
        )
    elif stamp:
        parts.append(f'<span class="rag-time">{stamp}</span>')
    return " · ".join(parts)


def _source(
    c: Citation, index: int, translation: str | None = None, withheld: str | None = None
) -> str:
    parts = [f'<div class="rag-source-head">{cite_button(index, c.n)} {where(c)}</div>']
    if c.question:
        parts.append(f"<div><i>{prompted_by(c.question)} {inert(c.question)}</i></div>")
    parts.append(f"<blockquote>{highlight(c.quoted_text, c.quote)}</blockquote>")
    if c.quoted_text != c.text:  # quoted from the turn's other language (a translation's original)
        parts.append(f'<div class="rag-translation"><small>As the document writes it:</small> '
                     f"{inert(c.text)}</div>")
    if translation:
        parts.append(
            f'<div class="rag-translation"><small>Translated by the language model:</small> '
            f"{inert(translation)}</div>"
        )
    elif withheld:
        parts.append(f'<div class="rag-translation"><small>Translation withheld: {inert(withheld)}'
                     "</small></div>")
    for o in c.also:
        stamp = timestamp(o.start)
        parts.append(
            f"<div><small>Also in {inert(o.source)}, turn {o.turn}"
            + (f" {stamp}" if stamp else "")
            + ".</small></div>"
        )
    return f'<div class="rag-source">{"".join(parts)}</div>'


def render_sources(
    citations: Sequence[Citation],
    index: int,
    translations: Mapping[int, str] | None = None,
    withheld: Mapping[int, str] | None = None,
) -> str:
    """Cited passages as one line of HTML ("" for none), each with the model's translation of
    its quote when a composed answer made one (or why it is withheld).

    One line on purpose: markdown takes it as a single raw-HTML block and parses nothing in it.
    """
    if not citations:
        return ""
    tr, held = translations or {}, withheld or {}
    body = "".join(_source(c, index, tr.get(c.n), held.get(c.n)) for c in citations)
    return f'<div class="rag-sources">{body}</div>'


def reply(answer: Answer, index: int, can_compose: bool = False) -> list[dict]:
    """The chat messages for an answer: the answer, then its sources, collapsed (for an answer
    that abstained, the closest passages if any, marked as not an answer). `can_compose`: the
    chat has a language model, and its Compose switch shows."""
    messages = [{"role": "assistant", "content": render_answer(answer, index, can_compose)}]
    cited = answer.citations or answer.related
    if cited:
        n = len(cited)
        quoted = sum(1 for c in answer.citations if c.quote)
        title = (
            f"Sources · {n} passage{'s' if n != 1 else ''}"
            # (the passages found beside those the answer quotes are listed too: say which)
            + (f", {quoted} quoted" if quoted < n else "")
            if answer.citations
            else f"Closest passages, not an answer · {n}"
        )
        messages.append(
            {
                "role": "assistant",
                "content": render_sources(
                    cited,
                    index,
                    answer.translations if answer.citations else None,
                    answer.withheld if answer.citations else None,
                ),
                "metadata": {"title": title, "status": "done"},
            }
        )
    return messages


def find_citation(answer: Answer, n: int) -> Citation | None:
    """Citation n of an answer (of its closest passages when it abstained)."""
    return next((c for c in (*answer.citations, *answer.related) if c.n == n), None)


def error_text(e: Exception) -> str:
    """A readable one-line message for the page; never a stack trace."""
    if isinstance(e, RagError | ImportError):  # ImportError: names the package to install
        text = re.sub(r"&#96;(.+?)&#96;", r"<code>\1</code>", inert(str(e)))  # `rag ingest`
        return f"⚠️ {text}"
    return "⚠️ Something went wrong; the details are in the server log."


# --- media links -----------------------------------------------------------------------------
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>\\`]+$", re.I)


def media_link(media: str | None, start: float | None) -> str | None:
    """An attribute-safe link to the media at a second, or None when there is no safe one.

    >>> media_link("https://x.org/ep1.mp3", 754.2), media_link("javascript:alert(1)", 3)
    ('https://x.org/ep1.mp3#t=754', None)
    """
    if not media or start is None or not _SAFE_URL.match(media) or not urlsplit(media).netloc:
        return None
    return html.escape(f"{media.split('#', 1)[0]}#t={int(start)}", quote=True)


# --- the evidence panel ----------------------------------------------------------------------
def _turns(passages: Iterable[Passage]) -> list[list[Passage]]:
    out: list[list[Passage]] = []
    for p in passages:
        if out and out[-1][0].turn == p.turn:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def render_evidence(
    c: Citation, context: Sequence[Passage], media: str | None = None, question: str = ""
) -> str:
    """A cited passage in context: the turn before (often the host's question), the turn it is
    part of, with the cited piece and its quoted sentences marked, and the turn after; its
    time (a link into the media when the document names one) and its other versions."""
    link = media_link(media, c.start)
    number = f'<span class="rag-ev-n">[{c.n}]</span>'
    head = f'<div class="rag-ev-head">{number} {where(c, link)}</div>'
    parts = [head]
    if question:  # (a long question in a few words: the passage stays in view)
        parts.append(
            f'<div class="rag-ev-asked"><small>Answer to “{inert(shortened(question, ASKED_CHARS))}”'
            "</small></div>"
        )
    turns = _turns(context) or [[c.passage]]
    before = [t for t in turns if t[0].turn < c.turn]
    if c.question and not any(c.question.strip() in " ".join(p.text for p in t) for t in before):
        parts.append(f'<div class="rag-ev-q"><i>{prompted_by(c.question)} {inert(c.question)}</i></div>')
    for t in turns:
        first = t[0]
        kind = "rag-cited" if first.turn == c.turn else "rag-around"
        role = f" ({inert(first.role)})" if first.role else ""
        stamp = timestamp(first.start)
        label = f"{inert(first.speaker or 'unknown speaker')}{role} · turn {first.turn}" + (
            f" · {stamp}" if stamp else ""
        )
        body = []
        for p in t:
            if p.id == c.id:
                body.append(
                    f'<div class="rag-piece rag-this">{highlight(c.quoted_text, c.quote)}</div>'
                )
            else:
                body.append(f'<div class="rag-piece">{inert(p.text)}</div>')
        parts.append(
            f'<div class="rag-turn {kind}"><div class="rag-who">{label}</div>{"".join(body)}</div>'
        )
    for o in c.also:
        stamp = timestamp(o.start)
        # (open, with its sentences marked, when the answer quotes this version)
        quoted = tuple(q for q in c.quote if quoted_at(o.text, q) >= 0)
        parts.append(
            f'<details class="rag-also"{" open" if quoted else ""}><summary>Also in '
            f"{inert(o.source)}, turn {o.turn}{' ' + stamp if stamp else ''}</summary>"
            f"<div>{highlight(o.text, quoted) if quoted else inert(o.text)}</div></details>"
        )
    return f'<div class="rag-evidence">{"".join(parts)}</div>'


# --- the library -----------------------------------------------------------------------------
def render_library(sources: Sequence[SourceInfo]) -> str:
    """The indexed documents: passages, speakers (hosts marked), length."""
    if not sources:
        return '<p class="rag-empty">Nothing is indexed yet: add transcripts above.</p>'
    rows = []
    for s in sources:
        speakers = ", ".join(
            inert(name) + (" <small>(host)</small>" if name in s.hosts else "")
            for name in s.speakers
        )
        length = timestamp(s.duration).strip("[]") if s.duration else "–"
        rows.append(
            f"<tr><td>{inert(s.name)}</td><td class='rag-num'>{s.passages}</td>"
            f"<td>{speakers or '–'}</td><td class='rag-num'>{length}</td></tr>"
        )
    total = sum(s.passages for s in sources)
    return (
        f'<table class="rag-table rag-library"><caption>{len(sources)} document'
        f"{'s' if len(sources) != 1 else ''}, {total} passages</caption>"
        "<thead><tr><th>Document</th><th>Passages</th><th>Speakers</th><th>Length</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render_ingest(rows: Sequence[FileRow]) -> str:
    """The per-file report of an upload."""
    if not rows:
        return ""
    body = []
    for r in rows:
        icon = {"ok": "✓", "warn": "⚠️", "error": "✗", "info": "·"}[r.status]
        notes = "<br>".join(inert(n) for n in r.notes)
        passages = "" if r.passages is None else str(r.passages)
        body.append(
            f'<tr class="rag-{r.status}"><td>{icon}</td><td>{inert(r.name)}</td>'
            f"<td>{inert(r.format)}</td><td class='rag-num'>{passages}</td>"
            f"<td>{inert(', '.join(r.speakers)) or '–'}</td><td>{notes}</td></tr>"
        )
    return (
        '<table class="rag-table rag-report"><thead><tr><th></th><th>File</th><th>Format</th>'
        "<th>Passages</th><th>Speakers found</th><th>Notes</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


# --- who said what -----------------------------------------------------------------------------
def render_who_said(topic: str, rows: Sequence[tuple[str, str, Sequence[Citation]]]) -> str:
    """For each document and speaker, the best passage about the topic, or a dash."""
    if not rows:
        return '<p class="rag-empty">Nothing is indexed yet.</p>'
    body, last = [], None
    for doc, speaker, cites in rows:
        if doc != last:
            body.append(f'<tr class="rag-doc"><th colspan="2">{inert(doc)}</th></tr>')
            last = doc
        if cites:
            said = "".join(
                f'<div class="rag-said"><small>turn {c.turn}'
                + (f" {timestamp(c.start)}" if c.start is not None else "")
                + f"</small> {inert(c.text)}</div>"
                for c in cites
            )
            cls = "rag-spoke"
        else:
            said, cls = '<span class="rag-silent">— did not speak to it</span>', "rag-silent-row"
        body.append(
            f'<tr class="{cls}"><td>{inert(speaker or "unknown speaker")}</td><td>{said}</td></tr>'
        )
    spoke = sum(1 for *_, c in rows if c)
    return (
        f'<table class="rag-table rag-who-said"><caption>“{inert(topic)}”: {spoke} of {len(rows)} '
        "speakers spoke to it</caption><tbody>" + "".join(body) + "</tbody></table>"
    )
