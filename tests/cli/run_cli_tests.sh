#!/usr/bin/env bash
# The CLI as a user runs it: exit codes, error messages, output formats and
# determinism of the demo. Usage: run_cli_tests.sh PATH_TO_CARTERA
set -uo pipefail
cartera=$(realpath "$1")
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")  # before the cd below
work=$(mktemp -d /tmp/cartera-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CARTERA_NOW=2026-11-20T15:00:00Z CARTERA_LANG=en
unset CARTERA_DB
failures=0 passes=0

check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $name"; fi
}
contains() { grep -qF -- "$2" "$1"; }
py() { /usr/bin/python3 -c "$1"; }

cd "$work"
"$cartera" --help > help.txt; check "help exits 0" test $? -eq 0
for command in demo summary import aging statement customers invoices calendar letter company; do
  check "help lists $command" contains help.txt "$command"
done
"$cartera" import > /dev/null 2>&1; check "missing arguments exit 2" test $? -eq 2

# The demo is deterministic for a seed and imports cleanly.
"$cartera" --db a.db demo --customers 60 --seed 7 --as-of 2026-11-20 > demo.txt 2> demo.err
check "demo exits 0" test $? -eq 0
check "demo shows top debtors" contains demo.txt "Top debtors"
check "demo ends with what to try next" contains demo.txt "Try next:"
check "demo prints no progress when piped" test ! -s demo.err
"$cartera" --db b.db -q demo --customers 60 --seed 7 --as-of 2026-11-20 --keep-files files > /dev/null
"$cartera" --db a.db aging --format csv --as-of 2026-11-20 > a.csv
"$cartera" --db b.db aging --format csv --as-of 2026-11-20 > b.csv
check "demo is deterministic" cmp -s a.csv b.csv
check "aging csv header" contains a.csv "customer_external_id,customer_name,currency,not_due,1_30,31_60,61_90,91_180,over_180,total,invoices"

# Re-importing the same file is a no-op.
"$cartera" --db b.db import invoices files/invoices.csv > again.txt
check "reimport exits 0" test $? -eq 0
check "reimport creates nothing" contains again.txt "0 created, 0 updated"

# JSON money is decimal strings with the currency.
"$cartera" --db a.db aging --format json --as-of 2026-11-20 > aging.json
check "aging json money" py "
import json; d = json.load(open('aging.json'))
t = d['totals'][0]['total']
assert isinstance(t['amount'], str) and t['currency'] == 'COP' and '.' in t['amount'], t
assert d['as_of'] == '2026-11-20'
assert sum(c['invoices'] for c in d['customers']) == d['totals'][0]['invoices']
"
customer=$(sed -n 2p a.csv | cut -d, -f1)
"$cartera" --db a.db statement "$customer" --format json --as-of 2026-11-20 > statement.json
check "statement json" py "
import json; d = json.load(open('statement.json'))
assert d['customer']['external_id'] == '$customer'
assert d['totals'][0]['balance']['currency'] == 'COP'
"
"$cartera" --db a.db statement NOPE > /dev/null 2> missing.err; code=$?
check "unknown customer exits 2" test $code -eq 2
check "unknown customer message" contains missing.err "no customer with external id 'NOPE'"

# Letters and statements (PDF): the company profile on the letterhead, and
# documents in the customer's language (Spanish here, whatever CARTERA_LANG).
"$cartera" --db a.db company set --name "Distribuidora Andina S.A.S." --tax-id 900.123.456-7 --city "Bogotá D.C." \
  --payment-instructions "Cuenta de ahorros Bancolombia 123-456789-01" > /dev/null
