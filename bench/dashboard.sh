#!/usr/bin/env bash
# Dashboard benchmark: time to a usable overview and to a drawn funnel, measured in
# Chromium with the Performance API (bench/dashboard.mjs), on the 30-day demo site and
# on 30 days of simulated traffic at each size given, through a release `parcours
# serve`; and the first view's size gzipped. The first visit is a fresh browser profile
# against a node started just before, once its start-up job has built every day and
# gone idle (saved funnels are warmed by that job; the overview's filtered asks are
# not), as a morning's first visit would find it; then the median (min–max) of RUNS
# visits. Appends to docs/BENCHMARKS.md.
#
# Usage: bench/dashboard.sh [runs=5] [sizes="10000000"]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${1:-5}
sizes=${2:-10000000}
bench_setup target/bench-dashboard
(cd dashboards && npm ci --no-audit --no-fund --loglevel=error)
site=demo.parcours.local
funnel="Des symptômes au rendez-vous"

# serve_and_time DATABASE: starts a node on the database, waits for its start-up
# job to build every day into visitor-days (as on a node that has been running; before
# that every query reads raw events), times the views, stops it.
serve_and_time() {
  local port pid want
  port=$(free_port)
  PARCOURS_CLICKHOUSE_DATABASE=$1 target/release/parcours serve --listen "127.0.0.1:$port" \
    >"$BENCH_WORK/serve-$1.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  want=$(ch "SELECT uniqExact(toDate(timestamp)) FROM events" "$1")
  until [ "$(ch "SELECT uniqExact(day) FROM visitor_day_builds" "$1")" -ge "$want" ]; do sleep 0.5; done
  # Then until the job is idle (rollups and the warming of saved funnels follow the
  # builds): no query but this one running in ClickHouse, five checks in a row.
  local idle=0
  for _ in $(seq 1200); do
    if [ "$(ch "SELECT count() FROM system.processes")" = 1 ]; then idle=$((idle + 1)); else idle=0; fi
    [ "$idle" -ge 5 ] && break
    sleep 0.5
  done
  node bench/dashboard.mjs "http://127.0.0.1:$port" "$email" "$password" "$site" "$funnel" "$runs"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# owner DATABASE: a server owner the browser signs in as.
email=bench@parcours.local
password="le mot de passe du banc d'essai"
owner() {
  echo "$password" | PARCOURS_CLICKHOUSE_DATABASE=$1 target/release/parcours users add "$email" \
    --owner --password-stdin >/dev/null 2>&1
}

declare -A timing events
PARCOURS_CLICKHOUSE_DATABASE=demo target/release/parcours demo >/dev/null 2>&1
owner demo
events[demo]=$(ch "SELECT count() FROM events" demo)
timing[demo]=$(serve_and_time demo)
for n in $sizes; do
  db=d$n
  PARCOURS_CLICKHOUSE_DATABASE=$db target/release/parcours simulate --mode bulk --site "$site" \
    --days 30 --events "$n" --seed 1 2>"$BENCH_WORK/load-$n.log"
  owner "$db"
  events[$db]=$(ch "SELECT count() FROM events" "$db")
  timing[$db]=$(serve_and_time "$db")
done

gz=$(node --input-type=module -e '
import { readFileSync, readdirSync } from "node:fs"
import { gzipSync } from "node:zlib"
const dist = "dashboards/dist/"
const files = new Map([["index.html", readFileSync(dist + "index.html", "utf8")]])
for (const f of readdirSync(dist + "assets")) files.set("assets/" + f, readFileSync(dist + "assets/" + f, "utf8"))
const { firstView } = await import(process.cwd() + "/dashboards/tests/first-view.mjs")
const first = firstView(files)
const gz = (n) => gzipSync(files.get(n), { level: 9 }).length
const all = [...files.keys()].reduce((s, n) => s + gz(n), 0)
console.log(`${first.reduce((s, n) => s + gz(n), 0)} ${all}`)')

row() { # NAME DB
  python3 - "$1" "${events[$2]}" "${timing[$2]}" <<'PY'
import json, sys
name, events, t = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
cell = lambda x: f"{x['median']:,} ({x['min']:,}–{x['max']:,}); first visit {x['first']:,}"
print(f"| {name} ({events:,} events) | {cell(t['overview'])} | {cell(t['funnel'])} |")
PY
}

append ""
append "### Dashboard, $(date -u +%F) (rev $(git rev-parse --short HEAD))"
append ""
append "Command: \`bench/dashboard.sh $runs \"$sizes\"\`, on $(machine); Chromium $(chromium --version 2>/dev/null | awk '{print $2}'), 1366×900, fr-FR."
append "Milliseconds from the start of navigation to a usable view (every figure drawn, no placeholder left), median (min–max) of $runs visits with the browser's cache, then the first visit (fresh profile; the node had started just before, and its start-up job had built every day and gone idle)."
append ""
append "| site | overview, ms | funnel (4 steps, 30 days), ms |"
append "| --- | ---: | ---: |"
append "$(row "demo site" demo)"
for n in $sizes; do append "$(row "simulated, 30 days" "d$n")"; done
append ""
append "First view (page, styles, script and the chunks it imports at once): ${gz% *} bytes gzipped (level 9); all assets ${gz#* } bytes."
