#!/usr/bin/env bash
# Refreshes the kept corpus Tests/Fuzz/corpus/TARGET from a fuzz run's working corpus.
#
#   Tests/Fuzz/keep-corpus.sh TARGET [COUNT]
#
# Minimises .build-fuzz/corpus/TARGET with libFuzzer's -merge=1 (the fewest inputs that reach
# every feature the whole corpus reaches) and keeps COUNT of those (default 40) spread evenly
# over the sizes up to 8 KB, so `make test` replays short and long inputs quickly. Run it after Tests/Fuzz/fuzz.sh has built .build-fuzz.
set -euo pipefail

cd "$(dirname "$0")/../.."
target=${1:?usage: Tests/Fuzz/keep-corpus.sh TARGET [COUNT]}
count=${2:-40}
scratch=${FUZZ_SCRATCH:-.build-fuzz}
[ -x "$scratch/gemba-fuzz" ] || { echo "keep-corpus: run Tests/Fuzz/fuzz.sh first" >&2; exit 1; }
merged=$(mktemp -d)
trap 'rm -rf "$merged"' EXIT
LSAN_OPTIONS="suppressions=$PWD/Tests/Sanitizers/lsan.supp" GEMBA_FUZZ_TARGET=$target \
  "$scratch/gemba-fuzz" -merge=1 "$merged" "$scratch/corpus/$target" >"$scratch/logs/$target.merge.log" 2>&1
kept=Tests/Fuzz/corpus/$target
rm -rf "$kept"
mkdir -p "$kept"
find "$merged" -type f -size -8193c -printf '%s %p\n' | sort -n |
  awk -v count="$count" '{ line[NR] = $2 } END {
    step = NR > count ? NR / count : 1
    for (i = 1; i <= NR && i <= count * step; i += step) print line[int(i)] }' |
  while read -r file; do cp "$file" "$kept/"; done
echo "keep-corpus: $target: $(find "$merged" -type f | wc -l) inputs after merging," \
  "kept $(find "$kept" -type f | wc -l) in $kept"
