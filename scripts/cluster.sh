#!/usr/bin/env bash
# A loopback ClickHouse cluster for Parcours' cluster tests and benchmarks:
# ZooKeeper 3.8 and 2 shards x 2 replicas of ClickHouse, all on 127.0.0.1, in DIR.
#   cluster.sh install            install Debian's zookeeper and haproxy when missing
#   cluster.sh start DIR BASE     start it on ports BASE.. BASE+40; writes DIR/env
#   cluster.sh stop DIR           stop every process it started
#   cluster.sh kill DIR NODE      SIGKILL one ClickHouse server (n1..n4)
#   cluster.sh revive DIR NODE    start it again
# DIR/env sets PARCOURS_CLICKHOUSE_URL (n1), PARCOURS_CLICKHOUSE_CLUSTER and
# PARCOURS_CLICKHOUSE_REPLICAS (every server's HTTP URL), and ZK_PORT.
# Ports: ZooKeeper BASE; server i: HTTP BASE+10+i, TCP BASE+20+i, interserver BASE+30+i.
# The recipe and its pitfalls: ../shared/clickhouse-cluster.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cluster=parcours

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

server_cmd() {
  if [ -x /usr/sbin/clickhouse-server ]; then echo /usr/sbin/clickhouse-server
  elif [ -x /usr/bin/clickhouse-server ]; then echo /usr/bin/clickhouse-server
  else echo "$(command -v clickhouse) server"; fi
}

# shard and replica macros of server i (1..4)
shard_of() { echo "0$(( ($1 + 1) / 2 ))"; }
replica_of() { echo "r$(( ($1 + 1) % 2 + 1 ))"; }

start_node() {
  local dir=$1 i=$2
  local n="$dir/n$i"
  # shellcheck disable=SC2046
  (cd "$n" && exec $(server_cmd) --config-file="$n/config.xml" </dev/null >"$n/log/stdout.log" 2>&1) &
  echo $! >"$n/pid"
}

wait_node() {
  local dir=$1 i=$2 url
  url=$(cat "$dir/n$i/url")
  for _ in $(seq 600); do
    [ "$(curl -s "$url/ping" 2>/dev/null)" = "Ok." ] && return 0
    kill -0 "$(cat "$dir/n$i/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "ClickHouse n$i did not start; see $dir/n$i/log/" >&2
  return 1
}

case "${1:-}" in
install)
  [ -f /usr/share/java/zookeeper.jar ] && command -v haproxy >/dev/null && exit 0
  echo "installing zookeeper and haproxy (Debian packages)..." >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends zookeeper haproxy >/dev/null
  ;;
start)
  dir=${2:?usage: cluster.sh start DIR BASE}
  base=${3:?usage: cluster.sh start DIR BASE}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  zk=$base
  mkdir -p "$dir/zk/conf" "$dir/zk/data" "$dir/zk/log"
  cat >"$dir/zk/conf/zoo.cfg" <<CFG
tickTime=2000
dataDir=$dir/zk/data
clientPort=$zk
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok,stat,mntr
CFG
  cat >"$dir/zk/conf/log4j.properties" <<CFG
