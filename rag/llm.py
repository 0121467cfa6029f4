"""The language model for generative answers, built from `Config` as a llama-index LLM.

    RAG_LLM=local                      # the GGUF that `make llm` installs (or RAG_LLM_PATH)
    RAG_LLM=http://localhost:11434/v1  # any OpenAI-compatible server: Ollama, vLLM, llama.cpp
    RAG_LLM_MODEL=qwen2.5:1.5b         # the server's model name
    RAG_LLM_API_KEY=…                  # or OPENAI_API_KEY; servers that want none get a dummy

Nothing is downloaded here: a local model must already be on disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.config import PROJECT_ROOT, Config
from index.errors import BadInputError

if TYPE_CHECKING:
    from llama_index.core.llms import LLM, ChatMessage

#: Where `make llm` (scripts/install-llm.sh) puts the local model; RAG_LLM_PATH overrides it.
DEFAULT_GGUF = PROJECT_ROOT / ".models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
INSTALL_HINT = "run `make llm`"


def make_llm(
    config: Config,
    *,
    max_tokens: int = 256,
    context_window: int = 2048,
    threads: int | None = None,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> LLM:
    """The LLM that `config.llm` names: "local" (llama.cpp on a GGUF file) or the base URL of an
    OpenAI-compatible endpoint. Greedy decoding, so the same question gets the same answer.

    Raises BadInputError for a missing model file or a bad setting, ImportError (naming the
    install command) when the backend's packages are missing.
    """
    if not config.llm:
        raise BadInputError(
            "no language model configured: set RAG_LLM=local (after `make llm`) "
            "or RAG_LLM=http://host:port/v1"
        )
    if config.llm == "local":
        path = config.llm_path or DEFAULT_GGUF
        return local_llm(
            path, max_tokens=max_tokens, context_window=context_window, threads=threads
        )
    if config.llm.startswith(("http://", "https://")):
        env = os.environ if env is None else env
        key = env.get("RAG_LLM_API_KEY") or env.get("OPENAI_API_KEY")
        return endpoint_llm(
            config.llm, config.llm_model, key, max_tokens=max_tokens, timeout=timeout
        )
    raise BadInputError(
        f"RAG_LLM must be `local` or an http(s) base URL such as http://localhost:11434/v1, "
        f"not {config.llm!r}"
    )


def endpoint_llm(
    base_url: str,
    model: str | None,
    api_key: str | None,
    *,
    max_tokens: int = 256,
    timeout: float = 120.0,
) -> LLM:
    """An OpenAI-compatible chat endpoint (`…/v1`)."""
    if not model:
        raise BadInputError(
            f"RAG_LLM is {base_url}: set RAG_LLM_MODEL to the model name that server serves"
        )
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise ImportError(
            "llama-index-llms-openai-like is not installed: run `pip install -e '.[llm]'`"
        ) from None
    return OpenAILike(
        model=model,
        api_base=base_url,
        # The client insists on a key; Ollama, vLLM and llama.cpp servers ignore it.
        api_key=api_key or "unused",
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=8192,
        max_tokens=max_tokens,
        temperature=0.0,
        timeout=timeout,
        max_retries=1,
    )


def local_llm(
    path: Path,
    *,
    max_tokens: int = 256,
    context_window: int = 2048,
    threads: int | None = None,
) -> LLM:
    """A GGUF model run in this process by llama.cpp (llama-cpp-python)."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(
            f"no language model at {path}: {INSTALL_HINT}, or set RAG_LLM_PATH to a GGUF file"
        )
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise BadInputError(f"{path} is not a GGUF model file: set RAG_LLM_PATH to one")
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError:
        raise ImportError(
            f"llama-cpp-python and llama-index-llms-llama-cpp are not installed: {INSTALL_HINT}"
        ) from None
    threads = threads or os.cpu_count() or 1
    llm = _serialized(LlamaCPP)(
        model_path=str(path),
        temperature=0.0,
        max_new_tokens=max_tokens,
        context_window=context_window,
        # llama-cpp-python uses half the cores by default; answering is all this process does.
        model_kwargs={"n_threads": threads, "n_threads_batch": threads, "verbose": False},
        verbose=False,
    )
    llm.messages_to_prompt = chat_template(llm._model)
    return llm


def _serialized(cls: type) -> type:
    """`cls` with one request at a time: a llama.cpp context holds one conversation, and two
    threads (two chat users) decoding into it at once would corrupt it. The lock is held while
    a reply streams, and released when the stream ends or is closed: by the stream this class
    returns, which closes the one it reads, so the release never waits for the garbage
    collector to finalize a generator that something (an instrumentation handler, a
    traceback) still holds."""
    import threading

    from llama_index.core.base.llms.types import ChatResponse, MessageRole
    from llama_index.core.bridge.pydantic import PrivateAttr
    from llama_index.core.llms import ChatMessage

    class Serialized(cls):  # type: ignore[misc,valid-type]
        _turn: threading.Lock = PrivateAttr(default_factory=threading.Lock)

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            with self._turn:
                return super().complete(prompt, formatted=formatted, **kwargs)

        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            parent = super().stream_complete

            def gen() -> Any:
                with self._turn:  # taken at the first token asked for, not before
                    replies = parent(prompt, formatted=formatted, **kwargs)
                    try:
                        yield from replies
                    finally:
                        replies.close()

            return gen()

        def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Any:
            # the parent's stream_chat wraps stream_complete in a generator that, closed,
            # leaves the one holding the lock to the garbage collector
            replies = self.stream_complete(self.messages_to_prompt(messages), formatted=True,
                                           **kwargs)

            def gen() -> Any:
                try:
                    for r in replies:
                        yield ChatResponse(
                            message=ChatMessage(role=MessageRole.ASSISTANT, content=r.text),
                            delta=r.delta, raw=r.raw,
                        )
                finally:
                    replies.close()

            return gen()

    Serialized.__name__ = Serialized.__qualname__ = cls.__name__
    return Serialized


def chat_template(model: Any) -> Callable[[Sequence[ChatMessage]], str]:
    """The model's own chat template (from the GGUF), as llama-index's `messages_to_prompt`.

    LlamaCPP otherwise formats chats in a generic way the model was not trained on.
    Models without a template get ChatML, which Qwen and many others use.
    """
    template = (getattr(model, "metadata", None) or {}).get("tokenizer.chat_template")
    if not template:
        return chatml
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def text(token: int) -> str:
        return model._model.token_get_text(token) if token >= 0 else ""

    formatter = Jinja2ChatFormatter(
        template=template, eos_token=text(model.token_eos()), bos_token=text(model.token_bos())
    )

    def messages_to_prompt(messages: Sequence[ChatMessage]) -> str:
        chat = [{"role": m.role.value, "content": m.content or ""} for m in messages]
        return formatter(messages=chat).prompt

    return messages_to_prompt


def chatml(messages: Sequence[ChatMessage]) -> str:
    """ChatML, with the assistant's turn opened.

    >>> from llama_index.core.llms import ChatMessage
    >>> chatml([ChatMessage(role="system", content="S"), ChatMessage(role="user", content="U")])
    '<|im_start|>system\\nS<|im_end|>\\n<|im_start|>user\\nU<|im_end|>\\n<|im_start|>assistant\\n'
    """
    out = "".join(f"<|im_start|>{m.role.value}\n{m.content or ''}<|im_end|>\n" for m in messages)
    return out + "<|im_start|>assistant\n"
