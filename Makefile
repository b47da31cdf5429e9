# The two commands of the README: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site test lint serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) build.py build
	@echo "See it as readers will: $(VENV)/bin/sovet serve --built"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sovet build.py

# axe-core for the accessibility checks of the browser tests, from the npm registry.
$(NODE_STAMP): package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility checks will be skipped"; fi

test: lint $(NODE_STAMP)
	$(VENV)/bin/pytest

serve: $(STAMP)
	$(PY) build.py serve

# The builds are timed as an installed sovet runs: its modules compiled once, as pip does
# when it installs a package (an editable install leaves that to the first run).
bench: $(STAMP)
	$(PY) -m compileall -q sovet
	$(PY) -m sovet.bench

clean:
	rm -rf output .output.previous $(VENV) .sovet-cache
