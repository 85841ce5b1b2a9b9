#!/usr/bin/env bash
# Runs every test: formatting, clippy, the model's and engine's native tests (SQL fixtures), the CLI's
# contract tests, the lessons' self-test, a release build of the page, and the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PATH"
. scripts/wasm-flags.sh

step() { printf '\n== %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (model, engine, CLI)"
cargo clippy -p sqlnori-model -p sqlnori-engine -p sqlnori-cli --all-targets -- -D warnings
step "clippy (page and worker, wasm32)"
cargo clippy -p sqlnori-web -p sqlnori-worker --target wasm32-unknown-unknown -- -D warnings

step "native tests (model, engine fixtures and conformance, CLI contract)"
cargo test -p sqlnori-model -p sqlnori-engine -p sqlnori-cli

step "lessons (lessons/: references pass, known mistakes fail, every mutant is caught)"
cargo run -q -p sqlnori-cli -- lessons test --strict lessons

step "page build (release)"
trunk build --release --offline

step "browser tests (headless Chromium)"
(cd tests/browser && node --test --test-concurrency=1 ./*.test.mjs)
