"""Follow-up questions: "And what about Waymo?" after a question about Tesla.

Without a language model, a follow-up is made standalone by carrying the previous question's
subject over: the follow-up (its cue words dropped) is read together with the last question
the user asked. A question that stands on its own is left alone.
History uses the chat format Gradio and OpenAI use: `{"role": "user" | "assistant", "content"}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_CUE = re.compile(
    r"^\s*(?:(?:and|but|so|ok(?:ay)?|then|also)[,\s]+)*(?:what|how)\s+about\b|"
    r"^\s*(?:and|but|also|what of|and for|same for|how come)\b|"
    r"^\s*(?:那么|那麼|那|还有|還有|另外|至于|至於|而|再说|再說|同样|同樣)",
    re.I,
)
_ENDS_NE = re.compile(r"呢\s*[?？]?\s*$")
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|it|that|this|those|these)\b|[他她它]|这个|這個|那个|那個", re.I)
_DROP = re.compile(
    r"^\s*(?:(?:and|but|so|ok(?:ay)?|then|also)[,\s]+)*(?:(?:what|how)\s+about|what of|and for|same for)\s*|"
    r"^\s*(?:那么|那麼|那|还有|還有|另外|至于|至於|而)\s*",
    re.I,
)


def is_follow_up(question: str) -> bool:
    """A question that leans on the one before it.

    >>> [is_follow_up(q) for q in ["And what about Waymo?", "那 Waymo 呢?", "Why is data the bottleneck?"]]
    [True, True, False]
    """
    q = question.strip()
    if _CUE.search(q) or _ENDS_NE.search(q):
        return True
    return len(q) <= 40 and bool(_PRONOUN.search(q)) and len(q.split()) <= 6


def last_question(history: Sequence[Mapping[str, object]] | None) -> str | None:
    for m in reversed(list(history or [])):
        if m.get("role") == "user" and isinstance(m.get("content"), str) and m["content"].strip():
            return str(m["content"]).strip()
    return None


def standalone(question: str, history: Sequence[Mapping[str, object]] | None) -> str:
    """The question as retrieval should read it.

    >>> h = [{"role": "user", "content": "Why is Tesla ahead in self-driving?"},
    ...      {"role": "assistant", "content": "…"}]
    >>> standalone("And what about Waymo?", h)
    'Why is Tesla ahead in self-driving? Waymo?'
    >>> standalone("What does Karpathy teach?", h)
    'What does Karpathy teach?'
    """
    previous = last_question(history)
    if not previous or not is_follow_up(question):
        return question
    rest = _DROP.sub("", question).strip() or question
    return f"{previous} {rest}"
