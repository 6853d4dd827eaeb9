#!/usr/bin/env bash
# bench/run.sh — pinready's benchmarks, side by side with their peers, in one
# run on one machine against one offline world (bench/world). `make bench`
# builds ./pinready and calls this. Results: bench/out/results.md (+ raw.tsv).
#
# Knobs (environment):
#   RUNS=3          record vs Playwright: runs of each side, alternating
#   PACE_MS=1000    how long each flow step is held, on both sides
#   CHECK_RUNS=10   static audit vs curl: runs of each side
#   MULTI_RUNS=3    check of 1 vs 20 apps: runs of each
#   OAUTH_RUNS=1    check with oauth, 1 vs 5 apps (0: skip)
#   GO_BENCH=1      the Go benchmarks (0: skip)
#   SKIP_RECORD=1   skip record vs Playwright
#   PINREADY=./pinready
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
RUNS=${RUNS:-3}
PACE_MS=${PACE_MS:-1000}
CHECK_RUNS=${CHECK_RUNS:-10}
MULTI_RUNS=${MULTI_RUNS:-3}
OAUTH_RUNS=${OAUTH_RUNS:-1}
GO_BENCH=${GO_BENCH:-1}
PINREADY=${PINREADY:-$ROOT/pinready}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
GO=${GO:-go}

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# median of numbers on stdin (the lower middle for an even count)
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
# ratio a/b with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "n/a"}'; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms/1000}'; }

# --- tools ------------------------------------------------------------------
for t in "$CHROMIUM" ffmpeg ffprobe node npm curl; do
	command -v "$t" >/dev/null || die "$t is missing (Debian: apt-get install -y chromium ffmpeg nodejs npm curl)"
