"""The Gradio chat, served for real: a browser (Debian's Chromium via Playwright), the
gradio_client and plain HTTP API, another process ingesting while the chat runs (embedded
Chroma and a `chroma run` server). The main flow uses the real model; the rest the fake one.

Needs `apt-get install chromium fonts-noto-cjk`; Playwright never downloads a browser here.
Screenshots go to test-artifacts/ (git-ignored).
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

import rag
from index.config import PROJECT_ROOT
from rag.render import prompted_by
from tests.fakes import HashingEmbedder
from tests.support import free_port, wait_until_served
from ui import app as ui_app

pytestmark = pytest.mark.real

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
REAL = PROJECT_ROOT / "eval" / "real"
BUNDLED = (
    "karpathy-no-priors-2024_zh-hans_huxiu.txt",
    "karpathy-no-priors-2024_zh-hant_tencent.txt",
)
HUMANOID_Q = "人形机器人的第一个应用领域会是什么?"
ZEBRA_Q = "Tell me about your zebra story."
FESTIVAL_Q = "What happens at the zebra quokka festival?"
FESTIVAL = (
    "Quinn: Tell me about the zebra quokka festival?\n"
    "Zed: It happens every spring on Rottnest island, with zebra parades and quokka races.\n"
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 30_000

# Written by the test: tags arrive HTML-escaped because ingest strips raw tags and then decodes
# entities, so this is how markup reaches a stored passage. Chromium refuses port 9
# (ERR_UNSAFE_PORT; the page still reports the attempt), so TRAP, a live server that records
# every fetch, also proves from the server side that nothing was loaded.
EVIL = """\
Host: Tell me about your zebra story. ![q](TRAP/q.png)

