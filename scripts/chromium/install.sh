#!/usr/bin/env bash
# Installs headless Chromium from Debian's packages for the admin status page test
# (test/e2e/ops-status-page-browser.test.ts opens the page with --headless --dump-dom). Idempotent:
# does nothing when chromium is already on PATH. Needs root (or sudo).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
# --no-install-recommends: the browser and its libraries, not fonts and desktop extras.
apt_install chromium

echo "chromium installed: $(chromium --version 2>/dev/null || echo chromium)"
