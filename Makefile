# trainer: `make run` serves the demo, `make test` runs the whole suite.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
TRAINER := $(VENV)/bin/trainer
HOST    ?= 127.0.0.1
PORT    ?= 5000

.PHONY: run test install install-dev test-system-deps i18n lint bench bench-national audit load clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# every command of `make run` (seed's printed links, the worker's QR codes, the server) knows
# the address served: the development PUBLIC_BASE_URL is http://$(HOST):$(PORT)
run: export FLASK_RUN_HOST = $(HOST)
run: export FLASK_RUN_PORT = $(PORT)
run: install
	@$(PY) -m trainer.documents.check
	TRAINER_ENV=development $(TRAINER) db upgrade
	TRAINER_ENV=development $(TRAINER) seed-demo --if-empty
	@echo "serving on http://$(HOST):$(PORT) (with a job worker on the SQLite queue)"
	TRAINER_ENV=development WARM_UP_DOCUMENTS=1 $(TRAINER) jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TRAINER_ENV=development WARM_UP_DOCUMENTS=1 $(TRAINER) run --host $(HOST) --port $(PORT)

# Debian tools the tests use: pdftotext (PDF text), zbarimg (QR codes), chromium (browser).
test-system-deps:
	@missing=""; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "WARNING: missing$$missing (install them with apt-get); the tests that need them fail"; \
	  fi; \
	fi

# Lint, the whole suite, then the supply-chain checks (pip-audit only warns when it cannot
# reach PyPI).
test: install-dev test-system-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) tools/audit.py --when-reachable

i18n: install-dev
	$(PY) tools/i18n.py

# Benchmarks at province scale on SQLite and (when it answers) PostgreSQL; writes bench/results.md.
# Then a district's 1,500 certificates issued and rendered, with peak memory (SQLite), and the
# first certificate after a restart with and without the warm-up.
bench: install-dev
	$(PY) bench/run.py --scale province $(BENCH_ARGS)
	$(PY) bench/run.py --scale large --append $(BENCH_ARGS)
	$(PY) bench/district.py --no-job --append
	$(PY) bench/first_download.py --append

# The country (seed-demo --scale national, ~1.6 million staff) on PostgreSQL, under
# /usr/bin/time -v for the peak memory; appends to bench/results.md. Not in CI (minutes, GBs).
bench-national: install-dev
	/usr/bin/time -v $(PY) bench/national.py $(BENCH_ARGS)

# Several gunicorn workers on PostgreSQL with the limiter on Redis, 50 clients for a minute.
load: install-dev
	$(PY) bench/load.py --clients 50 --seconds 60 --workers 4

# Supply chain: static security checks of our code and known vulnerabilities of what we install.
audit: install-dev
	$(PY) tools/audit.py

# ruff is pinned in setup.cfg's dev extra and .pre-commit-config.yaml (the same version);
# the tree is formatted by `ruff format` and stays so.
lint: install-dev
	$(VENV)/bin/ruff check trainer tests bench tools
	$(VENV)/bin/ruff format --check trainer tests bench tools

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