Mallory: My zebra story is about a striped zebra &lt;img src="TRAP/z.png"&gt; &lt;img src=x onerror="window.__pwned=3;alert(3)"&gt; that escaped from the city zoo. The page showed &lt;script&gt;window.__pwned=1&lt;/script&gt; and &lt;img src=x onerror="window.__pwned=2;alert(2)"&gt; and ![x](http://127.0.0.1:9/x.png) and ![y](TRAP/y.png) as plain text.

Host: How was the weather on the trip?

Mallory: The weather was sunny and warm all week in the valley.

Host: What did you cook for dinner?

Mallory: I cooked noodles with garlic, ginger and green onions every night.

Host: Which books are you reading?

Mallory: Mostly old detective novels, and a history of the printing press.

Host: Do you play any music?

Mallory: I play the cello badly, mostly scales and one slow waltz.

Host: Where did you grow up?

Mallory: In a fishing town on the northern coast, near a lighthouse.

Host: What is your favourite tool?

Mallory: A cheap pocket knife my grandfather gave me when I was nine.

Host: How do you spend Sundays?

Mallory: Long walks with the dog, then a nap, then a crossword puzzle.

Host: What sport do you follow?

Mallory: Cycling, especially the mountain stages of the big summer races.

Host: What are you learning now?

Mallory: Basic Japanese, twenty minutes every morning before work.
"""
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2;alert(2)">'
MD_LINK = "[x](http://127.0.0.1:9/x.png)"  # ingest keeps the "!" before it apart


@contextmanager
def serve(corpus: rag.Corpus):
    """The app on a free loopback port, in this process; closed afterwards."""
    demo, url = ui_app.start(corpus, port=free_port(), quiet=True)
    try:
        yield url
    finally:
        demo.close()


def rag_child(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`rag ARGS` in another process, with the fake embedder, on this test's RAG_HOME."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.fakes", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def excerpt(tmp_path: Path, until: float = 300.0) -> Path:
    """The first minutes of a real podcast's captions (with its speaker map), so the real
    model embeds a few dozen passages rather than hundreds."""
    source = REAL / "metamuse-33-cities-excerpt.vtt"
    blocks = source.read_text(encoding="utf-8-sig").split("\n\n")
    keep = []
    for block in blocks:
        m = re.search(r"^(\d+):(\d+):(\d+)\.\d+ -->", block, re.M)
        if m and int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) >= until:
            break
        keep.append(block)
    out = tmp_path / "upload"
    out.mkdir()
    (out / source.name).write_text("\n\n".join(keep) + "\n", encoding="utf-8")
    speakers = source.with_name(source.name + ".speakers.yaml")
    (out / speakers.name).write_bytes(speakers.read_bytes())
    (out / "episode.m4a").write_bytes(b"\x00\x00\x00\x20ftypM4A ")  # a recording, no transcript
    return out


def shot(page, name: str, full_page: bool = True) -> None:
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def settle(page) -> None:
    """Wait for running animations (a panel sliding open) to finish."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


@pytest.fixture
def trap():
    """A loopback HTTP server that records every request it gets: (base url, paths)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def evil(bundled, tmp_path, trap) -> rag.Corpus:
    path = tmp_path / "evil-interview.txt"
    path.write_text(EVIL.replace("TRAP", trap[0]), encoding="utf-8")
    assert bundled.ingest([path]).added == ["evil-interview.txt"]
    # The payload really is in the stored passage, so the browser test means something.
    (text,) = [c.text for c in bundled.retrieve("zebra story", k=10) if "striped zebra" in c.text]
    assert SCRIPT in text and IMG in text and MD_LINK in text
    assert not bundled.ask(ZEBRA_Q, speaker="Mallory").abstained  # what the browser asks
    return bundled


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(browser, viewport=DESKTOP, **options):
    """A page that records every request and dialog."""
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.requests, page.dialogs = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    # (a test that answers a dialog itself takes this listener off)
    page.dismiss_dialogs = lambda d: (page.dialogs.append(d.message), d.dismiss())
    page.on("dialog", page.dismiss_dialogs)
    page.set_default_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def page(browser):
    p = new_page(browser)
    yield p
    p.context.close()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def pick(page, label: str, option: str) -> None:
    """Choose an option of a Gradio dropdown."""
    from playwright.sync_api import expect

    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_label(label, exact=True)).to_have_value(option)


def ask(page, question: str, speaker: str | None = None):
    """Ask in the open chat and wait for the reply; returns the answer's locator."""
    from playwright.sync_api import expect

    if speaker:
        page.get_by_text("Filters").click()
        pick(page, "Speaker", speaker)
    before = page.locator(".rag-answer:not(.rag-draft), .rag-chat-error").count()
    box = page.locator("#rag-question textarea")
    box.fill(question)
    box.press("Enter")
    replies = page.locator(".rag-answer:not(.rag-draft), .rag-chat-error")
    expect(replies).to_have_count(before + 1)
    return replies.nth(before)


def sources_of(page):
    """Open the collapsed sources under the latest reply; returns their cards."""
    from playwright.sync_api import expect

    title = page.get_by_text(re.compile(r"^(Sources · \d+ passages?(, \d+ quoted)?|Closest passages.*)$")).last
    expect(title).to_be_visible()
    title.click()
    cards = page.locator(".rag-sources").last.locator(".rag-source")
    expect(cards.first).to_be_visible()
    return cards


def test_upload_ask_follow_up_and_open_the_evidence(real_bundled, page, tmp_path):
    """The main flow, with the real model: bring a podcast's captions in, ask, follow up,
    open a citation in context, copy the quote, export the answer."""
    from playwright.sync_api import expect

    upload = excerpt(tmp_path)
    started = time.perf_counter()
    with serve(real_bundled) as url:
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200
        up = time.perf_counter() - started
        assert up <= 3.0, f"the chat took {up:.1f} s to come up"

        page.goto(url)
        open_tab(page, "Library")
        expect(page.locator("#rag-library")).to_contain_text(BUNDLED[0])
        page.locator("#rag-upload input[type=file]").set_input_files(
            sorted(str(p) for p in upload.iterdir())
        )
        report = page.locator("#rag-report tbody tr")
        expect(report).to_have_count(4, timeout=120_000)
        # (the bundled sample is still indexed: the report says answers may quote it)
        expect(report.filter(has_text="sample interview")).to_contain_text("remove it under Library")
        vtt = report.filter(has_text="metamuse-33-cities-excerpt.vtt").first
        expect(vtt).to_contain_text("vtt")
        expect(vtt).to_contain_text("Adam Wiggins, Devon Zuegel, Mark McGranaghan")
        assert int(vtt.locator("td").nth(3).inner_text()) > 10
        expect(report.filter(has_text="episode.m4a")).to_contain_text(
            ".m4a is audio or video, not a transcript: transcribe it first"
        )
        expect(report.filter(has_text="excerpt.vtt.speakers.yaml")).to_contain_text(
            "speaker map for metamuse-33-cities-excerpt.vtt"
        )
        row = page.locator("#rag-library tr", has_text="metamuse-33-cities-excerpt.vtt")
        expect(row).to_contain_text("Devon Zuegel")
        expect(row).to_contain_text(re.compile(r"0[45]:\d\d"))  # its length
        shot(page, "ui-upload.png")

        open_tab(page, "Chat")
        expect(page.locator("#rag-mode")).to_be_hidden()  # no language model configured
        first = ask(page, "What did Devon do at GitHub?")
        expect(first).to_contain_text("product manager at GitHub")
        expect(first.locator(".rag-meta")).to_contain_text(re.compile(r"answered in \d+ (ms|s)"))
        cards = sources_of(page)
        card = cards.filter(has_text="product manager at GitHub").first
        expect(card).to_contain_text("Devon Zuegel · metamuse-33-cities-excerpt.vtt · turn 11")
        # the moment of the quoted sentence's caption (00:01:50.190), not the passage's first (01:39)
        expect(card).to_contain_text("[01:50]")

        second = ask(page, "And what about Miami?")
        expect(second.locator(".rag-meta")).to_contain_text(
            "read as “What did Devon do at GitHub? Miami?”"
        )
        expect(second).to_contain_text("moved to Miami")

        # the [n] that marks the first answer's product-manager sentence opens its passage in
        # context (its number is the one on that passage's source card)
        marker = card.locator(".rag-cite").first.inner_text()
        first.locator(".rag-cite", has_text=marker).first.click()
        evidence = page.locator("#rag-evidence")
        expect(evidence).to_contain_text("Answer to “What did Devon do at GitHub?”")
        expect(evidence.locator(".rag-this")).to_contain_text("product manager at GitHub")
        expect(evidence.locator(".rag-ev-head")).to_contain_text("[01:50]")  # the quote's moment
        before = evidence.locator(".rag-around").first
        expect(before).to_contain_text(
            re.compile(r"Adam Wiggins \((host|guest)\) · turn 10 · \[01:30\]")
        )
        expect(before).to_contain_text("can you tell us what your background is")
        quote = page.locator("#rag-quote textarea")
        expect(quote).to_have_value(re.compile(r"^> .*product manager at GitHub", re.S))
        expect(quote).to_have_value(
            re.compile(r"\n— Devon Zuegel, metamuse-33-cities-excerpt\.vtt, \[01:50\]$")
        )
        with page.expect_download() as download:
            page.locator("#rag-export").click()
        markdown = Path(download.value.path()).read_text(encoding="utf-8")
        assert markdown.startswith("**Q:** What did Devon do at GitHub?")
        assert "Devon Zuegel — metamuse-33-cities-excerpt.vtt, turn 11 [01:50]" in markdown

        # screen readers hear each message's text, not its markup
        labels = page.locator('[data-testid="bot"]').evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"
        )
        assert labels and all("<" not in a and "&#" not in a for a in labels), labels
        assert any("product manager at GitHub" in a for a in labels)
        shot(page, "ui-answer.png")
    assert not page.dialogs


