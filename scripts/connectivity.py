#!/usr/bin/env python3
"""Compares network-config-analyzer's connectivity map of one built overlay with the map the
design draws (`cargo run --example connectivity`), for scripts/check-connectivity.sh.

    connectivity.py EXPECTED.json CLUSTER ENV BUILT.yaml NCA WORKDIR

1. The built overlay (`kubectl kustomize`) is reduced to what decides pod-to-pod traffic:
   Namespaces, workloads and NetworkPolicies. Ingresses, Services, Istio and other custom
   objects are left out: nca would otherwise simulate an ingress controller in a namespace of
   its own ("ingress-controller-ns") that no cluster has.
2. nca does not know custom resources: a CloudNativePG `Cluster` is rendered as the pods it
   makes, a stand-in StatefulSet whose pods carry `spec.inheritedMetadata.labels` (the labels
   CloudNativePG puts on its instance pods) and listen on 5432, 8000 and 9187.
3. Add-ons installed from their own charts (ingress controller, Prometheus, the mesh control
   plane, CoreDNS, the CloudNativePG operator) have no manifests in the export: each add-on the
   expected map names becomes a stand-in Deployment in its namespace with its chart's labels.
   Namespaces get `kubernetes.io/metadata.name`, as the API server sets it.
4. `nca --connectivity F --resource_list F --output_endpoints deployments -o txt_no_fw_rules`
   gives one line per allowed (source, destination) with its ports. Only pairs with one of the
   export's own workloads at either end are compared (add-ons and kube-system are not ours to
   police); a workload's traffic to itself is not shown by nca and not compared.
5. Every difference is printed: "drawn but blocked" and "allowed but not drawn". Exit 1 on any.
"""

import ipaddress
import json
import re
import subprocess
import sys

import yaml

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "Job", "CronJob", "DaemonSet", "ReplicaSet", "Pod"}
KEPT_KINDS = WORKLOAD_KINDS | {"Namespace", "NetworkPolicy"}
ALL_PORTS = (1, 65535)
PROTOCOLS = ("TCP", "UDP", "SCTP")
NS_LABEL = "kubernetes.io/metadata.name"


