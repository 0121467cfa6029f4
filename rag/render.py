"""One renderer per output: plain text (the CLI), Markdown (copy/export), JSON (scripts).

The JSON shape is the one `rag ask --json` has always printed (question, text, abstained,
citations with n, text, speaker, source, turn, score, question, id, piece, role, quote, also),
plus start/end seconds, a deep link, and `related` passages when the answer abstained.
"""

from __future__ import annotations

from index.clean import asks
from index.types import Passage, quoted_at
from rag.answer import wide
from rag.types import Answer, Citation


def count(n: int, noun: str) -> str:
    """`n` and the noun, singular for one.

    >>> count(1, "document"), count(2, "passage"), count(0, "document")
    ('1 document', '2 passages', '0 documents')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def timestamp(seconds: float | None) -> str:
    """`[12:34]`, `[1:02:03]`, or "" without a time.

    >>> timestamp(754), timestamp(3723.4), timestamp(None)
    ('[12:34]', '[1:02:03]', '')
    """
    if seconds is None:
        return ""
    s = int(seconds)
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    return f"[{h}:{m:02d}:{sec:02d}]" if h else f"[{m:02d}:{sec:02d}]"


def where(p: Passage | Citation) -> str:
    """`Andrej Karpathy — interview.txt, turn 2 [12:34]` (a citation's time is its quote's)."""
    stamp = timestamp(p.start)
    return f"{p.speaker or 'unknown speaker'} — {p.source}, turn {p.turn}" + (f" {stamp}" if stamp else "")


LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def other_language(lang: str) -> str:
    """The name of the language a reader of `lang` quotes would want instead ("zh" -> English)."""
    return LANGUAGE_NAMES["en" if lang == "zh" else "zh"]


def other_language_note(quoted_in: str, can_compose: bool) -> str:
    """What a reader of another language than the transcript's is told beside the quotes.

    >>> other_language_note("zh", False)
    'the quotes are in Chinese, as the transcript is; for an answer in English, set RAG_LLM (make llm, then RAG_LLM=local)'
    >>> other_language_note("en", True)
    'the quotes are in English, as the transcript is; for an answer in Chinese, ask without --quote'
    """
    how = "ask without --quote" if can_compose else "set RAG_LLM (make llm, then RAG_LLM=local)"
    return (f"the quotes are in {LANGUAGE_NAMES[quoted_in]}, as the transcript is; for an answer in "
            f"{other_language(quoted_in)}, {how}")


def passage_dict(p: Passage) -> dict:
    return {
        "id": p.id,
        "source": p.source,
        "turn": p.turn,
        "piece": p.piece,
        "speaker": p.speaker,
        "role": p.role,
        "start": p.start,
        "end": p.end,
        "link": p.link,
        "question": p.question,
        "text": p.text,
        "alt": p.alt,
    }


def citation_dict(c: Citation) -> dict:
    d = {"n": c.n, **passage_dict(c.passage), "score": c.score, "quote": list(c.quote)}
    d["at"], d["link"] = c.start, c.link  # the moment of the first quote (`start`: the passage's)
    d["also"] = [passage_dict(o) for o in c.also]
    return d


def to_json(a: Answer) -> dict:
    out = {
        "question": a.question,
        "standalone": a.standalone or a.question,
        "text": a.text,
        "abstained": a.abstained,
        "mode": a.mode,
        "quoted_in": a.quoted_in,  # the quotes' language when it is not the question's
        "seconds": a.seconds,
        "citations": [citation_dict(c) for c in a.citations],
        "related": [citation_dict(c) for c in a.related],
    }
    if a.sentences:
        out["sentences"] = [
            {"text": s.text, "markers": list(s.markers), "supported": s.supported, "reason": s.reason}
            for s in a.sentences
        ]
    for c in out["citations"]:
        if c["n"] in a.translations:
            c["translation"] = a.translations[c["n"]]
        if c["n"] in a.withheld:
            c["translation_withheld"] = a.withheld[c["n"]]
    return out


def prompted_by(question: str) -> str:
    """The label of the host turn a passage replies to: "Q:" when it asks something, else
    "After:" (in a meeting, the turn before may be a remark, "行政機關一到兩個就很多。").

    >>> prompted_by("Why data?"), prompted_by("行政機關一到兩個就很多。"), prompted_by("那你呢")
    ('Q:', 'After:', 'Q:')
    """
    return "Q:" if asks(question) else "After:"


def to_text(a: Answer) -> str:
    """The answer, then each citation: where it is, the host question, the passage."""
    lines = [a.text]
    for title, cs in (("", a.citations), ("Related passages (not an answer):", a.related)):
        if cs:
            lines.append("")
        if cs and title:
            lines.append(title)
        for c in cs:
            lines.append(f"[{c.n}] {where(c)}")
            if c.question:
                lines.append(f"    {prompted_by(c.question)} {c.question}")
            lines.append("    " + c.quoted_text.replace("\n", "\n    "))
            if c.n in a.translations and cs is a.citations:
                lines.append("    (" + a.translations[c.n].replace("\n", " ") + ")")
            if c.n in a.withheld and cs is a.citations:
                lines.append(f"    (translation withheld: {a.withheld[c.n]})")
            for o in c.also:
                lines.append(f"    (also in {o.source}, turn {o.turn})")
    return "\n".join(lines)


def quote_markdown(c: Citation) -> str:
    """A quote with its attribution: `> text` then `— Speaker, document, [12:34]`. Sentences the
    answer took from another write-up of the passage (`also`) are attributed to that document.

    >>> from index.types import Passage
    >>> other = Passage("b#t2p1", "b.txt", "Ann", "guest", 2, 1, "只有 20 人。")
    >>> p = Passage("a#t1p1", "a.txt", "Ann", "guest", 1, 1, "课程很好。", versions=(other,))
    >>> print(quote_markdown(Citation(1, p, 1.0, ("课程很好。", "只有 20 人。"))))
    > 课程很好。
    <BLANKLINE>
    — Ann, a.txt
    <BLANKLINE>
    > 只有 20 人。
    <BLANKLINE>
    — Ann, b.txt

    The attribution is a paragraph of its own (right under `> …` it would be part of the
    quote), and Chinese sentences are joined without a space:

    >>> print(quote_markdown(Citation(1, p, 1.0, ("课程很好。", "课程很好。"))).splitlines()[0])
    > 课程很好。课程很好。
    """
    if not c.quote:
        return _attributed(c.text, c.passage, c.start)
    own = c.quoted_text
    groups: dict[str, tuple[Passage, list[str]]] = {}
    for q in c.quote:
        holder = c.passage if quoted_at(own, q) >= 0 else next(
            (o for o in c.also if quoted_at(o.text, q) >= 0), c.passage)
        groups.setdefault(holder.id, (holder, []))[1].append(q)
    return "\n\n".join(
        _attributed(_joined(qs), p, c.start if p is c.passage else p.moment(qs[0]))
        for p, qs in groups.values()
    )


def _attributed(body: str, p: Passage, start: float | None) -> str:
    stamp = timestamp(start)
    who = f"— {p.speaker or 'unknown speaker'}, {p.source}" + (f", {stamp}" if stamp else "")
    return "\n".join(["> " + line for line in body.split("\n")] + ["", who])


def _joined(sentences: list[str]) -> str:
    """Sentences as one text: a space after each, none between two in Chinese."""
    out = sentences[0] if sentences else ""
    for prev, nxt in zip(sentences, sentences[1:], strict=False):
        out += ("" if wide(prev[::-1]) and wide(nxt) else " ") + nxt
    return out


def to_markdown(a: Answer) -> str:
    """The whole answer with its citations, for notes and reports; a quote in another language
    than the question comes with the language model's translation, marked as one.

    >>> from index.types import Passage
    >>> p = Passage("a#t1p1", "a.txt", "Ann", "guest", 1, 1, "课程很好。")
    >>> a = Answer("Is it good?", "It is good. [1]", [Citation(1, p, 1.0, ("课程很好。",))],
    ...            translations={1: "The course is good."})
    >>> print(to_markdown(a).split("---")[1].strip())
    **[1]** Ann — a.txt, turn 1
    <BLANKLINE>
    > 课程很好。
    <BLANKLINE>
    — Ann, a.txt
    <BLANKLINE>
    *Translated by the language model:* The course is good.
    """
    out = [f"**Q:** {a.question}", "", a.text]
    if a.citations:
        out += ["", "---"]
        for c in a.citations:
            out += ["", f"**[{c.n}]** {where(c)}", "", quote_markdown(c)]
            if c.n in a.translations:
                out += ["", f"*Translated by the language model:* {a.translations[c.n]}"]
    return "\n".join(out)
