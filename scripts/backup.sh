#!/usr/bin/env bash
# Backup and restore of Parcours' ClickHouse data, for one ClickHouse server whose
# databases are `Ordinary` (ClickHouse 18.x/19.x, and 20.x with Ordinary databases).
#   backup.sh backup DIR    freeze every table of the database and copy its parts to DIR
#   backup.sh restore DIR   create the tables and attach the parts from DIR (tables must be
#                           absent or empty), then check the row counts
# The `salts` table's data is never copied: a day's salt must be destroyed after its day
# (docs/PRIVACY.md), and a backup holding it would let anyone with the backup link that
# day's visitor ids to addresses again. Only its schema is kept, so a restore recreates it
# empty and the nodes make today's salt when they start.
#
# Runs on the ClickHouse machine, as a user that can read and write ClickHouse's data
# directory (root or the clickhouse user): FREEZE leaves hard links under its `shadow/`
# and ATTACH takes parts from each table's `detached/`. Modern servers (Atomic databases,
# 22.8+) have `BACKUP`/`RESTORE` instead: see docs/OPERATIONS.md.
#
# Environment: PARCOURS_CLICKHOUSE_URL (default http://127.0.0.1:8123),
# PARCOURS_CLICKHOUSE_DATABASE (default parcours), PARCOURS_CLICKHOUSE_USER and
# PARCOURS_CLICKHOUSE_PASSWORD (optional). Restoring into another database name works.
set -euo pipefail

