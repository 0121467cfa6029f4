"""The `rag` command: thin wrappers over the library (`rag.open()`), the chat and the eval.
Heavy imports happen inside commands, so `rag --help` is instant."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from index.config import K_DEFAULT, K_MAX
from index.errors import RagError, listing
from index.formats import FORMATS


class _UsageError(click.ClickException):
    exit_code = 2  # (as click's own usage errors)


class _Group(click.Group):
    """Turns the product's own errors into one line on stderr and exit code 1, and a misused
    command line into one line too (click prints its usage, a hint and a blank line first)."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as e:
            raise _one_line(e) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (RagError, ImportError) as e:
            raise click.ClickException(str(e)) from None
        except click.UsageError as e:
            raise _one_line(e) from None


def _one_line(e: click.UsageError) -> _UsageError:
    return _UsageError(f"{e.format_message()} (see `{e.ctx.command_path if e.ctx else 'rag'} --help`)")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Cited question answering over interview transcripts.

    \b
      rag ingest                      # index the bundled transcripts
      rag ingest talks/ --speaker SPEAKER_00=Jane
      rag ask "Karpathy 认为人形机器人最早会用在什么场景?"
      rag ui                          # chat in the browser
    State lives in RAG_HOME (default: .rag/ in the project).
    """


def _corpus():
    """The corpus this command works on: the one a caller passed (`main(obj=corpus)`, as
    tests do with a fake embedder), else `rag.open()` from the environment."""
    obj = click.get_current_context().obj
    if obj is not None:
        return obj
    import rag

    return rag.open()


def _ensure_index(corpus) -> None:
    """Build the index from the bundled transcripts when `Corpus.bundled_index_due()` says so,
    saying why on stderr."""
    due = corpus.bundled_index_due()
    if due is None:
        return
    where = corpus.config.transcripts
    click.echo(
        f"No index yet: ingesting the bundled transcripts from {where} …"
        if due == "missing"
        else "The index was built by an earlier version: building it again from the bundled "
        f"transcripts in {where} …",
        err=True,
    )
    _run_ingest(corpus, [], as_json=False, quiet=True, rebuild=due == "outdated")


def _run_ingest(corpus, paths, as_json, quiet=False, **options) -> int:
    from rag.render import count

    report = corpus.ingest(list(paths) or None, progress=not as_json, **options)
    if as_json:
        click.echo(json.dumps(asdict(report), ensure_ascii=False))
        for p in report.problems:  # (stdout is the JSON; errors go to stderr as ever)
            click.echo(f"Error: {p}", err=True)
    else:
        for f in [] if quiet else report.files:
            dropped = ", ".join(f"{n} chars of {what}" for what, n in f.dropped.items() if n)
            click.echo(
                f"{f.source}: {f.format}, {count(f.passages, 'passage')}, speakers: "
                f"{', '.join(f.speakers) or 'none'}" + (f"; dropped {dropped}" if dropped else ""),
                err=quiet,
            )
        for p in report.problems:
            click.echo(f"Error: {p}", err=True)
        for w in report.warnings:
            click.echo(f"Warning: {w}", err=True)
        if not quiet or report.problems:
            click.echo(
                f"{count(report.documents, 'document')}, {count(report.passages, 'passage')} in the index "
                f"(added {len(report.added)}, updated {len(report.updated)}, unchanged "
                f"{len(report.unchanged)}, removed {len(report.removed)}) in {report.seconds:.1f} s",
                err=quiet,
            )
    return 1 if report.problems else 0


def _speaker_map(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        label, sep, name = v.partition("=")
        if not sep or not label.strip() or not name.strip():
            raise click.BadParameter(f"{v!r}: use LABEL=Name, e.g. SPEAKER_00=Jane Doe")
        out[label.strip()] = name.strip()
    return out


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@click.option("--prune", is_flag=True, help="Drop indexed documents whose files are gone from PATHS (documents from elsewhere stay).")
@click.option("--rebuild", is_flag=True, help="Build the index again: from the files given, else from every file it holds "
              "(their speaker maps, renames and formats kept).")
@click.option("--format", "fmt", default=None,
              help=f"Parse every file as this format: {', '.join(sorted(FORMATS))} (default: detect).")
@click.option("--speaker", "speakers", multiple=True, metavar="LABEL=NAME",
              help="Rename a speaker label (diarized SPEAKER_00, spk_0…); repeatable.")
def ingest(paths, as_json, prune, rebuild, fmt, speakers):
    """Index transcripts (default: the bundled ones). Re-ingesting a file replaces its passages.

    \b
      rag ingest                         # bundled transcripts
      rag ingest my_interviews/ extra.vtt --json
      rag ingest call.json --speaker spk_0=Luciano --speaker spk_1=Ana
    Formats: Name: text, Name (hh:mm:ss): exports, Markdown, web pages (.html), WebVTT, SRT,
    ASS, Whisper/WhisperX/AssemblyAI/Deepgram/AWS JSON, CHAT, ELAN, .docx, .pdf. A `FILE.speakers.yaml`
    beside a file maps its labels to names.
    Exits 1 if any file could not be ingested; the others are still indexed.
    """
    try:
        code = _run_ingest(
            _corpus(), list(paths), as_json, prune=prune, rebuild=rebuild, fmt=fmt,
            speaker_map=_speaker_map(speakers),
        )
    except KeyboardInterrupt:
        click.echo(
            "Interrupted: the documents indexed before the stop are kept; run the same "
            "`rag ingest` again to finish the others (unchanged files are skipped)",
            err=True,
        )
        code = 130
    sys.exit(code)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
def remove(sources, as_json):
    """Remove documents from the index by file name: rag remove old_interview.txt"""
    report = _corpus().remove(list(sources))
    if as_json:
        click.echo(json.dumps(asdict(report), ensure_ascii=False))
    else:
        from rag.render import count

        for p in report.problems:
            click.echo(f"Error: {p}", err=True)
        click.echo(
            f"removed {len(report.removed)}; {count(report.documents, 'document')}, "
            f"{count(report.passages, 'passage')} left"
        )
    sys.exit(1 if report.problems else 0)


def _history(ctx, param, value: str | None) -> list[dict] | None:
    """--history read before anything else is done (before a missing index is built)."""
    if not value:
        return None
    text = Path(value).read_text(encoding="utf-8") if Path(value).is_file() else value
    try:
        data = json.loads(text)
    except ValueError:
        raise click.BadParameter("a JSON list of {role, content} messages, or a file with one") from None
    if not isinstance(data, list) or not all(isinstance(m, dict) for m in data):
        raise click.BadParameter("a JSON list of {role, content} messages")
    return data


@main.command()
@click.argument("question")
@click.option("-k", default=K_DEFAULT, show_default=True, type=click.IntRange(1, K_MAX),
              help=f"How many passages to cite (1 to {K_MAX}).")
@click.option("--speaker", default=None, help="Only passages by this speaker (substring, e.g. karpathy).")
@click.option("--source", default=None, help="Only passages from this document (file name or part of it).")
@click.option("--history", default=None, callback=_history,
              help="The chat so far: JSON list of {role, content}, or a file.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer and citations as JSON.")
@click.option("--markdown", is_flag=True, help="Print the answer and quotes as Markdown.")
@click.option("--compose", is_flag=True,
              help="Have the language model (RAG_LLM) write the answer from the quotes, streamed "
                   "(with RAG_LLM set, it does when the quotes are in another language than the question).")
@click.option("--quote", "quote_only", is_flag=True, help="Quotes only, even with RAG_LLM set.")
def ask(question, k, speaker, source, history, as_json, markdown, compose, quote_only):
    """Answer a question with cited passages.

    \b
      rag ask "Why does Karpathy think Tesla is ahead of Waymo?"
      rag ask "什么是 LLM 公司?" --json
      rag ask "And what about Waymo?" --history '[{"role":"user","content":"Is Tesla ahead?"}]'
    """
    from rag import render

    if as_json and markdown:
        raise click.UsageError("--json and --markdown print the answer two ways: choose one")
    if compose and quote_only:
        raise click.UsageError("--compose and --quote ask for two kinds of answer: choose one")
    corpus = _corpus()
    _ensure_index(corpus)
    streamed = []

    def show(text: str) -> None:
        streamed.append(text)
        click.echo(text, nl=False, err=True)

    a = corpus.ask(
        question, k=k, speaker=speaker, source=source, history=history,
        mode="compose" if compose else "quote" if quote_only else "auto",
        on_token=None if as_json else show,
    )
    if streamed:
        click.echo("", err=True)  # the draft streamed on stderr; the verified answer follows
        if a.mode != "compose":
            why = next((s.reason for s in a.sentences if not s.supported), "")
            click.echo(
                "(draft withdrawn: not supported by the passages"
                + (f": {why}" if why else "") + "; "
                + ("their translations follow)" if a.mode == "translate" else "the quotes follow)"),
                err=True,
            )
    if as_json:
        click.echo(json.dumps(render.to_json(a), ensure_ascii=False, indent=2))
    elif markdown:
        click.echo(render.to_markdown(a))
    else:
        click.echo(render.to_text(a))
    if a.quoted_in and a.mode == "quote" and not streamed:  # (a withdrawn draft said why)
        click.echo(f"note: {render.other_language_note(a.quoted_in, corpus.can_compose)}", err=True)
    _warn_unfinished(corpus)


def _warn_unfinished(corpus) -> None:
    """Say so when the index is being rebuilt, or a rebuild was stopped: answers come from the
    documents it has read again so far."""
    if missing := corpus.rebuild_unfinished():
        click.echo(
            f"Warning: the index's rebuild is running or did not finish: {len(missing)} "
            f"document{'s' if len(missing) > 1 else ''} not read again yet ({listing(missing)}); answers come from the others: run "
            "`rag ingest --rebuild`",
            err=True,
        )


@main.command(name="sources")
@click.option("--json", "as_json", is_flag=True)
def sources_cmd(as_json):
    """List the indexed documents with passages and speakers."""
    from rag.render import count

    corpus = _corpus()
    infos = corpus.sources()
    if as_json:
        click.echo(json.dumps([asdict(i) for i in infos], ensure_ascii=False))
    else:
        for i in infos:
            click.echo(f"{i.name}\t{count(i.passages, 'passage')}\t{', '.join(i.speakers) or '-'}")
    _warn_unfinished(corpus)


@main.command(name="who-said")
@click.argument("topic")
@click.option("--json", "as_json", is_flag=True, help="Print each document's speakers and passages as JSON.")
def who_said_cmd(topic, as_json):
    """Who spoke to a topic: each speaker of each document, with their best passage on it, or
    "did not speak to it" (as the chat's "Who said what").

    \b
      rag who-said Waymo
      rag who-said 合成数据 --json
    """
    from rag.corpus import EMPTY_TOPIC
    from rag.render import citation_dict, where

    if not topic.strip():  # (a usage error, before the index is opened)
        raise click.UsageError(EMPTY_TOPIC)
    corpus = _corpus()
    _ensure_index(corpus)
    rows = corpus.who_said(topic)
    if as_json:
        click.echo(json.dumps(
            [{"source": src, "speaker": sp or None, "passages": [citation_dict(c) for c in cs]}
             for src, sp, cs in rows], ensure_ascii=False, indent=2))
    else:
        for src, sp, cs in rows:
            click.echo(f"{sp or 'Unknown speaker'} — {src}" + ("" if cs else ": did not speak to it"))
            for c in cs:
                click.echo(f"  [{c.n}] {where(c)}")
                click.echo("      " + c.passage.text.replace("\n", " "))
    _warn_unfinished(corpus)


@main.command()
@click.option("--jsonl", "as_jsonl", is_flag=True, default=True, help="One JSON object per line (the default).")
@click.option("--source", default=None, help="Only this document.")
def export(as_jsonl, source):
    """Every indexed passage as JSON lines: id, source, speaker, role, start, end, question, text.

    \b
      rag export --jsonl > passages.jsonl
      rag export --source interview.vtt | jq .speaker
    """
    from rag.render import passage_dict

    for p in _corpus().export(source):
        click.echo(json.dumps(passage_dict(p), ensure_ascii=False))


@main.command()
@click.option("--scale", type=int, default=0, help="Also benchmark a synthetic corpus of N turns.")
@click.option("--queries", type=int, default=40, show_default=True, help="Warm queries to time.")
@click.option("--json", "as_json", is_flag=True)
def bench(scale, queries, as_json):
    """Time ingest, a cold `rag ask` beside its floor, warm `ask` latency (p50/p95), memory."""
    from cli.bench import run
    from index.config import Config

    result = run(Config.from_env(), scale=scale, queries=queries, progress=not as_json)
    click.echo(json.dumps(result, ensure_ascii=False, indent=None if as_json else 2))


def tuning_value(kind: str, value: str):
    """A `--set NAME=VALUE` value read as its Tuning field's type.

    >>> tuning_value("int", "30"), tuning_value("bool", "yes"), tuning_value("float", "0.5")
    (30, True, 0.5)
    >>> tuning_value("tuple[float, ...]", "2,0.6,8")
    (2.0, 0.6, 8.0)
    """
    if kind == "int":
        return int(value)
    if kind == "bool":
        return value.lower() in ("1", "true", "yes")
    if kind.startswith("tuple"):
        return tuple(float(v) for v in value.split(","))
    return float(value)


@main.command(name="eval")
@click.option("--out", type=click.Path(), default="eval-out", show_default=True)
@click.option("--systems", default=None,
              help="Comma-separated systems (default: all but compose, which needs RAG_LLM).")
@click.option("--corpus", "corpora", multiple=True, help="bundled and/or real (default: both).")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Change a tuning number for this run (see index/config.py Tuning); repeatable.")
@click.option("--split", type=click.Choice(["tuning", "heldout"]), default=None,
              help="Only the questions of one split.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only this many questions per corpus, evenly spread (for slow systems).")
@click.option("--json", "as_json", is_flag=True)
def eval_cmd(out, systems, corpora, settings, split, limit, as_json):
    """Run the eval harness (tuning and held-out splits, real transcripts) and write
    results.json, report.md and a plot per corpus.

    \b
      rag eval                                   # every system, both corpora
      rag eval --systems default --corpus bundled --set type_bonus=0.2
      RAG_LLM=local rag eval --systems default,compose --split heldout --limit 20
    Set tuning numbers by looking at the tuning split only; the held-out split is the report.
    """
    from dataclasses import fields, replace

    from eval.harness import main as run_eval
    from index.config import Config, Tuning

    config = Config.from_env()
    changes = {}
    types = {f.name: f.type for f in fields(Tuning)}
    for item in settings:
        name, _, value = item.partition("=")
        if name not in types:
            raise click.BadParameter(f"{name!r} is not a tuning number; known: {', '.join(types)}")
        kind = types[name]
        try:
            changes[name] = tuning_value(str(getattr(kind, "__name__", kind)), value)
        except ValueError:
            raise click.BadParameter(f"{name}={value!r}: not a {kind}") from None
    config = replace(config, tuning=replace(config.tuning, **changes))
    run_eval(Path(out), systems.split(",") if systems else None, as_json=as_json, config=config,
             corpora=list(corpora) or None, split=split, limit=limit)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=int)
def ui(host, port):
    """Start the Gradio chat (builds the index from the bundled transcripts if needed)."""
    corpus = _corpus()
    _ensure_index(corpus)
    from ui.app import launch

    launch(corpus, host=host, port=port)


if __name__ == "__main__":
    main()
