//! Structure: containment, edges, names, clusters and environments.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::model::names::{is_kube_name, kube_name, kube_name_or, unique_kube_names};
use crate::model::{DesignGraph, Kind, NodeSpec};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{and_list, eid, label, nid, or_list};

pub const PARENT_KIND: Rule = Rule {
    id: "IC-STR-001",
    family: Family::Structure,
    severity: Severity::Error,
    title: "Each component sits under a parent of a kind it may have",
    check: parent_kind,
};

pub const MISSING_PARENT: Rule = Rule {
    id: "IC-STR-002",
    family: Family::Structure,
    severity: Severity::Error,
    title: "A node's parent exists",
    check: missing_parent,
};

pub const DANGLING_EDGE: Rule = Rule {
    id: "IC-STR-003",
    family: Family::Structure,
    severity: Severity::Error,
    title: "Both ends of an edge exist",
    check: dangling_edge,
};

pub const EDGE_KIND: Rule = Rule {
    id: "IC-STR-004",
    family: Family::Structure,
    severity: Severity::Error,
    title: "An edge's kind is allowed between the kinds it connects",
    check: edge_kind,
};

pub const DUPLICATE_NAME: Rule = Rule {
    id: "IC-STR-005",
    family: Family::Structure,
    severity: Severity::Error,
    title: "Names are unique per scope",
    check: duplicate_name,
};

pub const KUBE_NAME_CLASH: Rule = Rule {
    id: "IC-STR-006",
    family: Family::Structure,
    severity: Severity::Warning,
    title: "Different names do not become the same Kubernetes name",
    check: kube_name_clash,
};

pub const KUBE_NAME: Rule = Rule {
    id: "IC-STR-007",
    family: Family::Structure,
    severity: Severity::Info,
    title: "Names that are not Kubernetes names, and what they are exported as",
    check: kube_name_rule,
};

pub const EMPTY_CLUSTER: Rule = Rule {
    id: "IC-STR-008",
    family: Family::Structure,
    severity: Severity::Warning,
    title: "Clusters run something",
    check: empty_cluster,
};

pub const UNKNOWN_ENVIRONMENT: Rule = Rule {
    id: "IC-STR-009",
    family: Family::Structure,
    severity: Severity::Error,
    title: "Environments named by clusters and workload overrides exist",
    check: unknown_environment,
};

fn parent_place(p: Option<Kind>) -> String {
    match p {
        None => "the top of the design".to_string(),
        Some(k) => format!("a {}", k.label()),
    }
}

fn allowed_places(kind: Kind) -> String {
    let places: Vec<String> = kind
        .allowed_parents()
        .iter()
        .map(|p| parent_place(*p))
        .collect();
    or_list(&places)
}

fn parent_kind(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let node = g.node(i);
        let kind = node.kind();
        match (node.parent.is_some(), g.parent(i)) {
            (true, None) => {}           // the parent names no node: IC-STR-002
            (_, Some(p)) if p == i => {} // inside itself: IC-STR-002
            (_, Some(p)) => {
                let parent_kind = g.kind(p);
                if !kind.may_have_parent(Some(parent_kind)) {
                    out.push(PARENT_KIND.diagnostic(
                        format!(
                            "{} ({}) cannot sit inside {} ({})",
                            label(g, i),
                            kind.label(),
                            label(g, p),
                            parent_kind.label()
                        ),
                        vec![nid(g, i), nid(g, p)],
                        format!("Move it to {}.", allowed_places(kind)),
                    ));
                }
            }
            (false, None) => {
                if !kind.may_have_parent(None) {
                    out.push(PARENT_KIND.diagnostic(
                        format!(
                            "{} ({}) sits at the top of the design but needs a parent",
                            label(g, i),
                            kind.label()
                        ),
                        vec![nid(g, i)],
                        format!("Move it into {}.", allowed_places(kind)),
                    ));
                }
            }
        }
    }
    out
}

fn missing_parent(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let node = g.node(i);
        let Some(parent) = node.parent.as_deref() else {
            continue;
        };
        match g.parent(i) {
            None => out.push(MISSING_PARENT.diagnostic(
                format!(
                    "{} is placed inside `{parent}`, which names no node",
                    label(g, i)
                ),
                vec![nid(g, i)],
                format!(
                    "Move it into an existing container ({}) or restore the missing one.",
                    allowed_places(node.kind())
                ),
            )),
            Some(p) if p == i => out.push(MISSING_PARENT.diagnostic(
                format!("{} is placed inside itself", label(g, i)),
                vec![nid(g, i)],
                format!("Move it to {}.", allowed_places(node.kind())),
            )),
            Some(_) => {}
        }
    }
    out
}

