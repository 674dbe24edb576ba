#!/usr/bin/env bash
# Times `gemba stats` over 10,000 generated transcripts of 40 answers, cold (no index) and warm
# (the index current), and `gemba report` on one transcript of 5,000 events, all release builds.
# See Benchmarks/README.md.
#
#   Benchmarks/run-stats.sh [--count 10000] [--runs 5]
#
# SCRATCH_PATH names the build folder (default .build). Exits 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH_PATH:-.build}"
count=10000
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: Benchmarks/run-stats.sh [--count 10000] [--runs 5]" >&2; exit 2 ;;
  esac
done

swift build -c release --scratch-path "$scratch" --product gemba >&2
swift build -c release --scratch-path "$scratch" --product gemba-stats-bench >&2
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

work="$(mktemp -d "${TMPDIR:-/tmp}/gemba-stats-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$bin/gemba-stats-bench" --folder "$work/transcripts" --count "$count" \
  --big "$work/big.jsonl" --big-events 5000 >&2
export GEMBA_CONFIG="$work/no-settings.toml"

# median_ms COMMAND...: runs the command $runs times and prints the median wall time in ms.
# PREPARE, when set, is run before each timed run (and not timed).
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    if [ -n "${PREPARE:-}" ]; then eval "$PREPARE"; fi
    sync
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

stats=("$bin/gemba" stats "$work/transcripts" --format json)
cold=$(PREPARE="rm -f '$work/transcripts/.gemba-index.sqlite'*" median_ms "${stats[@]}")
"${stats[@]}" > /dev/null
warm=$(median_ms "${stats[@]}")
report=$(median_ms "$bin/gemba" report "$work/big.jsonl" --format html)
interviews=$("${stats[@]}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["interviews"])')

printf '%-44s %10s %10s\n' "measure ($runs runs, median)" "ms" "target"
printf '%-44s %10s %10s\n' "gemba stats, $interviews transcripts, cold (no index)" "$cold" "< 5000"
printf '%-44s %10s %10s\n' "gemba stats, $interviews transcripts, warm" "$warm" "< 1000"
printf '%-44s %10s %10s\n' "gemba report --format html, 5,000 events" "$report" "< 100"
[ "$cold" -lt 5000 ] && [ "$warm" -lt 1000 ] && [ "$report" -lt 100 ] || {
  echo "run-stats: a target was missed" >&2
  exit 1
}
