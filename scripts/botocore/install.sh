#!/usr/bin/env bash
# Installs botocore for Python from Debian's packages (python3-botocore: the AWS CLI's signers,
# with SigV2's HmacV1Auth and HmacV1QueryAuth) for the SigV2 oracle test (test/unit/signing/
# sigv2-oracle-botocore.property.test.ts through test/support/botocore-v2-oracle.py). Idempotent:
# does nothing when Debian's python3 already imports botocore. Needs root (or sudo).
set -euo pipefail

if /usr/bin/python3 -c 'import botocore.auth' >/dev/null 2>&1; then
  echo "botocore already installed: python3-botocore $(dpkg-query -W -f='${Version}' python3-botocore 2>/dev/null || echo '(not from Debian)')"
  exit 0
fi

source "$(dirname "${BASH_SOURCE[0]}")/../lib/apt-install.sh"
apt_install python3-botocore

echo "botocore installed: python3-botocore $(dpkg-query -W -f='${Version}' python3-botocore)"
