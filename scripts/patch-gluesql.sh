#!/usr/bin/env bash
# Prepares the patched gluesql-core that Cargo.toml's [patch.crates-io] points at.
#
# The crate comes from crates.io (checked against its published sha256), is unpacked under
# .patched/ (ignored by git: GlueSQL's source is never committed here), and gets
# patches/gluesql-core-0.20.0.patch: character-correct string functions and no panics on
# learner input. See patches/README.md. Idempotent: does nothing when the patch is applied.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME="gluesql-core"
VERSION="0.20.0"
SHA256="7156a8881f2d54bfbc0c49b8091c179d59e88c940075b4cf8011c70fdda5087d"
PATCH="patches/$NAME-$VERSION.patch"
DEST=".patched/$NAME-$VERSION"

patch_sum="$(sha256sum "$PATCH" | cut -d' ' -f1)"
if [ -f "$DEST/.sqlnori-patch-sum" ] && [ "$(cat "$DEST/.sqlnori-patch-sum")" = "$patch_sum" ]; then
  exit 0
fi

say() { printf 'patch-gluesql: %s\n' "$*" >&2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

crate="$work/$NAME-$VERSION.crate"
cached="$(ls "$HOME"/.cargo/registry/cache/*/"$NAME-$VERSION.crate" 2>/dev/null | head -n1 || true)"
if [ -n "$cached" ]; then
  cp "$cached" "$crate"
else
  say "downloading $NAME $VERSION from crates.io"
  curl -sSfL --retry 3 -o "$crate" "https://static.crates.io/crates/$NAME/$NAME-$VERSION.crate"
fi
echo "$SHA256  $crate" | sha256sum -c --quiet -

tar -xzf "$crate" -C "$work"
(cd "$work/$NAME-$VERSION" && patch -p1 --quiet --forward < "$OLDPWD/$PATCH")
echo "$patch_sum" > "$work/$NAME-$VERSION/.sqlnori-patch-sum"
rm -rf "$DEST"
mkdir -p .patched
mv "$work/$NAME-$VERSION" "$DEST"
say "applied $PATCH to $DEST"
