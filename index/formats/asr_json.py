"""JSON from speech recognition: Whisper, WhisperX, diarization exports, AWS Transcribe.

Whisper: `{"text", "segments": [{"start", "end", "text"}]}`; WhisperX adds `speaker` and
`words`; diarization exports carry a speaker map (`{"speakers": {"spk_0": "Luciano"},
"segments": [{"speakerLabel": "spk_0", …}]}`, also `speaker_label`, `speaker`); a bare list
of such segments; AssemblyAI `utterances` (milliseconds); AWS Transcribe `results`; Deepgram
`results` (`utterances`, or a channel's `paragraphs` or `words`, seconds); Bilibili subtitles
(`{"body": [{"from", "to", "content"}]}`, seconds); youtube-transcript-api's list
(`[{"text", "start", "duration"}]`); YouTube's json3 captions as yt-dlp saves them
(`{"events": [{"tStartMs", "dDurationMs", "segs": [{"utf8"}]}]}`). Any of these may sit inside an object of a
pipeline's own (`{"result": {"segments": …}}`), and a list of `{"speaker", "content"}` turns inside
sections of a parser's own (the g0v Legislative Yuan gazette parser's `[[header, [turns]], …]`).

A diarizer's bare label (Deepgram's `0`, AssemblyAI's `A`) is shown as `Speaker 0` /
`Speaker A`, as those tools show it: a lone letter would otherwise read as the `Q:`/`A:` of a
written interview.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

from index.formats.base import FormatError, Parsed, Segment
from index.formats.lines import join_all, seconds, strip_clocks, strip_stage

NAME = "json"
SUFFIXES = (".json", ".json3")

# `body`: the Podcasting 2.0 (podcast namespace) JSON transcript format.
_TEXT_KEYS = ("text", "transcript", "content", "sentence", "utterance", "body")
_START_KEYS = ("start", "start_time", "startTime", "begin", "from")
# ... or a clock under "time" (Tingwu's `"time": "00:03:55"`; a record's "11時8分" is no moment
# of a recording)
_CLOCK_TIME = re.compile(r"^\s*\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?\s*$")
_END_KEYS = ("end", "end_time", "endTime", "stop", "to")
_LENGTH_KEYS = ("duration", "dur")
_SPEAKER_KEYS = ("speaker", "speakerLabel", "speaker_label", "speaker_id", "speakerId", "spk")
_MAP_KEYS = ("speakers", "speaker_map", "speakerMap", "speaker_names")


def _time(value: object, where: str, scale: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str) and ":" in value:
            t = seconds(value.strip())
        elif isinstance(value, bool):
            raise ValueError
        else:
            t = float(value) / scale  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise FormatError(f"{where}: bad time {value!r}") from None
    if not math.isfinite(t) or t < 0:
        raise FormatError(f"{where}: bad time {value!r}")
    return t


def _speaker_map(data: object) -> dict[str, str]:
    """`{"spk_0": "Luciano"}` or `[{"id": "spk_0", "name": "Luciano"}]`, keys as strings."""
    if isinstance(data, dict):
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str | int)}
    if isinstance(data, list):
        out = {}
        for item in data:
            if isinstance(item, dict):
                key = next((item[k] for k in ("id", "label", *_SPEAKER_KEYS) if k in item), None)
                name = item.get("name")
                if key is not None and isinstance(name, str):
                    out[str(key)] = name
        return out
    return {}


def _label(who: object) -> str:
    """How a speaker label is shown.

    >>> _label(0), _label("B"), _label("SPEAKER_01"), _label("Luciano")
    ('Speaker 0', 'Speaker B', 'SPEAKER_01', 'Luciano')
    """
    text = str(who).strip()
    if isinstance(who, int) or text.isdigit() or (len(text) == 1 and text.isalpha()):
        return f"Speaker {text}"
    return text


def _words_text(words: object) -> str:
    if not isinstance(words, list):
        return ""
    tokens = [
        str(w.get("punctuated_word", w.get("word", w.get("text", ""))))
        for w in words
        if isinstance(w, dict)
    ]
    if any(t.startswith(" ") for t in tokens):  # Whisper keeps each word's leading space
        return "".join(tokens).strip()
    return join_all(tokens)


# A segment longer than a passage (a whole monologue as one utterance) is cut into its
# sentences, each at the time of its first word, where its words carry times: else every
# passage of it would be cited at the moment the utterance began.
LONG_SEGMENT = 320
_SENTENCE = re.compile(r"(?<=[.?!…])\s+|(?<=[。？！])")


def timed_sentences(
    text: str, words: object, where: str, scale: float, most: int = 300
) -> list[tuple[str, float | None, float | None]]:
    """A segment's text cut into its sentences (a run without sentence ends every `most`
    characters, after a word), each with the time of the word it starts at: the segment's
    words carry the times, its text (which an editor may have corrected) the words. Empty
    when the words carry no times.

    >>> w = [{"text": "Hi", "start": 0, "end": 200}, {"text": "there.", "start": 300, "end": 500},
    ...      {"text": "Magnesium", "start": 1800000, "end": 1800400}, {"text": "helps.", "start": 1800500, "end": 1801000}]
    >>> timed_sentences("Hi there. Magnesium helps.", w, "segment 1", 1000.0)
    [('Hi there.', 0.0, 1800.0), ('Magnesium helps.', 1800.0, 1801.0)]
    """
    if not isinstance(words, list) or not words or not all(
        isinstance(w, dict) and any(k in w for k in _START_KEYS) for w in words
    ):
        return []
    starts = [_time(next(w[k] for k in _START_KEYS if k in w), where, scale) for w in words]
    last = words[-1]
    end = _time(next((last[k] for k in _END_KEYS if k in last), None), where, scale)
    pieces: list[str] = []
    for sentence in (x for x in _SENTENCE.split(text) if x.strip()):
        while len(sentence) > most and (cut := sentence.rfind(" ", 0, most)) > 0:
            pieces.append(sentence[:cut])
            sentence = sentence[cut + 1 :]
        pieces.append(sentence)
    spaced = len(text.split()) == len(words)  # one word of text per timed word: exact
    out: list[tuple[str, float | None, float | None]] = []
    at = 0  # where the piece starts in the text
    for piece in pieces:
        at = text.find(piece, at)
        k = len(text[:at].split()) if spaced else round(at / max(len(text), 1) * len(words))
        out.append((piece.strip(), starts[min(k, len(words) - 1)], None))
        at += len(piece)
    return [(t, s, out[n + 1][1] if n + 1 < len(out) else end) for n, (t, s, _) in enumerate(out)]


def segments_of(items: list, names: dict[str, str], scale: float) -> tuple[list[Segment], int]:
    """Segment objects (`text`, a start, an end, a speaker under any of the usual keys) as
    segments, speakers named by `names`, times divided by `scale`; and the characters of stage
    directions dropped."""
    segs: list[Segment] = []
    dropped = 0
    for i, item in enumerate(items, start=1):
        where = f"segment {i}"
        if not isinstance(item, dict):
            raise FormatError(f'{where}: expected an object with "text", got {type(item).__name__}')
        raw = next((item[k] for k in _TEXT_KEYS if k in item), None)
        if raw is None:
            raw = _words_text(item.get("words"))
        if not isinstance(raw, str):
            raise FormatError(f'{where}: "text" is not a string')
        text, n = strip_stage(strip_clocks(" ".join(raw.split())))
        dropped += n
        at = next((item[k] for k in _START_KEYS if k in item), None)
        if at is None and isinstance(item.get("time"), str) and _CLOCK_TIME.match(item["time"]):
            at = item["time"]
        start = _time(at, where, scale)
        end = _time(next((item[k] for k in _END_KEYS if k in item), None), where, scale)
        if end is None and start is not None:  # `duration` (youtube-transcript-api's list)
            length = _time(next((item[k] for k in _LENGTH_KEYS if k in item), None), where, scale)
            end = None if length is None else round(start + length, 3)
        who = next((item[k] for k in _SPEAKER_KEYS if item.get(k) not in (None, "")), None)
        speaker = None if who is None else names.get(str(who), _label(who))
        timed = timed_sentences(text, item.get("words"), where, scale) if len(text) > LONG_SEGMENT else []
        for said, at, until in timed:  # (the text is cleaned already)
            segs.append(Segment(said, speaker, at, until))
        if text and not timed:
            segs.append(Segment(text, speaker, start, end))
    return segs, dropped


def _aws(results: dict) -> list[dict]:
    """AWS Transcribe `results` as plain segment objects, one per run of one speaker."""
    if isinstance(results.get("audio_segments"), list):
        return results["audio_segments"]
    items = results.get("items")
    if not isinstance(items, list) or not items:
        texts = results.get("transcripts") or [{}]
        return [{"text": texts[0].get("transcript", "")}] if isinstance(texts[0], dict) else []
    who_at: dict[str, str] = {}
    spans: list[tuple[float, float, str]] = []
    for seg in (results.get("speaker_labels") or {}).get("segments", []):
        for it in seg.get("items", []):
            who_at[str(it.get("start_time"))] = seg.get("speaker_label")
        try:
            spans.append((float(seg["start_time"]), float(seg["end_time"]), seg["speaker_label"]))
        except (KeyError, TypeError, ValueError):
            pass

    def speaker_at(start: object) -> str | None:  # a word the segment's item list leaves out
        try:
            t = float(start)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return next((who for a, b, who in spans if a <= t < b), None)

    out: list[dict] = []
    for it in items:
        if not isinstance(it, dict) or not it.get("alternatives"):
            continue
        word = str(it["alternatives"][0].get("content", ""))
        if it.get("type") == "punctuation":
            if out:
                out[-1]["words"].append(word)
            continue
        who = (
            it.get("speaker_label")
            or who_at.get(str(it.get("start_time")))
            or speaker_at(it.get("start_time"))
        )
        if not out or out[-1]["speaker"] != who:
            out.append({"speaker": who, "start": it.get("start_time"), "words": []})
        out[-1]["words"].append(word)
        out[-1]["end"] = it.get("end_time")
    return [{**seg, "text": join_all(seg.pop("words"))} for seg in out]


def _deepgram(results: dict) -> list | None:
    """Deepgram `results` as segment objects: its `utterances`, else the first channel's
    `paragraphs` (one segment per paragraph), else its words, one segment per speaker's run.
    None when `results` is not Deepgram's."""
    if isinstance(results.get("utterances"), list):
        # (an utterance whose words Deepgram gives to two speakers is a run of each)
        return [run for u in results["utterances"] for run in _by_speaker(u)]
    channels = results.get("channels")
    if not isinstance(channels, list) or not channels or not isinstance(channels[0], dict):
        return None
    alts = channels[0].get("alternatives") or [{}]
    alt = alts[0] if isinstance(alts[0], dict) else {}
    paragraphs = (alt.get("paragraphs") or {}).get("paragraphs")
    if isinstance(paragraphs, list) and paragraphs:
        return [
            {**{k: p.get(k) for k in ("speaker", "start", "end")},
             "text": join_all([str(s.get("text", "")) for s in p.get("sentences", [])
                               if isinstance(s, dict)])}
            for p in paragraphs
            if isinstance(p, dict)
        ]
    words = [w for w in alt.get("words") or [] if isinstance(w, dict)]
    if any("speaker" in w for w in words):
        return _speaker_runs(words)
    return [{"text": str(alt.get("transcript", ""))}]


