#!/usr/bin/env bash
# bench/manyapps.sh — many apps in one run (issue 18): `pinready check` of
# 1 app, then 20 apps at --jobs 1 and at --jobs 4, every group selected
# (OAuth included), against the world of `pinready example` (bench/world).
# The runs alternate so that they share the load of the machine. Prints a
# table with the two goals: 20 apps at --jobs 4 within 4× one app's wall
# time, and --jobs 4 faster than --jobs 1. Also checks that every app of
# every run got the same verdict as the one app alone.
#
# Knobs (environment): RUNS=3 (runs of each), APPS=20, PINREADY=./pinready
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/manyapps
RUNS=${RUNS:-3}
APPS=${APPS:-20}
PINREADY=${PINREADY:-$ROOT/pinready}
GO=${GO:-go}

say() { printf 'manyapps: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "n/a"}'; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms/1000}'; }

[ -x "$PINREADY" ] || { say "building $PINREADY"; $GO build -o "$PINREADY" .; }
rm -rf "$OUT"
mkdir -p "$OUT"
$GO build -o "$OUT/world" ./bench/world

coproc WORLD { exec "$OUT/world" --config "$OUT/pinready.yaml"; }
WORLD_PID_SAVED=$WORLD_PID
trap 'kill "$WORLD_PID_SAVED" 2>/dev/null || true' EXIT
IFS= read -r -t 30 ready <&"${WORLD[0]}" || die "the world did not start"
# The ready line is one JSON object; its "resolve" array holds HOST:PORT:ADDR strings.
RESOLVE=()
for r in $(printf '%s' "$ready" | grep -o '"resolve": *\[[^]]*\]' | grep -o '"[^"]*:[0-9]*:[^"]*"' | tr -d '"'); do
	RESOLVE+=(--resolve "$r")
done
[ ${#RESOLVE[@]} -gt 0 ] || die "no --resolve in the world's line: $ready"
CONFIG=$OUT/pinready.yaml

apps() { # n dir: n copies of the sample app's config, each its own name
	mkdir -p "$2"
	for k in $(seq -w 1 "$1"); do
		sed "s/^  name: .*/  name: Acme Pin Planner $k/" "$CONFIG" >"$2/app$k.yaml"
	done
}
apps 1 "$OUT/apps-1"
apps "$APPS" "$OUT/apps-$APPS"

RAW=$OUT/raw.tsv
: >"$RAW"
# busy_ms: the whole machine's busy CPU time so far (user, nice, system,
# irq, softirq), in ms. Chromium's renderers are not pinready's children
# once the browser exits, so this, not getrusage, says what a run cost.
busy_ms() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print int(($2+$3+$4+$7+$8) * 1000 / hz)}' /proc/stat; }
check() { # label dir jobs run
	local t0 t1 c0 c1 code=0
	c0=$(busy_ms)
	t0=$(now_ms)
	"$PINREADY" check --config "$2" --jobs "$3" --format json --no-color "${RESOLVE[@]}" \
		>"$OUT/$1-$4.json" 2>"$OUT/$1-$4.err" || code=$?
	t1=$(now_ms)
	c1=$(busy_ms)
	printf '%s\t%s\t%s\t%s\n' "$1" "$4" $((t1 - t0)) $((c1 - c0)) >>"$RAW"
	say "$1 run $4: $((t1 - t0)) ms, machine CPU $((c1 - c0)) ms, exit $code"
	[ "$code" -le 1 ] || die "$1: pinready check exited $code (see $OUT/$1-$4.err)"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$RUNS"); do
	check one "$OUT/apps-1" 1 "$i"
	check jobs4 "$OUT/apps-$APPS" 4 "$i"
	check jobs1 "$OUT/apps-$APPS" 1 "$i"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Every app's verdict must be that of the app alone: the combined JSON's
# summary counts all $APPS apps under it.
one=$(grep -o '"verdict": *"[^"]*"' "$OUT/one-1.json" | head -1 | sed 's/.*: *"\(.*\)"/\1/')
for f in "$OUT"/jobs*.json; do
	grep -q "\"$one\": $APPS\b" "$f" ||
		die "$(basename "$f"): not all $APPS apps are $one like the app alone: $(grep -A6 '"summary"' "$f" | tr -s ' \n' ' ')"
done
# The slowest steps the summary names, most frequent first.
slowest=$(grep -h -A1 '"slowest_step"' "$OUT"/jobs*.json | grep -o '"name": *"[^"]*"' | sed 's/.*: *"//; s/"$//' | sort | uniq -c | sort -rn | head -3 | tr -s ' ' | paste -sd, -)

val() { awk -F'\t' -v l="$1" -v c="${2:-3}" '$1==l {print $c}' "$RAW" | median; }
o=$(val one) j4=$(val jobs4) j1=$(val jobs1)
oc=$(val one 4) j4c=$(val jobs4 4) j1c=$(val jobs1 4)
{
	echo "## check of 1 vs $APPS apps, OAuth included ($(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average before $load_before, after $load_after; median of $RUNS)"
	echo
	echo "| run | wall | vs one app | machine CPU |"
	echo "|---|---|---|---|"
	echo "| 1 app | $(secs "$o") s | 1.00× | $(secs "$oc") s |"
	echo "| $APPS apps, --jobs 1 | $(secs "$j1") s | $(ratio "$j1" "$o")× | $(secs "$j1c") s |"
	echo "| $APPS apps, --jobs 4 | $(secs "$j4") s | $(ratio "$j4" "$o")× (goal ≤ 4) | $(secs "$j4c") s |"
	echo
	echo "--jobs 4 / --jobs 1: $(ratio "$j4" "$j1")× (goal < 1). Every app's verdict: $one, as the app alone. Slowest steps named by the summary:$slowest."
} | tee "$OUT/results.md"
