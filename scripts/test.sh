#!/usr/bin/env bash
# Runs every test of ExportCenter.Bot on a fresh Debian machine: installs what is missing (Debian's
# Chromium for the browser tests, Node.js/npm for Web Chat and the test tools, a PostgreSQL server for
# the storage tests, nginx for the test of two instances behind a proxy), starts PostgreSQL, fetches the
# npm packages pinned by package-lock.json, then runs `dotnet test`. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root (or sudo) to install: $*" >&2; exit 1; fi
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
# /usr/sbin is not on every user's PATH.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  log "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [[ " ${missing[*]} " == *" nginx "* ]]; then
  # The test starts its own nginx in a temp folder; the system service the package may have started is not needed.
  if [ -d /run/systemd/system ]; then as_root systemctl disable --now nginx >/dev/null 2>&1 || true; fi
  as_root /usr/sbin/nginx -s quit >/dev/null 2>&1 || true
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# PostgreSQL: the machine's first cluster, started if it is down, with a test role that may create databases.
cluster=$(pg_lsclusters -h | head -n 1)
if [ -z "$cluster" ]; then
  log "Creating a PostgreSQL cluster"
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  as_root pg_createcluster "$version" main
  cluster=$(pg_lsclusters -h | head -n 1)
fi
read -r pg_version pg_name pg_port pg_status _ <<<"$cluster"
if [ "$pg_status" != "online" ]; then
  log "Starting PostgreSQL $pg_version/$pg_name on port $pg_port"
  as_root pg_ctlcluster "$pg_version" "$pg_name" start
fi
for _ in $(seq 1 30); do
  (cd / && as_postgres psql -p "$pg_port" -qtAc "SELECT 1") >/dev/null 2>&1 && break
  sleep 1
done
role=$(cd / && as_postgres psql -p "$pg_port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'exportcenter_test'")
if [ "$role" != "1" ]; then
  (cd / && as_postgres psql -p "$pg_port" -qc "CREATE ROLE exportcenter_test LOGIN CREATEDB PASSWORD 'exportcenter_test'")
fi
export EXPORTCENTER_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=exportcenter_test;Password=exportcenter_test;Database=postgres"

log "npm packages (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
log "dotnet test (Chromium: $CHROMIUM_PATH)"
# One test project at a time (-m:1): on a 2-core machine the browser tests, which wait for a real Chromium,
# should not share the cores with the host tests' own hosts.
dotnet test ExportCenter.Bot.sln -c Release -m:1 --logger "console;verbosity=normal" "$@"
