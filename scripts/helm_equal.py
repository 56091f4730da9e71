"""Compares what `helm template` renders from a chart of the Helm export with what
`kubectl kustomize overlays/<env>` builds from the Kustomize export of the same cluster.

    python helm_equal.py HELM.yaml KUSTOMIZE.yaml

The normalisation (the documented one, see scripts/check-helm.sh):

* both streams are parsed as YAML; comments (Helm's `# Source:` lines), document order, key
  order, quoting and indentation do not count;
* objects are matched by (apiVersion, kind, namespace, name): the two sets must be identical,
  with no duplicate in either;
* in every object's own `metadata.labels`, and nowhere else, these labels may differ:
    app.kubernetes.io/managed-by   Helm's `Helm` where the Kustomize tree says `infracanvas`
    app.kubernetes.io/instance     the release name, added by Helm
    helm.sh/chart                  <chart>-<version>, added by Helm
  they are removed from both sides before comparing;
* every object Helm renders must carry Helm's three labels (managed-by `Helm`);
* every other field must be equal, value and type (`1` is not `"1"`), including the
  `infracanvas.io/environment` label the overlay adds.

Prints "<objects> objects equal" or each difference (by object and path) and exits 1.
"""

import sys

import yaml

HELM_LABELS = ("app.kubernetes.io/managed-by", "app.kubernetes.io/instance", "helm.sh/chart")


def load(path, helm):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    out = {}
    for d in docs:
        meta = d.get("metadata") or {}
        key = (d.get("apiVersion"), d.get("kind"), meta.get("namespace", ""), meta.get("name"))
        if key in out:
            sys.exit(f"{path}: {key} appears twice")
        labels = meta.get("labels")
        if helm and (
            not isinstance(labels, dict)
            or labels.get("app.kubernetes.io/managed-by") != "Helm"
            or not labels.get("helm.sh/chart")
            or not labels.get("app.kubernetes.io/instance")
        ):
            sys.exit(f"{path}: {key} lacks Helm's labels (managed-by: Helm, helm.sh/chart, instance)")
        if isinstance(labels, dict):
            for label in HELM_LABELS:
                labels.pop(label, None)
            if not labels:
                meta.pop("labels")
        out[key] = d
    return out


def diff(a, b, path, found):
    if type(a) is not type(b):
        found.append(f"{path}: helm {a!r} / kustomize {b!r}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                found.append(f"{path}.{k}: only in kustomize ({b[k]!r})")
            elif k not in b:
                found.append(f"{path}.{k}: only in helm ({a[k]!r})")
            else:
                diff(a[k], b[k], f"{path}.{k}", found)
    elif isinstance(a, list):
        if len(a) != len(b):
            found.append(f"{path}: {len(a)} items in helm, {len(b)} in kustomize")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", found)
    elif a != b:
        found.append(f"{path}: helm {a!r} / kustomize {b!r}")


def main():
    helm, kustomize = load(sys.argv[1], True), load(sys.argv[2], False)
    found = []
    for key in sorted(set(helm) - set(kustomize), key=str):
        found.append(f"{key}: rendered by helm only")
    for key in sorted(set(kustomize) - set(helm), key=str):
        found.append(f"{key}: built by kustomize only")
    for key in sorted(set(helm) & set(kustomize), key=str):
        diff(helm[key], kustomize[key], "/".join(str(k) for k in key[1:]), found)
    if found:
        print("\n".join(found[:40]))
        if len(found) > 40:
            print(f"... and {len(found) - 40} more differences")
        sys.exit(1)
    print(f"{len(helm)} objects equal")


if __name__ == "__main__":
    main()
