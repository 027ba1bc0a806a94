#!/usr/bin/env bash
# Delivery end to end against a real SMTP server (tests/delivery/smtp_sink.py
# on aiosmtpd): what arrives, retries, refusals, consent at send time, and
# exactly-once under SIGKILL. Usage: run_delivery_tests.sh PATH_TO_CARTERA
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
if ! /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then
  echo "SKIP: python3-aiosmtpd is not installed (scripts/setup.sh installs it)"; exit 0
fi
twilio_request() {  # twilio_request FILE NAME=VALUE...: a request signed the way Twilio signs
  /usr/bin/python3 - "$@" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
path, params = sys.argv[1], dict(a.split('=', 1) for a in sys.argv[2:])
url = 'https://cobros.ferreteria.co/webhooks/twilio'
data = url + ''.join(k + params[k] for k in sorted(params))
signature = base64.b64encode(hmac.new(b'tok-s3cr3t', data.encode(), hashlib.sha1).digest()).decode()
open(path, 'w').write('POST /webhooks/twilio HTTP/1.1\r\nHost: cobros.ferreteria.co\r\n'
                      'Content-Type: application/x-www-form-urlencoded\r\n'
                      f'X-Twilio-Signature: {signature}\r\n\r\n{urllib.parse.urlencode(params)}')
PY
}
start_twilio() {  # start_twilio PORT LOG [options]: a local server that answers like Twilio
  local port=$1 log=$2; shift 2
  start_server "twilio-$port" fake_twilio.py "$port" "$log" ACtest0123 tok-s3cr3t "$@"
}
use_email_only_policy() {  # use_email_only_policy DB [CHANNEL]
  use_one_channel_policy "$1" "${2:-email}"
}
cd "$work"

# --- What arrives ---------------------------------------------------------------
db=$work/a.db
port=$(free_port)
start_sink "$port" mail
"$cartera" -q --db "$db" demo --customers 200 --seed 7 --as-of 2026-11-20 > /dev/null
use_email_only_policy "$db"
check "the email-only policy imports" test $? -eq 0
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
queued=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued'")
check "the run queued email" test "$queued" -gt 0
"$cartera" --db "$db" deliver --once > /dev/null 2> deliver.err
check "deliver needs settings" grep -q "no channel is configured" deliver.err
SMTP_PASSWORD=s3cr3t-clave "$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" \
  --security none --from cobranza@ferreteria.co --from-name "Ferretería Ñandú" --password-env SMTP_PASSWORD
check "the password is sealed at rest" test "$(q "SELECT COUNT(*) FROM channel_settings WHERE sealed_secret LIKE '%s3cr3t%' OR settings LIKE '%s3cr3t%'")" -eq 0
"$cartera" --db "$db" channel show > show.txt
check "channel show hides the password" py "assert 's3cr3t' not in open('show.txt').read()"
# Back to no AUTH: the sink offers none.
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none \
  --from cobranza@ferreteria.co --from-name "Ferretería Ñandú" --max-per-minute 6000
"$cartera" --db "$db" channel show > show.txt
check "the rate limit is kept" grep -q "max_per_minute=6000" show.txt
"$cartera" -q --db "$db" channel set-portal --base-url https://cobros.ferreteria.co/
CARTERA_NOW=2026-11-20T15:05:00Z "$cartera" --db "$db" deliver --once > deliver.txt
check "deliver exits 0" test $? -eq 0
sent=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'sent'")
check "emails were sent" test "$sent" -gt 0
check "every due email was sent" test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND scheduled_at <= '2026-11-20T15:05:00Z'")" -eq 0
check "as many messages arrived" test "$(messages mail)" -eq "$sent"
q "SELECT provider_message_id || ' ' || recipient FROM outbox WHERE status = 'sent'" > sent.txt
check "messages are well formed" py "
import email, email.policy, glob
sent = dict(line.split() for line in open('sent.txt').read().split('\n') if line)
files = glob.glob('mail/new/*')
seen = set()
links = 0
for path in files:
    m = email.message_from_binary_file(open(path, 'rb'), policy=email.policy.default)
    mid = m['Message-ID']
    assert mid in sent and mid not in seen, mid
    seen.add(mid)
    assert m['To'].addresses[0].addr_spec == sent[mid], (m['To'], sent[mid])
    assert m['From'].addresses[0].display_name == 'Ferretería Ñandú', m['From']
    assert m['Date'] and m['Subject'], m
    assert str(m['Subject']) and '=?' not in str(m['Subject']), m['Subject']
    alternative = [p for p in m.walk() if p.get_content_type() == 'multipart/alternative']
    assert len(alternative) == 1, [p.get_content_type() for p in m.walk()]
    text = next(p for p in m.walk() if p.get_content_type() == 'text/plain').get_content()
    html = next(p for p in m.walk() if p.get_content_type() == 'text/html').get_content()
    assert '<' not in text and 'Mi empresa' in text and ('ó' in text or 'é' in text or 'í' in text), text
    assert '<table>' in html and '<p>' in html, html
    assert text.count('\n') > 5, 'lines kept'
    unsubscribe = str(m['List-Unsubscribe'])
    assert unsubscribe.startswith('<https://cobros.ferreteria.co/unsubscribe/'), unsubscribe
    assert m['List-Unsubscribe-Post'] == 'List-Unsubscribe=One-Click'
    links += 'href=\"https://cobros.ferreteria.co/p/' in html
    open('unsubscribe-' + sent[mid], 'w').write(unsubscribe.strip('<>').rsplit('/', 1)[1])
