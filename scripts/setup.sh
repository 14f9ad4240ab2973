#!/usr/bin/env bash
# Installs what the build and tests need, and only what is missing (idempotent, fast when present).
#   scripts/setup.sh            → wasm target, wasm-bindgen CLI, npm packages
#   scripts/setup.sh --browser  → also Debian's chromium + chromedriver (for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned version: `wasm-bindgen = "=X"` or `wasm-bindgen = { version = "=X", … }`.
WB_VERSION=$(sed -n 's/^wasm-bindgen = .*"=\([0-9][0-9.]*\)".*/\1/p' Cargo.toml | head -1)
[ -n "$WB_VERSION" ] || { echo "setup: cannot read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WB_VERSION (takes ~3 min once)"
  # No --locked: a locked dependency is newer than the registry mirror serves.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

stamp=node_modules/.crmscore-setup
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  # `npm ci` rejects this lock file here (the registry mirror omits other platforms'
  # optional packages, so the lock lists none); `npm install` honours the lock as written.
  echo "setup: npm install"
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

if [ "${1:-}" = "--browser" ]; then
  # fonts-wqy-microhei: a CJK font, so the Chinese UI renders in headless screenshots.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! fc-list 2>/dev/null | grep -qi wenquanyi; then
    echo "setup: installing chromium, chromium-driver and a CJK font (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
  fi
fi
