# Gemba: `make run` starts the default interview, `make test` runs every check CI runs.
# Both install what is missing first (libedit-dev through apt-get).

SWIFT ?= swift
# The build folder; another one keeps a second build apart (make check-install SCRATCH=.build-x).
SCRATCH ?= .build
BIN_DEBUG := $(SCRATCH)/debug/gemba
BIN_RELEASE := $(SCRATCH)/release/gemba
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup build release lint check-scripts pictures check-pictures clean examples \
  install install-files uninstall man check-install fuzz faults asan tsan

# Where `make install` puts Gemba: PREFIX/bin/gemba, the default guides and rules in
# PREFIX/share/gemba/, the man page, and completions for bash, zsh and fish. DESTDIR is put in
# front of every path, for packagers.
PREFIX ?= /usr/local
DESTDIR ?=
# The binary install-files installs (make install builds it first; the tests pass their own).
GEMBA_BIN ?= $(BIN_RELEASE)
# The man page install-files installs; empty installs none.
MAN_PAGE ?= $(SCRATCH)/man/gemba.1
# The build the man page is read from: release for make install, debug for make test.
MAN_CONFIGURATION ?= release

INSTALL_BIN = $(DESTDIR)$(PREFIX)/bin
INSTALL_DATA = $(DESTDIR)$(PREFIX)/share/gemba
INSTALL_MAN = $(DESTDIR)$(PREFIX)/share/man/man1
INSTALL_BASH = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
INSTALL_ZSH = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
INSTALL_FISH = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

setup:
	@if ! pkg-config --exists libedit 2>/dev/null; then \
	  echo "Installing libedit-dev (the line editor Gemba uses)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pkg-config libedit-dev; \
	fi
	@if ! command -v dot >/dev/null 2>&1; then \
	  echo "Installing graphviz (dot draws the flow pictures in docs/)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq graphviz; \
	fi

build: setup
	$(SWIFT) build --scratch-path $(SCRATCH)

# The Swift runtime and Foundation are linked into the release binary: it starts in about half
# the time (no dynamic loading of Foundation and ICU; Benchmarks/README.md) and runs wherever
# it is copied, without the Swift toolchain's libraries beside it.
release: setup
	$(SWIFT) build --scratch-path $(SCRATCH) -c release --static-swift-stdlib

run: release
	$(BIN_RELEASE) run

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks

# The shipped guides, rules, rule tests and the coach's rubric (coaching.rubric), warnings as errors.
check-scripts: build
	$(BIN_DEBUG) check --warnings-as-errors scripts/
	$(BIN_DEBUG) test scripts/
	$(BIN_DEBUG) fmt --check scripts/

test: build
	$(SWIFT) test --scratch-path $(SCRATCH)
	$(MAKE) lint
	$(MAKE) check-scripts
	$(MAKE) check-pictures
	$(MAKE) check-install

# Writes transcripts/examples/ anew by running the interviews scripted in
# transcripts/examples/answers/ (then record the report and stats snapshots again:
# GEMBA_RECORD=1 swift test --filter Examples).
examples: build
	sh transcripts/examples/make-examples.sh $(BIN_DEBUG)

# The default guides drawn in docs/flow-pictures.md and docs/pictures/.
PICTURE_GUIDES := customer-purpose jtbd-switch

# Draws the default guides into the folder named by the shell variable dir: dir/pictures/NAME.dot,
# and dir/flow-pictures.md, which is docs/flow-pictures.md with the lines between
# "<!-- mermaid: NAME -->" and "<!-- end mermaid -->" replaced by NAME's Mermaid picture.
define draw-pictures
mkdir -p "$$dir/pictures" && \
for guide in $(PICTURE_GUIDES); do \
  $(BIN_DEBUG) graph scripts/$$guide.guide --format dot --out "$$dir/pictures/$$guide.dot" && \
  $(BIN_DEBUG) graph scripts/$$guide.guide --format mermaid \
    --out "$$dir/pictures/$$guide.mmd" || exit 1; \
done && \
awk -v dir="$$dir/pictures" \
  '/^<!-- end mermaid -->$$/ { skip = 0 } \
   !skip { print } \
   /^<!-- mermaid: [A-Za-z0-9_-]+ -->$$/ { \
     file = dir "/" $$3 ".mmd"; print "```mermaid"; \
     while ((getline line < file) > 0) print line; \
     close(file); print "```"; skip = 1 }' \
  docs/flow-pictures.md > "$$dir/flow-pictures.md.new" && \
