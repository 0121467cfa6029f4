"""Follow-up questions: "And what about Waymo?" after a question about Tesla.

Without a language model, a follow-up is made standalone by carrying the previous question's
subject over: the follow-up (its cue words dropped) is read together with the last question
the user asked. A question that stands on its own is left alone. A follow-up that names only
someone else ("那 Sarah Guo 呢?") asks them the question before it (`with_people`); one that
changes the subject ("那教育呢?" after a question about Tesla) is read with the people the
question before it named, and not its subject, when the passage found first for both together
never mentions the new one (`new_subject`).
History uses the chat format Gradio and OpenAI use: `{"role": "user" | "assistant", "content"}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from index.lexical import HAN, proper_nouns, tokenize
from rag.abstain import names_in

_CUE = re.compile(
    r"^\s*(?:(?:and|but|so|ok(?:ay)?|then|also)[,\s]+)*(?:what|how)\s+about\b|"
    r"^\s*(?:and|but|also|what of|and for|same for|how come)\b|"
    r"^\s*(?:那么|那麼|那|还有|還有|另外|至于|至於|而|再说|再說|同样|同樣)",
    re.I,
)
_ENDS_NE = re.compile(r"呢\s*[?？]?\s*$")
_PRONOUN = re.compile(
    r"\b(?:he|she|they|him|her|them|it|that|this|those|these)\b|[他她它]|这个|這個|那个|那個|"
    # "為什麼要這樣改？": done this way, as the answer before it said
    r"这样|這樣|那样|那樣|"
    # "which one" of what was just named: "Which one was hardest?", "哪一個最難守住？", "是哪个？"
    r"\bwhich\s+ones?\b|\bthe\s+(?:other|former|latter)\b|"
    r"哪一?[个個种種項项](?=\s*(?:[最更较較比是才会會能要]|[?？]|$))",
    re.I,
)
_DROP = re.compile(
    r"^\s*(?:(?:and|but|so|ok(?:ay)?|then|also)[,\s]+)*(?:(?:what|how)\s+about|what of|and for|same for)\s*|"
    r"^\s*(?:and|but|also)[,\s]+|"
    r"^\s*(?:那么|那麼|那|还有|還有|另外|至于|至於|而)\s*",
    re.I,
)


def is_follow_up(question: str) -> bool:
    """A question that leans on the one before it: a cue ("And what about …", "那 … 呢"), a
    short question with a pronoun, or one that says "he", "she" or "they" without naming
    anyone ("How long did he say that would take?").

    >>> [is_follow_up(q) for q in ["And what about Waymo?", "那 Waymo 呢?", "Why is data the bottleneck?"]]
    [True, True, False]
    >>> is_follow_up("How long did he say that would take?"), is_follow_up("她后来为什么离开了那家公司?")
    (True, True)
    >>> is_follow_up("How long did Karpathy say he would take to build it?")
    False
    >>> is_follow_up("Why?"), is_follow_up("为什么？"), is_follow_up("Did it write any of the words?")
    (True, True, True)
    >>> is_follow_up("哪一個最難守住？"), is_follow_up("Which one was hardest?"), is_follow_up("哪个公司最大？")
    (True, True, False)
    >>> is_follow_up("為什麼要這樣改？"), is_follow_up("这样做的好处是什么?")
    (True, True)
    """
    q = question.strip()
    if _CUE.search(q) or _ENDS_NE.search(q) or _BARE.match(q):
        return True
    if not _PRONOUN.search(q):
        return False
    if len(q) <= 40 and len(q.split()) <= 7:
        return True
    unnamed = not _NAMED.search(re.sub(r"^[A-Za-z]+", "", q))  # the first word is capitalised anyway
    return bool(_PERSON.search(q)) and unnamed and len(q.split()) <= 15 and len(q) <= 100


# a question of question words alone: "Why?", "How so?", "为什么？"
_BARE = re.compile(
    r"^\s*(?:and\s+|but\s+|so\s+)?(?:why(?: not| so)?|how(?: so| come)?|when|where|who|since when|"
    r"in what way|really|is that so|为什么|為什麼|为啥|為啥|怎么说|怎麼說|怎么会|怎麼會|什么时候|什麼時候|"
    r"在哪里?|在哪裡|是谁|是誰|真的吗|真的嗎)\s*[?？!！.。]*\s*$",
    re.I,
)
# a pronoun for a person, and a name (a capitalised word; Latin letters in Chinese text)
_PERSON = re.compile(r"\b(?:he|she|they|him|her|them|his|their)\b|[他她]", re.I)
_NAMED = re.compile(r"[A-Z][A-Za-z]+")


def checked(history: object) -> list[Mapping[str, object]] | None:
    """The chat so far as `ask` takes it: a list of `{"role": "user" | "assistant", "content":
    text}` messages (the format Gradio and OpenAI use), or None; anything else is refused.

    >>> checked([{"role": "user", "content": "Why?"}])
    [{'role': 'user', 'content': 'Why?'}]
    >>> checked("Why?")
    Traceback (most recent call last):
    index.errors.BadInputError: history is a list of {"role": "user" | "assistant", "content": text} messages, not a str
    >>> checked([{"role": "bot", "content": "Hi"}])
    Traceback (most recent call last):
    index.errors.BadInputError: history message 1 has role 'bot': use "user", "assistant" or "system"
    """
    from index.errors import BadInputError

    if history is None:
        return None
    if isinstance(history, (str, bytes, Mapping)) or not isinstance(history, Sequence):
        raise BadInputError('history is a list of {"role": "user" | "assistant", "content": text} '
                            f"messages, not a {type(history).__name__}")
    for i, m in enumerate(history, start=1):
        if not isinstance(m, Mapping) or not isinstance(m.get("content"), str):
            raise BadInputError(f'history message {i} is not a {{"role": …, "content": text}} message: {m!r:.60}')
        if m.get("role") not in ("user", "assistant", "system"):
            raise BadInputError(f'history message {i} has role {m.get("role")!r}: use "user", "assistant" or "system"')
    return list(history)


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
    return read_with(question, previous)


def read_with(follow_up: str, previous: str) -> str:
    """A follow-up read together with the question before it, its cue words dropped.

    >>> read_with("那 Waymo 呢?", "特斯拉为什么领先?")
    '特斯拉为什么领先? Waymo 呢?'
    """
    rest = _DROP.sub("", follow_up).strip() or follow_up
    return f"{previous} {rest}"


def subject(question: str) -> str:
    """What a follow-up asks about, without its cue words: "" when it points back with a
    pronoun ("Why did he say that?"), whose subject is the question before it.

    >>> subject("And what about education?"), subject("那教育呢?"), subject("And why does he?")
    ('education?', '教育', '')
    """
    if _PRONOUN.search(question):
        return ""
    return _ENDS_NE.sub("", _DROP.sub("", question)).strip()


# words of its own that make a follow-up with a pronoun ask about a subject of its own
OWN_SUBJECT_WORDS = 4


def own_words(question: str) -> int:
    """How many words a follow-up that points back with a pronoun says of its own.

    >>> own_words("Why didn't her new ministry's website go down that day?"), own_words("Why did he say that?")
    (6, 0)
    """
    return len(set(tokenize(_PRONOUN.sub(" ", _DROP.sub("", question)))))


def names_of(question: str) -> list[str]:
    """The names a question says (`rag.abstain.names_in`, and the Chinese words jieba tags as
    names): what a follow-up's pronoun may point to.

    >>> names_of("During Nancy Pelosi's August 2022 visit, how big were the attacks on Taiwan?")
    ['Nancy Pelosi', 'August', 'Taiwan']
    >>> names_of("When will Tesla solve the software problem?"), names_of("特斯拉为什么领先?")
    (['Tesla'], ['特斯拉'])
    """
    latin = names_in(question, "zh" if HAN.search(question) else "en")
    return list(dict.fromkeys([*latin, *proper_nouns(question)]))


# A follow-up that names a time alone ("And what about next year?", "那明年呢?") asks about the
# subject before it at that time: it brings no subject of its own.
_TIME_ONLY = re.compile(
    r"^(?:(?:in|for|during|by|over|and)\s+)*(?:(?:the\s+)?(?:next|last|this|coming|previous|following)"
    r"\s+(?:year|month|week|day|decade|season|quarter|time|few years)s?|today|tomorrow|yesterday|now|"
    r"then|later|afterwards|after that|before that|the future|(?:the\s+)?(?:19|20)\d\d(?:s)?|"
    r"明年|去年|今年|后年|後年|前年|以后|以後|之后|之後|后来|後來|那时|那時|当时|當時|现在|現在|将来|將來|未来|未來|"
    r"下个?月|下個?月|上个?月|上個?月|(?:19|20)\d\d\s*年)[\s?？.。!！]*$",
    re.I,
)


# a time a question names, for a follow-up that asks the same at another time
_TIME = re.compile(
    r"\b(?:in|for|during|by|over)\s+(?:the\s+)?(?:(?:19|20)\d\d(?:s)?|(?:next|last|this|coming|previous|"
    r"following)\s+(?:year|month|week|decade|season|quarter)s?)\b|"
    r"\b(?:(?:19|20)\d\d(?:s)?|(?:next|last|this|coming|previous|following)\s+(?:year|month|week|"
    r"decade|season|quarter)s?|today|tomorrow|yesterday|back then|at the time|now|these days)\b|"
    r"在?(?:(?:19|20)\d\d\s*年(?:代|的时候|的時候|时|時)?|明年|去年|今年|后年|後年|前年|当时|當時|那时候?|那時候?|"
    r"现在|現在|如今|目前|将来|將來|未来|未來|以前|过去|過去)",
    re.I,
)


def without_times(previous: str) -> str:
    """The question before a follow-up that names a time alone ("现在呢？", "And now?"), with
    the times it named left out: the follow-up's time replaces them, and the old one no
    longer draws the passages it was answered from.

    >>> without_times("比特币在2010年大概值多少钱？")  # before "现在呢？"
    '比特币大概值多少钱？'
    >>> without_times("How many employees did they have in 2019?")  # before "And next year?"
    'How many employees did they have?'
    """
    out = _TIME.sub("", previous)
    out = re.sub(r"\s+([?？.,，。])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()
    return out if re.search(r"[^\W_]", out) else previous


def names_another_time(sentence: str, follow_up: str) -> bool:
    """Does a sentence name a time, none of them the one a follow-up asks about: the answer
    to the question before it ("在2010年…几个美分" after "现在呢？")?

    >>> names_another_time("在2010年,一个比特币值几个美分。", "现在呢？")
    True
    >>> names_another_time("现在一个比特币接近十万美金。", "现在呢？"), names_another_time("涨了很多。", "现在呢？")
    (False, False)
    """
    said = {m.strip().lower() for m in _TIME.findall(sentence)}
    return bool(said) and not said & {m.strip().lower() for m in _TIME.findall(follow_up)}


def only_a_time(topic: str) -> bool:
    """Is a follow-up's subject a time alone?

    >>> [only_a_time(t) for t in ("next year?", "明年", "in 2030?", "education?", "the next model?")]
    [True, True, True, False, False]
    """
    return bool(_TIME_ONLY.match(topic.strip()))


def new_subject(
    words: Sequence[str], translations: Sequence[str], found: Sequence[str], alone: Sequence[str]
) -> bool:
    """Does a follow-up change the subject? `words` are its own words, `translations` their
    translations into the other language; `found` are the texts of the first passages found
    for it read with the question before it (the one an answer opens with), `alone` of those
    found for it alone. A text mentions as many of its words as it holds, or as many of
    their translations (up to the number of words); the subject has changed when one of
    `alone` mentions more of them than any of `found`.

    >>> new_subject(["合成", "数据"], [], ["机器人 数据 工厂"], ["合成数据的风险"])
    True
    >>> new_subject(["educ"], ["教育"], ["tesla 领先 waymo"], ["教育的结果"])
    True
    >>> new_subject(["waymo"], [], ["tesla 领先 waymo"], ["waymo 的车"])
    False

    "And how should a designer balance the two?" after a question on what two characters
    stand for: the designer is in that answer, the balance is not.

    >>> new_subject(["design", "balanc"], ["设计师", "平衡"], ["亚里士多德比喻…设计师安排好"],
    ...             ["怎么在两者之间做平衡…设计师的目的性"])
    True
    """

    def mentions(text: str) -> int:
        held = sum(w in text for w in words)
        return held + min(sum(w in text for w in translations), max(len(words), 1) - held)

    most = max(map(mentions, found), default=0)
    return bool(words or translations) and any(mentions(t) > most for t in alone)


def with_people(question: str, old: Iterable[str], new: Sequence[str]) -> str:
    """The question asked of other people: the first mention of `old` (in full, or by a part
    of the name) becomes `new`, any other mention is left out; `new` is added at the end
    when `old` is not found.

    >>> with_people("Why does Karpathy think Tesla leads? Is Karpathy sure?",
    ...             ["Andrej Karpathy"], ["Sarah Guo"])
    'Why does Sarah Guo think Tesla leads? Is sure?'
    >>> with_people("Andrej Karpathy 认为人形机器人会用在哪里?", ["Andrej Karpathy"], ["Elad Gil"])
    'Elad Gil 认为人形机器人会用在哪里?'
    """
    forms = sorted({f for name in old for f in (name, *name.split()) if len(f) >= 2},
                   key=len, reverse=True)
    out = question
    if forms:
        mention = re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, forms)) + r")(?![A-Za-z0-9])", re.I
        )
        said = iter([" and ".join(new)])
        out = mention.sub(lambda m: next(said, ""), question)
    if out == question:
        return f"{question} {' '.join(new)}"
    return re.sub(r" {2,}", " ", out).strip()


def only_names(question: str, names: Iterable[str]) -> bool:
    """Is a follow-up's subject nothing but these people ("那 Sarah Guo 呢?", "What about
    Elad?"), so that it asks the question before it of them?

    >>> only_names("那 Sarah Guo 呢?", ["Sarah Guo"]), only_names("And Devon?", ["Devon Zuegel"])
    (True, True)
    >>> only_names("What about Elad's data?", ["Elad Gil"])
    False
    """
    rest = with_people(subject(question), names, [""])
    return not re.search(r"[^\W_]", re.sub(r"'s\b", "", rest))
