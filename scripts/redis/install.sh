#!/usr/bin/env bash
# Installs redis-server from Debian's packages for the shared-tier tests (test/e2e/shared-tier-*,
# README "Shield cache → Shared tier"): each test starts its own redis-server on a free port with
# no persistence (test/support/redis.ts); the system-wide service is never used. Idempotent: does
# nothing when redis-server is already on PATH. Needs root (or sudo).
set -euo pipefail

if command -v redis-server >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
  echo "redis-server already installed: $(redis-server --version 2>/dev/null | head -n1 || echo redis-server)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
# redis-server - the server (built with TLS; redis-tools, its CLI, comes with it as a dependency)
# openssl      - the TLS test makes its own CA and server certificate with it
apt_install redis-server openssl

# The package starts (or enables) a system-wide redis on port 6379 where systemd runs; the tests
# never use it, they start their own on free ports.
echo "redis-server installed: $(redis-server --version 2>/dev/null | head -n1 || echo redis-server)"
