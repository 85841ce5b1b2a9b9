#!/usr/bin/env bash
# Prepares the patched crates that Cargo.toml's [patch.crates-io] points at.
#
# Each crate comes from crates.io (checked against its published sha256), is unpacked under
# .patched/ (ignored by git: no upstream source is committed here), and gets its patch from
# patches/: character-correct string functions and no panics on learner input. See
# patches/README.md. Idempotent: does nothing when every patch is already applied.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'patch-crates: %s\n' "$*" >&2; }

prepare() {
  local name="$1" version="$2" sha256="$3"
  local patch="patches/$name-$version.patch" dest=".patched/$name-$version"
  local patch_sum
  patch_sum="$(sha256sum "$patch" | cut -d' ' -f1)"
  if [ -f "$dest/.sqlnori-patch-sum" ] && [ "$(cat "$dest/.sqlnori-patch-sum")" = "$patch_sum" ]; then
    return 0
  fi
  local work crate cached
  work="$(mktemp -d)"
  crate="$work/$name-$version.crate"
  cached="$(ls "$HOME"/.cargo/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1 || true)"
  if [ -n "$cached" ]; then
    cp "$cached" "$crate"
  else
    say "downloading $name $version from crates.io"
    curl -sSfL --retry 3 -o "$crate" "https://static.crates.io/crates/$name/$name-$version.crate"
  fi
  echo "$sha256  $crate" | sha256sum -c --quiet -
  tar -xzf "$crate" -C "$work"
  (cd "$work/$name-$version" && patch -p1 --quiet --forward < "$OLDPWD/$patch")
  echo "$patch_sum" > "$work/$name-$version/.sqlnori-patch-sum"
  rm -rf "$dest"
  mkdir -p .patched
  mv "$work/$name-$version" "$dest"
  rm -rf "$work"
  say "applied $patch to $dest"
}

prepare gluesql-core 0.20.0 7156a8881f2d54bfbc0c49b8091c179d59e88c940075b4cf8011c70fdda5087d
prepare sqlparser 0.52.0 9a875d8cd437cc8a97e9aeaeea352ec9a19aea99c23e9effb17757291de80b08
prepare gluesql_memory_storage 0.20.0 6882603ba8d6292e8b64cd42ad2b246cd144ecf880de4bc48173c59c3b22813b
