# letterbook: the everyday commands. `make run` reads the sample letters, `make test` runs the tests.
#
#   make install   create .venv (if missing) and install letterbook with its dev tools
#   make run       read the sample letters in examples/ and print them as a table
#   make test      run the tests (installs what they need first)
#   make eval      read the gold sets in ../shared/eval and hold the scores to benchmarks/floors.toml
#   make bench     letters read per second and peak memory, search latency against raw FTS5 (bench_search.py),
#                  ingest rate and archive size against sqlite-utils (bench_ingest.py);
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
# command is missing. jing: the RELAX NG validator the CMIF export is checked with (#5).
SYSTEM_PACKAGES ?= jing=jing

.PHONY: install run test eval bench lint system-packages

install: $(STAMP)

# The stamp is newer than pyproject.toml once the install went through, so a second `make install`
# does nothing; editing pyproject.toml (new dependencies) installs again.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: install
	$(BIN)/letterbook extract examples/letters --recursive --table

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

bench: install
	$(BIN)/python benchmarks/bench_read.py --n $(N) --repeat $(REPEAT)
	$(BIN)/python benchmarks/bench_search.py --n $(N)
	$(BIN)/python benchmarks/bench_ingest.py --n $(N)
	$(BIN)/python benchmarks/bench_export.py --n $(N)

lint: install
	$(BIN)/ruff check src tests benchmarks