done
if [ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" = 0 ]; then
		say "installing GNU time (Debian package time) for peak RSS"
		apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
	else
		die "GNU time is missing: sudo apt-get install -y time"
	fi
fi
[ -x "$PINREADY" ] || { say "building $PINREADY"; $GO build -o "$PINREADY" .; }

rm -rf "$OUT"
mkdir -p "$OUT"
$GO build -o "$OUT/world" ./bench/world

# playwright-core only: the browser is Debian's Chromium, never downloaded.
if [ ! -d bench/node_modules/playwright-core ]; then
	say "npm ci (playwright-core only, no browser download)"
	(cd bench && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
fi
# recordVideo runs Playwright's own ffmpeg build; Debian's ffmpeg does the same job.
ffrev=$(node -e 'console.log(require("./bench/node_modules/playwright-core/browsers.json").browsers.find(b => b.name === "ffmpeg").revision)')
pwffmpeg=${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}/ffmpeg-$ffrev/ffmpeg-linux
if [ ! -e "$pwffmpeg" ]; then
	mkdir -p "$(dirname "$pwffmpeg")"
	ln -s "$(command -v ffmpeg)" "$pwffmpeg"
fi

# --- the world --------------------------------------------------------------
coproc WORLD { exec "$OUT/world" --config "$OUT/pinready.yaml"; }
WORLD_PID_SAVED=$WORLD_PID
trap 'kill "$WORLD_PID_SAVED" 2>/dev/null || true' EXIT
IFS= read -r -t 30 ready <&"${WORLD[0]}" || die "the world did not start"
json() { node -e 'const r = JSON.parse(process.argv[1]); const v = r[process.argv[2]]; console.log(Array.isArray(v) ? v.join("\n") : v)' "$ready" "$1"; }
APP_URL=$(json app_url)
RULES=$(json host_resolver_rules)
CONFIG=$(json config)
RESOLVE=()
while IFS= read -r r; do RESOLVE+=(--resolve "$r"); done < <(json resolve)
say "world: $APP_URL (config $CONFIG)"

RAW=$OUT/raw.tsv
printf 'bench\tside\trun\tmetric\tvalue\n' >"$RAW"
raw() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RAW"; }
val() { awk -F'\t' -v b="$1" -v s="$2" -v m="$3" '$1==b && $2==s && $4==m {print $5}' "$RAW" | median; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 1. record vs the Playwright peer ----------------------------------------
probe() { # file → "duration width height codec"
	ffprobe -v error -select_streams v:0 -show_entries format=duration:stream=width,height,codec_name \
		-of default=noprint_wrappers=1 "$1" |
		awk -F= '{v[$1]=$2} END {printf "%s %s %s %s\n", v["duration"], v["width"], v["height"], v["codec_name"]}'
}
stamp() { while IFS= read -r l; do printf '%s %s\n' "$(now_ms)" "$l"; done; }

# descendants PID: every process below PID
descendants() {
	local c
	for c in $(pgrep -P "$1" || true); do
		echo "$c"
		descendants "$c"
	done
}
# cpu_ms PID: user+system CPU time the process has used so far
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz}' "/proc/$1/stat" 2>/dev/null || true
}

# One pinready record, with stderr lines time-stamped, and sampled from
# /proc: its own process's peak RSS (VmHWM), and its ffmpeg's lifetime and
# CPU time.
record_pinready() {
	local i=$1 dir=$OUT/record/pinready-$i
	mkdir -p "$dir"
	local t0 t1 tpid pid="" hwm=0 ff="" ffgone="" ffcpu=0 ownCPU=0 exe h c d
	exe=$(readlink -f "$PINREADY")
	t0=$(now_ms)
	/usr/bin/time -v -o "$dir/time.txt" "$PINREADY" record --config "$CONFIG" --out "$dir" \
		--pace "${PACE_MS}ms" --no-color "${RESOLVE[@]}" >"$dir/stdout.txt" 2> >(stamp >"$dir/stderr.txt") &
	tpid=$!
	while kill -0 "$tpid" 2>/dev/null; do
		if [ -z "$pid" ]; then
			for d in $(descendants "$tpid"); do
				[ "$(readlink -f "/proc/$d/exe" 2>/dev/null)" = "$exe" ] && pid=$d && break
			done
		fi
		if [ -n "$pid" ]; then
			h=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
			c=$(cpu_ms "$pid")
			[ -n "$c" ] && ownCPU=$c
			if [ -z "$ff" ]; then
				ff=$(pgrep -P "$pid" -x ffmpeg | head -1 || true)
			elif [ -z "$ffgone" ]; then
				c=$(cpu_ms "$ff")
				if [ -n "$c" ] && [ -e "/proc/$ff/exe" ]; then ffcpu=$c; else ffgone=$(now_ms); fi
			fi
		fi
		sleep 0.1
	done
	wait "$tpid" || say "pinready record run $i exited $?"
	t1=$(now_ms)
	sleep 0.3 # the stamping of the last stderr lines
	local p
	p=$(probe "$dir/demo.mp4")
	read -r dur w h codec <<<"$p"
	local wall=$((t1 - t0)) dur_ms
	dur_ms=$(awk -v d="$dur" 'BEGIN {printf "%d", d*1000}')
	raw record pinready "$i" wall_ms "$wall"
	raw record pinready "$i" video_ms "$dur_ms"
	raw record pinready "$i" beyond_ms $((wall - dur_ms))
	raw record pinready "$i" tree_rss_kb "$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.txt")"
	raw record pinready "$i" own_rss_kb "$hwm"
	raw record pinready "$i" own_cpu_ms "$ownCPU"
	raw record pinready "$i" ffmpeg_cpu_ms "$ffcpu"
	raw record pinready "$i" tree_cpu_ms "$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%d", s*1000}' "$dir/time.txt")"
	raw record pinready "$i" video "${w}x${h} $codec"
	# Where the time goes, from the stamped progress lines.
	local rec enc wrote title_ms
	rec=$(awk '/demo: recording/ {print $1; exit}' "$dir/stderr.txt")
	enc=$(awk '/demo: encoding/ {print $1; exit}' "$dir/stderr.txt")
	wrote=$(awk '/demo: wrote/ {print $1; exit}' "$dir/stderr.txt")
	title_ms=2500 # demo.Options.TitleCard default: frames written at once, not in real time
	if [ -n "$rec" ] && [ -n "$enc" ] && [ -n "$wrote" ]; then
		raw record pinready "$i" startup_ms $((rec - t0))
		raw record pinready "$i" flow_ms $((enc - rec))
		raw record pinready "$i" finish_ms $((t1 - enc))
		raw record pinready "$i" exit_ms $((t1 - wrote))
		raw record pinready "$i" beyond_flow_ms $((wall - (enc - rec)))
		raw record pinready "$i" beyond_untitled_ms $((wall - dur_ms + title_ms))
		[ -n "$ffgone" ] && raw record pinready "$i" ffmpeg_tail_ms $((ffgone - enc))
		[ -n "$ffgone" ] && raw record pinready "$i" after_ffmpeg_ms $((wrote - ffgone))
	fi
	say "record pinready #$i: wall $(secs $wall)s, video $(secs $dur_ms)s ${w}x${h} $codec, own RSS $((hwm / 1024)) MiB"
}