mv "$$dir/flow-pictures.md.new" "$$dir/flow-pictures.md" && \
rm -f "$$dir"/pictures/*.mmd
endef

# Redraws docs/pictures/*.dot and *.svg and the Mermaid blocks of docs/flow-pictures.md.
pictures: build
	@dir=docs && $(draw-pictures)
	@for guide in $(PICTURE_GUIDES); do \
	  dot -Tsvg docs/pictures/$$guide.dot -o docs/pictures/$$guide.svg || exit 1; \
	done
	@echo "Drew $(PICTURE_GUIDES) into docs/pictures/ and docs/flow-pictures.md"

# Fails when the pictures in docs/ are not what the guides and the built binary draw now. It
# compares the DOT and Mermaid text, not the SVGs, which differ between Graphviz versions.
check-pictures: build
	@command -v dot >/dev/null 2>&1 || \
	  { echo "check-pictures: Graphviz 'dot' is missing; run 'make setup'" >&2; exit 1; }
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	$(draw-pictures) && \
	stale=0 && \
	for guide in $(PICTURE_GUIDES); do \
	  dot -Tsvg "$$dir/pictures/$$guide.dot" -o "$$dir/pictures/$$guide.svg" || exit 1; \
	  diff -u docs/pictures/$$guide.dot "$$dir/pictures/$$guide.dot" || stale=1; \
	  [ -s docs/pictures/$$guide.svg ] || { echo "docs/pictures/$$guide.svg is missing"; stale=1; }; \
	done; \
	diff -u docs/flow-pictures.md "$$dir/flow-pictures.md" || stale=1; \
	if [ $$stale = 1 ]; then \
	  echo "check-pictures: the flow pictures in docs/ are out of date;" \
	    "run 'make pictures' and commit the result" >&2; \
	  exit 1; \
	fi
	@echo "The flow pictures in docs/ are current."

# The man page, written by swift-argument-parser's generate-manual plugin from the commands'
# own help, so it never disagrees with --help.
man: setup
	$(SWIFT) package --scratch-path $(SCRATCH) plugin generate-manual \
	  --configuration $(MAN_CONFIGURATION) \
	  --authors "Gemba" --section 1
	@page=$$(find $(SCRATCH)/plugins/GenerateManual -name gemba.1 -type f | head -n 1) && \
	  [ -n "$$page" ] || { echo "man: the plugin wrote no gemba.1" >&2; exit 1; } && \
	  mkdir -p "$$(dirname "$(MAN_PAGE)")" && cp "$$page" "$(MAN_PAGE)"

# The man page first: its plugin may build the release binary its own way, and the binary
# installed is the one `release` builds.
install: man release
	@$(MAKE) --no-print-directory install-files
	@echo "Installed gemba in $(INSTALL_BIN); run 'gemba --help' from anywhere."

# Copies what is built; builds nothing.
install-files:
	@[ -x "$(GEMBA_BIN)" ] || { echo "install: $(GEMBA_BIN) is not built; run 'make install'" >&2; exit 1; }
	install -d "$(INSTALL_BIN)" "$(INSTALL_DATA)" "$(INSTALL_BASH)" "$(INSTALL_ZSH)" \
	  "$(INSTALL_FISH)"
	install -m 755 "$(GEMBA_BIN)" "$(INSTALL_BIN)/gemba"
	install -m 644 scripts/*.guide "$(INSTALL_DATA)/"
	@for file in scripts/*.rules scripts/*.rubric; do \
	  [ ! -e "$$file" ] || install -m 644 "$$file" "$(INSTALL_DATA)/" || exit 1; \
	done
	"$(GEMBA_BIN)" --generate-completion-script bash > "$(INSTALL_BASH)/gemba"
	"$(GEMBA_BIN)" --generate-completion-script zsh > "$(INSTALL_ZSH)/_gemba"
	"$(GEMBA_BIN)" --generate-completion-script fish > "$(INSTALL_FISH)/gemba.fish"
	@if [ -n "$(MAN_PAGE)" ]; then \
	  install -d "$(INSTALL_MAN)" && install -m 644 "$(MAN_PAGE)" "$(INSTALL_MAN)/gemba.1"; \
	fi

uninstall:
	rm -f "$(INSTALL_BIN)/gemba" "$(INSTALL_MAN)/gemba.1" "$(INSTALL_BASH)/gemba" \
	  "$(INSTALL_ZSH)/_gemba" "$(INSTALL_FISH)/gemba.fish"
	rm -f "$(INSTALL_DATA)"/*.guide "$(INSTALL_DATA)"/*.rules "$(INSTALL_DATA)"/*.rubric
	@rmdir "$(INSTALL_DATA)" 2>/dev/null || true

# Installs into a temporary prefix from the debug build and uses the installed program from
# another folder, as a salesperson would; then uninstalls and checks nothing is left.
check-install: build
	@$(MAKE) --no-print-directory man MAN_CONFIGURATION=debug MAN_PAGE=$(SCRATCH)/man-debug/gemba.1
	@prefix=$$(mktemp -d) && trap 'rm -rf "$$prefix"' EXIT && \
	$(MAKE) --no-print-directory install-files PREFIX="$$prefix" GEMBA_BIN=$(BIN_DEBUG) \
	  MAN_PAGE=$(SCRATCH)/man-debug/gemba.1 >/dev/null && \
	elsewhere=$$(mktemp -d) && \
	( cd "$$elsewhere" && "$$prefix/bin/gemba" --version >/dev/null && \
	  "$$prefix/bin/gemba" check >/dev/null && \
	  "$$prefix/bin/gemba" fmt --check "$$prefix/share/gemba" >/dev/null && \
	  XDG_CONFIG_HOME="$$elsewhere" "$$prefix/bin/gemba" config --path | grep -q gemba/config.toml ) && \
	rm -rf "$$elsewhere" && \
	bash -n "$$prefix/share/bash-completion/completions/gemba" && \
	grep -q '#compdef gemba' "$$prefix/share/zsh/site-functions/_gemba" && \
	grep -q "complete -c 'gemba'" "$$prefix/share/fish/vendor_completions.d/gemba.fish" && \
	grep -q '^\.Dt GEMBA 1' "$$prefix/share/man/man1/gemba.1" && \
	[ -s "$$prefix/share/gemba/customer-purpose.guide" ] && \
	$(MAKE) --no-print-directory uninstall PREFIX="$$prefix" >/dev/null && \
	left=$$(find "$$prefix" -type f) && [ -z "$$left" ] || \
	  { echo "check-install: the installed gemba is incomplete or not removed: $$left" >&2; exit 1; }
	@echo "make install works: the installed gemba runs from another folder; uninstall removes it."

# MARK: Reliability (docs/reliability.md). Long runs, kept out of `make test`.

# How long each fuzz target runs, in seconds, and how many run at once.
SECONDS ?= 60
JOBS ?= 1

# libFuzzer on every reader of untrusted text, SECONDS each (Tests/Fuzz/README.md). `make test`
# replays the corpus and the reproducers in Tests/Fuzz/ without fuzzing.
fuzz: setup
	JOBS=$(JOBS) SWIFT=$(SWIFT) Tests/Fuzz/fuzz.sh $(SECONDS)

# Kills, full disks, read-only and removed folders, two writers, broken transcripts and hostile
# input against the built binary (Tests/Faults/faults.py). KILLS sets how many kill -9 trials run.
KILLS ?= 200
faults: build
	KILLS=$(KILLS) Tests/Faults/faults.py $(BIN_DEBUG)

# The whole test suite under AddressSanitizer and under ThreadSanitizer, each in its own folder;
# the tests run the gemba binary built the same way. Leak checking is off here: LeakSanitizer
# cannot follow Swift's pointers that carry an enum case in their spare bits, so every guide or
# rule alive at exit is reported (Tests/Sanitizers/README.md shows it on a five-line program).
# The fuzzers check each input for leaks instead.
asan: setup
	ASAN_OPTIONS="detect_leaks=0:$$ASAN_OPTIONS" \
	  $(SWIFT) test --scratch-path .build-asan --sanitize=address

tsan: setup
	$(SWIFT) test --scratch-path .build-tsan --sanitize=thread

clean:
	rm -rf .build
