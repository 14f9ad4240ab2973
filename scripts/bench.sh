#!/usr/bin/env bash
# npm run bench [-- flags]: benchmarks crmscore against plain JS in Node and headless Chromium.
#   npm run bench                 all sizes (up to 1M customers / 10M orders), ~10 min on 2 cores
#   npm run bench -- --quick      only the two smaller sizes (writes bench/RESULTS-partial.md)
#   other flags (--env=node|browser, --sizes=…, --impls=…, --runs=N, --no-write, suite names):
#   see the top of bench/run.mjs. Writes bench/RESULTS.md and bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser
bash scripts/ensure-pkg.sh
exec node bench/run.mjs "$@"