record_playwright() {
	local i=$1 dir=$OUT/record/playwright-$i
	mkdir -p "$dir"
	local t0 t1
	t0=$(now_ms)
	/usr/bin/time -v -o "$dir/time.txt" node bench/playwright-record.mjs --app "$APP_URL" --rules "$RULES" \
		--out "$dir" --pace "$PACE_MS" --chromium "$CHROMIUM" >"$dir/stdout.txt" 2>"$dir/stderr.txt" ||
		say "playwright run $i exited $?"
	t1=$(now_ms)
	local video flow_start flow_end
	field() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]])' "$dir/stdout.txt" "$1"; }
	video=$(field video)
	flow_start=$(field flow_start_ms)
	flow_end=$(field flow_end_ms)
	local p dur_ms wall=$((t1 - t0))
	p=$(probe "$video")
	read -r dur w h codec <<<"$p"
	dur_ms=$(awk -v d="$dur" 'BEGIN {printf "%d", d*1000}')
	raw record playwright "$i" wall_ms "$wall"
	raw record playwright "$i" video_ms "$dur_ms"
	raw record playwright "$i" beyond_ms $((wall - dur_ms))
	raw record playwright "$i" beyond_flow_ms $((wall - (flow_end - flow_start)))
	raw record playwright "$i" tree_rss_kb "$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.txt")"
	raw record playwright "$i" tree_cpu_ms "$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%d", s*1000}' "$dir/time.txt")"
	raw record playwright "$i" video "${w}x${h} $codec"
	raw record playwright "$i" startup_ms $((flow_start - t0))
	raw record playwright "$i" flow_ms $((flow_end - flow_start))
	raw record playwright "$i" finish_ms $((t1 - flow_end))
	say "record playwright #$i: wall $(secs $wall)s, video $(secs $dur_ms)s ${w}x${h} $codec"
}

if [ -z "${SKIP_RECORD:-}" ]; then
	for i in $(seq 1 "$RUNS"); do
		record_pinready "$i"
		record_playwright "$i"
	done
fi

# --- 2. static audit vs curl --------------------------------------------------
CURL_RESOLVE=()
while IFS= read -r r; do CURL_RESOLVE+=(--resolve "$r"); done < <(json resolve)
for i in $(seq 1 "$CHECK_RUNS"); do
	t0=$(now_ms)
	"$PINREADY" check --config "$CONFIG" --only privacy --render never --no-color "${RESOLVE[@]}" \
		>"$OUT/static-check.txt" 2>&1 || true
	t1=$(now_ms)
	curl -s -o /dev/null -o /dev/null "${CURL_RESOLVE[@]}" "${APP_URL}privacy" "$APP_URL" || die "curl failed"
	t2=$(now_ms)
	raw static pinready "$i" wall_ms $((t1 - t0))
	raw static curl "$i" wall_ms $((t2 - t1))
done
grep -q "passed" "$OUT/static-check.txt" || die "pinready check --only privacy printed no summary: see $OUT/static-check.txt"
say "static: pinready $(val static pinready wall_ms) ms, curl $(val static curl wall_ms) ms (medians)"

