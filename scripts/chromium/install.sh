#!/usr/bin/env bash
# Installs headless Chromium from Debian's packages for the admin status page test
# (test/e2e/status-page-browser.test.ts opens the page with --headless --dump-dom). Idempotent:
# does nothing when chromium is already on PATH. Needs root (or sudo).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install.sh: must run as root (or with sudo available)" >&2
    exit 1
  fi
fi

# env: sudo would drop an exported DEBIAN_FRONTEND.
APT=($SUDO env DEBIAN_FRONTEND=noninteractive apt-get)
"${APT[@]}" update -qq
# --no-install-recommends: the browser and its libraries, not fonts and desktop extras.
"${APT[@]}" install -y -qq --no-install-recommends --no-upgrade chromium

echo "chromium installed: $(chromium --version 2>/dev/null || echo chromium)"
