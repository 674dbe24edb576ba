#!/usr/bin/env bash
# Times the live REPL on a real pseudo-terminal: start-up to the first prompt with the default
# guide and with a generated 10,000-question guide, and Enter to the next question, beside a
# Swift hello-world that imports Foundation, all in one run. See Benchmarks/README.md.
#
#   Benchmarks/run-repl.sh [--runs 15] [--big-answers 400] [--json]
#
# SCRATCH_PATH names the build folder (default .build). Exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH_PATH:-.build}"

swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product gemba >&2
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product gemba-bench >&2
bin="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)"

work="$(mktemp -d "${TMPDIR:-/tmp}/gemba-repl-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$bin/gemba-bench" --write-guide "$work/big.guide" --write-size 10000 >&2
# The yardstick: the least a Swift program that loads Foundation takes to start and print.
cat > "$work/hello.swift" <<'SWIFT'
import Foundation

print("hello from \(ProcessInfo.processInfo.processName)")
SWIFT
swiftc -O "$work/hello.swift" -o "$work/hello"

python3 Benchmarks/ReplBench/repl_bench.py --gemba "$bin/gemba" --hello "$work/hello" \
  --big-guide "$work/big.guide" \
  --answers Tests/GembaCommandsTests/Cases/transcripts/customer-purpose.answers \
  --work "$work" "$@"
