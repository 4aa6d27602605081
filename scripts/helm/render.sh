#!/usr/bin/env bash
# Renders deploy/helm/origin-signer with helm into test/fixtures/helm/: the chart's default values
# (default.yaml) and ci/fleet-values.yaml (fleet.yaml). test/unit/deploy/helm-chart.test.ts checks
# these renders in Node on every run (helm or not) and, where helm is installed
# (scripts/helm/install.sh), that `helm template` still gives exactly them: run this after
# changing the chart.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
helm=.helm/bin/helm
[ -x "$helm" ] || helm="$(command -v helm || true)"
[ -n "$helm" ] || { echo "no helm: run bash scripts/helm/install.sh" >&2; exit 1; }
export HELM_CACHE_HOME="$PWD/.helm/cache" HELM_CONFIG_HOME="$PWD/.helm/config" HELM_DATA_HOME="$PWD/.helm/data"
chart=deploy/helm/origin-signer
out=test/fixtures/helm
mkdir -p "$out"
render() { # name, extra helm args
  local name=$1; shift
  { echo "# helm template os $chart --namespace media $* ($("$helm" version --short)); regenerate: bash scripts/helm/render.sh"
    "$helm" template os "$chart" --namespace media "$@"; } > "$out/$name.yaml"
  echo "$out/$name.yaml"
}
render default
render fleet -f "$chart/ci/fleet-values.yaml"
