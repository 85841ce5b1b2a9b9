# Sourced by every script that builds for wasm32 (test, build, serve, bench, wasm-sizes).
# The page's bytes must not depend on where the checkout or the cargo home lives: panic
# locations embed source paths, so a clone in a longer path used to weigh a few hundred bytes
# more and could cross the first-visit budget. Remapping both prefixes makes the wasm the same
# wherever it is built. The variable applies to wasm32 builds only, so native builds (and their
# cache) are untouched; clippy for wasm32 sees the same flags, so it shares the build's cache.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$PWD=/sqlnori --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
