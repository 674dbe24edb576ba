#!/usr/bin/env bash
# Fuzzes Gemba's readers of untrusted text with libFuzzer (Tests/Fuzz/README.md).
#
#   Tests/Fuzz/fuzz.sh [SECONDS] [TARGET…]
#
# Builds the core with -sanitize=fuzzer,address into .build-fuzz, links Tests/Fuzz/Harness.swift
# against it, and runs each target (all of them when none is named) for SECONDS (default 60),
# JOBS at a time (default 1). Each target's working corpus grows in .build-fuzz/corpus/TARGET,
# seeded from Tests/Fuzz/corpus/TARGET and the repository's guides, rules and transcripts. An
# input that crashes, breaks a promise, leaks or runs over 10 s is kept in
# .build-fuzz/findings/TARGET/; copy it to Tests/Fuzz/crashes/TARGET/ once fixed so `make test`
# replays it. Exits 1 when a target found something or did not fuzz at all.
set -euo pipefail

cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(guide rules transcript coach terminal)
jobs=${JOBS:-1}
scratch=${FUZZ_SCRATCH:-.build-fuzz}
swift=${SWIFT:-swift}

echo "fuzz: building the core with -sanitize=fuzzer,address in $scratch"
"$swift" build --scratch-path "$scratch" -c release -Xswiftc -sanitize=fuzzer,address \
  --target GembaFuzzTargets >"$scratch.build.log" 2>&1 || { cat "$scratch.build.log"; exit 1; }
# The linker warns about every sanitizer helper it cannot export; those lines say nothing.
swiftc -parse-as-library -sanitize=fuzzer,address -g -I "$scratch/release/Modules" \
  Tests/Fuzz/Harness.swift "$scratch"/release/GembaCore.build/*.o \
  "$scratch"/release/GembaFuzzTargets.build/*.o -o "$scratch/gemba-fuzz" 2>&1 |
  { grep -v "warning: Cannot export local symbol" || true; }

# The repository's own files each target starts from, besides Tests/Fuzz/corpus/TARGET.
seeds() {
  case $1 in
  guide) find scripts Tests -name '*.guide' ;;
  rules) find scripts Tests -name '*.rules' -o -name '*.test' -path '*scripts*' ;;
  transcript) find Tests -name '*.jsonl' ! -name '*.coach.jsonl' ;;
  coach) find Tests scripts -name '*.coach.jsonl' -o -name '*.rubric' ;;
  terminal) find Tests -name '*.answers' ;;
  esac
}

# Inputs larger than this are not made: a few whole transcripts, or a long guide.
max_len() {
  case $1 in
  guide | transcript | coach) echo 32768 ;;
  rules) echo 16384 ;;
  *) echo 4096 ;;
  esac
}

run_target() {
  local target=$1
  local corpus="$scratch/corpus/$target" findings="$scratch/findings/$target"
  local log="$scratch/logs/$target.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  if [ -d "Tests/Fuzz/corpus/$target" ]; then cp -n "Tests/Fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true; fi
  seeds "$target" | while read -r file; do
    cp -n "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
  done
  LSAN_OPTIONS="suppressions=$PWD/Tests/Sanitizers/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
    GEMBA_FUZZ_TARGET=$target "$scratch/gemba-fuzz" "$corpus" \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || true
}

pids=()
for target in "${targets[@]}"; do
  echo "fuzz: $target for ${seconds}s (log: $scratch/logs/$target.log)"
  run_target "$target" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done

status=0
printf '%-11s %12s %8s %8s %9s\n' target executions exec/s corpus findings
for target in "${targets[@]}"; do
  log="$scratch/logs/$target.log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  size=$(find "$scratch/corpus/$target" -type f | wc -l)
  found=$(find "$scratch/findings/$target" -type f | wc -l)
  printf '%-11s %12s %8s %8s %9s\n' "$target" "${runs:-0}" "${speed:-0}" "$size" "$found"
  if [ -z "$runs" ] || [ "$runs" -eq 0 ]; then
    echo "fuzz: $target did not fuzz; see $log" >&2
    status=1
  fi
  if [ "$found" -gt 0 ]; then
    echo "fuzz: $target found something: $scratch/findings/$target/ (see $log)" >&2
    status=1
  fi
done
exit $status
