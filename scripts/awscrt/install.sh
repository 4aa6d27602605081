#!/usr/bin/env bash
# Installs awscrt for Python from Debian's packages (python3-awscrt: AWS's C runtime, with
# aws-c-auth's SigV4A signer) for the SigV4A oracle test (test/unit/signing/sigv4a-oracle-awscrt
# .property.test.ts through test/support/awscrt-v4a-oracle.py). Idempotent: does nothing when
# Debian's python3 already imports awscrt. Needs root (or sudo).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
apt_install_python_module awscrt.auth python3-awscrt
