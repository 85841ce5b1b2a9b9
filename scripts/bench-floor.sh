#!/usr/bin/env bash
# The floor bench of BENCHMARKS.md ("The floor"): builds GlueSQL alone in a page (bench/floor,
# the same patched crates and size profile as the worker) and measures its first visit and
# cold start beside sql.js and sqlnori's built page (dist/, built first when missing).
#   RUNS=9 scripts/bench-floor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/wasm-flags.sh
[ -f dist/index.html ] || scripts/build.sh
out="target/floor"
CARGO_TARGET_DIR="$out" cargo build -q --release --offline --locked \
  --manifest-path bench/floor/Cargo.toml --target wasm32-unknown-unknown
wasm-bindgen --target web --out-dir "$out/www" \
  "$out/wasm32-unknown-unknown/release/sqlnori_floor.wasm"
cp bench/floor/index.html "$out/www/"
cd tests/browser
BENCH_RUNS="${RUNS:-9}" node bench-floor.mjs --write ../../BENCHMARKS.md
