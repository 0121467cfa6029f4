"""Transcripts as tables: CSV and TSV, one row per segment or turn.

Transcription tools and their users export spreadsheets: `segment,from,to,speaker,text`
(hand-corrected Whisper segments), `Speaker,Start Time,End Time,Text`, `start_ms,speaker,text`,
`時間,說話者,內容`, or a header-less `00:00:01,Ann,Hello.`. The columns are found by their
header's names, in English or Chinese, or, without a header, by what the cells hold: clock
times or numbers, a short label repeated down the rows, the longest text. The rows become
segments (consecutive rows of one speaker are merged into one turn by `index/turns.py`, as
for every format); times in milliseconds are read as such when the header says `ms` or the
numbers run past what seconds would.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from index.formats.asr_json import segments_of
from index.formats.base import FormatError, Parsed

NAME = "csv"
SUFFIXES = (".csv", ".tsv")

# header names (lower case, without spaces, `_`, `-`, brackets or dots), most specific first
_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "text", "transcript", "transcription", "content", "sentence", "utterance", "body",
        "caption", "subtitle", "words", "line", "dialogue", "speech", "segmenttext",
        "内容", "內容", "文字", "文本", "逐字稿", "字幕", "台词", "台詞", "发言内容", "發言內容",
    ),
    "speaker": (
        "speaker", "speakername", "speakerlabel", "speakerid", "spk", "name", "who",
        "participant", "person", "voice", "role",
        "说话者", "說話者", "说话人", "說話人", "发言人", "發言人", "讲者", "講者", "人物", "角色",
    ),
    "start": (
        "start", "starttime", "startts", "startsec", "startseconds", "startms", "begin",
        "begintime", "from", "in", "timestamp", "starttimestamp", "timecode", "time",
        "开始", "開始", "开始时间", "開始時間", "起始时间", "起始時間", "时间", "時間", "时间戳", "時間戳",
    ),
    "end": (
        "end", "endtime", "endts", "endsec", "endseconds", "endms", "stop", "to", "out",
        "结束", "結束", "结束时间", "結束時間",
    ),
    "duration": ("duration", "dur", "length", "durationms", "时长", "時長"),
}
_TIMES = ("start", "end", "duration")
_UNIT = re.compile(r"(?:ms|msec|millis|milliseconds|sec|secs|seconds|s)$")
_CLOCK = re.compile(r"^\d{1,3}(?::\d{1,2}){1,3}(?:[.,]\d+)?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_WORDS = re.compile(r".*(?:[^\W\d_]{2}|[\u4e00-\u9fff])")
# the largest time read as seconds when nothing says milliseconds: 12 hours
_MAX_SECONDS = 12 * 3600


def _key(cell: str) -> str:
    return re.sub(r"[\s_\-()（）\[\]./]", "", cell.strip().lstrip("\ufeff").lower())


def header_columns(row: Sequence[str]) -> dict[str, int]:
    """Which column holds what, from a header row's names (empty when the row is no header:
    without a text column, or with no second known column beside it).

    >>> header_columns(["segment", "from", "to", "speaker", "text"])
    {'start': 1, 'end': 2, 'speaker': 3, 'text': 4}
    >>> header_columns(["Speaker Name", "Start Time (ms)", "Transcript"])
    {'speaker': 0, 'start': 1, 'text': 2}
    >>> header_columns(["00:00:01", "Ann", "Hello."]), header_columns(["說話者", "內容"])
    ({}, {'speaker': 0, 'text': 1})
    """
    keys = [_key(c) for c in row]
    bare = [_UNIT.sub("", k) for k in keys]  # "starttimems" -> "starttime"
    found: dict[str, int] = {}
    for role, names in _COLUMNS.items():
        # the most specific name wins ("speaker" over "role", "start" over "time")
        for name in names:
            at = [i for i, k in enumerate(keys) if k == name or (role in _TIMES and bare[i] == name)]
            if at and at[0] not in found.values():
                found[role] = at[0]
                break
    if "text" not in found or len(found) < 2:
        return {}
    return dict(sorted(found.items(), key=lambda kv: kv[1]))


def _is_time(cell: str) -> bool:
    c = cell.strip()
    return bool(_CLOCK.match(c) or _NUMBER.match(c))


def _counts_rows(cells: Sequence[str]) -> bool:
    """A column of row numbers (1, 2, 3 … with gaps where rows were deleted)."""
    try:
        n = [int(x) for x in cells if x]
    except ValueError:
        return False
    return len(n) >= 2 and all(b > a for a, b in zip(n, n[1:], strict=False)) and n[-1] - n[0] < 3 * len(n)


def guess_columns(rows: Sequence[Sequence[str]]) -> dict[str, int]:
    """Which column holds what in a table without a header: the first two columns of times
    are start and end, the column of the longest cells is the text, and a column of short
    labels that repeat down the rows is the speaker.

    >>> guess_columns([["00:00:01", "Ann", "Hello there."], ["00:00:04", "Bo", "Hi, Ann."],
    ...                ["00:00:06", "Ann", "How are you today?"]])
    {'start': 0, 'speaker': 1, 'text': 2}
    >>> guess_columns([["1", "0:00:00", "0:00:02", "司儀", "主持人遠見雜誌社長"],
    ...                ["2", "0:00:02", "0:00:05", "楊瑪利", "大家早安大家好"],
    ...                ["4", "0:00:05", "0:00:07", "楊瑪利", "今年是關鍵的一年"]])
    {'start': 1, 'end': 2, 'speaker': 3, 'text': 4}
    """
    if not rows:
        return {}
    width = max(len(r) for r in rows)
    cols = [[r[i].strip() if i < len(r) else "" for r in rows] for i in range(width)]
    def share(c: list[str], pattern: re.Pattern) -> float:
        values = [x for x in c if x]
        return sum(bool(pattern.match(x)) for x in values) / len(values) if values else 0.0

    # clock times when there are any; plain numbers otherwise, except a row count (1, 2, 3 …)
    timed = [i for i, c in enumerate(cols) if share(c, _CLOCK) >= 0.9]
    if not timed:
        timed = [i for i, c in enumerate(cols) if share(c, _NUMBER) >= 0.9 and not _counts_rows(c)]
    numbered = [i for i, c in enumerate(cols) if i not in timed and _counts_rows(c)]
    found: dict[str, int] = {}
    for role, i in zip(("start", "end"), timed, strict=False):
        found[role] = i
    # the text is words: a column of numbers or codes is none
    rest = [i for i in range(width) if i not in timed and i not in numbered and share(cols[i], _WORDS) >= 0.5]
    if not rest:
        return {}
    mean = {i: sum(len(x) for x in cols[i]) / len(rows) for i in rest}
    text = max(rest, key=lambda i: mean[i])
    found["text"] = text
    for i in rest:
        values = [x for x in cols[i] if x]
        if i != text and values and mean[i] <= 40 and len(set(values)) <= max(12, len(values) // 3):
            found["speaker"] = i
            break
    return dict(sorted(found.items(), key=lambda kv: kv[1]))


def _dialect(text: str, suffix_tab: bool = False) -> type[csv.Dialect] | csv.Dialect:
    sample = "\n".join(text.split("\n")[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t," if suffix_tab else ",\t;|")
    except csv.Error:
        return csv.excel_tab if "\t" in sample else csv.excel


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_ROW = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")


def unpiped(text: str) -> str | None:
    """A Markdown table (`| Time | Speaker | Text |` rows under a `|---|---|` rule) as
    tab-separated rows, or None when the text is no such table.

    >>> unpiped("| Speaker | Text |\\n|---|---|\\n| Ann | Hi, all. |\\n| Bo | Yo. |").split("\\n")
    ['Speaker\\tText', 'Ann\\tHi, all.', 'Bo\\tYo.']
    """
    lines = [s for s in text.split("\n") if s.strip()]
    piped = [s for s in lines if _PIPE_ROW.match(s)]
    if len(piped) < 3 or len(piped) < 0.6 * len(lines) or not any(_RULE_ROW.match(s) for s in piped):
        return None
    rows = [[c.strip().replace("\t", " ") for c in s.strip().strip("|").split("|")]
            for s in piped if not _RULE_ROW.match(s)]
    return "\n".join("\t".join(r) for r in rows)


def rows_of(text: str) -> list[list[str]]:
    """A table's rows that hold anything, its delimiter sniffed (a Markdown table's pipes too)."""
    text = unpiped(text) or text
    reader = csv.reader(io.StringIO(text), _dialect(text))
    try:
        return [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as e:
        raise FormatError(f"line {reader.line_num}: {e}") from None


def sniff(text: str) -> float:
    """Confidence that `text` is a transcript table: a header naming a text column and another
    (0.9), or rows that all split into the same number of three or more cells (0.45).

    >>> sniff("speaker,start,text\\nAnn,0,Hi.\\n"), sniff("Ann: Hi, there.\\nBo: Yo, Ann.")
    (0.9, 0.0)
    """
    head = text.lstrip("\ufeff")[:20000]
    head = unpiped(head) or head
    lines = [s for s in head.split("\n")[:40] if s.strip()]
    if len(lines) < 2:
        return 0.0
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), _dialect(head)))
    except csv.Error:
        return 0.0
    if header_columns(rows[0]):
        return 0.9
    widths = {len(r) for r in rows[:-1]}  # the last line may be cut at 20000 characters
    return 0.45 if len(widths) == 1 and widths.pop() >= 3 and guess_columns(rows[1:]) else 0.0


def _scale(rows: Sequence[Sequence[str]], cols: dict[str, int], header: Sequence[str]) -> float:
    """1000 when the times are milliseconds: the header says `ms`, or plain numbers run past
    what seconds would."""
    timed = [cols[k] for k in ("start", "end", "duration") if k in cols]
    if any("ms" in _key(header[i]) or "milli" in _key(header[i]) for i in timed if i < len(header)):
        return 1000.0
    numbers = [
        float(r[i]) for r in rows for i in timed if i < len(r) and _NUMBER.match(r[i].strip())
    ]
    return 1000.0 if numbers and max(numbers) > _MAX_SECONDS else 1.0


def parse(text: str) -> Parsed:
    """Parse a CSV or TSV transcript.

    >>> p = parse("segment,from,to,speaker,text\\r\\n1,0:00:00,0:00:02,司儀,主持人遠見雜誌社長\\r\\n"
    ...           "2,0:00:02,0:00:05,楊瑪利,大家早安大家好")
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('司儀', 0.0, 2.0, '主持人遠見雜誌社長'), ('楊瑪利', 2.0, 5.0, '大家早安大家好')]
    >>> p = parse("start_ms\\tspeaker\\ttext\\n1500\\t1\\tHello [laughs] there.\\n4000\\t2\\tHi.")
    >>> [(s.speaker, s.start, s.text) for s in p.segments], p.dropped
    ([('Speaker 1', 1.5, 'Hello there.'), ('Speaker 2', 4.0, 'Hi.')], {'stage directions': 8})
    """
    text = text.lstrip("\ufeff")
    rows = rows_of(text)
    if not rows:
        return Parsed([], warnings=["no rows found"], format=NAME)
    header: Sequence[str] = rows[0]
    cols = header_columns(header)
    if cols:
        rows = rows[1:]
    else:
        cols = guess_columns(rows)
        header = ()
        first = rows[0][cols["start"]] if "start" in cols and cols["start"] < len(rows[0]) else "0"
        if cols and not _is_time(first):
            rows = rows[1:]  # a header of names this reader does not know
        if not cols:
            raise FormatError("line 1: no column of text found: name one `text` in a header row")
    scale = _scale(rows, cols, header)
    items = []
    for r in rows:
        item = {k: (r[i].strip() if i < len(r) else "") for k, i in cols.items()}
        if "duration" in item and "end" not in item and item.get("start"):
            try:
                item["end"] = str(float(item["start"]) + float(item.pop("duration")))
            except ValueError:
                item.pop("duration")
        item.pop("duration", None)
        items.append(item)
    try:
        segs, dropped = segments_of(items, {}, scale)  # clock times are read as such at any scale
    except FormatError as e:  # "segment 3: bad time '0:61'" -> "row 3: …", counted after the header
        raise FormatError(re.sub(r"^segment ", "row ", str(e))) from None
    warnings = [] if "speaker" in cols else ["no speaker column found: passages carry no speaker"]
    return Parsed(segs, dropped={"stage directions": dropped} if dropped else {},
                  warnings=warnings, format=NAME)