# --- 3. check of 1 vs 20 apps (and 1 vs 5 with oauth) -------------------------
apps() { # n dir
	mkdir -p "$2"
	for k in $(seq -w 1 "$1"); do
		sed "s/^  name: .*/  name: Acme Pin Planner $k/" "$CONFIG" >"$2/app$k.yaml"
	done
}
apps 1 "$OUT/apps-1"
apps 20 "$OUT/apps-20"
multi() { # label dir only runs
	for i in $(seq 1 "$4"); do
		t0=$(now_ms)
		"$PINREADY" check --config "$2" --only "$3" --jobs 4 --no-color "${RESOLVE[@]}" \
			>"$OUT/$1.txt" 2>"$OUT/$1.err" || true
		t1=$(now_ms)
		raw multi "$1" "$i" wall_ms $((t1 - t0))
		say "check $1: $((t1 - t0)) ms"
	done
}
for i in $(seq 1 "$MULTI_RUNS"); do # alternate, one run each at a time
	multi apps-1 "$OUT/apps-1" privacy,description 1
	multi apps-20 "$OUT/apps-20" privacy,description 1
done
if [ "$OAUTH_RUNS" -gt 0 ]; then
	apps 5 "$OUT/apps-5"
	for i in $(seq 1 "$OAUTH_RUNS"); do
		multi oauth-1 "$OUT/apps-1" privacy,description,oauth 1
		multi oauth-5 "$OUT/apps-5" privacy,description,oauth 1
	done
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 4. Go benchmarks ---------------------------------------------------------
if [ "$GO_BENCH" != 0 ]; then
	$GO test -run '^$' -bench 'BenchmarkComposeEncode1080p' -benchtime 90x ./demo/ | tee "$OUT/go-demo.txt" >&2 || true
	$GO test -run '^$' -bench 'BenchmarkContentAnalysis50KB' -benchtime 2s ./privacy/ | tee "$OUT/go-privacy.txt" >&2 || true
fi
gometric() { # file benchmark-prefix unit
	awk -v b="$2" -v u="$3" 'index($1, b) == 1 {for (i = 2; i <= NF; i++) if ($i == u) print $(i-1)}' "$1" 2>/dev/null | head -1
}

