#!/usr/bin/env bash
# Sets up and runs the product: installs ClickHouse and a free GeoIP city database when
# missing, builds the tracker and the server, fills the demo site, and serves on http://127.0.0.1:8000 (Ctrl-C stops
# it, and the private ClickHouse with it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/clickhouse.sh install
scripts/geoip.sh data/geoip >/dev/null || echo "GeoIP database unavailable: continuing without geography" >&2
# The tracker and the dashboard are embedded in the binary; rebuild them from source
# (byte-identical to the committed dist/ folders, which `scripts/test.sh` checks) so the
# binary matches their sources.
if command -v npm >/dev/null; then
  (cd tracker-js && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
  (cd dashboards && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build >/dev/null)
fi
cargo build --release --locked --bin parcours
key=$(target/release/parcours demo)
listen=${PARCOURS_LISTEN:-127.0.0.1:8000}
echo
echo "Dashboard: http://$listen/"
echo "  First visit: create the owner account there (allowed from this machine only)."
echo "  Later: sign in; a forgotten password: target/release/parcours users reset EMAIL"
echo "Stats API: curl -s -H 'Authorization: Bearer $key' http://$listen/api/v2/query \\"
echo "             -d '{\"site_id\":\"demo.parcours.local\",\"metrics\":[\"visitors\",\"pageviews\"],\"date_range\":\"day\"}'"
echo
exec target/release/parcours serve
