#!/usr/bin/env bash
# Tenants from the command line: `tenant create|list`, and every command
# acting for the tenant --tenant (or CARTERA_TENANT) names, and only for it.
# Usage: run_tenant_tests.sh PATH_TO_CARTERA
set -uo pipefail
cartera=$(realpath "$1")
work=$(mktemp -d /tmp/cartera-tenants.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CARTERA_NOW=2026-11-20T15:00:00Z CARTERA_LANG=en
unset CARTERA_DB CARTERA_TENANT
failures=0 passes=0

check() {  # check NAME CONDITION...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL: $name"; fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
py() { /usr/bin/python3 -c "$1"; }

cd "$work"
export CARTERA_DB=t.db
"$cartera" init > /dev/null; check "init exits 0" test $? -eq 0

# Create tenant B; the default tenant is there from the start.
"$cartera" tenant create "Empresa B S.A.S." --slug b --country CO --currency COP --time-zone America/Bogota > create.txt
check "tenant create exits 0" test $? -eq 0
check "tenant create says how to use it" contains create.txt "Use it with --tenant b"
"$cartera" tenant create "Acme Inc." --country US --currency USD --time-zone America/New_York --format json > acme.json
check "tenant create --format json" py "
import json; d = json.load(open('acme.json'))
assert d == {'id': 3, 'slug': 'acme-inc', 'name': 'Acme Inc.', 'country': 'US', 'currency': 'USD',
             'time_zone': 'America/New_York', 'daily_run_time': '08:00', 'created_at': '2026-11-20T15:00:00Z'}, d
"
"$cartera" tenant list --format json > tenants.json
check "tenant list json" py "
import json; d = json.load(open('tenants.json'))
assert [t['slug'] for t in d] == ['default', 'b', 'acme-inc'], d
assert [t['id'] for t in d] == [1, 2, 3] and d[1]['name'] == 'Empresa B S.A.S.', d
"
"$cartera" tenant list > tenants.txt
check "tenant list table" contains tenants.txt "Empresa B S.A.S."
"$cartera" --tenant b audit --entity tenant --format json > audit.json
check "tenant create audited under the new tenant" py "
import json; d = json.load(open('audit.json'))
assert len(d) == 1 and d[0]['action'] == 'create' and d[0]['after']['slug'] == 'b', d
"

# Bad input when creating: exit 2, worded in the reader's language.
create_refused() {  # create_refused NAME EXPECTED_EN EXPECTED_ES ARGS...
  local name=$1 english=$2 spanish=$3; shift 3
  "$cartera" --lang en tenant create "$@" > /dev/null 2> refused.en; local code_en=$?
  "$cartera" --lang es tenant create "$@" > /dev/null 2> refused.es; local code_es=$?
  check "$name exits 2" test $code_en -eq 2 -a $code_es -eq 2
  check "$name (en)" contains refused.en "$english"
  check "$name (es)" contains refused.es "$spanish"
}
create_refused "duplicate slug" "a tenant with the slug 'b' already exists" "ya hay una empresa con el slug 'b'" \
  "Otra" --slug b --country CO --currency COP
create_refused "bad country" "the country 'XX' is not an ISO 3166-1" "el país 'XX' no es un código ISO 3166-1" \
  "Otra" --country XX --currency COP
create_refused "bad currency" "the currency 'ABC' is not an active ISO 4217" "la moneda 'ABC' no es un código ISO 4217" \
  "Otra" --country CO --currency ABC
create_refused "bad zone" "the time zone 'America/Atlantis'" "la zona horaria 'America/Atlantis'" \
  "Otra" --country CO --currency COP --time-zone America/Atlantis
create_refused "bad slug" "the slug 'Otra B' is not valid" "el slug 'Otra B' no sirve" \
  "Otra" --slug "Otra B" --country CO --currency COP
"$cartera" tenant list --format json > after.json
check "refused creations wrote nothing" py "
import json; assert len(json.load(open('after.json'))) == 3
"

# A customer imported into B is B's alone.
printf 'external_id,name,tax_id,country\nB-0001,Ferretería Solo B,900111222-3,CO\n' > b_customers.csv
"$cartera" --tenant b import customers b_customers.csv > import.txt
check "import into tenant b exits 0" test $? -eq 0
check "import into tenant b created one" contains import.txt "1 created"
"$cartera" customers --format csv > default.csv; check "customers on tenant 1 exits 0" test $? -eq 0
check "tenant 1 does not see B's customer" lacks default.csv "B-0001"
"$cartera" --tenant 1 customers --format csv > one.csv
check "--tenant 1 does not see B's customer" lacks one.csv "B-0001"
"$cartera" --tenant default customers --format csv > default2.csv
check "--tenant default does not see B's customer" lacks default2.csv "B-0001"
"$cartera" --tenant b customers --format csv > b.csv
check "--tenant b sees its customer" contains b.csv "Ferretería Solo B"
"$cartera" --tenant 2 customers --format csv > b2.csv
check "--tenant 2 (the id) sees it too" contains b2.csv "B-0001"
"$cartera" --tenant B customers --format csv > b3.csv
check "--tenant B (any case) sees it too" contains b3.csv "B-0001"
CARTERA_TENANT=b "$cartera" customers --format csv > env.csv
check "CARTERA_TENANT=b sees it" contains env.csv "B-0001"
CARTERA_TENANT=b "$cartera" --tenant default customers --format csv > override.csv
check "--tenant wins over CARTERA_TENANT" lacks override.csv "B-0001"
"$cartera" --tenant acme-inc customers --format csv > acme.csv
check "another tenant does not see it" lacks acme.csv "B-0001"
"$cartera" statement B-0001 > /dev/null 2> statement.err; code=$?
check "tenant 1 cannot read B's statement (exit 2)" test $code -eq 2
check "tenant 1 cannot read B's statement (message)" contains statement.err "no customer with external id 'B-0001'"
"$cartera" --tenant b statement B-0001 > /dev/null; check "tenant b reads its statement" test $? -eq 0
# The same external id in two tenants is two customers.
printf 'external_id,name,tax_id,country\nB-0001,Otro cliente de la 1,800111222-3,CO\n' > one_customers.csv
"$cartera" import customers one_customers.csv > /dev/null; check "same external id in tenant 1" test $? -eq 0
"$cartera" --tenant b customers --format csv > b4.csv
check "tenant b keeps its own name" contains b4.csv "Ferretería Solo B"
check "tenant b does not see tenant 1's" lacks b4.csv "Otro cliente de la 1"
"$cartera" --tenant b company show --format json > company.json
check "company show is the tenant's" py "
import json; d = json.load(open('company.json'))
assert d['name'] == 'Empresa B S.A.S.' and d['country'] == 'CO', d
"

# An unknown tenant: exit 2, naming it, in English and in Spanish.
unknown() {  # unknown NAME EXPECTED_EN EXPECTED_ES COMMAND...
  local name=$1 english=$2 spanish=$3; shift 3
  "$@" --lang en customers > out.txt 2> unknown.en; local code_en=$?
  "$@" --lang es customers > out.txt 2> unknown.es; local code_es=$?
  check "$name exits 2 (en)" test $code_en -eq 2
  check "$name exits 2 (es)" test $code_es -eq 2
  check "$name (en)" contains unknown.en "$english"
  check "$name (es)" contains unknown.es "$spanish"
  check "$name prints nothing on stdout" test ! -s out.txt
}
unknown "--tenant nope" "cartera: --tenant (or CARTERA_TENANT): no tenant with the id or slug 'nope'" \
  "cartera: --tenant (o CARTERA_TENANT): no hay una empresa (tenant) con el id o slug 'nope'" "$cartera" --tenant nope
unknown "--tenant 99" "no tenant with the id or slug '99'" "no hay una empresa (tenant) con el id o slug '99'" \
  "$cartera" --tenant 99
unknown "CARTERA_TENANT=nope" "no tenant with the id or slug 'nope'" "no hay una empresa (tenant) con el id o slug 'nope'" \
  env CARTERA_TENANT=nope "$cartera"
check "the message says how to list them" contains unknown.en "cartera tenant list"
"$cartera" --tenant nope import customers b_customers.csv > /dev/null 2>&1
check "import into an unknown tenant exits 2" test $? -eq 2
# `tenant list` and `init` act on the installation: an unknown CARTERA_TENANT does not stop them.
CARTERA_TENANT=nope "$cartera" tenant list > /dev/null; check "tenant list ignores CARTERA_TENANT" test $? -eq 0
CARTERA_TENANT=nope "$cartera" init > /dev/null; check "init ignores CARTERA_TENANT" test $? -eq 0

echo "tenant CLI tests: $passes passed, $failures failed"
test $failures -eq 0