assert len(seen) == len(sent)
assert links > 0, 'no message carried a payment link'
"
# Stages that ask for it attach the account statement as a PDF.
q "SELECT o.provider_message_id || ' ' || c.external_id || ' ' || COALESCE(json_extract(o.payload, '\$.attach_statement'), 0) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'sent'" > attach.txt
check "the statement is attached where the stage asks, a valid PDF" py "
import email, email.policy, glob, subprocess
wanted = {l.split()[0]: (l.split()[1], l.split()[2] == '1') for l in open('attach.txt').read().split('\n') if l}
attached = 0
for path in glob.glob('mail/new/*'):
    m = email.message_from_binary_file(open(path, 'rb'), policy=email.policy.default)
    customer, asked = wanted[m['Message-ID']]
    pdfs = [p for p in m.iter_attachments() if p.get_content_type() == 'application/pdf']
    assert len(pdfs) == (1 if asked else 0), (m['Message-ID'], asked, len(pdfs))
    if not asked:
        continue
    assert pdfs[0].get_filename() == f'estado-de-cuenta-{customer}.pdf', pdfs[0].get_filename()
    data = pdfs[0].get_content()
    assert data.startswith(b'%PDF-'), data[:10]
    text = subprocess.run(['pdftotext', '-', '-'], input=data, capture_output=True, check=True).stdout.decode()
    assert 'Estado de cuenta' in text and customer in text and 'Ferreter' not in text[:0], text[:400]
    attached += 1
assert attached > 0, 'no stage asked for a statement'
print(f'  {attached} statements attached')
"
first=$(head -n 1 sent.txt | cut -d' ' -f2)
token=$(cat "unsubscribe-$first")
"$cartera" -q --db "$db" unsubscribe "${token}x" 2> tampered.err
check "a tampered unsubscribe link is refused" test $? -eq 2
CARTERA_LANG=es "$cartera" --db "$db" unsubscribe "$token" > unsubscribe.txt
check "the unsubscribe link records the opt-out" test "$(q "SELECT consent || ' ' || consent_source FROM contact_points WHERE channel = 'email' AND value = '$first'")" = "revoked debtor"
check "the opt-out is confirmed in Spanish" grep -q "Baja registrada: $first" unsubscribe.txt
check "the opt-out is audited" test "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact_point' AND source = 'unsubscribe link'")" -eq 1
"$cartera" --db "$db" audit --entity message --limit 100000 --format json > audit.json
check "each send is audited" py "
import json; d = json.load(open('audit.json'))
n = len([e for e in d if e['after']['status'] == 'sent'])
assert n == $sent, (n, $sent)
"
CARTERA_NOW=2026-11-20T15:10:00Z "$cartera" -q --db "$db" deliver --once
CARTERA_NOW=2026-11-20T15:10:00Z "$cartera" -q --db "$db" run > /dev/null
CARTERA_NOW=2026-11-20T15:11:00Z "$cartera" -q --db "$db" deliver --once
check "nothing is sent twice" test "$(messages mail)" -eq "$sent"