def die(msg):
    print(f"check-connectivity: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- port sets
def merge(intervals):
    out = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def norm(conns):
    """{proto: [(lo, hi)]} -> frozenset of (proto, lo, hi), merged."""
    return frozenset((p, lo, hi) for p, ivs in conns.items() for lo, hi in merge(ivs))


def add(conns, proto, lo, hi):
    conns.setdefault(proto, []).append((lo, hi))


def subtract(a, b):
    """Port set a minus port set b (both normalized), normalized."""
    out = {}
    for proto, lo, hi in a:
        pieces = [(lo, hi)]
        for p2, l2, h2 in b:
            if p2 != proto:
                continue
            nxt = []
            for l, h in pieces:
                if h2 < l or l2 > h:
                    nxt.append((l, h))
                    continue
                if l < l2:
                    nxt.append((l, l2 - 1))
                if h > h2:
                    nxt.append((h2 + 1, h))
            pieces = nxt
        for l, h in pieces:
            add(out, proto, l, h)
    return norm(out)


def show_ports(s):
    parts = []
    for proto, lo, hi in sorted(s, key=lambda x: (x[1], x[0])):
        if (lo, hi) == ALL_PORTS:
            parts.append(f"all {proto}")
        else:
            parts.append(f"{lo}/{proto}" if lo == hi else f"{lo}-{hi}/{proto}")
    return ", ".join(parts)


def parse_conn(text):
    """nca's connection text -> normalized port set."""
    text = text.strip()
    conns = {}
    if text == "All connections":
        for p in PROTOCOLS:
            add(conns, p, *ALL_PORTS)
        return norm(conns)
    if text == "No connections":
        return frozenset()
    for part in re.findall(r"\{([^}]*)\}", text):
        fields = dict(zip(*[iter(re.split(
            r",?\s*(protocols|src_ports|dst_ports|methods|paths|hosts):", part.strip())[1:])] * 2))
        if "protocols" not in fields or set(fields) - {"protocols", "dst_ports"}:
            die(f"cannot read nca connection {{{part}}}")
        protos = [p.strip() for p in fields["protocols"].split(",") if p.strip()]
        ranges = []
        for r in fields.get("dst_ports", "").split(","):
            r = r.strip()
            if r:
                lo, _, hi = r.partition("-")
                ranges.append((int(lo), int(hi or lo)))
        ranges = ranges or [ALL_PORTS]
        for p in protos:
            for lo, hi in ranges:
                add(conns, p, lo, hi)
    return norm(conns)


# ---------------------------------------------------------------- addresses
# IPv6 addresses are counted above IPv4's, so the two spaces never overlap as numbers.
V6 = 1 << 32


def ip_int(text):
    a = ipaddress.ip_address(text)
    return int(a) + (V6 if a.version == 6 else 0)


def ip_range(text):
    """'a-b', 'a/len' or 'a' -> (first, last) as numbers, IPv4 or IPv6."""
    if "-" in text:
        a, b = text.split("-", 1)
        return ip_int(a), ip_int(b)
    net = ipaddress.ip_network(text, strict=False)
    return ip_int(str(net.network_address)), ip_int(str(net.broadcast_address))


def address(n):
    return ipaddress.IPv6Address(n - V6) if n >= V6 else ipaddress.IPv4Address(n)


def show_range(lo, hi):
    a, b = address(lo), address(hi)
    if a.version != b.version:  # a cut across both spaces: print each half
        return f"{show_range(lo, V6 - 1)},{show_range(V6, hi)}"
    nets = list(ipaddress.summarize_address_range(a, b))
    return ",".join(str(n) for n in nets) if len(nets) <= 3 else f"{a}-{b}"


def canonical(entries):
    """[(lo, hi, ports)] -> [(lo, hi, ports)]: the address space cut at every boundary, each
    piece with the union of its ports, adjacent pieces with equal ports joined."""
    cuts = sorted({lo for lo, _, _ in entries} | {hi + 1 for _, hi, _ in entries})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        ports = {}
        for lo, hi, ps in entries:
            if lo <= a and b - 1 <= hi:
                for p, l, h in ps:
                    add(ports, p, l, h)
        ps = norm(ports)
        if not ps:
            continue
        if out and out[-1][1] == a - 1 and out[-1][2] == ps:
            out[-1] = (out[-1][0], b - 1, ps)
        else:
            out.append((a, b - 1, ps))
    return out


# ---------------------------------------------------------------- resources
def render(docs, flows):
    """The documents nca reads, our workloads {ns/name: labels}, and the stand-ins."""
    kept, ours = [], {}
    namespaces = {}
    for d in docs:
        kind = d.get("kind")
        meta = d.get("metadata") or {}
        ns = meta.get("namespace", "default")
        if kind == "Cluster" and str(d.get("apiVersion", "")).startswith("postgresql.cnpg.io/"):
            spec = d.get("spec") or {}
            labels = dict(((spec.get("inheritedMetadata") or {}).get("labels")) or {})
            labels["cnpg.io/cluster"] = meta["name"]
            d = {
                "apiVersion": "apps/v1",
                "kind": "StatefulSet",
                "metadata": {"name": meta["name"], "namespace": ns},
                "spec": {
                    "replicas": spec.get("instances", 1),
                    "serviceName": meta["name"],
                    "selector": {"matchLabels": {"cnpg.io/cluster": meta["name"]}},
                    "template": {
                        "metadata": {"labels": labels},
                        "spec": {"containers": [{
                            "name": "postgres", "image": "cloudnative-pg-stand-in",
                            "ports": [{"containerPort": p} for p in (5432, 8000, 9187)],
                        }]},
                    },
                },
            }
            kind = "StatefulSet"
        if kind not in KEPT_KINDS:
            continue
        if kind == "Namespace":
            meta.setdefault("labels", {})[NS_LABEL] = meta["name"]
            namespaces[meta["name"]] = d
            continue
        if kind in WORKLOAD_KINDS:
            spec = d.get("spec") or {}
            if kind == "CronJob":
                spec = (spec.get("jobTemplate") or {}).get("spec") or {}
            tmpl = (spec.get("template") or {}).get("metadata") or {}
            ours[f"{ns}/{meta['name']}"] = tmpl.get("labels") or {}
        kept.append(d)
    standins = {}
    for f in flows:
        for p in (f["from"], f["to"]):
            if "addon" in p:
                key = f"{p['namespace']}/{p['addon']}"
                standins.setdefault(key, dict(p["labels"]))
    for key, labels in sorted(standins.items()):
        ns, name = key.split("/", 1)
        if key in ours:
            die(f"stand-in {key} clashes with an exported workload")
        kept.append({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns},
            "spec": {
                "selector": {"matchLabels": labels},
                "template": {"metadata": {"labels": labels},
                             "spec": {"containers": [{"name": name, "image": "stand-in"}]}},
            },
        })
    for ns in {k.split("/", 1)[0] for k in list(ours) + list(standins)}:
        namespaces.setdefault(ns, {"apiVersion": "v1", "kind": "Namespace",
                                   "metadata": {"name": ns, "labels": {NS_LABEL: ns}}})
    return list(namespaces.values()) + kept, ours, standins


