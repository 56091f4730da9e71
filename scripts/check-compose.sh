#!/usr/bin/env bash
# Checks a Swarm / Compose export (`infracanvas export compose FILE -o DIR`):
#
#   scripts/check-compose.sh DIR
#
# Validates every docker-stack.yml under DIR against the Compose specification JSON schema
# with python-jsonschema, in the repo's .venv. The schema comes from a registry package:
# PyPI docker-compose==1.29.2 ships it as compose/config/compose_spec.json (downloaded once
# with `pip download`, cached in .venv/share/compose_spec.json).
#
# Then loads every stack with the docker CLI's own loader, `docker stack config -c FILE`
# (interpolation, merge and type checks as `docker stack deploy` does them; it needs no daemon
# and no network). A missing docker CLI is installed from Debian's packages (docker.io).
set -euo pipefail

die() { printf 'check-compose: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: scripts/check-compose.sh DIR"
DIR="$1"
[ -d "$DIR" ] || die "no such directory: $DIR"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.venv"
SCHEMA="$VENV/share/compose_spec.json"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "==> pip install jsonschema pyyaml"
  "$VENV/bin/pip" install --quiet jsonschema pyyaml
fi
if [ ! -s "$SCHEMA" ]; then
  echo "==> fetching the Compose schema from PyPI docker-compose==1.29.2"
  tmp="$(mktemp -d)"
  "$VENV/bin/pip" download --quiet --no-deps docker-compose==1.29.2 -d "$tmp"
  mkdir -p "$(dirname "$SCHEMA")"
  "$VENV/bin/python" - "$tmp" "$SCHEMA" <<'PY'
import glob, sys, zipfile
whl = glob.glob(sys.argv[1] + "/docker_compose-*.whl")[0]
with zipfile.ZipFile(whl) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("compose/config/compose_spec.json"))
PY
  rm -rf "$tmp"
fi

mapfile -t FILES < <(find "$DIR" -name docker-stack.yml | sort)
[ "${#FILES[@]}" -gt 0 ] || die "no docker-stack.yml under $DIR"

"$VENV/bin/python" - "$SCHEMA" "${FILES[@]}" <<'PY'
import json, sys, yaml
from jsonschema import Draft201909Validator as V
schema = json.load(open(sys.argv[1]))
schema.pop("id", None)
validator = V(schema)
failed = 0
for path in sys.argv[2:]:
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        failed += 1
        for e in errors[:20]:
            print(f"FAIL {path}: {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}")
    else:
        print(f"ok   {path}: {len(doc.get('services', {}))} services valid against the Compose specification")
if failed:
    sys.exit(f"check-compose: {failed} of {len(sys.argv) - 2} stacks failed")
print(f"check-compose: OK — {len(sys.argv) - 2} stacks valid")
PY

# The docker CLI's loader: the consumer that `docker stack deploy` uses.
if ! docker stack config --help >/dev/null 2>&1; then
  echo "==> installing the docker CLI (Debian docker.io)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  for _ in $(seq 1 60); do
    $SUDO apt-get install -y --no-install-recommends docker.io >/dev/null && break
    echo "==> apt busy; waiting"; sleep 5
  done
  docker stack config --help >/dev/null 2>&1 || die "the docker CLI has no 'stack config' (docker $(docker --version 2>&1))"
fi
loaded=0
for f in "${FILES[@]}"; do
  if ! out="$(docker stack config -c "$f" 2>&1 >/dev/null)"; then
    die "docker stack config refused $f: $out"
  fi
  loaded=$((loaded + 1))
done
echo "check-compose: OK — $loaded stacks loaded by docker stack config ($(docker --version))"
