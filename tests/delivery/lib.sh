# Shared by the delivery test scripts: a work directory, the servers they
# start (stopped on exit), and `check`. Source it with the cartera path as $1.
cartera=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/cartera-delivery.XXXXXX)
sinks=()
cleanup() {
  for pid in "${sinks[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
export CARTERA_LANG=en CARTERA_SECRET_KEY
CARTERA_SECRET_KEY=$("$cartera" secret-key)
unset CARTERA_DB
failures=0 passes=0
check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $name"; fi
}
py() { /usr/bin/python3 -c "$1"; }
q() { sqlite3 "$db" "$1"; }
free_port() { /usr/bin/python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
start_sink() {  # start_sink PORT MAILDIR [options]: an SMTP server (aiosmtpd)
  start_server "sink-$1" smtp_sink.py "$@"
}
messages() { find "$1/new" -type f 2>/dev/null | wc -l; }
start_server() {  # start_server NAME SCRIPT ARGS...: a local test server, waits until it listens
  local name=$1 script=$2; shift 2
  /usr/bin/python3 "$here/$script" "$@" > "$work/$name.log" 2>&1 &
  sinks+=($!)
  for _ in $(seq 50); do grep -q READY "$work/$name.log" && return 0; sleep 0.1; done
  echo "$script did not start:"; cat "$work/$name.log"; exit 1
}
# Every message and letter by one channel, no calls.
use_one_channel_policy() {  # use_one_channel_policy DB CHANNEL
  "$cartera" --db "$1" policy export > exported.json
  /usr/bin/python3 "$here/one_channel_policy.py" exported.json policy.json "$2"
  "$cartera" -q --db "$1" policy import policy.json > /dev/null
}
summary() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