# --- results ------------------------------------------------------------------
{
	echo "## Results ($(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average before $load_before, after $load_after)"
	echo
	if [ -z "${SKIP_RECORD:-}" ]; then
		pb=$(val record pinready beyond_ms) wb=$(val record playwright beyond_ms)
		pbu=$(val record pinready beyond_untitled_ms)
		pbf=$(val record pinready beyond_flow_ms) wbf=$(val record playwright beyond_flow_ms)
		echo "### record vs Playwright recordVideo (pace ${PACE_MS} ms, median of $RUNS alternating runs)"
		echo
		echo "| | pinready record | Playwright peer | ratio (goal ≤ 1.0) |"
		echo "|---|---|---|---|"
		echo "| wall time | $(secs "$(val record pinready wall_ms)") s | $(secs "$(val record playwright wall_ms)") s | |"
		echo "| video duration (ffprobe) | $(secs "$(val record pinready video_ms)") s | $(secs "$(val record playwright video_ms)") s | |"
		echo "| **time beyond the timeline** (wall − video) | **$(secs "$pb") s** | **$(secs "$wb") s** | **$(ratio "$pb" "$wb")×** |"
		echo "| same, not counting pinready's 2.5 s title card (drawn, not recorded) | $(secs "$pbu") s | $(secs "$wb") s | $(ratio "$pbu" "$wb")× |"
		echo "| wall − the flow's own time | $(secs "$pbf") s | $(secs "$wbf") s | $(ratio "$pbf" "$wbf")× |"
		echo "| start-up (command start to the flow's start) | $(secs "$(val record pinready startup_ms)") s | $(secs "$(val record playwright startup_ms)") s | |"
		echo "| the flow | $(secs "$(val record pinready flow_ms)") s | $(secs "$(val record playwright flow_ms)") s | |"
		echo "| finishing after the flow (to exit) | $(secs "$(val record pinready finish_ms)") s | $(secs "$(val record playwright finish_ms)") s | |"
		echo "| … of which ffmpeg still running | $(secs "$(val record pinready ffmpeg_tail_ms)") s | | |"
		echo "| … after ffmpeg exits (PNGs, storyboard) | $(secs "$(val record pinready after_ffmpeg_ms)") s | | |"
		echo "| … report, browser close, exit | $(secs "$(val record pinready exit_ms)") s | | |"
		echo "| CPU time: whole tree (time -v user+sys) | $(secs "$(val record pinready tree_cpu_ms)") s | $(secs "$(val record playwright tree_cpu_ms)") s | |"
		echo "| … pinready's own process (Go: drive, compose, PNGs) | $(secs "$(val record pinready own_cpu_ms)") s | | |"
		echo "| … its ffmpeg (libx264 ultrafast 1080p30 from yuv420p) | $(secs "$(val record pinready ffmpeg_cpu_ms)") s | | |"
		echo "| output | $(awk -F'\t' '$1=="record" && $2=="pinready" && $4=="video" {print $5; exit}' "$RAW") MP4 | $(awk -F'\t' '$1=="record" && $2=="playwright" && $4=="video" {print $5; exit}' "$RAW") WebM | |"
		echo "| peak RSS, pinready's own process (VmHWM; goal ≤ 150 MiB) | $(($(val record pinready own_rss_kb) / 1024)) MiB (max of runs $(($(awk -F'\t' '$1=="record" && $2=="pinready" && $4=="own_rss_kb" {print $5}' "$RAW" | sort -g | tail -1) / 1024)) MiB) | | |"
		echo "| peak RSS, largest process of the tree (time -v) | $(($(val record pinready tree_rss_kb) / 1024)) MiB | $(($(val record playwright tree_rss_kb) / 1024)) MiB | |"
		echo
	fi
	ps=$(val static pinready wall_ms) cs=$(val static curl wall_ms)
	echo "### Static audit vs curl (median of $CHECK_RUNS runs each)"
	echo
	echo "| pinready check --only privacy --render never | curl -s of the same two pages | ratio |"
	echo "|---|---|---|"
	echo "| $ps ms | $cs ms | $(ratio "$ps" "$cs")× |"
	echo
	m1=$(val multi apps-1 wall_ms) m20=$(val multi apps-20 wall_ms)
	echo "### check --only privacy,description --jobs 4: 1 vs 20 apps (median of $MULTI_RUNS)"
	echo
	echo "| apps | wall | per app | per-app cost vs 1 app |"
	echo "|---|---|---|---|"
	echo "| 1 | $m1 ms | $m1 ms | 1.00× |"
	echo "| 20 | $m20 ms | $((m20 / 20)) ms | $(ratio "$((m20 / 20))" "$m1")× |"
	if [ "$OAUTH_RUNS" -gt 0 ]; then
		o1=$(val multi oauth-1 wall_ms) o5=$(val multi oauth-5 wall_ms)
		echo "| 1, with oauth | $o1 ms | $o1 ms | 1.00× |"
		echo "| 5, with oauth | $o5 ms | $((o5 / 5)) ms | $(ratio "$((o5 / 5))" "$o1")× |"
	fi
	echo
	if [ "$GO_BENCH" != 0 ]; then
		echo "### Go benchmarks"
		echo
		echo "| benchmark | result |"
		echo "|---|---|"
		for f in mp4 webm none; do
			echo "| BenchmarkComposeEncode1080p/$f | $(gometric "$OUT/go-demo.txt" "BenchmarkComposeEncode1080p/$f" frames/s) frames/s |"
		done
		for f in analyse parse; do
			echo "| BenchmarkContentAnalysis50KB/$f | $(gometric "$OUT/go-privacy.txt" "BenchmarkContentAnalysis50KB/$f" ns/op | awk '{printf "%.1f", $1/1e6}') ms/page, $(gometric "$OUT/go-privacy.txt" "BenchmarkContentAnalysis50KB/$f" MB/s) MB/s |"
		done
		echo
	fi
} >"$OUT/results.md"
cat "$OUT/results.md"
say "raw numbers: $RAW"
