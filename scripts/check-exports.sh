#!/usr/bin/env bash
# Exports the five templates with the CLI, exactly as a CI job would, and checks every output
# with the real consumers:
#   Kubernetes  -> scripts/check-k8s.sh (kubectl kustomize + kubernetes-validate --strict, custom
#                  resources against their projects' schemas);
#                  scripts/check-connectivity.sh (network-config-analyzer's connectivity map
#                  of every built overlay equals the traffic the design draws)
#   Helm        -> scripts/check-helm.sh (helm lint --strict per environment, helm template
#                  validated as the overlays are, equal to kubectl kustomize overlays/<env> but
#                  for Helm's own labels, a bad value refused by values.schema.json); also the
#                  export sample and the hostile design (examples/helm_dir.rs)
#   Compose     -> scripts/check-compose.sh (Compose specification JSON schema, distinct
#                  published ports, Traefik wiring, pinned data, every drawn node that runs
#                  is a service, docker stack config)
#   Terraform   -> scripts/check-terraform.sh (terraform fmt, providers and validate, python-hcl2, the
#                  AWS provider schema, checkov)
#   Mermaid     -> written to target/exports/mermaid/ for tests/e2e/mermaid.test.mjs, which
#                  renders them with the real mermaid library in Chromium (MERMAID_DIR).
#   SVG         -> scripts/check-svg.sh (xmllint, rsvg-convert renders each to
#                  target/exports/svg/png/, and the embedded design imports back unchanged);
#                  every template light and dark, and a selection.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=target/exports
rm -rf "$OUT"
mkdir -p "$OUT/k8s" "$OUT/helm" "$OUT/compose" "$OUT/mermaid" "$OUT/svg" "$OUT/terraform" "$OUT/terraform-generated"

cargo build --locked --quiet --bin infracanvas --example mermaid_dir --example terraform_dir --example helm_dir
B=target/debug/infracanvas

for slug in $("$B" template list); do
  "$B" template show "$slug" > "$OUT/$slug.json"
  "$B" export k8s "$OUT/$slug.json" -o "$OUT/k8s/$slug" 2>/dev/null
  "$B" export helm "$OUT/$slug.json" -o "$OUT/helm/$slug" 2>/dev/null
  "$B" export mermaid "$OUT/$slug.json" > "$OUT/mermaid/$slug.mmd"
  cp "$OUT/$slug.json" "$OUT/svg/$slug.json"
  cp "$OUT/$slug.json" "$OUT/svg/$slug-dark.json"
  "$B" export svg "$OUT/$slug.json" > "$OUT/svg/$slug.svg"
  "$B" export svg "$OUT/$slug.json" --theme dark > "$OUT/svg/$slug-dark.svg"
  "$B" export terraform "$OUT/$slug.json" -o "$OUT/terraform/$slug" 2>/dev/null
  # Every cluster of every template also as a Swarm stack (seed 004 asks for both).
  clusters=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(n["id"] for n in d["nodes"] if n["kind"] in ("kubernetes_cluster", "swarm_cluster")))
' "$OUT/$slug.json")
  args=()
  for c in $clusters; do args+=(--cluster "$c"); done
  "$B" export compose "$OUT/$slug.json" "${args[@]}" -o "$OUT/compose/$slug" 2>/dev/null
  docs=$(cat $(find "$OUT/k8s/$slug" -name '*.yaml' ! -name kustomization.yaml) | grep -c '^kind:' || true)
  stacks=$(find "$OUT/compose/$slug" -name docker-stack.yml | wc -l)
  printf '%-24s %4s Kubernetes objects in base, %s stacks\n' "$slug" "$docs" "$stacks"
done

# Generated and hostile designs for the Mermaid check, beside the templates.
cargo run --locked --quiet --example mermaid_dir -- "$OUT/mermaid"

scripts/check-k8s.sh "$OUT/k8s"
scripts/check-helm.sh "$OUT/helm" "$OUT/k8s"
cargo run --locked --quiet --example helm_dir -- "$OUT/helm-generated"
scripts/check-helm.sh "$OUT/helm-generated/helm" "$OUT/helm-generated/k8s"
scripts/check-connectivity.sh "$OUT"
scripts/check-compose.sh "$OUT/compose" --designs "$OUT"
# A selection: the first cluster of the largest template, with what is inside it.
cluster=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(next(n["id"] for n in d["nodes"] if n["kind"] == "kubernetes_cluster"))
' "$OUT/microservices-platform.json")
"$B" export svg "$OUT/microservices-platform.json" --select "$cluster" > "$OUT/svg/selection-$cluster.svg"
# A selection's picture still carries the whole design.
cp "$OUT/microservices-platform.json" "$OUT/svg/selection-$cluster.json"
scripts/check-svg.sh "$OUT/svg"
scripts/check-terraform.sh "$OUT/terraform"
# Generated and hostile designs on both clouds: formatting, parsing, references and schema.
cargo run --locked --quiet --example terraform_dir -- "$OUT/terraform-generated" >/dev/null
# Seed 004 names no cloud, so its export is a README that says what to do: choose the
# provider's cloud and give the region a code and the clusters zones. Done here as a user
# would, for both clouds, beside the generated designs (checkov's findings on it are the
# design's: no WAF drawn before the public balancer, plain HTTP from it to the frontend).
for target in aws:eu-central-1:a,b,c yandex:ru-central1:a,b,d; do
  IFS=: read -r cloud region zones <<< "$target"
  python3 - "$OUT/microservices-platform.json" "$cloud" "$region" "$zones" > "$OUT/seed-004-$cloud.json" <<'PY'
import json, sys
design, cloud, region, zones = sys.argv[1:]
d = json.load(open(design))
for n in d["nodes"]:
    props = n.setdefault("props", {})
    if n["kind"] == "provider":
        props["cloud"] = cloud
    elif n["kind"] == "region":
        props["code"] = region
    elif n["kind"] in ("kubernetes_cluster", "swarm_cluster"):
        props["zones"] = [f"{region}-{z}" if cloud == "yandex" else f"{region}{z}" for z in zones.split(",")]
json.dump(d, sys.stdout, ensure_ascii=False)
PY
  "$B" export terraform "$OUT/seed-004-$cloud.json" -o "$OUT/terraform-generated/seed-004-$cloud" 2>/dev/null
  [ -f "$OUT/terraform-generated/seed-004-$cloud/$cloud/versions.tf" ] || { echo "seed 004 on $cloud: no module" >&2; exit 1; }
done
scripts/check-terraform.sh --no-checkov "$OUT/terraform-generated"
echo "check-exports: all template exports accepted by kubectl kustomize, helm (lint, template, equal to the overlays), kubernetes-validate, network-config-analyzer, the Compose schema, docker stack config, xmllint, rsvg-convert, Terraform, python-hcl2 and checkov"
