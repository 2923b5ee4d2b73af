#!/usr/bin/env bash
# Cluster benchmark: a 2-shard x 2-replica ClickHouse 18.16 cluster with ZooKeeper on
# loopback (scripts/cluster.sh) against one ClickHouse server, in the same run, on the
# same events:
# 1. ingest: `POST /api/event` under wrk through HAProxy, with 1, 2 and 3 nodes in
#    cluster mode, beside 1 node on the single server (the baseline);
# 2. queries: N events loaded in bulk into the cluster and copied row for row to the
#    single server; the same API questions to a node on each, first ask and warm median.
# Appends to docs/BENCHMARKS.md. Everything shares this machine's cores: the cluster's
# four servers and ZooKeeper compete with the nodes and wrk, so the figures show the
# cost of the cluster's coordination here, not what four machines would give.
#
# Usage: bench/cluster.sh [events=1000000] [seconds=10] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
events=${1:-1000000}
secs=${2:-10}
runs=${3:-5}
conns=32
site=demo.parcours.local
bench_setup target/bench-cluster
scripts/cluster.sh install >/dev/null
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

base=$(python3 -c 'import random; print(random.randrange(20000, 40000, 100))')
eval "$(scripts/cluster.sh start "$BENCH_WORK/cluster" "$base" | sed 's/^/export /')"
stop_cluster() { scripts/cluster.sh stop "$BENCH_WORK/cluster" >/dev/null 2>&1 || true; pkill -f "haproxy -f $BENCH_WORK" || true; bench_cleanup; }
trap stop_cluster EXIT
IFS=, read -r -a replicas <<<"$PARCOURS_CLICKHOUSE_REPLICAS"
single=$CH_URL
cluster_env=(PARCOURS_CLICKHOUSE_CLUSTER="$PARCOURS_CLICKHOUSE_CLUSTER" PARCOURS_CLICKHOUSE_REPLICAS="$PARCOURS_CLICKHOUSE_REPLICAS")
unset PARCOURS_CLICKHOUSE_CLUSTER PARCOURS_CLICKHOUSE_REPLICAS
export PARCOURS_TRUSTED_PROXIES=127.0.0.1 PARCOURS_RATE_LIMIT_PER_SECOND=0

# node NAME CH_URL PORT [cluster]: starts `parcours serve`, waits for /ready.
node() {
  local envs=(PARCOURS_CLICKHOUSE_URL="$2" PARCOURS_LISTEN="127.0.0.1:$3" PARCOURS_DATA_DIR="$BENCH_WORK/$1")
  [ "${4:-}" = cluster ] && envs+=("${cluster_env[@]}")
  env "${envs[@]}" target/release/parcours serve 2>"$BENCH_WORK/$1.log" &
  BENCH_PIDS+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$3/ready" >/dev/null && return 0; sleep 0.2; done
  echo "node $1 did not start: $(tail -5 "$BENCH_WORK/$1.log")" >&2; return 1
}

# haproxy PORT NODE_PORT...: a load balancer over the nodes, checking /ready.
haproxy_on() {
  local port=$1; shift
  local cfg="$BENCH_WORK/haproxy-$port.cfg"
  {
    printf 'global\n  maxconn 4000\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n'
    printf 'frontend f\n  bind 127.0.0.1:%s\n  default_backend nodes\nbackend nodes\n  balance roundrobin\n  option httpchk GET /ready\n' "$port"
    local i=0
    for p in "$@"; do printf '  server n%s 127.0.0.1:%s check inter 1s\n' "$i" "$p"; i=$((i + 1)); done
  } >"$cfg"
  haproxy -f "$cfg" -db 2>"$BENCH_WORK/haproxy-$port.log" &
  BENCH_PIDS+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && return 0; sleep 0.1; done
}

# ingest LABEL URL: req/s and p99 of one wrk run through the load balancer.
ingest() {
  local out="$BENCH_WORK/wrk-$1"
  wrk -t1 -c"$conns" -d2s -s bench/beacon.lua "$2" >/dev/null
  wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/beacon.lua "$2" >"$out"
  echo "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out") $(awk '$1=="99%" {print $2}' "$out")"
}

