"""The `rag` command: thin wrappers over the library. Heavy imports happen inside commands,
so `rag --help` is instant."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from index.errors import RagError


class _Group(click.Group):
    """Turns the product's own errors into one line on stderr and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RagError as e:
            raise click.ClickException(str(e)) from None
        except ImportError as e:
            raise click.ClickException(str(e)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Cited question answering over interview transcripts.

    \b
      rag ingest                      # index the bundled transcripts
      rag ask "Karpathy 认为人形机器人最早会用在什么场景?"
      rag ui                          # chat in the browser
    State lives in RAG_HOME (default: .rag/ in the project).
    """


def _config():
    from index.config import Config

    return Config.from_env()


def _ensure_index(config) -> None:
    """Build the index from the bundled transcripts if there is none yet."""
    from index.store import Store

    try:
        store = Store.open(config)
        if store.manifest() is not None and store.count() > 0:
            return
    except RagError as e:
        if type(e).__name__ != "NoIndexError":
            raise
    click.echo(
        f"No index yet: ingesting the bundled transcripts from {config.transcripts} …", err=True
    )
    _run_ingest(config, [], prune=False, rebuild=False, as_json=False, quiet=True)


def _run_ingest(config, paths, prune, rebuild, as_json, quiet=False) -> int:
    from index.ingest import ingest

    report = ingest(
        [Path(p) for p in paths] or None, config, prune=prune, rebuild=rebuild, progress=not as_json
    )
    if as_json:
        click.echo(json.dumps(asdict(report), ensure_ascii=False))
    else:
        for p in report.problems:
            click.echo(f"error: {p}", err=True)
        for w in report.warnings:
            click.echo(f"warning: {w}", err=True)
        if not quiet or report.problems:
            click.echo(
                f"{report.documents} documents, {report.chunks} chunks in the index "
                f"(added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
                f"removed {len(report.removed)}) in {report.seconds:.1f} s",
                err=quiet,
            )
    return 1 if report.problems else 0


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@click.option("--prune", is_flag=True, help="Drop indexed documents that are not among PATHS.")
@click.option("--rebuild", is_flag=True, help="Delete the index and build it again.")
def ingest(paths, as_json, prune, rebuild):
    """Index transcripts (default: the bundled ones). Re-ingesting a file replaces its chunks.

    \b
      rag ingest                         # bundled transcripts
      rag ingest my_interviews/ extra.txt --json
    Exits 1 if any file could not be ingested; the others are still indexed.
    """
    sys.exit(_run_ingest(_config(), list(paths), prune, rebuild, as_json))


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
def remove(sources, as_json):
    """Remove documents from the index by file name: rag remove old_interview.txt"""
    from index.ingest import remove as remove_docs

    report = remove_docs(list(sources), _config())
    if as_json:
        click.echo(json.dumps(asdict(report), ensure_ascii=False))
    else:
        for p in report.problems:
            click.echo(f"error: {p}", err=True)
        click.echo(
            f"removed {len(report.removed)}; {report.documents} documents, {report.chunks} chunks left"
        )
    sys.exit(1 if report.problems else 0)


def _citation_dict(c) -> dict:
    d = asdict(c)
    d["also"] = [asdict(p) for p in c.also]
    return d


@main.command()
@click.argument("question")
@click.option("-k", default=5, show_default=True, help="How many passages to cite.")
@click.option(
    "--speaker", default=None, help="Only passages by this speaker (substring, e.g. karpathy)."
)
@click.option(
    "--source", default=None, help="Only passages from this document (file name or part of it)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer and citations as JSON.")
def ask(question, k, speaker, source, as_json):
    """Answer a question with cited passages.

    \b
      rag ask "Why does Karpathy think Tesla is ahead of Waymo?"
      rag ask "什么是 LLM 公司?" --json
    """
    from rag.api import ask as ask_fn

    config = _config()
    _ensure_index(config)
    a = ask_fn(question, k=k, speaker=speaker, source=source, config=config)
    if as_json:
        out = {
            "question": a.question,
            "text": a.text,
            "abstained": a.abstained,
            "citations": [_citation_dict(c) for c in a.citations],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(a.text)
    if a.citations:
        click.echo()
    for c in a.citations:
        click.echo(f"[{c.n}] {c.speaker} — {c.source}, turn {c.turn}")
        if c.question:
            click.echo(f"    Q: {c.question}")
        click.echo("    " + c.text.replace("\n", "\n    "))
        for o in c.also:
            click.echo(f"    (also in {o.source}, turn {o.turn})")


@main.command(name="sources")
def sources_cmd():
    """List the indexed documents."""
    from index.store import Store

    m = Store.open(_config()).manifest()
    for name in sorted(m.files if m else {}):
        click.echo(name)


@main.command()
@click.option("--scale", type=int, default=0, help="Also benchmark a synthetic corpus of N turns.")
@click.option("--queries", type=int, default=40, show_default=True, help="Warm queries to time.")
@click.option("--json", "as_json", is_flag=True)
def bench(scale, queries, as_json):
    """Time ingest (fresh data dir), cold start and warm `ask` latency (p50/p95)."""
    from rag.bench import run

    result = run(_config(), scale=scale, queries=queries, progress=not as_json)
    click.echo(json.dumps(result, ensure_ascii=False, indent=None if as_json else 2))


@main.command(name="eval")
@click.option("--out", type=click.Path(), default="eval-out", show_default=True)
@click.option("--systems", default=None, help="Comma-separated systems (default: all).")
@click.option("--json", "as_json", is_flag=True)
def eval_cmd(out, systems, as_json):
    """Run the eval harness over eval/questions.yaml and write results.json, report.md, a plot."""
    from eval.harness import main as run_eval

    run_eval(Path(out), systems.split(",") if systems else None, as_json=as_json, config=_config())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
def ui(host, port):
    """Start the Gradio chat (builds the index from the bundled transcripts if needed)."""
    config = _config()
    _ensure_index(config)
    from ui.app import launch

    launch(config, host=host, port=port)


if __name__ == "__main__":
    main()
