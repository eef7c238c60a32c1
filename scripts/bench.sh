#!/usr/bin/env bash
# bench.sh (make bench): every figure of bench/RESULTS.md in one run, on a
# private Postgres, without the race detector. It asserts nothing about
# time; the figures are the result. Sizes (defaults are the full run):
#   BENCH_ORDERS, BENCH_AUDIT, BENCH_SAMPLES  the history benchmark
#   SEND_BENCH_PER_KEY, SEND_BENCH_RUNS       sending (600 per key, 3 runs)
#   PAGES_BENCH_ORDERS, PAGES_BENCH_DURATION, PAGES_BENCH_RUNS  pages under load
#   BENCH_SKIP_HISTORY=1                      skip the history benchmark
# The load average is sampled every 10 s through the run and reported:
# on a shared machine it says how far the figures are from quiet ones.
# The generated section of bench/RESULTS.md (between the markers) is
# replaced; the rest of the file is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(mktemp -d)
sampler=""
trap '[ -n "$sampler" ] && kill "$sampler" 2>/dev/null; rm -rf "$out"' EXIT
export TEST_RACE=0
started=$(date -u +%Y-%m-%dT%H:%MZ)
# One-minute load average every 10 s, until the end of the run.
( while :; do cut -d' ' -f1 /proc/loadavg >> "$out/load"; sleep 10; done ) &
sampler=$!

# A part that fails (a check inside a benchmark, such as a list read
# sequentially) is reported and the run goes on: the figures of the other
# parts still count. The script exits non-zero at the end.
failed=""
if [ "${BENCH_SKIP_HISTORY:-}" != 1 ]; then
	TEST_RACE=0 scripts/test.sh -run '^$' -bench . -benchtime 1x -v ./internal/history/ ./internal/auth/ 2>&1 | tee "$out/history.log" || failed="$failed history"
else
	echo "skipped (BENCH_SKIP_HISTORY=1)" > "$out/history.log"
fi
SEND_BENCH=full SEND_BENCH_OUT="$out/send.md" \
	scripts/test.sh -run '^TestSendThroughput$' -v -timeout 60m ./internal/e2e/ 2>&1 | tee "$out/send.log" || failed="$failed sending"
# The pages' run also takes the CPU profile of the slowest page.
PAGES_BENCH=full PAGES_BENCH_OUT="$out/pages.md" PAGES_BENCH_PROFILE="$out" \
	scripts/test.sh -run '^TestPagesUnderLoad$' -v -timeout 60m ./internal/e2e/ 2>&1 | tee "$out/pages.log" || failed="$failed pages"
kill "$sampler" 2>/dev/null || true
sampler=""
load=$(sort -n "$out/load" | awk '{a[NR]=$1} END {if (NR) printf "min %s, median %s, max %s over %d samples", a[1], a[int((NR+1)/2)], a[NR], NR; else print "not sampled"}')

pg=$(/usr/lib/postgresql/15/bin/postgres --version 2>/dev/null || echo "postgres: unknown")
{
	echo "<!-- make bench: generated from here -->"
	echo "## make bench, ${started} to $(date -u +%H:%MZ)"
	echo
	echo "- $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo) RAM"
	echo "- load average (1 min) during the run: ${load}. On $(nproc) CPUs anything above $(nproc) means runnable work queued for a CPU: every figure below, the ceilings included, is then lower and noisier than on a quiet machine."
	echo "- $(go version | cut -d' ' -f3-), ${pg}, fsync off (devdb fast)"
	history_size="${BENCH_ORDERS:-1000000} orders"
	[ "${BENCH_SKIP_HISTORY:-}" = 1 ] && history_size="skipped"
	echo "- sizes: history ${history_size}; sending ${SEND_BENCH_PER_KEY:-600} orders per key, ${SEND_BENCH_RUNS:-3} runs; pages ${PAGES_BENCH_ORDERS:-1000000} orders, ${PAGES_BENCH_DURATION:-5s} per point, ${PAGES_BENCH_RUNS:-3} runs"
	echo
	if [ -n "$failed" ]; then
		echo "- **failed:${failed}** (see each part below: a check inside it did not hold)"
		echo
	fi
	echo "### History queries (BenchmarkHistory)"
	echo
	echo '```'
	grep -E 'p50|rows/s|loaded|sequential|indexes|skipped' "$out/history.log" | sed 's/^ *//' || true
	echo '```'
	echo
	echo "### Sending (TestSendThroughput, SEND_BENCH=full)"
	echo
	cat "$out/send.md" 2>/dev/null || echo "(no figures: the run failed)"
	echo
	echo "### Pages under load (TestPagesUnderLoad, PAGES_BENCH=full)"
	echo
	cat "$out/pages.md" 2>/dev/null || echo "(no figures: the run failed)"
	echo "<!-- make bench: generated to here -->"
} > "$out/section.md"

results=bench/RESULTS.md
if grep -q '<!-- make bench: generated from here -->' "$results"; then
	awk -v f="$out/section.md" '
		/<!-- make bench: generated from here -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/<!-- make bench: generated to here -->/ { skip = 0; next }
		!skip { print }' "$results" > "$out/results.md"
	cp "$out/results.md" "$results"
else
	{ echo; cat "$out/section.md"; } >> "$results"
fi
echo "bench: figures written to $results"
if [ -n "$failed" ]; then
	echo "bench: failed:${failed}" >&2
	exit 1
fi
