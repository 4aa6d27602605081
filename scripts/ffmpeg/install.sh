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
# --no-install-recommends: the encoder and its libraries, not the desktop extras.
"${APT[@]}" install -y -qq --no-install-recommends --no-upgrade ffmpeg

echo "ffmpeg installed: $(ffmpeg -version 2>/dev/null | head -n1 || echo ffmpeg)"
