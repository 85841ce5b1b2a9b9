#!/usr/bin/env bash
# Builds the playground for any static host: `dist/` (or the folder given) holds the page, the
# engine worker, the service worker and, beside each file, `.gz` and `.br` copies for hosts
# that serve precompressed files. The page works from any sub-path (GitHub Pages included).
#   scripts/build.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/wasm-flags.sh
# Trunk's post_build hook (scripts/finish-dist.mjs) writes the boot file, the CSP and sw.js.
trunk build --release --offline --dist "$out"
node scripts/finish-dist.mjs --compress "$out"
echo "sqlnori: built $out/ ($(du -sh "$out" | cut -f1)); copy it to any static host"
