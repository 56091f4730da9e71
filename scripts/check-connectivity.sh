#!/usr/bin/env bash
# The NetworkPolicies of every Kubernetes export, checked by what a cluster would do with them:
#
#   scripts/check-connectivity.sh EXPORTS
#
# EXPORTS holds <slug>.json (the design) and k8s/<slug>/<cluster>/overlays/<env>/ (its export),
# as scripts/check-exports.sh writes them. For every built overlay of every template
# (`kubectl kustomize`), network-config-analyzer (PyPI `network-config-analyzer`, in its own
# virtualenv .venv-nca: it pins versions other tools here do not want) computes the
# connectivity map (`nca --connectivity F --resource_list F --output_endpoints deployments`),
# and scripts/connectivity.py compares it with the map the design draws, printed by
# `cargo run --example connectivity` from the model (traffic resolved through mesh, geo
# router and in-cluster balancer hops, plus DNS to kube-system, the ingress controller to
# exposed workloads, drawn Prometheus scrapes, CloudNativePG replication and operator,
# Flagger's load tester and Prometheus), not from the policies. Every difference is printed
# (drawn but blocked, allowed but not drawn); any difference fails.
#
# nca reads only Namespaces, workloads and NetworkPolicies. It does not know custom
# resources: a CloudNativePG `Cluster` is handed to it as the pods it makes (a stand-in
# StatefulSet with `spec.inheritedMetadata.labels`). Add-ons installed from their charts
# (ingress controller, Prometheus, CoreDNS, istiod, the CloudNativePG operator, Flagger's load
# tester and Prometheus) are stand-in Deployments with their charts' labels in their
# namespaces. A control run (site-builder prod without PostgreSQL's policy) must fail.
set -euo pipefail

die() { printf 'check-connectivity: %s\n' "$*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: scripts/check-connectivity.sh EXPORTS"
OUT="$1"
[ -d "$OUT/k8s" ] || die "no $OUT/k8s: run scripts/check-exports.sh"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv-nca"
NCA_VERSION="${NCA_VERSION:-2.1.0}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  python3 -m venv "$VENV"
fi
installed="$("$VENV/bin/pip" show network-config-analyzer 2>/dev/null || true)"
if ! grep -qx "Version: $NCA_VERSION" <<< "$installed"; then
  echo "==> pip install network-config-analyzer==$NCA_VERSION"
  "$VENV/bin/pip" install --quiet "network-config-analyzer==$NCA_VERSION"
fi
command -v kubectl >/dev/null 2>&1 || die "kubectl not found (it builds the overlays)"

cargo build --locked --quiet --example connectivity
EXPECT="$ROOT/target/debug/examples/connectivity"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

failed=0 checked=0
for design in "$OUT"/*.json; do
  slug="$(basename "$design" .json)"
  [ -d "$OUT/k8s/$slug" ] || continue
  echo "==> $slug"
  "$EXPECT" "$design" > "$WORK/$slug.expected.json"
  for overlay in "$OUT/k8s/$slug"/*/overlays/*/; do
    overlay="${overlay%/}"
    env="$(basename "$overlay")"
    cluster="$(basename "$(dirname "$(dirname "$overlay")")")"
    if [ "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(c["network_policies"] for c in d["clusters"] if c["cluster"]==sys.argv[2]))' "$WORK/$slug.expected.json" "$cluster")" != True ]; then
      echo "  $cluster/overlays/$env: network policies off in the design, nothing to compare"
      continue
    fi
    dir="$WORK/$slug/$cluster/$env"
    mkdir -p "$dir"
    kubectl kustomize "$overlay" > "$dir/built.yaml"
    checked=$((checked + 1))
    "$VENV/bin/python" "$ROOT/scripts/connectivity.py" "$WORK/$slug.expected.json" \
      "$cluster" "$env" "$dir/built.yaml" "$VENV/bin/nca" "$dir" || failed=$((failed + 1))
  done
done
[ "$checked" -gt 0 ] || die "no overlay found under $OUT/k8s"

# The check must be able to fail: site-builder's prod overlay without PostgreSQL's policy
# (default deny alone) must show the backend cut off from it.
control="$WORK/site-builder/klaster-prodakshn/prod"
if [ -f "$control/built.yaml" ]; then
  mkdir -p "$control/control"
  "$VENV/bin/python" - "$control/built.yaml" > "$control/control/built.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")) if d]
yaml.safe_dump_all([d for d in docs if not (d["kind"] == "NetworkPolicy"
                    and d["metadata"]["name"] == "postgresql-traffic")], sys.stdout)
PY
  if "$VENV/bin/python" "$ROOT/scripts/connectivity.py" "$WORK/site-builder.expected.json" \
      klaster-prodakshn prod "$control/control/built.yaml" "$VENV/bin/nca" "$control/control" \
      > "$control/control/report.txt" \
    || ! grep -q "drawn but blocked: *backend/api-gateway => database/postgresql : 5432/TCP" "$control/control/report.txt"; then
    cat "$control/control/report.txt"
    die "control: without postgresql-traffic the check did not report api-gateway => postgresql:5432 blocked"
  fi
  echo "  control: site-builder prod without postgresql-traffic -> $(grep -c 'drawn but blocked' "$control/control/report.txt") pairs reported blocked, as they must be"
fi
if [ "$failed" -gt 0 ]; then
  die "$failed of $checked overlays: the NetworkPolicies do not allow exactly the drawn traffic"
fi
echo "check-connectivity: $checked overlays, network-config-analyzer's map equals the drawn traffic in each"
