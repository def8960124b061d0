#!/usr/bin/env bash
# Installs what musgo needs on a fresh machine, and nothing when it is already there:
# npm packages (npm ci, re-run when package-lock.json changed) and, with --softhsm, Debian's softhsm2.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.musgo-installed-lock
if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp"; then
  echo "==> installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

if [ "${1:-}" = "--softhsm" ] && ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "==> installing softhsm2 (apt-get)"
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq softhsm2 opensc >/dev/null
fi
