#!/usr/bin/env bash
# Sets up and runs every test: installs ClickHouse when missing (the tests start their
# own private server on a loopback port), then unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/clickhouse.sh install
cargo test --locked --all-targets
