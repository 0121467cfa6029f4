r"""The Gradio chat over the indexed interviews (`rag ui`).

Three tabs over one corpus object (`rag.open()`):

- **Chat.** A reply is the extractive answer (quoted sentences, each followed by its [n]
  button), its time in small print, then a collapsed "Sources" message with every cited
  passage. When a language model is configured (RAG_LLM), a Quote / Compose switch shows:
  Compose streams the model's draft, then shows the sentences that its passages support.
  Follow-ups are read with the chat so far ("And what about Waymo?"); "New topic" forgets it. Clicking an [n] opens the passage in context beside the chat (the turns before
  and after, the host's question, its [mm:ss] time, a link into the media when the document
  names one, its other versions), with the quote as Markdown to copy and the whole answer to
  export as Markdown.
- **Library.** Drop or pick transcripts (.txt .md .markdown .html .vtt .srt .sbv .ttml .dfxp .ass .ssa .json .json3
  .docx .pdf, and `NAME.speakers.yaml` speaker maps): each is checked, saved under `RAG_HOME/uploads/` and
  ingested with a progress bar and a report per file. The indexed documents are listed;
  a document can be removed, and its speakers renamed or merged (kept on re-ingest).
- **Who said what.** For a topic, each speaker of each document with their best passage about
  it, or a dash where they did not speak to it.

Every question reads the current index, so documents that another process adds, changes or
removes are seen without a restart; the filter choices and the library refresh on each
message, on page load and when a tab is opened.

Everything taken from the index is rendered through `ui.render.inert` (see there): no tag,
link or image can come out of a transcript.

HTTP API: `/chat` answers a question; only the question is needed, the speaker filter,
document filter, k (passages to cite, 1 to 10), history (earlier messages, as
`{"role": "user" | "assistant", "content": "…"}`) and mode (`"quote"`, or `"compose"` when a
language model is configured) are optional. It returns `(reply, details)`:
`reply` is the plain text `rag ask` prints, `details` the JSON of `rag ask --json`.

    EVENT_ID=$(curl -s -X POST http://127.0.0.1:7860/gradio_api/call/v2/chat \
      -H 'Content-Type: application/json' \
      -d '{"question": "Why does Karpathy think Tesla is ahead of Waymo?"}' \
      | sed -E 's/.*"event_id": *"([^"]+)".*/\1/')
    curl -sN http://127.0.0.1:7860/gradio_api/call/v2/chat/$EVENT_ID

The first request returns `{"event_id": …}`; the second streams `event: complete` and
`data: [reply, details]` (or `event: error` with a one-line message). Inputs go by name:
add `"speaker"`, `"source"`, `"k"`, `"history"` or `"mode"` to the JSON as needed. (The
positional form, `/gradio_api/call/chat` with `{"data": [...]}`, needs all six values.)
From Python: `gradio_client.Client(url).predict("question", api_name="/chat")`.
"""

import logging
import signal
import threading

import gradio as gr

import rag
from index.config import K_DEFAULT, K_MAX
from ui.assets import CITE_JS, CSS, HEADER, PAGE_JS
from ui.handlers import ANY, COMPOSE, QUOTE, Handlers
from ui.library import SUPPORTED, size
from ui.render import HINT

log = logging.getLogger(__name__)

CONCURRENCY = 4  # questions answered at once; the corpus's model is shared
INDEX_WRITES = "index-writes"  # uploads, removals and renames run one at a time
# A removal takes a document's passages out at once: the browser asks first.
CONFIRM_REMOVE = (
    "(d) => (d && window.confirm('Remove ' + d + ' from the index? Its passages and speaker "
    "names go; the file itself stays where it is.')) ? [d] : ['']"
)
UPLOAD_HELP = (
    "Drop transcripts below or click to choose them: " + ", ".join(SUPPORTED) + ", up to "
    "{limit} each. Add `NAME.speakers.yaml` (`label: Name` lines) to name the speakers of "
    "NAME. A file with the name of an indexed document replaces it."
)


