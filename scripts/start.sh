#!/usr/bin/env bash
# The main job: install, build, check and test the reference constitution, compile it to WASM,
# then judge the seed's example actions with the module (constitution/examples/, Examples 1–3) and print the verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
musgo() { node dist/cli/main.js "$@"; }

echo "==> musgo check constitution/"
musgo check constitution/
echo "==> musgo test constitution/"
musgo test constitution/
echo "==> musgo build constitution/ -o dist/musgo.wasm"
musgo build constitution/ -o dist/musgo.wasm
echo
echo "==> Example 1: agent registration (constitution/registration)"
musgo eval dist/musgo.wasm --entrypoint constitution/registration --input constitution/examples/example1-registration.json
echo
echo "==> Example 2: threat response, 1000 api calls/minute against a threshold of 100"
musgo eval dist/musgo.wasm --input constitution/examples/example2-threat.json
echo
echo "==> Example 3: constitutional violation, classified data access"
musgo eval dist/musgo.wasm --input constitution/examples/example3-classified.json
echo
echo "==> musgo plan: the containment Example 3's verdict would carry out (contacts nothing)"
musgo plan dist/musgo.wasm --input constitution/examples/example3-classified.json
