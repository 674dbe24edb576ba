#!/bin/sh
# Writes the example interviews in this folder by running Gemba with the scripted answers in
# answers/, exactly as a salesperson's piped interview would be written:
#   sh transcripts/examples/make-examples.sh [GEMBA]     (or: make examples)
# GEMBA is the program to run (default: .build/debug/gemba). Earlier examples are replaced; the
# report and stats tests read whatever is here, so record their snapshots again afterwards
# (GEMBA_RECORD=1 swift test --filter Examples).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gemba=${1:-.build/debug/gemba}
[ -x "$gemba" ] || { echo "make-examples: $gemba is not built; run 'swift build'" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GEMBA_CONFIG="$work/no-settings.toml"

# interview NAME GUIDE ARGUMENTS...: runs GUIDE with answers/NAME.answers into $work/NAME/.
interview() {
  name=$1
  shift
  mkdir -p "$work/$name"
  "$gemba" run "$@" --transcripts "$work/$name" < "$here/answers/$name.answers" > /dev/null
  ls "$work/$name"/*.jsonl
}

cafe=$(interview cafe-schon customer-purpose --customer 'Café Schön GmbH' --interviewer Dana \
  --with 'Anna Berger' 'Tom Kruse' --minutes 45)
"$gemba" note "$cafe" 'Anna asked for the visit to be early, before the morning rush' > /dev/null
# What came of it, in the coach's file beside the transcript.
"$gemba" outcome "$cafe" pilot 'a four-week pilot of one-call repairs in two cafés' --by Dana \
  > /dev/null
# A coach's comments, made in a scripted replay.
printf '%s\n' ':go purpose' \
  ':comment praise You started from their customers and wrote down their own words' \
  ':go edges' \
  ':comment try-next Ask to see the re-keying happen: the last delivery note, step by step' \
  ':quit' | "$gemba" replay "$cafe" --coach Kim > /dev/null

interview nordlicht jtbd-switch --customer 'Nordlicht Logistik' --interviewer Priya \
  --with 'Jonas Weber' --minutes 60 > /dev/null

interview hoffmann customer-purpose --customer 'Bäckerei Hoffmann' --interviewer Dana \
  --minutes 30 > /dev/null

rm -f "$here"/*.jsonl
# The transcripts and the coach's files beside them.
cp "$work"/*/*.jsonl "$here/"
# Examples are for reading: readable by everyone, unlike a real interview.
chmod 644 "$here"/*.jsonl
ls "$here"/*.jsonl
