#!/usr/bin/env bash
# The HTTP API under load (issue 15's numbers), with wrk over keep-alive
# connections on this machine: writes bench/results/api-latest.md.
#
#   bash bench/api.sh [--customers N] [--duration S] [--connections C] [--db PATH]
#
#   --customers N   the demo portfolio (default 1,000,000; built once and kept
#                   in BENCH_TMP, default /tmp, as cartera-api-bench-N.db)
#   --duration S    seconds per wrk run (default 20)
#   --connections C keep-alive connections (default 32), over 2 wrk threads
#
# Measures: GET /api/v1/customers/{id} (random ids) and GET
# /api/v1/customers?limit=50 (random pages), each alone and again while a
# full daily run writes the outbox; GET /api/v1/summary; and sign-in time
# for a known user with a wrong password and for an unknown e-mail.
# Environment: CARTERA_BIN (default build/src/cli/cartera). Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
customers=1000000 duration=20 connections=32 db=
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/api.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "wrk is missing: bash scripts/setup.sh"; exit 2; }
cartera=${CARTERA_BIN:-$root/build/src/cli/cartera}
export CARTERA_NOW=2026-11-20T13:00:00Z  # 08:00 in Bogotá: the run is for the demo's day
db=${db:-${BENCH_TMP:-/tmp}/cartera-api-bench-$customers.db}
work=$(mktemp -d "${BENCH_TMP:-/tmp}/cartera-api-bench.XXXXXX")
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
say() { echo "bench: $*" >&2; }

if [ ! -f "$db" ]; then
  say "building the demo of $customers customers in $db (once)"
  "$cartera" -q --db "$db" demo --customers "$customers" --seed 7 --as-of 2026-11-20 > /dev/null
fi
# A fresh copy each time: the run below writes the outbox.
cp "$db" "$work/bench.db"
# Reads of random customers are page-cache reads; a cold cache measures the
# disk. The copy's 5 GB of dirty pages are written back first (sync), or the
# first measurement competes with that writeback.
sync
cat "$work/bench.db" > /dev/null
key=$("$cartera" -q --db "$work/bench.db" apikey create bench --role viewer)
export CARTERA_BENCH_PASSWORD=bench-password-2026
"$cartera" -q --db "$work/bench.db" user add bench@empresa.co --role viewer --password-env CARTERA_BENCH_PASSWORD > /dev/null
port=$(( 30000 + RANDOM % 20000 ))
"$cartera" --db "$work/bench.db" serve --listen "127.0.0.1:$port" --no-scheduler --no-delivery --rate-limit 0 \
  --threads "$connections" > /dev/null 2> "$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port

cat > "$work/one.lua" <<LUA
math.randomseed(7)
request = function()
  local path = string.format("/api/v1/customers/CLI-%06d", math.random(1, $customers))
  return wrk.format("GET", path, {["Authorization"] = "Bearer $key"})
end
LUA
cat > "$work/page.lua" <<LUA
math.randomseed(11)
request = function()
  local path = string.format("/api/v1/customers?limit=50&starting_after=CLI-%06d", math.random(1, $customers - 50))
  return wrk.format("GET", path, {["Authorization"] = "Bearer $key"})
end
LUA
# wrk --latency prints the distribution; keep requests/s, p50, p99, errors.
measure() {  # measure NAME SCRIPT
  local out=$work/wrk-$RANDOM.txt
  wrk -t2 -c"$connections" -d10s -s "$2" "$url" > /dev/null  # warm the connections and every connection's page cache
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$2" "$url" > "$out"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  errors=$(awk '/Non-2xx/ {print $NF} /Socket errors/ {print}' "$out" | paste -sd' ')
  echo "| $1 | $rps | $p50 | $p99 | ${errors:-0} |"
}

results=$work/results.md
{
  echo "# API benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $customers customers, SQLite, $connections connections, ${duration}s each)"
  echo
  echo "Machine: $(nproc) cores; wrk runs on the same machine as the server. Command: \`bash bench/api.sh --customers $customers\`."
  echo
  echo "| load | requests/s | p50 | p99 | errors |"
  echo "|---|---|---|---|---|"
  measure "GET /customers/{id}" "$work/one.lua"
  measure "GET /customers?limit=50" "$work/page.lua"
} > "$results"

# The same while a full daily run writes the outbox (another process, as the scheduler would).
say "starting a full run beside the load"
( time "$cartera" -q --db "$work/bench.db" run --as-of 2026-11-20 > /dev/null ) 2> "$work/run.time" &
run_pid=$!
sleep 2
{
  measure "GET /customers/{id} during a run" "$work/one.lua"
  measure "GET /customers?limit=50 during a run" "$work/page.lua"
} >> "$results"
wait "$run_pid" || true
{
  echo
  echo "The run beside the load: $(awk '/real/ {print $2}' "$work/run.time") (wall)."
  echo
  echo "## The dashboard's summary and sign-in"
  echo
  echo "| request | times (ms) |"
  echo "|---|---|"
  times=""
  for _ in $(seq 10); do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" "$url/api/v1/summary")
    times="$times $(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')"
  done
  echo "| GET /api/v1/summary ×10 |$times |"
  for who in bench@empresa.co nobody@empresa.co; do
    times=""
    for _ in $(seq 5); do
      t=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' \
        -d "{\"email\":\"$who\",\"password\":\"wrong-password-1\"}" "$url/api/v1/session")
      times="$times $(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')"
    done
    echo "| POST /api/v1/session, $who, wrong password ×5 |$times |"
  done
} >> "$results"
mkdir -p bench/results
cp "$results" bench/results/api-latest.md
cat "$results"
