# The two commands of the README: `make run` (set up, then chat on the bundled transcripts)
# and `make test` (the whole test suite: fast tier, then the real tier).
VENV := .venv

.PHONY: setup run test test-fast lint
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	scripts/setup.sh

run: setup
	$(VENV)/bin/rag ui

test: setup
	$(VENV)/bin/python -m pytest -q -m "not real"
	$(VENV)/bin/python -m pytest -q -m real

test-fast: setup
	$(VENV)/bin/python -m pytest -q -m "not real"

lint: setup
	$(VENV)/bin/ruff check .
