"""Quality must not regress: the default system, with the real model, on both eval corpora
(the bundled write-ups and the real public transcripts), indexed afresh by the harness in a
temp folder. Takes a few minutes."""

from __future__ import annotations

import json

import pytest

# Floors for the default system, one question below the figures measured on 2026-12-05 (real:
# 455 answerable and 143 unanswerable questions over thirty-one files; bundled: 85 and 16),
# with the passages re-scored after fusion: real hit@5 0.811, hit@600c 0.697, key facts 0.666,
# abstain_acc 0.566 (81 of 143), speaker_acc 0.984; bundled hit@5 0.965, hit@600c 0.953, key
# facts 0.862, abstain_acc 0.938 (15 of 16). The re-scoring raised real hit@600c 0.66 -> 0.69,
# key facts 0.63 -> 0.66 and bundled hit@600c 0.92 -> 0.94. Then AWS Bites #45 as Amazon
# Transcribe's JSON joined with 21 blind questions (its blind run: hit@5 0.625, hit@600c 0.562,
# key facts 0.375; speech-recognition errors such as "get up" for GitHub): over 471 answerable
# and 148 unanswerable questions real hit@5 0.805, hit@600c 0.690, key facts 0.654,
# abstain_acc 0.568 (84 of 148); the 598 earlier questions' hit@600c 0.697 -> 0.695 and key
# facts 0.666 -> 0.664 as its passages joined: hit@600c 0.69 -> 0.68, key facts 0.66 -> 0.65.
# They must only go up: raise them when the product improves, never lower them to make a change
# pass. They went down only when questions written blind joined the set, and by what was
# measured then; on 2026-12-05 (evening) a House hearing's 21 and forty more tuning questions
# (20 near misses) took real abstain_acc 0.66 -> 0.61, while the earlier 78 near misses went
# 53 -> 54 declined; hit@5 0.80 -> 0.81, hit@600c 0.63 -> 0.66, key facts 0.61 -> 0.64 went up.
# Later that day two more near misses declined (abstain_acc 0.621 -> 0.641): its floor 0.61 ->
# 0.63. Then a White House briefing's 21 questions, written blind, joined: on the 430 earlier
# ones key facts stayed 0.643 (hit@5 0.817 -> 0.820, hit@600c 0.664 -> 0.670), the briefing's
# 16 answerable ones, after its fixes, gave 0.562, so the whole set's key facts are 0.639: its
# floor 0.64 -> 0.63. A Federal Reserve press conference's 21 blind questions (night) changed no
# floor: with its fixes every figure stayed above them. Then a UK inquiry hearing's 21 blind
# questions joined (its file refused on the blind run, .rst; read since): its own hit@5 0.625,
# key facts 0.594, 2 of 5 near misses declined, and its passages took two earlier near misses
# to answers (72 of 113 declined -> 70) and key facts of the 472 earlier questions 0.640 ->
# 0.633: real hit@5 0.81 -> 0.80, key facts 0.63 -> 0.62, abstain_acc 0.63 -> 0.60. Later a
# Senate interview's and a Legislative Yuan gazette's 42 blind questions joined, with fixes
# (court reporters' line numbers, nested JSON, names by sound, titles inside Chinese labels):
# real hit@5 0.80 -> 0.81, key facts 0.62 -> 0.64 went up. Then three more files' 63 blind
# questions joined, with fixes (CSV tables, voice tags in text lines, CHAT): a READr CSV, Python
# Bytes #483 and a Cantonese radio interview in CHAT, whose 16 answerable questions, after its
# fixes, give hit@5 0.250 and key facts 0.156 (Cantonese words the Mandarin dictionary lacks,
# hosts asked after by their corpus letters); its passages and the CSV's took the 535 earlier
# questions' hit@5 0.823 -> 0.816 (key facts 0.646 -> 0.647, the same 78 of 128 declined): real
# hit@5 0.81 -> 0.80, key facts 0.64 -> 0.63, abstain_acc 0.60 -> 0.56 (3 of the 15 new near
# misses declined).
# A name of several words known only whole ("Mona Lisa" is not known from a speaker called
# Lisa; 2026-12-05, late night): 84 -> 86 of 148 declined, nothing else moved: abstain_acc 0.56 -> 0.57.
# Function words (at, by, with, …) out of the lexical index, and a fresh index (2026-12-07,
# night): real hit@5 0.807 -> 0.820, key facts 0.653 -> 0.654, 86 -> 87 declined: hit@5 0.80 -> 0.81.
# Answers of the shape asked for, contractions no words, the sentence before an echo and the
# next piece of a turn, a purpose for "why", a bare reply's next sentence (2026-12-07, late night; turns-v63):
# bundled key facts 0.874 -> 0.899: its floor 0.85 -> 0.87.
# What a completing sentence adds counted in its own script, "instead of" questions, a sentence
# that points back, the hosts' turns for a question whose host says it (2026-12-07, evening):
# real key facts 0.661 -> 0.690, hit@600c 0.699 -> 0.703: its floors 0.65 -> 0.67, 0.68 -> 0.69;
# bundled key facts 0.899 -> 0.911: its floor 0.87 -> 0.89.
# Every earlier change of a floor and its reason: eval/HISTORY.md, "Regression floors, by
# version".
FLOORS = {
    "bundled": {"hit@5": 0.95, "hit@600c": 0.94, "key_facts": 0.89, "abstain_acc": 0.87},
    "real": {"hit@5": 0.81, "hit@600c": 0.69, "key_facts": 0.67, "abstain_acc": 0.57,
             "speaker_acc": 0.95},
}

pytestmark = pytest.mark.real


@pytest.mark.timeout(2700)  # indexes both corpora and asks 720 questions: ~11 min on 2 cores
def test_default_system_stays_above_the_floors(tmp_path, capsys, e5, glossary):
    from eval.harness import main
    from index.config import Config

    out = tmp_path / "eval"
    everything = main(out, ["default"], as_json=True, config=Config.from_env(), embedder=e5,
                      glossary=glossary)
    capsys.readouterr()  # the JSON the harness printed
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    low = {}
    for corpus, floors in FLOORS.items():
        results = everything["corpora"][corpus]
        measured = results["systems"]["default"]
        assert saved["corpora"][corpus]["systems"]["default"] == measured
        line = ", ".join(f"{m}={measured[m]:.4f} (floor {f})" for m, f in floors.items())
        splits = {k: {m: s[m] for m in floors} for k, s in results["by_split"]["default"].items()}
        with capsys.disabled():
            print(f"\n{corpus} (default, {results['questions']} questions): {line}")
            print(f"by split: {splits}")
        low.update({
            f"{corpus} {m}": measured[m]
            for m, f in floors.items()
            if measured[m] is None or measured[m] < f
        })
    with capsys.disabled():
        print(f"eval took {everything['meta']['seconds_total']:.0f} s")
    assert not low, f"below the floors {FLOORS}: {low}"
