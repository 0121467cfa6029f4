"""The Gradio chat over the indexed interviews (`rag ui`).

A reply is the extractive answer (quoted sentences, each followed by its [n] marker), then a
collapsed "Sources" message with every cited passage: number, speaker, document, turn, the
host question that prompted the turn, and the passage with the quoted sentences highlighted.

Passage text comes from users' files, so everything taken from the index goes through
`inert`: `&<>"'` are html-escaped as by html.escape, and the characters that start markdown
syntax (`[]()!*_` and friends) become numeric entities, so no tag, markdown link or image,
autolink or emphasis can form; newlines become <br>, and each block of HTML is a single line,
which markdown passes through as raw HTML. The Chatbot sanitizes HTML as well.

API (`gradio_client`): `Client(url).predict("question", api_name="/chat")` returns
`(reply, details)`: `reply` is plain text like `rag ask` prints, `details` the same as JSON.
"""

import logging
import re
from dataclasses import asdict
from typing import Any

import gradio as gr

from rag import Answer, BadInputError, Citation, Config, RagError, ask

log = logging.getLogger(__name__)

ANY = "any"
K_DEFAULT, K_MAX = 5, 10
CONCURRENCY = 4  # chats answered at once; the model is shared (one engine per process)
EXAMPLES = [
    "Karpathy 认为人形机器人最早会用在什么场景?",
    "Karpathy 怎麼看合成數據?",
    "Why does Karpathy think Tesla is ahead of Waymo?",
]
INTRO = (
    "## Interview Q&A\n"
    "Ask in Chinese (简体 or 繁體) or English. Every sentence of an answer is quoted from the "
    "transcripts and marked [n]; open **Sources** under a reply to read the cited passages."
)

# html.escape's characters, and every one that starts markdown inline syntax (links, images,
# autolinks, emphasis, code, strike-through, math, escapes, tables, headings).
_UNSAFE = re.compile(r"[&<>\"'\\`*_\[\](){}!#~|$:@]")
_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}  # as html.escape
_MARKER = re.compile(r"\[(\d+)\]")


def inert(text: str) -> str:
    """Untrusted text as HTML that is plain text to both markdown and the browser.

    >>> inert('<b>![x](y)</b>\\nok')
    '&lt;b&gt;&#33;&#91;x&#93;&#40;y&#41;&lt;/b&gt;<br>ok'
    """
    out = _UNSAFE.sub(lambda m: _NAMED.get(m.group(), f"&#{ord(m.group())};"), text)
    return re.sub(r"\r\n|\r|\n", "<br>", out)


def highlight(text: str, quotes: tuple[str, ...]) -> str:
    """The passage, inert, with the quoted sentences wrapped in <mark>."""
    flat = text.replace("\n", " ")  # answer sentences were cut with newlines read as spaces
    spans = []
    for q in quotes:
        q = q.strip()
        start = flat.find(q) if q else -1
        if start >= 0:
            spans.append((start, start + len(q)))
    out, pos = [], 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if a < b:
            out += [inert(text[pos:a]), "<mark>", inert(text[a:b]), "</mark>"]
            pos = b
    out.append(inert(text[pos:]))
    return "".join(out)


def render_answer(answer: Answer) -> str:
    """The answer for the chat: inert sentences, the [n] markers of its citations kept."""
    numbers = {c.n for c in answer.citations}
    out, pos = [], 0
    for m in _MARKER.finditer(answer.text):
        if int(m.group(1)) in numbers:
            out += [inert(answer.text[pos : m.start()]), f"<b>[{m.group(1)}]</b>"]
            pos = m.end()
    out.append(inert(answer.text[pos:]))
    return f"<p>{''.join(out)}</p>"  # one line in a block tag: no markdown block syntax can start


def _source(c: Citation) -> str:
    where = f"turn {c.turn}" + (f", part {c.piece}" if c.piece > 1 else "")
    parts = [f"<div><b>[{c.n}] {inert(c.speaker)}</b> · {inert(c.source)} · {where}</div>"]
    if c.question:
        parts.append(f"<div><i>Q: {inert(c.question)}</i></div>")
    parts.append(f"<blockquote>{highlight(c.text, c.quote)}</blockquote>")
    for o in c.also:
        parts.append(f"<div><small>Also in {inert(o.source)}, turn {o.turn}.</small></div>")
    return f'<div class="rag-source" style="margin-bottom: 0.9em">{"".join(parts)}</div>'


def render_sources(answer: Answer) -> str:
    """The cited passages as one line of HTML ("" when the answer abstained).

    One line on purpose: markdown takes it as a single raw-HTML block and parses nothing in it.
    """
    if answer.abstained or not answer.citations:
        return ""
    return f'<div class="rag-sources">{"".join(_source(c) for c in answer.citations)}</div>'


def reply(answer: Answer) -> list[gr.ChatMessage]:
    """The chat messages for an answer: the answer, then the collapsed sources."""
    messages = [gr.ChatMessage(role="assistant", content=render_answer(answer))]
    sources = render_sources(answer)
    if sources:
        n = len(answer.citations)
        title = f"Sources · {n} passage{'s' if n != 1 else ''}"
        messages.append(
            gr.ChatMessage(
                role="assistant", content=sources, metadata={"title": title, "status": "done"}
            )
        )
    return messages


