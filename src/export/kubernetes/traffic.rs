//! The traffic a cluster's pods must be allowed, resolved from the drawing: who talks to whom,
//! on which ports, and why. The NetworkPolicies (`network.rs`) are built from this list, and the
//! connectivity check (`scripts/check-connectivity.sh`) compares network-config-analyzer's map
//! of the built overlays with it, so the list is the contract between drawing and cluster.
//!
//! Rules, one function each:
//! * [`drawn`]: every traffic, access or geo-route edge between real endpoints. Edges through a
//!   transparent hop are followed to the real endpoint behind it: a service mesh (sidecar to
//!   sidecar is pod to pod), a geo router (DNS answers, the client connects itself) and a
//!   balancer inside the cluster (a Service: kube-proxy keeps the pod as source). So
//!   `api → mesh → postgres:5432` is `api → postgres:5432`. An ingress controller is not
//!   transparent: its own pods proxy, so the workloads behind it admit its namespace.
//! * [`exposed`]: an external workload admits its ingress controller on the port its Ingress
//!   routes to.
//! * [`scrapes`]: a Prometheus drawn observing a cluster, namespace or unit scrapes each unit
//!   there on its metrics port (ports named `metrics`, else the unit's ports; CloudNativePG's
//!   exporter on 9187). Managed monitoring services collect through agents that push, so
//!   only Prometheus scrapes.
//! * [`replication`]: a replicated PostgreSQL (a CloudNativePG cluster; every other store runs
//!   one pod) reaches its own pods, admits its operator (ports 8000 and 5432) and reaches the
//!   Kubernetes API.
//! * [`progressive`]: a workload rolled out by Flagger admits Flagger's load tester (its own
//!   namespace) on the port its Canary serves; in a meshed namespace, Flagger's Prometheus
//!   scrapes Istio's merged metrics (15020), which the canary analysis reads.
//! * [`namespace_wide`]: every exported pod resolves names in `kube-system` (UDP/TCP 53); with
//!   sidecar injection the sidecars reach the mesh control plane.
//!
//! Peers outside the cluster are addresses: the CIDR of their subnet when the design gives one,
//! otherwise `0.0.0.0/0` on the edge's ports only (managed endpoints have provider-assigned
//! addresses that change). Nothing else is allowed: an in-cluster node with no pods we can name
//! (a mesh or monitoring node drawn at cluster level) is a hop or nothing.

// Where Flagger's load tester and Flagger (with its Prometheus) run: the add-ons' README
// installs them there.
use super::addons::{FLAGGER_NAMESPACE, LOADTESTER_NAMESPACE};
use std::collections::{BTreeMap, BTreeSet};

use crate::export::engines;
use crate::model::names::kube_name_or;
use crate::model::*;

use super::plan::{is_use, subnet_cidr, Body, ClusterPlan, DesignPlan, Unit};

/// Anywhere outside the cluster.
pub(crate) const ANYWHERE: &str = "0.0.0.0/0";
/// CloudNativePG: the instance manager's status port (the operator calls it) and the exporter.
const CNPG_STATUS: u16 = 8000;
const CNPG_METRICS: u16 = 9187;

/// One end of a flow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Peer {
    /// The pods of one exported workload or store (selected by `infracanvas.io/workload`).
    Unit { ns: String, name: String },
    /// Every exported pod of a namespace (the source of DNS and mesh control traffic).
    Ours(String),
    /// Pods of an add-on installed from its own chart. `by_labels`: the policy selects them by
    /// `labels` inside `ns`; otherwise by the namespace alone (the chart's labels unknown).
    /// `name` and `labels` also describe the stand-in pod the connectivity check adds.
    Addon {
        ns: String,
        name: String,
        labels: BTreeMap<String, String>,
        by_labels: bool,
    },
    /// Addresses outside the cluster.
    Cidr(String),
}

