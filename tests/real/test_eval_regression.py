"""Quality must not regress: the default system, with the real model, on both eval corpora
(the bundled write-ups and the real public transcripts), indexed afresh by the harness in a
temp folder. Takes a few minutes."""

from __future__ import annotations

import json

import pytest

# Floors for the default system, set a little below the values measured on 2026-12-02 after
# the answer changes of that day (lead replies need two shared terms, host preambles, reasons
# for "why", named speakers' own words, replies to quoted questions, the next piece of a turn,
# the type check on the core answer): bundled hit@5 0.953, hit@600c 0.918, key facts 0.819,
# abstain_acc 0.875; real, 120 questions over nine files: hit@5 0.802, hit@600c 0.646, key
# facts 0.677, abstain_acc 0.708, speaker_acc 1.000. They must only go up: raise them when the
# product improves, never lower them to make a change pass. The one exception so far: the real
# hit@5 floor went 0.80 -> 0.78 when a ninth transcript with 12 questions written blind joined
# the set (hit@5 0.667 on them; 0.816 on the 108 questions before, whose index it also joined),
# and, on 2026-12-03, real hit@5 0.78 -> 0.76 and hit@600c 0.63 -> 0.57 when a tenth (Audrow
# Nash #8, 19 questions written blind) joined: hit@5 0.667 and hit@600c 0.400 on its 15
# answerable questions, and its 408 passages took places from the others (hit@5 0.802 -> 0.792
# on the 96 before). The same day answers from four passages raised key facts (bundled 0.825 ->
# 0.848, real 0.613 -> 0.667 on the new set), so the bundled key-facts floor went up.
# Later that day, the real floors went down again (hit@5 0.76 -> 0.75, hit@600c 0.57 -> 0.54,
# key facts 0.64 -> 0.55; measured after: 0.770, 0.563, 0.571) for two reasons, both measured: an eleventh transcript (Behind the
# Tech #53, 19 questions written blind) joined, at hit@5 0.600, hit@600c 0.333 and key facts
# 0.200 on its 15 answerable questions; and three files whose host was labelled guest got their
# roles right (the issue asks for hosts decided from the whole document), which on the first ten
# files' tuning questions moved key facts 0.717 -> 0.659 and hit@5 0.797 -> 0.812: the ranking
# had been set with those hosts' turns counted as answers (README, "Quality and speed").
# Then raised again (hit@5 0.77, hit@600c 0.56, key facts 0.57, abstain_acc 0.70; measured
# 0.778, 0.571, 0.583, 0.719).
# On 2026-12-03 a twelfth transcript joined (Write the Docs #30, the site's HTML transcript, 19
# questions written blind): hit@5 0.733, key facts 0.333 and 1 of 4 unanswerable questions
# declined on it, and a word it brings ("champion") made "2022 年世界杯的冠军是哪个国家?" count as
# on a known subject, so one more unanswerable question of the others is answered (their 158
# questions: hit@5 0.778 -> 0.794, abstain_acc 0.719 -> 0.688). Key facts 0.57 -> 0.55 and
# abstain_acc 0.70 -> 0.61, one question below the 23 of 36 unanswerable now declined (measured
# with the day's other changes: hit@5 0.787, hit@600c 0.582, key facts 0.571, abstain_acc 0.639).
# A thirteenth transcript (寶博朋友說's interview of Audrey Tang, Traditional Chinese, 19 questions
# written blind) declines 1 of its 4 unanswerable questions: abstain_acc 0.61 -> 0.58 (measured
# with it: 24 of 40 declined, 0.600; hit@5 0.782, hit@600c 0.622, key facts 0.580). A fourteenth
# (Podnews Weekly Review, WebVTT with diarizer labels, 19 questions written blind: hit@5 0.733 on
# its own) brings all real questions to hit@5 0.772, hit@600c 0.632, key facts 0.560,
# abstain_acc 0.591 (26 of 44): hit@5 0.77 -> 0.76, key facts 0.55 -> 0.54, abstain_acc 0.58 ->
# 0.56, so that one question more or less is not a failure. Raised again the same day, when a
# fifteenth (Metamuse #11 in Rev's export) and a sixteenth (the Kubernetes Podcast interview in
# Simplified Chinese, its English original in comments), 19 questions each written blind, joined
# with the fixes their blind runs prompted and the tuning split's: measured hit@5 0.781, hit@600c
# 0.662, key facts 0.594, abstain_acc 0.692 (36 of 52) over 253 questions, so the floors are
# one question below: hit@5 0.77, hit@600c 0.65, key facts 0.58, abstain_acc 0.67.
# Lowered on 2026-12-03, when a seventeenth (the Google Cloud Platform Podcast's Hugo page for
# episode 246) and an eighteenth (Command Line Heroes' developer advocacy roundtable in LCTT's
# Simplified Chinese translation) joined with 19 questions each written blind: measured over
# 291 questions hit@5 0.753, hit@600c 0.632, key facts 0.580, abstain_acc 0.633 (38 of 60).
# The new files' 335 passages also take places from the others' (the first sixteen files'
# questions: hit@5 0.781 -> 0.766, key facts 0.594 -> 0.577), so the floors are one question
# below the new figures: hit@5 0.74, hit@600c 0.62, key facts 0.57, abstain_acc 0.61.
# Raised on 2026-12-04, when a nineteenth (Data Stories #101 as AssemblyAI exports it, 19
# questions written blind) joined with the fixes its blind run prompted: measured over 310
# questions hit@5 0.760, hit@600c 0.634, key facts 0.585, abstain_acc 0.625 (40 of 64), so the
# floors are one question below: hit@5 0.75, hit@600c 0.63, key facts 0.58. (A change that
# would have passed only with the bundled key-facts floor lowered, 0.848 -> 0.813, was reverted.)
# The same day "几集"/"几年" questions began to be checked for a number: 42 of 64 declined
# (0.656), so abstain_acc 0.61 -> 0.64; then "Which company …?" questions began to need a
# name: 43 of 64 (0.672), so abstain_acc 0.65.
# Lowered on 2026-12-04, when a twentieth joined (a probability lecture's script in Word, one
# voice, no labels, 19 questions written blind; its blind run: hit@5 0.571, hit@600c 0.286, key
# facts 0.500, 1 of 5 unanswerable declined). With the fixes it prompted (slide titles as
# context, list items quoted one by one, "the name of the <thing> <adverb/participle>"),
# measured over 329 questions: hit@5 0.750, hit@600c 0.619, key facts 0.577, abstain_acc 0.652
# (45 of 69); on the nineteen files' own 310 questions hit@5 0.760 -> 0.756 (one question whose
# passage moved from fifth to sixth), the others unchanged or up (key facts 0.585 -> 0.589).
# The floors are one question below: hit@5 0.74, hit@600c 0.61, key facts 0.57, abstain_acc 0.63.
# The same day each passage's dense score began to count its vector read with the piece before
# it: bundled hit@5 0.965, hit@600c 0.941, key facts 0.860 (floors raised to one question below:
# 0.95, 0.92, 0.84); real hit@5 0.765, hit@600c 0.631, key facts 0.578, abstain_acc 0.638 (44 of
# 69, one fewer: a held-out question), so hit@5 0.76, hit@600c 0.62, abstain_acc 0.62.
# On 2026-12-04 (later) a question the speaker answers at once ("How many downloads did we get?
# Four.") became a candidate quoted with its answer: real key facts 0.578 -> 0.595 (tuning
# 0.600 -> 0.607, held-out 0.540 -> 0.576), nothing else moved, so key facts 0.59.
# Raised on 2026-12-04 (later still), when a name in a question began to be judged within each
# speaker's own conversation, a code or version became an answer type and two-part questions
# stopped being declined for one part's missing number: measured real hit@5 0.804, hit@600c
# 0.662, key facts 0.597, abstain_acc 0.681 (47 of 69); bundled abstain_acc 0.938 (15 of 16).
# One question below: real hit@5 0.79, hit@600c 0.65, abstain_acc 0.66; bundled abstain_acc 0.87.
# Raised on 2026-12-04 (last), with the type boost, reciprocal rank fusion at k = 30, the
# cross-language count check and a smaller pull toward the first passage: measured real hit@5
# 0.815, hit@600c 0.673, key facts 0.618, abstain_acc 0.725 (50 of 69); bundled key facts
# 0.866. One question below: real hit@5 0.81, hit@600c 0.66, key facts 0.61, abstain_acc 0.71;
# bundled key facts 0.85.
# Raised on 2026-12-04 (later), with the named person's passages ranked among themselves and
# the gazetteer's places for "Which city / country …?": measured real hit@5 0.831, hit@600c
# 0.677, key facts 0.642, abstain_acc 0.739 (51 of 69); bundled unchanged. One question below:
# real hit@5 0.82, hit@600c 0.67, key facts 0.63, abstain_acc 0.72.
FLOORS = {
    "bundled": {"hit@5": 0.95, "hit@600c": 0.92, "key_facts": 0.85, "abstain_acc": 0.87},
    "real": {"hit@5": 0.82, "hit@600c": 0.67, "key_facts": 0.63, "abstain_acc": 0.72,
             "speaker_acc": 0.95},
}

pytestmark = pytest.mark.real


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