def build_app(corpus: rag.Corpus | None = None) -> gr.Blocks:
    """The chat's Blocks. Reads nothing from the index until a page asks, so it is quick."""
    h = Handlers(corpus or rag.open())
    private = {"api_visibility": "private"}
    with gr.Blocks(title="Interview Q&A", analytics_enabled=False) as demo:
        answers = gr.State([])  # this session's answers; an [n] button names one by position
        pending = gr.State("")  # the question being answered
        gr.HTML(HEADER)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat") as chat_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chatbot = gr.Chatbot(
                            label="Chat",
                            show_label=False,
                            elem_id="rag-chat",
                            height="60vh",
                            min_height=300,
                            sanitize_html=True,
                            allow_tags=False,
                            latex_delimiters=[],
                            buttons=[],  # a copy of a message would be its raw HTML
                            placeholder="Ask about the interviews. Every sentence of an answer "
                            "is quoted from a transcript; click its [n] to read it in context.",
                        )
                        with gr.Row(equal_height=True):
                            box = gr.Textbox(
                                show_label=False,
                                label="Question",
                                placeholder="Ask a question, or a follow-up…",
                                submit_btn="Ask",
                                max_lines=4,
                                scale=5,
                                elem_id="rag-question",
                            )
                            new = gr.Button("New topic", scale=1, min_width=90, size="sm")
                        mode = gr.Radio(
                            [QUOTE, COMPOSE],
                            value=QUOTE,
                            label="Answer",
                            info="Quote: sentences from the transcripts, at once. Compose: the "
                            "language model writes the answer from them, streamed; each "
                            "sentence is checked against its passage.",
                            visible=h.corpus.can_compose,
                            elem_id="rag-mode",
                        )
                        with gr.Accordion("Filters", open=False):
                            with gr.Row():
                                speaker = gr.Dropdown(
                                    [ANY],
                                    value=ANY,
                                    label="Speaker",
                                    allow_custom_value=True,
                                    elem_id="rag-speaker",
                                )
                                source = gr.Dropdown(
                                    [ANY],
                                    value=ANY,
                                    label="Document",
                                    allow_custom_value=True,
                                    elem_id="rag-source",
                                    # (wide enough for file names that differ at the end:
                                    # "…_zh-hans_huxiu.txt", "…_zh-hant_tencent.txt")
                                    scale=2,
                                    min_width=280,
                                )
                                k = gr.Slider(
                                    1, K_MAX, value=K_DEFAULT, step=1, label="Passages to cite (k)"
                                )
                    with gr.Column(scale=2, min_width=300):
                        evidence = gr.HTML(
                            HINT, js_on_load=CITE_JS, elem_id="rag-evidence", padding=True
                        )
                        quote = gr.Textbox(
                            label="Quote with attribution (Markdown)",
                            lines=3,
                            max_lines=8,
                            interactive=False,
                            buttons=["copy"],
                            elem_id="rag-quote",
                        )
                        export = gr.DownloadButton(
                            "Export answer as Markdown",
                            interactive=False,
                            size="sm",
                            elem_id="rag-export",
                        )
            with gr.Tab("Library", id="library") as library_tab:
                gr.Markdown(UPLOAD_HELP.format(limit=size(h.corpus.config.max_file_bytes)))
                files = gr.File(
                    label="Add transcripts",
                    file_count="multiple",
                    type="filepath",
                    height=140,
                    elem_id="rag-upload",
                )
                report = gr.HTML(elem_id="rag-report")
                with gr.Row():
                    gr.Markdown("### Indexed documents")
                    refresh = gr.Button("Refresh", size="sm", scale=0, min_width=90)
                documents = gr.HTML(elem_id="rag-library")
                with gr.Accordion("Edit a document", open=True):
                    document = gr.Dropdown([], label="Document", elem_id="rag-doc")
                    with gr.Row():
                        old = gr.Dropdown([], label="Speaker in this document", elem_id="rag-old")
                        new_name = gr.Dropdown(
                            [],
                            label="New name (another speaker's name merges them)",
                            allow_custom_value=True,
                            elem_id="rag-new",
                        )
                    with gr.Row():
                        rename_btn = gr.Button("Rename / merge", size="sm")
                        remove_btn = gr.Button("Remove this document", variant="stop", size="sm")
                    edit_status = gr.HTML(elem_id="rag-edit-status")
                    # the document a removal was confirmed for ("" when cancelled)
                    confirmed = gr.Textbox(visible=False)
            with gr.Tab("Who said what", id="who"):
                topic = gr.Textbox(
                    label="Topic: who spoke to it, and who did not",
                    placeholder="e.g. Waymo, housing costs, 合成数据",
                    submit_btn="Find",
                    elem_id="rag-topic",
                )
                who = gr.HTML(elem_id="rag-who-said")

        panel = [evidence, quote, export]
        filters = [speaker, source]
        lib = [documents, document, speaker, source]

        ask_inputs = [pending, chatbot, answers, speaker, source, k, mode]
        ask_outputs = [chatbot, answers, *filters, *panel]
        box.submit(h.take, [box, chatbot], [box, chatbot, pending], queue=False, **private).then(
            h.respond, ask_inputs, ask_outputs, concurrency_limit=CONCURRENCY, **private
        )
        chatbot.example_select(
            h.take_example, [chatbot], [box, chatbot, pending], queue=False, **private
        ).then(h.respond, ask_inputs, ask_outputs, concurrency_limit=CONCURRENCY, **private)
        evidence.click(h.open_citation, [answers], panel, **private)
        new.click(h.new_topic, None, [chatbot, answers, *panel], queue=False, **private)
        chatbot.clear(h.new_topic, None, [chatbot, answers, *panel], queue=False, **private)
        chat_tab.select(h.filters, None, filters, **private)

        writes = {"concurrency_limit": 1, "concurrency_id": INDEX_WRITES, **private}
        files.upload(
            h.add_files, [files], [report, files, *lib], show_progress_on=[report], **writes
        )
        refresh.click(h.library_view, None, lib, **private)
        library_tab.select(h.library_view, None, lib, **private)
        document.change(h.speakers_of, [document], [old, new_name], **private)
        rename_btn.click(
            h.rename, [document, old, new_name], [edit_status, *lib, old, new_name], **writes
        )
        # (asked first in the browser: a cancelled removal sends no document)
        remove_btn.click(None, [document], [confirmed], js=CONFIRM_REMOVE, **private).then(
            h.remove, [confirmed], [edit_status, *lib], **writes
        )
        topic.submit(h.who_said, [topic], [who], **private)

        demo.load(h.on_load, None, [*lib, chatbot], **private)
        gr.api(h.chat, api_name="chat", concurrency_limit=CONCURRENCY)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo


