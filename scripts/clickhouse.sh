#!/usr/bin/env bash
# ClickHouse for Parcours' scripts and benchmarks.
#   clickhouse.sh install             install Debian's clickhouse-server when no server binary exists
#   clickhouse.sh start DIR PORT      start a private server (loopback, HTTP on PORT, data in DIR); prints its URL
#   clickhouse.sh stop DIR            stop it (SIGTERM, then SIGKILL after 30 s)
# `parcours` itself starts its private server from Rust (src/store/local.rs) with the same layout.
# CLICKHOUSE_LOG_LEVEL=debug (default warning) makes DIR/log/server.log show each query's
# planning and execution times, which is how query costs are found.
set -euo pipefail

have_server() {
  [ -x /usr/sbin/clickhouse-server ] || [ -x /usr/bin/clickhouse-server ] || command -v clickhouse >/dev/null 2>&1
}

server_cmd() {
  if [ -x /usr/sbin/clickhouse-server ]; then echo /usr/sbin/clickhouse-server
  elif [ -x /usr/bin/clickhouse-server ]; then echo /usr/bin/clickhouse-server
  else echo "$(command -v clickhouse) server"; fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

case "${1:-}" in
install)
  if have_server; then exit 0; fi
  echo "installing clickhouse-server (Debian package)..." >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null
  have_server || { echo "clickhouse-server did not install" >&2; exit 1; }
  ;;
start)
  dir=${2:?usage: clickhouse.sh start DIR PORT}
  port=${3:?usage: clickhouse.sh start DIR PORT}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  url="http://127.0.0.1:$port"
  if [ -f "$dir/clickhouse.pid" ] && kill -0 "$(cat "$dir/clickhouse.pid")" 2>/dev/null; then
    cat "$dir/url"; exit 0
  fi
  mkdir -p "$dir"/{data,tmp,user_files,format_schemas,log}
  cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>${CLICKHOUSE_LOG_LEVEL:-warning}</level><log>$dir/log/server.log</log><errorlog>$dir/log/server.err.log</errorlog><size>10M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$port</http_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <keep_alive_timeout>3</keep_alive_timeout>
</yandex>
XML
  # All queries together at most 60 % of memory: ClickHouse fails a query instead of
  # being killed by the kernel (see USERS_XML in src/store/local.rs).
  all_queries=$(awk '/^MemTotal:/ {printf "%.0f", $2 * 1024 * 0.6}' /proc/meminfo 2>/dev/null || echo 8000000000)
  cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>8000000000</max_memory_usage><max_memory_usage_for_all_queries>$all_queries</max_memory_usage_for_all_queries></default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  # exec, so the recorded pid is the server's own and `stop` signals the right process.
  # shellcheck disable=SC2046
  (cd "$dir" && exec $(server_cmd) --config-file="$dir/config.xml" </dev/null >"$dir/log/stdout.log" 2>&1) &
  echo $! >"$dir/clickhouse.pid"
  echo "$url" >"$dir/url"
  for _ in $(seq 600); do
    if [ "$(curl -s "$url/ping" 2>/dev/null)" = "Ok." ]; then echo "$url"; exit 0; fi
    kill -0 "$(cat "$dir/clickhouse.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "ClickHouse did not start; see $dir/log/" >&2
  exit 1
  ;;
stop)
  dir=${2:?usage: clickhouse.sh stop DIR}
  [ -f "$dir/clickhouse.pid" ] || exit 0
  pid=$(cat "$dir/clickhouse.pid")
  kill "$pid" 2>/dev/null || { rm -f "$dir/clickhouse.pid"; exit 0; }
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/clickhouse.pid"
  ;;
*)
  echo "usage: clickhouse.sh install | start DIR PORT | stop DIR" >&2
  exit 2
  ;;
esac
