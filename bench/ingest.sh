#!/usr/bin/env bash
# Ingest benchmark: POST /api/event throughput and latency under wrk on loopback,
# beside a bare hyper server answering 202 (same machine, same run), plus the rows/s
# that reach ClickHouse and the node's peak RSS. Appends a section to docs/BENCHMARKS.md.
#
# Usage: bench/ingest.sh [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
work=target/bench-ingest
rm -rf "$work" && mkdir -p "$work"

scripts/clickhouse.sh install >/dev/null
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet --bin parcours --example bare_hyper

ch_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ch_url=$(scripts/clickhouse.sh start "$work/clickhouse" "$ch_port")
cleanup() {
  [ -n "${pid_p:-}" ] && kill "$pid_p" 2>/dev/null || true
  [ -n "${pid_b:-}" ] && kill "$pid_b" 2>/dev/null || true
  scripts/clickhouse.sh stop "$work/clickhouse" >/dev/null 2>&1 || true
}
trap cleanup EXIT

export PARCOURS_CLICKHOUSE_URL=$ch_url PARCOURS_CLICKHOUSE_DATABASE=bench
export PARCOURS_DATA_DIR=$work/data PARCOURS_TRUSTED_PROXIES=127.0.0.1
export PARCOURS_RATE_LIMIT_PER_SECOND=0 PARCOURS_GEOIP_DB=tests/fixtures/geoip-test.mmdb
[ -d data/geoip ] && ls data/geoip/*.mmdb >/dev/null 2>&1 && export PARCOURS_GEOIP_DB=data/geoip
target/release/parcours sites add bench.parcours.local >/dev/null

run_wrk() { # url label
  wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/beacon.lua "$1" >"$work/$2.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$2.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$2.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$2.txt")
  echo "$rps $p50 $p99"
}

# Bare hyper first, then Parcours; each gets a 2 s warm-up that is not counted.
target/release/examples/bare_hyper 127.0.0.1:18099 2>/dev/null & pid_b=$!
sleep 0.5
wrk -t1 -c"$conns" -d2s -s bench/beacon.lua http://127.0.0.1:18099/api/event >/dev/null
read -r bare_rps bare_p50 bare_p99 < <(run_wrk http://127.0.0.1:18099/api/event bare)
kill "$pid_b"; pid_b=

target/release/parcours serve --listen 127.0.0.1:18098 2>"$work/parcours.log" & pid_p=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18098/ready >/dev/null && break; sleep 0.2; done
wrk -t1 -c"$conns" -d2s -s bench/beacon.lua http://127.0.0.1:18098/api/event >/dev/null
sleep 2
before=$(curl -s "$ch_url/?database=bench" --data-binary "SELECT count() FROM events")
read -r p_rps p_p50 p_p99 < <(run_wrk http://127.0.0.1:18098/api/event parcours)
sleep 2
after=$(curl -s "$ch_url/?database=bench" --data-binary "SELECT count() FROM events")
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid_p/status)
inserted=$((after - before))
rows_per_s=$(python3 -c "print(round($inserted / $secs))")
ratio=$(python3 -c "print(f'{$p_rps / $bare_rps * 100:.0f} %')")
errors=$(awk '/Non-2xx/ {print $NF}' "$work/parcours.txt")

rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
table=$(cat <<TABLE

### Ingest, $(date -u +%Y-%m-%d) (rev $rev)

Command: \`bench/ingest.sh $secs $conns\` — wrk 1 thread, $conns connections, ${secs} s after a 2 s warm-up,
on $(nproc) cores shared by wrk, the server and ClickHouse $(curl -s "$ch_url" --data-binary 'SELECT version()'); one run each.

| server | req/s | p50 | p99 | ratio to bare |
| --- | ---: | ---: | ---: | ---: |
| bare hyper (202, no work) | $bare_rps | $bare_p50 | $bare_p99 | 100 % |
| Parcours \`POST /api/event\` (full enrichment, batching) | $p_rps | $p_p50 | $p_p99 | $ratio |

Rows reaching ClickHouse: $inserted in ${secs} s = **$rows_per_s rows/s**. Parcours peak RSS: $((rss_kb / 1024)) MiB.
Non-2xx answers during the Parcours run: ${errors:-0}.
TABLE
)
echo "$table"
echo "$table" >> docs/BENCHMARKS.md
