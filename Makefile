# Gemba: `make run` starts the default interview, `make test` runs every check CI runs.
# Both install what is missing first (libedit-dev through apt-get).

SWIFT ?= swift
BIN_DEBUG := .build/debug/gemba
BIN_RELEASE := .build/release/gemba
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup build release lint check-scripts pictures check-pictures clean

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
	$(MAKE) check-pictures

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

clean:
	rm -rf .build