def _by_speaker(item) -> list:
    """A segment object, or the runs of its words when it gives them to two speakers or more."""
    words = item.get("words") if isinstance(item, dict) else None
    if (not isinstance(words, list) or not all(isinstance(w, dict) for w in words)
            or len({w.get("speaker") for w in words}) < 2):
        return [item]
    return _speaker_runs(words)


def _speaker_runs(words: list[dict]) -> list[dict]:
    """Words as segment objects, one per run of words one speaker says.

    >>> w = [{"word": "hi", "speaker": 0, "start": 1}, {"word": "yo", "speaker": 1, "start": 2}]
    >>> [(r["speaker"], r["start"], [x["word"] for x in r["words"]]) for r in _speaker_runs(w)]
    [(0, 1, ['hi']), (1, 2, ['yo'])]
    """
    runs: list[dict] = []
    for w in words:
        if not runs or runs[-1]["speaker"] != w.get("speaker"):
            runs.append({"speaker": w.get("speaker"), "start": w.get("start"), "words": []})
        runs[-1]["words"].append(w)
        runs[-1]["end"] = w.get("end")
    return runs


def _json3(events: list) -> list[dict]:
    """YouTube's json3 captions (what yt-dlp saves with `--sub-format json3`) as plain segment
    objects: each event's `segs` joined, its start and length in milliseconds; the events
    that only add a line break are left out.

    >>> _json3([{"tStartMs": 0, "dDurationMs": 2000, "segs": [{"utf8": "so"}, {"utf8": " today"}]},
    ...         {"tStartMs": 1990, "dDurationMs": 10, "aAppend": 1, "segs": [{"utf8": "\\n"}]}])
    [{'text': 'so today', 'start': 0, 'end': 2000}]
    """
    out = []
    for e in events:
        if not isinstance(e, dict) or not isinstance(e.get("segs"), list):
            continue
        text = "".join(str(seg.get("utf8", "")) for seg in e["segs"] if isinstance(seg, dict))
        if not text.strip():
            continue
        start, length = e.get("tStartMs"), e.get("dDurationMs")
        numbers = all(isinstance(x, int | float) for x in (start, length))
        out.append({"text": " ".join(text.split()), "start": start,
                    "end": start + length if numbers else None})
    return out


