#!/usr/bin/env python3
"""Checks of a Terraform export (`infracanvas export terraform`), run by check-terraform.sh.

  check_terraform.py parse DIR         python-hcl2 parses every .tf and .tfvars file; every
                                       reference (resource, data, var, local, provider alias)
                                       names something the module declares; sensitive
                                       variables have no default; prints resources per type.
  check_terraform.py schema DIR LIB    resource and data source types and every attribute and
                                       block name used, against the provider schema as
                                       generated into @cdktf/provider-aws (LIB = its lib/ dir).
  check_terraform.py checkov DIR       checkov --framework terraform per template, with the
                                       skip list below; prints passed/failed/skipped; fails on
                                       any failed check or parsing error.
"""
import collections
import json
import os
import re
import subprocess
import sys

import hcl2

META = {"provider", "depends_on", "for_each", "count", "lifecycle", "__start_line__", "__end_line__"}

# checkov checks not applied: (check id, resources it is waived for (a regular expression on
# `type.label`), the reason). Any other failure fails the build.
SKIPS = [
    # Access logs: the per-region access-log bucket takes S3 and ALB logs; it cannot log into
    # itself, and ALB log delivery supports SSE-S3 only (no KMS key).
    ("CKV_AWS_18", r"aws_s3_bucket\..*_access_logs$", "the access-log bucket does not log into itself"),
    ("CKV_AWS_145", r"aws_s3_bucket\..*_access_logs$", "ALB access logs accept SSE-S3 only, not KMS"),
    ("CKV_AWS_86", r".*", "CloudFront standard logs need bucket ACLs; the log bucket enforces owner-only objects"),
    # Replication and notifications are design choices the drawing does not make.
    ("CKV_AWS_144", r".*", "S3 cross-region replication: not drawn (DR of buckets is not in the design)"),
    ("CKV2_AWS_62", r".*", "S3 event notifications: nothing in the design consumes them"),
    # A KMS key policy is not an identity policy: its `*` resource means the key itself.
    ("CKV_AWS_109", r"aws_iam_policy_document\.kms_", "KMS key policy: resource * is the key itself"),
    ("CKV_AWS_111", r"aws_iam_policy_document\.kms_", "KMS key policy: resource * is the key itself"),
    ("CKV_AWS_356", r"aws_iam_policy_document\.kms_", "KMS key policy: resource * is the key itself"),
    # Single-account designs: GuardDuty is enabled per region, not through an organisation.
    ("CKV2_AWS_3", r".*", "GuardDuty organisation configuration: single-account design"),
    # CloudFront: the designs put their WAF at the regional ALB (seed 003 draws WAF & Shield in
    # the public subnet) and name no host for the CDN, so it serves on its default certificate.
    ("CKV_AWS_68", r".*", "CloudFront WAF: the design's WAF sits at the ALB behind it"),
    ("CKV2_AWS_47", r".*", "CloudFront WAF Log4j rules: the design's WAF (with them) sits at the ALB"),
    ("CKV_AWS_174", r".*", "CloudFront TLS 1.2 minimum needs a custom certificate: no CDN host drawn"),
    ("CKV2_AWS_42", r".*", "CloudFront custom certificate: no CDN host drawn"),
    ("CKV_AWS_374", r".*", "CloudFront geo restriction: the design restricts no country"),
    ("CKV_AWS_310", r".*", "CloudFront origin failover: one origin per CDN is drawn"),
    ("CKV_AWS_305", r".*", "CloudFront default root object: an application origin serves its own root"),
    # The OpenVPN VM must be reachable by its peer in the other cloud.
    ("CKV_YC_2", r"yandex_compute_instance\.", "VPN VM public address: the tunnel's peer connects to it"),
]


def waived(check_id, resource):
    return any(c == check_id and re.search(pattern, resource) for c, pattern, _ in SKIPS)


def modules(root):
    """Directories holding a versions.tf, sorted."""
    out = []
    for d, _, files in os.walk(root):
        if "versions.tf" in files:
            out.append(d)
    return sorted(out)


def load(path):
    with open(path, encoding="utf-8") as f:
        return hcl2.load(f)