# --- Bounces: the mail server's delivery report comes back ---------------------------
mapfile -t received < <(find mail/new -type f | sort | head -3)
/usr/bin/python3 "$here/make_bounce.py" "${received[0]}" bounce1.eml
/usr/bin/python3 "$here/make_bounce.py" "${received[1]}" bounce2.eml --headers-only
/usr/bin/python3 "$here/make_bounce.py" "${received[2]}" delayed.eml --status 4.4.1
bounced_id=$(py "import email; print(email.message_from_binary_file(open('${received[0]}', 'rb'))['Message-ID'])")
bounced_to=$(q "SELECT recipient FROM outbox WHERE provider_message_id = '$bounced_id'")
delayed_id=$(py "import email; print(email.message_from_binary_file(open('${received[2]}', 'rb'))['Message-ID'])")
# The test's world is 20 November: an unsigned Message-ID is honoured for 7 days after its email.
CARTERA_NOW=2026-11-20T16:00:00Z "$cartera" --db "$db" bounces ingest bounce1.eml > bounce.txt
check "a hard bounce bounces the message" test "$(q "SELECT status || ' ' || last_error FROM outbox WHERE provider_message_id = '$bounced_id'" | cut -c1-21)" = "bounced SMTP 5.1.1: b"
check "a hard bounce marks the address unusable" test "$(q "SELECT usable FROM contact_points WHERE channel = 'email' AND value = '$bounced_to'")" -eq 0
check "the bounce is audited" test "$(q "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact_point' AND source LIKE 'bounce%' AND after_json LIKE '%5.1.1%'")" -eq 1
mkdir -p bounces/new bounces/cur bounces/tmp
cp bounce1.eml bounce2.eml delayed.eml bounces/new/
cp "${received[2]}" bounces/cur/reply.eml  # an ordinary email in the same mailbox
CARTERA_NOW=2026-11-20T16:00:00Z "$cartera" --db "$db" bounces ingest bounces > maildir.txt
check "a Maildir is read whole" test "$(grep -c . maildir.txt)" -ge 4
check "the same bounce again changes nothing" grep -q "bounce1.eml: ignored: message .* is already bounced" maildir.txt
check "a bounce with headers only is matched by Message-ID" test "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'bounced'")" -eq 2
check "a delay changes nothing" test "$(q "SELECT status FROM outbox WHERE provider_message_id = '$delayed_id'")" = sent
check "an ordinary email is not taken for a bounce" grep -q "reply.eml: ignored: not a delivery status notification" maildir.txt
echo "not an email" > junk.eml
"$cartera" -q --db "$db" bounces ingest junk.eml 2> junk.err
check "a file that is not an email is refused, named" test $? -eq 2 -a -n "$(grep junk.eml junk.err)"

# --- A server that says "later": retried with backoff, then sent -----------------
CARTERA_NOW=2026-11-27T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
due=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND scheduled_at <= '2026-11-27T15:01:00Z'")
check "the next day queued email" test "$due" -gt 0
busy_port=$(free_port)
start_sink "$busy_port" busy-mail --busy
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$busy_port" --security none --from cobranza@ferreteria.co
blocked_before=$(q "SELECT COUNT(*) FROM outbox WHERE status = 'blocked'")
CARTERA_NOW=2026-11-27T15:01:00Z "$cartera" --db "$db" deliver --once > busy.txt
# An item queued before one of the bounces above (which picks random
# messages) may now go to an address that bounced: the send-time check
# blocks it, and only the rest reach the server.
newly_blocked=$(( $(q "SELECT COUNT(*) FROM outbox WHERE status = 'blocked'") - blocked_before ))
check "only a bounced or opted-out address is blocked at send time" test "$(q "SELECT COUNT(*) FROM outbox o WHERE o.status = 'blocked' AND o.last_error LIKE 'no_consent%' AND NOT EXISTS (SELECT 1 FROM contact_points c WHERE c.customer_id = o.customer_id AND c.channel = 'email' AND c.usable = 1 AND c.consent = 'granted')")" -eq "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'blocked'")"
due=$((due - newly_blocked))
check "421 is retried later" test "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND attempts = 1 AND next_attempt_at = '2026-11-27T15:02:00Z'")" -eq "$due"
check "a refused attempt is recorded" test "$(q "SELECT COUNT(*) FROM delivery_attempts WHERE status = 'transient' AND detail LIKE 'SMTP 421%'")" -eq "$due"
if [ "$failures" -gt 0 ]; then  # what the worker did, for whoever reads a failed run
  echo "  due: $due (after $newly_blocked blocked); deliver said: $(cat busy.txt)"
  q "SELECT status, substr(last_error, 1, 100) FROM outbox WHERE status = 'blocked'" | sed 's/^/  /'
  q "SELECT status, attempts, next_attempt_at, COUNT(*) FROM outbox WHERE channel = 'email' AND scheduled_at <= '2026-11-27T15:01:00Z' AND business_date = '2026-11-27' GROUP BY 1, 2, 3" | sed 's/^/  /'
  q "SELECT status, substr(detail, 1, 80), COUNT(*) FROM delivery_attempts GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 8" | sed 's/^/  /'