check "company set exits 0" test $? -eq 0
"$cartera" --db a.db company show --format json > company.json
check "company show returns what was set" py "
import json; d = json.load(open('company.json'))
assert d['name'] == 'Distribuidora Andina S.A.S.' and d['tax_id'] == '900.123.456-7' and d['city'] == 'Bogotá D.C.', d
assert d['address'] == '' and d['country'] == 'CO' and d['default_paper'] == 'letter', d
assert d['collector_name'] == '', d
"
"$cartera" --db a.db audit --entity tenant --format json > company-audit.json
check "company set audited" py "
import json; d = json.load(open('company-audit.json'))
assert len(d) == 1 and d[0]['after']['tax_id'] == '900.123.456-7' and d[0]['before']['name'] == 'Mi empresa', d
"
"$cartera" --db a.db company set > /dev/null 2>&1; check "company set without options exits 2" test $? -eq 2
name=$(py "import json; print(json.load(open('statement.json'))['customer']['name'])")
"$cartera" --db a.db statement "$customer" --format pdf --as-of 2026-11-20 --output statement.pdf
check "statement pdf exits 0" test $? -eq 0
check "statement pdf is a PDF" test "$(head -c 5 statement.pdf)" = "%PDF-"
"$cartera" --db a.db letter "$customer" --as-of 2026-11-20 --output letter.pdf > letter.out
check "letter exits 0" test $? -eq 0
check "letter is a PDF" test "$(head -c 5 letter.pdf)" = "%PDF-"
"$cartera" --db a.db statement "$customer" --format pdf --paper a4 --output - > a4.pdf
check "statement pdf to stdout" test "$(head -c 5 a4.pdf)" = "%PDF-"
"$cartera" --db a.db letter NOPE --output nope.pdf > /dev/null 2>&1; code=$?
check "letter for an unknown customer exits 2" test $code -eq 2
check "no file for an unknown customer" test ! -e nope.pdf
"$cartera" --db a.db statement "$customer" --paper a4 > /dev/null 2>&1
check "--paper without --format pdf exits 2" test $? -eq 2
if command -v pdftotext > /dev/null; then
  pdftotext -layout statement.pdf statement.txt
  check "statement pdf names the customer" contains statement.txt "$name"
  check "statement pdf has the letterhead" contains statement.txt "NIT 900.123.456-7"
  check "statement pdf in Spanish" contains statement.txt "Fecha de corte: 20 de noviembre de 2026"
  pdftotext -layout letter.pdf letter.txt
  check "letter names the customer" contains letter.txt "$name"
  check "letter has its place and date" contains letter.txt "Bogotá D.C., 20 de noviembre de 2026"
  check "letter has a subject" contains letter.txt "Asunto: "
  check "letter paper is the country's" contains <(pdfinfo letter.pdf) "(letter)"
  check "--paper a4" contains <(pdfinfo a4.pdf) "(A4)"
fi
"$cartera" --db a.db invoices --status unpaid --min-days-past-due 90 --format csv --as-of 2026-11-20 > late.csv
check "invoice filter" py "
import csv; rows = list(csv.DictReader(open('late.csv')))
assert rows and all(int(r['days_past_due']) >= 90 and r['status'] != 'paid' for r in rows), len(rows)
"
"$cartera" --db a.db customers --sort balance --limit 5 --format json > top.json
check "customers sorted by balance" py "
import json; d = json.load(open('top.json'))
values = [float(r['open']['amount']) for r in d if r['open']]
assert len(d) == 5 and values == sorted(values, reverse=True), values
"

# A bad file imports nothing and names file, line and field; exit 2.
printf 'external_id,customer_external_id,number,issue_date,due_date,currency,amount\nX1,CLI-000001,F1,2025-02-30,2025-03-30,COP,10\nX2,NOPE,F2,2025-01-01,2025-01-31,COP,10\n' > bad.csv
"$cartera" --db a.db import invoices bad.csv > bad.out 2> bad.err; code=$?
check "bad import exits 2" test $code -eq 2
check "bad date named" contains bad.err "bad.csv:2: field 'issue_date': '2025-02-30' is not a date"
check "unknown customer named" contains bad.err "bad.csv:3: field 'customer_external_id': unknown customer 'NOPE'"
check "nothing imported" test "$(sqlite3 a.db "SELECT COUNT(*) FROM invoices WHERE external_id IN ('X1', 'X2')")" -eq 0
CARTERA_LANG=es "$cartera" --db a.db import invoices bad.csv > /dev/null 2> bad-es.err
check "bad rows in Spanish" contains bad-es.err "bad.csv:2: campo 'issue_date': '2025-02-30' no es una fecha"
"$cartera" --db a.db import invoices does-not-exist.csv > /dev/null 2>&1; check "missing file exits 2" test $? -eq 2