/// Why a flow is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Reason {
    Drawn,
    /// Drawn through a transparent hop (mesh, geo router, in-cluster balancer).
    ThroughHop,
    /// An exposed workload behind its ingress controller.
    Exposed,
    Scrape,
    LoadTest,
    Replication,
    Operator,
    Dns,
    MeshControl,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Drawn => "drawn",
            Reason::ThroughHop => "drawn through a hop",
            Reason::Exposed => "ingress controller to an exposed workload",
            Reason::Scrape => "monitoring scrape",
            Reason::LoadTest => "canary load test",
            Reason::Replication => "replication",
            Reason::Operator => "operator",
            Reason::Dns => "DNS",
            Reason::MeshControl => "mesh control plane",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Flow {
    pub from: Peer,
    pub to: Peer,
    /// (port, TCP or UDP), sorted, never empty.
    pub ports: Vec<(u16, Transport)>,
    pub reason: Reason,
}

/// Every flow of a cluster, sorted and without duplicates.
pub(crate) fn flows(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let mut out: BTreeSet<Flow> = BTreeSet::new();
    out.extend(namespace_wide(cp));
    out.extend(drawn(plan, cp));
    out.extend(exposed(plan, cp));
    out.extend(scrapes(plan, cp));
    out.extend(replication(cp));
    out.extend(progressive(cp));
    out.into_iter().collect()
}

fn flow(from: Peer, to: Peer, mut ports: Vec<(u16, Transport)>, reason: Reason) -> Option<Flow> {
    ports.sort();
    ports.dedup();
    (!ports.is_empty()).then_some(Flow {
        from,
        to,
        ports,
        reason,
    })
}

/// What a NetworkPolicy port can say of a drawn protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
        }
    }
}

fn transport(p: Protocol) -> Transport {
    if p == Protocol::Udp {
        Transport::Udp
    } else {
        Transport::Tcp
    }
}

fn unit_peer(ns: &str, u: &Unit<'_>) -> Peer {
    Peer::Unit {
        ns: ns.to_string(),
        name: u.name.clone(),
    }
}

/// The ports a unit listens on, as (port, TCP/UDP).
pub(crate) fn unit_ports(u: &Unit<'_>) -> Vec<(u16, Transport)> {
    u.ports()
        .into_iter()
        .map(|(p, pr, _)| (p, transport(pr)))
        .collect()
}

/// A self-hosted PostgreSQL drawn with replicas beyond its primary runs as a CloudNativePG
/// `Cluster` (every other store runs one pod): its pods keep our labels (`inheritedMetadata`),
/// reach each other, and the operator manages them. The Kubernetes objects make the same choice
/// (`postgres::instances`), so this asks them.
pub(crate) fn on_cloudnative_pg(u: &Unit<'_>) -> bool {
    super::postgres::instances(u).is_some()
}

