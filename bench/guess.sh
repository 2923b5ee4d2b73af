#!/usr/bin/env bash
# Guessing benchmark: a hostile client from one address trying invalid API keys, then
# passwords of one account, as fast as it can (bench/guess.mjs), against a release
# `parcours serve` with the default throttles, and against the same node with the
# throttles set out of reach (the baseline: what the same client got before them).
# Reports attempts per second and how many reached ClickHouse or a password hash (401)
# against those refused first (429). Appends to docs/BENCHMARKS.md.
#
# Usage: bench/guess.sh [seconds=10] [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
seconds=${1:-10}
concurrency=${2:-32}
bench_setup target/bench-guess
site=demo.parcours.local
email=direction@demo.parcours.local
export PARCOURS_TRUSTED_PROXIES=127.0.0.1/32 PARCOURS_CLICKHOUSE_DATABASE=guess
target/release/parcours demo --days 1 --people-per-day 50 >/dev/null 2>&1
echo "une phrase de passe assez longue" |
  target/release/parcours users add "$email" --owner --password-stdin >/dev/null 2>&1

# run SIGNIN_PER_MINUTE BAD_PER_MINUTE LOOKUPS_PER_MINUTE: one node with these budgets,
# hammered.
run() {
  local port pid
  port=$(free_port)
  PARCOURS_SIGNIN_PER_MINUTE=$1 target/release/parcours serve --listen "127.0.0.1:$port" \
    --config <(printf '[accounts]\nbad_credentials_per_minute = %s\nlookups_per_minute = %s\n' "$2" "$3") \
    >"$BENCH_WORK/serve-$1.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  node bench/guess.mjs "http://127.0.0.1:$port" "$site" "$email" "$seconds" "$concurrency"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

base=$(run 100000000 100000000 100000000)
throttled=$(run 10 30 240)
table=$(python3 - "$base" "$throttled" <<'PY'
import json, sys
b, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rows = []
for kind, what in (("keys", "invalid API keys"), ("logins", "passwords of one account")):
    for name, r in (("no throttle (baseline)", b[kind]), ("default throttles", t[kind])):
        reached = r["answered_401"] / r["seconds"]
        rows.append(f"| {what} | {name} | {r['per_second']:,} | {r['answered_401']:,} ({reached:,.1f}/s) | {r['answered_429']:,} |")
print("\n".join(rows))
PY
)
append "
## Guessing credentials from one address ($(date -u +%Y-%m-%d), rev $(git rev-parse --short HEAD))

\`bench/guess.sh $seconds $concurrency\`: $concurrency connections for $seconds s each, one client address,
release build; $(machine).

| guesses | node | attempts/s | reached ClickHouse or a hash (401) | refused first (429) |
|---|---|---|---|---|
$table"
