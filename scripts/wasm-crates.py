#!/usr/bin/env python3
"""Sums a wasm's code by crate from `twiggy top -f csv` (a build with function names, the
`wasm-analyze` profile): where the bytes go, per crate. Used by scripts/wasm-sizes.sh."""
import collections
import csv
import re
import sys

agg = collections.Counter()
total = 0
for row in csv.DictReader(open(sys.argv[1])):
    name, size = row["Name"], int(row["ShallowSize"])
    total += size
    if name.startswith(('"', "custom section")):
        continue  # names, debug info and bindgen's section are stripped from the real build
    if name.startswith("data segment"):
        agg["(data: strings and tables)"] += size
        continue
    crates = re.findall(r"(?:^|[<\s&(])([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
    crate = crates[0] if crates else "(unnamed)"
    if crate in ("impl", "core", "alloc", "std"):
        # `<T as core::fmt::Display>::fmt` counts for T's crate when T is named.
        others = [c for c in crates if c not in ("impl", "core", "alloc", "std")]
        crate = others[0] if others else crate
    agg[crate] += size
code = sum(agg.values())
print(f"| crate | KiB | share |\n|---|---:|---:|")
for crate, size in agg.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 20):
    print(f"| {crate} | {size / 1024:.0f} | {100 * size / code:.0f}% |")
print(f"| **code and data** | **{code / 1024:.0f}** | |")
