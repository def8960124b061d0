#!/usr/bin/env bash
# Every benchmark, each printing absolute figures and ratios measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --softhsm
npm run --silent build
# decision speed vs peers, build time and size, secret-scanning regexes, Guard with limits, audit throughput,
# the strict input reader, huge collections, memory
for bench in decision build-size regex-corpus guard audit json-input huge-collections; do
  echo "==> node dist/bench/$bench.js"
  node "dist/bench/$bench.js"
done
echo "==> node --expose-gc dist/bench/memory.js"
node --expose-gc dist/bench/memory.js
