#!/usr/bin/env bash
# npm run demo: builds the demo page (www/) and serves it on localhost until Ctrl-C.
#   scripts/demo.sh               → setup, build pkg/ if stale, vite build www → www/dist, serve
#   scripts/demo.sh --build-only  → the same without serving
#   PORT=8080 scripts/demo.sh     → serve on 8080 (default 5173; the next free port if taken)
# Idempotent: each step only does what is missing or out of date (except vite build, ~1 s).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

bash scripts/setup.sh

bash scripts/ensure-pkg.sh

echo "demo: vite build www → www/dist"
node_modules/.bin/vite build --config www/vite.config.js --logLevel warn
test -f www/dist/index.html

if [ "${1:-}" = "--build-only" ]; then
  echo "demo: built www/dist"
  exit 0
fi

# Foreground until Ctrl-C; the server prints the URL.
exec node www/server.mjs www/dist --port "${PORT:-5173}"
