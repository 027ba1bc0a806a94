#!/usr/bin/env bash
# Cartera benchmarks: cartera against the database's own bulk tools, side by
# side in the same run. Writes bench/results/latest.md and prints it.
#
#   bash bench/run.sh [--scale small|full] [--repeat N] [--phases|--no-phases]
#                     [--no-postgres] [--keep]
#
#   --scale small   1/20 of the full sizes (the default; about a minute and a half)
#   --scale full    1,000,000 invoices to import; 1,000,000 customers /
#                   about 5,000,000 invoices for aging and the run (about 30
#                   minutes with PostgreSQL, which loads the demo portfolio too)
#   --repeat N      run each timed step N times, report the fastest (default 1)
#   --import-rounds N  rounds of benchmarks 1 and 2 (the bare load, then
#                   cartera's), each side's fastest reported and every round
#                   listed (default 3: the pairs are short and this machine's
#                   speed drifts by a third within minutes)
#   --phases        also re-import the demo's CSV files one by one to show
#                   where `cartera demo` spends its time (default: full only)
#   --no-postgres   skip benchmark 2
#   --keep          keep the work directory (databases, CSV files, logs)
#
# Environment: CARTERA_BIN (default build/src/cli/cartera, built with
# `ninja -C build -j1 cartera`), BENCH_TMP (default /tmp).
# Benchmarks are not tests: nothing here is registered with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scale=small repeat=1 import_rounds=3 phases= postgres=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=${2:?--scale needs small or full}; shift 2 ;;
    --scale=*) scale=${1#--scale=}; shift ;;
    --repeat) repeat=${2:?--repeat needs a number}; shift 2 ;;
    --import-rounds) import_rounds=${2:?--import-rounds needs a number}; shift 2 ;;
    --phases) phases=1; shift ;;
    --no-phases) phases=0; shift ;;
    --no-postgres) postgres=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

case "$scale" in
  full)  invoices=1000000 customers=200000 big_invoices=2000000 demo_customers=1000000 ;;
  small) invoices=50000   customers=10000  big_invoices=100000  demo_customers=50000 ;;
  *) echo "bench: --scale must be small or full" >&2; exit 2 ;;
esac
[ -n "$phases" ] || { [ "$scale" = full ] && phases=1 || phases=0; }
as_of=2026-11-20
seed=7

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- Tools ------------------------------------------------------------------
bash scripts/setup.sh
for tool in /usr/bin/time sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (add its Debian package to scripts/setup.sh)" >&2; exit 1; }
done
build_note=
[ -n "${CARTERA_BIN:-}" ] && build_note="CARTERA_BIN was set: the commit above is the working tree's, not necessarily the binary's"
if [ -z "${CARTERA_BIN:-}" ]; then
  CARTERA_BIN=$root/build/src/cli/cartera
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  # -j1: benchmarks usually run on small shared machines.
  if ! ninja -C build -j1 cartera >"${BENCH_TMP:-/tmp}/cartera-bench-build.log" 2>&1; then
    [ -x "$CARTERA_BIN" ] || { cat "${BENCH_TMP:-/tmp}/cartera-bench-build.log" >&2; exit 1; }
    build_note="the build failed (see ${BENCH_TMP:-/tmp}/cartera-bench-build.log); measured the existing binary"
    say "WARNING: $build_note"
  fi
fi
cartera=$CARTERA_BIN
[ -x "$cartera" ] || { echo "bench: no cartera binary at $cartera" >&2; exit 1; }

