#!/usr/bin/env bash
# Builds a release archive of the chart with its three dependency charts inside, so it installs without network access
# to the dependencies' repositories:
#   eng/package-chart.sh [output-dir] [--version X.Y.Z] [--app-version vX.Y.Z]
# It fetches the dependencies with `helm dependency build` (needs access to the NFD chart repository and to ghcr.io)
# into a copy of the chart, never into the checkout, then runs `helm lint --strict` and `helm package`.
# helm: HELM, else .tools/helm/helm (eng/install-test-tools.sh fetches it), else helm on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chart_src="$root/deploy/helm/network-operator"
out="$root/dist"
version=""
app_version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --app-version) app_version="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done

helm="${HELM:-}"
if [ -z "$helm" ]; then
  if [ -x "$root/.tools/helm/helm" ]; then helm="$root/.tools/helm/helm"; else helm="$(command -v helm || true)"; fi
fi
[ -n "$helm" ] || { echo "helm not found: set HELM, run eng/install-test-tools.sh or install helm" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$chart_src" "$work/network-operator"
rm -rf "$work/network-operator/charts"

echo "fetching dependency charts (Chart.yaml) ..."
"$helm" dependency build "$work/network-operator"
# Helm refuses to install while a declared dependency is missing, so check all three arrived.
for dep in $(sed -n 's/^  - name: //p' "$work/network-operator/Chart.yaml"); do
  ls "$work/network-operator/charts/$dep"-*.tgz >/dev/null 2>&1 || { echo "dependency $dep was not fetched" >&2; exit 1; }
done

"$helm" lint --strict "$work/network-operator"
mkdir -p "$out"
args=(package "$work/network-operator" --destination "$out")
[ -n "$version" ] && args+=(--version "$version")
[ -n "$app_version" ] && args+=(--app-version "$app_version")
"$helm" "${args[@]}"
