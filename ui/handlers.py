"""What the chat's events do: plain methods from component values to component updates.

One `Handlers` per app, over one corpus. A session's state is its list of answers (Gradio
keeps one per browser tab); an [n] button names an answer by its position in that list.
Every handler reads the index as it is now, so documents that another process added,
changed or removed show up in the next answer, list or filter refresh.
"""

import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

import rag
from index.config import BUNDLED_TRANSCRIPTS, K_DEFAULT, K_MAX
from rag import Answer, BadInputError, RagError
from rag.render import quote_markdown, to_json, to_markdown, to_text
from rag.retrieve import question_text
from ui.library import FileRow, Library
from ui.render import (
    HINT,
    error_text,
    find_citation,
    inert,
    parse_cite,
    render_draft,
    render_evidence,
    render_ingest,
    render_library,
    render_question,
    render_who_said,
    reply,
    shortened,
)
from ui.stream import Streamed

log = logging.getLogger(__name__)

ANY = "any"
QUOTE, COMPOSE = "Quote", "Compose"  # the chat's answer switch (shown when a model is set)
DRAFT_EVERY = 0.15  # seconds between updates of a streaming draft
SHOWN_CHARS = 200  # of a question over the limit, shown in the chat above the error
EXAMPLES = {  # shown in the empty chat when the bundled interview is indexed
    "karpathy-no-priors": [
        "Karpathy 认为人形机器人最早会用在什么场景?",
        "Karpathy 怎麼看合成數據?",
        "Why does Karpathy think Tesla is ahead of Waymo?",
    ]
}


def clean_history(history: Any) -> list[dict[str, str]]:
    """Chat messages as `ask` takes them: role and plain-text content. Gradio's content lists
    of text parts are joined; anything else is refused.

    >>> clean_history([{"role": "user", "content": [{"type": "text", "text": "Hi?"}]}])
    [{'role': 'user', 'content': 'Hi?'}]
    """
    out = []
    for m in history or []:
        if not isinstance(m, Mapping) or m.get("role") not in ("user", "assistant"):
            raise BadInputError('history holds {"role": "user" | "assistant", "content": …}')
        content = m.get("content")
        if isinstance(content, list):
            parts = [str(p.get("text", "")) for p in content if isinstance(p, Mapping)]
            content = " ".join(parts).strip()
        if not isinstance(content, str):
            raise BadInputError("a history message's content must be text")
        out.append({"role": m["role"], "content": content})
    return out


def answer_question(
    corpus: rag.Corpus,
    question: Any,
    speaker: Any = ANY,
    source: Any = ANY,
    k: Any = K_DEFAULT,
    history: Any = None,
    mode: Any = QUOTE,
    on_token: Callable[[str], None] | None = None,
) -> Answer:
    """The one place the chat and the API ask the corpus. `mode` is the Quote/Compose
    switch ("quote" or "compose", any case); composing streams the draft to `on_token`."""
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise BadInputError(f"k must be a whole number from 1 to {K_MAX}") from None
    if not 1 <= k <= K_MAX:
        raise BadInputError(f"k must be from 1 to {K_MAX}, not {k}")
    speaker = None if speaker in (None, "", ANY) else speaker
    source = None if source in (None, "", ANY) else source
    return corpus.ask(
        question,
        k=k,
        speaker=speaker,
        source=source,
        history=clean_history(history),
        mode=str(mode or QUOTE).strip().lower(),  # the chat's "Compose", the API's "compose"
        on_token=on_token,
    )


def conversation(answers: Sequence[Answer]) -> list[dict[str, str]]:
    """The chat so far as `ask` reads it: each question and its answer's text."""
    out = []
    for a in answers:
        out += [{"role": "user", "content": a.question}, {"role": "assistant", "content": a.text}]
    return out


def _error(e: Exception, what: str) -> str:
    """The page's one-line message for an error; unexpected ones are logged with their trace."""
    if not isinstance(e, RagError | ImportError):
        log.exception("%s failed", what)
    return error_text(e)


NO_EXPORT = {"value": None, "interactive": False}
_PROGRESS = gr.Progress(track_tqdm=True)