fi
CARTERA_NOW=2026-11-27T15:01:30Z "$cartera" -q --db "$db" deliver --once
check "not before the backoff" test "$(q "SELECT MAX(attempts) FROM outbox WHERE status = 'queued' AND channel = 'email'")" -eq 1
dead_port=$(free_port)
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$dead_port" --security none --from cobranza@ferreteria.co
CARTERA_NOW=2026-11-27T15:02:00Z "$cartera" -q --db "$db" deliver --once
check "no server: retried, the wait doubles" test "$(q "SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND attempts = 2 AND next_attempt_at = '2026-11-27T15:04:00Z'")" -eq "$due"
before=$(messages mail)
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none --from cobranza@ferreteria.co
CARTERA_NOW=2026-11-27T15:04:00Z "$cartera" -q --db "$db" deliver --once
check "sent once the server is back" test "$(messages mail)" -eq $((before + due))

# --- A refused address and an opt-out at send time ---------------------------------
CARTERA_NOW=2026-12-04T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
mapfile -t pending < <(q "SELECT o.customer_id FROM outbox o WHERE o.channel = 'email' AND o.status = 'queued' AND o.business_date = '2026-12-04' AND o.scheduled_at <= '2026-12-04T15:01:00Z' ORDER BY o.id LIMIT 2")
if [ "${#pending[@]}" -ge 2 ]; then
  bad=$(q "SELECT value FROM contact_points WHERE customer_id = ${pending[0]} AND channel = 'email' AND is_primary = 1")
  reject_port=$(free_port)
  start_sink "$reject_port" reject-mail --reject "$bad"
  q "UPDATE contact_points SET consent = 'revoked' WHERE customer_id = ${pending[1]} AND channel = 'email'"
  "$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$reject_port" --security none --from cobranza@ferreteria.co
  CARTERA_NOW=2026-12-04T15:01:00Z "$cartera" -q --db "$db" deliver --once
  check "550 fails the message" test "$(q "SELECT status FROM outbox WHERE customer_id = ${pending[0]} AND business_date = '2026-12-04' AND channel = 'email'")" = failed
  check "550 marks the address unusable" test "$(q "SELECT usable FROM contact_points WHERE value = '$bad'")" -eq 0
  check "an opt-out since the run blocks" test "$(q "SELECT status || ' ' || last_error FROM outbox WHERE customer_id = ${pending[1]} AND business_date = '2026-12-04' AND channel = 'email'" | cut -c1-18)" = "blocked no_consent"
  check "nothing reached the refused or opted-out" py "
import email, glob
to = [email.message_from_binary_file(open(p, 'rb'))['To'] for p in glob.glob('reject-mail/new/*')]
assert not any('$bad' in t for t in to), to
"
else
  echo "FAIL: a week later the run queued fewer than two emails"; failures=$((failures + 1))
fi

# --- SMS through a server that speaks Twilio's Messages API -------------------------
db=$work/sms.db
"$cartera" -q --db "$db" demo --customers 150 --seed 5 --as-of 2026-11-20 > /dev/null
use_email_only_policy "$db" sms
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
sms_due=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND status = 'queued' AND scheduled_at <= '2026-11-20T15:05:00Z'")
check "the run queued SMS" test "$sms_due" -gt 1
twilio_port=$(free_port)
start_twilio "$twilio_port" sms.jsonl
TWILIO_TOKEN=tok-s3cr3t "$cartera" -q --db "$db" channel set-twilio --account-sid ACtest0123 \
  --auth-token-env TWILIO_TOKEN --from +15005550006 --base-url "http://127.0.0.1:$twilio_port"
