#!/usr/bin/env bash
# Bulk load benchmark: `parcours simulate --mode bulk` (generation, enrichment from
# memoized pipeline runs, RowBinary over HTTP) into ClickHouse, beside a baseline in the
# same run: the same rows, already encoded as RowBinary in a file, posted to ClickHouse
# with curl (what ClickHouse alone can take). Reports rows/s, median and spread over
# the runs, and the CPU seconds each process spent. Appends to docs/BENCHMARKS.md.
#
# Usage: bench/bulk.sh [events=2000000] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
events=${1:-2000000}
runs=${2:-3}
bench_setup target/bench-bulk

sim_rates=() base_rates=() sim_cpu=() ch_cpu=() base_ch_cpu=()
for run in $(seq "$runs"); do
  db=bulk$run
  export PARCOURS_CLICKHOUSE_DATABASE=$db
  ch_before=$(cpu_seconds "$CH_PID")
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$BENCH_WORK/time" \
    target/release/parcours simulate --mode bulk --days 30 --events "$events" --seed "$run" \
    2>"$BENCH_WORK/sim.log"
  t1=$(date +%s.%N)
  rows=$(ch "SELECT count() FROM events" "$db")
  sim_rates+=("$(python3 -c "print($rows / ($t1 - $t0))")")
  sim_cpu+=("$(awk -v r="$rows" '{print ($1 + $2) / r * 1e6}' "$BENCH_WORK/time")")
  ch_cpu+=("$(python3 -c "print(($(cpu_seconds "$CH_PID") - $ch_before) / $rows * 1e6)")")
  # Baseline: the same rows, pre-encoded, straight into an empty copy of the table.
  ch "SELECT * FROM events FORMAT RowBinary" "$db" >"$BENCH_WORK/rows.bin"
  ch "CREATE TABLE copy AS events" "$db"
  ch_before=$(cpu_seconds "$CH_PID")
  t0=$(date +%s.%N)
  curl -sS --fail-with-body "$CH_URL/?database=$db&query=INSERT%20INTO%20copy%20FORMAT%20RowBinary" \
    --data-binary @"$BENCH_WORK/rows.bin" -H 'Expect:'
  t1=$(date +%s.%N)
  base_rates+=("$(python3 -c "print($rows / ($t1 - $t0))")")
  base_ch_cpu+=("$(python3 -c "print(($(cpu_seconds "$CH_PID") - $ch_before) / $rows * 1e6)")")
  rm -f "$BENCH_WORK/rows.bin"
  ch "DROP DATABASE $db"
  echo "run $run: $rows rows, simulate ${sim_rates[-1]%.*} rows/s, baseline ${base_rates[-1]%.*} rows/s" >&2
done
ratio=$(python3 -c "
import statistics as s
a=[float(x) for x in '${sim_rates[*]}'.split()]; b=[float(x) for x in '${base_rates[*]}'.split()]
print(f'{s.median(a) / s.median(b) * 100:.0f} %')")

append "
### Bulk load, $(date -u +%Y-%m-%d) (rev $(git rev-parse --short HEAD))

Command: \`bench/bulk.sh $events $runs\` — $runs runs of about $events events over 30 days each into a fresh
database, on $(machine). Figures are the median (min–max) over the runs; no warm-up beyond the first run.
CPU is microseconds per row, from /proc (ClickHouse) and \`time\` (Parcours).

| loader | rows/s | Parcours CPU µs/row | ClickHouse CPU µs/row |
| --- | ---: | ---: | ---: |
| ClickHouse alone: the same rows as a RowBinary file, \`curl --data-binary\` | $(stats "${base_rates[@]}") | – | $(stats "${base_ch_cpu[@]}") |
| \`parcours simulate --mode bulk\` (generate, enrich, encode, stream) | $(stats "${sim_rates[@]}") | $(stats "${sim_cpu[@]}") | $(stats "${ch_cpu[@]}") |

Simulator / ClickHouse alone (medians): **$ratio**."
