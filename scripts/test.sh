#!/usr/bin/env bash
# Sets up and runs every test:
# 1. installs ClickHouse when missing (the tests start their own private server on a
#    loopback port with its own data directory);
# 2. unit and integration tests (cargo test), against ClickHouse 18.16;
# 3. the dialect check: every SQL statement run on a modern ClickHouse engine (chDB,
#    from PyPI, kept in a virtualenv under ~/.cache/parcours);
# 3b. the bot filter measured against public user-agent lists (npm packages pinned in
#    tests/bots, and the isbot crate's fixtures as a held-out check): rates and every
#    miss printed, targets asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
# The command line's tables are checked in English whatever the machine's locale.
export PARCOURS_LANG=en
scripts/clickhouse.sh install
# ZooKeeper and HAProxy for the cluster test (tests/it/cluster.rs).
scripts/cluster.sh install
cargo test --locked --all-targets

venv=${XDG_CACHE_HOME:-$HOME/.cache}/parcours/chdb-venv
if ! "$venv/bin/python" -c 'import chdb' 2>/dev/null; then
  echo "installing chdb-core (modern ClickHouse engine for the dialect check)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check chdb-core==26.9.0
fi
mkdir -p target
cargo run --quiet --locked -- sql-catalog > target/sql-catalog.jsonl
"$venv/bin/python" tests/dialect/modern.py target/sql-catalog.jsonl

(cd tests/bots && npm ci --no-audit --no-fund --loglevel=error)
isbot=$(cargo metadata --locked --format-version 1 | python3 -c 'import json, sys
print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "isbot"))')
PARCOURS_BOT_LISTS=tests/bots/node_modules PARCOURS_ISBOT_FIXTURES="$(dirname "$isbot")/fixtures" \
  cargo test --quiet --locked --test it bot_lists -- --nocapture --test-threads=1

# 4. The tracker: size budget, dist up to date, behaviour in headless Chromium (Debian's
#    package; test tools cannot download browsers here), and the whole chain through the
#    real server and ClickHouse (PARCOURS_BIN).
command -v chromium >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
(cd tracker-js && npm ci --no-audit --no-fund --loglevel=error)
cargo build --quiet --locked --bin parcours
(cd tracker-js && PARCOURS_BIN="$PWD/../target/debug/parcours" npm test)

# 5. The dashboard: dist/ up to date and within its size budget, then every view in
#    Chromium against `parcours serve` with the demo site on a private ClickHouse
#    (figures equal the API's, filters, comparisons, funnels, journeys, CSV, both
#    languages, axe-core at desktop and phone width, hostile beacon values).
(cd dashboards && npm ci --no-audit --no-fund --loglevel=error)
(cd dashboards && PARCOURS_BIN="$PWD/../target/debug/parcours" npm test)