fn addon(ns: &str, name: &str, labels: &[(&str, &str)], by_labels: bool) -> Peer {
    Peer::Addon {
        ns: ns.to_string(),
        name: name.to_string(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        by_labels,
    }
}

/// What node `i` is, seen from the cluster's pods.
enum End {
    Peer(Peer),
    /// Transparent: traffic goes on to what the node sends to.
    Hop,
    /// In the cluster but with no pods we can name: no traffic.
    Nothing,
}

fn is_hop(g: &DesignGraph<'_>, cp: &ClusterPlan<'_>, i: usize) -> bool {
    match g.kind(i) {
        Kind::ServiceMesh | Kind::GeoRouter => true,
        Kind::LoadBalancer => g.scope(i).cluster == Some(cp.idx),
        _ => false,
    }
}

/// The kube name of the namespace node `ns` in this cluster.
fn ns_name<'c>(cp: &'c ClusterPlan<'_>, ns: usize) -> Option<&'c str> {
    cp.namespaces
        .iter()
        .find(|n| n.idx == ns)
        .map(|n| n.name.as_str())
}

fn end(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>, i: usize) -> End {
    let g = &plan.g;
    if let Some((ns, u)) = cp.unit(i) {
        return End::Peer(unit_peer(&ns.name, u));
    }
    if let Some(ctl) = cp.ingress.iter().find(|c| c.idx == i) {
        return End::Peer(ingress_peer(&ctl.namespace, &ctl.class));
    }
    if is_hop(g, cp, i) {
        return End::Hop;
    }
    let scope = g.scope(i);
    // Stores this cluster does not run (managed, or drawn outside a namespace) are reached
    // at their address, like anything outside the cluster.
    if scope.cluster != Some(cp.idx) || engines::store(&g.node(i).spec).is_some() {
        return End::Peer(Peer::Cidr(
            subnet_cidr(g, i).unwrap_or_else(|| ANYWHERE.into()),
        ));
    }
    match scope.namespace.and_then(|ns| ns_name(cp, ns)) {
        Some(ns) => {
            let name = kube_name_or(&g.node(i).name, "addon");
            End::Peer(addon(
                ns,
                &name,
                &[("app.kubernetes.io/name", &name)],
                false,
            ))
        }
        None => End::Nothing,
    }
}

fn ingress_peer(ns: &str, class: &str) -> Peer {
    let name = if class == "nginx" {
        "ingress-nginx".to_string()
    } else {
        class.to_string()
    };
    addon(
        ns,
        &format!("{name}-controller"),
        &[
            ("app.kubernetes.io/name", &name),
            ("app.kubernetes.io/component", "controller"),
        ],
        false,
    )
}

/// The port an edge names, if any.
fn edge_port(edge: &Edge) -> Option<(u16, Transport)> {
    match &edge.spec {
        EdgeSpec::Traffic(t) if t.port != Some(0) => t.port.map(|p| (p, transport(t.protocol))),
        _ => None,
    }
}

/// The ports a flow over `edge` into node `t` uses: the edge's port, else what `t` listens on.
fn ports_into(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    edge: &Edge,
    t: usize,
) -> Vec<(u16, Transport)> {
    if let Some(p) = edge_port(edge) {
        return vec![p];
    }
    if let Some((_, u)) = cp.unit(t) {
        return unit_ports(u);
    }
    let g = &plan.g;
    if g.scope(t).cluster != Some(cp.idx) || engines::store(&g.node(t).spec).is_some() {
        // No port known means no rule: allowing every port would defeat the policy.
        return engines::default_port(g, t)
            .map(|p| vec![(p, Transport::Tcp)])
            .unwrap_or_default();
    }
    Vec::new()
}

fn carries(kind: EdgeKind) -> bool {
    is_use(kind) || kind == EdgeKind::GeoRoute
}

/// A real endpoint reached over a drawn edge: the peer, the ports, and whether through a hop.
type Target = (Peer, Vec<(u16, Transport)>, bool);

/// The real endpoints behind node `t`, reached over `edge`: `t` itself, or, for a hop, what it
/// sends to (recursively; `seen` stops cycles). Each with the ports of the last edge.
fn behind(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    edge: &Edge,
    t: usize,
    seen: &mut Vec<usize>,
    out: &mut Vec<Target>,
) {
    match end(plan, cp, t) {
        End::Peer(p) => out.push((p, ports_into(plan, cp, edge, t), !seen.is_empty())),
        End::Nothing => {}
        End::Hop => {
            if seen.contains(&t) {
                return;
            }
            seen.push(t);
            let g = &plan.g;
            for (e, next) in g.outgoing(t) {
                let next_edge = g.edge(e);
                if carries(next_edge.kind()) {
                    behind(plan, cp, next_edge, next, seen, out);
                }
            }
            seen.pop();
        }
    }
}

/// Rule: drawn traffic between real endpoints, through transparent hops.
pub(crate) fn drawn(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let g = &plan.g;
    let mut out = Vec::new();
    for e in 0..g.design.edges.len() {
        let Some((s, t)) = g.edge_ends(e) else {
            continue;
        };
        let edge = g.edge(e);
        if !carries(edge.kind()) {
            continue;
        }
        // Traffic that starts at a hop is followed from the hop's own senders.
        let End::Peer(from) = end(plan, cp, s) else {
            continue;
        };
        let mut targets = Vec::new();
        behind(plan, cp, edge, t, &mut Vec::new(), &mut targets);
        for (to, ports, through) in targets {
            let ours = matches!(from, Peer::Unit { .. }) || matches!(to, Peer::Unit { .. });
            if !ours || from == to {
                continue;
            }
            let reason = if through {
                Reason::ThroughHop
            } else {
                Reason::Drawn
            };
            out.extend(flow(from.clone(), to, ports, reason));
        }
    }
    out
}

/// Rule: an external workload admits the controller that serves its Ingress, on the port the
/// Ingress routes to (the unit's first port).
pub(crate) fn exposed(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    for ns in &cp.namespaces {
        for u in &ns.units {
            let Some(w) = u.workload() else { continue };
            if w.exposure != Exposure::External || u.is_job() {
                continue;
            }
            let (Some(port), Some(ctl)) = (
                unit_ports(u).first().copied(),
                cp.ingress_for(&plan.g, u.idx),
            ) else {
                continue;
            };
            out.extend(flow(
                ingress_peer(&ctl.namespace, &ctl.class),
                unit_peer(&ns.name, u),
                vec![port],
                Reason::Exposed,
            ));
        }
    }
    out
}

/// A monitoring node that scrapes (pulls) what it observes.
fn scrapes_pods(node: &Node) -> bool {
    node.kind() == Kind::Monitoring && node.spec.product().to_lowercase().contains("prometheus")
}

/// The ports Prometheus scrapes on a unit.
pub(crate) fn metrics_ports(u: &Unit<'_>) -> Vec<(u16, Transport)> {
    match &u.body {
        Body::Workload(_) => {
            let named: Vec<(u16, Transport)> = u
                .ports()
                .into_iter()
                .filter(|(_, _, name)| name.contains("metrics") || name.contains("prometheus"))
                .map(|(p, pr, _)| (p, transport(pr)))
                .collect();
            if named.is_empty() {
                unit_ports(u)
            } else {
                named
            }
        }
        // A store exposes metrics only through an exporter: CloudNativePG runs one.
        Body::Store(_) if on_cloudnative_pg(u) => vec![(CNPG_METRICS, Transport::Tcp)],
        Body::Store(_) => Vec::new(),
    }
}

/// Rule: drawn monitoring scrapes what it observes.
pub(crate) fn scrapes(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let g = &plan.g;
    let mut out = Vec::new();
    for e in 0..g.design.edges.len() {
        let Some((m, t)) = g.edge_ends(e) else {
            continue;
        };
        if g.edge(e).kind() != EdgeKind::Observes || !scrapes_pods(g.node(m)) {
            continue;
        }
        let from = if g.scope(m).cluster == Some(cp.idx) {
            // Its pods come from its chart (kube-prometheus-stack labels them so), in its
            // drawn namespace or the usual `monitoring`.
            let ns = g
                .scope(m)
                .namespace
                .and_then(|ns| ns_name(cp, ns))
                .unwrap_or("monitoring");
            addon(
                ns,
                "prometheus",
                &[("app.kubernetes.io/name", "prometheus")],
                true,
            )
        } else {
            Peer::Cidr(subnet_cidr(g, m).unwrap_or_else(|| ANYWHERE.into()))
        };
        for ns in &cp.namespaces {
            for u in &ns.units {
                if !within(g, u.idx, t) {
                    continue;
                }
                out.extend(flow(
                    from.clone(),
                    unit_peer(&ns.name, u),
                    metrics_ports(u),
                    Reason::Scrape,
                ));
            }
        }
    }
    out
}

/// `i` is `t` or inside it.
fn within(g: &DesignGraph<'_>, i: usize, t: usize) -> bool {
    let mut at = Some(i);
    while let Some(n) = at {
        if n == t {
            return true;
        }
        at = g.parent(n);
    }
    false
}

/// Rule: a CloudNativePG cluster's pods reach each other (streaming replication, status), its
/// operator reaches them, and they reach the Kubernetes API (address unknown: port only).
pub(crate) fn replication(cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    for ns in &cp.namespaces {
        for u in &ns.units {
            if !on_cloudnative_pg(u) {
                continue;
            }
            let me = unit_peer(&ns.name, u);
            let mut ports = unit_ports(u);
            ports.push((CNPG_STATUS, Transport::Tcp));
            out.extend(flow(
                addon(
                    "cnpg-system",
                    "cnpg-controller-manager",
                    &[("app.kubernetes.io/name", "cloudnative-pg")],
                    true,
                ),
                me.clone(),
                ports.clone(),
                Reason::Operator,
            ));
            out.extend(flow(
                me.clone(),
                Peer::Cidr(ANYWHERE.into()),
                vec![(443, Transport::Tcp), (6443, Transport::Tcp)],
                Reason::Operator,
            ));
            out.extend(flow(me.clone(), me, ports, Reason::Replication));
        }
    }
    out
}

/// Istio's merged metrics port (sidecar and application), which injection announces through
/// the `prometheus.io/port` annotation that Flagger's Prometheus scrapes by.
const ISTIO_METRICS: u16 = 15020;

/// Rule: a workload rolled out by Flagger admits the load tester, and in a meshed namespace
/// Flagger's Prometheus on the sidecars' metrics port.
pub(crate) fn progressive(cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    for ns in &cp.namespaces {
        for u in ns.units.iter().filter(|u| u.progressive()) {
            let Some(port) = unit_ports(u).first().copied() else {
                continue;
            };
            out.extend(flow(
                addon(
                    LOADTESTER_NAMESPACE,
                    "flagger-loadtester",
                    &[("app.kubernetes.io/name", "loadtester")],
                    false,
                ),
                unit_peer(&ns.name, u),
                vec![port],
                Reason::LoadTest,
            ));
            if ns.mesh_injection {
                out.extend(flow(
                    addon(
                        FLAGGER_NAMESPACE,
                        "flagger-prometheus",
                        &[("app.kubernetes.io/name", "flagger-prometheus")],
                        true,
                    ),
                    unit_peer(&ns.name, u),
                    vec![(ISTIO_METRICS, Transport::Tcp)],
                    Reason::Scrape,
                ));
            }
        }
    }
    out
}

/// Rule: DNS for every exported pod, and the mesh control plane for injected namespaces.
pub(crate) fn namespace_wide(cp: &ClusterPlan<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    for ns in &cp.namespaces {
        if ns.units.is_empty() {
            continue; // only pods of other charts: leave them alone
        }
        out.extend(flow(
            Peer::Ours(ns.name.clone()),
            addon("kube-system", "kube-dns", &[("k8s-app", "kube-dns")], false),
            vec![(53, Transport::Udp), (53, Transport::Tcp)],
            Reason::Dns,
        ));
        if ns.mesh_injection {
            let (mesh_ns, name, ports): (&str, &str, &[(u16, Transport)]) = match cp.mesh.as_deref()
            {
                Some(m) if m.contains("linkerd") => (
                    "linkerd",
                    "linkerd-destination",
                    &[
                        (8080, Transport::Tcp),
                        (8086, Transport::Tcp),
                        (8090, Transport::Tcp),
                    ],
                ),
                _ => (
                    "istio-system",
                    "istiod",
                    &[(15012, Transport::Tcp), (15017, Transport::Tcp)],
                ),
            };
            out.extend(flow(
                Peer::Ours(ns.name.clone()),
                addon(mesh_ns, name, &[("app", name)], false),
                ports.to_vec(),
                Reason::MeshControl,
            ));
        }
    }
    out
}

fn peer_json(p: &Peer) -> serde_json::Value {
    use serde_json::json;
    match p {
        Peer::Unit { ns, name } => json!({ "namespace": ns, "unit": name }),
        Peer::Ours(ns) => json!({ "namespace": ns, "ours": true }),
        Peer::Addon {
            ns,
            name,
            labels,
            by_labels,
        } => json!({ "namespace": ns, "addon": name, "labels": labels, "by_labels": by_labels }),
        Peer::Cidr(c) => json!({ "cidr": c }),
    }
}

/// The flows of one cluster as JSON, for the connectivity check.
pub(crate) fn flows_json(flows: &[Flow]) -> serde_json::Value {
    flows
        .iter()
        .map(|f| {
            serde_json::json!({
                "from": peer_json(&f.from),
                "to": peer_json(&f.to),
                "ports": f.ports.iter().map(|(p, t)| format!("{p}/{}", t.as_str())).collect::<Vec<_>>(),
                "why": f.reason.as_str(),
            })
        })
        .collect()
}
