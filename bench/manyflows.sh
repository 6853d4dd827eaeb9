#!/usr/bin/env bash
# bench/manyflows.sh — the cost of an OAuth flow (issue 28): `pinready check
# --only oauth` of APPS apps beside the Playwright peer doing the same flows
# (bench/playwright-flows.mjs: one browser, a fresh browser context per app,
# the same pages, clicks and waits), with the same Chromium build, at 1, 2
# and 4 flows at once, against the world of `pinready example`
# (bench/world). The two sides alternate within each run, so they share
# the machine's load.
#
# Each run is measured by bench/treeusage: the CPU time of its whole
# process tree (Chromium's zygotes and renderers included, which GNU time
# misses), its wall time and the peak of its summed resident memory. A
# one-app run of each side gives the fixed cost (process and browser start),
# so the marginal cost of a flow is (CPU of APPS apps − CPU of one) / (APPS − 1).
#
# Knobs (environment): RUNS=3, APPS=20, JOBS="1 2 4",
# CHROMIUMS="/usr/bin/chromium" (space-separated; each build runs both
# sides), PINREADY=./pinready, GO=go.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/manyflows
RUNS=${RUNS:-3}
APPS=${APPS:-20}
JOBS=${JOBS:-1 2 4}
CHROMIUMS=${CHROMIUMS:-/usr/bin/chromium}
PINREADY=${PINREADY:-$ROOT/pinready}
GO=${GO:-go}
CORES=$(nproc)

