#!/usr/bin/env bash
# Regenerates patches/<crate>-<version>.patch from the edited sources under .patched/:
# a unified diff against the pristine crates.io release (checked by sha256, as patch-crates.sh
# checks it). Usage: scripts/diff-patch.sh gluesql-core 0.20.0
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1" version="$2"
sha256="$(awk -v n="$name" -v v="$version" '$1 == "prepare" && $2 == n && $3 == v { print $4 }' scripts/patch-crates.sh)"
[ -n "$sha256" ] || { echo "diff-patch: $name $version is not listed in scripts/patch-crates.sh" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -sSfL --retry 3 -o "$work/c.crate" "https://static.crates.io/crates/$name/$name-$version.crate"
echo "$sha256  $work/c.crate" | sha256sum -c --quiet -
mkdir -p "$work/a" "$work/b"
tar -xzf "$work/c.crate" -C "$work/a" --strip-components=1
cp -r ".patched/$name-$version/." "$work/b/"
rm -f "$work/b/.sqlnori-patch-sum"
# git diff --no-index names the two trees a/a/… and b/b/…; patch -p1 wants paths inside the crate.
(cd "$work" && git diff --no-index a b || true) |
  sed -e 's#^diff --git a/a/\(.*\) b/b/#diff --git a/\1 b/#' -e 's#^--- a/a/#--- a/#' -e 's#^+++ b/b/#+++ b/#' \
  > "patches/$name-$version.patch"
echo "diff-patch: wrote patches/$name-$version.patch" >&2
