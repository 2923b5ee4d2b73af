#!/usr/bin/env bash
# Disk used per event: `parcours simulate --mode bulk` writes N events over 30 days into a
# fresh database, a node (`parcours serve`) runs its visitor-days job once over them
# (visitor_days, day_rollups, and the answers it warms), then every table is merged
# (OPTIMIZE FINAL) and `system.parts` gives the bytes of its active parts. Appends to
# docs/BENCHMARKS.md.
#
# Usage: bench/disk.sh ["1000000 10000000"]
# PARCOURS_BIN picks the binary (default target/release/parcours, built first). The
# simulator's rows are the ones ingestion would store, so bytes per event do not depend
# on the build; only the time taken does.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
sizes=${1:-1000000 10000000}
bin=${PARCOURS_BIN:-target/release/parcours}
[ -n "${PARCOURS_BIN:-}" ] || cargo build --release --quiet --bin parcours

BENCH_WORK=target/bench-disk
rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
scripts/clickhouse.sh install >/dev/null
CH_URL=$(scripts/clickhouse.sh start "$BENCH_WORK/clickhouse" "$(free_port)")
BENCH_PIDS=()
trap bench_cleanup EXIT
export PARCOURS_CLICKHOUSE_URL=$CH_URL PARCOURS_DATA_DIR=$BENCH_WORK/data
export PARCOURS_GEOIP_DB=tests/fixtures/geoip-test.mmdb
geoip="the test fixture GeoIP database (few cities)"
if ls data/geoip/*.mmdb >/dev/null 2>&1; then
  export PARCOURS_GEOIP_DB=data/geoip geoip="the DB-IP city database"
fi

# sizes_of DB: one JSON object per active table (rows, parts, bytes).
sizes_of() {
  ch "SELECT table, sum(rows) AS rows, count() AS parts, sum(bytes_on_disk) AS disk,
        sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS raw
      FROM system.parts WHERE database = '$1' AND active
      GROUP BY table ORDER BY disk DESC FORMAT JSONEachRow"
}

sections=""
for n in $sizes; do
  db=disk_$n
  export PARCOURS_CLICKHOUSE_DATABASE=$db
  "$bin" simulate --mode bulk --days 30 --events "$n" --seed 1 2>"$BENCH_WORK/sim-$n.log"
  port=$(free_port)
  PARCOURS_LISTEN=127.0.0.1:$port RUST_LOG=info "$bin" serve >"$BENCH_WORK/serve-$n.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  # The job builds every closed day at start, then warms the stored answers.
  for _ in $(seq 1800); do
    grep -q 'stored answers warmed\|visitor-days job failed' "$BENCH_WORK/serve-$n.log" && break
    sleep 1
  done
  kill "$pid"
  wait "$pid" || true
  grep -q 'stored answers warmed' "$BENCH_WORK/serve-$n.log" || {
    echo "the visitor-days job did not finish; see $BENCH_WORK/serve-$n.log" >&2
    exit 1
  }
  for t in $(ch "SELECT name FROM system.tables WHERE database = '$db' AND engine LIKE '%MergeTree'"); do
    ch "OPTIMIZE TABLE $db.$t FINAL"
  done
  sizes_of "$db" >"$BENCH_WORK/sizes-$n.json"
  sections+=$(python3 - "$BENCH_WORK/sizes-$n.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    for k in ("rows", "parts", "disk", "compressed", "raw"):
        r[k] = int(r[k])
events = next(r["rows"] for r in rows if r["table"] == "events")
derived = {"visitor_days", "day_rollups", "answer_parts", "answer_rows", "answer_runs"}
mib = lambda b: f"{b / 2**20:,.1f}"
print(f"\n\n{events:,} events stored:\n")
print("| table | rows | MiB on disk | compressed / uncompressed MiB | ratio | bytes on disk per event |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
def line(name, rs):
    d = sum(r["disk"] for r in rs); c = sum(r["compressed"] for r in rs); u = sum(r["raw"] for r in rs)
    n = sum(r["rows"] for r in rs)
    ratio = f"{u / c:.1f}" if c else "–"
    print(f"| {name} | {n:,} | {mib(d)} | {mib(c)} / {mib(u)} | {ratio} | {d / events:.1f} |")
for r in rows:
    if r["table"] in derived or r["table"] == "events":
        line(r["table"], [r])
line("all other tables (sites, accounts, salts, …)", [r for r in rows if r["table"] not in derived and r["table"] != "events"])
line("**total**", rows)
PY
)
  echo "$n events done" >&2
  ch "DROP DATABASE $db"
done

append "
### Disk per event, $(date -u +%Y-%m-%d) (rev $(git rev-parse --short HEAD))

Command: \`PARCOURS_BIN=$bin bench/disk.sh \"$sizes\"\` — \`parcours simulate --mode bulk --days 30 --events N --seed 1\`
into a fresh database, one run of the node's visitor-days job over it (and the answers it warms), then
\`OPTIMIZE TABLE … FINAL\` on every table; sums over the active parts of \`system.parts\`. ClickHouse
$(ch 'SELECT version()') (String columns, LZ4, the schema's defaults); enrichment with $geoip.
\"Bytes on disk per event\" divides each table's bytes by the number of events.$sections"
