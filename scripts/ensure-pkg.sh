#!/usr/bin/env bash
# Build pkg/ when it is missing or older than anything it is built from (used by demo and bench).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=pkg/bundler/crmscore_bg.wasm
if [ ! -f "$stamp" ] || [ ! -f pkg/web/crmscore.js ] || [ ! -f pkg/node/crmscore.mjs ] ||
  [ ! -f pkg/sample/node/crmscore_sample.mjs ] || [ ! -f pkg/worker/index.js ] ||
  [ -n "$(find src crates js Cargo.toml Cargo.lock scripts/build.mjs -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "building the package (node scripts/build.mjs)"
  node scripts/build.mjs
fi
