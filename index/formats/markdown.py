"""Markdown transcripts, as podcast sites and note apps publish them.

Speaker labels in bold (`**Name:** text`, `**Name**: text`, `**Name (01:02:03)**：text`),
`### Name` headings when they recur, `Q:`/`A:`; times as `[04:07]` or `\\[04:07\\]`; stage
directions in brackets. Other headings are context; links keep their text. A turn given in
Chinese and then again in English by the same speaker becomes one segment (`alt`). Under the
markup, lines are read as the timestamped and plain parsers read them.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from dataclasses import replace

from index.clean import repair
from index.formats import table
from index.formats.base import Parsed
from index.formats.lines import CLOCK, CLOSE, OPEN, clock_at, mostly_cjk
from index.formats.plain import Line, may_speak, speaker_tag, split_label, walk
from index.formats.timestamped import read_line

NAME = "markdown"
SUFFIXES = (".md", ".markdown", ".rst")

_HEADING = re.compile(r"^\s{0,3}(?P<level>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
# A section title's underline (Markdown's `===` / `---` under the title; reStructuredText's
# line of one repeated punctuation character, also above it)
_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:[-*_]\s*){3,}|```.*|~~~.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+]|(\d{1,3}[.)]))\s+\S")  # group 1: an item's number
_BLOCK = re.compile(r"^\s*(?:>\s?)+|^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)")
# Link text holds no `[`, which keeps the search linear on a run of brackets.
_LINK = re.compile(r"(?<!\\)\[([^\[\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_REF_LINK = re.compile(r"(?<!\\)\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_EMPHASIS = [
    re.compile(r"(?<![\\*])\*\*(?!\s)(.+?)(?<![\s\\])\*\*"),
    re.compile(r"(?<![\\\w])__(?!\s)(.+?)(?<![\s\\])__(?!\w)"),
    re.compile(r"(?<![\\*\w])\*(?![\s*])(.+?)(?<![\s\\*])\*(?![*\w])"),
    re.compile(r"(?<![\\\w])_(?![\s_])(.+?)(?<![\s\\_])_(?!\w)"),
    re.compile(r"~~(.+?)~~"),
    re.compile(r"`([^`]+)`"),
]
# A site generator's template call: Hugo's `{{< transcript "words" >}}` / `{{% … %}}` keeps the
# words of its first quoted argument; Jekyll's `{% include … %}` and the rest are markup
_SHORTCODE = re.compile(r'\{\{[<%]\s*/?[\w.-]+(?:\s+"((?:[^"\\\n]|\\.)*)")?[^\n]*?[%>]\}\}|\{%[^\n]*?%\}')
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
# A label in bold: the colon may be inside or after the bold, the time inside or after it.
_BOLD = re.compile(r"^(?P<m>\*\*|__)(?P<inner>[^*\n]{1,80}?)(?P=m)\s*(?P<after>.*)$")
# A label opening a line, in bold or not ("**CRAIG BOX：…**", "REY LEJANO：…")
_OPENER = re.compile(r"^[\s>*_]*([^:：*_\n\[\]()（），,。]{1,40}?)\s*[*_]*\s*[:：]")
# `0:00:12.9 **Ann Lee** Hello.`: a time, then the speaker in bold
_TIME_BEFORE_BOLD = re.compile(rf"^\\?{OPEN}?\s*(?P<ts>{CLOCK})\s*(?:\\?{CLOSE})?\s+(?=\*\*|__)")
_TIME_FIRST = re.compile(rf"^\\?{OPEN}\s*(?P<ts>{CLOCK})\s*\\?{CLOSE}\s*")
_TIME_IN_LABEL = re.compile(
    rf"^(?P<who>.+?)\s*(?:\\?{OPEN}\s*(?P<ts>{CLOCK})\s*\\?{CLOSE}|\s(?P<bare>{CLOCK}))$"
)
# the time before the name ("**00:01:38 - Sandra Persing**："), or alone ("**00:16:45**:", the
# same speaker going on)
_TIME_BEFORE_LABEL = re.compile(
    rf"^\\?{OPEN}?\s*(?P<ts>{CLOCK})\s*(?:\\?{CLOSE})?\s*(?:[-–—|·]\s*)?(?P<who>.*)$"
)


def inline(text: str) -> str:
    """Markdown inline markup to plain text: links keep their text, emphasis and escapes go.

    >>> inline("See **[the paper](https://x.org/a_(b))** \\\\[04:07\\\\] and *that*.")
    'See the paper \\\\[04:07\\\\] and that.'
    >>> inline('{{< transcript "ANN: Hi, and welcome." >}}'), inline('{% include ad.html %}')
    ('ANN: Hi, and welcome.', '')
    """
    text = _SHORTCODE.sub(lambda m: m[1] or "", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    # Escaped brackets stay escaped so that `\[04:07\]` is still recognised as a time.
    return _ESCAPE.sub(lambda m: m.group(0) if m.group(1) in "[]()" else m.group(1), text)


def _label(inner: str, after: str, line_no: int) -> tuple[str, float | None, str] | None:
    """(speaker, start, words) of a line that opens with bold text, if that text is a label."""
    colon = inner.rstrip().endswith((":", "："))
    who = inner.rstrip().rstrip(":：").strip()
    start = None
    if m := _TIME_IN_LABEL.match(who):
        who, start = m["who"].strip().rstrip(":：").strip(), clock_at(m["ts"] or m["bare"], line_no)
    elif m := _TIME_BEFORE_LABEL.match(who):
        who, start = m["who"].strip(), clock_at(m["ts"], line_no)
    if m := _TIME_FIRST.match(after):
        start = clock_at(m["ts"], line_no)
        after = after[m.end() :]
    if after[:1] in (":", "："):
        colon, after = True, after[1:]
    if not who and start is not None:
        return "", start, after.strip()  # a time alone: the speaker goes on
    if not (colon or start is not None) or not who or not may_speak(who):
        return None
    return who, start, after.strip()


def _unescape_brackets(text: str) -> str:
    return re.sub(r"\\([\[\]()])", r"\1", text)


_ASIDE = re.compile(r"[(\[][^()\[\]]+[)\]]\.?")
_ITALIC_LINE = re.compile(r"([*_])(?![*_\s])(?P<text>[^*_\n]+?)(?<!\s)\1")


def _capitals(text: str) -> bool:
    """Mostly capital letters, two words or more.

    >>> _capitals("MR DAVID CAMERON (sworn)."), _capitals("I think so."), _capitals("OK")
    (True, False, False)
    """
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) >= 2 and sum(c.isupper() for c in letters) > 0.6 * max(len(letters), 1)


def underlined_titles(text: str) -> str:
    """Section titles written over an underline (Markdown's `Title` over `=====` or `-----`,
    reStructuredText's over any line of one repeated punctuation character, and with an
    overline too) as `#` headings. The underline is as long as the title at least, as
    reStructuredText has it; a line of dashes after a blank line, or after a speaker's line
    or a shorter one, stays a rule.

    >>> underlined_titles("19 June 2023\\n============\\n\\n**Ann**: Hi.\\n\\nQuestions\\n^^^^^^^^^\\n")
    '# 19 June 2023\\n\\n**Ann**: Hi.\\n\\n# Questions\\n'
    >>> underlined_titles("=====\\nTitle\\n=====\\nText.\\n\\n-----\\nMore.")
    '# Title\\nText.\\n\\n-----\\nMore.'
    >>> underlined_titles("**Ann:** We agreed.\\n-------------------\\nA long line, and then ---\\n---")
    '**Ann:** We agreed.\\n-------------------\\nA long line, and then ---\\n---'
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        title = lines[i + 1] if i + 1 < len(lines) else ""
        under = lines[i + 2] if i + 2 < len(lines) else ""
        if (_ADORNMENT.match(line) and title.strip() and _ADORNMENT.match(under)
                and not _ADORNMENT.match(title)  # an overlined title: both as long as it
                and min(len(line.strip()), len(under.strip())) >= len(title.strip())):
            out.append(f"# {title.strip()}")
            i += 3
            continue
        if (title and _ADORNMENT.match(title) and line.strip() and not _ADORNMENT.match(line)
                and len(title.strip()) >= len(line.strip())  # as long as the title, at least
                and not (_HEADING.match(line) or _BULLET.match(line) or _BOLD.match(line.strip())
                         or _OPENER.match(line))):
            out.append(f"# {line.strip()}")
            i += 2
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def read_lines(text: str) -> list[Line]:
    """The lines of a Markdown transcript, markup resolved.

    >>> lines = read_lines("# Ep 1\\n**Ann (00:01:02):** Hi.\\n## [00:07:07] Part two")
    >>> [(ln.label, ln.start, ln.text, ln.heading) for ln in lines]
    [(None, None, 'Ep 1', True), ('Ann', 62.0, 'Hi.', False), (None, 427.0, 'Part two', True)]
    >>> lines = read_lines("**00:00:06 - Ann Lee**：\\n\\n你好。\\n\\n**00:00:28**：\\n\\n再见。")
    >>> [(ln.label, ln.start, ln.text, ln.header) for ln in lines if ln.text or ln.header]
    [('Ann Lee', 6.0, '', True), (None, None, '你好。', False), (None, 28.0, '', True), (None, None, '再见。', False)]
    >>> lines = read_lines("**HOST：为什么？**\\nGUEST：因为。\\n**HOST：然后，\\n呢？**\\nGUEST：好。\\n**注：已编辑。**")
    >>> [(ln.label, ln.text, ln.heading) for ln in lines]  # doctest: +NORMALIZE_WHITESPACE
    [('HOST', 'HOST：为什么？', False), ('GUEST', 'GUEST：因为。', False), ('HOST', 'HOST：然后，', False),
     (None, '呢？', False), ('GUEST', 'GUEST：好。', False), (None, '注：已编辑。', True)]
    """
    raw = _with_originals(text).split("\n")
    headings = Counter(_heading_speaker(m["text"]) for s in raw if (m := _HEADING.match(s)))
    # The heading levels a document writes its speakers' labels at (`### Ann:` twice or more):
    # there, a name with a colon is a speaker's label too when it speaks once (a meeting's
    # "### Kathy Lee:"), while other headings stay chapters.
    label_levels = {
        m["level"] for s in raw if (m := _HEADING.match(s)) and _labelled(m["text"])
        and headings[who := _heading_speaker(m["text"])] >= 2 and speaker_tag(who)
    }
    bold_alone = Counter(
        m["inner"].strip() for s in raw if (m := _BOLD.match(s.strip())) and not m["after"]
    )
    openers = Counter(m[1].strip() for s in raw if (m := _OPENER.match(s)))
    lines: list[Line] = []
    for no, s in enumerate(raw, start=1):
        if not s.strip() or _RULE.match(s) or _REF_DEF.match(s):
            lines.append(Line(""))
            continue
        if m := _HEADING.match(s):
            h = inline(m["text"])
            who = _heading_speaker(m["text"])
            once = m["level"] in label_levels and _labelled(m["text"]) and may_speak(who)
            if (headings[who] >= 2 or once) and speaker_tag(who):
                start = read_line(_unescape_brackets(h), no).start
                lines.append(Line("", who, "", start, strong=True, header=True))
            else:  # a chapter heading; with a time ("## [00:07:07] Aleks' journey") it marks
                # a recording's chapter, and the words under it are speech from that time
                title = _unescape_brackets(h)
                timed = read_line(title, no)
                if timed.start is not None and timed.label is None and timed.text:
                    lines.append(Line(timed.text, start=timed.start, heading=True))
                else:
                    lines.append(Line(title, heading=True))
            continue
        bullet = _BULLET.match(s)
        s = _unpaired_bold(_BLOCK.sub("", s.strip()))
        if (m := _BOLD.match(s)) and (found := _label(m["inner"], m["after"], no)):
            who, start, body = found
            body = _unescape_brackets(inline(body))
            if who:
                lines.append(Line(body, who, body, start, strong=True, header=not body))
            else:
                lines.append(Line(body, start=start, header=not body))
            continue
        if m and not m["after"]:
            inner = m["inner"].strip()
            # a turn set wholly in bold, as an interviewer's questions often are
            turn = read_line(_unescape_brackets(inline(inner)), no)
            if turn.label and turn.body and openers[turn.label] >= 2 and speaker_tag(turn.label):
                lines.append(turn)
                continue
            if bold_alone[inner] >= 2 and speaker_tag(inner):
                lines.append(Line("", inner, "", None, strong=True, header=True))
            else:
                lines.append(Line(_unescape_brackets(inline(inner)), heading=True))
            continue
        if (note := _ITALIC_LINE.fullmatch(s)) and (
            _capitals(note["text"]) or _ASIDE.fullmatch(note["text"].strip())
        ):  # a record's note in italics, in capitals or in brackets (`*MR DAVID CAMERON
            # (sworn).*`, `*(The witness withdrew)*`)
            lines.append(Line(inline(s), heading=True))
            continue
        if image := _IMAGE.fullmatch(s):  # an image alone: its caption is context
            alt = image.group(1)
            lines.append(Line(alt, heading=True) if alt.strip() else Line(""))
            continue
        timed = _TIME_BEFORE_BOLD.match(s)
        rest = s[timed.end() :] if timed else s
        named = split_label(rest, clock_at(timed["ts"], no) if timed else None)
        if named.tentative == "bold" and not bullet:
            # `**Ann Lee** Hello.` (after its time or not): a name in bold without a colon, a
            # label where the document has enough of them (`settle`)
            lines.append(replace(named, text=_unescape_brackets(inline(rest)),
                                 body=_unescape_brackets(inline(named.body))))
            continue
        line = read_line(_unescape_brackets(inline(s)), no)
        if bullet and line.label is None and line.text.strip():  # an item: a paragraph of its own
            line = replace(line, text=f"{bullet[1] or '-'} {line.text.strip()}")
        lines.append(line)
    return lines