check "the auth token is sealed at rest" test "$(q "SELECT COUNT(*) FROM channel_settings WHERE settings LIKE '%tok-s3cr3t%' OR sealed_secret LIKE '%tok-s3cr3t%'")" -eq 0
bad_sms=$(q "SELECT customer_id FROM outbox WHERE channel = 'sms' AND status = 'queued' AND scheduled_at <= '2026-11-20T15:05:00Z' ORDER BY id LIMIT 1")
q "UPDATE contact_points SET value = '+573000000000' WHERE customer_id = $bad_sms AND channel = 'phone'"
CARTERA_NOW=2026-11-20T15:05:00Z "$cartera" -q --db "$db" deliver --once
q "SELECT provider_message_id || ' ' || recipient FROM outbox WHERE channel = 'sms' AND status = 'sent'" > sms-sent.txt
check "SMS arrive as Twilio would take them" py "
import json
sent = dict(line.split() for line in open('sms-sent.txt').read().split('\n') if line)
log = [json.loads(line) for line in open('sms.jsonl')]
assert len(sent) == $sms_due - 1 and len(log) == len(sent), (len(sent), len(log), $sms_due)
for entry in log:
    assert sent[entry['sid']] == entry['to'] and entry['from'] == '+15005550006', entry
    assert entry['body'] and len(entry['body']) < 1000, entry
    assert entry['body'].startswith('Mi empresa') and '\$ ' in entry['body'], entry['body']
"
check "an invalid number fails and is marked" test "$(q "SELECT o.status || ' ' || p.usable FROM outbox o JOIN contact_points p ON p.customer_id = o.customer_id AND p.channel = 'phone' WHERE o.customer_id = $bad_sms AND o.channel = 'sms' AND o.business_date = '2026-11-20'")" = "failed 0"
check "Twilio's error is kept" test "$(q "SELECT COUNT(*) FROM outbox WHERE customer_id = $bad_sms AND last_error LIKE 'HTTP 400 (Twilio 21211)%'")" -eq 1
# Webhooks: status callbacks and replies, signature checked.
"$cartera" -q --db "$db" channel set-portal --base-url https://cobros.ferreteria.co
mapfile -t sids < <(q "SELECT provider_message_id FROM outbox WHERE channel = 'sms' AND status = 'sent' ORDER BY id LIMIT 2")
twilio_request delivered.http "MessageSid=${sids[0]}" MessageStatus=delivered AccountSid=ACtest0123
sed 's/MessageStatus=delivered/MessageStatus=failed/' delivered.http > forged.http
"$cartera" -q --db "$db" webhook ingest twilio forged.http 2> forged.err
check "a request with a wrong signature is refused" test $? -eq 2
check "the refusal says why" grep -q "X-Twilio-Signature does not match" forged.err
"$cartera" -q --db "$db" webhook ingest twilio delivered.http
check "a delivered callback marks the message" test "$(q "SELECT status FROM outbox WHERE provider_message_id = '${sids[0]}'")" = delivered
twilio_request undelivered.http "MessageSid=${sids[1]}" MessageStatus=undelivered ErrorCode=30006
"$cartera" -q --db "$db" webhook ingest twilio undelivered.http
check "an undeliverable number fails the message and the phone" test "$(q "SELECT o.status || ' ' || p.usable FROM outbox o JOIN contact_points p ON p.customer_id = o.customer_id AND p.channel = 'phone' AND p.value = o.recipient WHERE o.provider_message_id = '${sids[1]}'")" = "failed 0"
mapfile -t talkers < <(q "SELECT recipient || ' ' || customer_id FROM outbox WHERE channel = 'sms' AND status = 'sent' ORDER BY id DESC LIMIT 2")
read -r reply_phone reply_customer <<< "${talkers[0]}"
read -r stop_phone stop_customer <<< "${talkers[1]}"
twilio_request reply.http MessageSid=SMreply1 "From=$reply_phone" To=+15005550006 "Body=Pago el viernes, gracias"
"$cartera" --db "$db" webhook ingest twilio reply.http > reply.txt
check "a reply is recorded" test "$(q "SELECT COUNT(*) FROM inbound_messages WHERE customer_id = $reply_customer AND body = 'Pago el viernes, gracias'")" -eq 1
reply_external=$(q "SELECT external_id FROM customers WHERE id = $reply_customer")
"$cartera" --db "$db" timeline "$reply_external" > timeline.txt
check "the timeline shows the reply" grep -q "Pago el viernes, gracias" timeline.txt
check "the timeline shows what was sent, by which channel, to whom" grep -qi "sms.*$reply_phone" timeline.txt
check "a reply answers the last message" test "$(q "SELECT COUNT(*) FROM outbox WHERE customer_id = $reply_customer AND outcome = 'replied'")" -eq 1
twilio_request stop.http MessageSid=SMstop1 "From=$stop_phone" To=+15005550006 "Body=BAJA"
"$cartera" -q --db "$db" webhook ingest twilio stop.http
check "BAJA opts the number out" test "$(q "SELECT consent || ' ' || consent_source FROM contact_points WHERE customer_id = $stop_customer AND channel = 'phone' AND value = '$stop_phone'")" = "revoked debtor"
CARTERA_NOW=2026-11-27T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
busy_twilio=$(free_port)
start_twilio "$busy_twilio" busy.jsonl --busy
TWILIO_TOKEN=tok-s3cr3t "$cartera" -q --db "$db" channel set-twilio --account-sid ACtest0123 \
  --auth-token-env TWILIO_TOKEN --from +15005550006 --base-url "http://127.0.0.1:$busy_twilio"
