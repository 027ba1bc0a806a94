#!/usr/bin/env bash
# The run and the worker agree on what counts as a contact and which
# channels a debtor opened (collection/contact_history.h), checked against
# what really arrives at a local SMTP server and in the letters folder.
# Usage: run_contact_history_tests.sh PATH_TO_CARTERA
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
if ! /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then
  echo "SKIP: python3-aiosmtpd is not installed (scripts/setup.sh installs it)"; exit 0
fi
cd "$work"

write_ledger() {  # write_ledger DIR: one Colombian consumer owing in COP and USD, one owing a letter
  mkdir -p "$1"
  cat > "$1/customers.csv" <<'CSV'
external_id,name,tax_id,country,kind,email,consent_email,address
CO-1,Ana Pérez,1020304050,CO,person,ana@example.co,yes,
CO-2,Luis Gómez,1020304051,CO,person,,,"Calle 10 # 5-20, Bogotá"
CSV
  cat > "$1/invoices.csv" <<'CSV'
external_id,customer_external_id,number,issue_date,due_date,currency,amount
F-1,CO-1,F-1,2026-01-24,2026-02-24,COP,1500000.00
F-2,CO-1,F-2,2026-01-05,2026-02-05,USD,320.00
F-3,CO-2,F-3,2025-12-01,2026-01-05,COP,2300000.00
CSV
}

# --- A catch-up after days without delivery keeps Colombia's one contact a day ---
db=$work/catchup.db
write_ledger ledger
"$cartera" -q --db "$db" import customers ledger/customers.csv > /dev/null
"$cartera" -q --db "$db" import invoices ledger/invoices.csv > /dev/null
port=$(free_port)
start_sink "$port" mail
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none \
  --from cobranza@ferreteria.co --from-name "Ferretería" --max-per-minute 6000
for day in 09 10 11; do
  CARTERA_NOW=2026-03-${day}T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
done
# 03-09: the peso debt is at overdue_7, the dollar debt at overdue_30: one
# message says both (the peso stage is recorded as merged into it); 03-11:
# the peso debt reaches overdue_15, a second message.
check "one message a run covers both currencies" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE business_date = '2026-03-09' AND status = 'merged' AND channel IS NULL")" -eq 1
check "the runs queued two emails for the same debtor" \
  test "$(q "SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.external_id = 'CO-1' AND o.channel = 'email' AND o.status = 'queued'")" -eq 2
CARTERA_NOW=2026-03-13T17:00:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
check "one message arrives on the catch-up day, not two" test "$(messages mail)" -eq 1
check "the message speaks of the pesos and the dollars" py "
import email, email.policy, glob
m = email.message_from_binary_file(open(glob.glob('mail/new/*')[0], 'rb'), policy=email.policy.default)
html = next(p for p in m.walk() if p.get_content_type() == 'text/html').get_content()
assert 'F-1' in html and 'F-2' in html, html
assert '1.500.000' in html and '320' in html, html
"
check "the other one waits for the next day the law allows" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND next_attempt_at >= '2026-03-14T'")" -eq 1
check "the sent one counts at its real send time" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at = '2026-03-13T17:00:00Z' AND attempted_at = '2026-03-13T17:00:00Z'")" -eq 1
CARTERA_NOW=2026-03-13T21:00:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
check "a second pass the same day sends nothing more" test "$(messages mail)" -eq 1
CARTERA_NOW=2026-03-14T14:00:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
check "the next day the second one goes" test "$(messages mail)" -eq 2

# --- A letter the run queues for a Colombian consumer is printed -----------------
check "the run queued the legal-stage letter of the debtor with an address" \
  test "$(q "SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.external_id = 'CO-2' AND o.channel = 'letter'")" -ge 1
mkdir -p letters
CARTERA_NOW=2026-03-13T17:00:00Z "$cartera" -q --db "$db" deliver --once --letters-dir letters > /dev/null
check "no letter is blocked as not authorised" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND last_error LIKE '%channel_not_authorised%'")" -eq 0
check "the letter was printed" test "$(find letters -name '*.pdf' | wc -l)" -ge 1
check "and is recorded as sent" test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND status = 'sent'")" -ge 1

# --- A reminder whose stage is over expires instead of going out late ------------
db=$work/expiry.db
mkdir -p soon
cat > soon/customers.csv <<'CSV'
external_id,name,tax_id,country,email,consent_email
MX-1,Ferretería del Norte,XAXX010101000,MX,pagos@norte.mx,yes
CSV
cat > soon/invoices.csv <<'CSV'
external_id,customer_external_id,number,issue_date,due_date,currency,amount
M-1,MX-1,M-1,2026-03-01,2026-03-20,MXN,15000.00
CSV
"$cartera" -q --db "$db" import customers soon/customers.csv > /dev/null
"$cartera" -q --db "$db" import invoices soon/invoices.csv > /dev/null
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none \
  --from cobranza@ferreteria.co --max-per-minute 6000
CARTERA_NOW=2026-03-13T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
check "a before-due reminder was queued" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE stage = 'before_due_7' AND status = 'queued'")" -eq 1
before=$(messages mail)
CARTERA_NOW=2026-03-25T17:00:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
check "after the due date it is not sent" test "$(messages mail)" -eq "$before"
check "it expired with its reason" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE stage = 'before_due_7' AND status = 'expired' AND last_error LIKE 'expired: its stage ended on 2026-03-19%'")" -eq 1

# --- The worker waits out a database another process holds locked -------------------
# A writer holds the SQLite file for longer than its busy timeout (5 s): the
# worker retries with a growing wait instead of dying with messages left
# `sending` (then `unknown`).
db=$work/locked.db
"$cartera" -q --db "$db" import customers soon/customers.csv > /dev/null
"$cartera" -q --db "$db" import invoices soon/invoices.csv > /dev/null
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none \
  --from cobranza@ferreteria.co --max-per-minute 6000
CARTERA_NOW=2026-03-13T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
before=$(messages mail)
/usr/bin/python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN EXCLUSIVE')
open(sys.argv[2], 'w').write('locked')
time.sleep(6.5)
c.execute('COMMIT')
" "$db" locked.flag &
holder=$!
for _ in $(seq 50); do [ -e locked.flag ] && break; sleep 0.1; done
CARTERA_NOW=2026-03-13T17:00:00Z "$cartera" -q --db "$db" deliver --once > locked.out 2>&1
code=$?
wait "$holder"
check "the worker survives a lock held past its busy timeout (exit $code: $(head -c 200 locked.out))" test "$code" -eq 0
check "and sends what was due" test "$(messages mail)" -eq $((before + 1))
check "nothing is left sending or unknown" test "$(q "SELECT COUNT(*) FROM outbox WHERE status IN ('sending', 'unknown')")" -eq 0

# --- An address stored before imports checked it is never sent to ---------------------
db=$work/legacy.db
"$cartera" -q --db "$db" import customers soon/customers.csv > /dev/null
"$cartera" -q --db "$db" import invoices soon/invoices.csv > /dev/null
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none \
  --from cobranza@ferreteria.co --max-per-minute 6000
q "UPDATE contact_points SET value = 'billing>' || char(13, 10) || 'RCPT' || char(9) || 'TO:<evil@attacker.example>' WHERE channel = 'email'"
CARTERA_NOW=2026-03-13T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
before=$(messages mail)
CARTERA_NOW=2026-03-13T17:00:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
check "a stored address with CR/LF reaches no SMTP server" test "$(messages mail)" -eq "$before"
check "the item is blocked with the reason" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'blocked' AND last_error LIKE 'invalid_address:%'")" -eq 1

summary