say() { printf 'manyflows: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

RAW=$OUT/raw.tsv
if [ -n "${TABLE_ONLY:-}" ]; then # the table again, from the last run's raw.tsv
	[ -s "$RAW" ] || die "no $RAW to tabulate"
	started=${STARTED:-?} load_before=${LOAD_BEFORE:-?} load_after=${LOAD_AFTER:-?}
else
[ -x "$PINREADY" ] || { say "building $PINREADY"; make -s build; }
rm -rf "$OUT"
mkdir -p "$OUT"
$GO build -o "$OUT/world" ./bench/world
$GO build -o "$OUT/treeusage" ./bench/treeusage
if [ ! -d bench/node_modules/playwright-core ]; then
	(cd bench && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
fi

coproc WORLD { exec "$OUT/world" --config "$OUT/pinready.yaml"; }
WORLD_PID_SAVED=$WORLD_PID
trap 'kill "$WORLD_PID_SAVED" 2>/dev/null || true' EXIT
IFS= read -r -t 30 ready <&"${WORLD[0]}" || die "the world did not start"
field() { node -e 'const r = JSON.parse(process.argv[1]); const v = r[process.argv[2]]; console.log(Array.isArray(v) ? v.join("\n") : v)' "$ready" "$1"; }
APP_URL=$(field app_url)
RULES=$(field host_resolver_rules)
RESOLVE=()
while IFS= read -r r; do RESOLVE+=(--resolve "$r"); done < <(field resolve)

apps() { # n dir: n copies of the sample app's config, each its own name
	mkdir -p "$2"
	for k in $(seq -w 1 "$1"); do
		sed "s/^  name: .*/  name: Acme Pin Planner $k/" "$OUT/pinready.yaml" >"$2/app$k.yaml"
	done
}
apps 1 "$OUT/apps-1"
apps "$APPS" "$OUT/apps-$APPS"

printf 'chromium\tside\tapps\tjobs\trun\twall_ms\tcpu_ms\tpeak_rss_kb\tmachine_busy_ms\n' >"$RAW"
record() { # chromium side apps jobs run json
	node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log([r.wall_ms, r.cpu_ms, r.peak_rss_kb, r.machine_busy_ms].join("\t"))' "$6" |
		sed "s|^|$1\t$2\t$3\t$4\t$5\t|" >>"$RAW"
}
# pinready: every app's flow must reach the callback and the live data.
pinready_run() { # chromium apps jobs run
	local tag="pinready-$(basename "$1")-$2x$3-$4" code=0
	PINREADY_CHROMIUM=$1 "$OUT/treeusage" -json "$OUT/$tag.usage" -- "$PINREADY" check --config "$OUT/apps-$2" --only oauth \
		--jobs "$3" --format json --no-color "${RESOLVE[@]}" >"$OUT/$tag.json" 2>"$OUT/$tag.err" || code=$?
	[ "$code" -le 1 ] || die "$tag: pinready check exited $code (see $OUT/$tag.err)"
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
		const reports = r.reports || [r];
		for (const rep of reports) for (const f of rep.findings)
			if (["oauth.callback", "demo.live-integration"].includes(f.rule) && f.status !== "pass")
				{ console.error(`${rep.app.name}: ${f.rule} ${f.status}: ${f.message}`); process.exit(1); }' "$OUT/$tag.json" ||
		die "$tag: a flow did not finish (see $OUT/$tag.json)"
	record "$1" pinready "$2" "$3" "$4" "$OUT/$tag.usage"
}
peer_run() { # chromium apps jobs run
	local tag="peer-$(basename "$1")-$2x$3-$4"
	"$OUT/treeusage" -json "$OUT/$tag.usage" -- node bench/playwright-flows.mjs --app "$APP_URL" --rules "$RULES" \
		--apps "$2" --jobs "$3" --chromium "$1" >"$OUT/$tag.out" 2>"$OUT/$tag.err" || die "$tag: a flow failed (see $OUT/$tag.err)"
	record "$1" peer "$2" "$3" "$4" "$OUT/$tag.usage"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +'%Y-%m-%d %H:%M UTC')
for chromium in $CHROMIUMS; do
	for i in $(seq 1 "$RUNS"); do
		for j in $JOBS; do
			sizes=$APPS
			[ "$j" = 1 ] && sizes="1 $APPS" # one app: the fixed cost
			for apps in $sizes; do
				if [ $((i % 2)) = 1 ]; then
					pinready_run "$chromium" "$apps" "$j" "$i"; peer_run "$chromium" "$apps" "$j" "$i"
				else
					peer_run "$chromium" "$apps" "$j" "$i"; pinready_run "$chromium" "$apps" "$j" "$i"
				fi
				say "$(basename "$chromium") run $i: $apps apps at --jobs $j done"
			done
		done
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'started=%q load_before=%q load_after=%q\n' "$started" "$load_before" "$load_after" >"$OUT/run.env"
fi

# The table: medians of RUNS, per Chromium build and --jobs.
node - "$RAW" "$APPS" "$CORES" "$RUNS" "$started" "$load_before" "$load_after" "$JOBS" <<'EOF' | tee "$OUT/results.md"
const [raw, apps, cores, runs, started, before, after, jobsList] = process.argv.slice(2);
const rows = require('fs').readFileSync(raw, 'utf8').trim().split('\n').slice(1).map(l => l.split('\t'));
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const pick = (c, side, n, j, col) => median(rows.filter(r => r[0] === c && r[1] === side && r[2] === String(n) && r[3] === String(j)).map(r => Number(r[col])));
const s = ms => (ms / 1000).toFixed(2);
const N = Number(apps), C = Number(cores);
console.log(`## OAuth flows: pinready vs the Playwright peer (${started}, ${cores} CPUs, load average before ${before}, after ${after}; median of ${runs})\n`);
for (const c of [...new Set(rows.map(r => r[0]))]) {
	console.log(`### ${c}\n`);
	console.log('| flows at once | wall pinready | wall peer | CPU pinready | CPU peer | CPU/flow pinready | CPU/flow peer | **ratio** | pinready wall ÷ (CPU ÷ cores) | machine idle during pinready | peak RSS pinready | peak RSS peer |');
	console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const j of jobsList.split(' ')) {
		const w = side => pick(c, side, N, j, 5), cpu = side => pick(c, side, N, j, 6), rss = side => pick(c, side, N, j, 7);
		// The share of the machine's CPU time nobody used while pinready ran:
		// 0 when no core idled (others' work included), whatever their load.
		const idle = median(rows.filter(r => r[0] === c && r[1] === 'pinready' && r[2] === String(N) && r[3] === String(j)).map(r => 1 - Number(r[8]) / (Number(r[5]) * C)));
		const pf = cpu('pinready') / N, qf = cpu('peer') / N;
		console.log(`| ${j} | ${s(w('pinready'))} s | ${s(w('peer'))} s | ${s(cpu('pinready'))} s | ${s(cpu('peer'))} s | ${s(pf)} s | ${s(qf)} s | **${(pf / qf).toFixed(2)}×** | ${(w('pinready') / (cpu('pinready') / C)).toFixed(2)} | ${Math.max(0, idle * 100).toFixed(0)}% | ${(rss('pinready') / 1024).toFixed(0)} MiB | ${(rss('peer') / 1024).toFixed(0)} MiB |`);
	}
	const one = side => pick(c, side, 1, 1, 6), all = side => pick(c, side, N, 1, 6);
	const mp = (all('pinready') - one('pinready')) / (N - 1), mq = (all('peer') - one('peer')) / (N - 1);
	console.log(`\nOne app (start-up and one flow): pinready ${s(one('pinready'))} CPU-s, peer ${s(one('peer'))} CPU-s. Marginal CPU of a flow at --jobs 1: pinready ${s(mp)} s, peer ${s(mq)} s, **${(mp / mq).toFixed(2)}×** (goal ≤ 1.0).\n`);
}
EOF
