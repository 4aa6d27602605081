#!/usr/bin/env bash
# Stops a test cluster started by scripts/rgw/start.sh and removes its STATE_DIR.
# Order: watchdog, radosgw, OSD, mon (radosgw must go before the OSD, or its shutdown blocks on
# I/O to a dead OSD). Each gets SIGTERM, then SIGKILL after a bound. Safe to call twice and on a
# missing/half-started STATE_DIR. RGW_KEEP_STATE=1 stops the daemons but keeps STATE_DIR.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 STATE_DIR" >&2
  exit 2
fi
[ -d "$1" ] || exit 0
STATE="$(cd "$1" 2>/dev/null && pwd)" || exit 0 # removed meanwhile by a concurrent stop.sh
CONF="$STATE/ceph.conf"
GRACE="${RGW_STOP_GRACE:-10}" # seconds between SIGTERM and SIGKILL

# True when PID is alive and really belongs to this cluster (guards against PID reuse: every
# process we start has this cluster's ceph.conf or state dir on its command line).
ours() {
  local pid="$1"
  [ -n "$pid" ] && [ "$pid" != "$$" ] && [ -r "/proc/$pid/cmdline" ] \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STATE"
}

# Stop a set of PIDs: SIGTERM, wait up to GRACE seconds, then SIGKILL.
stop_pids() {
  local pids=() pid i
  for pid in "$@"; do ours "$pid" && pids+=("$pid"); done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < GRACE * 10; i++)); do
    local alive=()
    for pid in "${pids[@]}"; do ours "$pid" && alive+=("$pid"); done
    [ ${#alive[@]} -gt 0 ] || return 0
    pids=("${alive[@]}")
    sleep 0.1
  done
  echo "stop.sh: SIGKILL ${pids[*]} (no exit within ${GRACE}s)" >&2
  kill -KILL "${pids[@]}" 2>/dev/null || true
  sleep 0.1
}

pidof_file() { cat "$STATE/run/$1.pid" 2>/dev/null || true; }

stop_pids "$(pidof_file watchdog)"
stop_pids "$(pidof_file client.rgw)"
osd_pids=()
for f in "$STATE"/run/osd.*.pid; do
  [ -e "$f" ] && osd_pids+=("$(cat "$f" 2>/dev/null || true)")
done
stop_pids "${osd_pids[@]}"
stop_pids "$(pidof_file mon.a)"

# Anything else still running on this cluster's config (a start.sh killed half-way before it
# wrote a PID file, a stuck ceph/radosgw-admin CLI): matched by this state dir only.
if [ -f "$CONF" ]; then
  mapfile -t rest < <(pgrep -f -- "-c $CONF" || true)
  [ ${#rest[@]} -eq 0 ] || stop_pids "${rest[@]}"
fi

if [ "${RGW_KEEP_STATE:-}" != "1" ]; then
  # A concurrent stop.sh (e.g. the watchdog) may be deleting the same tree: retry once.
  rm -rf -- "$STATE" 2>/dev/null || rm -rf -- "$STATE"
fi
