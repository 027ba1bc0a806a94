#!/usr/bin/env bash
# Email delivery throughput: `cartera deliver` against a local SMTP server
# (tests/delivery/smtp_sink.py, aiosmtpd) with the connection reused.
# Writes bench/results/delivery.md and prints it.
#
#   bash bench/delivery.sh [--customers N]   (default 5000: about 2,000 emails)
#
# The sink is Python: when cartera is faster than the sink, the figure is the
# sink's; the report gives both processes' CPU time so the reader can tell.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
customers=5000
[ "${1:-}" = "--customers" ] && customers=${2:?--customers needs a number}
bash scripts/setup.sh
cartera=${CARTERA_BIN:-$root/build/src/cli/cartera}
[ -x "$cartera" ] || { echo "bench: build first (bash scripts/build.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/cartera-bench-delivery.XXXXXX)
sink_pid=
trap '[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
export CARTERA_SECRET_KEY CARTERA_LANG=en
CARTERA_SECRET_KEY=$("$cartera" secret-key)
port=$(/usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
/usr/bin/python3 "$root/tests/delivery/smtp_sink.py" "$port" mail > sink.log 2>&1 &
sink_pid=$!
for _ in $(seq 50); do grep -q READY sink.log && break; sleep 0.1; done
"$cartera" -q --db d.db demo --customers "$customers" --seed 3 --as-of 2026-11-20 > /dev/null
"$cartera" --db d.db policy export > exported.json
/usr/bin/python3 "$root/tests/delivery/one_channel_policy.py" exported.json policy.json
"$cartera" -q --db d.db policy import policy.json > /dev/null
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db d.db run > /dev/null
"$cartera" -q --db d.db channel set-email --host 127.0.0.1 --port "$port" --security none --from cobranza@empresa.co
sink_cpu_before=$(awk '{ print $14 + $15 }' "/proc/$sink_pid/stat")
start=$(date +%s.%N)
CARTERA_NOW=2026-11-20T15:05:00Z /usr/bin/time -f "%U %S" -o time.txt "$cartera" -q --db d.db deliver --once --limit 1000000
end=$(date +%s.%N)
sink_cpu_after=$(awk '{ print $14 + $15 }' "/proc/$sink_pid/stat")
sent=$(sqlite3 d.db "SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
received=$(find mail/new -type f | wc -l)
ticks=$(getconf CLK_TCK)
report=$root/bench/results/delivery.md
mkdir -p "$(dirname "$report")"
{
  echo "# Email delivery throughput"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| Machine | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') |"
  echo "| cartera | source commit $(git -C "$root" rev-parse --short HEAD) |"
  echo "| Emails sent / received by the sink | $sent / $received |"
  awk -v s="$start" -v e="$end" -v n="$sent" 'BEGIN { printf "| Wall time | %.2f s |\n| Throughput | **%.0f emails/s** (target ≥ 200) |\n", e - s, n / (e - s) }'
  awk '{ printf "| cartera CPU | %.2f s |\n", $1 + $2 }' time.txt
  awk -v a="$sink_cpu_before" -v b="$sink_cpu_after" -v t="$ticks" 'BEGIN { printf "| SMTP sink CPU | %.2f s |\n", (b - a) / t }'
  echo
  echo "One \`cartera deliver --once\` pass: for each email it reads the recipient and consent, checks"
  echo "the rulebook, renders the script, commits \`sending\`, sends over one reused SMTP connection"
  echo "and commits the result (two SQLite transactions per email)."
} > "$report"
cat "$report"