fn dangling_edge(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        if g.edge_ends(e).is_some() {
            continue;
        }
        let missing: Vec<String> = [("starts at", &edge.from), ("ends at", &edge.to)]
            .into_iter()
            .filter(|(_, id)| g.index_of(id).is_none())
            .map(|(what, id)| format!("{what} `{id}`"))
            .collect();
        out.push(DANGLING_EDGE.diagnostic(
            format!(
                "{} edge `{}` {}, which names no node",
                edge.kind().label(),
                edge.id,
                and_list(&missing)
            ),
            vec![eid(g, e)],
            "Delete the edge or reconnect it to existing components.",
        ));
    }
    out
}

fn edge_kind(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        let Some((a, b)) = g.edge_ends(e) else {
            continue;
        };
        let kind = edge.kind();
        if a == b {
            out.push(EDGE_KIND.diagnostic(
                format!(
                    "{} edge `{}` connects {} to itself",
                    kind.label(),
                    edge.id,
                    label(g, a)
                ),
                vec![eid(g, e), nid(g, a)],
                "Delete the edge or connect it to another component.",
            ));
            continue;
        }
        let (from, to) = (g.kind(a), g.kind(b));
        if !from.accepts_edge(kind, to) {
            let allowed: Vec<String> = from
                .edge_kinds_to(to)
                .into_iter()
                .map(|k| format!("`{}`", k.label()))
                .collect();
            out.push(EDGE_KIND.diagnostic(
                format!(
                    "A {} edge cannot run from {} ({}) to {} ({})",
                    kind.label(),
                    label(g, a),
                    from.label(),
                    label(g, b),
                    to.label()
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                format!(
                    "Between these kinds use {} instead, or connect other components.",
                    or_list(&allowed)
                ),
            ));
        }
    }
    out
}

fn normalized(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A hash of [`normalized`]`(name)` computed without allocating (FNV-1a over the folded chars).
fn normalized_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |c: char| {
        h ^= u64::from(u32::from(c));
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    for c in name.trim().chars() {
        if c.is_ascii() {
            feed(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut feed);
        }
    }
    h
}

/// Runs of equal keys in `items` once sorted: linearithmic, and no allocation per item.
fn runs<K: Ord + Copy>(mut items: Vec<(K, usize)>) -> Vec<Vec<usize>> {
    items.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for end in 1..=items.len() {
        if end == items.len() || items[end].0 != items[start].0 {
            if end - start > 1 {
                out.push(items[start..end].iter().map(|(_, i)| *i).collect());
            }
            start = end;
        }
    }
    out
}

fn by_id(g: &DesignGraph, group: &mut [usize]) {
    group.sort_unstable_by(|&a, &b| g.node(a).id.cmp(&g.node(b).id));
}

fn scope_label(g: &DesignGraph, parent: Option<usize>) -> String {
    match parent {
        Some(p) => label(g, p),
        None => "the top of the design".to_string(),
    }
}

fn duplicate_name(g: &DesignGraph) -> Vec<Diagnostic> {
    let keyed: Vec<_> = (0..g.len())
        .filter(|&i| !g.node(i).name.trim().is_empty())
        .map(|i| {
            (
                (g.parent(i), g.kind(i), normalized_hash(&g.node(i).name)),
                i,
            )
        })
        .collect();
    let mut out = Vec::new();
    for candidates in runs(keyed) {
        // Equal hashes: group by the names themselves (allocating only here).
        let mut named: Vec<_> = candidates
            .iter()
            .map(|&i| (normalized(&g.node(i).name), i))
            .collect();
        named.sort_unstable();
        let mut start = 0;
        for end in 1..=named.len() {
            if end < named.len() && named[end].0 == named[start].0 {
                continue;
            }
            if end - start > 1 {
                let mut group: Vec<usize> = named[start..end].iter().map(|(_, i)| *i).collect();
                by_id(g, &mut group);
                out.push(duplicates(g, &group));
            }
            start = end;
        }
    }
    out.sort_by_key(|d| d.targets.clone());
    out
}

fn duplicates(g: &DesignGraph, group: &[usize]) -> Diagnostic {
    let first = group[0];
    let names: Vec<String> = group.iter().map(|&i| label(g, i)).collect();
    DUPLICATE_NAME.diagnostic(
        format!(
            "The {}s {} in {} have the same name",
            g.kind(first).label().to_lowercase(),
            and_list(&names),
            scope_label(g, g.parent(first)),
        ),
        group.iter().map(|&i| nid(g, i)).collect(),
        "Give each a distinct name; exports, diagrams and diagnostics refer to them by name.",
    )
}

/// The scope in which a node's Kubernetes name must be unique, for the kinds exported under
/// their names: clusters across the design, namespaces per cluster, workloads per namespace or
/// Swarm cluster.
fn kube_scope(g: &DesignGraph, i: usize) -> Option<Option<usize>> {
    match g.kind(i) {
        Kind::KubernetesCluster | Kind::SwarmCluster => Some(None),
        Kind::Namespace | Kind::Workload => Some(g.parent(i)),
        _ => None,
    }
}

/// The Kubernetes name a node is exported under (before de-duplication), borrowed when the name
/// already is one.
fn exported_name<'a>(g: &DesignGraph<'a>, i: usize) -> Cow<'a, str> {
    let node = g.node(i);
    if is_kube_name(&node.name) && !node.name.contains("--") {
        Cow::Borrowed(node.name.as_str())
    } else {
        Cow::Owned(kube_name_or(&node.name, &node.id))
    }
}

