# Gemba: `make run` starts the default interview, `make test` runs every check CI runs.
# Both install what is missing first (libedit-dev through apt-get).

SWIFT ?= swift
BIN_DEBUG := .build/debug/gemba
BIN_RELEASE := .build/release/gemba
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup build release lint check-scripts clean

setup:
	@if ! pkg-config --exists libedit 2>/dev/null; then \
	  echo "Installing libedit-dev (the line editor Gemba uses)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pkg-config libedit-dev; \
	fi

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

run: release
	$(BIN_RELEASE) run

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks

check-scripts: build
	$(BIN_DEBUG) check --warnings-as-errors scripts/
	$(BIN_DEBUG) test scripts/

test: build
	$(SWIFT) test
	$(MAKE) lint
	$(MAKE) check-scripts

clean:
	rm -rf .build
