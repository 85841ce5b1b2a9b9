#!/usr/bin/env bash
# Where the bytes of the two wasm files go, per crate (the table in BENCHMARKS.md): builds the
# page and the worker with the `wasm-analyze` profile (the release profile with function names
# kept) and sums twiggy's per-function sizes by crate (scripts/wasm-crates.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/wasm-flags.sh
if ! twiggy --version 2>/dev/null | grep -q " 0.7.0"; then
  cargo install twiggy --version 0.7.0 --locked
fi
out="target/wasm-sizes"
mkdir -p "$out"
for crate in sqlnori-worker sqlnori-web; do
  cargo build -q -p "$crate" --target wasm32-unknown-unknown --profile wasm-analyze
  wasm="target/wasm32-unknown-unknown/wasm-analyze/${crate}.wasm"
  twiggy top -f csv -n 100000 "$wasm" > "$out/$crate.csv"
  echo "### $crate ($(( $(stat -c%s "$wasm") / 1024 )) KiB before wasm-bindgen, names included)"
  echo
  python3 scripts/wasm-crates.py "$out/$crate.csv" 15
  echo
done
