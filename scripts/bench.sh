#!/usr/bin/env bash
# npm run bench [-- flags]: benchmarks crmscore against plain JS in Node and headless Chromium
# (and, in the btyd suite, against Python lifetimes when python3 is there: bench/lifetimes.mjs).
#   npm run bench                 all sizes (up to 1M customers / 10M orders), ~25 min on 2 cores
#                                 (btyd alone ~13 min, ~5 of them lifetimes; --no-external skips lifetimes)
#   npm run bench -- --quick      only the two smaller sizes (writes bench/RESULTS-partial.md)
#   other flags (--env=node|browser, --sizes=…, --impls=…, --runs=N, --no-write, suite names):
#   see the top of bench/run.mjs. Writes bench/RESULTS.md and bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --browser
bash scripts/ensure-pkg.sh
exec node bench/run.mjs "$@"
