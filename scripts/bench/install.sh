#!/usr/bin/env bash
# Tools the benchmark harness needs (bench/README.md): nginx (static origin and the reference
# proxy), Traffic Server 9.2 with its s3_auth plugin (the signing reference), wrk (load), curl
# (single downloads), taskset and setpriv (util-linux: pin processes to cores, stop servers
# should the harness die), valgrind (callgrind: the instruction counts). Debian packages; idempotent.
set -euo pipefail
need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
{ command -v taskset >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; } || need+=(util-linux)
command -v curl >/dev/null 2>&1 || need+=(curl)
{ command -v valgrind >/dev/null 2>&1 && command -v callgrind_control >/dev/null 2>&1; } || need+=(valgrind)
# trafficserver: /usr/bin/traffic_server and /usr/lib/trafficserver/modules/s3_auth.so.
{ command -v traffic_server >/dev/null 2>&1 && [ -e /usr/lib/trafficserver/modules/s3_auth.so ]; } || need+=(trafficserver)
if [ ${#need[@]} -eq 0 ]; then echo "bench tools already installed"; exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# policy-rc.d 101: the packages' postinst must not start system nginx / Traffic Server services
# (the harness runs its own private instances on free loopback ports).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
