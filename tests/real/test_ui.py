"""The Gradio chat, served for real: a browser (Debian's Chromium via Playwright), the
gradio_client API, and the function behind the chat. Uses the fake embedder.

Needs `apt-get install chromium fonts-noto-cjk`; Playwright never downloads a browser here.
"""

import html
import re
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from index import embed
from index.ingest import ingest
from rag import Config, ask, retrieve
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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BUNDLED = (
    "karpathy-no-priors-2024_zh-hans_huxiu.txt",
    "karpathy-no-priors-2024_zh-hant_tencent.txt",
)
HUMANOID_Q = "人形机器人的第一个应用领域会是什么?"
ZEBRA_Q = "Tell me about your zebra story."
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
MD_IMAGE = "![x](http://127.0.0.1:9/x.png)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(config: Config):
    """The app on a free loopback port, in this process; closed afterwards."""
    demo = ui_app.build_app(config)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture
def config(fake_model) -> Config:
    return Config.from_env()


@pytest.fixture
def bundled(config) -> Config:
    report = ingest(None, config)
    assert report.documents == 2 and not report.problems
    return config


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
def evil(config, tmp_path, trap) -> Config:
    path = tmp_path / "evil-interview.txt"
    path.write_text(EVIL.replace("TRAP", trap[0]), encoding="utf-8")
    assert ingest([path], config).documents == 1
    # The payload really is in the stored passage, so the browser test means something.
    (text,) = [
        c.text for c in retrieve("zebra story", k=10, config=config) if "striped zebra" in c.text
    ]
    assert SCRIPT in text and IMG in text and MD_IMAGE in text
    assert not ask(ZEBRA_Q, speaker="Mallory", config=config).abstained  # what the browser asks
    return config


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


@pytest.fixture
def page(browser):
    """A fresh page that records every request and dialog."""
    context = browser.new_context(viewport={"width": 1200, "height": 1100})
    page = context.new_page()
    page.requests, page.dialogs = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def ask_in_browser(page, url: str, question: str, speaker: str | None = None):
    """Type a question, submit it, wait for the reply; returns the answer bubble and sources title."""
    from playwright.sync_api import expect

    page.goto(url)
    if speaker:
        page.get_by_label("Speaker").click()
        page.get_by_role("option", name=speaker, exact=True).click()
        expect(page.get_by_label("Speaker")).to_have_value(speaker)
    box = page.get_by_test_id("textbox")
    box.fill(question)
    box.press("Enter")
    sources = page.get_by_text(re.compile(r"^Sources · \d+ passages?$"))
    expect(sources).to_be_visible()
    return page.get_by_test_id("bot").first, sources