def expand(peer, ours, standins):
    """A flow's end -> the endpoints nca shows: pods 'ns/name' or an address range (lo, hi)."""
    if "cidr" in peer:
        return [ip_range(peer["cidr"])]
    ns = peer["namespace"]
    if "unit" in peer:
        return [f"{ns}/{peer['unit']}"]
    if peer.get("ours"):
        return [k for k in ours if k.split("/", 1)[0] == ns]
    want = peer["labels"].items() if peer["by_labels"] else []
    return [k for k, labels in standins.items()
            if k.split("/", 1)[0] == ns and all(labels.get(a) == b for a, b in want)]


def flow_ports(ports):
    conns = {}
    for p in ports:
        port, proto = p.split("/")
        add(conns, proto, int(port), int(port))
    return norm(conns)


# ---------------------------------------------------------------- the maps
def expected_map(flows, ours, standins):
    """The drawn map, as nca would print it, and why each pair is drawn."""
    pods, addrs, missing, why = {}, {}, [], {}
    for f in flows:
        ps = flow_ports(f["ports"])
        for end in ("from", "to"):
            p = f[end]
            if "unit" in p and f"{p['namespace']}/{p['unit']}" not in ours:
                missing.append(f"{p['namespace']}/{p['unit']} ({f['why']}) is not in the overlay")
        for s in expand(f["from"], ours, standins):
            for d in expand(f["to"], ours, standins):
                if s == d:
                    continue
                if isinstance(s, tuple) or isinstance(d, tuple):
                    if isinstance(s, tuple) and isinstance(d, tuple):
                        continue
                    pod, rng, way = (d, s, "<=") if isinstance(s, tuple) else (s, d, "=>")
                    if pod in ours:
                        addrs.setdefault((pod, way), []).append((*rng, ps))
                        why.setdefault((pod, way), set()).add(f["why"])
                elif s in ours or d in ours:
                    pods[(s, d)] = union(pods.get((s, d), frozenset()), ps)
                    why.setdefault((s, d), set()).add(f["why"])
    return pods, addrs, sorted(set(missing)), why


def union(a, b):
    conns = {}
    for p, lo, hi in list(a) + list(b):
        add(conns, p, lo, hi)
    return norm(conns)


def endpoint(text):
    text = text.strip()
    m = re.match(r"^(.*)\[[A-Za-z]+\]$", text)
    if m:
        return m.group(1)
    try:
        return ip_range(text)
    except ValueError:
        return text


def nca_map(output, ours):
    pods, addrs = {}, {}
    for line in output.splitlines():
        if " => " not in line or " : " not in line:
            continue
        pair, conn = line.split(" : ", 1)
        s, d = (endpoint(x) for x in pair.split(" => ", 1))
        ps = parse_conn(conn)
        if isinstance(s, tuple) or isinstance(d, tuple):
            if isinstance(s, tuple) and isinstance(d, tuple):
                continue
            pod, rng, way = (d, s, "<=") if isinstance(s, tuple) else (s, d, "=>")
            if pod in ours:
                addrs.setdefault((pod, way), []).append((*rng, ps))
        elif s in ours or d in ours:
            pods[(s, d)] = union(pods.get((s, d), frozenset()), ps)
    return pods, addrs


