#!/usr/bin/env bash
# Every benchmark, each printing absolute figures and ratios measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --softhsm
npm run --silent build
for bench in dist/bench/*.js; do
  echo "==> node $bench"
  node "$bench"
done