/// A Kubernetes naming scope: the enclosing node (none for design-wide) and the kind named.
type KubeScope = (Option<usize>, Kind);

fn kube_name_clash(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut items: Vec<(KubeScope, Cow<str>, usize)> = (0..g.len())
        .filter_map(|i| kube_scope(g, i).map(|s| ((s, g.kind(i)), exported_name(g, i), i)))
        .collect();
    items.sort_unstable();
    let mut out = Vec::new();
    // Scopes are contiguous once sorted; within one, equal names are too.
    let mut scope_start = 0;
    for scope_end in 1..=items.len() {
        if scope_end < items.len() && items[scope_end].0 == items[scope_start].0 {
            continue;
        }
        let scope = &items[scope_start..scope_end];
        scope_start = scope_end;
        let mut clashes: Vec<Vec<usize>> = Vec::new();
        let mut start = 0;
        for end in 1..=scope.len() {
            if end < scope.len() && scope[end].1 == scope[start].1 {
                continue;
            }
            let bucket: Vec<usize> = scope[start..end].iter().map(|t| t.2).collect();
            start = end;
            if bucket.len() > 1 {
                let first = normalized(&g.node(bucket[0]).name);
                if bucket.iter().any(|&i| normalized(&g.node(i).name) != first) {
                    clashes.push(bucket);
                }
            }
        }
        if clashes.is_empty() {
            continue;
        }
        let unique = unique_kube_names(
            scope
                .iter()
                .map(|t| (g.node(t.2).id.as_str(), g.node(t.2).name.as_str())),
        );
        for mut bucket in clashes {
            by_id(g, &mut bucket);
            let base = exported_name(g, bucket[0]);
            let names: Vec<String> = bucket.iter().map(|&i| label(g, i)).collect();
            let renamed: Vec<String> = bucket
                .iter()
                .filter_map(|&i| {
                    let new = unique.get(g.node(i).id.as_str())?;
                    (*new != base).then(|| format!("{} becomes `{new}`", label(g, i)))
                })
                .collect();
            let kind = g.kind(bucket[0]).label().to_lowercase();
            out.push(KUBE_NAME_CLASH.diagnostic(
                format!(
                    "The {kind}s {} in {} all map to the Kubernetes name `{base}`; on export {}",
                    and_list(&names),
                    scope_label(g, kube_scope(g, bucket[0]).flatten()),
                    and_list(&renamed)
                ),
                bucket.iter().map(|&i| nid(g, i)).collect(),
                "Rename them so their Kubernetes names differ.",
            ));
        }
    }
    out
}

