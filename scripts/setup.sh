#!/usr/bin/env bash
# Installs the Debian 12 packages Cartera needs to build, run and test.
# Idempotent: packages already present are not fetched again, and apt-get
# update runs only when something is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libyaml-cpp-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libkainjow-mustache-dev
  libcurl4-openssl-dev libsodium-dev libssl-dev
  python3 python3-aiosmtpd
  libpango1.0-dev libcairo2-dev fonts-dejavu-core poppler-utils
  libgmime-3.0-dev
  libcpp-httplib-dev python3-jsonschema wrk libgoogle-perftools-dev
  zlib1g-dev chromium
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# Node.js and npm build the web app (web/). The machine's own Node.js 20 is
# used when present (Debian's npm package would conflict with it).
if ! command -v npm > /dev/null; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web app's packages, exactly as the committed lock file says (npm ci),
# again only when the lock file changed since the last install.
cd "$(dirname "$0")/../web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