work=$(mktemp -d "${BENCH_TMP:-/tmp}/cartera-bench.XXXXXX")
logs=$work/logs
mkdir -p "$logs"
pg_bin= pg_dir=
cleanup() {
  if [ -n "$pg_dir" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  if [ "$keep" = 1 ]; then say "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- Measuring ----------------------------------------------------------------
# timed NAME CMD...: runs CMD under /usr/bin/time -v (stdout to $out, default
# a log file) and records wall seconds in secs[NAME], CPU seconds (user +
# system) in cpu[NAME] and peak RSS (KiB) in rss[NAME]. Repeated runs of the
# same NAME keep the fastest time and the largest RSS.
declare -A secs cpu rss
timed() {
  local name=$1; shift
  local stdout=${out:-$logs/$name.out}
  if ! /usr/bin/time -v -o "$logs/$name.time" "$@" >"$stdout" 2>"$logs/$name.err"; then
    echo "bench: step '$name' failed: $*" >&2
    tail -n 20 "$logs/$name.err" "$logs/$name.time" >&2 || true
    exit 1
  fi
  local s c k
  s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); t = 0; for (i = 1; i <= n; i++) t = t * 60 + p[i]; printf "%.2f", t }' "$logs/$name.time")
  c=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$logs/$name.time")
  k=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$logs/$name.time")
  last_secs=$s
  if [ -z "${secs[$name]:-}" ] || awk -v a="$s" -v b="${secs[$name]}" 'BEGIN { exit !(a < b) }'; then
    secs[$name]=$s cpu[$name]=$c
  fi
  if [ -z "${rss[$name]:-}" ] || [ "$k" -gt "${rss[$name]}" ]; then rss[$name]=$k; fi
  say "$name: ${s} s (cpu ${c} s), ${k} KiB"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
num() { printf "%'d" "$1" 2>/dev/null || printf "%d" "$1"; }
yesno() { awk "BEGIN { exit !($1) }" && echo yes || echo "**no**"; }
check_count() {  # check_count WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || { echo "bench: $1: expected $2 rows, found $3" >&2; exit 1; }
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

load_before=$(load)
started=$(date +%s)
say "scale $scale: $invoices invoices ($customers customers), $big_invoices for the memory check, demo of $demo_customers customers; work in $work"

# --- Data -------------------------------------------------------------------
data=$work/data
mkdir -p "$data"
python3 bench/gen_invoices.py customers "$data/customers.csv" "$customers"
python3 bench/gen_invoices.py invoices "$data/invoices.csv" "$invoices" "$customers"
python3 bench/gen_invoices.py invoices "$data/invoices-big.csv" "$big_invoices" "$customers"
invoice_mb=$(du -m "$data/invoices.csv" | cut -f1)

# --- 1. SQLite import ---------------------------------------------------------
# The same customers for both file sizes, so any RSS growth comes from the
# invoice file and not from the customer lookup table.
cartera_sqlite_import() {  # NAME FILE ROWS
  local db=$work/$1.db
  rm -f "$db" "$db-wal" "$db-shm"
  timed "$1-customers" "$cartera" -q --db "$db" import customers "$data/customers.csv"
  timed "$1" "$cartera" -q --db "$db" import invoices "$2"
  cartera_import_secs=$last_secs
  check_count "cartera import invoices $2 (SQLite)" "$3" "$(sqlite3 "$db" "SELECT COUNT(*) FROM invoices")"
  rm -f "$db" "$db-wal" "$db-shm"
}
import_rounds=$((import_rounds > repeat ? import_rounds : repeat))
sqlite_round_list=
for ((r = 1; r <= import_rounds; r++)); do
  rm -f "$work/bare.db"
  timed sqlite-bare sqlite3 "$work/bare.db" ".import --csv $data/invoices.csv bare"
  round_bare=$last_secs
  check_count "sqlite3 .import" "$invoices" "$(sqlite3 "$work/bare.db" "SELECT COUNT(*) FROM bare")"
  rm -f "$work/bare.db"
  cartera_sqlite_import sqlite-cartera "$data/invoices.csv" "$invoices"
  sqlite_round_list+="${sqlite_round_list:+; }$round_bare / $cartera_import_secs s ($(ratio "$cartera_import_secs" "$round_bare"))"
done
cartera_sqlite_import sqlite-cartera-big "$data/invoices-big.csv" "$big_invoices"

# --- 2. PostgreSQL import -------------------------------------------------------
pg_version=
if [ "$postgres" = 1 ]; then
  # A throw-away cluster as in scripts/test.sh: PostgreSQL refuses to run as
  # root, so it belongs to the postgres user; the socket is in a private dir.
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d "${BENCH_TMP:-/tmp}/cartera-bench-pg.XXXXXX")
  pg_port=$(( 20000 + RANDOM % 20000 ))
  chown postgres "$pg_dir"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --no-sync >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
  pg_version=$("$pg_bin/postgres" --version)
  psql_at() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres "$@"; }
  pg_round_list=
  for ((r = 1; r <= import_rounds; r++)); do
    psql_at -d postgres -c "DROP DATABASE IF EXISTS bench_bare" -c "DROP DATABASE IF EXISTS bench_cartera" \
      -c "CREATE DATABASE bench_bare" -c "CREATE DATABASE bench_cartera" 2>/dev/null
    psql_at -d bench_bare -c "CREATE TABLE bare (external_id text, customer_external_id text, number text,
      issue_date date, due_date date, currency text, amount numeric(18,2), description text)"
    # Each timed side starts from a checkpoint: the WAL the previous side
    # (or round) wrote is not flushed on the next one's clock.
    psql_at -d postgres -c CHECKPOINT
    timed pg-bare psql -X -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres -d bench_bare \
      -c "\\copy bare FROM '$data/invoices.csv' CSV HEADER"
    round_bare=$last_secs
    check_count "psql \\copy" "$invoices" "$(psql_at -d bench_bare -At -c "SELECT COUNT(*) FROM bare")"
    pg_url="postgresql:///bench_cartera?host=$pg_dir&port=$pg_port&user=postgres"
    timed pg-cartera-customers "$cartera" -q --db "$pg_url" import customers "$data/customers.csv"
    psql_at -d postgres -c CHECKPOINT
    timed pg-cartera "$cartera" -q --db "$pg_url" import invoices "$data/invoices.csv"
    pg_round_list+="${pg_round_list:+; }$round_bare / $last_secs s ($(ratio "$last_secs" "$round_bare"))"
    check_count "cartera import (PostgreSQL)" "$invoices" "$(psql_at -d bench_cartera -At -c "SELECT COUNT(*) FROM invoices")"
  done
