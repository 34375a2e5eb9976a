#!/usr/bin/env bash
# Listing ~1,000 VMs through a view, against ONE govmomi vcsim, with
#   1. this SDK over SOAP   (helpers/benches/list_vms.rs, vsphere-helpers' View, built with
#                            `cargo bench --no-run`)
#   2. govmomi's Go client  (benches/peers/govmomi_list.go, Debian golang-github-vmware-govmomi-dev)
#   3. pyvmomi from PyPI    (benches/peers/pyvmomi_list.py, in the venv run.sh uses)
# One listing = CreateContainerView(rootFolder, [VirtualMachine], recursive) → the
# name, runtime.powerState and config.hardware.memoryMB of every VM in it (RetrievePropertiesEx
# + ContinueRetrievePropertiesEx while paged; govmomi 0.24: RetrieveProperties) → DestroyView,
# each checked for the expected number of VMs. Each program does one untimed listing, then
# reads its own CPU time (user + sys, getrusage(RUSAGE_SELF)) and the wall clock right
# before and after R timed listings, so start-up, imports, login and the first listing are
# excluded.
#
# Usage: benches/peers/list-vms.sh                 (from anywhere; R=20 listings, RUNS=5 rounds)
#        R=30 RUNS=7 benches/peers/list-vms.sh
#        VCSIM_MACHINE=50 benches/peers/list-vms.sh  (VMs per standalone host and per cluster:
#                                                     the VPX model has one of each, so the
#                                                     default 500 makes 1,000 VMs)
# The rounds are interleaved (rust, go, python, rust, go, python, …) against the same vcsim;
# the table shows the median and [min max] over the rounds of the per-listing figures.
# Installs what it needs: golang-go, golang-github-vmware-govmomi-dev (and python3-venv if
# `python3 -m venv` does not work) with apt-get; pyvmomi with pip into target/bench-peers/venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
R="${R:-20}"
RUNS="${RUNS:-5}"
export VCSIM_MACHINE="${VCSIM_MACHINE:-500}"
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
[ -f /usr/share/gocode/src/github.com/vmware/govmomi/view/container_view.go ] ||
    missing+=(golang-github-vmware-govmomi-dev)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt_install "${missing[@]}"
fi

GO_ENV=(GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= CGO_ENABLED=0 GOCACHE="$OUT/gocache")

# --- build ----------------------------------------------------------------------------
log "building vcsim (xtask/vcsim/main.go) and govmomi_list"
env "${GO_ENV[@]}" go build -o "$OUT/vcsim" xtask/vcsim/main.go
env "${GO_ENV[@]}" go build -o "$OUT/govmomi_list" benches/peers/govmomi_list.go

log "building the SDK listing (cargo bench -p vsphere-helpers --bench list_vms --no-run)"
RUST_LIST="$(cargo bench -p vsphere-helpers --bench list_vms --no-run --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "list_vms" and m.get("executable"):
        print(m["executable"])
')"
[ -x "$RUST_LIST" ] || { echo "cannot find the list_vms binary" >&2; exit 1; }

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
coproc VCSIM { exec "$OUT/vcsim" 2>"$OUT/vcsim-list.log"; }
VCSIM_IN="${VCSIM[1]}"
stop_vcsim() {
    # vcsim exits when its stdin closes.
    if [ -n "${VCSIM_PID:-}" ]; then
        eval "exec ${VCSIM_IN}>&-" 2>/dev/null || true
        wait "$VCSIM_PID" 2>/dev/null || true
    fi
}
trap stop_vcsim EXIT
if ! read -r -t 120 -u "${VCSIM[0]}" URL || [[ "$URL" != http* ]] ||
    ! read -r -t 10 -u "${VCSIM[0]}" MODEL || [[ "$MODEL" != model* ]]; then
    echo "vcsim printed no URL and model line; its log:" >&2
    cat "$OUT/vcsim-list.log" >&2
    exit 1
fi
# The model's counts → the VMs the VPX model places: Machine per standalone host and per
# cluster, in each datacenter.
count() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$MODEL"; }
VMS=$(($(count datacenter) * ($(count host) + $(count cluster)) * $(count machine)))
INVENTORY="$(sed -n 's/^vcsim: VCSIM_MACHINE=[0-9]*: \([0-9]*\) VMs in the inventory$/\1/p' "$OUT/vcsim-list.log")"
log "vcsim at $URL; $MODEL"
log "VMs: $VMS by the model's counts, ${INVENTORY:-?} in vcsim's inventory"
[ "$VMS" = "${INVENTORY:-$VMS}" ] || { echo "the model's counts and vcsim's inventory disagree" >&2; exit 1; }
log "R=$R listings per run, $RUNS rounds"
log "load before: $(cat /proc/loadavg)"

RESULTS="$OUT/list-results.txt"
: >"$RESULTS"
for round in $(seq 1 "$RUNS"); do
    BENCH_URL="$URL" BENCH_R="$R" BENCH_VMS="$VMS" "$RUST_LIST" | tee -a "$RESULTS" >&2
    "$OUT/govmomi_list" "$URL" "$R" "$VMS" | tee -a "$RESULTS" >&2
    "$VENV/bin/python" benches/peers/pyvmomi_list.py "$URL" "$R" "$VMS" | tee -a "$RESULTS" >&2
done
log "load after:  $(cat /proc/loadavg)"

# --- table ----------------------------------------------------------------------------
python3 - "$RESULTS" "$PYVMOMI_VERSION" "$GOVMOMI_VERSION" <<'PY'
import shlex, statistics, sys

results, pyvmomi_version, govmomi_version = sys.argv[1:4]
runs = {}
for line in open(results):
    if not line.startswith("RESULT "):
        continue
    fields = dict(kv.split("=", 1) for kv in shlex.split(line[len("RESULT "):]))
    n = int(fields["listings"])
    user = float(fields["user_s"]) / n * 1e3
    sys_ = float(fields["sys_s"]) / n * 1e3
    wall = float(fields["wall_s"]) / n * 1e3
    runs.setdefault(fields["impl"], []).append((wall, user + sys_, user, sys_, n, int(fields["vms"])))

names = {
    "govmomi (SOAP)": f"govmomi (SOAP) {govmomi_version}",
    "pyvmomi (SOAP)": f"pyvmomi (SOAP) {pyvmomi_version}",
}
base = statistics.median(r[1] for r in runs.get("vsphere-rs (SOAP)", [(0, float("nan"))]))
print()
print("per listing of every VM (view + RetrievePropertiesEx of 3 properties + DestroyView), "
      "ms, median [min max] over %d runs" % max(len(v) for v in runs.values()))
print()
print("| client | VMs | listings/run | wall ms | [min max] | CPU ms | [min max] | user ms | sys ms | CPU vs vsphere-rs |")
print("|---|---:|---:|---:|---|---:|---|---:|---:|---:|")
med = lambda xs: statistics.median(xs)
for impl, rs in runs.items():
    wall = [r[0] for r in rs]
    cpu = [r[1] for r in rs]
    print("| %s | %d | %d | %.1f | [%.1f %.1f] | %.2f | [%.2f %.2f] | %.2f | %.2f | %.2f× |" % (
        names.get(impl, impl), rs[0][5], rs[0][4], med(wall), min(wall), max(wall),
        med(cpu), min(cpu), max(cpu), med(r[2] for r in rs), med(r[3] for r in rs),
        med(cpu) / base))
PY