log4j.rootLogger=WARN, F
log4j.appender.F=org.apache.log4j.FileAppender
log4j.appender.F.File=$dir/zk/log/zookeeper.log
log4j.appender.F.layout=org.apache.log4j.PatternLayout
log4j.appender.F.layout.ConversionPattern=%d %p %c{1}: %m%n
CFG
  (exec java -Xmx256m -cp "$dir/zk/conf:/usr/share/java/zookeeper.jar:/usr/share/java/log4j-1.2.jar:/usr/share/java/slf4j-log4j12.jar" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zk/conf/zoo.cfg" </dev/null >"$dir/zk/log/stdout.log" 2>&1) &
  echo $! >"$dir/zk/pid"

  replicas=""
  shards=""
  for s in 1 2; do
    shards+="<shard><internal_replication>true</internal_replication>"
    for r in 1 2; do
      i=$(( (s - 1) * 2 + r ))
      shards+="<replica><host>127.0.0.1</host><port>$((base + 20 + i))</port></replica>"
    done
    shards+="</shard>"
  done
  cat >"$dir/cluster.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <remote_servers><$cluster>$shards</$cluster></remote_servers>
  <zookeeper><node index="1"><host>127.0.0.1</host><port>$zk</port></node><session_timeout_ms>30000</session_timeout_ms></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
XML
  all_queries=$(awk '/^MemTotal:/ {printf "%.0f", $2 * 1024 * 0.15}' /proc/meminfo 2>/dev/null || echo 3000000000)
  cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><max_memory_usage_for_all_queries>$all_queries</max_memory_usage_for_all_queries><max_threads>2</max_threads><background_pool_size>2</background_pool_size></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  for i in 1 2 3 4; do
    n="$dir/n$i"
    mkdir -p "$n"/{data,tmp,user_files,format_schemas,log}
    cat >"$n/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>${CLICKHOUSE_LOG_LEVEL:-warning}</level><log>$n/log/server.log</log><errorlog>$n/log/server.err.log</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$((base + 10 + i))</http_port>
  <tcp_port>$((base + 20 + i))</tcp_port>
  <interserver_http_port>$((base + 30 + i))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$n/data/</path><tmp_path>$n/tmp/</tmp_path>
  <user_files_path>$n/user_files/</user_files_path>
  <format_schema_path>$n/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>134217728</mark_cache_size>
  <uncompressed_cache_size>134217728</uncompressed_cache_size>
  <keep_alive_timeout>3</keep_alive_timeout>
  <include_from>$dir/cluster.xml</include_from>
  <remote_servers incl="remote_servers"/>
  <zookeeper incl="zookeeper"/>
  <distributed_ddl incl="distributed_ddl"/>
  <macros><shard>$(shard_of "$i")</shard><replica>$(replica_of "$i")</replica></macros>
</yandex>
XML
    echo "http://127.0.0.1:$((base + 10 + i))" >"$n/url"
  done
  for _ in $(seq 300); do
    [ "$(echo ruok | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$zk; cat >&3; cat <&3" 2>/dev/null)" = imok ] && break
    sleep 0.1
  done
  for i in 1 2 3 4; do start_node "$dir" "$i"; done
  for i in 1 2 3 4; do wait_node "$dir" "$i"; done
  urls=$(for i in 1 2 3 4; do cat "$dir/n$i/url"; done | paste -sd,)
  cat >"$dir/env" <<ENV
PARCOURS_CLICKHOUSE_URL=$(cat "$dir/n1/url")
PARCOURS_CLICKHOUSE_CLUSTER=$cluster
PARCOURS_CLICKHOUSE_REPLICAS=$urls
ZK_PORT=$zk
ENV
  cat "$dir/env"
  ;;
stop)
  dir=${2:?usage: cluster.sh stop DIR}
  for p in "$dir"/n?/pid "$dir"/zk/pid; do
    [ -f "$p" ] || continue
    kill "$(cat "$p")" 2>/dev/null || true
  done
  for p in "$dir"/n?/pid "$dir"/zk/pid; do
    [ -f "$p" ] || continue
    for _ in $(seq 200); do kill -0 "$(cat "$p")" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$(cat "$p")" 2>/dev/null || true
    rm -f "$p"
  done
  ;;
kill)
  dir=${2:?usage: cluster.sh kill DIR NODE}
  node=${3:?usage: cluster.sh kill DIR NODE}
  kill -9 "$(cat "$dir/$node/pid")" 2>/dev/null || true
  ;;
revive)
  dir=${2:?usage: cluster.sh revive DIR NODE}
  node=${3:?usage: cluster.sh revive DIR NODE}
  start_node "$dir" "${node#n}"
  wait_node "$dir" "${node#n}"
  ;;
*)
  echo "usage: cluster.sh install | start DIR BASE | stop DIR | kill DIR NODE | revive DIR NODE" >&2
  exit 2
  ;;
esac
