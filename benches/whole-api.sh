#!/usr/bin/env bash
# The whole-API figures of BENCHMARKS.md §4, side by side in one run, on a clone of the
# committed repository (whose crate is the whole API):
#   1. `cargo xtask regenerate` over all doc sets (xtask built first; best of 3 runs)
#   2. sizes of generated/src and generated/model
#   3. a clean debug `cargo build -p vsphere` (deps included, empty target dir)
#   4. the same with only the features VirtualMachine, PropertyCollector, ContainerView, Task
#   5. the anchor: `vim_rs` 0.7.0 built the same way in a scratch crate
# Wall time and peak RSS come from `/usr/bin/time -v`. Works in scratch folders under
# target/bench-whole/ and leaves the repository as it was.
# Usage: benches/whole-api.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/bench-whole"
rm -rf "$OUT"
mkdir -p "$OUT"

# What the time report says about one build: wall clock and peak RSS.
summary() {
    grep -E 'Elapsed \(wall clock\)|Maximum resident set size|Exit status' "$1" | sed 's/^\s*/  /'
}

git clone -q "$ROOT" "$OUT/repo"
ln -sfn "$(cd "$ROOT/.." && pwd)/shared" "$OUT/shared"

# 1. Regeneration, with the xtask binary built beforehand.
(cd "$OUT/repo" && CARGO_TARGET_DIR="$OUT/xtask-target" cargo build -q --release -p xtask)
for run in 1 2 3; do
    (cd "$OUT/repo" && /usr/bin/time -f "regenerate run $run: %e s wall, %U s user, %M KB peak" \
        "$OUT/xtask-target/release/xtask" regenerate 2>&1 | grep -E '^regenerate run|full model')
done

# 2. Sizes.
echo "generated/src: $(find "$OUT/repo/generated/src" -name '*.rs' | xargs cat | wc -l) lines, $(du -sh "$OUT/repo/generated/src" | cut -f1), $(find "$OUT/repo/generated/src" -name '*.rs' | wc -l) files"
echo "generated/model: $(du -sh "$OUT/repo/generated/model" | cut -f1), $(ls "$OUT/repo/generated/model" | wc -l) files"

# 3. and 4. Clean builds of the whole crate and of a feature subset.
(cd "$OUT/repo" && cargo fetch -q)
echo "== cargo build -p vsphere (whole API), load before: $(cat /proc/loadavg)"
(cd "$OUT/repo" && CARGO_TARGET_DIR="$OUT/vsphere-target" /usr/bin/time -v cargo build -q -p vsphere) \
    >"$OUT/vsphere.txt" 2>&1 || true
summary "$OUT/vsphere.txt"
FEATURES="VirtualMachine,PropertyCollector,ContainerView,Task"
echo "== cargo build -p vsphere --no-default-features --features $FEATURES, load before: $(cat /proc/loadavg)"
(cd "$OUT/repo" && CARGO_TARGET_DIR="$OUT/subset-target" /usr/bin/time -v \
    cargo build -q -p vsphere --no-default-features --features "$FEATURES") \
    >"$OUT/subset.txt" 2>&1 || true
summary "$OUT/subset.txt"

# 5. vim_rs 0.7.0, the same way.
mkdir -p "$OUT/vimrs/src"
cat >"$OUT/vimrs/Cargo.toml" <<'TOML'
[package]
name = "vimrs-anchor"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
vim_rs = "=0.7.0"

[workspace]
TOML
echo 'fn main() {}' >"$OUT/vimrs/src/main.rs"
(cd "$OUT/vimrs" && cargo fetch -q)
echo "== cargo build -p vim_rs (0.7.0), load before: $(cat /proc/loadavg)"
(cd "$OUT/vimrs" && CARGO_TARGET_DIR="$OUT/vimrs-target" /usr/bin/time -v cargo build -q -p vim_rs) \
    >"$OUT/vimrs.txt" 2>&1 || true
summary "$OUT/vimrs.txt"