def _label_of(line: str) -> str | None:
    """The speaker's label a line opens with, in capitals, if it opens with one."""
    m = _OPENER.match(line)
    return m[1].strip().upper() if m and may_speak(m[1].strip()) else None


def _turns(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The labelled turns of some lines: (label, its lines); lines before the first label
    are left out."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        if label := _label_of(line):
            out.append((label, [line]))
        elif out:
            out[-1][1].append(line)
    return out


def _first_label(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if _label_of(line)), len(lines))


def _with_originals(text: str) -> str:
    """A translation that keeps the original in HTML comments, each before its translated
    block (`<!-- REY LEJANO: Not many … -->` then `REY LEJANO：知道的人不多…`), gets each original turn
    placed after its translation, where it is read as the same turn in a second language.
    A comment whose turns do not match the block after it, label for label, or are in its
    language (a draft commented out), and any other comment, is dropped, as a Markdown viewer
    hides it.

    >>> _with_originals("<!--\\nANN: Hi.\\n\\nBO: Yes.\\n-->\\nANN：你好。\\n\\nBO：是。\\n<!-- note -->\\n")
    '\\nANN：你好。\\n\\nANN: Hi.\\n\\nBO：是。\\n\\n\\nBO: Yes.\\n'

    A turn's next paragraphs with theirs in a comment of their own, and a block whose last
    reply has no original kept:

    >>> _with_originals("<!--\\nBO: Two things.\\n-->\\nBO：两点。\\n<!--\\nFirst, time.\\n-->\\n第一，时间。\\n"
    ...                 "<!--\\nANN: Why?\\n-->\\nANN：为什么？\\n\\nBO：是的。\\n")
    '\\nBO：两点。\\n第一，时间。\\n\\n\\nBO: Two things.\\nFirst, time.\\n\\nANN：为什么？\\n\\nANN: Why?\\n\\nBO：是的。'
    """
    parts = _COMMENT.split(text)
    comments = [m.group(0)[4:-3] for m in _COMMENT.finditer(text)]
    out = [parts[0]]
    # The last original turn of a comment waits until the translation's turn is complete:
    # its next paragraphs may come after the next comment, as may the original's.
    pending: list[str] = []
    for comment, block in zip(comments, parts[1:], strict=True):
        said = comment.strip("\n").split("\n")
        lines = block.split("\n")
        c_first, first = _first_label(said), _first_label(lines)
        original, translated = _turns(said[c_first:]), _turns(lines[first:])
        lead = lines[:first]
        # a translation: a commented-out draft in the text's own language stays hidden
        other = mostly_cjk(inline("\n".join(said))) != mostly_cjk(inline("\n".join(lines)))
        if pending and other and c_first == len(said) and first == len(lines):
            # more paragraphs of the turn being translated, and of its original
            pending += [ln for ln in said if ln.strip()]
        elif (
            original
            # the block's turns, or its first ones (a reply may have no original kept)
            and [lbl for lbl, _ in original] == [lbl for lbl, _ in translated][: len(original)]
            and other
        ):
            if pending:
                pending += [ln for ln in said[:c_first] if ln.strip()]
            # (the last turn's original goes before a heading that opens the next section)
            cut = next((i for i, ln in enumerate(lead) if ln.lstrip().startswith("#")), len(lead))
            merged = [*lead[:cut], "", *pending, "", *lead[cut:]] if pending else lead
            pending = []
            for i, (_, mine) in enumerate(translated):
                body = mine[:-1] if mine and not mine[-1].strip() else mine
                theirs = [ln for ln in original[i][1] if ln.strip()] if i < len(original) else []
                if i < len(translated) - 1:
                    merged += [*body, "", *theirs, ""] if theirs else [*body, ""]
                else:
                    merged += body
                    pending = theirs
            block = "\n".join(merged)
        else:
            if pending:
                block = "\n".join([*lead, "", *pending, "", *lines[first:]])
                pending = []
            # a dropped comment keeps its line breaks, so that errors name the right line
            block = "\n" * comment.count("\n") + block
        out.append(block)
    if pending:
        out.append("\n\n" + "\n".join(pending) + "\n")
    return "".join(out)