def test_gradio_loads_without_rewriting_its_type_stubs():
    """ui/__init__.py keeps Gradio from rewriting its .pyi files on import (~3 s a start)."""
    import gradio.component_meta

    assert gradio.component_meta.create_or_modify_pyi.__name__ == "<lambda>"


def test_an_empty_or_over_long_question_asks_nothing(bundled):
    """An empty box asked nothing but put "the question is empty" inside the last answer's
    bubble; a question over the limit was echoed whole, refused, and gone from the box. A
    declined answer opened its closest passage as if it were the answer's evidence."""
    import gradio as gr

    from ui.handlers import Handlers

    h = Handlers(bundled)
    chat = [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}]
    assert h.take("   ", chat) == ("", chat, "")
    assert list(h.respond("", chat, [], "any", "any", 5)) == [
        (chat, [], gr.update(), gr.update(), gr.update(), gr.update(), gr.update())
    ]
    long = "为什么" * 1000
    box, shown, pending = h.take(long, chat)
    assert (box, shown[:2], pending) == (long, chat, "")  # kept to be shortened; nothing asked
    # its own exchange, the question's opening then the error: an error alone was shown
    # inside the previous answer's bubble
    assert shown[2]["role"] == "user" and shown[2]["content"].endswith(" …</p>")
    assert len(shown[2]["content"]) < 300
    assert shown[3]["role"] == "assistant"
    assert "3000 characters long; the limit is 2000" in shown[3]["content"]
    assert long not in shown[3]["content"]
    *_, (_, answers, _, _, html, quote, export) = h.respond(
        "How many employees does Eureka Labs have?", [], [], "any", "any", 5)
    assert answers[0].abstained and answers[0].related and quote == "" and not export["interactive"]