def error_text(e: Exception) -> str:
    """A readable one-line message for the chat; never a stack trace."""
    if isinstance(e, (RagError, ImportError)):  # ImportError: names the package to install
        text = re.sub(r"&#96;(.+?)&#96;", r"<code>\1</code>", inert(str(e)))  # `rag ingest`
        return f"⚠️ {text}"
    return "⚠️ Something went wrong while answering; the details are in the server log."


def plain_reply(answer: Answer) -> str:
    """The answer as plain text (what `rag ask` prints): the API's first output."""
    lines = [answer.text]
    for c in answer.citations:
        lines += ["", f"[{c.n}] {c.speaker} — {c.source}, turn {c.turn}"]
        if c.question:
            lines.append(f"    Q: {c.question}")
        lines.append("    " + c.text.replace("\n", "\n    "))
        lines += [f"    (also in {o.source}, turn {o.turn})" for o in c.also]
    return "\n".join(lines)


def answer_dict(answer: Answer) -> dict[str, Any]:
    """The answer as JSON (what `rag ask --json` prints): the API's second output."""
    return {
        "question": answer.question,
        "text": answer.text,
        "abstained": answer.abstained,
        "citations": [asdict(c) for c in answer.citations],
    }


def _ask(config: Config, message: Any, speaker: Any, source: Any, k: Any) -> Answer:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise BadInputError(f"k must be a whole number from 1 to {K_MAX}") from None
    if not 1 <= k <= K_MAX:
        raise BadInputError(f"k must be from 1 to {K_MAX}, not {k}")
    speaker = None if speaker in (None, "", ANY) else speaker
    source = None if source in (None, "", ANY) else source
    return ask(message, k=k, speaker=speaker, source=source, config=config)


def make_respond(config: Config):
    """The function behind the chat: (message, history, speaker, document, k) -> messages."""

    def respond(message, history=None, speaker=ANY, source=ANY, k=K_DEFAULT):
        try:
            return reply(_ask(config, message, speaker, source, k))
        except Exception as e:  # shown in the chat; unexpected ones are logged with their trace
            if not isinstance(e, (RagError, ImportError)):
                log.exception("answering %r failed", message)
            return gr.ChatMessage(role="assistant", content=error_text(e))

    return respond


def known_filters(config: Config) -> tuple[list[str], list[str]]:
    """Choices for the speaker and document dropdowns ("any" first)."""
    from rag.engine import get_engine

    try:
        snap = get_engine(config).snapshot()
    except Exception as e:  # no index yet: the chat says what to do
        log.warning("no filters: %s", e)
        return [ANY], [ANY]
    return [ANY, *snap.speakers], [ANY, *snap.sources]


def build_app(config: Config | None = None) -> gr.Blocks:
    config = config or Config.from_env()
    speakers, sources = known_filters(config)

    def chat(
        message: str, speaker: str = ANY, source: str = ANY, k: int = K_DEFAULT
    ) -> tuple[str, dict]:
        """Answer a question from the interviews.

        Returns (reply, details): reply is plain text, the answer with its [n] markers, then
        each cited passage as `[n] speaker — document, turn t`, its host question and text;
        details holds the same as JSON (question, text, abstained, citations).
        """
        try:
            answer = _ask(config, message, speaker, source, k)
        except (RagError, ImportError) as e:
            raise gr.Error(str(e), print_exception=False) from None
        return plain_reply(answer), answer_dict(answer)

    def refresh_filters():
        s, d = known_filters(config)
        return gr.Dropdown(choices=s), gr.Dropdown(choices=d)

    with gr.Blocks(title="Interview Q&A", analytics_enabled=False, fill_height=True) as demo:
        gr.Markdown(INTRO)
        with gr.Row(equal_height=True):
            speaker = gr.Dropdown(speakers, value=ANY, label="Speaker", scale=2)
            source = gr.Dropdown(sources, value=ANY, label="Document", scale=3)
            k = gr.Slider(1, K_MAX, value=K_DEFAULT, step=1, label="Passages to cite (k)", scale=2)
        chatbot = gr.Chatbot(
            label="Chat",
            height="70vh",
            min_height=420,
            sanitize_html=True,
            allow_tags=False,
            latex_delimiters=[],
            placeholder="Ask about the interview, or pick an example below.",
        )
        gr.ChatInterface(
            make_respond(config),
            chatbot=chatbot,
            additional_inputs=[speaker, source, k],
            examples=[[q] for q in EXAMPLES],  # filters keep their current values
            api_name="chat_ui",
            api_visibility="private",  # clients use /chat below
            fill_height=True,
        )
        gr.api(chat, api_name="chat")  # POST /gradio_api/call/chat; Client: api_name="/chat"
        demo.load(refresh_filters, None, [speaker, source], api_visibility="private", queue=False)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo


def launch(config: Config | None = None, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the chat until interrupted (`rag ui`)."""
    build_app(config).launch(server_name=host, server_port=port, show_error=False)