_DETAILS = re.compile(r"<details\b[^>]*>(?P<body>.*?)</details>", re.S | re.I)
# (its caption runs to the next tag: a page may close it wrongly, `<summary>…</p>`)
_SUMMARY = re.compile(r"<summary\b[^>]*>[^<]*(?:</summary>)?", re.I)
_TAG = re.compile(r"<[^<>]+>")


def _unfolded(text: str) -> str:
    """A folded block (`<details>`) as the words it folds: its `<summary>` is the caption of
    the button that opens it ("View/Hide Original English"), nobody's words. A folded block
    in the other language than the speaker's paragraph before it holds that paragraph's
    original: it takes the speaker's label, and is read as the same turn in a second language.

    >>> _unfolded("**Ann**: 你好。\\n\\n<details>\\n<summary>View/Hide Original English</summary>\\n"
    ...           '<p class="english-text">Hello.</p>\\n</details>\\n\\n**Bo**: Hi.')
    '**Ann**: 你好。\\n\\n**Ann**: Hello.\\n\\n**Bo**: Hi.'
    >>> _unfolded("Notes\\n<details><summary>More</summary>Long text.</details>")
    'Notes\\nLong text.'
    """
    out: list[str] = []
    last = 0
    starts = [0] + [m.end() for m in re.finditer("\n", text)]  # where each line starts
    for m in _DETAILS.finditer(text):
        out.append(text[last : m.start()])
        last = m.end()
        body = html.unescape(_TAG.sub("", _SUMMARY.sub("", m["body"]))).strip()
        opener = next((o for ln in _said_before(text, starts, m.start())
                       if (o := _OPENER.match(ln)) and may_speak(o[1].strip())), None)
        if body and opener and mostly_cjk(inline(opener.string)) != mostly_cjk(body):
            body = f"{opener[0]} {body}"
        out.append(body)
    out.append(text[last:])
    return "".join(out)