def warm_up(corpus: rag.Corpus) -> None:
    """Load the index, the model and the dictionary, so the first question does not wait."""
    try:
        corpus.retrieve("interview", k=1)
    except Exception as e:  # no index yet, or a store that is down: the chat will say so
        log.info("warm-up skipped: %s", e)


def start(
    corpus: rag.Corpus | None = None,
    host: str = "127.0.0.1",
    port: int | None = 7860,
    *,
    quiet: bool = False,
    warm: bool = True,
) -> tuple[gr.Blocks, str]:
    """Serve the chat in the background; returns the app and its local URL. With `warm`, the
    index and model load in a background thread meanwhile."""
    corpus = corpus or rag.open()
    demo = build_app(corpus)
    demo.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=True,
        show_error=False,
        quiet=quiet,
        css=CSS,
        js=PAGE_JS,
        max_file_size=corpus.config.max_file_bytes,
    )
    if warm:
        warm_in_background(corpus)
    return demo, demo.local_url


def warm_in_background(corpus: rag.Corpus) -> threading.Thread:
    """Run `warm_up` in a thread of its own (returned, to be joined)."""
    thread = threading.Thread(target=warm_up, args=(corpus,), name="warm-up", daemon=True)
    thread.start()
    return thread


def stop_on_signals() -> threading.Event:
    """An event set by Ctrl-C (SIGINT) or SIGTERM (`kill`, a service manager, a container
    stopping), so the chat closes its server and the process exits normally, its temporary
    files removed. The signal only sets the event: nothing is interrupted halfway (an import,
    a model loading). A second signal stops at once."""
    stop = threading.Event()

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    return stop


def launch(corpus: rag.Corpus | None = None, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the chat until Ctrl-C or SIGTERM (`rag ui`)."""
    stop = stop_on_signals()
    corpus = corpus or rag.open()
    demo, _ = start(corpus, host, port, warm=False)
    warming = warm_in_background(corpus)
    try:
        while demo.is_running and not stop.wait(0.2):  # as Gradio's block_thread, a stop aside
            pass
    finally:
        demo.close()
        # not left loading at interpreter exit, in the middle of native code
        warming.join(timeout=30)
