#!/usr/bin/env bash
# bench/startup.sh — what a short command costs (issue 28): `pinready
# --version`, and the static audit (`check --only privacy,description
# --render never`, no browser) beside one curl of the same two pages (the
# privacy policy and the home page), against the world of `pinready
# example` (bench/world). With BEFORE set to another pinready binary, that
# one runs in the same rounds, so a change is measured before and after
# on the same load. /bin/true is the floor: what starting any process
# costs on this machine at this moment. Two more floors say where the rest
# of --version goes: a Go hello world (the Go runtime's own start) and
# bench/startfloor (every package pinready links, initialised, nothing run:
# what any pinready command pays before main).
#
# Each round runs every command once, in turn; the table gives medians
# (and the fastest run) in milliseconds: wall time, measured by bash
# ($EPOCHREALTIME) around each command, and CPU time (user + system of the
# command and the children it waited for, from the builtin times), which a
# busy machine inflates far less than wall time.
#
# Knobs (environment): RUNS=40, PINREADY=./pinready (built like `make
# build` when missing), BEFORE= (a second pinready), GO=go.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/startup
RUNS=${RUNS:-40}
PINREADY=${PINREADY:-$ROOT/pinready}
BEFORE=${BEFORE:-}
GO=${GO:-go}

say() { printf 'startup: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$PINREADY" ] || { say "building $PINREADY"; make -s build; }
command -v curl >/dev/null || die "curl is needed"
rm -rf "$OUT"
mkdir -p "$OUT"
$GO build -o "$OUT/world" ./bench/world
CGO_ENABLED=0 $GO build -tags urfave_cli_no_docs -trimpath -o "$OUT/startfloor" ./bench/startfloor
mkdir -p "$OUT/hello"
printf 'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("hello\\n") }\n' >"$OUT/hello/main.go"
printf 'module hello\n' >"$OUT/hello/go.mod"
(cd "$OUT/hello" && CGO_ENABLED=0 GOFLAGS= $GO build -trimpath -o "$OUT/hello-go" .)

coproc WORLD { exec "$OUT/world" --config "$OUT/pinready.yaml"; }
WORLD_PID_SAVED=$WORLD_PID
trap 'kill "$WORLD_PID_SAVED" 2>/dev/null || true' EXIT
IFS= read -r -t 30 ready <&"${WORLD[0]}" || die "the world did not start"
APP_URL=$(printf '%s' "$ready" | grep -o '"app_url": *"[^"]*"' | sed 's/.*: *"//; s/"$//')
RESOLVE=() CURL_RESOLVE=()
for r in $(printf '%s' "$ready" | grep -o '"resolve": *\[[^]]*\]' | grep -o '"[^"]*:[0-9]*:[^"]*"' | tr -d '"'); do
	RESOLVE+=(--resolve "$r")
	CURL_RESOLVE+=(--resolve "$r")
done
POLICY_URL=$(sed -n 's/^  privacy_policy_url: //p' "$OUT/pinready.yaml")
[ -n "$APP_URL" ] && [ -n "$POLICY_URL" ] || die "no app or policy URL in the world's line: $ready"

RAW=$OUT/raw.tsv
: >"$RAW"
TIMES=$OUT/times
# children_us: the user + system time of every child this shell has waited
# for so far, in microseconds, from the builtin times (no fork: a subshell
# would have children of its own).
children_us() {
	local us=0 v m s
	times >"$TIMES"
	{ read -r _ _; read -r u sy; } <"$TIMES"
	for v in "$u" "$sy"; do # 0m0.012s
		m=${v%%m*} s=${v#*m} s=${s%s}
		us=$((us + m * 60000000 + 10#${s%.*} * 1000000 + 10#${s#*.} * 1000))
	done
	CHILDREN_US=$us
}
# timed LABEL CMD...: one run; its wall time and CPU time (user + system,
# its waited-for children included) in microseconds appended to RAW.
timed() {
	local label=$1 t0 t1 c0 code=0
	shift
	children_us
	c0=$CHILDREN_US
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>&1 || code=$?
	t1=${EPOCHREALTIME/./}
	children_us
	[ "$code" -le 1 ] || die "$label: $* exited $code"
	printf '%s\t%s\t%s\n' "$label" $((t1 - t0)) $((CHILDREN_US - c0)) >>"$RAW"
}
audit() { "$1" check --config "$OUT/pinready.yaml" --only privacy,description --render never --format json "${RESOLVE[@]}"; }

bins=("after:$PINREADY")
[ -n "$BEFORE" ] && bins=("before:$BEFORE" "${bins[@]}")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq 1 "$RUNS"); do
	timed true /bin/true
	timed hello "$OUT/hello-go"
	timed floor "$OUT/startfloor"
	for b in "${bins[@]}"; do
		timed "version-${b%%:*}" "${b#*:}" --version
	done
	timed curl curl -s "${CURL_RESOLVE[@]}" -o /dev/null "$POLICY_URL" -o /dev/null "$APP_URL"
	for b in "${bins[@]}"; do
		timed "audit-${b%%:*}" audit "${b#*:}"
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

stat() { # label [column]: median and fastest, in ms (column 2 wall, 3 CPU)
	awk -F'\t' -v l="$1" -v c="${2:-2}" '$1==l {print $c}' "$RAW" | sort -n |
		awk '{a[NR]=$1} END {if (NR) printf "%.1f ms (fastest %.1f)", a[int((NR+1)/2)]/1000, a[1]/1000; else printf "-"}'
}
med() { awk -F'\t' -v l="$1" -v c="${2:-2}" '$1==l {print $c}' "$RAW" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$(med "$1" "${3:-2}")" -v b="$(med "$2" "${3:-2}")" 'BEGIN {if (a && b) printf "%.2f×", a/b; else printf "-"}'; }
row() { # title label: wall and CPU, before and after
	local t=$1 l=$2
	if [ -n "$BEFORE" ] && grep -q "^$l-before" "$RAW"; then
		echo "| $t | $(stat "$l-before") | $(stat "$l-after") | $(stat "$l-before" 3) | $(stat "$l-after" 3) |"
	else
		echo "| $t | | $(stat "$l") | | $(stat "$l" 3) |"
	fi
}
{
	echo "## Start-up and the static audit ($(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average before $load_before, after $load_after; median of $RUNS rounds)"
	echo
	echo "| command | wall before | wall after | CPU before | CPU after |"
	echo "|---|---|---|---|---|"
	row "/bin/true (the floor)" true
	row "Go hello world (the Go runtime's start)" hello
	row "bench/startfloor (pinready's packages initialised, nothing run)" floor
	row "pinready --version (goal ≤ 5 ms)" version
	row "static audit (check --only privacy,description --render never)" audit
	row "curl of the same two pages" curl
	if [ -n "$BEFORE" ]; then
		echo "| **static audit ÷ curl** (goal ≤ 1.5×) | $(ratio audit-before curl) | **$(ratio audit-after curl)** | $(ratio audit-before curl 3) | **$(ratio audit-after curl 3)** |"
	else
		echo "| **static audit ÷ curl** (goal ≤ 1.5×) | | **$(ratio audit-after curl)** | | **$(ratio audit-after curl 3)** |"
	fi
} | tee "$OUT/results.md"
