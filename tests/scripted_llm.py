"""A scripted stand-in for a language model, through llama-index's LLM interface (fast tier)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_completion_callback


class ScriptedLLM(CustomLLM):
    """Answers from a script: `answer` for the question, `judge(statement)` for a support
    check, `translation` for a translation request. Records every prompt it reads."""

    answer: str = ""
    verdict: Callable[[str], str] = lambda statement: "yes"
    translation: str = "My translation."
    prompts: list[str] = []
    chunk: int = 3

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=4096, num_output=256, model_name="scripted")

    def _reply(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if "Statement:" in prompt:
            statement = prompt.split('Statement: "', 1)[1].split('"\n', 1)[0]
            return self.verdict(statement)
        if "Translate passage" in prompt:
            return self.translation
        return self.answer

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kw: Any) -> CompletionResponse:
        return CompletionResponse(text=self._reply(prompt))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kw: Any
    ) -> CompletionResponseGen:
        text = self._reply(prompt)

        def gen() -> CompletionResponseGen:
            for i in range(0, len(text), self.chunk):
                piece = text[i : i + self.chunk]
                yield CompletionResponse(text=text[: i + self.chunk], delta=piece)

        return gen()


def scripted(answer: str, **kw: Any) -> ScriptedLLM:
    return ScriptedLLM(answer=answer, prompts=[], **kw)
