#!/usr/bin/env bash
# Rebuilds the page and runs the benchmarks of BENCHMARKS.md:
# 1. sqlnori beside sql.js in headless Chromium (first-visit bytes, cold start, 10,000-row
#    workloads, renderer memory); the table between the `side-by-side` markers is rewritten;
# 2. the page's own: a first visit file by file, the result grid, the editor;
# 3. tracing against plain runs over 10,000 students (native, release build).
#   RUNS=5 scripts/bench.sh      (interleaved runs per side; 5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/wasm-flags.sh
trunk build --release --offline
BENCH_RUNS="${RUNS:-5}" node tests/browser/bench-side-by-side.mjs --write BENCHMARKS.md
node tests/browser/bench.mjs
node tests/browser/bench-grid.mjs
node tests/browser/bench-editor.mjs
cargo run --release -q -p sqlnori-engine --example trace_bench
