#!/usr/bin/env bash
# Installs what is missing, builds, creates ./cartera.db with a realistic
# demo portfolio and a demo admin user, then starts `cartera serve` and
# prints where to sign in. Ctrl-C stops the server.
#   --no-serve   only create the demo (and show it), do not start the server
#   --listen H:P where the server listens (default 127.0.0.1:8080)
# Other arguments go to `cartera demo` (e.g. --customers 5000 --seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."
serve=true
listen=127.0.0.1:8080
demo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-serve) serve=false ;;
    --listen) listen=$2; shift ;;
    *) demo_args+=("$1") ;;
  esac
  shift
done
bash scripts/setup.sh
bash scripts/build.sh
cartera=./build/src/cli/cartera
# The key that seals channel passwords and signs the debtors' portal links:
# made once for this checkout and kept beside the demo database.
if [ -z "${CARTERA_SECRET_KEY:-}" ]; then
  if [ ! -f .cartera-secret-key ]; then (umask 077; "$cartera" secret-key > .cartera-secret-key); fi
  CARTERA_SECRET_KEY=$(cat .cartera-secret-key)
  export CARTERA_SECRET_KEY
fi
if [ -f cartera.db ] && [ ${#demo_args[@]} -eq 0 ]; then
  echo "cartera.db exists: using it (delete it for a fresh demo)"
else
  rm -f cartera.db cartera.db-wal cartera.db-shm
  "$cartera" demo "${demo_args[@]}"
  # The demo creditor's letterhead and how its debtors pay (the portal shows both).
  "$cartera" -q company set --name "Distribuidora Andina S.A.S." --tax-id "900.123.456-7" \
    --address "Calle 93 # 11-26" --city "Bogotá D.C." --phone "+57 601 555 0100" \
    --email "cartera@andina.example" \
    --payment-instructions "Bancolombia, cuenta corriente 123-456789-01, a nombre de Distribuidora Andina S.A.S. Referencia: su código de cliente." > /dev/null
fi
# The demo's own admin; a real installation makes its users with
# `cartera user add EMAIL --role admin` (a one-time password is printed).
demo_email=admin@demo.cartera.dev
export CARTERA_DEMO_PASSWORD=cartera-demo-2026
if ! "$cartera" user list --format json | grep -q "\"$demo_email\""; then
  "$cartera" -q user add "$demo_email" --role admin --name "Demo" --password-env CARTERA_DEMO_PASSWORD > /dev/null
fi
# Messages and `cartera portal link` point debtors at this server.
"$cartera" -q channel set-portal --base-url "http://$listen" > /dev/null
# A debtor with open invoices, for the portal link printed below.
debtor=$("$cartera" aging --format json | sed -n 's/.*"external_id": *"\([^"]*\)".*/\1/p' | head -n 1)
if [ "$serve" = false ]; then exit 0; fi
echo
echo "Web app / Aplicación:     http://$listen/"
echo "Sign in / Inicie sesión:  $demo_email  /  $CARTERA_DEMO_PASSWORD"
if [ -n "$debtor" ]; then
  echo "Debtor portal / Portal del deudor ($debtor): $("$cartera" portal link "$debtor")"
fi
echo "API: curl -c jar -H 'Content-Type: application/json' -d '{\"email\":\"$demo_email\",\"password\":\"$CARTERA_DEMO_PASSWORD\"}' http://$listen/api/v1/session"
echo "     docs/api.md; the OpenAPI document is at http://$listen/api/v1/openapi.json"
echo "Ctrl-C stops the server / Ctrl-C detiene el servidor."
exec "$cartera" serve --listen "$listen"
