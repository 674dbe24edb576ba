#!/usr/bin/env bash
# Gemba's rule evaluation beside other rule engines (CLIPS, clipspy, rule-engine, business-rules,
# durable_rules) on one workload, in one run. See Benchmarks/README.md.
#
#   Benchmarks/run-rules.sh [RECORDS=10000] [REPS=3]
#
# PEERS names the peers' folder (default ../shared/bench/rules-peers beside the repository),
# SCRATCH_PATH the build folder (default .build), GEMBA_BENCH_CACHE where the peers' Python
# environment is kept between runs (default ~/.cache/gemba-rules-bench). KEEP=1 keeps the work
# folder. Installs the CLIPS command line (apt-get) and the peers' pinned Python packages (pip)
# when they are missing. Exits 1 when Gemba's firings differ from the oracle's, 2 when it is
# slower than 3x the fastest peer.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
records="${1:-10000}"
reps="${2:-3}"
peers="${PEERS:-$root/../shared/bench/rules-peers}"
scratch="${SCRATCH_PATH:-.build}"
cache="${GEMBA_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gemba-rules-bench}"
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

if [ ! -f "$peers/gen.py" ]; then
  echo "run-rules.sh: no peers' benchmark in $peers; set PEERS" >&2
  exit 64
fi

# The peers' tools: the CLIPS command line, and a virtual environment with the pinned engines.
if ! command -v clips >/dev/null 2>&1; then
  echo "Installing the CLIPS command line..." >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clips >&2
fi
if [ ! -x "$cache/venv/bin/python" ]; then
  echo "Creating the peers' Python environment in $cache/venv..." >&2
  mkdir -p "$cache"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install -q clipspy==1.0.6 rule-engine==5.1.0 durable-rules==2.0.28 \
    business-rules==1.1.1 >&2
fi

# Gemba's side, built for release.
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product gemba-rules-bench >&2
bench="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/gemba-rules-bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/gemba-rules-bench.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "Work folder: $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
cp -R "$peers/." "$work/peers"
chmod -R u+w "$work/peers"
cd "$work/peers"

# The peers first: run_all.sh generates the seeded workload (data/), runs every engine REPS
# times and starts results.jsonl afresh.
echo "Running the peers ($records records, $reps runs each)..." >&2
PY="$cache/venv/bin/python" ./run_all.sh "$records" "$reps" >&2

# Then Gemba on the same data, one process per run as for the peers, under /usr/bin/time -v.
echo "Running Gemba..." >&2
for rep in $(seq "$reps"); do
  /usr/bin/time -v "$bench" data --repeat 1 --write "$work/gemba" >"$work/gemba.out" \
    2>"$work/gemba.time"
  python3 - "$work/gemba.out" "$work/gemba.time" "$bench data --repeat 1" \
    >>results.jsonl <<'PY'
import json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("{")][-1]
result = json.loads(line)
for l in open(sys.argv[2]):
    if "Maximum resident" in l:
        result["peak_rss_mb"] = round(int(l.split(":")[1]) / 1024, 1)
result["cmd"] = sys.argv[3]
print(json.dumps(result))
PY
done
"$bench" --scripts "$root/scripts" >"$work/defaults.out" 2>"$work/defaults.err"

python3 summarize.py results.jsonl >results.md
python3 - results.jsonl "$work/defaults.out" "$work/defaults.err" <<'PY'
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = defaultdict(list)
for r in rows:
    groups[(r["engine"], r["rules"])].append(r)
oracle = {r["rules"]: (r["firings"], r["checksum"]) for r in rows
          if r["engine"].startswith("python-closures")}

def median(key, runs):
    return statistics.median(r[key] for r in runs)

table = sorted(groups.items(), key=lambda kv: -median("pairs_per_s", kv[1]))
gemba = [runs for (engine, _), runs in table if engine.startswith("gemba")]
peers = [(engine, rules, runs) for (engine, rules), runs in table
         if not engine.startswith("gemba") and not engine.startswith("python-closures")]
best = max(peers, key=lambda p: median("pairs_per_s", p[2]))
best_rate = median("pairs_per_s", best[2])

print()
print("| engine | rules x records | rule-evals/s (median) | vs fastest peer | peak RSS MB "
      "| firings | = oracle? |")
print("|---|---|---:|---:|---:|---:|---|")
same_firings = True
for (engine, rules), runs in table:
    rate = median("pairs_per_s", runs)
    expected = oracle.get(rules)
    got = (runs[0]["firings"], runs[0]["checksum"])
    same = "n/a" if expected is None else ("yes" if got == expected else
                                          f"NO (oracle {expected[0]})")
    if engine.startswith("gemba") and got != expected:
        same_firings = False
    rss = max(r.get("peak_rss_mb", 0) for r in runs)
    print(f"| {engine} | {rules} x {runs[0]['records']} | {rate:,.0f} | "
          f"{rate / best_rate:.2f}x | {rss} | {runs[0]['firings']} | {same} |")

runs = gemba[0]
rate = median("pairs_per_s", runs)
cpu = statistics.median(r["eval_cpu_s"] for r in runs)
pairs = runs[0]["rules"] * runs[0]["records"]
print()
print(f"Gemba: {rate:,.0f} rule-evaluations/s (wall clock; {pairs / cpu:,.0f}/s by CPU time), "
      f"{rate / best_rate:.1f}x the fastest peer ({best[0]}, {best_rate:,.0f}/s); "
      f"full proposals with evidence {median('propose_us_per_interview', runs)} µs per interview")
defaults = json.loads(open(sys.argv[2]).read().strip() or "{}")
detail = open(sys.argv[3]).read().strip().split(": ", 1)[-1]
print(f"One interview against the default rules: {defaults.get('default_rules_interview_us')} µs "
      f"at worst ({detail})")
if not same_firings:
    print("Gemba's firings differ from the oracle's", file=sys.stderr)
    sys.exit(1)
if rate < 3 * best_rate:
    print("Gemba is slower than 3x the fastest peer", file=sys.stderr)
    sys.exit(2)
PY
