"""Render results.json for people: report.md, systems.png, and a short stdout table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

LABELS = {
    "hit@1": "hit@1",
    "hit@3": "hit@3",
    "hit@5": "hit@5",
    "mrr@10": "MRR@10",
    "ndcg@10": "nDCG@10",
    "recall@10": "recall@10",
    "hit@600c": "hit@600c",
    "key_facts": "key facts",
    "char_f1": "char-F1",
    "markers_valid": "markers ok",
    "citation_precision": "cite prec",
    "speaker_acc": "speaker",
    "abstain_acc": "abstain ok",
    "wrongly_abstained": "wrong abst.↓",
    "in_question_language": "in q's lang",
    "readable": "readable",
    "composed": "composed",
    "sentences_supported": "supported",
}
SUMMARY = (
    "hit@1",
    "hit@5",
    "mrr@10",
    "hit@600c",
    "key_facts",
    "abstain_acc",
    "wrongly_abstained",
    "in_question_language",
)
LANG_COLUMNS = (
    "hit@5",
    "mrr@10",
    "hit@600c",
    "key_facts",
    "char_f1",
    "abstain_acc",
    "wrongly_abstained",
)
PLOT_METRICS = (
    "hit@1",
    "hit@5",
    "mrr@10",
    "ndcg@10",
    "hit@600c",
    "key_facts",
    "char_f1",
    "citation_precision",
    "speaker_acc",
    "abstain_acc",
    "wrongly_abstained",
)
PLOT_LANG_METRICS = ("hit@5", "hit@600c", "key_facts")


def _f(v, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _metrics(results: Mapping) -> list[str]:
    return list(results.get("metrics") or LABELS)


def summary_table(results: Mapping) -> str:
    """A fixed-width table of the main metrics, one row per system."""
    cols = [m for m in SUMMARY if m in _metrics(results)]
    names = list(results["systems"])
    w = max([len("system")] + [len(n) for n in names]) + 2
    widths = [max(9, len(LABELS[m])) + 2 for m in cols]
    head = "system".ljust(w) + "".join(
        LABELS[m].rjust(cw) for m, cw in zip(cols, widths, strict=True)
    )
    lines = [head, "-" * len(head)]
    for n in names:
        s = results["systems"][n]
        cells = (_f(s.get(m)).rjust(cw) for m, cw in zip(cols, widths, strict=True))
        lines.append(n.ljust(w) + "".join(cells))
    return "\n".join(lines)


def _top(t: Mapping | None) -> str:
    if not t:
        return "–"
    who = t.get("speaker") or "?"
    return f"{t['source']} t{t['turn']} {who}: {t['text']}"


def split_table(results: Mapping) -> str:
    """The default system's main metrics per split (tuning / held-out) and per format."""
    default = results.get("default")
    cols = [m for m in SUMMARY if m in _metrics(results)] + ["speaker_acc"]
    rows = []
    for key in ("by_split", "by_format"):
        for value, s in (results.get(key) or {}).get(default, {}).items():
            if key == "by_format" and len(results[key][default]) < 2:
                continue
            rows.append([f"{key[3:]}={value}", f"{s['answerable']}/{s['unanswerable']}"]
                        + [_f(s.get(m)) for m in cols])
    return _table(["default", "ans/unans"] + [LABELS[m] for m in cols], rows)


