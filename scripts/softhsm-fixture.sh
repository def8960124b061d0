#!/usr/bin/env bash
# Creates a fresh SoftHSM2 token in a new temporary directory, for tests, CI and demos.
#   eval "$(bash scripts/softhsm-fixture.sh [LABEL] [PIN] [SO_PIN])"   # or: source scripts/softhsm-fixture.sh
# Prints `export SOFTHSM2_CONF=…` and `export MUSGO_SOFTHSM_DIR=…` (and exports them when sourced).
# SOFTHSM2_CONF must be set before the process calls C_Initialize. Installs softhsm2 with apt-get
# when it is missing. PINs shorter than 4 characters make softhsm2-util prompt, so they are refused.
set -euo pipefail

label="${1:-musgo-audit}"
pin="${2:-1234}"
so_pin="${3:-12345678}"
if [ "${#pin}" -lt 4 ] || [ "${#so_pin}" -lt 4 ]; then
  echo "softhsm-fixture: PINs need at least 4 characters" >&2
  exit 2
fi

if ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "softhsm-fixture: installing softhsm2 (apt-get)" >&2
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq softhsm2 opensc >&2
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/musgo-softhsm.XXXXXX")"
mkdir -p "$dir/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' "$dir" >"$dir/softhsm2.conf"
export SOFTHSM2_CONF="$dir/softhsm2.conf"
export MUSGO_SOFTHSM_DIR="$dir"
# The token moves to a slot derived from its serial: find it by label, never by slot number.
softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" </dev/null >&2
echo "export SOFTHSM2_CONF=$SOFTHSM2_CONF"
echo "export MUSGO_SOFTHSM_DIR=$MUSGO_SOFTHSM_DIR"
