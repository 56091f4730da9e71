#!/usr/bin/env bash
# Checks a Helm export (`infracanvas export helm FILE -o DIR`) with helm itself, against the
# Kustomize export of the same design (`infracanvas export k8s FILE -o K8SDIR`):
#
#   scripts/check-helm.sh HELMDIR K8SDIR
#
# For every chart HELMDIR/**/<cluster>/Chart.yaml (K8SDIR holds the same relative path) and
# every values-<env>.yaml of it:
#   1. `helm lint --strict -f values-<env>.yaml` (warnings fail);
#   2. `helm template` with those values, then scripts/check-k8s.sh --built on the output:
#      kubernetes-validate --strict for the built-in kinds, the custom resources against their
#      projects' schemas, as the Kustomize overlays are checked;
#   3. equality with `kubectl kustomize K8SDIR/.../<cluster>/overlays/<env>` after the
#      normalisation of scripts/helm_equal.py: the same set of apiVersion/kind/namespace/name,
#      every field equal except Helm's own labels on each object (managed-by `Helm` for
#      `infracanvas`, plus `helm.sh/chart` and `app.kubernetes.io/instance`), which every
#      rendered object must carry;
#   4. a bad value is refused by values.schema.json: `--set workloads.<w>.replicas=0` (for
#      the first workload of values.yaml) makes `helm template` and `helm lint` fail, naming
#      the schema.
# helm comes from scripts/setup.sh (node_modules/.bin/helm); a missing helm is an error.
set -euo pipefail

die() { printf 'check-helm: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: scripts/check-helm.sh HELMDIR K8SDIR"
HDIR="$1"; KDIR="$2"
[ -d "$HDIR" ] || die "no such directory: $HDIR"
[ -d "$KDIR" ] || die "no such directory: $KDIR"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$PATH"
if ! command -v helm >/dev/null 2>&1; then
  "$ROOT/scripts/setup.sh" helm >/dev/null
fi
command -v helm >/dev/null 2>&1 || die "helm not found: run scripts/setup.sh helm"
command -v kubectl >/dev/null 2>&1 || die "kubectl not found: the overlays cannot be built without it"
PY="$ROOT/.venv/bin/python"
# .venv (PyYAML, kubernetes-validate) is made by scripts/check-k8s.sh, which runs first below.

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# Helm keeps no state of its own here (no repositories, no cache in $HOME).
export HELM_CACHE_HOME="$WORK/cache" HELM_CONFIG_HOME="$WORK/config" HELM_DATA_HOME="$WORK/data"

CHARTS=0; RENDERS=0; OBJECTS=0; REFUSED=0
mapfile -t CHARTFILES < <(find "$HDIR" -name Chart.yaml | sort)
[ "${#CHARTFILES[@]}" -gt 0 ] || die "no Chart.yaml under $HDIR"
echo "==> $(helm version --short)"
for cf in "${CHARTFILES[@]}"; do
  chart="$(dirname "$cf")"
  rel="${chart#"$HDIR"/}"
  tree="$KDIR/$rel"
  [ -d "$tree/overlays" ] || die "$chart: no Kustomize tree at $tree"
  CHARTS=$((CHARTS + 1))
  echo "==> $chart"
  mapfile -t VALUES < <(find "$chart" -maxdepth 1 -name 'values-*.yaml' | sort)
  [ "${#VALUES[@]}" -gt 0 ] || die "$chart: no values-<env>.yaml"
  # Every overlay has its values file, and the other way round.
  for overlay in "$tree"/overlays/*/; do
    env="$(basename "$overlay")"
    [ -f "$chart/values-$env.yaml" ] || die "$chart: no values-$env.yaml for overlay $env"
  done
  for vf in "${VALUES[@]}"; do
    env="$(basename "$vf" .yaml)"; env="${env#values-}"
    [ -d "$tree/overlays/$env" ] || die "$vf: no overlay $env in $tree"
    helm lint --strict --quiet "$chart" -f "$vf" > "$WORK/lint.txt" 2>&1 \
      || { cat "$WORK/lint.txt" >&2; die "$chart: helm lint --strict -f values-$env.yaml failed"; }
    rendered="$WORK/helm-$env.yaml"
    helm template infracanvas "$chart" -f "$vf" > "$rendered" 2> "$WORK/err.txt" \
      || { cat "$WORK/err.txt" >&2; die "$chart: helm template -f values-$env.yaml failed"; }
    "$ROOT/scripts/check-k8s.sh" --built "helm template -f values-$env.yaml" "$rendered" \
      | grep -v '^==>' || die "$chart ($env): rendered objects invalid"
    built="$WORK/kustomize-$env.yaml"
    kubectl kustomize "$tree/overlays/$env" > "$built" || die "kubectl kustomize $tree/overlays/$env failed"
    result="$("$PY" "$ROOT/scripts/helm_equal.py" "$rendered" "$built")" \
      || { echo "$result" >&2; die "$chart ($env): helm template differs from kubectl kustomize overlays/$env"; }
    echo "    $env: $result to kubectl kustomize overlays/$env (but Helm's labels)"
    OBJECTS=$((OBJECTS + ${result%% *})); RENDERS=$((RENDERS + 1))
  done
  # A bad override: the first workload with zero replicas.
  w="$("$PY" -c '
import sys, yaml
v = yaml.safe_load(open(sys.argv[1]))
print(next(iter(v.get("workloads") or {}), ""))
' "$chart/values.yaml")"
  if [ -n "$w" ]; then
    bad=(--set "workloads.$w.replicas=0")
    if helm template infracanvas "$chart" -f "${VALUES[0]}" "${bad[@]}" > /dev/null 2> "$WORK/err.txt"; then
      die "$chart: helm template accepted ${bad[*]}"
    fi
    grep -qi 'schema' "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; die "$chart: ${bad[*]} failed, but not by the schema"; }
    if helm lint --strict --quiet "$chart" -f "${VALUES[0]}" "${bad[@]}" > /dev/null 2>&1; then
      die "$chart: helm lint accepted ${bad[*]}"
    fi
    REFUSED=$((REFUSED + 1))
    echo "    ${bad[*]}: refused by values.schema.json ($(grep -io 'minimum[^,]*' "$WORK/err.txt" | head -1))"
  fi
done
echo "check-helm: OK — $CHARTS charts, $RENDERS environments linted (strict), rendered, valid and equal to kubectl kustomize ($OBJECTS objects), bad replicas refused by $REFUSED schemas (charts with workloads)"
