#!/usr/bin/env bash
# Who may say "no" to a message, and what it costs (issue 14): a server that
# refuses our mail for its own policy keeps its words in the outbox; a bounce
# counts only when it returns a Message-ID we sent, never by recipient alone;
# a Maildir with a bad entry is read past it; a second worker opened through
# a symbolic link is refused. Usage: run_refusal_tests.sh PATH_TO_CARTERA
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
if ! /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then
  echo "SKIP: python3-aiosmtpd is not installed (scripts/setup.sh installs it)"; exit 0
fi
cd "$work"
db=$work/r.db
"$cartera" -q --db "$db" demo --customers 60 --seed 7 --as-of 2026-11-20 > /dev/null
use_one_channel_policy "$db" email
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
due() { q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND scheduled_at <= '$1' AND (next_attempt_at IS NULL OR next_attempt_at <= '$1')"; }
check "the run queued email" test "$(due 2026-11-20T15:05:00Z)" -gt 3

# --- A server's own policy at DATA: its words, not libcurl's -------------------------
policy_port=$(free_port)
start_sink "$policy_port" policy-mail --refuse-data "554 5.7.1 Message rejected: SPF check failed for ferreteria.co"
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$policy_port" --security none --from cobranza@ferreteria.co
first=$(q "SELECT id FROM outbox WHERE channel = 'email' AND status = 'queued' ORDER BY id LIMIT 1")
CARTERA_NOW=2026-11-20T15:05:00Z "$cartera" -q --db "$db" deliver --once --limit 1 > /dev/null
got=$(q "SELECT status || ' | ' || last_error FROM outbox WHERE id = $first")
check "a refusal at DATA fails the message ($got)" test "${got%% |*}" = failed
check "the server's reply is kept where a person reads it" grep -q "SMTP 554 5.7.1 Message rejected: SPF check failed for ferreteria.co (at end of DATA)" <<< "$got"
check "not libcurl's words" test -z "$(grep -i "weird server reply" <<< "$got")"
check "nothing was stored by the refusing server" test "$(messages policy-mail)" -eq 0

# --- Bounces: matched by our Message-ID, never by the recipient alone ----------------
port=$(free_port)
start_sink "$port" mail
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none --from cobranza@ferreteria.co
CARTERA_NOW=2026-11-20T15:10:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
mapfile -t received < <(find mail/new -type f | sort | head -4)
check "emails arrived" test "${#received[@]}" -eq 4
to_of() { py "import email; print(email.message_from_binary_file(open('$1', 'rb'))['To'].split('<')[-1].rstrip('>').strip())"; }
id_of() { py "import email; print(email.message_from_binary_file(open('$1', 'rb'))['Message-ID'])"; }
usable() { q "SELECT usable FROM contact_points WHERE channel = 'email' AND value = '$1'"; }
victim=$(to_of "${received[0]}")
/usr/bin/python3 "$here/make_bounce.py" "${received[0]}" forged-no-id.eml --message-id ''
/usr/bin/python3 "$here/make_bounce.py" "${received[0]}" forged-headers.eml --headers-only --message-id ''
/usr/bin/python3 "$here/make_bounce.py" "${received[0]}" forged-signed.eml \
  --message-id "<cartera.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef@ferreteria.co>"
"$cartera" --db "$db" bounces ingest forged-no-id.eml forged-headers.eml forged-signed.eml > forged.txt
check "forged reports exit 0 (they are reports, only not ours)" test $? -eq 0
check "a report without our Message-ID is ignored" test "$(grep -c "ignored: $victim: the report does not return the Message-ID we sent" forged.txt)" -eq 2
check "a Message-ID whose signature does not verify is ignored" grep -q "forged-signed.eml: ignored: .*not one of ours" forged.txt
check "forged reports leave the debtor's address usable" test "$(usable "$victim")" -eq 1
check "forged reports leave the message sent" test "$(q "SELECT status FROM outbox WHERE provider_message_id = '$(id_of "${received[0]}")'")" = sent
/usr/bin/python3 "$here/make_bounce.py" "${received[0]}" genuine.eml
CARTERA_NOW=2026-11-21T09:00:00Z "$cartera" --db "$db" bounces ingest genuine.eml > genuine.txt
check "a genuine report bounces the message" test "$(q "SELECT status FROM outbox WHERE provider_message_id = '$(id_of "${received[0]}")'")" = bounced
check "a genuine report marks the address unusable" test "$(usable "$victim")" -eq 0
# An unsigned (pre-upgrade) id is honoured only for an email sent in the last 7 days.
late=$(to_of "${received[1]}")
/usr/bin/python3 "$here/make_bounce.py" "${received[1]}" late.eml
if [[ "$(id_of "${received[1]}")" =~ ^\<cartera\.[0-9a-f]{32}@ ]]; then
  CARTERA_NOW=2026-11-28T15:11:00Z "$cartera" --db "$db" bounces ingest late.eml > late.txt
  check "an unsigned id older than 7 days is ignored" grep -q "is unsigned .* more than 7 days ago" late.txt
  check "... and changes nothing" test "$(usable "$late")" -eq 1
fi

# --- A Maildir with entries that cannot be read ---------------------------------------
mkdir -p box/new box/cur box/tmp
/usr/bin/python3 "$here/make_bounce.py" "${received[2]}" box/new/1700000009.M1.host
/usr/bin/python3 "$here/make_bounce.py" "${received[3]}" box/cur/1700000030.M4.host:2,S
ln -s "$work/gone.eml" box/new/1700000010.M2.host          # a link to nothing
mkdir box/new/1700000011.M3.host                             # a directory named like a message
echo "not an email" > box/new/1700000012.M5.host             # a file that does not parse
CARTERA_NOW=2026-11-21T09:00:00Z "$cartera" --db "$db" bounces ingest box > box.txt 2> box.err
status=$?
check "bad entries make the exit status 2" test "$status" -eq 2
check "the link to nothing is named" grep -q "1700000010.M2.host: a link to a file that does not exist" box.err
check "the directory is named" grep -q "1700000011.M3.host: not a file" box.err
check "the file that is not an email is named" grep -q "1700000012.M5.host: not an email message" box.err
check "the summary counts them" grep -q "3 of 5 files could not be read" box.err
check "the report before them was read" test "$(usable "$(to_of "${received[2]}")")" -eq 0
check "the report after them was read" test "$(usable "$(to_of "${received[3]}")")" -eq 0

# --- A paused channel: the worker pauses it, a person resumes it ---------------------
# Three refusals at DATA in a row pause email for the tenant; the rest of the
# pass stays queued with no attempt counted, and no address is touched.
db=$work/p.db
"$cartera" -q --db "$db" demo --customers 200 --seed 7 --as-of 2026-11-20 > /dev/null
use_one_channel_policy "$db" email
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
waiting=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND scheduled_at <= '2026-11-20T15:00:00Z'")
check "enough email is due to see a pause ($waiting)" test "$waiting" -ge 5
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$policy_port" --security none --from cobranza@ferreteria.co
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" deliver --once --connections 1 2> pause.err
check "the worker says the channel is paused" grep -q "PAUSED" pause.err
check "three messages failed, then it stopped" \
  test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'failed' AND last_error LIKE '%554 5.7.1%'")" -eq 3
check "a server's refusal leaves every address usable" \
  test "$(q "SELECT COUNT(*) FROM contact_points c JOIN outbox o ON o.customer_id = c.customer_id WHERE o.last_error LIKE '%554 5.7.1%' AND c.channel = 'email' AND c.usable = 0")" -eq 0
left=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND attempts = 0 AND scheduled_at <= '2026-11-20T15:00:00Z'")
check "the rest stay queued, no attempt counted ($left)" test "$left" -eq $((waiting - 3))
CARTERA_LANG=es "$cartera" --db "$db" channel show > paused.txt
check "channel show says the channel is paused, why, and how to resume" grep -q "email: EN PAUSA desde 2026-11-20T15:00:0.Z: el servidor rechazó 3 mensajes seguidos .*554 5.7.1 Message rejected: SPF check failed .*cartera channel resume email" paused.txt
CARTERA_NOW=2026-11-20T15:01:00Z "$cartera" -q --db "$db" deliver --once 2> still.err
check "a paused channel sends nothing" test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND attempts = 0 AND scheduled_at <= '2026-11-20T15:00:00Z'")" -eq "$left"
"$cartera" --db "$db" channel resume email > resumed.txt
check "channel resume ends the pause" test "$(q "SELECT COALESCE(paused_at, 'none') || ' ' || refusals_in_row FROM channel_pauses WHERE channel = 'email'")" = "none 0"
check "the resume is audited" test "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'channel' AND source = 'cartera channel resume'")" -eq 1
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none --from cobranza@ferreteria.co --max-per-minute 6000
before=$(messages mail)
CARTERA_NOW=2026-11-20T15:02:00Z "$cartera" -q --db "$db" deliver --once > /dev/null
check "after the resume they are sent" test "$(messages mail)" -gt "$before"
"$cartera" -q --db "$db" channel resume email 2> not-paused.err
check "resuming a channel that is not paused exits 2" test $? -eq 2

# --- One worker per database file, whatever its name ---------------------------------
ln -s "$db" link.db
CARTERA_NOW=2026-11-20T15:30:00Z "$cartera" -q --db "$db" deliver --interval 60 > /dev/null 2>&1 &
first_worker=$!
for _ in $(seq 50); do [ -e "$db.deliver.lock" ] && break; sleep 0.1; done
sleep 0.5
CARTERA_NOW=2026-11-20T15:30:00Z "$cartera" -q --db "$work/link.db" deliver --once > /dev/null 2> second.err
second=$?
check "a second worker through a symbolic link is refused" test "$second" -ne 0
check "the refusal says why" grep -q "another \`cartera deliver\` is running for this database" second.err
kill "$first_worker" 2>/dev/null; wait "$first_worker" 2>/dev/null

summary