def _google_time(value: object) -> object:
    """Google's durations as seconds: `"44.300s"`, or `{"seconds": "44", "nanos": 300000000}`."""
    if isinstance(value, str) and value.endswith("s"):
        return value[:-1]
    if isinstance(value, dict):
        return float(value.get("seconds") or 0) + float(value.get("nanos") or 0) / 1e9
    return value


def _google_results(results: object) -> bool:
    """Is this Google Cloud Speech-to-Text's `results` list (each result with `alternatives`)?"""
    return isinstance(results, list) and bool(results) and all(
        isinstance(r, dict) and isinstance(r.get("alternatives"), list) for r in results
    )


def _google(results: list) -> list[dict]:
    """Google Cloud Speech-to-Text's `results` (`_google_results`) as segment objects: each
    result's best alternative (its `transcript`, its words' `startTime`/`endTime`); with
    diarization, the runs of the words one `speakerTag` says (Google gives every word, tagged,
    in the last result).

    >>> _google([{"alternatives": [{"transcript": "hello there", "words": [
    ...     {"startTime": "1.500s", "endTime": "2s", "word": "hello"}, {"startTime": "2s", "endTime": "2.4s", "word": "there"}]}]}])
    [{'text': 'hello there', 'start': '1.500', 'end': '2.4', 'words': [{'start': '1.500', 'end': '2', 'word': 'hello'}, {'start': '2', 'end': '2.4', 'word': 'there'}]}]
    """
    out: list[dict] = []
    for r in results:
        alt = r["alternatives"][0] if r["alternatives"] and isinstance(r["alternatives"][0], dict) else {}
        words = [
            {"start": _google_time(w.get("startTime", w.get("startOffset"))),
             "end": _google_time(w.get("endTime", w.get("endOffset"))),
             "word": w.get("word", ""), **({"speaker": w["speakerTag"]} if "speakerTag" in w else {})}
            for w in alt.get("words") or [] if isinstance(w, dict)
        ]
        if words and all("speaker" in w for w in words) and r is results[-1] and len(results) > 1:
            # diarization: the last result repeats every word with its speaker's tag
            return [{**run, "text": _words_text(run["words"])} for run in _speaker_runs(words)]
        text = alt.get("transcript")
        if isinstance(text, str) and text.strip():
            end = words[-1]["end"] if words else _google_time(r.get("resultEndTime"))
            out.append({"text": text.strip(), "start": words[0]["start"] if words else None,
                        "end": end, "words": words})
    return out