def test_the_library_says_what_to_do_with_an_index_it_cannot_read(bundled):
    """An index an earlier version built: the library said only "see the server log", which a
    browser user cannot see; it now gives the one line to act on."""
    from index.store import Store
    from ui.handlers import Handlers

    store = Store(bundled.config)
    manifest = store.manifest()
    manifest.chunker = "turns-v0"
    store.save_manifest(manifest)
    html = Handlers(rag.open(bundled.config, embedder=bundled.embedder)).library_view()[0]
    assert "this version uses" in html and "run <code>rag ingest --rebuild</code>" in html, html


def test_answer_exports_are_removed_with_the_app(bundled):
    """The Markdown files the evidence panel offers live in one temporary folder per app,
    removed when the app goes (no folder left in /tmp per server start or test)."""
    import gc

    from ui.handlers import Handlers

    h = Handlers(bundled)
    answers = [bundled.ask("Is Tesla ahead of Waymo?")]
    *_, export = h.evidence(answers, 0, 1)
    path = Path(export["value"])
    assert path.read_text(encoding="utf-8").startswith("**Q:** Is Tesla") and path.is_relative_to(h._exports)
    folder = h._exports
    del h
    gc.collect()
    assert not folder.exists()


def test_compose_streams_a_draft_then_the_checked_answer(real_bundled, local_llm, page):
    """With the local model: the Quote / Compose switch shows, a composed answer streams in
    as a draft, and the checked answer replaces it, in English for an English question."""
    from playwright.sync_api import expect

    corpus = rag.open(
        real_bundled.config,
        embedder=real_bundled.embedder,
        glossary=real_bundled.glossary,
        llm=local_llm,
    )
    with serve(corpus) as url:
        page.goto(url)
        expect(page.locator("#rag-mode")).to_be_visible()
        page.get_by_label("Compose").check()
        box = page.locator("#rag-question textarea")
        box.fill("Why does Karpathy think Tesla is ahead of Waymo?")
        box.press("Enter")
        draft = page.locator(".rag-draft")
        expect(draft).to_have_count(1, timeout=120_000)  # the model's words as they come
        expect(draft).to_contain_text("writing…")
        ARTIFACTS.mkdir(exist_ok=True)  # at once: the draft lasts only while the model writes
        page.screenshot(path=str(ARTIFACTS / "ui-compose-draft.png"))
        final = page.locator(".rag-answer:not(.rag-draft)")
        expect(final).to_have_count(1, timeout=240_000)
        expect(draft).to_have_count(0)  # replaced by the checked answer
        meta = final.locator(".rag-meta")
        expect(meta).to_contain_text(
            re.compile(r"written by the language model|quoted: the model's sentences")
        )
        if "written by the language model" in meta.inner_text():
            text = final.locator("p").first.inner_text()
            latin = len(re.findall(r"[A-Za-z]", text))
            assert latin > 2 * len(re.findall(r"[\u4e00-\u9fff]", text)), text  # English
            expect(final.locator(".rag-cite").first).to_be_visible()
        sources_of(page)
        shot(page, "ui-compose.png")


def test_phone_layout_keeps_the_chat_above_the_fold(bundled, browser):
    from playwright.sync_api import expect

    page = new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        with serve(bundled) as url:
            page.goto(url)
            box = page.locator("#rag-question textarea")
            expect(box).to_be_visible()
            chat = page.locator("#rag-chat")
            for element in (box, chat):
                b = element.bounding_box()
                assert b["y"] >= 0 and b["y"] + b["height"] <= PHONE["height"], b
            answer = ask(page, HUMANOID_Q)
            expect(answer.locator(".rag-cite").first).to_be_visible()
            assert box.bounding_box()["y"] + 40 <= PHONE["height"]  # still in view
            shot(page, "ui-phone.png", full_page=False)  # what the phone shows
            answer.locator(".rag-cite").first.tap()
            evidence = page.locator("#rag-evidence")
            expect(evidence.locator(".rag-this")).to_be_visible()
            expect(evidence).to_be_in_viewport()
            shot(page, "ui-phone-evidence.png", full_page=False)
    finally:
        page.context.close()


