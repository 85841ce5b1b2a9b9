#!/usr/bin/env bash
# Installs everything sqlnori's two commands need, idempotently; fast when all is present.
#   scripts/setup.sh build   toolchain for building the page (wasm target, Trunk, wasm-bindgen)
#   scripts/setup.sh test    the above plus rustfmt/clippy, Debian's Chromium + chromedriver,
#                            and the browser tests' npm packages
# Nothing is downloaded from outside the package registries: Trunk runs --offline and finds
# its tools on PATH at the versions pinned here and in Trunk.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-build}"

TRUNK_VERSION="0.21.14"
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or the page will not load.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*" >&2; }

# The patched GlueSQL and sqlparser must exist before cargo can resolve the workspace.
scripts/patch-crates.sh

if ! grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  say "Trunk.toml [tools] wasm_bindgen must be $WASM_BINDGEN_VERSION (the locked version)"
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: that release's lockfile names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$mode" = "test" ]; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      rustup component add "$component"
    fi
  done
  # Chromium for the browser tests; a Hangul font so screenshots show Korean as a learner sees it.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! fc-list 2>/dev/null | grep -qi nanum; then
    say "installing Debian's chromium, chromium-driver and fonts-nanum"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver fonts-nanum >/dev/null
  fi
  lock_sum="$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)"
  if [ ! -f tests/browser/node_modules/.lock-sum ] || [ "$(cat tests/browser/node_modules/.lock-sum)" != "$lock_sum" ]; then
    say "installing the browser tests' npm packages"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" > tests/browser/node_modules/.lock-sum
  fi
fi
