#!/usr/bin/env bash
# make k8s-check: validates the manifests offline against Kubernetes' schemas, strictly (an
# unknown field fails). The base is plain manifests, validated as they are; the overlays are
# rendered with `kubectl kustomize` first, where kubectl is installed.
set -euo pipefail
cd "$(dirname "$0")"
validate=${KUBERNETES_VALIDATE:-kubernetes-validate}
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
files=()
for file in base/*.yaml; do
  [ "$(basename "$file")" = kustomization.yaml ] || files+=("$file")
done
# Debian's kubernetes-client carries kubectl, whose built-in kustomize renders offline.
if ! command -v kubectl >/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null || true
fi
if command -v kubectl >/dev/null; then
  for overlay in base overlays/*/; do
    name=$(basename "$overlay")
    kubectl kustomize "$overlay" > "$rendered/$name.yaml"
    files+=("$rendered/$name.yaml")
  done
elif [ "${CI:-}" = true ]; then
  echo "kubectl is not installed: the overlays cannot be rendered (CI requires it)" >&2
  exit 1
else
  echo "kubectl is not installed: the overlays are not rendered, the base is validated alone" >&2
fi
"$validate" --strict --quiet "${files[@]}"
echo "valid: ${#files[@]} files ($(cat "${files[@]}" | grep -c '^kind:') resources)"
