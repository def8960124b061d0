#!/usr/bin/env bash
# The full test suite, runnable on a fresh machine: installs npm packages and softhsm2 when missing,
# builds (child-process tests run the compiled CLI), lints, type-checks the tests, runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --softhsm
echo "==> build"
npm run --silent build
echo "==> type-check tests and benches"
npx tsc -p tsconfig.test.json
echo "==> lint"
npm run --silent lint   # eslint (every layer, AssemblyScript included) and the module sources' own type-check
echo "==> vitest"
mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit $status