def blocks(doc, kind):
    """(type, label, body) of `resource`/`data` blocks in a python-hcl2 document."""
    for item in doc.get(kind, []):
        for rtype, named in item.items():
            for label, body in named.items():
                yield rtype, label, body


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


REF = re.compile(r"(?<![\w.])(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+|(?:aws|yandex)[a-z0-9_]*\.[A-Za-z0-9_-]+)")


def parse(root):
    failures = []
    counts = collections.Counter()
    mods = modules(root)
    for mod in mods:
        docs = {}
        for name in sorted(os.listdir(mod)):
            if name.endswith(".tf"):
                docs[name] = load(os.path.join(mod, name))
        for d, _, files in os.walk(mod):
            for name in files:
                if name.endswith(".tfvars") or name.endswith(".tfvars.example"):
                    load(os.path.join(d, name))  # raises on a parse error
        declared = set()
        aliases = set()
        depends = collections.defaultdict(set)  # block -> blocks it refers to
        for doc in docs.values():
            for rtype, label, _ in blocks(doc, "resource"):
                key = f"{rtype}.{label}"
                if key in declared:
                    failures.append(f"{mod}: {key} declared twice")
                declared.add(key)
                counts[(os.path.relpath(mod, root), rtype)] += 1
            for rtype, label, _ in blocks(doc, "data"):
                declared.add(f"data.{rtype}.{label}")
            for v in doc.get("variable", []):
                for name, body in v.items():
                    declared.add(f"var.{name}")
                    if body.get("sensitive") in (True, [True]) and "default" in body:
                        failures.append(f"{mod}: sensitive variable {name} has a default")
            for loc in doc.get("locals", []):
                for name in loc:
                    if not name.startswith("__"):
                        declared.add(f"local.{name}")
            for p in doc.get("provider", []):
                for pname, body in p.items():
                    alias = body.get("alias")
                    alias = alias[0] if isinstance(alias, list) else alias
                    aliases.add(f"{pname}.{alias}")
        for fname, doc in docs.items():
            for kind in ("resource", "data"):
                for rtype, label, body in blocks(doc, kind):
                    me = f"{rtype}.{label}" if kind == "resource" else f"data.{rtype}.{label}"
                    for s in strings(body):
                        for ref in REF.findall(s):
                            if ref in declared and not ref.startswith(("var.", "local.")):
                                depends[me].add(ref)
            for s in strings(doc):
                if "${" not in s:
                    continue
                for ref in REF.findall(s):
                    if ref in declared or ref in aliases:
                        continue
                    parts = ref.split(".")
                    if parts[0] in ("aws", "yandex"):
                        failures.append(f"{mod}/{fname}: provider {ref} has no configuration")
                    elif ref.startswith(("var.", "local.", "data.")) or "_" in parts[0]:
                        failures.append(f"{mod}/{fname}: {ref} is not declared")
        cycle = find_cycle(depends)
        if cycle:
            failures.append(f"{mod}: dependency cycle " + " -> ".join(cycle))
    for f in failures:
        print(f"    FAIL {f}")
    by_module = collections.defaultdict(list)
    for (mod, rtype), n in sorted(counts.items()):
        by_module[mod].append(f"{rtype} {n}")
    for mod, items in by_module.items():
        total = sum(int(i.rsplit(" ", 1)[1]) for i in items)
        print(f"    {mod}: {total} resources: " + ", ".join(items))
    print(f"    python-hcl2 parsed {len(mods)} module(s); references resolve; no dependency cycle" if not failures else "")
    return 1 if failures else 0


