#!/usr/bin/env bash
# Every figure of BENCHMARKS.md in one run, one after the other on this machine:
#   1. generator: parse_docset, read_parse_docset, regenerate   (criterion), and the
#      `cargo xtask regenerate` command itself, as a process     (hyperfine)
#   2. decoding 10,000 UserSessions, VI/JSON and SOAP            (criterion)
#   3. client CPU per call against one vcsim: this SDK, govmomi, pyvmomi (benches/peers/run.sh)
#   4. the whole-API crate's clean build beside vim_rs 0.7.0's       (benches/whole-api.sh)
#   5. listing 1,000 VMs through a view: this SDK, govmomi, pyvmomi  (benches/peers/list-vms.sh)
# Usage: benches/run-all.sh               (N=300 cycles, RUNS=5 rounds for the peers;
#                                          R=20 listings per round for part 5)
# Prints the machine, the load before and after each part, and criterion's estimates;
# the whole output is kept in target/bench-all/report.txt.
set -euo pipefail

if ! command -v hyperfine >/dev/null; then
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends hyperfine >&2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/bench-all"
mkdir -p "$OUT"
cd "$ROOT"
export N="${N:-300}" RUNS="${RUNS:-5}" R="${R:-20}"

{
    echo "== machine"
    date -u '+date: %Y-%m-%d %H:%M:%S UTC'
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel: $(uname -sr)"
    echo "rustc: $(rustc --version)"
    echo "tree: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo ' (with uncommitted changes)')"

    # Build everything first so that no compile runs while anything is timed.
    cargo bench -p generator --bench generator --no-run -q 2>/dev/null
    cargo bench -p vsphere-tests --bench decode --bench client_loop --no-run -q 2>/dev/null
    cargo bench -p vsphere-helpers --bench list_vms --no-run -q 2>/dev/null
    cargo build -q --release -p xtask

    for part in "generator --bench generator" "vsphere-tests --bench decode"; do
        echo
        echo "== cargo bench -p $part"
        echo "load before: $(cat /proc/loadavg)"
        # shellcheck disable=SC2086
        cargo bench -q -p $part -- --noplot 2>&1 |
            grep -E '^(generator|decode|parse_docset)|time:|thrpt:' | grep -v '%'
        echo "load after: $(cat /proc/loadavg)"
    done

    echo
    echo "== cargo xtask regenerate, as a process (the command, and its binary without cargo)"
    echo "load before: $(cat /proc/loadavg)"
    hyperfine -N --style basic --warmup 3 --runs 20 'cargo xtask regenerate' \
        'target/release/xtask regenerate' 2>&1 | grep -vE '^ *$|Warning|quiet PC'
    echo "load after: $(cat /proc/loadavg)"

    echo
    echo "== benches/peers/run.sh (N=$N, RUNS=$RUNS)"
    benches/peers/run.sh 2>&1

    echo
    echo "== benches/whole-api.sh"
    benches/whole-api.sh 2>&1

    echo
    echo "== benches/peers/list-vms.sh (R=$R, RUNS=$RUNS)"
    benches/peers/list-vms.sh 2>&1
} 2>&1 | tee "$OUT/report.txt"
