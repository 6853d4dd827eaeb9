#!/usr/bin/env bash
# bench/terminal.sh — `pinready record` of the terminal example (a Python
# script runs the OAuth flow from a terminal) beside the web example (the
# Go sample app), alternating, on one machine against the same offline
# world (bench/world --stack). For each run: wall time, the video's length,
# pinready's own peak RSS (VmHWM) and the largest process of the tree
# (time -v). Results: bench/out/terminal.md.
#
# Knobs: RUNS=3, PACE_MS=1000, PINREADY=./pinready
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/terminal
RUNS=${RUNS:-3}
PACE_MS=${PACE_MS:-1000}
PINREADY=${PINREADY:-$ROOT/pinready}
say() { printf 'bench: %s\n' "$*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
[ -x /usr/bin/time ] || { say "GNU time is missing: apt-get install -y time"; exit 1; }
[ -x "$PINREADY" ] || go build -o "$PINREADY" .
rm -rf "$OUT"
mkdir -p "$OUT"
go build -o "$OUT/world" ./bench/world
RAW=$OUT/raw.tsv
: >"$RAW"

# one STACK RUN: start its world, record, sample pinready's VmHWM.
one() {
	local stack=$1 i=$2 dir=$OUT/$1-$2
	mkdir -p "$dir/world"
	coproc W { exec "$OUT/world" --stack "$stack" --config "$dir/world/pinready.yaml"; }
	local wpid=$W_PID ready
	IFS= read -r -t 30 ready <&"${W[0]}"
	local cfg env resolve=()
	cfg=$(node -e 'console.log(JSON.parse(process.argv[1]).config)' "$ready")
	env=$(node -e 'console.log((JSON.parse(process.argv[1]).env || []).join(" "))' "$ready")
	while IFS= read -r r; do resolve+=(--resolve "$r"); done < <(node -e 'console.log(JSON.parse(process.argv[1]).resolve.join("\n"))' "$ready")
	local exe t0 t1 tpid pid="" hwm=0 h
	exe=$(readlink -f "$PINREADY")
	t0=$(now_ms)
	env $env /usr/bin/time -v -o "$dir/time.txt" "$PINREADY" record --config "$cfg" --out "$dir" --pace "${PACE_MS}ms" --no-color "${resolve[@]}" \
		>"$dir/stdout.txt" 2>"$dir/stderr.txt" &
	tpid=$!
	while kill -0 "$tpid" 2>/dev/null; do
		if [ -z "$pid" ]; then
			for d in $(pgrep -P "$tpid"); do [ "$(readlink -f "/proc/$d/exe" 2>/dev/null)" = "$exe" ] && pid=$d; done
		fi
		if [ -n "$pid" ]; then
			h=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
		fi
		sleep 0.1
	done
	wait "$tpid" || say "$stack run $i exited $?"
	t1=$(now_ms)
	kill "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	local dur
	dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$dir/demo.mp4")
	printf '%s\t%s\twall_ms\t%s\n' "$stack" "$i" $((t1 - t0)) >>"$RAW"
	printf '%s\t%s\tvideo_ms\t%s\n' "$stack" "$i" "$(awk -v d="$dur" 'BEGIN {printf "%d", d*1000}')" >>"$RAW"
	printf '%s\t%s\town_rss_kb\t%s\n' "$stack" "$i" "$hwm" >>"$RAW"
	printf '%s\t%s\ttree_rss_kb\t%s\n' "$stack" "$i" "$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.txt")" >>"$RAW"
	say "$stack #$i: wall $(((t1 - t0)))ms, video ${dur}s, own RSS $((hwm / 1024)) MiB"
}

for i in $(seq "$RUNS"); do
	one go "$i"
	one terminal "$i"
done
val() { awk -F'\t' -v s="$1" -v k="$2" '$1==s && $3==k {print $4}' "$RAW" | median; }
{
	echo "# record: terminal example vs web example ($(date -u +%F), $RUNS runs each, alternating, pace ${PACE_MS}ms, medians)"
	echo
	echo "| measure | web (go stack) | terminal | ratio |"
	echo "|---|---|---|---|"
	for k in wall_ms video_ms own_rss_kb tree_rss_kb; do
		a=$(val go "$k") b=$(val terminal "$k")
		echo "| $k | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b/a}') |"
	done
} >"$OUT/../terminal.md"
cat "$OUT/../terminal.md"