# Every change is in the audit log, with before and after.
customer_invoice=$(sed -n 2p files/invoices.csv)
echo "external_id,customer_external_id,number,issue_date,due_date,currency,amount" > changed.csv
echo "$customer_invoice" | awk -F, -v OFS=, '{print $1,$2,$3,$4,$5,$6,"1234.00"}' >> changed.csv
"$cartera" --db b.db import invoices changed.csv > changed.out
check "changed row is an update" contains changed.out "0 created, 1 updated"
invoice_id=$(echo "$customer_invoice" | cut -d, -f1)
"$cartera" --db b.db audit --entity invoice --id "$invoice_id" --format json > audit.json
check "audit shows create and update" py "
import json; d = json.load(open('audit.json'))
assert [e['action'] for e in d] == ['update', 'create'], d
assert d[1]['entity_id_last'] is not None and d[1]['entity_id'] <= d[0]['entity_id'] <= d[1]['entity_id_last'], d
assert d[0]['after']['amount_minor'] == 123400 and d[0]['before']['amount_minor'] != 123400
assert d[0]['source'].endswith('changed.csv:2') and d[0]['actor'].startswith('cli:')
"
"$cartera" --db b.db audit --id X > /dev/null 2>&1; check "audit --id needs --entity" test $? -eq 2

