#!/usr/bin/env bash
# Ingest benchmark: POST /api/event throughput and latency under wrk on loopback,
# beside a bare hyper server answering 202 (same machine, same run), with the default
# `ack = "memory"` and with `ack = "disk"` (write-ahead log), plus the rows/s
# that reach ClickHouse, the servers' CPU time per request and the node's memory.
# Appends a section to docs/BENCHMARKS.md.
#
# Usage: bench/ingest.sh [seconds=10] [connections=32] [runs=3]
#   PIN_WRK=1   run wrk on the last core only (taskset), the servers on the others
#
# All servers run for the whole series; runs alternate bare, Parcours, Parcours with
# the log, bare, ... so a
# burst of load from elsewhere on the machine hits both. Throughput is reported as the
# median and the spread (min–max) over the runs. CPU µs per request (utime + stime of
# the server process from /proc, over the requests wrk completed) moves much less
# with machine load than req/s does.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
runs=${3:-3}
warmup=2
work=target/bench-ingest
rm -rf "$work" && mkdir -p "$work"

scripts/clickhouse.sh install >/dev/null
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet --bin parcours --example bare_hyper

cores=$(nproc)
wrk_cmd=(wrk)
server_cmd=()
pinned="not pinned"
if [ "${PIN_WRK:-0}" = 1 ] && [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  wrk_cmd=(taskset -c "$((cores - 1))" wrk)
  server_cmd=(taskset -c "0-$((cores - 2))")
  servers_on=$([ "$cores" -eq 2 ] && echo "core 0" || echo "cores 0-$((cores - 2))")
  pinned="wrk pinned to core $((cores - 1)), both servers to $servers_on, ClickHouse not pinned"
fi

ch_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ch_url=$(scripts/clickhouse.sh start "$work/clickhouse" "$ch_port")
cleanup() {
  [ -n "${pid_p:-}" ] && kill "$pid_p" 2>/dev/null || true
  [ -n "${pid_b:-}" ] && kill "$pid_b" 2>/dev/null || true
  [ -n "${pid_d:-}" ] && kill "$pid_d" 2>/dev/null || true
  scripts/clickhouse.sh stop "$work/clickhouse" >/dev/null 2>&1 || true
}
trap cleanup EXIT

export PARCOURS_CLICKHOUSE_URL=$ch_url PARCOURS_CLICKHOUSE_DATABASE=bench
export PARCOURS_DATA_DIR=$work/data PARCOURS_TRUSTED_PROXIES=127.0.0.1
export PARCOURS_RATE_LIMIT_PER_SECOND=0 PARCOURS_GEOIP_DB=tests/fixtures/geoip-test.mmdb
geoip_desc="the small test fixture (tests/fixtures/geoip-test.mmdb)"
if [ -d data/geoip ] && ls data/geoip/*.mmdb >/dev/null 2>&1; then
  export PARCOURS_GEOIP_DB=data/geoip
  geoip_desc="the real database in data/geoip ($(du -shL data/geoip | cut -f1))"
fi
target/release/parcours sites add bench.parcours.local >/dev/null

bare_url=http://127.0.0.1:18099/api/event
parcours_url=http://127.0.0.1:18098/api/event
"${server_cmd[@]}" target/release/examples/bare_hyper 127.0.0.1:18099 2>/dev/null & pid_b=$!
"${server_cmd[@]}" target/release/parcours serve --listen 127.0.0.1:18098 2>"$work/parcours.log" & pid_p=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18098/ready >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:18098/ready >/dev/null || { echo "Parcours did not become ready" >&2; cat "$work/parcours.log" >&2; exit 1; }
disk_url=http://127.0.0.1:18097/api/event
PARCOURS_ACK=disk PARCOURS_DATA_DIR=$work/data-disk "${server_cmd[@]}" target/release/parcours serve --listen 127.0.0.1:18097 2>"$work/parcours-disk.log" & pid_d=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18097/ready >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:18097/ready >/dev/null || { echo "Parcours (ack=disk) did not become ready" >&2; cat "$work/parcours-disk.log" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rows() { curl -s "$ch_url/?database=bench" --data-binary "SELECT count() FROM events"; }

# Warm-up, not counted: connections, caches, the first inserts.
"${wrk_cmd[@]}" -t1 -c"$conns" -d${warmup}s -s bench/beacon.lua "$bare_url" >/dev/null
"${wrk_cmd[@]}" -t1 -c"$conns" -d${warmup}s -s bench/beacon.lua "$parcours_url" >/dev/null
"${wrk_cmd[@]}" -t1 -c"$conns" -d${warmup}s -s bench/beacon.lua "$disk_url" >/dev/null
sleep 2

results=$work/results.tsv
: >"$results"
run_one() { # name pid url run
  local name=$1 pid=$2 url=$3 run=$4 out="$work/$1-$4.txt" c0 c1 r0 r1
  [ "$name" != bare ] && r0=$(rows)
  c0=$(cpu_ticks "$pid")
  "${wrk_cmd[@]}" -t1 -c"$conns" -d"${secs}s" --latency -s bench/beacon.lua "$url" >"$out"
  c1=$(cpu_ticks "$pid")
  local inserted=0
  if [ "$name" != bare ]; then
    sleep 2 # the last batch reaches ClickHouse (flush interval 1 s)
    r1=$(rows)
    inserted=$((r1 - r0))
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" \
    "$(awk '/requests in/ {print $1}' "$out")" \
    "$(awk '/Requests\/sec/ {print $2}' "$out")" \
    "$(awk '$1=="50%" {print $2}' "$out")" \
    "$(awk '$1=="99%" {print $2}' "$out")" \
    "$(awk '/Non-2xx/ {print $NF}' "$out")" \
    "$((c1 - c0))" "$inserted" >>"$results"
}
for run in $(seq "$runs"); do
  run_one bare "$pid_b" "$bare_url" "$run"
  run_one parcours "$pid_p" "$parcours_url" "$run"
  run_one disk "$pid_d" "$disk_url" "$run"
  echo "run $run/$runs done" >&2
done

mem=$(awk '/^(VmHWM|RssAnon|RssFile):/ {printf "%s=%d ", $1, $2 / 1024}' "/proc/$pid_p/status")
mem_disk=$(awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$pid_d/status")
ch_version=$(curl -s "$ch_url" --data-binary 'SELECT version()')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock examples 2>/dev/null || rev="$rev + uncommitted changes"

table=$(python3 - "$results" "$secs" "$(getconf CLK_TCK)" "$mem" "$mem_disk" <<'PY'
import statistics, sys
path, secs, tck, mem, mem_disk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
def ms(v):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if v.endswith(unit):
            return float(v[: -len(unit)]) * f
    return float(v)
runs = {"bare": [], "parcours": [], "disk": []}
for line in open(path):
    name, run, n, rps, p50, p99, non2xx, ticks, inserted = line.rstrip("\n").split("\t")
    runs[name].append(dict(n=int(n), rps=float(rps), p50=ms(p50), p99=ms(p99),
                           non2xx=int(non2xx or 0), cpu=int(ticks) / tck * 1e6 / int(n),
                           inserted=int(inserted)))
med = lambda rs, k: statistics.median(r[k] for r in rs)
def row(label, rs, bare_rps):
    rps = [r["rps"] for r in rs]
    ratio = f"{med(rs, 'rps') / bare_rps * 100:.0f} %"
    ratios = [p["rps"] / b["rps"] * 100 for p, b in zip(rs, runs["bare"])]
    spread = f"{min(ratios):.0f}–{max(ratios):.0f} %"
    return (f"| {label} | {med(rs, 'rps'):,.0f} | {min(rps):,.0f}–{max(rps):,.0f} | "
            f"{med(rs, 'p50'):.2f} ms | {med(rs, 'p99'):.2f} ms (max {max(r['p99'] for r in rs):.2f}) | "
            f"{med(rs, 'cpu'):.1f} | {ratio} ({spread}) |")
b, p = runs["bare"], runs["parcours"]
bare_rps = med(b, "rps")
inserted = sum(r["inserted"] for r in p)
rows_s = [r["inserted"] / secs for r in p]
print("| server | req/s (median) | req/s (min–max) | p50 | p99 | server CPU µs/req | ratio to bare (per-run spread) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
print(row("bare hyper (202, no work)", b, bare_rps))
print(row("Parcours `POST /api/event` (full enrichment, batching)", p, bare_rps))
d = runs["disk"]
print(row('Parcours, `ack = "disk"` (202 once fsynced to the write-ahead log)', d, bare_rps))
print()
print(f'Cost of `ack = "disk"`: {med(d, "rps") / med(p, "rps") * 100:.0f} % of the req/s of `ack = "memory"`, '
      f'p99 {med(d, "p99"):.2f} ms against {med(p, "p99"):.2f} ms, {med(d, "cpu"):.1f} against {med(p, "cpu"):.1f} CPU µs/req; '
      f'rows reaching ClickHouse {statistics.median(r["inserted"] / secs for r in d):,.0f}/s; peak RSS {mem_disk} MiB. '
      f'Non-2xx: {sum(r["non2xx"] for r in d)}.')
print()
print(f"Rows reaching ClickHouse: {inserted:,} for {sum(r['n'] for r in p):,} requests over the Parcours runs, "
      f"median **{statistics.median(rows_s):,.0f} rows/s** ({min(rows_s):,.0f}–{max(rows_s):,.0f}). "
      f"Non-2xx answers during the Parcours runs: {sum(r['non2xx'] for r in p)}.")
kv = dict(x.split("=") for x in mem.split())
print(f"Parcours memory at the end of the series (MiB): peak RSS (VmHWM) {kv.get('VmHWM:', '?')}, "
      f"RssAnon {kv.get('RssAnon:', '?')}, RssFile {kv.get('RssFile:', '?')} "
      "(RssFile is mostly mapped GeoIP pages: shared page cache the kernel can reclaim).")
PY
)

section=$(cat <<SECTION

### Ingest, $(date -u +%Y-%m-%d) (rev $rev)

Command: \`$( [ "${PIN_WRK:-0}" = 1 ] && echo "PIN_WRK=1 " )bench/ingest.sh $secs $conns $runs\` — wrk 1 thread, $conns connections, $runs runs of ${secs} s
per server, alternating bare/Parcours, after a ${warmup} s warm-up of each (not counted); $cores cores
shared by wrk, both servers and ClickHouse $ch_version ($pinned); GeoIP: $geoip_desc.

$table
SECTION
)
echo "$section"
echo "$section" >> docs/BENCHMARKS.md
