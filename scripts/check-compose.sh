#!/usr/bin/env bash
# Checks a Swarm / Compose export (`infracanvas export compose FILE -o DIR`):
#
#   scripts/check-compose.sh DIR [--designs DESIGNS]
#
# Validates every docker-stack.yml under DIR against the Compose specification JSON schema
# with python-jsonschema, in the repo's .venv. The schema comes from a registry package:
# PyPI docker-compose==1.29.2 ships it as compose/config/compose_spec.json (downloaded once
# with `pip download`, cached in .venv/share/compose_spec.json).
#
# Then checks what `docker stack deploy` and the services would do with each stack:
#   * no two services publish one port (the deploy refuses the second);
#   * every service Traefik routes (`traefik.enable`) is on the network Traefik watches, which
#     the stack defines under that name, and a Traefik service of the stack watches it;
#   * a service with a named volume (node-local data) runs once, pinned by a node label;
#   * with --designs: every drawn node inside each Swarm cluster that runs (workloads,
#     self-hosted stores, balancers and ingress controllers, monitoring, logging, tracing,
#     config stores) is a service of its cluster's stack (matched by the `infracanvas.node`
#     service label); the stacks of DESIGNS/<slug>.json are under DIR/<slug>/.
#
# Then loads every stack with the docker CLI's own loader, `docker stack config -c FILE`
# (interpolation, merge and type checks as `docker stack deploy` does them; it needs no daemon
# and no network). A missing docker CLI is installed from Debian's packages (docker.io).
set -euo pipefail

die() { printf 'check-compose: %s\n' "$*" >&2; exit 1; }

usage="usage: scripts/check-compose.sh DIR [--designs DESIGNS]"
[ $# -eq 1 ] || [ $# -eq 3 ] || die "$usage"
DIR="$1"
DESIGNS=""
if [ $# -eq 3 ]; then
  [ "$2" = "--designs" ] || die "$usage"
  DESIGNS="$3"
  [ -d "$DESIGNS" ] || die "no such directory: $DESIGNS"
fi
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

# What the deploy and the services would do with each stack, and the drawing against it.
"$VENV/bin/python" - "$DIR" "$DESIGNS" "${FILES[@]}" <<'PY'
import json, os, sys, yaml
root, designs, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
problems = []
stacks = {}
for path in paths:
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    stacks[path] = doc
    services = doc.get("services") or {}
    networks = doc.get("networks") or {}
    published = {}
    for name, s in services.items():
        for p in s.get("ports") or []:
            key = (p.get("published"), p.get("protocol", "tcp"))
            if key in published:
                problems.append(f"{path}: {name} and {published[key]} both publish {key[0]}/{key[1]}")
            published[key] = name
        labels = (s.get("deploy") or {}).get("labels") or {}
        if labels.get("traefik.enable") == "true":
            net = labels.get("traefik.swarm.network")
            on = [n for n in s.get("networks") or [] if (networks.get(n) or {}).get("name") == net]
            if not on:
                problems.append(f"{path}: {name} is routed by Traefik on network {net!r}, which it is not on")
            watchers = [t for t, ts in services.items()
                        if str(ts.get("image", "")).startswith("traefik:")
                        and f"--providers.swarm.network={net}" in (ts.get("command") or [])]
            if not watchers:
                problems.append(f"{path}: {name} is routed by Traefik, but no Traefik of the stack watches {net!r}")
        if any(v.get("type") == "volume" for v in s.get("volumes") or []):
            deploy = s.get("deploy") or {}
            constraints = (deploy.get("placement") or {}).get("constraints") or []
            if deploy.get("replicas") != 1 or not any(c.startswith("node.labels.") for c in constraints):
                problems.append(f"{path}: {name} keeps node-local data but is not one replica pinned by a node label")
    print(f"ok   {path}: {len(published)} published ports, distinct")

RUNS = {"workload", "load_balancer", "ingress_controller", "monitoring", "logging", "tracing", "config_store"}
STORES = {"database", "cache", "queue"}
def runs(n):
    props = n.get("props") or {}
    if n["kind"] in STORES:
        return props.get("managed", True) is False
    if n["kind"] == "load_balancer":
        return not props.get("client_side", False)
    return n["kind"] in RUNS

if designs:
    checked = 0
    for f in sorted(os.listdir(designs)):
        if not f.endswith(".json"):
            continue
        slug = f[:-5]
        d = json.load(open(os.path.join(designs, f), encoding="utf-8"))
        nodes = {n["id"]: n for n in d["nodes"]}
        mine = {p: s for p, s in stacks.items() if os.path.relpath(p, root).split(os.sep)[0] == slug}
        in_stack = {}
        for p, doc in mine.items():
            for name, s in (doc.get("services") or {}).items():
                node = ((s.get("deploy") or {}).get("labels") or {}).get("infracanvas.node")
                if node is None:
                    problems.append(f"{p}: service {name} names no drawn node")
                in_stack[node] = p
        for c in (n for n in d["nodes"] if n["kind"] in ("swarm_cluster", "kubernetes_cluster")):
            def inside(n):
                p = nodes.get(n.get("parent"))
                return p is not None and (p["id"] == c["id"] or (p["kind"] == "namespace" and p.get("parent") == c["id"]))
            expected = sorted(n["id"] for n in d["nodes"] if inside(n) and runs(n))
            homes = {in_stack[i] for i in expected if i in in_stack}
            if c["kind"] == "kubernetes_cluster" and not homes:
                continue  # a Kubernetes cluster is a stack only on request
            missing = [i for i in expected if i not in in_stack]
            if missing:
                problems.append(f"{slug}: nodes of cluster {c['id']} that are no service of its stack: {missing}")
            if len(homes) > 1:
                problems.append(f"{slug}: the nodes of cluster {c['id']} are spread over {sorted(homes)}")
            checked += 1
            print(f"ok   {slug}: cluster {c['id']}: {len(expected) - len(missing)} of {len(expected)} drawn nodes that run are services")
    print(f"check-compose: {checked} clusters compared with their drawings")
for p in problems:
    print("FAIL " + p)
if problems:
    sys.exit(f"check-compose: {len(problems)} problems")
print(f"check-compose: OK — {len(paths)} stacks: ports distinct, Traefik wiring, data pinned")
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
