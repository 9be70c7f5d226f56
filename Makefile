# letterbook: the everyday commands. `make run` serves the sample letters in the reading room, `make test` runs the tests.
#
#   make install   create .venv (if missing) and install letterbook with its dev tools
#   make run       ingest the sample letters in examples/ into letterbook.db and serve the reading room
#                  at http://127.0.0.1:8000
#   make test      run the tests (installs what they need first)
#   make eval      read the gold sets in ../shared/eval and hold the scores to benchmarks/floors.toml
#   make bench     letters read per second and peak memory, search latency against raw FTS5 (bench_search.py),
#                  ingest rate and archive size against sqlite-utils (bench_ingest.py),
#                  PostgreSQL beside SQLite: ingest, search and facet latency (bench_postgres.py);
#                  the reading room under 8 concurrent clients (wrk) beside datasette (bench_web.py);
#                  N=10000 sets the generated corpus' size,
#                  REPEAT=3 the runs per set (the median time is reported)
#   make lint      ruff

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.letterbook-installed
N      ?= 10000
REPEAT ?= 3

# System packages the tests need, as command=package pairs, installed with apt-get when the
# command is missing. jing: the RELAX NG validator the CMIF export is checked with (#5);
# chromium (and its driver): the browser the reading room's browser suite drives (#6);
# PostgreSQL 15 (a path, as its programs are not on PATH): the server the PostgreSQL suite starts
# in a temporary folder for the session and stops afterwards (tests/pg.py, #7); wrk: the HTTP
# load generator of the reading room's benchmark (bench_web.py, #6).
POSTGRES_BIN ?= /usr/lib/postgresql/15/bin
SYSTEM_PACKAGES ?= jing=jing chromium=chromium chromedriver=chromium-driver $(POSTGRES_BIN)/initdb=postgresql-15 wrk=wrk

.PHONY: install run test eval bench lint system-packages

install: $(STAMP)

# The stamp is newer than pyproject.toml once the install went through, so a second `make install`
# does nothing; editing pyproject.toml (new dependencies) installs again.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# The reading room on the sample letters: ingest them (unchanged files are passed over the next
# time), then serve them at http://127.0.0.1:8000 until Ctrl-C.
run: install
	$(BIN)/letterbook ingest examples/letters --recursive --db letterbook.db
	$(BIN)/letterbook serve --db letterbook.db --host 127.0.0.1 --port 8000

system-packages:
	@missing=""; \
	for pair in $(SYSTEM_PACKAGES); do \
		command -v "$${pair%%=*}" >/dev/null 2>&1 || missing="$$missing $${pair#*=}"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
		echo "installing system packages the tests need:$$missing"; \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# pytest's status 5 means it collected no tests: a broken test layout, never a pass.
test: install system-packages
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "make test: pytest collected no tests (exit status 5); the test suite is missing or broken" >&2; \
		exit 1; \
	fi; \
	exit $$status

eval: install
	$(BIN)/python benchmarks/eval_gold.py

bench: install system-packages
	$(BIN)/python benchmarks/bench_read.py --n $(N) --repeat $(REPEAT)
	$(BIN)/python benchmarks/bench_search.py --n $(N)
	$(BIN)/python benchmarks/bench_ingest.py --n $(N) --rounds $(REPEAT)
	$(BIN)/python benchmarks/bench_export.py --n $(N)
	$(BIN)/python benchmarks/bench_postgres.py --n $(N)
	$(BIN)/python benchmarks/bench_web.py --n $(N)

lint: install
	$(BIN)/ruff check src tests benchmarks