def _said_before(text: str, starts: list[int], at: int, most: int = 12) -> list[str]:
    """The last `most` lines with words before position `at`, last first (`starts`: where
    each line of `text` starts), read back from `at` only, not from the top of the text.

    >>> text = "a\\n\\nb\\nc d"
    >>> _said_before(text, [0, 2, 3, 5], 7, most=2)
    ['c ', 'b']
    """
    found: list[str] = []
    k = bisect.bisect_right(starts, at) - 1
    end = at
    while k >= 0 and len(found) < most:
        line = text[starts[k] : end]
        if line.strip():
            found.append(line)
        end = starts[k] - 1
        k -= 1
    return found


def _unpaired_bold(line: str) -> str:
    """A line's bold that opens or closes on another line (a turn set in bold over two
    lines) is no markup of this line's own.

    >>> _unpaired_bold("**CRAIG BOX：我认为，"), _unpaired_bold("有什么影响。**"), _unpaired_bold("**Ann:** Hi.")
    ('CRAIG BOX：我认为，', '有什么影响。', '**Ann:** Hi.')
    """
    if line.count("**") % 2:
        if line.startswith("**"):
            return line[2:]
        if line.endswith("**"):
            return line[:-2]
    return line


def _labelled(heading: str) -> bool:
    """Does a heading end as a speaker's label does, with a colon (`### Ann:`, `### 唐鳳：`)?"""
    return inline(heading).strip().endswith((":", "："))


