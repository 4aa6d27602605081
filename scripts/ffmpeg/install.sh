#!/usr/bin/env bash
# Installs ffmpeg (and ffprobe, same package) from Debian's packages for the ingest tests
# (test/e2e/ffmpeg-*.test.ts, test/rgw/ffmpeg-*.test.ts: a real encoder pushing HLS through the
# proxy). Idempotent: does nothing when ffmpeg and ffprobe are already on PATH. Needs root (or
# sudo). Debian 12 ships ffmpeg 5.1 with libx264.
set -euo pipefail

if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  echo "ffmpeg already installed: $(ffmpeg -version 2>/dev/null | head -n1 || echo ffmpeg)"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
# --no-install-recommends: the encoder and its libraries, not the desktop extras.
apt_install ffmpeg

echo "ffmpeg installed: $(ffmpeg -version 2>/dev/null | head -n1 || echo ffmpeg)"
