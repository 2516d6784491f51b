#!/bin/sh
# Installs every Debian and npm package corridor needs to build, run, test and
# benchmark. Idempotent: it asks apt only for what is missing and npm only when
# node_modules is older than package-lock.json, so a second run costs a few
# dpkg queries. Needs root (or sudo) the first time.
set -eu

PKGS="build-essential pkg-config zlib1g-dev libsqlite3-dev sqlite3 libjansson-dev
libcsv-dev libmicrohttpd-dev libzip-dev libexpat1-dev libxlsxwriter-dev libsodium-dev libglpk-dev libgsl-dev libcmocka-dev
curl time bc python3 python3-pandas python3-openpyxl python3-simpy3 chromium fonts-dejavu-core wrk nginx-light
clang libclang-rt-14-dev gettext fonts-wqy-microhei poppler-utils"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done

if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "bootstrap: installing$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# npm packages (DuckDB for the benchmarks) from package-lock.json
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    echo "bootstrap: installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules
fi