def test_live_ingest_from_another_process(bundled, page, tmp_path):
    """Documents another process adds or removes are answered from, listed and filtered on,
    in the open page, without a restart."""
    from playwright.sync_api import expect

    festival = tmp_path / "zebra-festival.txt"
    festival.write_text(FESTIVAL, encoding="utf-8")
    with serve(bundled) as url:
        page.goto(url)
        before = ask(page, FESTIVAL_Q)
        expect(before).to_contain_text("do not cover")

        rag_child("ingest", str(festival))
        after = ask(page, FESTIVAL_Q)
        expect(after).to_contain_text("zebra parades")
        expect(sources_of(page).first).to_contain_text("Zed · zebra-festival.txt · turn 2")
        page.get_by_text("Filters").click()
        pick(page, "Speaker", "Zed")  # the filter lists the new speaker
        pick(page, "Speaker", "any")
        open_tab(page, "Library")
        expect(page.locator("#rag-library")).to_contain_text("zebra-festival.txt")
        expect(page.locator("#rag-library")).to_contain_text("3 documents")

        rag_child("remove", "zebra-festival.txt")
        open_tab(page, "Chat")
        gone = ask(page, FESTIVAL_Q)
        expect(gone).to_contain_text("do not cover")
        expect(page.locator(".rag-chat-error")).to_have_count(0)
        open_tab(page, "Library")
        expect(page.locator("#rag-library")).not_to_contain_text("zebra-festival.txt")
        shot(page, "ui-live.png")

        open_tab(page, "Chat")
        page.get_by_role("button", name="New topic").click()
        expect(page.locator(".rag-answer")).to_have_count(0)
        expect(page.locator("#rag-evidence")).to_contain_text("Click a [n] in an answer")
        # a question over the limit says so in the chat (a toast never reached the page) and
        # stays in the box to be shortened
        expect(ask(page, "为什么" * 1000)).to_contain_text("3000 characters long; the limit is 2000")
        expect(page.locator("#rag-question textarea")).to_have_value("为什么" * 1000)


def test_who_said_what_and_speaker_rename(bundled, page):
    from playwright.sync_api import expect

    with serve(bundled) as url:
        page.goto(url)
        open_tab(page, "Library")
        pick(page, "Document", BUNDLED[0])
        pick(page, "Speaker in this document", "No Priors")
        new = page.get_by_label("New name (another speaker's name merges them)")
        new.fill("Sarah Guo & Elad Gil")
        new.press("Enter")
        page.get_by_role("button", name="Rename / merge").click()
        expect(page.locator("#rag-edit-status")).to_contain_text(
            f"Renamed No Priors to Sarah Guo & Elad Gil in {BUNDLED[0]}"
        )
        row = page.locator("#rag-library tr", has_text=BUNDLED[0])
        expect(row).to_contain_text("Sarah Guo & Elad Gil (host)")
        expect(row).not_to_contain_text("No Priors")

        open_tab(page, "Who said what")
        topic = page.locator("#rag-topic textarea")
        topic.fill("Waymo")
        topic.press("Enter")
        table = page.locator("#rag-who-said table")
        expect(table).to_contain_text("“Waymo”")
        rows = table.locator("tr:not(.rag-doc)")
        expect(rows).to_have_count(5)  # every speaker of both documents, said something or not
        expect(table.locator("tr.rag-spoke", has_text="Andrej Karpathy").first).to_contain_text(
            "Waymo"
        )
        shot(page, "ui-who-said.png")

        open_tab(page, "Library")
        pick(page, "Document", BUNDLED[1])
        seen = []

        def answer(dialog):  # asked first: cancelled, then confirmed
            seen.append(dialog.message)
            dialog.dismiss() if len(seen) == 1 else dialog.accept()

        page.remove_listener("dialog", page.dismiss_dialogs)
        page.on("dialog", answer)
        page.get_by_role("button", name="Remove this document").click()
        expect(page.locator("#rag-edit-status")).to_contain_text("Nothing removed")
        expect(page.locator("#rag-library")).to_contain_text(BUNDLED[1])
        pick(page, "Document", BUNDLED[1])
        page.get_by_role("button", name="Remove this document").click()
        expect(page.locator("#rag-edit-status")).to_contain_text(f"Removed {BUNDLED[1]}")
        expect(page.locator("#rag-library")).to_contain_text("1 document,")
        expect(page.locator("#rag-library")).not_to_contain_text(BUNDLED[1])
        assert seen == [f"Remove {BUNDLED[1]} from the index? Its passages and speaker names go; "
                        "the file itself stays where it is."] * 2
    assert bundled.speakers() == ["Andrej Karpathy", "Sarah Guo & Elad Gil"]