def _heading_speaker(text: str) -> str:
    who = inline(text).strip()
    if m := _TIME_IN_LABEL.match(_unescape_brackets(who)):
        who = m["who"]
    return who.strip().rstrip(":：").strip()


_BOLD_LABEL_ANYWHERE = re.compile(
    r"^\s*(?:\*\*|__)[^*_\n]{1,80}?(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：(\[])", re.M
)
_MD_SYNTAX = re.compile(r"^\s{0,3}#{1,6}\s|\\\[|(?<!!)\[[^\[\]\n]+\]\([^()\s]+\)", re.M)


def sniff(text: str) -> float:
    """Confidence that `text` is Markdown: bold speaker labels above all, then other syntax.

    >>> sniff("**Ann:** Hi.\\n**Bob:** Hello."), sniff("# Notes\\nAnn: Hi."), sniff("Ann: Hi.")
    (0.85, 0.5, 0.0)
    """
    sample = text[:20000]
    if len(_BOLD_LABEL_ANYWHERE.findall(sample)) >= 1:
        return 0.85
    return 0.5 if _MD_SYNTAX.search(sample) else 0.0


def parse(text: str) -> Parsed:
    """Parse a Markdown transcript.

    >>> p = parse("# Episode 12\\n**Ann (00:00:01):** 你好,欢迎。\\n"
    ...     "**Ann (00:00:01):** Hello, welcome.\\n"
    ...     "**Bob:** \\\\[00:00:09\\\\] Thanks \\\\[laughs\\\\] for having me.")
    >>> [(s.kind, s.speaker, s.start, s.text, s.alt) for s in p.segments]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('context', None, None, 'Episode 12', None),
     ('speech', 'Ann', 1.0, '你好,欢迎。', 'Hello, welcome.'),
     ('speech', 'Bob', 9.0, 'Thanks for having me.', None)]
    """
    if table.unpiped(text):  # a transcript kept as a Markdown table: one turn per row
        return table.parse(text)
    return walk(read_lines(underlined_titles(repair(_unfolded(text)))), headings=False, edited=True, ends=True)