def settle(page) -> None:
    """Wait for running animations (the sources panel slides open) to finish."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


def test_browser_chat_answers_with_cited_passages(bundled, page):
    from playwright.sync_api import expect

    with serve(bundled) as url:
        answer, sources = ask_in_browser(page, url, HUMANOID_Q)
        text = answer.inner_text()
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
        assert markers, text
        # Sources start collapsed, so the answer reads first.
        expect(page.locator(".rag-source")).to_have_count(0)
        sources.click()
        cards = page.locator(".rag-source")
        expect(cards).to_have_count(5)  # k = 5
        expect(cards.first).to_contain_text("[1]")
        # every [n] of the answer points at a shown passage, its quoted sentence highlighted
        for n in markers:
            card = cards.filter(has_text=f"[{n}] ")
            expect(card).to_have_count(1)
            expect(card.locator("mark").first).to_be_visible()
        # the passage where Karpathy answers it: factories, then warehouses, moving materials
        card = cards.filter(has_text="物料搬运").first
        expect(card).to_be_visible()
        expect(card).to_contain_text("Andrej Karpathy")
        expect(card).to_contain_text(re.compile("|".join(map(re.escape, BUNDLED))))
        expect(card).to_contain_text(re.compile(r"turn \d+"))
        expect(card).to_contain_text("Q: 你觉得人形机器人的第一个应用领域会是什么?")
        settle(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ui-chat.png"), full_page=True)
    assert not page.dialogs


def test_browser_renders_hostile_passage_as_text(evil, trap, page):
    from playwright.sync_api import expect

    base, hits = trap
    with serve(evil) as url:
        answer, sources = ask_in_browser(page, url, ZEBRA_Q, speaker="Mallory")
        expect(answer).to_contain_text(
            f'striped zebra <img src="{base}/z.png"> <img src=x onerror="window.__pwned=3;alert(3)">'
        )
        sources.click()
        card = page.locator(".rag-source").filter(has_text="striped zebra").first
        expect(card).to_contain_text(SCRIPT)
        expect(card).to_contain_text(IMG)
        expect(card).to_contain_text(MD_IMAGE)
        expect(card).to_contain_text(f"![y]({base}/y.png)")
        expect(card).to_contain_text(f"Q: Tell me about your zebra story. ![q]({base}/q.png)")
        expect(card.locator("mark").first).to_contain_text('zebra <img src="http')
        settle(page)
        page.wait_for_timeout(500)  # give an injected onerror or image load the time to fire
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ui-hostile.png"), full_page=True)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator('img[src="x"]').count() == 0
        bot = page.get_by_test_id("bot")
        assert bot.locator("img, script, a, iframe").count() == 0
    assert not page.dialogs
    assert not hits
    assert not [u for u in page.requests if u.startswith((base, "http://127.0.0.1:9/", url + "x"))]
    # and nothing was fetched from anywhere but the app itself (the UI works offline)
    assert not [u for u in page.requests if u.startswith("http") and not u.startswith(url)]


def test_client_chat_endpoint(bundled):
    with serve(bundled) as url:
        client = Client(url, verbose=False)
        text, details = client.predict(HUMANOID_Q, api_name="/chat")
        assert "[1]" in text
        answer_text = text.split("\n\n")[0]
        assert answer_text == details["text"] and re.search(r"\[\d+\]", answer_text)
        assert details["citations"] and not details["abstained"]
        for c in details["citations"]:
            assert f"[{c['n']}] {c['speaker']} — {c['source']}, turn {c['turn']}" in text
        assert "Andrej Karpathy" in text and any(name in text for name in BUNDLED)
        assert "物料搬运" in text

        text, details = client.predict(HUMANOID_Q, "Sarah Guo", "any", 3, api_name="/chat")
        assert len(details["citations"]) == 3
        assert {c["speaker"] for c in details["citations"]} == {"Sarah Guo"}

        with pytest.raises(AppError, match="the question is empty"):
            client.predict("   ", api_name="/chat")
        with pytest.raises(AppError, match="k must be from 1 to 10"):
            client.predict(HUMANOID_Q, "any", "any", 11, api_name="/chat")


def test_chats_run_concurrently_on_one_model(bundled, monkeypatch):
    """Several chats are answered at once, and the model is loaded once for all of them."""
    made = []
    factory = embed.FACTORIES[bundled.embed_model]
    monkeypatch.setitem(
        embed.FACTORIES, bundled.embed_model, lambda c: made.append(1) or factory(c)
    )
    monkeypatch.setattr(embed, "_cache", {})  # forget the embedder the ingest loaded
    active, peak, lock = [0], [0], threading.Lock()
    real_ask = ui_app.ask

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

    monkeypatch.setattr(ui_app, "ask", slow_ask)
    with serve(bundled) as url:
        client = Client(url, verbose=False)
        started = time.perf_counter()
        jobs = [client.submit(HUMANOID_Q, api_name="/chat") for _ in range(4)]
        results = [job.result(timeout=60) for job in jobs]
        took = time.perf_counter() - started
    assert all("Andrej Karpathy" in text for text, _ in results)
    assert peak[0] >= 3, peak
    assert took < 3.5, took  # four 1-second answers, not one after another
    assert len(made) == 1


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


def test_chat_function_shows_errors_not_traces(config, tmp_path, monkeypatch):
    respond = ui_app.make_respond(config)
    # no index yet
    message = respond(HUMANOID_Q, [])
    assert (
        "no index yet" in message.content and "run <code>rag ingest</code> first" in message.content
    )
    assert "Traceback" not in message.content

    path = tmp_path / "small.txt"
    path.write_text(EVIL.replace("TRAP", "http://127.0.0.1:9"), encoding="utf-8")
    ingest([path], config)
    for empty in ("", "   \n"):
        message = respond(empty, [])
        assert (
            html.unescape(message.content)
            == "⚠️ the question is empty: ask something about the interview"
        )
    message = respond("zebra", [], "Nobody", "any", 5)
    assert "no speaker matches" in message.content

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(ui_app, "ask", broken)
    message = respond("zebra", [])
    assert "Something went wrong" in message.content
    assert "secret" not in message.content and "Traceback" not in message.content