def compare(exp, got, why):
    (epods, eaddrs), (gpods, gaddrs) = exp, got
    diffs = []

    def because(key):
        return f"  ({', '.join(sorted(why.get(key, ())))})"

    for key in sorted(set(epods) | set(gpods)):
        e, g = epods.get(key, frozenset()), gpods.get(key, frozenset())
        if blocked := subtract(e, g):
            diffs.append(f"drawn but blocked:    {key[0]} => {key[1]} : {show_ports(blocked)}"
                         + because(key))
        if extra := subtract(g, e):
            diffs.append(f"allowed but not drawn: {key[0]} => {key[1]} : {show_ports(extra)}")
    for key in sorted(set(eaddrs) | set(gaddrs)):
        pod, way = key
        entries = [(lo, hi, ps, "e") for lo, hi, ps in eaddrs.get(key, [])] + \
                  [(lo, hi, ps, "g") for lo, hi, ps in gaddrs.get(key, [])]
        cuts = sorted({lo for lo, _, _, _ in entries} | {hi + 1 for _, hi, _, _ in entries})
        for a, b in zip(cuts, cuts[1:]):
            side = {"e": {}, "g": {}}
            for lo, hi, ps, who in entries:
                if lo <= a and b - 1 <= hi:
                    for p, l, h in ps:
                        add(side[who], p, l, h)
            e, g = norm(side["e"]), norm(side["g"])
            where = show_range(a, b - 1)
            ends = (pod, where) if way == "=>" else (where, pod)
            if blocked := subtract(e, g):
                diffs.append(f"drawn but blocked:    {ends[0]} => {ends[1]} : {show_ports(blocked)}"
                             + because(key))
            if extra := subtract(g, e):
                diffs.append(f"allowed but not drawn: {ends[0]} => {ends[1]} : {show_ports(extra)}")
    return diffs


def count(pods, addrs):
    """'N pairs (P pod to pod, A with addresses)': an address pair is a run of addresses with
    the same ports, so both maps count alike however nca cuts the address space."""
    a = sum(len(canonical(v)) for v in addrs.values())
    return f"{len(pods) + a} pairs ({len(pods)} pod to pod, {a} with addresses)"


def main():
    if len(sys.argv) != 7:
        die("usage: connectivity.py EXPECTED.json CLUSTER ENV BUILT.yaml NCA WORKDIR")
    expected_path, cluster, env, built, nca, work = sys.argv[1:]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    entry = next((c for c in expected["clusters"] if c["cluster"] == cluster), None)
    if entry is None:
        die(f"{cluster}: not in {expected_path}")
    with open(built, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]
    resources, ours, standins = render(docs, entry["flows"])
    path = f"{work}/nca-input.yaml"
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump_all(resources, f, sort_keys=False)
    run = subprocess.run(
        [nca, "--connectivity", path, "--resource_list", path,
         "--output_endpoints", "deployments", "-o", "txt_no_fw_rules"],
        capture_output=True, text=True, check=False)
    if run.returncode != 0 or " => " not in run.stdout:
        die(f"{cluster}/{env}: nca failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    with open(f"{work}/nca-output.txt", "w", encoding="utf-8") as f:
        f.write(run.stdout)
    epods, eaddrs, missing, why = expected_map(entry["flows"], ours, standins)
    gpods, gaddrs = nca_map(run.stdout, ours)
    diffs = [f"missing workload:     {m}" for m in missing]
    diffs += compare((epods, eaddrs), (gpods, gaddrs), why)
    allowed, drawn = count(gpods, gaddrs), count(epods, eaddrs)
    label = f"{cluster}/overlays/{env}"
    print(f"  {label}: {len(ours)} workloads, {len(standins)} add-on stand-ins; "
          f"nca allows {allowed}, the drawing has {drawn}"
          + (" — equal" if not diffs else f" — {len(diffs)} differences"))
    for d in diffs:
        print(f"    {d}")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
