#!/usr/bin/env bash
# The whole-API figures of BENCHMARKS.md §4, side by side in one run:
#   1. the crate with every managed object of the stored model selected: emitted lines and
#      size, and a clean debug `cargo build -p vsphere` (deps included, empty target dir)
#   2. the anchor: `vim_rs` 0.7.0 built the same way in a scratch crate
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

# 1. Our crate with the whole API selected, in a clone (its `../shared` is ours).
git clone -q "$ROOT" "$OUT/repo"
ln -sfn "$(cd "$ROOT/.." && pwd)/shared" "$OUT/shared"
python3 - "$OUT/repo" <<'EOF'
import glob, re, sys
repo = sys.argv[1]
names = []
for path in sorted(glob.glob(f"{repo}/generated/model/*.yaml")):
    section = None
    for line in open(path):
        if re.match(r"^[a-z_]+:", line):
            section = line.split(":")[0]
        elif section == "managed_objects" and line.startswith("- name: "):
            names.append(line[len("- name: "):].strip())
sdk = open(f"{repo}/spec/sdk.yaml").read()
head = sdk[: sdk.index("\nmanaged_objects:")]
body = "".join(f"  - name: {n}\n" for n in names)
open(f"{repo}/spec/sdk.yaml", "w").write(f"{head}\nmanaged_objects:\n{body}")
print(f"managed objects selected: {len(names)}")
EOF
(cd "$OUT/repo" && CARGO_TARGET_DIR="$OUT/xtask-target" cargo run -q --release -p xtask -- regenerate 2>&1 |
    grep 'full model')
echo "emitted: $(cat "$OUT"/repo/generated/src/*.rs | wc -l) lines, $(du -sh "$OUT/repo/generated/src" | cut -f1)"
echo "== cargo build -p vsphere (whole API), load before: $(cat /proc/loadavg)"
(cd "$OUT/repo" && CARGO_TARGET_DIR="$OUT/vsphere-target" /usr/bin/time -v cargo build -q -p vsphere) \
    >"$OUT/vsphere.txt" 2>&1 || true
summary "$OUT/vsphere.txt"

# 2. vim_rs 0.7.0, the same way.
mkdir -p "$OUT/vimrs/src"
cat >"$OUT/vimrs/Cargo.toml" <<'EOF'
[package]
name = "vimrs-anchor"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
vim_rs = "=0.7.0"

[workspace]
EOF
echo 'fn main() {}' >"$OUT/vimrs/src/main.rs"
(cd "$OUT/vimrs" && cargo fetch -q)
echo "== cargo build -p vim_rs (0.7.0), load before: $(cat /proc/loadavg)"
(cd "$OUT/vimrs" && CARGO_TARGET_DIR="$OUT/vimrs-target" /usr/bin/time -v cargo build -q -p vim_rs) \
    >"$OUT/vimrs.txt" 2>&1 || true
summary "$OUT/vimrs.txt"