class Handlers:
    """The event handlers of one app, over one corpus."""

    def __init__(self, corpus: rag.Corpus):
        self.corpus = corpus
        self.library = Library(corpus)
        # removed when the app is collected or the process exits (TemporaryDirectory's finalizer)
        self._export_dir = tempfile.TemporaryDirectory(prefix="interview-qa-exports-")
        self._exports = Path(self._export_dir.name)
        self._unread: Exception | None = None  # why the index could not be read, last time

    # --- shared refreshes ----------------------------------------------------------------------
    def _sources(self) -> list[rag.SourceInfo] | None:
        """The indexed documents now; None when the index cannot be read (keep what is shown)."""
        try:
            return self.library.sources()
        except Exception as e:  # the chat says what went wrong when a question is asked
            log.warning("documents not listed: %s", e)
            self._unread = e
            return None

    def filters(self, sources: list[rag.SourceInfo] | None = None):
        """Speaker and document filter choices."""
        sources = self._sources() if sources is None else sources
        if sources is None:
            return gr.update(), gr.update()
        speakers = sorted({sp for s in sources for sp in s.speakers})
        return (
            gr.update(choices=[ANY, *speakers]),
            gr.update(choices=[ANY, *(s.name for s in sources)]),
        )

    def library_view(self, document: str | None = None, sources=None):
        """Library table, document picker and chat filters, from one read of the index."""
        sources = self._sources() if sources is None else sources
        if sources is None:
            # what a person can act on ("… run `rag ingest --rebuild`"), else the log's turn
            why = self._unread
            said = (error_text(why) if isinstance(why, RagError)
                    else "⚠️ The index cannot be read just now; see the server log.")
            return f"<p>{said}</p>", gr.update(), gr.update(), gr.update()
        names = [s.name for s in sources]
        pick = document if document in names else (names[0] if names else None)
        return (
            render_library(sources),
            gr.update(choices=names, value=pick),
            *self.filters(sources),
        )

    def on_load(self):
        """A page opens: library, filters, and examples when the bundled interview is there."""
        sources = self._sources()
        names = {s.name for s in sources or []}
        examples = [
            {"text": q}
            for prefix, questions in EXAMPLES.items()
            if any(n.startswith(prefix) for n in names)
            for q in questions
        ]
        return *self.library_view(sources=sources), gr.update(examples=examples or None)

    # --- the chat ------------------------------------------------------------------------------
    def take(self, message: str, chat: list):
        """Show the question at once and clear the box; the answer follows. Nothing is asked
        for an empty box; a question over the limit stays in the box to be shortened, and the
        chat says so (this event is not queued, so a toast would never reach the page)."""
        chat, message = list(chat or []), message or ""
        if not message.strip():
            return "", chat, ""
        limit, length = self.corpus.config.max_question_chars, len(question_text(message))
        if length > limit:  # (measured as `ask` measures it)
            note = (f"The question is {length} characters long; the limit is {limit}: "
                    "shorten it and ask again.")
            # (its own exchange: an error alone would join the answer before it in one bubble)
            chat.append({"role": "user", "content": render_question(shortened(message, SHOWN_CHARS))})
            chat.append({"role": "assistant", "content": f'<p class="rag-chat-error">{note}</p>'})
            return message, chat, ""
        chat.append({"role": "user", "content": render_question(message)})
        return "", chat, message

    def take_example(self, chat: list, evt: gr.SelectData):
        text = evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value)
        return self.take(text, chat)

    def respond(
        self, message: str, chat: list, answers: list, speaker: str, source: str, k, mode=QUOTE
    ) -> Iterator[tuple]:
        """Answer with the chat so far; the evidence panel opens the answer's first citation.
        A composed answer streams in as a draft first, then the checked answer replaces it."""
        chat, answers = list(chat or []), list(answers or [])
        keep = (gr.update(),) * 3  # the evidence panel, unchanged while the answer streams
        if not (message or "").strip():  # nothing was asked (`take`)
            yield chat, answers, gr.update(), gr.update(), *keep
            return
        history = conversation(answers)
        run = Streamed(
            lambda on_token: answer_question(
                self.corpus, message, speaker, source, k, history, mode, on_token
            ),
            every=DRAFT_EVERY,
        )
        try:
            for draft in run:
                draft_message = {"role": "assistant", "content": render_draft(draft)}
                yield [*chat, draft_message], answers, gr.update(), gr.update(), *keep
        except Exception as e:
            error = f'<p class="rag-chat-error">{_error(e, "answering")}</p>'
            chat.append({"role": "assistant", "content": error})
            yield chat, answers, *self.filters(), *keep
            return
        answer = run.result
        answers.append(answer)
        chat += reply(answer, len(answers) - 1, self.corpus.can_compose)
        # (a declined answer's related passages open when clicked, not as its evidence)
        first = answer.citations[0] if answer.citations else None
        panel = self.evidence(answers, len(answers) - 1, first.n if first else 0)
        yield chat, answers, *self.filters(), *panel

    def evidence(self, answers: Sequence[Answer], a: int, n: int):
        """Evidence panel, quote as Markdown, and the answer as a Markdown file, for
        citation n of answer a."""
        if not 0 <= a < len(answers) or (c := find_citation(answers[a], n)) is None:
            return HINT, "", gr.update(**NO_EXPORT)
        answer = answers[a]
        try:
            context = self.corpus.context(c.id, around=1)
        except RagError:  # the document changed since: show the passage as it was cited
            context = [c.passage]
        html = render_evidence(c, context, self.library.media(c.source), answer.question)
        path = self._exports / uuid.uuid4().hex / f"answer-{a + 1}.md"
        path.parent.mkdir()
        path.write_text(to_markdown(answer) + "\n", encoding="utf-8")
        return html, quote_markdown(c), gr.update(value=str(path), interactive=True)

    def open_citation(self, answers: list, evt: gr.EventData):
        """An [n] button was clicked: its value names the answer and the citation."""
        got = parse_cite(getattr(evt, "_data", {}).get("value"))
        if got is None:
            return gr.update(), gr.update(), gr.update()
        return self.evidence(answers or [], *got)

    def new_topic(self):
        return [], [], HINT, "", gr.update(**NO_EXPORT)

    # --- the library ---------------------------------------------------------------------------
    # Gradio fills `progress` in when it sees a gr.Progress default; tracking
    # tqdm shows the passages of a long file being embedded.
    def add_files(self, paths: list[str] | None, progress=_PROGRESS):
        """Uploaded files in: a report line each, then the refreshed library."""

        def step(done: int, total: int, name: str) -> None:
            desc = f"Indexing {name}" if done < total else "Done"
            progress((done, total), desc=desc, unit="files")

        files = [(Path(p).name, p) for p in paths or []]
        try:
            rows = self.library.add(files, progress=step, bars=True)
        except Exception as e:
            note = str(e) if isinstance(e, RagError) else "unexpected error; see the server log"
            _error(e, "upload")
            rows = [FileRow("upload", "error", notes=[note])]
        indexed = next((r.name for r in rows if r.passages), None)
        if indexed and (sample := self.samples()) and not any(r.name in sample for r in rows):
            # (a researcher's own interviews beside the demo: answers would quote it too)
            rows.append(FileRow("sample interview", "info", notes=[
                f"the bundled sample ({', '.join(sample)}) is still indexed and answers may quote "
                "it: remove it under Library to search only your files"
            ]))
        return render_ingest(rows), None, *self.library_view(indexed)

    def samples(self) -> list[str]:
        """The bundled sample transcripts still in the index."""
        return [s.name for s in self._sources() or [] if (BUNDLED_TRANSCRIPTS / s.name).is_file()]

    def speakers_of(self, document: str | None):
        """The rename pickers for a document: its speakers, and as new names those and then
        every other document's speakers, so a merge across interviews is a pick, not typing."""
        sources = self._sources() or []
        speakers = next((list(s.speakers) for s in sources if s.name == document), [])
        others = sorted({x for s in sources if s.name != document for x in s.speakers} - set(speakers))
        return (
            gr.update(choices=speakers, value=speakers[0] if speakers else None),
            gr.update(choices=speakers + others, value=None),
        )

    def rename(self, document: str, old: str, new: str):
        try:
            message = f"✓ {inert(self.library.rename(document, old, new))}"
        except Exception as e:
            message = _error(e, "renaming")
        return f"<p>{message}</p>", *self.library_view(document), *self.speakers_of(document)

    def remove(self, document: str | None):
        if not document:  # cancelled (`CONFIRM_REMOVE`), or no document chosen
            return "<p>Nothing removed.</p>", *self.library_view()
        try:
            message = f"✓ {inert(self.library.remove(document))}"
        except Exception as e:
            return f"<p>{_error(e, 'removing')}</p>", *self.library_view(document)
        return f"<p>{message}</p>", *self.library_view()

    # --- across interviews ---------------------------------------------------------------------
    def who_said(self, topic: str) -> str:
        try:
            topic = (topic or "").strip()
            return render_who_said(topic, self.corpus.who_said(topic))
        except Exception as e:
            return f"<p>{_error(e, 'who said what')}</p>"

    # --- the HTTP API --------------------------------------------------------------------------
    def chat(
        self,
        question: str = "",  # (a request without one gets the empty question's error, not a 500)
        speaker: str = ANY,
        source: str = ANY,
        k: int = K_DEFAULT,
        history: list[dict] | None = None,
        mode: str = QUOTE,
    ) -> tuple[str, dict]:
        """Answer a question from the interviews; only the question is required.

        speaker, source: filter passages by speaker or document (a name or part of one; "any").
        k: passages to cite, 1 to 10. history: the chat so far, as {"role", "content"}
        messages, so that a follow-up ("And what about Waymo?") is read with it. mode: "quote"
        (sentences from the transcripts) or "compose" (the language model writes the answer
        from them, each sentence checked; needs RAG_LLM).
        Returns (reply, details): reply is plain text, the answer with its [n] markers, then
        each cited passage as `[n] speaker — document, turn t [mm:ss]`, its host question and
        text; details holds the same as JSON (question, text, abstained, seconds, citations).
        """
        try:
            answer = answer_question(self.corpus, question, speaker, source, k, history, mode)
        except (RagError, ImportError) as e:
            raise gr.Error(str(e), print_exception=False) from None
        return to_text(answer), to_json(answer)