# 1. Ingest.
export PARCOURS_CLICKHOUSE_DATABASE=ingest
PARCOURS_CLICKHOUSE_URL=$single target/release/parcours sites add bench.parcours.local >/dev/null
env PARCOURS_CLICKHOUSE_URL="${replicas[0]}" "${cluster_env[@]}" target/release/parcours sites add bench.parcours.local >/dev/null
p0=$(free_port); node single "$single" "$p0"
lb=$(free_port); haproxy_on "$lb" "$p0"
declare -A ing
ing[single]=$(ingest single "http://127.0.0.1:$lb/api/event")
kill "${BENCH_PIDS[-1]}" "${BENCH_PIDS[-2]}"
ports=()
for n in 1 2 3; do
  p=$(free_port); node "cluster$n" "${replicas[$((n - 1))]}" "$p" cluster; ports+=("$p")
  lb=$(free_port); haproxy_on "$lb" "${ports[@]}"
  ing[$n]=$(ingest "cluster$n" "http://127.0.0.1:$lb/api/event")
  kill "${BENCH_PIDS[-1]}"
done
sleep 3
stored_single=$(curl -s "$single/?database=ingest" --data-binary "SELECT count() FROM events")
stored_cluster=$(curl -s "${replicas[0]}/?database=ingest&load_balancing=in_order" --data-binary "SELECT count() FROM events")
for p in "${BENCH_PIDS[@]:2}"; do kill "$p" 2>/dev/null || true; done

# 2. Queries on the same events.
export PARCOURS_CLICKHOUSE_DATABASE=q
t0=$(date +%s.%N)
env PARCOURS_CLICKHOUSE_URL="${replicas[0]}" "${cluster_env[@]}" target/release/parcours simulate --mode bulk \
  --site "$site" --days 30 --events "$events" --seed 1 2>"$BENCH_WORK/load.log"
load_s=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
PARCOURS_CLICKHOUSE_URL=$single target/release/parcours migrate 2>/dev/null
# Streamed (chunked upload): 10M rows do not fit a curl buffer.
for table in events sites consent_keys; do
  curl -sS "${replicas[0]}/?database=q&load_balancing=in_order" --data-binary "SELECT * FROM $table FORMAT Native" |
    curl -sS --fail-with-body -X POST -T - "$single/?database=q&query=INSERT%20INTO%20$table%20FORMAT%20Native" >/dev/null
done
rows=$(curl -s "$single/?database=q" --data-binary "SELECT count() FROM events")
key_s=$(PARCOURS_CLICKHOUSE_URL=$single target/release/parcours keys create --site "$site")
key_c=$(env PARCOURS_CLICKHOUSE_URL="${replicas[0]}" "${cluster_env[@]}" target/release/parcours keys create --site "$site")
declare -A started built
ps=$(free_port); started[single]=$(date +%s.%N); node qsingle "$single" "$ps"
pc=$(free_port); started[cluster]=$(date +%s.%N); node qcluster "${replicas[0]}" "$pc" cluster
want=$(curl -s "$single/?database=q" --data-binary "SELECT uniqExact(toDate(timestamp)) FROM events")
# Each node builds every day at start; both are timed from their own start.
while [ -z "${built[single]:-}" ] || [ -z "${built[cluster]:-}" ]; do
  for target in single cluster; do
    [ -n "${built[$target]:-}" ] && continue
    url=$([ $target = single ] && echo "$single" || echo "${replicas[0]}")
    if [ "$(curl -s "$url/?database=q" --data-binary "SELECT uniqExact(day) FROM visitor_day_builds")" -ge "$want" ]; then
      built[$target]=$(python3 -c "print(round($(date +%s.%N) - ${started[$target]}, 1))")
    fi
  done
  sleep 0.5
done
sleep 5