def find_cycle(depends):
    """A cycle in the reference graph (Terraform refuses to plan one), or None."""
    state = {}
    path = []

    def visit(n):
        state[n] = "open"
        path.append(n)
        for m in sorted(depends.get(n, ())):
            if state.get(m) == "open":
                return path[path.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        path.pop()
        state[n] = "done"
        return None

    for n in sorted(depends):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def camel_to_snake(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def schema_of(lib, kind, rtype):
    """Attribute/block names and map-typed attributes of an AWS resource or data source."""
    stem = rtype[len("aws_"):].replace("_", "-")
    d = os.path.join(lib, ("data-aws-" + stem) if kind == "data" else stem)
    path = os.path.join(d, "index.d.ts")
    if not os.path.exists(path):
        return None
    text = open(path, encoding="utf-8").read()
    names = set(re.findall(r"#([a-z0-9_]+) [A-Za-z0-9]+#", text))
    maps = {camel_to_snake(m) for m in re.findall(r"readonly (\w+)\?: \{\s*\[key: string\]", text)}
    # Recursive schemas (WAFv2 rule statements) are typed `any` by cdktf: not checked inside.
    maps |= {camel_to_snake(m) for m in re.findall(r"readonly (\w+)\?: any;", text)}
    return names, maps


def schema(root, lib):
    failures = []
    checked = 0
    for mod in modules(root):
        for name in sorted(os.listdir(mod)):
            if not name.endswith(".tf"):
                continue
            doc = load(os.path.join(mod, name))
            for kind in ("resource", "data"):
                for rtype, label, body in blocks(doc, kind):
                    if not rtype.startswith("aws_"):
                        continue
                    s = schema_of(lib, kind, rtype)
                    if s is None:
                        failures.append(f"{mod}/{name}: {kind} type {rtype} is not in the provider schema")
                        continue
                    names, maps = s
                    checked += 1

                    def walk(b, where):
                        for k, v in b.items():
                            if k in META:
                                continue
                            if k not in names:
                                failures.append(f"{mod}/{name}: {rtype}.{label}: `{where}{k}` is not an attribute or block of {rtype}")
                                continue
                            if k in maps:
                                continue
                            for item in v if isinstance(v, list) else [v]:
                                if isinstance(item, dict):
                                    walk(item, f"{where}{k}.")

                    walk(body, "")
    for f in failures:
        print(f"    FAIL {f}")
    if not failures:
        print(f"    {checked} AWS resources and data sources: types and attribute names found in the provider schema")
    return 1 if failures else 0


def checkov(root, exe):
    status = 0
    for template in sorted(os.listdir(root)):
        tdir = os.path.join(root, template)
        if not os.path.isdir(tdir) or not modules(tdir):
            print(f"    {template}: no Terraform module (no cloud provider with a Terraform provider)")
            continue
        # Run every check; failures of a check in SKIPS are counted as skipped, the rest fail.
        cmd = [exe, "-d", tdir, "--framework", "terraform", "-o", "json", "--compact", "--quiet",
               "--skip-download"]
        out = subprocess.run(cmd, capture_output=True, text=True)
        try:
            report = json.loads(out.stdout)
        except json.JSONDecodeError:
            print(f"    FAIL {template}: checkov did not report (exit {out.returncode}): {out.stderr[-500:]}")
            status = 1
            continue
        reports = report if isinstance(report, list) else [report]
        passed = failed = skipped = errors = 0
        failures = []
        skipped_ids = collections.Counter()
        for r in reports:
            summary = r.get("summary", {})
            passed += summary.get("passed", 0)
            errors += summary.get("parsing_errors", 0)
            for c in r.get("results", {}).get("failed_checks", []):
                if waived(c["check_id"], c["resource"]):
                    skipped += 1
                    skipped_ids[c["check_id"]] += 1
                else:
                    failed += 1
                    failures.append(f"{c['check_id']} {c['resource']} ({c.get('file_path', '')})")
        listed = ", ".join(f"{k} x{n}" for k, n in sorted(skipped_ids.items()))
        print(f"    {template}: checkov passed {passed}, failed {failed}, skipped {skipped} (skip list: {listed or 'none'}), parsing errors {errors}")
        for f in failures:
            print(f"      FAILED {f}")
        if failed or errors or passed == 0:
            status = 1
    return status


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, root = sys.argv[1], sys.argv[2]
    if cmd == "parse":
        sys.exit(parse(root))
    if cmd == "schema":
        sys.exit(schema(root, sys.argv[3]))
    if cmd == "checkov":
        sys.exit(checkov(root, sys.argv[3]))
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
