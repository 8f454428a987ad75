#!/usr/bin/env bash
# Runs every test of ExportCenter.Bot on a fresh Debian machine: installs what is missing (Debian's
# Chromium for the browser tests, Node.js/npm for Web Chat and the test tools), fetches the npm packages
# pinned by package-lock.json, then runs `dotnet test`. Exits non-zero when anything fails.
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
if [ "${#missing[@]}" -gt 0 ]; then
  log "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

log "npm packages (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
log "dotnet test (Chromium: $CHROMIUM_PATH)"
dotnet test ExportCenter.Bot.sln -c Release --logger "console;verbosity=normal" "$@"
