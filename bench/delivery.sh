#!/usr/bin/env bash
# Delivery throughput: `cartera deliver` against a local SMTP server
# (tests/delivery/smtp_sink.py, aiosmtpd) or a local server that answers like
# Twilio (tests/delivery/fake_twilio.py) or Meta's WhatsApp Cloud API
# (tests/delivery/fake_whatsapp_cloud.py), connections kept alive.
# Writes bench/results/delivery-CHANNEL.md and prints it.
#
#   bash bench/delivery.sh [--channel email|sms|whatsapp] [--customers N] [--connections N]
#                          (default email, 5000 customers: about 2,000 messages; 4 connections)
#
# The servers are Python: when cartera is faster than the server, the figure
# is the server's; the report gives both processes' CPU time so the reader
# can tell.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
customers=5000 channel=email connections=4
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers=${2:?--customers needs a number}; shift 2 ;;
    --channel) channel=${2:?--channel needs email, sms or whatsapp}; shift 2 ;;
    --connections) connections=${2:?--connections needs a number}; shift 2 ;;
    *) echo "bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
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
if [ "$channel" = sms ]; then
  /usr/bin/python3 "$root/tests/delivery/fake_twilio.py" "$port" sent.jsonl ACbench tok > sink.log 2>&1 &
elif [ "$channel" = whatsapp ]; then
  /usr/bin/python3 "$root/tests/delivery/fake_whatsapp_cloud.py" "$port" sent.jsonl window.txt 1065403 tok > sink.log 2>&1 &
else
  /usr/bin/python3 "$root/tests/delivery/smtp_sink.py" "$port" mail > sink.log 2>&1 &
fi
sink_pid=$!
for _ in $(seq 50); do grep -q READY sink.log && break; sleep 0.1; done
"$cartera" -q --db d.db demo --customers "$customers" --seed 3 --as-of 2026-11-20 > /dev/null
"$cartera" --db d.db policy export > exported.json
/usr/bin/python3 "$root/tests/delivery/one_channel_policy.py" exported.json policy.json "$channel"
"$cartera" -q --db d.db policy import policy.json > /dev/null
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db d.db run > /dev/null
if [ "$channel" = sms ]; then
  TOKEN=tok "$cartera" -q --db d.db channel set-twilio --account-sid ACbench --auth-token-env TOKEN \
    --from +15005550006 --base-url "http://127.0.0.1:$port"
elif [ "$channel" = whatsapp ]; then
  TOKEN=tok SECRET=app "$cartera" -q --db d.db channel set-whatsapp --phone-number-id 1065403 \
    --access-token-env TOKEN --app-secret-env SECRET --base-url "http://127.0.0.1:$port"
else
  "$cartera" -q --db d.db channel set-email --host 127.0.0.1 --port "$port" --security none --from cobranza@empresa.co
fi
sink_cpu_before=$(awk '{ print $14 + $15 }' "/proc/$sink_pid/stat")
start=$(date +%s.%N)
CARTERA_NOW=2026-11-20T15:05:00Z /usr/bin/time -f "%U %S" -o time.txt "$cartera" -q --db d.db deliver --once --limit 1000000 --connections "$connections"
end=$(date +%s.%N)
sink_cpu_after=$(awk '{ print $14 + $15 }' "/proc/$sink_pid/stat")
sent=$(sqlite3 d.db "SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
if [ "$channel" = email ]; then received=$(find mail/new -type f | wc -l); else received=$(wc -l < sent.jsonl); fi
ticks=$(getconf CLK_TCK)
report=$root/bench/results/delivery-$channel.md
mkdir -p "$(dirname "$report")"
{
  echo "# Delivery throughput: $channel"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| Machine | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') |"
  echo "| cartera | source commit $(git -C "$root" rev-parse --short HEAD) |"
  echo "| Messages sent / received by the server | $sent / $received |"
  echo "| Connections | $connections |"
  target=200; [ "$channel" = email ] || target=1000
  awk -v s="$start" -v e="$end" -v n="$sent" -v t="$target" 'BEGIN { printf "| Wall time | %.2f s |\n| Throughput | **%.0f messages/s** (target ≥ %d) |\n", e - s, n / (e - s), t }'
  awk '{ printf "| cartera CPU | %.2f s |\n", $1 + $2 }' time.txt
  awk -v a="$sink_cpu_before" -v b="$sink_cpu_after" -v t="$ticks" 'BEGIN { printf "| Server CPU | %.2f s |\n", (b - a) / t }'
  echo
  echo "One \`cartera deliver --once\` pass: for each message it reads the recipient and consent, checks"
  echo "the rulebook and renders the script; then, $connections messages at a time, it commits them"
  echo "\`sending\` in one transaction, sends them at once (one kept-alive connection per lane) and"
  echo "commits their results in one transaction."
} > "$report"
cat "$report"
