# The two commands of the README: `make run` (set up, then chat on the bundled transcripts)
# and `make test` (the whole test suite: fast tier, then the real tier, the local LLM's
# tests included). `make llm` installs the optional local model and its runtime.
VENV := .venv

.PHONY: setup run test test-fast test-real llm lint bench eval
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	scripts/setup.sh

run: setup
	$(VENV)/bin/rag ui

llm: setup
	scripts/install-llm.sh

test: setup llm
	$(VENV)/bin/python -m pytest -q -n 2 -m "not real"
	$(VENV)/bin/python -m pytest -q -m real

test-fast: setup
	$(VENV)/bin/python -m pytest -q -n 2 -m "not real"

test-real: setup llm
	$(VENV)/bin/python -m pytest -q -m real

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(VENV)/bin/rag bench

eval: setup
	$(VENV)/bin/rag eval --out eval-out
