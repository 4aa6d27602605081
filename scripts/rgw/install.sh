#!/usr/bin/env bash
# Installs the Debian packages needed to run a one-node Ceph cluster with radosgw (Ceph RGW) for
# the test suite (see scripts/rgw/start.sh). Idempotent: does nothing when radosgw, ceph-mon,
# ceph-osd (and curl) are already on PATH. Needs root (or sudo). Debian 12 ships Ceph 16 (Pacific).
set -euo pipefail

if command -v radosgw >/dev/null 2>&1 \
  && command -v ceph-mon >/dev/null 2>&1 \
  && command -v ceph-osd >/dev/null 2>&1 \
  && command -v curl >/dev/null 2>&1; then
  echo "Ceph RGW already installed: $(radosgw --version 2>/dev/null | head -n1 || echo radosgw)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
# radosgw      - the S3 gateway
# ceph-mon     - the monitor (cluster map)
# ceph-osd     - the object store daemon (runs with memstore, no disks)
# ceph-common  - ceph / radosgw-admin / monmaptool CLIs
# curl         - start.sh polls the gateway's HTTP port with it (present on most CI images)
# --no-upgrade: leave packages that are already installed (e.g. curl) alone.
# (uuids come from /proc/sys/kernel/random/uuid and free ports from node: nothing else needed)
apt_install radosgw ceph-mon ceph-osd ceph-common curl

# The packages ship systemd units for a system-wide cluster "ceph" (not started: no config in
# /etc/ceph). The tests never use it: start.sh keeps everything under a private state dir.
echo "Ceph RGW installed: $(radosgw --version 2>/dev/null | head -n1 || echo radosgw)"
