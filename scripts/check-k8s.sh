#!/usr/bin/env bash
# Checks a Kubernetes export (`infracanvas export k8s FILE -o DIR`) with the real tools:
#
#   scripts/check-k8s.sh DIR
#   scripts/check-k8s.sh --built LABEL FILE   one built stream (e.g. `helm template` output):
#                                             steps 2 and 3 below on it, nothing else
#
# For every Kustomize tree DIR/**/<cluster>/{base,overlays/<env>}:
#   1. `kubectl kustomize` builds the base and every overlay (kubectl is required: a missing
#      kubectl is an error, never a skip);
#   2. `kubernetes-validate --strict` (from PyPI, in the repo's .venv) checks every built-in
#      document of the base files and of each built overlay against the Kubernetes
#      $K8S_VERSION schema;
#   3. the custom resources (kinds in CUSTOM_KINDS below, the same list as
#      `export::kubernetes::CUSTOM_KINDS`) of every built overlay go to
#      scripts/check-k8s-custom.mjs, which validates them by apiVersion/kind with their
#      projects' schemas (npm @kubernetes-models/{cert-manager,istio,external-secrets,
#      prometheus-operator}, devDependencies) and fails on a custom kind it has no schema for.
#      Flagger `Canary` and CloudNativePG `Cluster` have no registry package: Rust tests check
#      their fields against the API references (see that script's header); they are counted.
# Exits non-zero on the first failing tree; prints what was checked.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.37.0}"
CUSTOM_KINDS="${CUSTOM_KINDS:-Canary,Certificate,Cluster,DestinationRule,ExternalSecret,Issuer,Password,PeerAuthentication,PodMonitor,SecretStore}"

die() { printf 'check-k8s: %s\n' "$*" >&2; exit 1; }

BUILT=""
if [ "${1:-}" = "--built" ]; then
  [ $# -eq 3 ] || die "usage: scripts/check-k8s.sh --built LABEL FILE"
  BUILT="$2"; DIR="$3"
  [ -f "$DIR" ] || die "no such file: $DIR"
else
  [ $# -eq 1 ] || die "usage: scripts/check-k8s.sh DIR"
  DIR="$1"
  [ -d "$DIR" ] || die "no such directory: $DIR"
fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  python3 -m venv "$VENV"
fi
if [ ! -x "$VENV/bin/kubernetes-validate" ]; then
  echo "==> pip install kubernetes-validate"
  "$VENV/bin/pip" install --quiet kubernetes-validate
fi
command -v node >/dev/null 2>&1 || die "node not found: the custom resources are validated with npm models"
if [ ! -d "$ROOT/node_modules/@kubernetes-models/istio" ]; then
  echo "==> npm ci (schema models for custom resources)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --silent)
fi
command -v kubectl >/dev/null 2>&1 \
  || die "kubectl not found: install it (Debian: apt-get install kubectl, or the kubernetes apt repository) — the overlays cannot be built without it"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Splits YAML streams into one file per document under OUT; custom kinds go, as one JSON
# array, to OUT/custom.json.
split_docs() { # OUT FILE...
  "$VENV/bin/python" - "$CUSTOM_KINDS" "$@" <<'PY'
import json, os, sys, yaml
custom = set(sys.argv[1].split(","))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
kept = skipped = 0
customs = []
for path in sys.argv[3:]:
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    for d in docs:
        if not isinstance(d, dict) or "kind" not in d or "apiVersion" not in d:
            sys.exit(f"check-k8s: {path}: a document without apiVersion/kind")
        if d["kind"] in custom:
            skipped += 1
            customs.append(d)
            continue
        kept += 1
        meta = d.get("metadata") or {}
        name = f'{kept:05d}-{d["kind"]}-{meta.get("namespace", "_")}-{meta.get("name", "_")}.yaml'
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            yaml.safe_dump(d, f, sort_keys=False)
with open(os.path.join(out, "custom.json"), "w", encoding="utf-8") as f:
    json.dump(customs, f, default=str)
print(f"{kept} {skipped}")
PY
}

validate() { # LABEL CUSTOM(0|1) FILE...
  local label="$1" check_custom="$2"; shift 2
  local out="$WORK/docs-$RANDOM$RANDOM"
  local counts kept skipped valid rust
  counts="$(split_docs "$out" "$@")"
  read -r kept skipped <<<"$counts"
  [ "$kept" -gt 0 ] || { echo "    $label: no documents"; return 0; }
  if ! "$VENV/bin/kubernetes-validate" --strict --quiet -k "$K8S_VERSION" "$out"/*.yaml; then
    die "$label: kubernetes-validate --strict (Kubernetes $K8S_VERSION) failed"
  fi
  if [ "$check_custom" -eq 1 ]; then
    counts="$(node "$ROOT/scripts/check-k8s-custom.mjs" "$label" "$out/custom.json")" \
      || die "$label: custom resources invalid"
    read -r valid rust <<<"$counts"
    echo "    $label: $kept documents valid (Kubernetes $K8S_VERSION, strict); custom: $valid valid by their schemas, $rust checked in Rust tests"
    CUSTOM=$((CUSTOM + valid)); RUST=$((RUST + rust))
  else
    echo "    $label: $kept documents valid (Kubernetes $K8S_VERSION, strict); custom kinds validated in the built overlays: $skipped"
  fi
  TOTAL=$((TOTAL + kept))
}

TOTAL=0; CUSTOM=0; RUST=0; TREES=0; OVERLAYS=0
if [ -n "$BUILT" ]; then
  validate "$BUILT" 1 "$DIR"
  exit 0
fi
mapfile -t BASES < <(find "$DIR" -path '*/base/kustomization.yaml' -not -path '*/base/*/kustomization.yaml' | sort)
[ "${#BASES[@]}" -gt 0 ] || die "no <cluster>/base/kustomization.yaml under $DIR"
for kfile in "${BASES[@]}"; do
  base="$(dirname "$kfile")"
  cluster="$(dirname "$base")"
  echo "==> $cluster"
  TREES=$((TREES + 1))
  kubectl kustomize "$base" > "$WORK/base.yaml" || die "kubectl kustomize $base failed"
  mapfile -t files < <(find "$base" -name '*.yaml' -not -name kustomization.yaml | sort)
  [ "${#files[@]}" -gt 0 ] && validate "base files" 0 "${files[@]}"
  [ -d "$cluster/overlays" ] || die "$cluster: no overlays/"
  found=0
  for overlay in "$cluster"/overlays/*/; do
    overlay="${overlay%/}"
    [ -f "$overlay/kustomization.yaml" ] || die "$overlay: no kustomization.yaml"
    found=1; OVERLAYS=$((OVERLAYS + 1))
    built="$WORK/$(basename "$overlay").yaml"
    kubectl kustomize "$overlay" > "$built" || die "kubectl kustomize $overlay failed"
    validate "overlay $(basename "$overlay") (kubectl kustomize)" 1 "$built"
  done
  [ "$found" -eq 1 ] || die "$cluster: no overlay"
done
echo "check-k8s: OK — $TREES trees, $OVERLAYS overlays built with kubectl kustomize, $TOTAL built-in documents valid (strict), $CUSTOM custom resources valid by their schemas, $RUST Canary/Cluster documents checked in Rust tests"
