"""Run a call that streams text to a callback, and read it as a generator (for the chat)."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_END = object()


class Streamed(Generic[T]):
    """`for draft in Streamed(work): …` runs `work(on_token)` in a thread and yields the text
    it has streamed so far, at most every `every` seconds (and at once for the first piece);
    afterwards `.result` holds what `work` returned. An exception in `work` is raised by the
    loop, after the drafts it streamed.

    >>> s = Streamed(lambda say: (say("Hel"), say("lo"), 42)[-1], every=0)
    >>> list(s), s.result
    (['Hel', 'Hello'], 42)
    """

    def __init__(self, work: Callable[[Callable[[str], None]], T], every: float = 0.15):
        self.work = work
        self.every = every
        self.result: T | None = None

    def __iter__(self) -> Iterator[str]:
        pieces: queue.Queue = queue.Queue()
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["result"] = self.work(pieces.put)
            except BaseException as e:  # raised again in the reading thread
                outcome["error"] = e
            finally:
                pieces.put(_END)

        threading.Thread(target=run, name="streamed", daemon=True).start()
        text, last = "", float("-inf")
        while (piece := pieces.get()) is not _END:
            text += piece
            if time.monotonic() - last >= self.every:
                last = time.monotonic()
                yield text
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        self.result = outcome["result"]  # type: ignore[assignment]
