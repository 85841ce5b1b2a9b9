#!/usr/bin/env bash
# Rebuilds the page and prints the benchmarks (see BENCHMARKS.md): the first visit in headless
# Chromium, then tracing against plain runs over 10,000 students (native, release build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
trunk build --release --offline
node tests/browser/bench.mjs
node tests/browser/bench-grid.mjs
node tests/browser/bench-editor.mjs
cargo run --release -q -p sqlnori-engine --example trace_bench