url=${PARCOURS_CLICKHOUSE_URL:-http://127.0.0.1:8123}
db=${PARCOURS_CLICKHOUSE_DATABASE:-parcours}
# Tables whose rows are left out of every backup, on purpose.
no_data=" salts "

auth=()
if [ -n "${PARCOURS_CLICKHOUSE_USER:-}" ]; then
  auth=(-u "$PARCOURS_CLICKHOUSE_USER:${PARCOURS_CLICKHOUSE_PASSWORD:-}")
fi

# ch SQL: runs one statement, prints the answer (TSV), fails on any error.
ch() { curl -sS --fail-with-body "${auth[@]}" "$url/" --data-binary "$1"; }

die() { echo "backup.sh: $*" >&2; exit 1; }

# A name used in SQL unquoted and in paths must be a plain identifier.
check_name() { [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "unexpected name: $1"; }

# table_path TABLE: the table's data directory (ends with /).
table_path() {
  ch "SELECT data_path FROM system.tables WHERE database = '$db' AND name = '$1'"
}

# server_root DATA_PATH: the server's <path>, three levels above data/<db>/<table>/.
server_root() { local p=${1%/}; p=${p%/*}; p=${p%/*}; echo "${p%/*}"; }

check_name "$db"

backup() {
  local dir=$1
  [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir exists and is not empty"
  mkdir -p "$dir/schema" "$dir/data"
  local engine
  engine=$(ch "SELECT engine FROM system.databases WHERE name = '$db'")
  [ -n "$engine" ] || die "no database $db at $url"
  [ "$engine" = Ordinary ] || die "database $db is $engine: use BACKUP (docs/OPERATIONS.md)"
  {
    echo "database $db"
    echo "version $(ch 'SELECT version()')"
    echo "taken $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$dir/manifest"
  # The tables recording which derived rows count (a build of visitor-days and
  # rollups, a run of stored answers) are frozen first: what they record was written
  # before, so it is in the later freezes too. All freezes come before any copy, so the
  # tables are seconds apart at most, whatever the size.
  local tables table
  tables=$(ch "SELECT name FROM system.tables WHERE database = '$db'
    ORDER BY name NOT IN ('visitor_day_builds', 'answer_runs'), name")
  declare -gA frozen=()
  # A failed run leaves no hard links behind in shadow/ (they would hold disk space).
  trap 'for f in "${frozen[@]}"; do rm -rf "${f%% *}"; done' EXIT
  for table in $tables; do
    check_name "$table"
    ch "SELECT create_table_query FROM system.tables WHERE database = '$db' AND name = '$table' FORMAT TSVRaw" \
      >"$dir/schema/$table.sql"
    if [[ $no_data == *" $table "* ]]; then
      echo "$table: schema only (its rows are never backed up)" >&2
      continue
    fi
    local path root before after
    path=$(table_path "$table")
    root=$(server_root "$path")
    before=$(cat "$root/shadow/increment.txt" 2>/dev/null || echo 0)
    ch "ALTER TABLE $db.$table FREEZE"
    after=$(cat "$root/shadow/increment.txt")
    # Another FREEZE at the same moment would make the increment ambiguous.
    [ "$after" = $((before + 1)) ] || die "shadow/increment.txt went from $before to $after during FREEZE of $table"
    frozen[$table]="$root/shadow/$after ${path#"$root"/}"
  done
  for table in $tables; do
    [ -n "${frozen[$table]:-}" ] || continue
    local shadow rel rows=0 part
    read -r shadow rel <<<"${frozen[$table]}"
    mkdir -p "$dir/data/$table"
    if [ -d "$shadow/$rel" ]; then
      # A real copy, not hard links: the backup must survive the server's disk.
      cp -a "$shadow/$rel"/. "$dir/data/$table/"
      for part in "$dir/data/$table"/*/; do
        [ -f "$part/count.txt" ] && rows=$((rows + $(cat "$part/count.txt")))
      done
    fi
    rm -rf "$shadow"
    echo "rows $table $rows" >>"$dir/manifest"
    echo "$table: $rows rows" >&2
  done
  sync
}

restore() {
  local dir=$1 table
  [ -f "$dir/manifest" ] || die "$dir/manifest missing: not a backup"
  local from
  from=$(awk '$1 == "database" {print $2}' "$dir/manifest")
  check_name "$from"
  ch "CREATE DATABASE IF NOT EXISTS $db"
  # Refuse before touching anything: attaching onto rows would double them.
  for f in "$dir"/schema/*.sql; do
    table=$(basename "$f" .sql)
    check_name "$table"
    if [ -n "$(ch "SELECT name FROM system.tables WHERE database = '$db' AND name = '$table'")" ]; then
      [ "$(ch "SELECT count() FROM $db.$table")" = 0 ] ||
        die "$db.$table has rows: restore into an empty or new database (PARCOURS_CLICKHOUSE_DATABASE)"
    fi
  done
  for f in "$dir"/schema/*.sql; do
    table=$(basename "$f" .sql)
    # The saved statement names the backed-up database; create in the target one.
    ch "$(sed "1s/^CREATE TABLE $from\.$table /CREATE TABLE IF NOT EXISTS $db.$table /" "$f")"
    if [[ $no_data == *" $table "* ]]; then
      echo "$table: created empty (its rows are never backed up)" >&2
      continue
    fi
    local path want got ids id
    want=$(awk -v t="$table" '$1 == "rows" && $2 == t {print $3}' "$dir/manifest")
    [ -n "$want" ] || die "no row count for $table in the manifest"
    path=$(table_path "$table")
    if [ -n "$(ls -A "$dir/data/$table")" ]; then
      cp -a "$dir/data/$table"/. "$path/detached/"
      # The server must own what it attaches.
      if [ "$(id -u)" = 0 ]; then chown -R --reference="$path" "$path/detached"; fi
      # A part's name starts with its partition id, up to the first underscore.
      ids=$(find "$dir/data/$table" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | cut -d_ -f1 | sort -u)
      for id in $ids; do
        ch "ALTER TABLE $db.$table ATTACH PARTITION ID '$id'"
      done
    fi
    got=$(ch "SELECT count() FROM $db.$table")
    [ "$got" = "$want" ] || die "$table: $got rows after restore, the backup holds $want"
    echo "$table: $got rows" >&2
  done
}

case "${1:-}" in
backup) backup "${2:?usage: backup.sh backup DIR}" ;;
restore) restore "${2:?usage: backup.sh restore DIR}" ;;
*)
  echo "usage: backup.sh backup DIR | restore DIR" >&2
  exit 2
  ;;
esac
