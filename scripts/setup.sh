#!/usr/bin/env bash
# Set up everything on a fresh Debian machine: system packages for the browser tests, a
# virtualenv in .venv with the CPU build of torch, the project, and the default index.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  # chromium: the real browser the UI tests drive (and that prints the PDF test's PDF);
  # fonts-noto-cjk: Chinese glyphs in it.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium fonts-noto-cjk
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install -q --upgrade pip
# Pinned first: an unpinned torch pulls several GB of CUDA packages.
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e '.[test]'
# Index the bundled transcripts (offline). An index from an older version of the pipeline is
# reported with the command that rebuilds it; setup does not delete anybody's index.
.venv/bin/rag ingest || echo "setup: the index in RAG_HOME was not updated (see the line above)" >&2
touch .venv/.installed