CARTERA_NOW=2026-11-27T15:01:00Z "$cartera" -q --db "$db" deliver --once
check "429 is retried later" test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND status = 'queued' AND attempts = 1 AND last_error LIKE 'HTTP 429%'")" -gt 0
check "nothing was taken while busy" test ! -s busy.jsonl

# --- Exactly once under SIGKILL ------------------------------------------------------
db=$work/crash.db
"$cartera" -q --db "$db" demo --customers 2500 --seed 11 --as-of 2026-11-20 > /dev/null
use_email_only_policy "$db"
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
total=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email'")
check "about a thousand emails to deliver ($total)" test "$total" -ge 1000
crash_port=$(free_port)
start_sink "$crash_port" crash-mail
"$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$crash_port" --security none --from cobranza@ferreteria.co
for round in $(seq 20); do
  CARTERA_NOW=2026-11-20T15:05:00Z "$cartera" -q --db "$db" deliver --once > /dev/null 2>&1 &
  worker=$!
  sleep "0.$(printf '%02d' $((RANDOM % 30 + 3)))"
  kill -9 "$worker" 2>/dev/null
  wait "$worker" 2>/dev/null
done
CARTERA_NOW=2026-11-20T15:06:00Z "$cartera" -q --db "$db" deliver --once --limit 100000 > /dev/null 2> crash.err
q "SELECT provider_message_id || ' ' || status FROM outbox WHERE channel = 'email' AND provider_message_id IS NOT NULL" > crash-status.txt
check "after 20 kills: no message twice, none lost silently" py "
import email, glob, collections
status = dict(line.split() for line in open('crash-status.txt').read().split('\n') if line)
received = collections.Counter(email.message_from_binary_file(open(p, 'rb'))['Message-ID'] for p in glob.glob('crash-mail/new/*'))
twice = [m for m, n in received.items() if n > 1]
assert not twice, twice
assert all(m in status for m in received), 'a message the outbox does not know'
sent = [m for m, s in status.items() if s == 'sent']
assert all(m in received for m in sent), 'sent but never arrived'
assert all(s in ('sent', 'unknown') for s in status.values()), collections.Counter(status.values())
unknown = [m for m, s in status.items() if s == 'unknown']
assert len(unknown) <= 20 * 4, len(unknown)  # at most one per connection (--connections 4) per kill
print(f'  {len(received)} received, {len(sent)} sent, {len(unknown)} unknown after 20 kills')
"
[ -s crash.err ] && cat crash.err
check "nothing left queued and due" test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND status = 'queued' AND scheduled_at <= '2026-11-20T15:06:00Z' AND (next_attempt_at IS NULL OR next_attempt_at <= '2026-11-20T15:06:00Z')")" -eq 0
unknown_id=$(q "SELECT id FROM outbox WHERE status = 'unknown' LIMIT 1")
if [ -n "$unknown_id" ]; then
  "$cartera" -q --db "$db" outbox resolve "$unknown_id" --sent
  check "an unknown item is resolved by hand" test "$(q "SELECT status FROM outbox WHERE id = $unknown_id")" = sent
fi
"$cartera" -q --db "$db" outbox resolve 1 --resend > /dev/null 2>&1
check "resolve refuses an item that is not unknown" test $? -ne 0

summary
