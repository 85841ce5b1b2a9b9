#!/usr/bin/env bash
# Serves the playground locally: http://127.0.0.1:8080/ (PORT=… to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/wasm-flags.sh
port="${PORT:-8080}"
echo "sqlnori: building, then serving at http://127.0.0.1:$port/"
# No service worker while developing (it would keep serving the previous build).
export SQLNORI_DEV=1
exec trunk serve --release --offline --address 127.0.0.1 --port "$port"
