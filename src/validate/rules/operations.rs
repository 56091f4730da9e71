//! Operations: monitoring and logging attached, probes, limits, canary routing, pinned images.

use crate::model::{DesignGraph, EdgeKind, Exposure, Kind, NodeSpec, Strategy};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{and_list, env_label, is_long_running, label, nid};

pub const NO_MONITORING: Rule = Rule {
    id: "IC-OPS-001",
    family: Family::Operations,
    severity: Severity::Warning,
    title: "Each cluster has monitoring attached",
    check: no_monitoring,
};

pub const NO_LOGGING: Rule = Rule {
    id: "IC-OPS-002",
    family: Family::Operations,
    severity: Severity::Warning,
    title: "Each cluster has logging attached",
    check: no_logging,
};

pub const NO_PROBES: Rule = Rule {
    id: "IC-OPS-003",
    family: Family::Operations,
    severity: Severity::Warning,
    title: "Production workloads have liveness and readiness probes",
    check: no_probes,
};

pub const NO_LIMITS: Rule = Rule {
    id: "IC-OPS-004",
    family: Family::Operations,
    severity: Severity::Warning,
    title: "Production workloads have CPU and memory limits",
    check: no_limits,
};

pub const CANARY_WITHOUT_ROUTER: Rule = Rule {
    id: "IC-OPS-005",
    family: Family::Operations,
    severity: Severity::Error,
    title: "Canary workloads run where a mesh or ingress can split traffic",
    check: canary_without_router,
};

pub const AB_WITHOUT_HEADER_ROUTER: Rule = Rule {
    id: "IC-OPS-007",
    family: Family::Operations,
    severity: Severity::Error,
    title: "A/B tests run where an Istio mesh or an NGINX ingress matches request headers",
    check: ab_without_header_router,
};

pub const UNPINNED_IMAGE: Rule = Rule {
    id: "IC-OPS-006",
    family: Family::Operations,
    severity: Severity::Warning,
    title: "Workload images are pinned to a tag",
    check: unpinned_image,
};

/// Clusters with a node of kind `watcher` attached: inside them, or observing them, one of
/// their ancestors or something inside them. Linear: one pass marks the nodes watchers sit in
/// or observe, then each cluster looks at its own mark and walks up its ancestors.
fn watched_clusters(g: &DesignGraph, watcher: Kind) -> Vec<bool> {
    let mut marked = vec![false; g.len()];
    let mut watched = vec![false; g.len()];
    // A watcher inside a cluster watches it.
    for i in 0..g.len() {
        if g.kind(i) == watcher {
            if let Some(c) = g.scope(i).cluster {
                watched[c] = true;
            }
        }
    }
    // An observed node: a cluster, something inside one, or a container around clusters.
    for (e, edge) in g.design.edges.iter().enumerate() {
        if edge.kind() != EdgeKind::Observes {
            continue;
        }
        if let Some((a, b)) = g.edge_ends(e) {
            if g.kind(a) == watcher {
                marked[b] = true;
                if let Some(c) = g.scope(b).cluster {
                    watched[c] = true;
                }
            }
        }
    }
    for c in (0..g.len()).filter(|&c| g.kind(c).is_cluster()) {
        if !watched[c] && ancestor_marked(g, c, &marked) {
            watched[c] = true;
        }
    }
    watched
}

/// Whether a container enclosing `i` is marked (bounded by the tree's depth).
fn ancestor_marked(g: &DesignGraph, i: usize, marked: &[bool]) -> bool {
    let mut up = g.parent(i);
    let mut steps = 0;
    while let Some(p) = up {
        if marked[p] {
            return true;
        }
        steps += 1;
        if steps > g.len() {
            return false; // a parent cycle; the loader refuses these
        }
        up = g.parent(p);
    }
    false
}

fn unattached(g: &DesignGraph, rule: &Rule, watcher: Kind, hint: &str) -> Vec<Diagnostic> {
    let watched = watched_clusters(g, watcher);
    (0..g.len())
        .filter(|&c| g.kind(c).is_cluster() && !watched[c])
        .map(|c| {
            rule.diagnostic(
                format!(
                    "The cluster {} has no {} attached",
                    label(g, c),
                    watcher.label().to_lowercase()
                ),
                vec![nid(g, c)],
                hint,
            )
        })
        .collect()
}

fn no_monitoring(g: &DesignGraph) -> Vec<Diagnostic> {
    unattached(
        g,
        &NO_MONITORING,
        Kind::Monitoring,
        "Put a monitoring node (Prometheus, CloudWatch…) inside it, or draw an observes edge from one to it.",
    )
}

fn no_logging(g: &DesignGraph) -> Vec<Diagnostic> {
    unattached(
        g,
        &NO_LOGGING,
        Kind::Logging,
        "Put a logging node (ELK, Loki, Cloud Logging…) inside it, or draw an observes edge from one to it.",
    )
}

fn no_probes(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        if !is_long_running(w) || g.production_environments_of(i).is_empty() {
            continue;
        }
        let mut missing = Vec::new();
        if w.liveness.is_none() {
            missing.push("liveness".to_string());
        }
        if w.readiness.is_none() {
            missing.push("readiness".to_string());
        }
        if !missing.is_empty() {
            out.push(NO_PROBES.diagnostic(
                format!(
                    "The production workload {} has no {} probe",
                    label(g, i),
                    and_list(&missing).replace(" and ", " or ")
                ),
                vec![nid(g, i)],
                "Add liveness and readiness probes (an HTTP path or a TCP port).",
            ));
        }
    }
    out
}

