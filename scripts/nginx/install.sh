#!/usr/bin/env bash
# Installs nginx from Debian's packages for the fleet routing test
# (test/e2e/fleet-consistent-hash.test.ts runs deploy/nginx/consistent-hash.conf in a private
# nginx on a free loopback port). Idempotent: does nothing when nginx is already installed (on
# PATH or in /usr/sbin). Needs root (or sudo).
set -euo pipefail

nginx_bin="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
if [ -x "$nginx_bin" ]; then
  echo "nginx already installed: $("$nginx_bin" -v 2>&1)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
# The package's postinst would start a system-wide nginx on port 80: the tests never use one
# (they start their own), so services are not started while it installs (policy-rc.d: 101).
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
# nginx: Debian's default flavour (12: nginx-core through the nginx metapackage; 13: nginx). The
# test needs only modules every flavour has (upstream hash and keepalive, map, proxy).
apt_install nginx
echo "nginx installed: $(/usr/sbin/nginx -v 2>&1)"