/// Whether node `i` is exported to Kubernetes or Swarm under a name derived from its own.
fn exported_by_name(g: &DesignGraph, i: usize) -> bool {
    match g.kind(i) {
        Kind::Namespace | Kind::Workload | Kind::KubernetesCluster | Kind::SwarmCluster => true,
        Kind::Database | Kind::Cache | Kind::Queue => g
            .parent(i)
            .is_some_and(|p| matches!(g.kind(p), Kind::Namespace | Kind::SwarmCluster)),
        _ => false,
    }
}

fn kube_name_rule(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let node = g.node(i);
        if !exported_by_name(g, i) || is_kube_name(&node.name) {
            continue;
        }
        match kube_name(&node.name) {
            // `API Gateway` → `api-gateway` surprises nobody; only say something when the
            // export changes more than case and separators (transliteration, dropped signs).
            Some(name) if name == obvious_kube_name(&node.name) => {}
            Some(name) => out.push(KUBE_NAME.diagnostic(
                format!("{} is exported as `{name}`", label(g, i)),
                vec![nid(g, i)],
                "Nothing to do if that suits you; otherwise rename it with lowercase Latin letters, digits and `-`.",
            )),
            None => {
                let mut d = KUBE_NAME.diagnostic(
                    format!(
                        "Nothing of the name {} is usable in Kubernetes; it is exported as `{}` after its id",
                        label(g, i),
                        kube_name_or(&node.name, &node.id)
                    ),
                    vec![nid(g, i)],
                    "Give it a name with letters or digits.",
                );
                d.severity = Severity::Warning;
                out.push(d);
            }
        }
    }
    out
}

/// The name lowercased with runs of spaces, `_` and `.` turned into one `-`.
fn obvious_kube_name(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '.' || c == '-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn empty_cluster(g: &DesignGraph) -> Vec<Diagnostic> {
    // A namespace fills a Kubernetes cluster; a workload fills either kind.
    let mut used = vec![false; g.len()];
    for i in 0..g.len() {
        let Some(c) = g.scope(i).cluster else {
            continue;
        };
        match g.kind(i) {
            Kind::Workload => used[c] = true,
            Kind::Namespace if g.kind(c) == Kind::KubernetesCluster => used[c] = true,
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (c, used) in used.into_iter().enumerate() {
        let (what, hint) = match g.kind(c) {
            Kind::KubernetesCluster => (
                "has no namespaces or workloads",
                "Add a namespace with the workloads it runs, or delete the cluster.",
            ),
            Kind::SwarmCluster => (
                "has no workloads",
                "Add the services it runs, or delete the cluster.",
            ),
            _ => continue,
        };
        if !used {
            out.push(EMPTY_CLUSTER.diagnostic(
                format!("{} ({}) {what}", label(g, c), g.kind(c).label()),
                vec![nid(g, c)],
                hint,
            ));
        }
    }
    out
}

fn unknown_environment(g: &DesignGraph) -> Vec<Diagnostic> {
    let envs: HashSet<&str> = g
        .design
        .environments
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    let known = || {
        let ids: Vec<String> = g
            .design
            .environments
            .iter()
            .map(|e| format!("`{}`", e.id))
            .collect();
        if ids.is_empty() {
            "The design has no environments; add it under environments.".to_string()
        } else {
            format!(
                "Use one of {}, or add it to the design's environments.",
                or_list(&ids)
            )
        }
    };
    let mut out = Vec::new();
    for i in 0..g.len() {
        match &g.node(i).spec {
            NodeSpec::KubernetesCluster(_) | NodeSpec::SwarmCluster(_) => {
                let Some((env, _)) = g.node(i).spec.cluster_placement() else {
                    continue;
                };
                if !env.is_empty() && !envs.contains(env) {
                    out.push(UNKNOWN_ENVIRONMENT.diagnostic(
                        format!(
                            "{} serves environment `{env}`, which the design does not have",
                            label(g, i)
                        ),
                        vec![nid(g, i)],
                        known(),
                    ));
                }
            }
            NodeSpec::Workload(w) => {
                let unknown: Vec<String> = w
                    .overrides
                    .keys()
                    .filter(|k| !envs.contains(k.as_str()))
                    .map(|k| format!("`{k}`"))
                    .collect();
                if !unknown.is_empty() {
                    out.push(UNKNOWN_ENVIRONMENT.diagnostic(
                        format!(
                            "{} overrides settings for environment {}, which the design does not have",
                            label(g, i),
                            and_list(&unknown)
                        ),
                        vec![nid(g, i)],
                        known(),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}