# The collection engine: a run is idempotent; scripts render for a customer.
"$cartera" --db a.db -q run > run1.txt; check "run exits 0" test $? -eq 0
"$cartera" --db a.db run > run2.txt
check "second run adds nothing" contains run2.txt "0 new in the outbox"
"$cartera" --db a.db outbox --format json > outbox.json
check "outbox json" py "
import json; d = json.load(open('outbox.json'))
assert d and len({r['idempotency_key'] for r in d}) == len(d)
assert all(r['scheduled_local'] for r in d if r['channel'])
"
"$cartera" --db a.db segments --format json > segments.json
check "segments of every customer with debt, with the figures" py "
import json, sqlite3; d = json.load(open('segments.json'))
debtors = sqlite3.connect('a.db').execute('SELECT COUNT(DISTINCT customer_id) FROM invoices WHERE open_minor > 0').fetchone()[0]
assert len(d) == debtors, (len(d), debtors)
assert {r['segment'] for r in d} <= {'habitual', 'occasional', 'high_risk', 'new'}, d[0]
# The reason is a stable code with its figures; tables word it per language.
codes = {'chronic_late', 'broken_promises', 'over_60_days', 'little_history', 'sometimes_late', 'mostly_on_time'}
assert all(r['reason'] in codes and 'invoices_considered' in r['figures'] for r in d), d[0]
"
# What the engine skipped is in the customer's timeline, in words.
read -r skipped_customer skipped_text < <(/usr/bin/python3 -c "
import sqlite3; db = sqlite3.connect('a.db')
print(*db.execute('SELECT c.external_id, t.text FROM engine_log e JOIN customers c ON c.id = e.customer_id JOIN engine_log_texts t ON t.tenant_id = e.tenant_id AND t.business_date = e.business_date AND t.id = e.detail_id ORDER BY e.id LIMIT 1').fetchone())")
"$cartera" --db a.db timeline "$skipped_customer" > timeline.txt
check "the run logged a skipped action" test -n "$skipped_text"
check "timeline shows the engine's reason" contains timeline.txt "$skipped_text"
"$cartera" --db a.db simulate --days 30 --format csv > sim.csv
check "simulate csv" py "
import csv; rows = list(csv.DictReader(open('sim.csv')))
assert rows and set(rows[0]) >= {'day', 'customer_external_id', 'country', 'channel', 'stage', 'utc', 'local'}
"
task=$("$cartera" --db a.db worklist --format json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['task_id'])")
"$cartera" --db a.db task assign "$task" ana; check "task assign exits 0" test $? -eq 0
"$cartera" --db a.db worklist --collector ana --format json > mine.json
check "worklist by collector" py "
import json; d = json.load(open('mine.json')); assert len(d) == 1 and d[0]['assignee'] == 'ana', d
"
"$cartera" --db a.db audit --entity task --format json > task-audit.json
check "task assignment audited" py "
import json; d = json.load(open('task-audit.json')); assert d[0]['after'] == {'assignee': 'ana'}, d
"
"$cartera" --db a.db task assign 999999 ana > /dev/null 2>&1; check "unknown task exits 2" test $? -eq 2
# A promise taken on a call: the outcome and the promise are one change.
promises_before=$("$cartera" --db a.db promise list --format json | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
"$cartera" --db a.db task done "$task" --outcome promise --promise-date 2026-12-01 --promise-amount abc > /dev/null 2>&1
check "a bad promise amount exits 2" test $? -eq 2
"$cartera" --db a.db worklist --collector ana --format json > still.json
check "the task stays open when its promise is refused" py "
import json; d = json.load(open('still.json')); assert len(d) == 1, d
"
"$cartera" --db a.db task done "$task" --outcome promise --promise-date 2026-12-01 --promise-amount 1000
check "task done with a promise exits 0" test $? -eq 0
check "the promise is recorded" test "$("$cartera" --db a.db promise list --format json | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" -eq $((promises_before + 1))
printf 'hola {{deudor}}' > bad.mustache
"$cartera" template validate bad.mustache --channel sms > /dev/null 2> template.err
check "unknown template variable named" contains template.err "unknown variable 'deudor'"
# SMS length: segments counted, a warning past the limit.
sms_customer=$(sqlite3 a.db "SELECT c.external_id FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.open_minor > 0 AND i.due_date < '2026-11-01' ORDER BY c.id LIMIT 1")
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" --db a.db template preview overdue_30 "$sms_customer" --channel sms > sms.txt 2> sms.err
check "an SMS preview counts its segments" contains sms.txt "-- SMS: 1 segment (GSM-7,"
check "a short SMS is not warned about" test ! -s sms.err
printf '{{debtor_name}}: {{#overdue_invoices}}factura {{number}} de {{amount}}, vencida hace {{days_late}} días; {{/overdue_invoices}} Total {{total_due}}. {{company_name}}' > long-sms.mustache
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" --db a.db template preview overdue_30 "$sms_customer" --channel sms --file long-sms.mustache --max-segments 1 > long-sms.txt 2> long-sms.err
check "an accented SMS is measured in UCS-2" contains long-sms.txt "(UCS-2,"
check "an SMS past the limit is warned about" contains long-sms.err "the limit is 1 (an accented letter"
# Messages are signed by the company's collector name, or by the team when
# none is set; a name ending in a period ("S.A.S.") never gets a second one.
"$cartera" --db a.db template preview overdue_30 "$sms_customer" --channel letter > by-team.txt
check "an unset collector name signs as the team" contains by-team.txt "Equipo de cartera"
check "no double period after a name ending in one" test "$(grep -cF '..' by-team.txt)" -eq 0
"$cartera" --db a.db company set --collector-name "Laura Gómez" > /dev/null
check "company set --collector-name exits 0" test $? -eq 0
"$cartera" --db a.db template preview overdue_30 "$sms_customer" --channel letter > by-laura.txt
check "the collector name signs" contains by-laura.txt "Laura Gómez"
check "company show has the collector name" py "
import json, subprocess; d = json.loads(subprocess.run(['$cartera', '--db', 'a.db', 'company', 'show', '--format', 'json'], capture_output=True, text=True).stdout)
assert d['collector_name'] == 'Laura Gómez', d
"
"$cartera" --db a.db company set --collector-name "" > /dev/null
"$cartera" --db a.db template preview overdue_30 "$sms_customer" --channel letter > by-team-again.txt
check "a cleared collector name signs as the team again" contains by-team-again.txt "Equipo de cartera"
# An overdue letter lists only the invoices past due, never one still to fall due.
mixed=$(sqlite3 a.db "SELECT c.external_id FROM customers c WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.open_minor > 0 AND i.due_date < '2026-11-01') AND EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.open_minor > 0 AND i.due_date > '2026-11-20') ORDER BY c.id LIMIT 1")
upcoming=$(sqlite3 a.db "SELECT i.number FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.external_id = '$mixed' AND i.open_minor > 0 AND i.due_date > '2026-11-20' ORDER BY i.due_date LIMIT 1")
check "the demo has an account with invoices past due and still to fall due" test -n "$mixed" -a -n "$upcoming"
"$cartera" --db a.db template preview overdue_30 "$mixed" --channel letter --as-of 2026-11-20 > mixed.txt
check "an overdue script leaves out the invoices not yet due" test "$(grep -c -e "$upcoming" -e 'mora: -' mixed.txt)" -eq 0
"$cartera" --db a.db letter "$mixed" --as-of 2026-11-20 --output mixed.pdf > /dev/null
check "letter for an account with invoices not yet due exits 0" test $? -eq 0
if command -v pdftotext > /dev/null; then
  pdftotext -layout mixed.pdf mixed-letter.txt
  check "an overdue letter leaves out the invoices not yet due" test "$(grep -c -e "$upcoming" -e 'mora: -' -e 'Por vencer' mixed-letter.txt)" -eq 0
fi
printf 'name: mine\nstages:\n  - key: late\n    day: 3\n    actions:\n      - {type: message, channel: fax}\n' > bad.yaml
"$cartera" --db a.db policy import bad.yaml > /dev/null 2> policy.err; code=$?
check "bad policy exits 2" test $code -eq 2
check "bad policy names the path" contains policy.err "stages[0].actions[0].channel"

# Spanish is the default language.
CARTERA_LANG=es "$cartera" --db a.db aging --as-of 2026-11-20 > es.txt
check "spanish titles" contains es.txt "Antigüedad de cartera al 2026-11-20"

# Holidays: Colombia's San José moves to Monday 2025-03-24 (Ley Emiliani).
"$cartera" calendar CO 2025 --format json > co.json
check "calendar CO" py "
import json; d = json.load(open('co.json'))
dates = [h['date'] for h in d['holidays']]
assert '2025-03-24' in dates and '2025-03-19' not in dates and len(dates) == 17, dates  # Sagrado Corazón and San Pedro share 2025-06-30
"
check "business days" test "$("$cartera" calendar CO --business-days 2025-03-17 2025-03-28)" = "9"
"$cartera" calendar XX 2025 > /dev/null 2>&1; check "unknown country exits 2" test $? -eq 2

# The README's own examples work against the README's demo.
readme=$here/../../README.md
cartera_readme() { "$cartera" --db readme.db "$@"; }
for example in "$(grep -m1 '^cartera demo ' "$readme")" "$(grep -m1 '^cartera promise add ' "$readme")" \
               "$(grep -m1 '^cartera dispute open ' "$readme")" "$(grep -m1 '^cartera explain ' "$readme")"; do
  eval "cartera_readme -q ${example#cartera }" > readme.out 2>&1
  check "README example works: $example" test $? -eq 0 || cat readme.out
done

# A call's outcome does what it says: a wrong number is not used again, a
# dispute is opened on the task's invoices.
"$cartera" --db b.db -q run > /dev/null
read -r wrong_task wrong_customer < <(sqlite3 -separator ' ' b.db "SELECT o.id, o.customer_id FROM outbox o WHERE o.action = 'call_task' AND o.status = 'open' AND EXISTS (SELECT 1 FROM contact_points p WHERE p.customer_id = o.customer_id AND p.channel = 'phone' AND p.usable = 1) ORDER BY o.id LIMIT 1")
"$cartera" --db b.db task done "$wrong_task" --outcome wrong_number > wrong.out
check "task done prints what it did" contains wrong.out "Task $wrong_task done: wrong number"
check "a wrong number is marked unusable" test "$(sqlite3 b.db "SELECT COUNT(*) FROM contact_points WHERE customer_id = $wrong_customer AND channel = 'phone' AND usable = 0")" -ge 1
dispute_task=$(sqlite3 b.db "SELECT id FROM outbox WHERE action = 'call_task' AND status = 'open' AND customer_id <> $wrong_customer ORDER BY id LIMIT 1")
"$cartera" --db b.db task done "$dispute_task" --outcome dispute --reason "no recibió la mercancía" > dispute.out
check "task done --outcome dispute exits 0" test $? -eq 0
check "a disputed call opens a dispute" test "$(sqlite3 b.db "SELECT COUNT(*) FROM disputes WHERE reason LIKE 'no recibió la mercancía%' AND status = 'open'")" -ge 1
dispute_id=$(sqlite3 b.db "SELECT MAX(id) FROM disputes")
"$cartera" --db b.db dispute resolve "$dispute_id" --outcome rejected --resolution "entregada" > resolved.out
check "dispute resolve prints what it did" contains resolved.out "Dispute $dispute_id rejected"
promise_id=$("$cartera" --db a.db promise list --status open --format json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
"$cartera" --db a.db promise cancel "$promise_id" > cancelled.out
check "promise cancel prints what it did" contains cancelled.out "Promise $promise_id cancelled"
# Text another program stored as invalid UTF-8 does not crash JSON output.
sqlite3 a.db "UPDATE promises SET note = CAST(X'6d616c61ff' AS TEXT) WHERE id = $promise_id"
"$cartera" --db a.db promise list --format json > bad-note.json 2> bad-note.err
check "invalid stored UTF-8 still prints JSON (exit 0)" test $? -eq 0
check "invalid stored UTF-8 is replaced" py "
import json; d = json.load(open('bad-note.json')); assert any(r['note'] == 'mala\ufffd' for r in d), d
"
# Reports too: a name stored as invalid UTF-8 does not crash aging or statement JSON.
bad_name_customer=$(sqlite3 a.db "SELECT c.external_id FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.open_minor > 0 ORDER BY c.id LIMIT 1")
cp a.db bad-name.db
sqlite3 bad-name.db "UPDATE customers SET name = CAST(X'4163c3' AS TEXT) WHERE external_id = '$bad_name_customer'"
"$cartera" --db bad-name.db aging --format json --as-of 2026-11-20 > /dev/null 2>&1
check "aging JSON with an invalid stored name exits 0" test $? -eq 0
"$cartera" --db bad-name.db statement "$bad_name_customer" --format json > /dev/null 2>&1
check "statement JSON with an invalid stored name exits 0" test $? -eq 0
# A promise's amount in the timeline is in the currency's units, not minor units.
promise_customer=$(sqlite3 a.db "SELECT c.external_id FROM promises p JOIN customers c ON c.id = p.customer_id WHERE p.id = $promise_id")
"$cartera" --db a.db timeline "$promise_customer" > promise-timeline.txt
amount_minor=$(sqlite3 a.db "SELECT amount_minor FROM promises WHERE id = $promise_id")
check "timeline shows the promise in currency units" test "$(grep -c "COP $amount_minor\b" promise-timeline.txt)" -eq 0
# Sorting: days past due puts what is owed first; amount is the invoice's.
"$cartera" --db a.db customers --sort days_past_due --limit 3 --format json > by-days.json
check "customers --sort days_past_due: debtors first" py "
import json; d = json.load(open('by-days.json')); assert all(r['open'] for r in d), d
"
"$cartera" --db a.db invoices --sort days_past_due --limit 3 --format json > inv-days.json
check "invoices --sort days_past_due: unpaid first" py "
import json; d = json.load(open('inv-days.json')); assert all(r['status'] != 'paid' for r in d), d
"
"$cartera" --db a.db invoices --sort amount --limit 20 --format json > inv-amount.json
check "invoices --sort amount sorts by the invoice amount" py "
import json; d = json.load(open('inv-amount.json')); v = [float(r['amount']['amount']) for r in d]; assert v == sorted(v, reverse=True), v
"
# customers --segment uses the engine's segments (customer_segments).
high=$(sqlite3 a.db "SELECT COUNT(DISTINCT customer_id) FROM customer_segments WHERE behaviour_segment = 'high_risk'")
"$cartera" --db a.db customers --segment high_risk --format json > high.json
check "customers --segment follows the engine" py "
import json; d = json.load(open('high.json')); assert len({r['external_id'] for r in d}) == $high and $high > 0, (len(d), $high)
"

# Data-driven cases (bad input; what a person reads): one line each in
# bad_input_cases.tsv and reading_cases.tsv, run by this one loop.
cases_dir=$here
case_customer=$(sqlite3 a.db "SELECT c.external_id FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.open_minor > 0 AND i.currency = 'COP' AND NOT EXISTS (SELECT 1 FROM invoices u WHERE u.customer_id = c.id AND u.currency = 'USD' AND u.open_minor > 0) ORDER BY c.id LIMIT 1")
case_invoice=$(sqlite3 a.db "SELECT i.external_id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.external_id = '$case_customer' AND i.open_minor > 0 ORDER BY i.id LIMIT 1")
for cases in "$cases_dir/bad_input_cases.tsv" "$cases_dir/reading_cases.tsv"; do
  line_number=0
  while IFS=$'\t' read -r language expected_exit expected arguments; do
    line_number=$((line_number + 1))
    [[ -z "$language" || "$language" == \#* ]] && continue
    arguments=${arguments//@CUSTOMER@/$case_customer}
    arguments=${arguments//@INVOICE@/$case_invoice}
    arguments=${arguments//@FIXTURES@/$here/fixtures}
    eval "words=($arguments)"
    environment=()
    while [[ ${#words[@]} -gt 0 && "${words[0]}" =~ ^[A-Z_]+= ]]; do environment+=("${words[0]}"); words=("${words[@]:1}"); done
    output=$(env CARTERA_LANG="$language" "${environment[@]}" "$cartera" "${words[@]}" 2>&1); code=$?
    name="$(basename "$cases"):$line_number ($arguments)"
    check "$name exits $expected_exit (got $code)" test "$code" -eq "$expected_exit"
    if [[ "$expected" == !* ]]; then
      check "$name does not print '${expected:1}'" test "$(grep -cF -- "${expected:1}" <<< "$output")" -eq 0
    else
      check "$name prints '$expected'" grep -qF -- "$expected" <<< "$output"
    fi
    [[ $code -ne "$expected_exit" ]] && echo "  output: ${output:0:300}"
  done < "$cases"
done

# Issue 14, ledger side: an address that would inject SMTP commands is
# refused at import naming file, line and field; CSV cells a spreadsheet
# would run get a leading '; credit in the customer's favour is shown.
printf 'external_id,name,tax_id,country,email\nX1,Ana,1,CO,"billing>\r\nRCPT\tTO:<evil@attacker.example>"\n' > inject.csv
"$cartera" --db ledger14.db import customers inject.csv > inject.out 2>&1; code=$?
check "SMTP injection refused at import (exit 2)" test $code -eq 2
check "SMTP injection error names file, line and field" contains inject.out "inject.csv:2: field 'email': contains a control character"
printf 'external_id,name,tax_id,country\nC1,=HYPERLINK("http://evil.example"),1,CO\nC2,@SUM(1+1),2,CO\n' > formula.csv
printf 'external_id,customer_external_id,date,currency,amount,method\nP1,C1,2026-01-05,COP,50.00,cash\n' > overpaid.csv
"$cartera" --db ledger14.db -q import customers formula.csv > /dev/null
"$cartera" --db ledger14.db -q import payments overpaid.csv > /dev/null
"$cartera" --db ledger14.db customers --format csv > formula-out.csv
check "customers csv neutralises formulas" contains formula-out.csv "\"'=HYPERLINK(\"\"http://evil.example\"\")\""
check "customers csv neutralises @" contains formula-out.csv ",'@SUM(1+1),"
check "customers csv shows credit in the customer's favour" contains formula-out.csv ",COP,0.00,0,0,50.00,-50.00"
"$cartera" --db ledger14.db aging --as-of 2026-01-10 --format csv > credit-aging.csv
check "aging csv adds credit and balance" contains credit-aging.csv ",total,invoices,credit,balance"
check "aging csv shows the credit" contains credit-aging.csv ",0.00,0,50.00,-50.00"
"$cartera" --db ledger14.db company set --email 'pagos en empresa.co' > company-email.out 2>&1; code=$?
check "company set refuses a bad e-mail address (exit 2)" test $code -eq 2
check "company set names the bad address" contains company-email.out "is not an e-mail address"
TWILIO_T=x "$cartera" --db ledger14.db channel set-twilio --account-sid AC1 --auth-token-env TWILIO_T --from 3001234567 > twilio-from.out 2>&1; code=$?
check "set-twilio refuses a sender that is not E.164 (exit 2)" test $code -eq 2
check "set-twilio names the bad sender" contains twilio-from.out "'3001234567' is not an E.164 number"

# Issue 14, the run's clock: the same business date gives the same plan at
# any hour; segments, explain and simulate take --as-of; the timeline and the
# worklist print one JSON shape each.
"$cartera" --db clock14.db -q demo --customers 80 --seed 3 --as-of 2026-11-20 > /dev/null
CARTERA_NOW=2026-11-20T07:27:00Z "$cartera" --db clock14.db run --dry-run --as-of 2026-11-20 --format json > plan-early.json 2>/dev/null \
  || CARTERA_NOW=2026-11-20T07:27:00Z "$cartera" --db clock14.db run --dry-run --as-of 2026-11-20 > plan-early.json
CARTERA_NOW=2026-12-02T20:00:00Z "$cartera" --db clock14.db run --dry-run --as-of 2026-11-20 --format json > plan-late.json 2>/dev/null \
  || CARTERA_NOW=2026-12-02T20:00:00Z "$cartera" --db clock14.db run --dry-run --as-of 2026-11-20 > plan-late.json
check "run --as-of plans the same at 02:27 and two weeks later" cmp -s plan-early.json plan-late.json
"$cartera" --db clock14.db segments --as-of 2026-11-20 --format json > seg-asof.json
check "segments --as-of computes every debtor's segment" py "
import json; d = json.load(open('seg-asof.json'))
assert len(d) > 20 and all(r['segment'] in ('habitual', 'occasional', 'high_risk', 'new') for r in d), d[:2]
assert all(set(r['figures']) >= {'invoices_late', 'broken_promises'} for r in d)
"
debtor=$(/usr/bin/python3 -c "import json; print(json.load(open('seg-asof.json'))[0]['external_id'])")
"$cartera" --db clock14.db explain "$debtor" --as-of 2026-11-20 > explain-asof.txt
check "explain --as-of" test $? -eq 0
"$cartera" --db clock14.db simulate --as-of 2026-11-20 --days 5 > sim-asof.txt
check "simulate --as-of" test $? -eq 0
CARTERA_NOW=2026-11-20T15:00:00Z "$cartera" --db clock14.db -q run --as-of 2026-11-20
"$cartera" --db clock14.db timeline "$debtor" --format json > timeline.json
check "timeline --format json: one shape per entry" py "
import json; d = json.load(open('timeline.json'))
assert d and all(set(e) == {'date', 'source', 'kind', 'stage', 'action', 'code', 'channel', 'outcome', 'detail', 'detail_es', 'amount'} for e in d), d[:2]
"
deferred14=$(sqlite3 clock14.db "SELECT c.external_id FROM engine_log e JOIN customers c ON c.id = e.customer_id WHERE e.kind = 'deferred' LIMIT 1")
"$cartera" --db clock14.db --lang es timeline "$deferred14" > timeline-es.txt
check "the engine's reasons are in Spanish in a Spanish timeline" contains timeline-es.txt "Aplazado al"
check "... and not in English" test -z "$(grep -F "Deferred to" timeline-es.txt)"
"$cartera" --db clock14.db -q company set --daily-run-time 07:30
"$cartera" --db clock14.db company show --format json > company14.json
check "the daily run time is a company setting" py "import json; assert json.load(open('company14.json'))['daily_run_time'] == '07:30'"
CARTERA_NOW=2026-11-24T15:00:00Z "$cartera" --db clock14.db -q run --as-of 2026-11-24
check "a day's contacts are asked for at the daily run time (07:30 in Bogotá is 12:30 UTC)" \
  test "$(sqlite3 clock14.db "SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.business_date = '2026-11-24' AND c.time_zone = 'America/Bogota' AND o.scheduled_at = '2026-11-24T12:30:00Z'")" -gt 0
"$cartera" --db clock14.db company set --daily-run-time 25:00 > bad-time.out 2>&1; code=$?
check "a daily run time that is no time of day exits 2" test $code -eq 2
check "and says why" contains bad-time.out "is not a time of day"
"$cartera" --db clock14.db worklist --format json > worklist14.json
check "worklist JSON money is decimal text" py "
import json; d = json.load(open('worklist14.json'))
assert all(isinstance(t['open']['amount'], str) and t['open']['currency'] for t in d), d[:1]
"

# Issue 14: one row with three errors is one row, not three.
printf 'external_id,customer_external_id,number,issue_date,due_date,currency,amount\nX1,NOPE,1,2026-02-30,2026-01-01,XXX,abc\n' > three-errors.csv
"$cartera" --db a.db --lang es import invoices three-errors.csv 2> three-errors.err
check "import counts rows and errors apart" contains three-errors.err "three-errors.csv: 3 errores en 1 fila, no se importó nada"

# Issue 14: the outbox says why an item did not go (the law, the server's own
# words), in JSON, CSV and the table alike.
"$cartera" --db clock14.db outbox --format json > outbox14.json
check "outbox JSON has every key, last_error included" py "
import json; d = json.load(open('outbox14.json'))
assert d and all(set(r) == {'id', 'idempotency_key', 'customer_external_id', 'action', 'channel', 'stage', 'template', 'scheduled_utc', 'scheduled_local', 'status', 'business_date', 'last_error'} for r in d), d[:1]
"
"$cartera" --db clock14.db outbox --format csv > outbox14.csv
check "outbox CSV header" contains outbox14.csv "id,idempotency_key,customer_external_id,action,channel,stage,template,scheduled_utc,scheduled_local,status,business_date,last_error"

echo "$passes passed, $failures failed"
test "$failures" -eq 0
