#!/usr/bin/env bash
# Times parsing and checking of generated guides of 1,000, 10,000 and 100,000 questions
# (gemba-bench), then `gemba check` as a whole process on the 10,000-question guide, beside
# `true` and a Swift hello world timed in the same run. See Benchmarks/README.md.
#
#   Benchmarks/run-parse-check.sh [gemba-bench options: --sizes 1000,10000 --runs 7 --json ...]
#
# RUNS sets how many times each whole process is timed (default 20). Exits 1 when the generated
# guide has errors or the 10,000-question target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --static-swift-stdlib --product gemba-bench >&2
swift build -c release --static-swift-stdlib --product gemba >&2
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"

work="$(mktemp -d "${TMPDIR:-/tmp}/gemba-parse-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# In-process: parse, then check with flow analysis, median of several runs per size.
"$bin/gemba-bench" "$@" | tee "$work/bench.txt"
echo

# The whole process: start-up, reading the file, parse, check, report.
guide="$work/bench-10000.guide"
"$bin/gemba-bench" --write-guide "$guide" --write-size 10000 2>/dev/null
# No errors, or the figure would be of error reporting; warnings are allowed but counted.
if ! "$bin/gemba" check --format json "$guide" >"$work/check.json"; then
  echo "run-parse-check: gemba check found errors in the generated guide" >&2
  "$bin/gemba" check --brief "$guide" | head -20 >&2 || true
  exit 1
fi
count() { grep -o "\"$1\" *: *[0-9]*" "$work/check.json" | grep -o '[0-9]*$'; }
echo "gemba check on the 10,000-question guide: $(count errors) errors, $(count warnings) warnings"

# The yardstick: the least a Swift program that loads Foundation, as gemba does, takes to run.
cat >"$work/hello.swift" <<'SWIFT'
import Foundation

print("hello from \(ProcessInfo.processInfo.processName)")
SWIFT
hello=""
if swiftc -O "$work/hello.swift" -o "$work/hello" 2>/dev/null; then hello="$work/hello"; fi

runs="${RUNS:-20}"
if command -v hyperfine >/dev/null; then
  commands=(true)
  if [ -n "$hello" ]; then commands+=("$hello"); fi
  commands+=("$bin/gemba check $guide")
  hyperfine --shell=none --warmup 3 --runs "$runs" "${commands[@]}"
else
  echo "whole process, $runs runs each after 3 warm-ups (hyperfine not found; date +%s%N):"
  time_command() {
    local name="$1"
    shift
    for _ in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
    local samples=()
    for ((i = 0; i < runs; i++)); do
      local start end
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      end=$(date +%s%N)
      samples+=($((end - start)))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk -v name="$name" '
      { t[NR] = $1 }
      END {
        median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
        printf "  %-34s median %8.2f ms   min %8.2f   max %8.2f\n", name, median / 1e6, t[1] / 1e6, t[NR] / 1e6
      }'
  }
  time_command "true" true
  if [ -n "$hello" ]; then time_command "Swift hello world (Foundation)" "$hello"; fi
  time_command "gemba check (10,000 questions)" "$bin/gemba" check "$guide"
fi
if [ -x /usr/bin/time ]; then
  peak=$(/usr/bin/time -f '%M' "$bin/gemba" check "$guide" 2>&1 >/dev/null | tail -1)
  echo "  gemba check peak RSS: $((peak / 1024)) MiB"
fi

if grep -q "target: .*MISSED" "$work/bench.txt"; then exit 1; fi
