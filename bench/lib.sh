# Shared by the bench scripts (sourced): a private ClickHouse, the release binary, and
# the header every appended section carries.
# shellcheck shell=bash

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_setup WORKDIR: builds the binary, starts ClickHouse in WORKDIR, sets CH_URL and
# CH_PID, and stops ClickHouse (and BENCH_PIDS) on exit.
bench_setup() {
  BENCH_WORK=$1
  rm -rf "$BENCH_WORK" && mkdir -p "$BENCH_WORK"
  scripts/clickhouse.sh install >/dev/null
  cargo build --release --quiet --bin parcours
  CH_URL=$(scripts/clickhouse.sh start "$BENCH_WORK/clickhouse" "$(free_port)")
  CH_PID=$(cat "$BENCH_WORK/clickhouse/clickhouse.pid")
  BENCH_PIDS=()
  trap bench_cleanup EXIT
  export PARCOURS_CLICKHOUSE_URL=$CH_URL PARCOURS_DATA_DIR=$BENCH_WORK/data
  export PARCOURS_GEOIP_DB=tests/fixtures/geoip-test.mmdb
  if ls data/geoip/*.mmdb >/dev/null 2>&1; then export PARCOURS_GEOIP_DB=data/geoip; fi
}

bench_cleanup() {
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  scripts/clickhouse.sh stop "$BENCH_WORK/clickhouse" >/dev/null 2>&1 || true
}

# ch SQL [DATABASE]: runs a statement on the bench ClickHouse, prints the answer.
ch() { curl -sS --fail-with-body "$CH_URL/?database=${2:-default}" --data-binary "$1"; }

# cpu_seconds PID: user + system CPU seconds the process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

# stats V...: "median (min–max)" of the values, rounded as given.
stats() { python3 -c '
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:])
fmt = lambda x: f"{x:,.0f}" if x >= 100 else f"{x:.1f}"
print(f"{fmt(statistics.median(v))} ({fmt(v[0])}–{fmt(v[-1])})")' "$@"; }

# machine: one line about the machine and the ClickHouse under test.
machine() {
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, shared by the load generator, Parcours and ClickHouse $(ch 'SELECT version()')"
}

# append TEXT: prints TEXT and appends it to docs/BENCHMARKS.md.
append() { echo "$1"; echo "$1" >> docs/BENCHMARKS.md; }