def write_report(all_results: Mapping, path: Path) -> None:
    """report.md: the run, then one section per corpus."""
    meta = all_results.get("meta", {})
    out: list[str] = ["# Evaluation report", ""]
    if meta:
        out.append(
            f"Run {meta.get('date', '')}, embedding model `{meta.get('embed_model')}`, "
            f"retrieval `{meta.get('retrieval')}`, {meta.get('seconds_total', 0):.0f} s in all. "
            "Tuning values are in results.json (`meta.tuning`)."
        )
    for name, results in all_results["corpora"].items():
        out += ["", f"# Corpus `{name}`", ""]
        out += _corpus_lines(results, meta)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _corpus_lines(results: Mapping, meta: Mapping) -> list[str]:
    default = results.get("default")
    metrics = _metrics(results)
    names = list(results["systems"])
    first = results["systems"][names[0]] if names else {}
    out: list[str] = []
    out.append(
        f"{results['questions']} questions ({first.get('answerable', '?')} answerable, "
        f"{first.get('unanswerable', '?')} unanswerable); default system: `{default}`."
    )
    out.append("")
    for n, why in (results.get("skipped") or {}).items():
        out.append(f"- **Skipped `{n}`**: {why}.")
    for problem in results.get("ingest_problems") or ():
        out.append(f"- **Ingest problem** (a file named here is not indexed; its questions find nothing): {problem}.")
    for label, secs in (
        ("Seconds per system (setup + questions)", results.get("seconds")),
        ("Of which setup (model load, naive index build)", meta.get("setup_seconds")),
    ):
        if secs:
            out.append(f"- {label}: " + ", ".join(f"{n} {s:.1f}" for n, s in secs.items()) + ".")
    for n, lat in (results.get("latency") or {}).items():
        parts = [
            f"{what} median {v['p50']:.1f} s, 95th percentile {v['p95']:.1f} s (n={v['n']})"
            for what, v in (("whole answer", lat.get("seconds")), ("first token", lat.get("first_token")))
            if v
        ]
        out.append(f"- Latency of `{n}`: " + "; ".join(parts) + ".")
    out += [
        "",
        "Ranking metrics (hit@k, MRR@10, nDCG@10, recall@10, hit@600c) are over answerable questions, "
        "on the ranked retrieval list (`retrieve(k=10)` for the product); hit@600c = a gold snippet within "
        "the first 600 characters of the first 5 citations. Key facts, char-F1 and citation precision come "
        "from `ask(k=5)`'s answer on answerable questions (an abstention scores 0 on key facts). "
        "Speaker = correct speaker on the first supporting citation, when one is in the top 10. "
        "abstain ok = share of unanswerable questions abstained on; wrong abst. = share of answerable "
        "questions abstained on (lower is better). – = not applicable (retrieval-only system, or no speakers).",
        "",
        "## Systems",
        "",
    ]
    out.append(
        _table(
            ["system"] + [LABELS[m] for m in metrics],
            [[n] + [_f(results["systems"][n].get(m)) for m in metrics] for n in names],
        )
    )
    out += [
        "",
        "## Tuning and held-out splits, formats (default system)",
        "",
        "Held-out questions were never used to set a threshold.",
        "",
        split_table(results),
    ]
    out += ["", "## By language", ""]
    cols = [m for m in LANG_COLUMNS if m in metrics]
    rows = []
    for n in names:
        for lang, s in results.get("by_lang", {}).get(n, {}).items():
            rows.append(
                [n, lang, f"{s['answerable']}/{s['unanswerable']}"] + [_f(s.get(m)) for m in cols]
            )
    out.append(_table(["system", "lang", "ans/unans"] + [LABELS[m] for m in cols], rows))

    sig = results.get("significance") or {}
    if sig:
        out += [
            "",
            f"## Significance (vs `{default}`)",
            "",
            f"Paired over answerable questions; diff = system − {default}; p = two-sided sign-flip "
            f"randomization test, 95% CI = percentile bootstrap ({meta.get('resamples', 10000)} resamples, "
            f"seed {meta.get('seed', '?')}).",
            "",
        ]
        rows = []
        for n, tests in sig.items():
            for m, t in tests.items():
                ci = "–" if not t.get("ci95") else f"[{t['ci95'][0]:+.3f}, {t['ci95'][1]:+.3f}]"
                diff = "–" if t.get("diff") is None else f"{t['diff']:+.3f}"
                rows.append(
                    [
                        n,
                        LABELS.get(m, m),
                        t["n"],
                        _f(t.get("a")),
                        _f(t.get("b")),
                        diff,
                        ci,
                        _f(t.get("p"), 4),
                    ]
                )
        out.append(
            _table(["system", "metric", "n", default, "system value", "diff", "95% CI", "p"], rows)
        )

    fails = results.get("failures") or []
    out += ["", "## Failures", ""]
    counts = {n: sum(1 for f in fails if f["system"] == n) for n in names}
    out.append("Failures per system: " + ", ".join(f"{n} {c}" for n, c in counts.items()) + ".")
    out += [
        "",
        f"Failures of `{default}` (miss@5: no gold passage in the top 5; wrongly-abstained: answerable but "
        "abstained; answered-unanswerable). Others are in results.json.",
        "",
    ]
    rows = [
        [
            f["id"],
            f["lang"],
            ", ".join(f["kind"]),
            f["rank"] or "–",
            "yes" if f["abstained"] else "no",
            _top(f["top"]),
            f["question"],
        ]
        for f in fails
        if f["system"] == default
    ]
    out.append(
        _table(["id", "lang", "kind", "rank", "abstained", "top citation", "question"], rows)
        if rows
        else "None."
    )
    return out


def write_plot(results: Mapping, path: Path) -> None:
    """Grouped bars: systems per metric (top), and per language for a few metrics (bottom)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = list(results["systems"])
    metrics = [m for m in PLOT_METRICS if m in _metrics(results)]
    fig = plt.figure(figsize=(14, 8.5), constrained_layout=True)
    grid = fig.add_gridspec(2, len(PLOT_LANG_METRICS))
    width = 0.8 / max(1, len(names))
    colors = plt.get_cmap("tab10").colors

    def bars(ax, x, i, n, vals):
        offset = (i - (len(names) - 1) / 2) * width
        color = colors[i % len(colors)]
        xs = [x[j] + offset for j, v in enumerate(vals) if v is not None]
        ax.bar(xs, [v for v in vals if v is not None], width, label=n, color=color)
        for j, v in enumerate(vals):
            if v is None:
                ax.text(
                    x[j] + offset,
                    0.01,
                    "n/a",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color=color,
                )

    ax = fig.add_subplot(grid[0, :])
    x = np.arange(len(metrics))
    for i, n in enumerate(names):
        bars(ax, x, i, n, [results["systems"][n].get(m) for m in metrics])
    ax.set_xticks(x, [LABELS[m] for m in metrics], rotation=20)
    ax.set_ylim(0, 1.15)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_title(
        f"Systems on {results['questions']} questions (n/a = not applicable; ↓ = lower is better)"
    )
    ax.legend(ncol=len(names), loc="upper center", fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)

    by_lang = results.get("by_lang") or {}
    langs = sorted(
        {lang for n in names for lang in by_lang.get(n, {})}, key=["zh-hans", "zh-hant", "en"].index
    )
    for k, m in enumerate(PLOT_LANG_METRICS):
        ax = fig.add_subplot(grid[1, k])
        x = np.arange(len(langs))
        for i, n in enumerate(names):
            bars(ax, x, i, n, [by_lang.get(n, {}).get(lang, {}).get(m) for lang in langs])
        ax.set_xticks(x, langs)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{LABELS[m]} by question language")
        ax.grid(axis="y", alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)
