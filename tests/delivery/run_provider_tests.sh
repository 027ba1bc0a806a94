#!/usr/bin/env bash
# WhatsApp through a local server that speaks Meta's Cloud API (templates
# outside the 24-hour window, text inside, X-Hub-Signature-256 webhooks), and
# every provider failing the ways real ones do: down, busy, answering 500,
# slow past the timeout, answering garbage. Nothing may be sent twice: an
# answer-less or 5xx outcome after the request left is `unknown`.
# Usage: run_provider_tests.sh PATH_TO_CARTERA
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
start_meta() {  # start_meta PORT LOG [mode]: answers like the WhatsApp Cloud API
  local port=$1 log=$2; shift 2
  start_server "meta-$port" fake_whatsapp_cloud.py "$port" "$log" window.txt 106540352242922 wa-t0ken "$@"
}
set_whatsapp() {  # set_whatsapp PORT [options]
  local port=$1; shift
  WA_TOKEN=wa-t0ken WA_SECRET=app-s3cret "$cartera" -q --db "$db" channel set-whatsapp \
    --phone-number-id 106540352242922 --access-token-env WA_TOKEN --app-secret-env WA_SECRET \
    --base-url "http://127.0.0.1:$port" "$@"
}
meta_request() {  # meta_request FILE JSON [SECRET]: a webhook body signed the way Meta signs it
  /usr/bin/python3 - "$@" <<'PY'
import hashlib, hmac, sys
path, body = sys.argv[1], sys.argv[2].encode()
secret = (sys.argv[3] if len(sys.argv) > 3 else 'app-s3cret').encode()
signature = 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()
open(path, 'wb').write(b'POST /webhooks/whatsapp HTTP/1.1\r\nHost: cobros.ferreteria.co\r\n'
                       b'Content-Type: application/json\r\nX-Hub-Signature-256: ' + signature.encode() +
                       b'\r\nContent-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body)
PY
}
notification() {  # notification KIND JSON: Meta's envelope around statuses or messages
  printf '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"%s":%s}}]}]}' "$1" "$2"
}
due() { q "SELECT COUNT(*) FROM outbox WHERE channel = '$1' AND status = 'queued' AND scheduled_at <= '$2' AND (next_attempt_at IS NULL OR next_attempt_at <= '$2')"; }
cd "$work"

# --- WhatsApp Cloud API: templates, ids, refusals ------------------------------------
db=$work/wa.db
"$cartera" -q --db "$db" demo --customers 150 --seed 5 --as-of 2026-11-20 > /dev/null
use_one_channel_policy "$db" whatsapp
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
wa_due=$(due whatsapp 2026-11-20T15:05:00Z)
check "the run queued WhatsApp messages" test "$wa_due" -gt 2
meta_port=$(free_port)
start_meta "$meta_port" wa.jsonl
set_whatsapp "$meta_port"
check "both WhatsApp secrets are sealed at rest" test "$(q "SELECT COUNT(*) FROM channel_settings WHERE settings || COALESCE(sealed_secret, '') LIKE '%wa-t0ken%' OR settings || COALESCE(sealed_secret, '') LIKE '%app-s3cret%'")" -eq 0
"$cartera" --db "$db" channel show > show.txt
check "channel show names the number, not the secrets" py "
text = open('show.txt').read()
assert 'phone_number_id=106540352242922' in text and 'wa-t0ken' not in text and 'app-s3cret' not in text, text"
"$cartera" -q --db "$db" channel set-portal --base-url https://cobros.ferreteria.co
bad_wa=$(q "SELECT customer_id FROM outbox WHERE channel = 'whatsapp' AND status = 'queued' AND scheduled_at <= '2026-11-20T15:05:00Z' ORDER BY id LIMIT 1")
q "UPDATE contact_points SET value = '+573000000000' WHERE customer_id = $bad_wa AND channel = 'whatsapp'"
CARTERA_NOW=2026-11-20T15:05:00Z "$cartera" -q --db "$db" deliver --once
q "SELECT provider_message_id || ' ' || recipient || ' ' || template FROM outbox WHERE channel = 'whatsapp' AND status = 'sent'" > wa-sent.txt
check "templates arrive as the Cloud API takes them" py "
import json
sent = {l.split()[0]: l.split()[1:] for l in open('wa-sent.txt').read().split('\n') if l}
log = [json.loads(l) for l in open('wa.jsonl')]
assert len(sent) == $wa_due - 1 and len(log) == len(sent), (len(sent), len(log), $wa_due)
for entry in log:
    number, stage = sent[entry['id']]
    request = entry['request']
    assert request['to'] == number.lstrip('+') and request['type'] == 'template', request
    template = request['template']
    assert template['name'] == 'cartera_' + stage and template['language']['code'] == 'es', template
    body, button = template['components']
    values = [p['text'] for p in body['parameters']]
    assert values[1] == 'Mi empresa' and values[2].startswith('\$ '), values
    assert button['sub_type'] == 'url' and button['parameters'][0]['text'].count('.') == 1, button
"
check "a number not on WhatsApp fails and is marked" test "$(q "SELECT o.status || ' ' || p.usable FROM outbox o JOIN contact_points p ON p.customer_id = o.customer_id AND p.channel = 'whatsapp' WHERE o.customer_id = $bad_wa AND o.channel = 'whatsapp' AND o.business_date = '2026-11-20'")" = "failed 0"
check "Meta's error is kept" test "$(q "SELECT COUNT(*) FROM outbox WHERE customer_id = $bad_wa AND last_error LIKE 'HTTP 400 (WhatsApp 131026)%'")" -eq 1

# --- Webhooks: statuses and messages, X-Hub-Signature-256 ----------------------------
mapfile -t wamids < <(q "SELECT provider_message_id FROM outbox WHERE channel = 'whatsapp' AND status = 'sent' ORDER BY id LIMIT 2")
meta_request statuses.http "$(notification statuses "[{\"id\":\"${wamids[0]}\",\"status\":\"delivered\",\"timestamp\":\"1795700000\",\"recipient_id\":\"573016161636\"},{\"id\":\"${wamids[1]}\",\"status\":\"failed\",\"timestamp\":\"1795700001\",\"recipient_id\":\"573016161636\",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\"}]}]")"
meta_request forged.http "$(notification statuses "[{\"id\":\"${wamids[0]}\",\"status\":\"failed\"}]")" wrong-secret
"$cartera" -q --db "$db" webhook ingest whatsapp forged.http 2> forged.err
check "a body signed with another secret is refused" test $? -eq 2
check "the refusal names the header" grep -q "X-Hub-Signature-256 does not match" forged.err
check "a refused webhook changes nothing" test "$(q "SELECT status FROM outbox WHERE provider_message_id = '${wamids[0]}'")" = sent
"$cartera" -q --db "$db" webhook ingest whatsapp statuses.http
check "a delivered status marks the message" test "$(q "SELECT status FROM outbox WHERE provider_message_id = '${wamids[0]}'")" = delivered
check "a failed status (131026) fails the message and the number" test "$(q "SELECT o.status || ' ' || p.usable FROM outbox o JOIN contact_points p ON p.customer_id = o.customer_id AND p.channel = 'whatsapp' AND p.value = o.recipient WHERE o.provider_message_id = '${wamids[1]}'")" = "failed 0"
# A week later: one debtor writes first, so the window is open for them.
CARTERA_NOW=2026-11-27T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
mapfile -t writers < <(q "SELECT o.recipient || ' ' || o.customer_id FROM outbox o WHERE o.channel = 'whatsapp' AND o.status IN ('sent', 'delivered') AND EXISTS (SELECT 1 FROM outbox n WHERE n.customer_id = o.customer_id AND n.channel = 'whatsapp' AND n.status = 'queued' AND n.business_date = '2026-11-27') ORDER BY o.id LIMIT 2")
if [ "${#writers[@]}" -ge 2 ]; then
  read -r writer_phone writer_customer <<< "${writers[0]}"
  read -r stop_phone stop_customer <<< "${writers[1]}"
  message="{\"from\":\"${writer_phone#+}\",\"id\":\"wamid.reply1\",\"timestamp\":\"1795780000\",\"type\":\"text\",\"text\":{\"body\":\"Hola, ¿me envían el detalle? Pago el lunes\"}}"
  meta_request reply.http "$(notification messages "[$message]")"
  CARTERA_NOW=2026-11-27T14:30:00Z "$cartera" --db "$db" webhook ingest whatsapp reply.http > reply.txt
  CARTERA_NOW=2026-11-27T14:31:00Z "$cartera" -q --db "$db" webhook ingest whatsapp reply.http
  check "a reply is recorded once, even when Meta sends it again" test "$(q "SELECT COUNT(*) FROM inbound_messages WHERE customer_id = $writer_customer AND body LIKE 'Hola, ¿me envían%'")" -eq 1
  check "a reply answers the last message" test "$(q "SELECT COUNT(*) FROM outbox WHERE customer_id = $writer_customer AND outcome = 'replied'")" -eq 1
  stop="{\"from\":\"${stop_phone#+}\",\"id\":\"wamid.stop1\",\"timestamp\":\"1795780001\",\"type\":\"button\",\"button\":{\"text\":\"BAJA\",\"payload\":\"BAJA\"}}"
  meta_request stop.http "$(notification messages "[$stop]")"
  CARTERA_NOW=2026-11-27T14:32:00Z "$cartera" -q --db "$db" webhook ingest whatsapp stop.http
  check "a BAJA button opts the number out" test "$(q "SELECT consent || ' ' || consent_source FROM contact_points WHERE customer_id = $stop_customer AND channel = 'whatsapp' AND value = '$stop_phone'")" = "revoked debtor"
  echo "${writer_phone#+}" > window.txt
  : > wa.jsonl
  CARTERA_NOW=2026-11-27T15:05:00Z "$cartera" -q --db "$db" deliver --once
  check "inside the 24-hour window the script goes as text" py "
import json
log = [json.loads(l)['request'] for l in open('wa.jsonl')]
mine = [r for r in log if r['to'] == '${writer_phone#+}']
assert len(mine) == 1 and mine[0]['type'] == 'text' and 'Mi empresa' in mine[0]['text']['body'], mine
others = [r for r in log if r['to'] != '${writer_phone#+}']
assert others and all(r['type'] == 'template' for r in others), log
"
  check "the opted-out number gets nothing" test "$(q "SELECT status FROM outbox WHERE customer_id = $stop_customer AND channel = 'whatsapp' AND business_date = '2026-11-27'")" = blocked
else
  echo "FAIL: the second run queued no WhatsApp for customers already written to"; failures=$((failures + 1))
fi

# --- Letters: printed, not sent ------------------------------------------------------
db=$work/letters.db
"$cartera" -q --db "$db" demo --customers 300 --seed 3 --as-of 2026-11-20 > /dev/null
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" -q --db "$db" run > /dev/null
letters_due=$(due letter 2026-11-20T15:05:00Z)
check "the default strategy queued letters" test "$letters_due" -gt 0
nowhere=$(q "SELECT customer_id FROM outbox WHERE channel = 'letter' AND status = 'queued' ORDER BY id LIMIT 1")
q "UPDATE customers SET address = NULL WHERE id = $nowhere"
mkdir -p letters
CARTERA_NOW=2026-11-20T15:05:00Z "$cartera" -q --db "$db" deliver --once --letters-dir letters
printed=$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND status = 'sent'")
check "each printed letter is a PDF in the letters directory ($printed)" test "$(find letters -name '*.pdf' | wc -l)" -eq "$printed" -a "$printed" -gt 0
check "no letter left behind: printed, or blocked with a reason" test "$(q "SELECT COUNT(*) FROM outbox WHERE channel = 'letter' AND scheduled_at <= '2026-11-20T15:05:00Z' AND NOT (status = 'sent' OR (status = 'blocked' AND last_error IS NOT NULL))")" -eq 0
check "a debtor without an address gets no letter" test "$(q "SELECT status || ' ' || last_error FROM outbox WHERE customer_id = $nowhere AND channel = 'letter'" | cut -c1-18)" = "blocked no_address"
q "SELECT o.provider_message_id || '|' || c.name FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.channel = 'letter' AND o.status = 'sent'" > letters.txt
check "the letters name their debtor, in Spanish" py "
import subprocess
lines = [l.split('|', 1) for l in open('letters.txt').read().split('\n') if l]
assert lines and len(lines) == $printed, len(lines)
for name, debtor in lines:
    text = subprocess.run(['pdftotext', 'letters/' + name, '-'], capture_output=True, check=True).stdout.decode()
    assert debtor in text and 'mora' in text, (name, text[:300])
"
CARTERA_NOW=2026-11-20T15:06:00Z "$cartera" -q --db "$db" deliver --once --letters-dir letters
check "a second pass prints nothing again" test "$(find letters -name '*.pdf' | wc -l)" -eq "$printed"

# --- Providers failing: nothing twice, nothing lost silently -------------------------
# fail_case NAME CHANNEL MODE EXPECTED_STATUS EXPECTED_ERROR: two due items against a
# provider in MODE. (The slow SMTP sink may not even greet the second connection
# within the timeout: that item is then retried, correctly, so only the first is
# checked for email.)
db=$work/fail.db
"$cartera" -q --db "$db" demo --customers 150 --seed 9 --as-of 2026-11-20 > /dev/null
# Working days in Colombia (no Sundays, no 8 December): the rulebook lets them through.
days=(2026-12-01 2026-12-02 2026-12-03 2026-12-04 2026-12-09 2026-12-10 2026-12-11 2026-12-14 2026-12-15 2026-12-16)
stamp=0
fail_case() {
  local name=$1 channel=$2 mode=$3 want=$4 error=$5 port log
  use_one_channel_policy "$db" "$channel"
  local now="${days[$stamp]}T15:00:00Z" later="${days[$stamp]}T15:01:00Z"
  stamp=$((stamp + 1))
  # Each case starts with nothing else waiting, so its pass takes its own items.
  q "UPDATE outbox SET status = 'blocked' WHERE status = 'queued'"
  CARTERA_NOW=$now "$cartera" -q --db "$db" run > /dev/null
  port=$(free_port) log=$work/$name.jsonl
  case "$channel" in
    email)
      if [ "$mode" = none ]; then :; else start_sink "$port" "mail-$name" ${mode:+--$mode 3}; fi
      "$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none \
        --from cobranza@ferreteria.co --timeout 1 ;;
    sms)
      [ "$mode" = none ] || start_server "twilio-$name" fake_twilio.py "$port" "$log" ACtest0123 tok-s3cr3t --$mode $([ "$mode" = slow ] && echo 3)
      TWILIO_TOKEN=tok-s3cr3t "$cartera" -q --db "$db" channel set-twilio --account-sid ACtest0123 \
        --auth-token-env TWILIO_TOKEN --from +15005550006 --base-url "http://127.0.0.1:$port" --timeout 1 ;;
    whatsapp)
      [ "$mode" = none ] || start_meta "$port" "$log" --$mode $([ "$mode" = slow ] && echo 3)
      set_whatsapp "$port" --timeout 1 ;;
  esac
  mapfile -t ids < <(q "SELECT id FROM outbox WHERE channel = '$channel' AND status = 'queued' AND scheduled_at <= '$later' AND (next_attempt_at IS NULL OR next_attempt_at <= '$later') ORDER BY id LIMIT 2")
  if [ "${#ids[@]}" -lt 2 ]; then echo "FAIL: $name: fewer than two $channel items due"; failures=$((failures + 1)); return; fi
  CARTERA_NOW=$later "$cartera" -q --db "$db" deliver --once --limit 2 > /dev/null 2> "$name.err"
  check "$name: exits 0" test $? -eq 0
  local got
  got=$(q "SELECT o.status || ' ' || o.attempts || ' ' || COALESCE(o.last_error, a.detail, '') FROM outbox o LEFT JOIN delivery_attempts a ON a.outbox_id = o.id WHERE o.id = ${ids[0]} ORDER BY a.id DESC LIMIT 1")
  check "$name: the item is $want ($got)" test "${got%% *}" = "$want"
  check "$name: the error says '$error'" grep -q -- "$error" <<< "$got"
  [ "$channel" = email ] || check "$name: every item of the pass is $want" test "$(q "SELECT COUNT(*) FROM outbox WHERE id IN (${ids[0]}, ${ids[1]}) AND status = '$want'")" -eq 2
  check "$name: each attempt is recorded" test "$(q "SELECT COUNT(*) FROM delivery_attempts WHERE outbox_id = ${ids[0]} AND status <> 'sending'")" -eq 1
}
# Items sent (or maybe sent) must never reach a healthy provider again.
never_again() {  # never_again NAME CHANNEL
  local name=$1 channel=$2 port
  port=$(free_port)
  case "$channel" in
    sms) start_server "twilio-$name-again" fake_twilio.py "$port" "$work/$name-again.jsonl" ACtest0123 tok-s3cr3t
         TWILIO_TOKEN=tok-s3cr3t "$cartera" -q --db "$db" channel set-twilio --account-sid ACtest0123 \
           --auth-token-env TWILIO_TOKEN --from +15005550006 --base-url "http://127.0.0.1:$port" ;;
    whatsapp) start_meta "$port" "$work/$name-again.jsonl"; set_whatsapp "$port" ;;
    email) start_sink "$port" "mail-$name-again"
           "$cartera" -q --db "$db" channel set-email --host 127.0.0.1 --port "$port" --security none --from cobranza@ferreteria.co ;;
  esac
  CARTERA_NOW=2026-12-17T15:00:00Z "$cartera" -q --db "$db" deliver --once --limit 100000 > /dev/null
  check "$name: not sent again once the provider is healthy" test "$(q "SELECT COUNT(*) FROM outbox WHERE id IN (${ids[0]}, ${ids[1]}) AND status <> '$3'")" -eq 0
}
fail_case sms-down sms none queued "Couldn't connect"
# A 5xx after the request left may hide a message Twilio sent anyway: unknown, never resent.
fail_case sms-500 sms down unknown "HTTP 500 (Twilio 20500): Internal Server Error (after the request was sent"
never_again sms-500 sms unknown
fail_case sms-slow sms slow unknown "no answer after the request was sent"
check "sms-slow: the provider did get them" test "$(wc -l < "$work/sms-slow.jsonl")" -eq 2
never_again sms-slow sms unknown
fail_case sms-garbage sms malformed sent "without a message sid"
fail_case wa-busy whatsapp busy queued "HTTP 429 (WhatsApp 130429)"
fail_case wa-500 whatsapp down unknown "HTTP 500 (WhatsApp 1)"
never_again wa-500 whatsapp unknown
fail_case wa-slow whatsapp slow unknown "no answer after the request was sent"
check "wa-slow: the provider did get them" test "$(wc -l < "$work/wa-slow.jsonl")" -eq 2
never_again wa-slow whatsapp unknown
fail_case wa-garbage whatsapp malformed sent "without a message id"
fail_case smtp-slow email slow unknown "no answer after the message was sent"
check "smtp-slow: the server did store it" test "$(find "mail-smtp-slow/new" -type f | wc -l)" -ge 1
ids=("${ids[0]}" "${ids[0]}")
never_again smtp-slow email unknown
check "smtp-slow: no message stored twice" py "
import collections, email, glob
ids = collections.Counter(email.message_from_binary_file(open(p, 'rb'))['Message-ID']
                          for p in glob.glob('mail-smtp-slow*/new/*'))
assert ids and max(ids.values()) == 1, ids"

summary