def _holds_transcript(d: dict) -> bool:
    return (
        isinstance(d.get("segments"), list)
        or _google_results(d.get("results"))
        or isinstance(d.get("events"), list)
        or isinstance(d.get("utterances"), list)
        or isinstance(d.get("results"), dict)
        or isinstance(d.get("body"), list)
        or isinstance(d.get("text"), str)
    )


def find_transcript(data: dict, depth: int = 3) -> dict | None:
    """The object that holds the transcript: `data` itself, or one nested in it, as a
    pipeline stores Whisper's output under a key of its own (`{"result": {"segments": …}}`).

    >>> find_transcript({"job": "x", "result": {"language": "en", "segments": []}})
    {'language': 'en', 'segments': []}
    """
    level = [data]
    for _ in range(depth):
        for d in level:
            if _holds_transcript(d):
                return d
        level = [v for d in level for v in d.values() if isinstance(v, dict)]
    return None


def _listed_segments(data: dict) -> list[dict]:
    """The longest list of segment objects (objects with text) among an object's values, as a
    tool stores its transcript under a key of its own (Tingwu's `transcription`).

    >>> _listed_segments({"title": "x", "transcription": [{"time": "00:00:01", "text": "Hi."}]})
    [{'time': '00:00:01', 'text': 'Hi.'}]
    """
    lists = [v for v in data.values()
             if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
             and any(k in v[0] for k in _TEXT_KEYS)]
    return max(lists, key=len, default=[])


