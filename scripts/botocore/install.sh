#!/usr/bin/env bash
# Installs botocore for Python from Debian's packages (python3-botocore: the AWS CLI's signers,
# with SigV2's HmacV1Auth and HmacV1QueryAuth) for the SigV2 oracle test (test/unit/signing/
# sigv2-oracle-botocore.property.test.ts through test/support/botocore-v2-oracle.py). Idempotent:
# does nothing when Debian's python3 already imports botocore. Needs root (or sudo).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
apt_install_python_module botocore.auth python3-botocore