def test_browser_renders_hostile_passage_as_text(evil, trap, page):
    from playwright.sync_api import expect

    base, hits = trap
    with serve(evil) as url:
        page.goto(url)
        answer = ask(page, ZEBRA_Q, speaker="Mallory")
        shown = f'striped zebra <img src="{base}/z.png"> <img src=x onerror="window.__pwned=3;'
        expect(answer).to_contain_text(shown)
        card = sources_of(page).filter(has_text="striped zebra").first
        expect(card).to_contain_text(SCRIPT)
        expect(card).to_contain_text(IMG)
        expect(card).to_contain_text(MD_LINK)
        expect(card).to_contain_text(f"[y]({base}/y.png)")
        (cited,) = [c for c in evil.retrieve(ZEBRA_Q, k=10) if "striped zebra" in c.text]
        expect(card).to_contain_text(f"{prompted_by(cited.question)} {cited.question}")
        expect(card.locator("mark").first).to_contain_text('zebra <img src="http')
        card.locator(".rag-cite").click()
        evidence = page.locator("#rag-evidence")
        expect(evidence.locator(".rag-this")).to_contain_text(SCRIPT)
        expect(evidence.locator(".rag-around").first).to_contain_text(
            "Host (host) · turn 1Tell me about your zebra story."
        )
        page.wait_for_timeout(500)  # give an injected onerror or image load the time to fire
        shot(page, "ui-hostile.png")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator('img[src="x"]').count() == 0
        assert page.get_by_test_id("bot").locator("img, script, a, iframe").count() == 0
        assert evidence.locator("img, script, a, iframe").count() == 0
    assert not page.dialogs
    assert not hits
    assert not [u for u in page.requests if u.startswith((base, "http://127.0.0.1:9/", url + "x"))]
    # and nothing was fetched from anywhere but the app itself (the UI works offline)
    assert not [u for u in page.requests if u.startswith("http") and not u.startswith(url)]


