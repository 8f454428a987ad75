#!/usr/bin/env bash
# Runs ExportCenter.Bot locally: embedded SQLite database (data/), embedded Direct Line channel and
# the chat page. No Azure account needed. Installs Node.js/npm if missing (the build fetches Web Chat).
# Extra arguments go to the bot, e.g. --urls http://0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "==> Installing Node.js and npm (Debian packages)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; fi
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

[ -f node_modules/botframework-webchat/dist/webchat.js ] || npm ci --no-audit --no-fund --loglevel=error
exec dotnet run --project bot -c Release -- "$@"