time_query() {
  local out
  out=$(curl -sS -o "$BENCH_WORK/answer" -w '%{http_code} %{time_total}' "$1" -H "Authorization: Bearer $3" --data-binary "$2")
  [ "${out% *}" = 200 ] || { echo "HTTP ${out% *}: $(head -c 300 "$BENCH_WORK/answer")" >&2; return 1; }
  echo "${out#* }"
}
measure() {
  local ms=() t first
  first=$(time_query "$@")
  for _ in $(seq "$runs"); do t=$(time_query "$@"); ms+=("$(python3 -c "print($t * 1000)")"); done
  echo "$(stats "${ms[@]}"); first $(python3 -c "print(round($first * 1000))")"
}
names=(overview pages channels funnel paths_to flows attribution)
declare -A body
body[overview]="{\"site_id\":\"$site\",\"metrics\":[\"visitors\",\"visits\",\"pageviews\",\"bounce_rate\",\"visit_duration\"],\"date_range\":\"30d\"}"
body[pages]="{\"site_id\":\"$site\",\"metrics\":[\"visitors\",\"visits\",\"pageviews\"],\"date_range\":\"30d\",\"dimensions\":[\"event:page\"]}"
body[channels]="{\"site_id\":\"$site\",\"metrics\":[\"visitors\",\"visits\",\"bounce_rate\"],\"date_range\":\"30d\",\"dimensions\":[\"visit:channel\"]}"
body[funnel]="{\"site_id\":\"$site\",\"date_range\":\"30d\",\"window\":\"1d\",\"breakdown\":\"visit:channel\",\"steps\":[{\"page\":\"/symptomes/**\"},{\"page\":\"/medecins/*\"},{\"event\":\"Booking Started\"},{\"event\":\"Booking Confirmed\"}]}"
body[paths_to]="{\"site_id\":\"$site\",\"date_range\":\"30d\",\"mode\":\"paths_to\",\"goal\":\"Booked\"}"
body[flows]="{\"site_id\":\"$site\",\"date_range\":\"30d\",\"mode\":\"flows\",\"around\":{\"page\":\"/medecins/*\"},\"max_steps\":3,\"steps_before\":2}"
body[attribution]="{\"site_id\":\"$site\",\"date_range\":\"30d\",\"goal\":\"Booked\",\"attribution\":\"first_touch\"}"
path() { case $1 in funnel) echo funnel ;; paths_to | flows) echo journeys ;; attribution) echo attribution ;; *) echo query ;; esac; }
declare -A res
for target in single cluster; do
  port=$([ $target = single ] && echo "$ps" || echo "$pc")
  key=$([ $target = single ] && echo "$key_s" || echo "$key_c")
  time_query "http://127.0.0.1:$port/api/v2/goals" "{\"site_id\":\"$site\",\"name\":\"Booked\",\"event_name\":\"Booking Confirmed\"}" "$key" >/dev/null
done
sleep 1
for q in "${names[@]}"; do
  for target in single cluster; do
    port=$([ $target = single ] && echo "$ps" || echo "$pc")
    key=$([ $target = single ] && echo "$key_s" || echo "$key_c")
    res[$q,$target]=$(measure "http://127.0.0.1:$port/api/v2/$(path "$q")" "${body[$q]}" "$key")
  done
done

ratio() { python3 -c "print(f'{$1 / $2 * 100:.0f} %')"; }
table="| query | single server ms | cluster ms |
| --- | ---: | ---: |"
for q in "${names[@]}"; do table+="
| $q | ${res[$q,single]} | ${res[$q,cluster]} |"; done
append "
### Cluster, $(date -u +%Y-%m-%d) (rev $(git rev-parse --short HEAD))

Command: \`bench/cluster.sh $events $secs $runs\` on $(machine). The cluster: 2 shards × 2 replicas of the
same ClickHouse and ZooKeeper 3.8 on this machine (\`scripts/cluster.sh\`), every process sharing its cores.

**Ingest** (\`wrk -t1 -c$conns -d${secs}s -s bench/beacon.lua\` through HAProxy, \`ack = \"memory\"\`):

| nodes | ClickHouse | req/s | of the single-server node | p99 |
| --- | --- | ---: | ---: | ---: |
| 1 | one server (baseline) | ${ing[single]% *} | 100 % | ${ing[single]#* } |
| 1 | cluster | ${ing[1]% *} | $(ratio "${ing[1]% *}" "${ing[single]% *}") | ${ing[1]#* } |
| 2 | cluster | ${ing[2]% *} | $(ratio "${ing[2]% *}" "${ing[single]% *}") | ${ing[2]#* } |
| 3 | cluster | ${ing[3]% *} | $(ratio "${ing[3]% *}" "${ing[single]% *}") | ${ing[3]#* } |

Rows stored at the end: $stored_single on the single server, $stored_cluster in the cluster.

**Queries**: $rows events over 30 days (\`parcours simulate --mode bulk --events $events --seed 1\` into the cluster
in $load_s s, copied row for row to the single server); visitor-days built by each node's job
($want days, both nodes building at once: ${built[single]} s after its start on the single server, ${built[cluster]} s on the cluster).
Median (min–max) of $runs asks after a first ask, in ms, through \`parcours serve\`; then the first ask.

$table"
