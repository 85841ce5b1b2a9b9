#!/usr/bin/env bash
# Rebuilds the page and prints the first-visit benchmark (see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
(cd crates/web && trunk build --release --offline)
node tests/browser/bench.mjs
