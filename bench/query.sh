#!/usr/bin/env bash
# Query benchmark: latencies of the stats, funnel and journeys APIs (`POST /api/v2/query`,
# `/api/v2/funnel`, `/api/v2/journeys`, `/api/v2/attribution` through a running
# `parcours serve`) on 30 days of simulated clinic traffic loaded in bulk, at each
# size given, beside a floor measured in the same run: ClickHouse counting the same
# rows, asked directly. Median (min–max) of RUNS runs after one warm-up run.
# Appends to docs/BENCHMARKS.md.
#
# Usage: bench/query.sh [runs=5] [sizes="1000000 10000000"]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${1:-5}
sizes=${2:-1000000 10000000}
bench_setup target/bench-query
site=demo.parcours.local

# time_query URL BODY [AUTH]: seconds for one answer (fails unless 200).
time_query() {
  local out auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  out=$(curl -sS -o "$BENCH_WORK/answer" -w '%{http_code} %{time_total}' "$1" "${auth[@]}" --data-binary "$2")
  [ "${out% *}" = 200 ] || { echo "HTTP ${out% *}: $(head -c 300 "$BENCH_WORK/answer")" >&2; return 1; }
  echo "${out#* }"
}

# measure URL BODY [AUTH]: "median (min–max)" in milliseconds, then the first ask
# (which, for funnels, paths and attribution, also stores the answers of closed days).
measure() {
  local ms=() t first
  first=$(time_query "$@")
  for _ in $(seq "$runs"); do
    t=$(time_query "$@")
    ms+=("$(python3 -c "print($t * 1000)")")
  done
  echo "$(stats "${ms[@]}"); first $(python3 -c "print(round($first * 1000))")"
}

