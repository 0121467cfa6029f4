"""Split a repaired transcript into speaker turns. Pure: text in, turns out.

Speakers are decided from the whole document, not line by line: a `label:` prefix counts as
a speaker only if it looks like a name (or recurs), is not an editor's marker, and has words
after it. Truncated labels (`Priors` for `NoPriors`) and surnames (`Karpathy` where the text
names `Andrej Karpathy`) are merged into one canonical name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from index.clean import is_cruft, is_editor_note, is_heading
from index.types import Turn

_LABEL = re.compile(
    r"^\s*(?P<label>[^\s:：,，。!?！？、;；()（）][^:：,，。!?！？、;；]{0,24}?)\s*[:：]\s*(?P<body>.*)$"
)
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}$")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
# Labels that mark editorial or page furniture, never a person speaking.
_NOT_SPEAKERS = frozenset(
    "注 编者注 編者注 编者按 編者按 译者注 譯者注 排版 编辑 編輯 责编 責編 作者 来源 來源 译者 譯者 "
    "编译 編譯 校对 校對 图 圖 图片 圖片 题图 題圖 文集 频道 頻道 支付 标签 標籤 原文 链接 鏈接 "
    "时间 時間 日期 Note Source Editor Photo Image Tags".split()
)
UNLABELLED = "Narrator"


@dataclass(frozen=True)
class SpeakerMap:
    """Label as written -> canonical speaker name."""

    names: dict[str, str]

    def get(self, label: str) -> str | None:
        return self.names.get(label.strip())


def _label_of(line: str) -> tuple[str, str] | None:
    m = _LABEL.match(line)
    if not m:
        return None
    return m.group("label").strip(), m.group("body").strip()


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def find_speakers(lines: list[str]) -> SpeakerMap:
    """Decide which `label:` prefixes are speakers, and their canonical names.

    >>> find_speakers(["NoPriors:问?", "Karpathy:答。", "NoPriors:再问?", "Priors:又问?", "所以问题就是:如何…",
    ...                "注:编者的话", "Andrej Karpathy 说"]).names
    {'NoPriors': 'No Priors', 'Karpathy': 'Andrej Karpathy', 'Priors': 'No Priors'}
    """
    counts: Counter[str] = Counter()
    for line in lines:
        lb = _label_of(line)
        if lb and lb[1] and lb[0] not in _NOT_SPEAKERS and not is_editor_note(line, *lb):
            counts[lb[0]] += 1
    speakers = [
        label
        for label, c in counts.items()
        if _LATIN_NAME.match(label) or _CJK_NAME.match(label) or c >= 3
    ]
    text = "\n".join(lines)
    names: dict[str, str] = {}
    for label in speakers:
        # A truncated label is the tail of a more frequent one: `Priors` of `NoPriors`.
        longer = [
            o for o in speakers if o != label and o.endswith(label) and counts[o] > counts[label]
        ]
        base = max(longer, key=counts.__getitem__) if longer else label
        names[label] = base
    for label, base in names.items():
        canonical = _split_camel(base)
        if " " not in canonical and _LATIN_NAME.match(canonical):
            # A bare surname: use the full name if the document spells it out somewhere.
            full = re.search(rf"\b([A-Z][a-z]+) {re.escape(canonical)}\b", text)
            if full:
                canonical = f"{full.group(1)} {canonical}"
        names[label] = canonical
    return SpeakerMap(names)


def split_turns(text: str) -> tuple[list[Turn], list[str]]:
    """Split repaired text into turns; returns (turns, warnings).

    A turn runs from a speaker label to the next label; unlabelled paragraphs continue the
    current turn. Text before the first label (page header, summary, table of contents),
    headings, editor's notes and everything from the page footer on are dropped. A text with
    no speaker labels becomes one `Narrator` turn, with a warning.

    >>> turns, _ = split_turns("标题\\nA:你好?\\n注:旁注\\nB:我很好。\\n第二段。")
    >>> [(t.n, t.speaker, t.role, t.paragraphs) for t in turns]
    [(1, 'A', 'host', ('你好?',)), (2, 'B', 'guest', ('我很好。', '第二段。'))]
    """
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    speakers = find_speakers(lines)
    warnings: list[str] = []
    raw: list[tuple[str, list[str]]] = []
    ended = False
    for line in lines:
        if ended:
            break
        lb = _label_of(line)
        speaker = speakers.get(lb[0]) if lb and lb[1] else None
        if speaker:
            raw.append((speaker, [lb[1]]))
        elif is_cruft(line):
            # The page footer begins: nothing after it belongs to the interview.
            ended = bool(raw)
        elif is_heading(line) or is_editor_note(line, *(lb or (None, ""))):
            continue
        elif raw:
            raw[-1][1].append(line)
    if not speakers.names:
        body = [
            ln for ln in lines if not is_cruft(ln) and not is_heading(ln) and not is_editor_note(ln)
        ]
        if not body:
            return [], ["no text left after cleaning"]
        warnings.append("no speaker labels found: ingested as one narrator's text")
        raw = [(UNLABELLED, body)]
    size: Counter[str] = Counter()
    for speaker, paras in raw:
        size[speaker] += sum(len(p) for p in paras)
    guest = size.most_common(1)[0][0] if size else None
    turns = [
        Turn(n=i, speaker=s, role="guest" if s == guest else "host", paragraphs=tuple(p))
        for i, (s, p) in enumerate(raw, start=1)
    ]
    return turns, warnings
