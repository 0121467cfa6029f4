"""Web pages saved as `.html`: a podcast site's transcript page, an interview article, a
Podcasting 2.0 HTML transcript. Read with Beautiful Soup, turned into Markdown by
markdownify, then parsed as Markdown.

The page around the interview is left out by its HTML roles: scripts, styles, navigation,
the site's header and footer, sidebars, forms. When an `<article>` or `<main>` holds most of
the page's text, only it is read. A bold lead (`<strong>Ann:</strong> …`) is a speaker label,
headings are context, links keep their text. The Podcasting 2.0 form (`<cite>Ann:</cite>
<time>0:05</time> <p>…</p>`) becomes `**Ann (0:05):**`. The page's `<title>` is the
document's title.
"""

from __future__ import annotations

import re
from dataclasses import replace

from index.formats import markdown
from index.formats.base import Parsed
from index.formats.lines import require
from index.formats.timestamped import parse_prose

NAME = "html"
SUFFIXES = (".html", ".htm")

# Page furniture, never the interview.
_FURNITURE = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "svg", "select", "input", "dialog",
)
_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "dialog")
# Class or id words of page furniture (`<div class="sidebar">`, `id="related-posts"`): such
# an element is left out when it holds little of the page's text.
_FURNITURE_WORDS = frozenset(
    "sidebar side related recommend recommended hot popular comments comment share sharing "
    "social ad ads advert advertisement sponsor sponsored banner breadcrumb breadcrumbs menu "
    "navbar nav subscribe newsletter popup modal cookie cookies footer header toolbar qr qrcode "
    "reward copyright".split()
)
_FURNITURE_SHARE = 0.2
# An <article> or <main> that holds at least this share of the page's text is the page.
_MAIN_SHARE = 0.5


def sniff(text: str) -> float:
    """Confidence that `text` is an HTML page.

    >>> sniff("<!DOCTYPE html><html><body><p>Ann: Hi</p>"), sniff("Ann: <b>Hi</b>")
    (1.0, 0.0)
    """
    head = text.lstrip("\ufeff \n\t")[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        return 1.0
    return 0.6 if re.search(r"<(?:body|p|div)[\s>]", text[:5000], re.I) else 0.0


def to_markdown(text: str) -> tuple[str, dict[str, object]]:
    """The page's interview as Markdown, and its metadata (title). A page that is one
    preformatted text (`<pre>` holding most of what it shows) is that text, as it is."""
    bs4 = require("bs4", "beautifulsoup4")
    markdownify = require("markdownify", "markdownify")
    soup = bs4.BeautifulSoup(text, "lxml")  # python-docx already needs lxml; html.parser is slow
    meta: dict[str, object] = {}
    if soup.title and soup.title.get_text(strip=True):
        # (`<title> - HEARING TITLE</title>`: a site's name left empty before the dash)
        meta["title"] = " ".join(soup.title.get_text().split()).strip("-–—|: ")
    for tag in soup.find_all(_FURNITURE):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": list(_FURNITURE_ROLES)}):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):  # what the page never shows its reader
        if not tag.decomposed:
            tag.decompose()
    body = soup.body or soup
    total = _size(body)
    for tag in body.find_all(_is_furniture):
        if not tag.decomposed and _size(tag) < _FURNITURE_SHARE * total:
            tag.decompose()
    pre = max(soup.find_all("pre"), key=_size, default=None)
    if pre is not None and _size(pre) >= _MAIN_SHARE * total:
        # A text file put on the web inside <pre> (the US Government Publishing Office's
        # hearings and Congressional Record, mailing-list archives): no markup to read.
        meta["preformatted"] = True
        return pre.get_text(), meta
    main = max(soup.find_all(["article", "main"]), key=_size, default=None)
    root = main if main is not None and _size(main) >= _MAIN_SHARE * total else body
    for cite in root.find_all("cite"):  # Podcasting 2.0: <cite>Ann:</cite> <time>0:05</time>
        name = cite.get_text(" ", strip=True).rstrip(":：")
        time = cite.find_next_sibling()
        when = ""
        if time is not None and time.name == "time":
            when = f" ({time.get_text(strip=True)})"
            time.decompose()
        strong = soup.new_tag("strong")
        strong.string = f"{name}{when}:"
        paragraph = soup.new_tag("p")
        paragraph.append(strong)
        cite.replace_with(paragraph)
    for caption in root.find_all("figcaption"):
        # A photo's caption is the page's, not a speaker's: written as a Markdown image, whose
        # caption the Markdown reader keeps as context.
        words = " ".join(caption.get_text(" ").split()).translate(_NO_BRACKETS)
        paragraph = soup.new_tag("p")
        paragraph.string = f"![{words}](figure)" if words else ""
        caption.replace_with(paragraph)
    md = markdownify.markdownify(
        str(root), heading_style="ATX", strip=["a", "img"], bullets="-", escape_misc=False
    )
    return md, meta


_NO_BRACKETS = str.maketrans("[]", "()")


def _size(tag) -> int:
    """How much text a tag shows (characters, runs of white space as one)."""
    return len(tag.get_text(" ", strip=True))


def _is_hidden(tag) -> bool:
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return (
        tag.has_attr("hidden")
        or tag.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _is_furniture(tag) -> bool:
    names = " ".join([*tag.get("class", []), tag.get("id", "")]).lower()
    return bool(_FURNITURE_WORDS.intersection(re.split(r"[\s_-]+", names)))


def parse(text: str) -> Parsed:
    """Parse a saved web page.

    >>> p = parse("<html><head><title>Ep. 4</title></head><body><nav>Home | Episodes</nav>"
    ...           "<article><h2>Batteries</h2><p><b>Ann:</b> Why <i>LFP</i>?</p>"
    ...           "<p><b>Bo:</b> It lasts.</p><div class='share-bar'>Share</div></article>"
    ...           "<footer>© 2024</footer></body></html>")
    >>> [(s.kind, s.speaker, s.text) for s in p.segments], p.meta
    ([('context', None, 'Batteries'), ('speech', 'Ann', 'Why LFP?'), ('speech', 'Bo', 'It lasts.')], {'title': 'Ep. 4'})

    A photo's caption between two turns is context, not the words of the speaker before it:

    >>> p = parse("<p>Ann: Is he a dictator?</p><p>Bo: He jails his critics.</p><figure><img "
    ...           "src='a.jpg'><figcaption>Putin speaks [AP]</figcaption></figure><p>Ann: Why?</p>")
    >>> [(s.kind, s.speaker, s.text) for s in p.segments]
    [('speech', 'Ann', 'Is he a dictator?'), ('speech', 'Bo', 'He jails his critics.'), ('context', None, 'Putin speaks (AP)'), ('speech', 'Ann', 'Why?')]

    A page that is one preformatted text is read as that text file:

    >>> p = parse("<html><title>Hearing</title><body><pre>\\n    Chairman LEE. Welcome, Mr.\\n"
    ...           "Goss.\\n    Mr. GOSS. Thank you.\\n</pre></body></html>")
    >>> [(s.speaker, s.text) for s in p.segments], p.meta
    ([('Chairman LEE', 'Welcome, Mr.\\nGoss.'), ('Mr. GOSS', 'Thank you.')], {'title': 'Hearing'})
    """
    md, meta = to_markdown(text)
    if meta.pop("preformatted", False):
        parsed = parse_prose(md)  # the lines of a text file
    else:
        parsed = markdown.parse(md)
    return replace(parsed, meta={**meta, **parsed.meta})