declare -A result loads
names=(floor overview_30d overview_day pages_30d pages_7d channels_30d filtered_30d funnel_30d paths_to_30d flows_30d attribution_30d)
labels=(
  "floor: \`SELECT count()\` of the site's 30 days, straight to ClickHouse"
  "overview, 30 days: visitors, visits, pageviews, bounce rate, visit duration"
  "overview, today (the open day: built up to the job's last run, visitors seen since from events)"
  "top pages, 30 days: visitors, visits, pageviews by \`event:page\`, with suppression"
  "top pages, 7 days"
  "channels, 30 days: visitors, visits, bounce rate by \`visit:channel\`"
  "top pages, 30 days, filtered: \`visit:channel\` is Organic Search and \`event:page\` matches \`/medecins/**\`"
  "funnel, 30 days: 4 steps (symptom group, doctor page, Booking Started, Booking Confirmed with a prop), 1-day window, by \`visit:channel\`"
  "paths_to the goal Booked, 30 days, by content group, 6 steps"
  "flows around the content group Doctor profile, 30 days, 2 steps before and 3 after"
  "attribution of Booked by \`visit:channel\`, first touch, 30 days"
)
for n in $sizes; do
  db=q$n
  export PARCOURS_CLICKHOUSE_DATABASE=$db
  target/release/parcours simulate --mode bulk --site "$site" --days 30 --events "$n" --seed 1 \
    2>"$BENCH_WORK/load-$n.log"
  rows=$(ch "SELECT count() FROM events" "$db")
  sleep 10 # let background merges settle a little, as they would on a live node
  parts=$(ch "SELECT count() FROM system.parts WHERE database = '$db' AND table = 'events' AND active")
  loads[$n]="$rows rows ($(grep -o '[0-9]* rows/s' "$BENCH_WORK/load-$n.log" | head -1) in bulk), $parts active parts"
  key=$(target/release/parcours keys create --site "$site")
  port=$(free_port)
  target/release/parcours serve --listen "127.0.0.1:$port" 2>"$BENCH_WORK/serve-$n.log" &
  BENCH_PIDS+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  api="http://127.0.0.1:$port/api/v2/query"
  site_id=$(ch "SELECT site_id FROM sites FINAL WHERE domain = '$site'" "$db")
  # The node builds visitor-days for every day at start (today up to the moment);
  # time it, then wait.
  want=$(ch "SELECT uniqExact(toDate(timestamp)) FROM events" "$db")
  t0=$(date +%s.%N)
  until [ "$(ch "SELECT uniqExact(day) FROM visitor_day_builds" "$db")" -ge "$want" ]; do sleep 0.5; done
  loads[$n]+=", $want days built into visitor-days and rollups in $(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')") s after start"
  sleep 5 # let the merges of the new parts settle
  result[floor,$n]=$(measure "$CH_URL/?database=$db" \
    "SELECT count() FROM events WHERE site_id = $site_id AND timestamp >= now() - INTERVAL 30 DAY")
  q() { echo "{\"site_id\":\"$site\",\"metrics\":[\"visitors\",\"visits\",\"pageviews\"],\"date_range\":\"$1\"${2:-}}"; }
  o() { echo "{\"site_id\":\"$site\",\"metrics\":[\"visitors\",\"visits\",\"pageviews\",\"bounce_rate\",\"visit_duration\"],\"date_range\":\"$1\"${2:-}}"; }
  result[overview_30d,$n]=$(measure "$api" "$(o 30d)" "$key")
  result[overview_day,$n]=$(measure "$api" "$(o day)" "$key")
  result[pages_30d,$n]=$(measure "$api" "$(q 30d ',"dimensions":["event:page"]')" "$key")
  result[pages_7d,$n]=$(measure "$api" "$(q 7d ',"dimensions":["event:page"]')" "$key")
  result[channels_30d,$n]=$(measure "$api" "$(o 30d ',"dimensions":["visit:channel"]')" "$key")
  result[filtered_30d,$n]=$(measure "$api" "$(q 30d ',"dimensions":["event:page"],"filters":[["is","visit:channel",["Organic Search"]],["matches","event:page",["/medecins/**"]]]')" "$key")
  base="http://127.0.0.1:$port/api/v2"
  for def in \
    'goals {"name":"Booked","event_name":"Booking Confirmed"}' \
    'content_groups {"name":"Symptom research","patterns":["/symptomes/**"],"position":1}' \
    'content_groups {"name":"Doctor profile","patterns":["/medecins/*"],"position":2}' \
    'content_groups {"name":"Booking","patterns":["/prendre-rendez-vous/**"],"position":3}' \
    'content_groups {"name":"Conditions","patterns":["/pathologies/**"],"position":4}'; do
    time_query "$base/${def%% *}" "{\"site_id\":\"$site\",${def#* \{}" "$key" >/dev/null
  done
  result[funnel_30d,$n]=$(measure "$base/funnel" "{\"site_id\":\"$site\",\"date_range\":\"30d\",\"window\":\"1d\",\"breakdown\":\"visit:channel\",\"steps\":[{\"content_group\":\"Symptom research\"},{\"page\":\"/medecins/*\"},{\"event\":\"Booking Started\"},{\"event\":\"Booking Confirmed\",\"props\":{\"specialty\":\"cardiologie\"}}]}" "$key")
  result[paths_to_30d,$n]=$(measure "$base/journeys" "{\"site_id\":\"$site\",\"date_range\":\"30d\",\"mode\":\"paths_to\",\"goal\":\"Booked\"}" "$key")
  result[flows_30d,$n]=$(measure "$base/journeys" "{\"site_id\":\"$site\",\"date_range\":\"30d\",\"mode\":\"flows\",\"around\":{\"content_group\":\"Doctor profile\"},\"max_steps\":3,\"steps_before\":2}" "$key")
  result[attribution_30d,$n]=$(measure "$base/attribution" "{\"site_id\":\"$site\",\"date_range\":\"30d\",\"goal\":\"Booked\",\"attribution\":\"first_touch\"}" "$key")
  kill "${BENCH_PIDS[-1]}"; wait "${BENCH_PIDS[-1]}" 2>/dev/null || true
  echo "$n: done" >&2
done

header="| query |" sep="| --- |"
for n in $sizes; do header+=" $(python3 -c "print(f'{$n/1e6:g}M events')") ms |"; sep+=" ---: |"; done
table="$header
$sep"
for i in "${!names[@]}"; do
  row="| ${labels[$i]} |"
  for n in $sizes; do row+=" ${result[${names[$i]},$n]} |"; done
  table+="
$row"
done
data=""
for n in $sizes; do data+="
- $n events asked: ${loads[$n]}."; done

append "
### Queries, $(date -u +%Y-%m-%d) (rev $(git rev-parse --short HEAD))

Command: \`bench/query.sh $runs \"$sizes\"\` — 30 days of simulated clinic traffic per size
(\`parcours simulate --mode bulk --events N --seed 1\`), asked through \`POST /api/v2/query\` of a running
\`parcours serve\` with curl, on $(machine). Median (min–max) of $runs runs after a first ask, in milliseconds,
including HTTP and JSON; then the first ask alone.
$data

$table

Closed days are read from visitor-days (built by the node's job), and for unfiltered queries by one dimension
or none from the job's per-day rollups; today from its build up to the job's last run, and the visitors seen
since then sessionized from \`events\` at query time by the same SELECT."