fi

# --- 3. Aging over the demo portfolio ----------------------------------------------
demo_db=$work/demo.db
demo_files=$work/demo-files
demo_start=$(date +%s.%N)
timed demo "$cartera" -q --db "$demo_db" demo --customers "$demo_customers" --seed "$seed" --as-of "$as_of" \
  --keep-files "$demo_files"
# The demo writes its four CSV files first, then imports them: the files'
# modification time splits its time into generating and importing.
demo_generated=$(stat -c %.9Y "$demo_files"/*.csv | sort -n | tail -n 1)
demo_generate_secs=$(awk -v a="$demo_generated" -v b="$demo_start" 'BEGIN { printf "%.2f", a - b }')
demo_import_secs=$(awk -v a="${secs[demo]}" -v b="$demo_generate_secs" 'BEGIN { printf "%.2f", a - b }')
demo_invoices=$(sqlite3 "$demo_db" "SELECT COUNT(*) FROM invoices")
demo_open=$(sqlite3 "$demo_db" "SELECT COUNT(*) FROM invoices WHERE open_minor <> 0")
demo_db_mb=$(du -mc "$demo_db"* | tail -n 1 | cut -f1)

# The same buckets as `cartera aging` (30,60,90,180 days past due): the SQL
# floor for the report, without names, sorting or formatting.
days_before() { date -d "$as_of - $1 days" +%F; }
d30=$(days_before 30) d60=$(days_before 60) d90=$(days_before 90) d180=$(days_before 180)
group_by_sql="SELECT customer_id, currency,
  SUM(CASE WHEN due_date >= '$as_of' THEN open_minor ELSE 0 END) AS not_due,
  SUM(CASE WHEN due_date < '$as_of' AND due_date >= '$d30' THEN open_minor ELSE 0 END) AS d1_30,
  SUM(CASE WHEN due_date < '$d30' AND due_date >= '$d60' THEN open_minor ELSE 0 END) AS d31_60,
  SUM(CASE WHEN due_date < '$d60' AND due_date >= '$d90' THEN open_minor ELSE 0 END) AS d61_90,
  SUM(CASE WHEN due_date < '$d90' AND due_date >= '$d180' THEN open_minor ELSE 0 END) AS d91_180,
  SUM(CASE WHEN due_date < '$d180' THEN open_minor ELSE 0 END) AS over_180,
  SUM(open_minor) AS total, COUNT(*) AS invoices
FROM invoices WHERE tenant_id = 1 AND open_minor <> 0 AND issue_date <= '$as_of'
GROUP BY customer_id, currency"
echo "$group_by_sql;" >"$logs/aging-group-by.sql"
for ((r = 1; r <= repeat; r++)); do
  out=/dev/null timed aging-cartera "$cartera" -q --db "$demo_db" aging --as-of "$as_of" --format csv
  out=/dev/null timed aging-sqlite sqlite3 -csv "$demo_db" "$group_by_sql"
done
# Same answer? (untimed) Grand total in minor units and number of lines.
"$cartera" -q --db "$demo_db" aging --as-of "$as_of" --format csv >"$logs/aging.csv"
read -r cartera_lines cartera_total < <(sqlite3 -separator ' ' :memory: ".import --csv $logs/aging.csv report" \
  "SELECT COUNT(*), SUM(CAST(REPLACE(total, '.', '') AS INTEGER)) FROM report")
sql_total=$(sqlite3 "$demo_db" "SELECT SUM(total) FROM ($group_by_sql)")
sql_lines=$(sqlite3 "$demo_db" "SELECT COUNT(*) FROM ($group_by_sql)")
same_answer=yes
[ "$cartera_total" = "$sql_total" ] && [ "$cartera_lines" = "$sql_lines" ] || same_answer="**no** (cartera $cartera_lines lines, total $cartera_total; SQL $sql_lines lines, total $sql_total)"

# --- 4. The collection run over the demo portfolio (issue #3) ----------------
# From reading the ledger to committing the outbox, on a copy of the demo
# database (a run writes). Baseline: the database scanning the same open
# invoices per customer.
run_group_by_sql="SELECT customer_id, SUM(open_minor), COUNT(*) FROM invoices
WHERE tenant_id = 1 AND open_minor <> 0 GROUP BY customer_id"
echo "$run_group_by_sql;" >"$logs/run-group-by.sql"
for ((r = 1; r <= repeat; r++)); do
  cp "$demo_db" "$work/run.db"
  timed run-cartera "$cartera" -q --db "$work/run.db" run --as-of "$as_of"
  out=/dev/null timed run-sqlite sqlite3 -csv "$demo_db" "$run_group_by_sql"
done
run_outbox=$(sqlite3 "$work/run.db" "SELECT COUNT(*) FROM outbox")
run_customers=$(sqlite3 "$demo_db" "SELECT COUNT(DISTINCT customer_id) FROM invoices WHERE open_minor <> 0")
rm -f "$work/run.db"*
if [ -n "$pg_dir" ]; then
  # The demo's files loaded into PostgreSQL (setup, not timed against
  # anything), then the same run.
  psql_at -d postgres -c "DROP DATABASE IF EXISTS bench_run" -c "CREATE DATABASE bench_run"
  run_url="postgresql:///bench_run?host=$pg_dir&port=$pg_port&user=postgres"
  for kind in customers invoices credit-notes payments; do
    timed "pg-load-$kind" "$cartera" -q --db "$run_url" import "$kind" "$demo_files/$kind.csv"
  done
  psql_at -d bench_run -c "ANALYZE"
  for ((r = 1; r <= repeat; r++)); do
    psql_at -d bench_run -c "DELETE FROM outbox" -c "DELETE FROM engine_log" >/dev/null
    timed pg-run-cartera "$cartera" -q --db "$run_url" run --as-of "$as_of"
    out=/dev/null timed pg-run-group-by psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres \
      -d bench_run -c "$run_group_by_sql"
  done
  pg_run_outbox=$(psql_at -d bench_run -At -c "SELECT COUNT(*) FROM outbox")
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null
  rm -rf "$pg_dir"
  pg_dir=
fi

# Where `cartera demo` spends its time: the same imports, one command each.
if [ "$phases" = 1 ]; then
  phase_db=$work/phases.db
  rm -f "$phase_db"*
  for kind in customers invoices credit-notes payments; do
    timed "phase-$kind" "$cartera" -q --db "$phase_db" import "$kind" "$demo_files/$kind.csv"
  done
fi

# --- Report -------------------------------------------------------------------
load_after=$(load)
total_minutes=$(awk -v s="$(( $(date +%s) - started ))" 'BEGIN { printf "%.1f", s / 60 }')
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit (uncommitted changes in src/)"
if [ "$scale" = full ]; then
  t_import="< 30 s and ≤ 2×" t_aging="< 3 s, RSS < 1 GiB"
  met_import=$(yesno "${secs[sqlite-cartera]} < 30 && ${secs[sqlite-cartera]} <= 2 * ${secs[sqlite-bare]}")
  met_aging=$(yesno "${secs[aging-cartera]} < 3 && ${rss[aging-cartera]} < 1048576")
else
  t_import="≤ 2× (30 s applies at full scale)" t_aging="(< 3 s, < 1 GiB apply at full scale)"
  met_import=$(yesno "${secs[sqlite-cartera]} <= 2 * ${secs[sqlite-bare]}")
  met_aging="—"
fi
rss_growth=$(awk -v a="${rss[sqlite-cartera-big]}" -v b="${rss[sqlite-cartera]}" 'BEGIN { printf "%.2f", a / b }')
if [ "$scale" = full ]; then
  met_rss=$(yesno "$rss_growth < 1.5")
else
  met_rss="— (the 64 MiB page cache is still filling at this size)"
fi

mkdir -p bench/results
report=bench/results/latest.md
{
  echo "# Cartera benchmarks: $scale scale"
  echo
  echo "| Machine | |"
  echo "|---|---|"
  echo "| Date | $(date '+%Y-%m-%d %H:%M %Z') |"
  echo "| nproc | $(nproc) |"
  echo "| CPU model | $cpu |"
  echo "| Memory | $mem_gib GiB |"
  echo "| Load average (1/5/15 min) before → after | $load_before → $load_after |"
  echo "| OS | $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r) |"
  echo "| cartera | $cartera, source commit $commit |"
  echo "| sqlite3 | $(sqlite3 --version | cut -d' ' -f1) |"
  [ -n "$pg_version" ] && echo "| PostgreSQL | $pg_version (fsync=off, full_page_writes=off, as in scripts/test.sh) |"
  echo "| Repeats | $repeat (fastest time and largest RSS reported) |"
  echo "| Whole run | $total_minutes min |"
  [ -n "$build_note" ] && echo "| Note | $build_note |"
  echo
  echo "## Results"
  echo
  echo "| # | What | cartera | baseline | ratio | target | met |"
  echo "|---|---|---:|---:|---:|---|---|"
  echo "| 1 | SQLite: import $(num "$invoices") invoices from CSV ($invoice_mb MB; fastest of $import_rounds rounds each) | ${secs[sqlite-cartera]} s (cpu ${cpu[sqlite-cartera]} s) | ${secs[sqlite-bare]} s (cpu ${cpu[sqlite-bare]} s) \`sqlite3 .import --csv\` | $(ratio "${secs[sqlite-cartera]}" "${secs[sqlite-bare]}") | $t_import | $met_import |"
  echo "| 1 | each round: \`.import\` / cartera | $sqlite_round_list | | | | |"
  echo "| 1 | peak RSS of \`cartera import invoices\`, $(num "$invoices") rows | $(mib "${rss[sqlite-cartera]}") | $(mib "${rss[sqlite-bare]}") sqlite3 | | bounded | |"
  echo "| 1 | peak RSS, $(num "$big_invoices") rows (same customers) | $(mib "${rss[sqlite-cartera-big]}") (${secs[sqlite-cartera-big]} s) | | ${rss_growth}× the $(num "$invoices")-row RSS | does not double (< 1.5×) | $met_rss |"
  if [ -n "$pg_version" ]; then
    echo "| 2 | PostgreSQL: import $(num "$invoices") invoices from CSV (fastest of $import_rounds rounds each) | ${secs[pg-cartera]} s | ${secs[pg-bare]} s \`psql \\copy\` | $(ratio "${secs[pg-cartera]}" "${secs[pg-bare]}") | ≤ 2× | $(yesno "${secs[pg-cartera]} <= 2 * ${secs[pg-bare]}") |"
    echo "| 2 | each round: \`\\copy\` / cartera | $pg_round_list | | | | |"
    echo "| 2 | peak RSS of \`cartera import invoices\` (PostgreSQL) | $(mib "${rss[pg-cartera]}") | | | bounded | |"
  fi
  echo "| 3 | \`cartera aging --format csv\`: $(num "$demo_invoices") invoices ($(num "$demo_open") open), $(num "$demo_customers") customers | ${secs[aging-cartera]} s (cpu ${cpu[aging-cartera]} s), $(mib "${rss[aging-cartera]}") | ${secs[aging-sqlite]} s (cpu ${cpu[aging-sqlite]} s), $(mib "${rss[aging-sqlite]}") \`sqlite3\` GROUP BY | $(ratio "${secs[aging-cartera]}" "${secs[aging-sqlite]}") | $t_aging | $met_aging |"
  echo "| 3 | same lines and grand total as the GROUP BY | $cartera_lines lines | $sql_lines rows | | equal | $same_answer |"
  echo "| 3 | building it: \`cartera demo --customers $(num "$demo_customers")\` | ${secs[demo]} s ($(awk -v s="${secs[demo]}" 'BEGIN { printf "%.1f", s / 60 }') min; $demo_generate_secs s writing the CSV files, $demo_import_secs s importing them), $(mib "${rss[demo]}") | | | | |"
  if [ "$scale" = full ]; then t_run="< 20 s, RSS < 2 GiB"; met_run=$(yesno "${secs[run-cartera]} < 20 && ${rss[run-cartera]} < 2097152"); else t_run="(< 20 s, < 2 GiB apply at full scale)"; met_run="—"; fi
  echo "| 4 | \`cartera run\` (SQLite): $(num "$demo_customers") customers, $(num "$demo_invoices") invoices ($(num "$demo_open") open, $(num "$run_customers") customers owing), ledger read to outbox committed: $(num "$run_outbox") outbox items | ${secs[run-cartera]} s (cpu ${cpu[run-cartera]} s), $(mib "${rss[run-cartera]}") | ${secs[run-sqlite]} s \`sqlite3\` GROUP BY customer of the open invoices | $(ratio "${secs[run-cartera]}" "${secs[run-sqlite]}") | $t_run | $met_run |"
  if [ -n "$pg_version" ]; then
    echo "| 4 | \`cartera run\` (PostgreSQL), the same portfolio: $(num "$pg_run_outbox") outbox items | ${secs[pg-run-cartera]} s (cpu ${cpu[pg-run-cartera]} s), $(mib "${rss[pg-run-cartera]}") | ${secs[pg-run-group-by]} s \`psql\` GROUP BY | $(ratio "${secs[pg-run-cartera]}" "${secs[pg-run-group-by]}") | reported | |"
  fi
  echo
  echo "Not timed as part of the comparison (setup): \`cartera import customers\` of the $(num "$customers")" \
       "customers the invoices reference took ${secs[sqlite-cartera-customers]} s on SQLite" \
       "$([ -n "$pg_version" ] && echo "and ${secs[pg-cartera-customers]} s on PostgreSQL")." \
       "The demo database is $demo_db_mb MB."
  if [ "$phases" = 1 ]; then
    echo
    echo "### Where \`cartera demo\` spends its time"
    echo
    echo "Inside the demo, writing the CSV files took $demo_generate_secs s (from the start to the files'"
    echo "modification time) and importing them $demo_import_secs s. The same files imported again into a"
    echo "fresh database, one \`cartera import\` each:"
    echo
    echo "| Phase | Rows | Seconds | CPU seconds | Peak RSS |"
    echo "|---|---:|---:|---:|---:|"
    for kind in customers invoices credit-notes payments; do
      rows=$(( $(wc -l <"$demo_files/$kind.csv") - 1 ))
      echo "| import $kind | $(num "$rows") | ${secs[phase-$kind]} | ${cpu[phase-$kind]} | $(mib "${rss[phase-$kind]}") |"
    done
    echo "| demo total | | ${secs[demo]} | ${cpu[demo]} | $(mib "${rss[demo]}") |"
  fi
  echo
  echo "Ratio = cartera wall time / baseline wall time. cpu = user + system seconds of the measured process"
  echo "(for PostgreSQL the work is in the server, so only wall time compares). Commands and what each"
  echo "compares: bench/README.md."
} >"$report"
say "done in $total_minutes min"
cat "$report"