fn no_limits(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        let lacking: Vec<String> = g
            .production_environments_of(i)
            .iter()
            .filter(|env| !w.resources_in(env).has_limits())
            .map(|env| env_label(env))
            .collect();
        if !lacking.is_empty() {
            out.push(NO_LIMITS.diagnostic(
                format!(
                    "The workload {} has no CPU and memory limits in {}",
                    label(g, i),
                    and_list(&lacking)
                ),
                vec![nid(g, i)],
                "Set both CPU and memory limits, so one workload cannot starve its neighbours.",
            ));
        }
    }
    out
}

fn canary_without_router(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut can_split = vec![false; g.len()];
    for i in 0..g.len() {
        if matches!(g.kind(i), Kind::ServiceMesh | Kind::IngressController) {
            if let Some(c) = g.scope(i).cluster {
                can_split[c] = true;
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        if !matches!(w.strategy, Strategy::Canary { .. }) {
            continue;
        }
        let Some(c) = g.scope(i).cluster else {
            continue;
        };
        if !can_split[c] {
            out.push(CANARY_WITHOUT_ROUTER.diagnostic(
                format!(
                    "{} rolls out by canary, but its cluster {} has no service mesh or ingress controller to split traffic",
                    label(g, i),
                    label(g, c)
                ),
                vec![nid(g, i), nid(g, c)],
                "Add an ingress controller or a service mesh to the cluster (Flagger shifts traffic through one), or use another strategy.",
            ));
        }
    }
    out
}

fn unpinned_image(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        let mut problems = Vec::new();
        if w.image.trim().is_empty() {
            problems.push("has no image".to_string());
        }
        let unpinned = |tag: &str| tag.trim().is_empty() || tag.trim() == "latest";
        if unpinned(&w.tag) {
            problems.push(if w.tag.trim().is_empty() {
                "has no tag".to_string()
            } else {
                "uses the tag `latest`".to_string()
            });
        }
        for (env, o) in &w.overrides {
            if let Some(tag) = o.tag.as_deref().filter(|t| unpinned(t)) {
                problems.push(if tag.trim().is_empty() {
                    format!("has no tag in environment `{env}`")
                } else {
                    format!("uses the tag `latest` in environment `{env}`")
                });
            }
        }
        if !problems.is_empty() {
            out.push(UNPINNED_IMAGE.diagnostic(
                format!("The workload {} {}", label(g, i), and_list(&problems)),
                vec![nid(g, i)],
                "Name the image and pin it to a version tag (e.g. `1.4.2`) so every deploy runs the same build.",
            ));
        }
    }
    out
}

/// Whether requests to workload `i` pass a router that can send them by header: an Istio
/// sidecar (its namespace injects the cluster's mesh, and the mesh is Istio, which an unnamed
/// mesh is taken for) or, for an external workload, the NGINX ingress that serves it (the one
/// with a link to it, else the cluster's first). Flagger's A/B analysis needs one of the two;
/// with neither it can only switch all traffic at once.
fn routes_by_header(g: &DesignGraph, i: usize, cluster: usize) -> bool {
    let inside = g.descendants(cluster);
    let meshed =
        g.scope(i).namespace.is_some_and(
            |ns| matches!(&g.node(ns).spec, NodeSpec::Namespace(n) if n.mesh_injection),
        ) && inside.iter().any(|&m| match &g.node(m).spec {
            NodeSpec::ServiceMesh(mesh) => {
                let product = mesh.product.to_lowercase();
                product.trim().is_empty() || product.contains("istio")
            }
            _ => false,
        });
    if meshed {
        return true;
    }
    let external = g
        .node(i)
        .spec
        .workload()
        .is_some_and(|w| w.exposure == Exposure::External);
    let linked = g.incoming(i).find_map(|(e, s)| {
        (matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute)
            && g.kind(s) == Kind::IngressController
            && g.scope(s).cluster == Some(cluster))
        .then_some(s)
    });
    let ingress = linked.or_else(|| {
        inside
            .iter()
            .copied()
            .find(|&s| g.kind(s) == Kind::IngressController)
    });
    external
        && ingress.is_some_and(|s| {
            matches!(&g.node(s).spec, NodeSpec::IngressController(ing) if ing.class.to_lowercase().contains("nginx"))
        })
}

fn ab_without_header_router(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        if !matches!(w.strategy, Strategy::AbTesting { .. }) {
            continue;
        }
        let Some(c) = g.scope(i).cluster else {
            continue;
        };
        if g.kind(c) == Kind::KubernetesCluster && routes_by_header(g, i, c) {
            continue;
        }
        let why = if g.kind(c) == Kind::SwarmCluster {
            format!(
                "the Swarm cluster {} has no router that splits by header",
                label(g, c)
            )
        } else {
            format!(
                "no Istio sidecar or NGINX ingress in {} sits on its path to match the headers",
                label(g, c)
            )
        };
        out.push(AB_WITHOUT_HEADER_ROUTER.diagnostic(
            format!(
                "{} rolls out by A/B testing, which sends requests by header (its flags become `x-feature-<flag>: on` headers), but {why}: the test would switch all traffic at once",
                label(g, i)
            ),
            vec![nid(g, i), nid(g, c)],
            "Route it through an NGINX ingress (make it external, with a link from the ingress) or an Istio mesh injected into its namespace, or roll out by blue-green.",
        ));
    }
    out
}
