#!/usr/bin/env bash
# Installs awscrt for Python from Debian's packages (python3-awscrt: AWS's C runtime, with
# aws-c-auth's SigV4A signer) for the SigV4A oracle test (test/unit/signing/sigv4a-oracle-awscrt
# .property.test.ts through test/support/awscrt-v4a-oracle.py). Idempotent: does nothing when
# Debian's python3 already imports awscrt. Needs root (or sudo).
set -euo pipefail

if /usr/bin/python3 -c 'import awscrt.auth' >/dev/null 2>&1; then
  echo "awscrt already installed: python3-awscrt $(dpkg-query -W -f='${Version}' python3-awscrt 2>/dev/null || echo '(not from Debian)')"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
apt_install python3-awscrt

echo "awscrt installed: python3-awscrt $(dpkg-query -W -f='${Version}' python3-awscrt)"
