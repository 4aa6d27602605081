#!/usr/bin/env bash
# Installs rclone and s3cmd from Debian's packages for test/e2e/rclone-and-s3cmd.test.ts: two S3
# clients operators point at the proxy to sync and list a block (README "Listing a block like a
# bucket"). Idempotent: does nothing when both are on PATH. Needs root (or sudo).
set -euo pipefail

if command -v rclone >/dev/null 2>&1 && command -v s3cmd >/dev/null 2>&1; then
  echo "rclone and s3cmd already installed: $(rclone version 2>/dev/null | head -n1), s3cmd $(s3cmd --version 2>/dev/null | awk '{print $3}')"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
apt_install rclone s3cmd

echo "rclone and s3cmd installed: $(rclone version 2>/dev/null | head -n1), s3cmd $(s3cmd --version 2>/dev/null | awk '{print $3}')"
