#!/usr/bin/env bash
# Client CPU per call against ONE govmomi vcsim: Login → SessionIsActive → Logout, N cycles
# (3N calls), with
#   1. this SDK over SOAP   (sdk-tests/benches/client_loop.rs, built with `cargo bench --no-run`)
#   2. govmomi's Go client  (benches/peers/govmomi_loop.go, Debian golang-github-vmware-govmomi-dev)
#   3. pyvmomi from PyPI    (benches/peers/pyvmomi_loop.py, in a venv under target/)
# Each program reads its own CPU time (user + sys, getrusage(RUSAGE_SELF)) right before and
# after its loop, so process start-up, imports and the bootstrap call are excluded.
#
# Usage: benches/peers/run.sh            (from anywhere; N=300 cycles, RUNS=3 rounds)
#        N=500 RUNS=5 benches/peers/run.sh
# The rounds are interleaved (rust, go, python, rust, go, python, …) against the same vcsim;
# the table shows the median and [min max] over the rounds.
# Installs what it needs: golang-go, golang-github-vmware-govmomi-dev (and python3-venv if
# `python3 -m venv` does not work) with apt-get; pyvmomi with pip into target/bench-peers/venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${N:-300}"
RUNS="${RUNS:-3}"
OUT="$ROOT/target/bench-peers"
mkdir -p "$OUT"
cd "$ROOT"

log() { printf '== %s\n' "$*" >&2; }

# --- what the script needs ------------------------------------------------------------
apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -q >&2
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}
missing=()
[ -x /usr/bin/go ] || command -v go >/dev/null || missing+=(golang-go)
[ -f /usr/share/gocode/src/github.com/vmware/govmomi/session/manager.go ] ||
    missing+=(golang-github-vmware-govmomi-dev)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt_install "${missing[@]}"
fi

GO_ENV=(GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= CGO_ENABLED=0 GOCACHE="$OUT/gocache")

# --- build ----------------------------------------------------------------------------
log "building vcsim (xtask/vcsim/main.go) and govmomi_loop"
env "${GO_ENV[@]}" go build -o "$OUT/vcsim" xtask/vcsim/main.go
env "${GO_ENV[@]}" go build -o "$OUT/govmomi_loop" benches/peers/govmomi_loop.go

log "building the SDK loop (cargo bench -p vsphere-tests --bench client_loop --no-run)"
RUST_LOOP="$(cargo bench -p vsphere-tests --bench client_loop --no-run --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "client_loop" and m.get("executable"):
        print(m["executable"])
')"
[ -x "$RUST_LOOP" ] || { echo "cannot find the client_loop binary" >&2; exit 1; }

VENV="$OUT/venv"
if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    if ! python3 -m venv "$VENV" >&2; then
        rm -rf "$VENV"
        apt_install python3-venv
        python3 -m venv "$VENV" >&2
    fi
fi
if ! "$VENV/bin/python" -c 'import pyVmomi' 2>/dev/null; then
    log "pip install pyvmomi"
    "$VENV/bin/pip" install -q pyvmomi >&2
fi
PYVMOMI_VERSION="$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("pyvmomi"))')"
GOVMOMI_VERSION="$(dpkg-query -W -f='${Version}' golang-github-vmware-govmomi-dev 2>/dev/null || echo '?')"

# --- one vcsim for every run ----------------------------------------------------------
coproc VCSIM { exec "$OUT/vcsim" 2>"$OUT/vcsim.log"; }
VCSIM_IN="${VCSIM[1]}"
stop_vcsim() {
    # vcsim exits when its stdin closes.
    if [ -n "${VCSIM_PID:-}" ]; then
        eval "exec ${VCSIM_IN}>&-" 2>/dev/null || true
        wait "$VCSIM_PID" 2>/dev/null || true
    fi
}
trap stop_vcsim EXIT
if ! read -r -t 60 -u "${VCSIM[0]}" URL || [[ "$URL" != http* ]]; then
    echo "vcsim printed no URL; its log:" >&2
    cat "$OUT/vcsim.log" >&2
    exit 1
fi
log "vcsim at $URL; N=$N cycles (3N=$((3 * N)) calls) per run, $RUNS rounds"
log "load before: $(cat /proc/loadavg)"

RESULTS="$OUT/results.txt"
: >"$RESULTS"
for round in $(seq 1 "$RUNS"); do
    BENCH_URL="$URL" BENCH_N="$N" "$RUST_LOOP" | tee -a "$RESULTS" >&2
    "$OUT/govmomi_loop" "$URL" "$N" | tee -a "$RESULTS" >&2
    "$VENV/bin/python" benches/peers/pyvmomi_loop.py "$URL" "$N" | tee -a "$RESULTS" >&2
done
log "load after:  $(cat /proc/loadavg)"

# --- table ----------------------------------------------------------------------------
python3 - "$RESULTS" "$PYVMOMI_VERSION" "$GOVMOMI_VERSION" <<'PY'
import re, shlex, statistics, sys

results, pyvmomi_version, govmomi_version = sys.argv[1:4]
runs = {}
for line in open(results):
    if not line.startswith("RESULT "):
        continue
    fields = dict(kv.split("=", 1) for kv in shlex.split(line[len("RESULT "):]))
    calls = int(fields["calls"])
    cpu = (float(fields["user_s"]) + float(fields["sys_s"])) / calls * 1e6
    user = float(fields["user_s"]) / calls * 1e6
    sys_ = float(fields["sys_s"]) / calls * 1e6
    wall = float(fields["wall_s"]) / calls * 1e6
    runs.setdefault(fields["impl"], []).append((cpu, user, sys_, wall, calls))

names = {
    "govmomi (SOAP)": f"govmomi (SOAP) {govmomi_version}",
    "pyvmomi (SOAP)": f"pyvmomi (SOAP) {pyvmomi_version}",
}
base = statistics.median(r[0] for r in runs.get("vsphere-rs (SOAP)", [(float("nan"),)]))
print()
print("client CPU per call (user+sys, µs), median [min max] over %d runs; Login/SessionIsActive/Logout"
      % max(len(v) for v in runs.values()))
print()
print("| client | calls/run | CPU/call µs | [min max] | user µs | sys µs | wall/call µs | CPU vs vsphere-rs |")
print("|---|---:|---:|---|---:|---:|---:|---:|")
for impl, rs in runs.items():
    cpu = [r[0] for r in rs]
    med = statistics.median(cpu)
    print("| %s | %d | %.1f | [%.1f %.1f] | %.1f | %.1f | %.1f | %.2f× |" % (
        names.get(impl, impl), rs[0][4], med, min(cpu), max(cpu),
        statistics.median(r[1] for r in rs), statistics.median(r[2] for r in rs),
        statistics.median(r[3] for r in rs), med / base))
PY