def segment_objects(data: list, depth: int = 4) -> list[dict]:
    """The segment objects of a list that nests them in sections of its own, in order: a
    parser's `[[{"type": "interp", "people": […]}, [{"speaker", "content"}, …]], …]` (the g0v
    Legislative Yuan gazette's). Objects without text (a section's header) are left out.

    >>> segment_objects([[{"type": "interp"}, [{"speaker": "A", "content": "Hi."}]], [[{"text": "Yo."}]]])
    [{'speaker': 'A', 'content': 'Hi.'}, {'text': 'Yo.'}]
    """
    out: list[dict] = []
    for x in data:
        if isinstance(x, dict) and (any(k in x for k in _TEXT_KEYS) or "words" in x):
            out.append(x)
        elif isinstance(x, list) and depth:
            out.extend(segment_objects(x, depth - 1))
    return out


def sniff(text: str) -> float:
    """Confidence that `text` is a JSON transcript.

    >>> sniff('{"segments": [{"start": 0, "text": "Hi"}]}'), sniff("{broken"), sniff("Ann: Hi")
    (1.0, 0.3, 0.0)
    >>> sniff("[Speaker 1] [00:00] Were you there?")  # a bracket that opens a line of text
    0.0
    """
    s = text.lstrip("\ufeff \n\t")
    if not s.startswith(("{", "[")):
        return 0.0
    if s[0] == "[" and not re.match(r'[\s{\[\]"\d.tfn-]', s[1:2]):  # no value opens there
        return 0.0
    try:
        data = json.loads(s)
    except ValueError:
        return 0.3
    if isinstance(data, dict) and find_transcript(data) is not None:
        return 1.0
    if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        return 0.9
    if isinstance(data, list) and segment_objects(data):
        return 0.8
    return 0.4


def parse(text: str) -> Parsed:
    """Parse a JSON transcript; the speaker map, when there is one, names the speakers.

    >>> p = parse('{"speakers": {"spk_0": "Luciano"}, "segments": ['
    ...     '{"speakerLabel": "spk_0", "start": 3.76, "end": 5.1, "text": " Hello [music] there."},'
    ...     '{"speaker": "SPEAKER_01", "start": 5.1, "end": 6, "text": "Hi."}]}')
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [('Luciano', 3.76, 5.1, 'Hello there.'), ('SPEAKER_01', 5.1, 6.0, 'Hi.')]
    >>> p.dropped
    {'stage directions': 7}
    >>> p = parse('{"font_size": 0.4, "body": [{"from": 0.5, "to": 2.5, "location": 2, "content": "大家好。"}]}')
    >>> [(s.speaker, s.start, s.end, s.text) for s in p.segments]
    [(None, 0.5, 2.5, '大家好。')]
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        return Parsed([], warnings=["no segments found"])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FormatError(f"line {e.lineno}: {e.msg} (column {e.colno})") from None
    except ValueError as e:  # e.g. a number too large to convert
        raise FormatError(f"line 1: {e}") from None
    except RecursionError:
        raise FormatError("line 1: nested too deeply to be a transcript") from None
    names: dict[str, str] = {}
    scale = 1.0
    if isinstance(data, dict):
        inner = find_transcript(data) or data
        for key in _MAP_KEYS:  # a speaker map beside the transcript or inside its object
            names.update(_speaker_map(data.get(key)))
            names.update(_speaker_map(inner.get(key)))
        data = inner
        if isinstance(data.get("segments"), list):
            items = data["segments"]
        elif isinstance(data.get("utterances"), list):
            items, scale = data["utterances"], 1000.0  # AssemblyAI counts milliseconds
        elif isinstance(data.get("results"), dict):
            items = _deepgram(data["results"])
            if items is None:
                items = _aws(data["results"])
        elif _google_results(data.get("results")):
            items = _google(data["results"])
        elif isinstance(data.get("body"), list):
            items = data["body"]
        elif isinstance(data.get("events"), list):
            items, scale = _json3(data["events"]), 1000.0  # YouTube's json3: milliseconds
        elif isinstance(data.get("text"), str):
            items = [{"text": data["text"]}]
        elif listed := _listed_segments(data):  # under a key of the tool's own
            items = listed
        else:
            raise FormatError(
                'line 1: no transcript here: expected "segments", "utterances", "results" (Deepgram, AWS '
                'or Google speech-to-text), "body", "events" or "text"'
            )
    elif isinstance(data, list):
        items = data if all(isinstance(x, dict) for x in data) else segment_objects(data)
        if not items:
            raise FormatError('line 1: no transcript here: expected a list of objects with "text"')
    else:
        raise FormatError("line 1: expected a JSON object or a list of segments")
    segs, dropped = segments_of(items, names, scale)
    counts = Counter({"stage directions": dropped}) if dropped else Counter()
    return Parsed(segs, warnings=[] if segs else ["no segments found"], dropped=dict(counts))
