# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install sysdeps demo test lint typecheck docs bench corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# System packages for the report PDF and browser tests (headless Chromium, CJK fonts,
# poppler's pdftotext). Installs only what is missing; without apt-get it warns.
SYSDEPS := chromium chromium-driver fonts-noto-cjk poppler-utils
sysdeps:
	@missing=""; for p in $(SYSDEPS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "warning: no apt-get; install$$missing yourself"; exit 0; fi; \
	sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	echo "installing system packages:$$missing"; \
	$$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing

demo: install sysdeps
	$(BIN)/freighthub demo --force

LINTED := $(wildcard freighthub tests benchmarks tools)

lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: install
	$(BIN)/mypy

test: install sysdeps
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint typecheck

# The user guide and the API reference (from the numpydoc docstrings) into site/,
# offline; --strict turns every warning (broken link, unreadable docstring) into a failure.
docs: install
	$(BIN)/mkdocs build --strict --quiet

# The whole bad-input corpus, including the valid mutations that simulate (minutes).
corpus: install
	FREIGHTHUB_CORPUS=full $(BIN)/python -m pytest tests/corpus -q

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build site *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