def http_chat(url: str, body: dict) -> tuple[str, list]:
    """POST /gradio_api/call/v2/chat, then read the event stream: (event, data)."""
    request = urllib.request.Request(
        f"{url}gradio_api/call/v2/chat",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        event_id = json.load(r)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/v2/chat/{event_id}", timeout=60) as r:
        stream = r.read().decode()
    event = re.findall(r"^event: (\w+)$", stream, re.M)[-1]
    data = json.loads(re.findall(r"^data: (.*)$", stream, re.M)[-1])
    return event, data


def test_api_needs_only_the_question(bundled, tmp_path, glossary):
    with serve(bundled) as url:
        event, (text, details) = http_chat(url, {"question": HUMANOID_Q})
        assert event == "complete"
        assert text.split("\n\n")[0] == details["text"] and re.search(r"\[\d+\]", details["text"])
        assert "物料搬运" in text and details["seconds"] > 0

        client = Client(url, verbose=False)
        text, details = client.predict(HUMANOID_Q, api_name="/chat")
        assert details["citations"] and not details["abstained"]
        for c in details["citations"]:
            assert f"[{c['n']}] {c['speaker']} — {c['source']}, turn {c['turn']}" in text
        assert "Andrej Karpathy" in text and any(name in text for name in BUNDLED)

        text, details = client.predict(HUMANOID_Q, "Sarah Guo", "any", 3, api_name="/chat")
        assert len(details["citations"]) == 3
        assert {c["speaker"] for c in details["citations"]} == {"Sarah Guo"}

        history = [{"role": "user", "content": "特斯拉在自动驾驶上领先吗?"}]
        _, details = client.predict("那 Waymo 呢?", history=history, api_name="/chat")
        assert details["standalone"].startswith("特斯拉在自动驾驶上领先吗?")

        with pytest.raises(AppError, match="the question is empty"):
            client.predict("   ", api_name="/chat")
        # a request without a question: the same line, not a bare 500 Internal Server Error
        event, data = http_chat(url, {})
        assert event == "error" and "the question is empty" in data["error"]
        with pytest.raises(AppError, match="k must be from 1 to 10"):
            client.predict(HUMANOID_Q, "any", "any", 11, api_name="/chat")
        api = client.view_api(print_info=False, return_format="dict")
        assert list(api["named_endpoints"]) == ["/chat"] and not api["unnamed_endpoints"]
    empty = rag.open(
        rag.Config(home=tmp_path / "empty"), embedder=HashingEmbedder(), glossary=glossary
    )
    with serve(empty) as url:  # nothing indexed yet: one line saying what to do
        event, data = http_chat(url, {"question": HUMANOID_Q})
        assert event == "error" and "no index yet" in data["error"]
        with pytest.raises(AppError, match=r"no index yet at .*: run `rag ingest` first"):
            Client(url, verbose=False).predict(HUMANOID_Q, api_name="/chat")


def test_chats_run_concurrently(bundled, monkeypatch):
    """Several chats are answered at once on the one corpus (and its one model)."""
    active, peak, lock = [0], [0], threading.Lock()
    real_ask = bundled.ask

    def slow_ask(*args, **kwargs):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(1.0)
        try:
            return real_ask(*args, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    with serve(bundled) as url:
        client = Client(url, verbose=False)
        client.predict(HUMANOID_Q, api_name="/chat")  # warm
        monkeypatch.setattr(bundled, "ask", slow_ask)
        started = time.perf_counter()
        jobs = [client.submit(HUMANOID_Q, api_name="/chat") for _ in range(4)]
        results = [job.result(timeout=60) for job in jobs]
        took = time.perf_counter() - started
    assert all("Andrej Karpathy" in text for text, _ in results)
    assert peak[0] >= 3, peak
    assert took < 3.5, took  # four 1-second answers, not one after another


def test_twenty_concurrent_chats_all_get_the_serial_answer(bundled):
    """20 chats at once through the queue: every one answered, each with the citations it gets
    when asked alone."""
    questions = [
        HUMANOID_Q,
        "特斯拉其实是一家机器人公司吗?",
        "Why is Tesla ahead of Waymo?",
        "合成數據有什麼風險?",
    ]
    with serve(bundled) as url:
        client = Client(url, verbose=False)
        alone = {q: client.predict(q, api_name="/chat")[1]["citations"] for q in questions}
        jobs = [(q, client.submit(q, api_name="/chat")) for q in questions * 5]
        results = [(q, job.result(timeout=120)) for q, job in jobs]
    assert len(results) == 20
    for q, (text, details) in results:
        assert [c["id"] for c in details["citations"]] == [c["id"] for c in alone[q]], q
        if details["citations"]:
            assert "[" in text


@contextmanager
def chroma_server(tmp_path: Path):
    """A `chroma run` server on a free port: its URL."""
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(tmp_path / "srv"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(f"{url}/api/v2/heartbeat", process, 60, "chroma run",
                          lambda: (tmp_path / "chroma.log").read_text())
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_server_mode_follows_another_process(tmp_path, glossary):
    """With a Chroma server, a running chat answers from what another process ingests and
    stops citing what it removes."""
    festival = tmp_path / "zebra-festival.txt"
    festival.write_text(FESTIVAL, encoding="utf-8")
    with chroma_server(tmp_path) as chroma:
        config = rag.Config.from_env({"RAG_HOME": str(tmp_path / "home"), "RAG_CHROMA_URL": chroma})
        corpus = rag.open(config, embedder=HashingEmbedder(), glossary=glossary)
        corpus.ingest([PROJECT_ROOT / "data" / "transcripts" / BUNDLED[0]])
        with serve(corpus) as url:
            client = Client(url, verbose=False)
            assert client.predict(FESTIVAL_Q, api_name="/chat")[1]["abstained"]
            rag_child(
                "ingest", str(festival), RAG_HOME=str(tmp_path / "other"), RAG_CHROMA_URL=chroma
            )
            text, details = client.predict(FESTIVAL_Q, api_name="/chat")
            assert "zebra parades" in details["text"]
            assert details["citations"][0]["source"] == "zebra-festival.txt"
            rag_child(
                "remove",
                "zebra-festival.txt",
                RAG_HOME=str(tmp_path / "other"),
                RAG_CHROMA_URL=chroma,
            )
            _, details = client.predict(FESTIVAL_Q, api_name="/chat")
            assert details["abstained"]
            assert "zebra-festival.txt" not in {c["source"] for c in details["citations"]}
