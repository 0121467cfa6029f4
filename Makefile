# The two commands of the README: `make run` (set up, then chat on the bundled transcripts)
# and `make test` (the whole test suite: fast tier, then the real tier, the local LLM's
# tests included). `make llm` installs the optional local model and its runtime.
VENV := .venv
# The fast tier: everything not marked real (tests/real, all real, is not even imported), on
# two workers that take work from each other as they finish.
FAST := -q -n 2 --dist worksteal -m "not real" --ignore=tests/real

.PHONY: setup run test test-fast test-real llm lint bench eval
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	scripts/setup.sh

run: setup
	$(VENV)/bin/rag ui

llm: setup
	scripts/install-llm.sh

test: setup llm
	$(VENV)/bin/python -m pytest $(FAST)
	$(VENV)/bin/python -m pytest -q -m real

test-fast: setup
	$(VENV)/bin/python -m pytest $(FAST)

test-real: setup llm
	$(VENV)/bin/python -m pytest -q -m real

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(VENV)/bin/rag bench

eval: setup
	$(VENV)/bin/rag eval --out eval-out
