#!/usr/bin/env bash
# Installs rclone, s3cmd and the AWS CLI v2 from Debian's packages for
# test/e2e/rclone-and-s3cmd.test.ts and test/e2e/aws-cli.test.ts: S3 clients operators point at the
# proxy to sync and list a block (README "Listing a block like a bucket"). Idempotent: does nothing
# when all three are there (the AWS CLI as /usr/bin/aws: a pip-installed one elsewhere on PATH is
# not Debian's v2). Needs root (or sudo).
set -euo pipefail

versions() {
  echo "$(rclone version 2>/dev/null | head -n1), s3cmd $(s3cmd --version 2>/dev/null | awk '{print $3}'), $(/usr/bin/aws --version 2>/dev/null | awk '{print $1}')"
}

if command -v rclone >/dev/null 2>&1 && command -v s3cmd >/dev/null 2>&1 && [ -x /usr/bin/aws ]; then
  echo "S3 clients already installed: $(versions)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
apt_install rclone s3cmd awscli

echo "S3 clients installed: $(versions)"
