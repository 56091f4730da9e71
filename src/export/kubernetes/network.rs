//! NetworkPolicies: deny everything in a namespace, then allow exactly the drawn edges.
//!
//! * `default-deny`: every pod of the namespace, ingress and egress (not in namespaces that hold
//!   infrastructure installed by its own chart, such as an ingress controller; there the
//!   policies below select only the exported pods, and a namespace holding only such
//!   infrastructure gets no policy at all).
//! * `allow-dns`: every pod may reach DNS in `kube-system` on UDP and TCP 53.
//! * `allow-mesh`: with sidecar injection, the sidecars reach the mesh control plane.
//! * `<unit>-traffic`, one per workload or store, selecting its pods by `infracanvas.io/workload`:
//!   - ingress from the ingress controller's namespace when a controller sends it traffic (or it
//!     has an Ingress), from the pods of each workload with a traffic/access edge to it, from
//!     its own pods for a replicated store, and, for sources outside the cluster, from the
//!     source subnet's CIDR when drawn, otherwise from anywhere on its ports only;
//!   - egress to the pods of each in-cluster workload or store it has an edge to, on the
//!     edge's port or the target's ports; to targets outside the cluster (managed databases,
//!     object storage, external systems) by the target subnet's CIDR when the design gives one,
//!     otherwise by port only: managed endpoints have provider-assigned addresses that change,
//!     so a port-only rule is the tightest rule that stays true.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::objects::{kube_protocol, labels, match_labels, meta, WORKLOAD};
use super::plan::{is_use, subnet_cidr, Body, ClusterPlan, DesignPlan, NsPlan, Unit};
use crate::export::engines;
use crate::model::*;

const NS_LABEL: &str = "kubernetes.io/metadata.name";

fn ns_selector(ns: &str) -> LabelSelector {
    match_labels(NS_LABEL, ns)
}

fn port(p: u16, protocol: Protocol) -> NetworkPolicyPort {
    NetworkPolicyPort {
        port: Some(IntOrString::Int(p.into())),
        protocol: Some(kube_protocol(protocol).to_string()),
        ..Default::default()
    }
}

fn ports_of(list: &[(u16, Protocol)]) -> Option<Vec<NetworkPolicyPort>> {
    (!list.is_empty()).then(|| list.iter().map(|(p, pr)| port(*p, *pr)).collect())
}

fn pods_in(ns: &str, workload: &str) -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        namespace_selector: Some(ns_selector(ns)),
        pod_selector: Some(match_labels(WORKLOAD, workload)),
        ..Default::default()
    }
}

fn cidr_peer(cidr: String) -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        ip_block: Some(IPBlock { cidr, except: None }),
        ..Default::default()
    }
}

fn policy(plan: &DesignPlan<'_>, ns: &str, name: &str, spec: NetworkPolicySpec) -> NetworkPolicy {
    // The name label stays a valid label value (≤ 63) even for `<63-char unit>-traffic`.
    let label = name.strip_suffix("-traffic").unwrap_or(name);
    NetworkPolicy {
        metadata: meta(name, ns, labels(label, &plan.part_of)),
        spec: Some(spec),
    }
}

/// The namespace-wide policies.
pub(crate) fn namespace_policies(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
) -> Vec<NetworkPolicy> {
    let mut out = Vec::new();
    if ns.infra && ns.units.is_empty() {
        return out; // only pods of other charts: leave them alone
    }
    // In a namespace shared with infrastructure pods, select only ours.
    let infra = ns.infra;
    let all = move || {
        Some(if infra {
            LabelSelector {
                match_expressions: Some(vec![LabelSelectorRequirement {
                    key: WORKLOAD.to_string(),
                    operator: "Exists".to_string(),
                    values: None,
                }]),
                ..Default::default()
            }
        } else {
            LabelSelector::default()
        })
    };
    if !ns.infra {
        out.push(policy(
            plan,
            &ns.name,
            "default-deny",
            NetworkPolicySpec {
                pod_selector: all(),
                policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
                ..Default::default()
            },
        ));
    }
    out.push(policy(
        plan,
        &ns.name,
        "allow-dns",
        NetworkPolicySpec {
            pod_selector: all(),
            policy_types: Some(vec!["Egress".into()]),
            egress: Some(vec![NetworkPolicyEgressRule {
                to: Some(vec![NetworkPolicyPeer {
                    namespace_selector: Some(ns_selector("kube-system")),
                    ..Default::default()
                }]),
                ports: ports_of(&[(53, Protocol::Udp), (53, Protocol::Tcp)]),
            }]),
            ..Default::default()
        },
    ));
    if ns.mesh_injection {
        let (mesh_ns, ports): (&str, &[(u16, Protocol)]) = match cp.mesh.as_deref() {
            Some(m) if m.contains("linkerd") => (
                "linkerd",
                &[
                    (8080, Protocol::Tcp),
                    (8086, Protocol::Tcp),
                    (8090, Protocol::Tcp),
                ],
            ),
            _ => (
                "istio-system",
                &[(15012, Protocol::Tcp), (15017, Protocol::Tcp)],
            ),
        };
        out.push(policy(
            plan,
            &ns.name,
            "allow-mesh",
            NetworkPolicySpec {
                pod_selector: all(),
                policy_types: Some(vec!["Egress".into()]),
                egress: Some(vec![NetworkPolicyEgressRule {
                    to: Some(vec![NetworkPolicyPeer {
                        namespace_selector: Some(ns_selector(mesh_ns)),
                        ..Default::default()
                    }]),
                    ports: ports_of(ports),
                }]),
                ..Default::default()
            },
        ));
    }
    out
}

fn own_ports(u: &Unit<'_>) -> Vec<(u16, Protocol)> {
    u.ports().into_iter().map(|(p, pr, _)| (p, pr)).collect()
}

/// The ports an edge reaches on its target: the edge's own port, else the target's ports.
fn edge_ports(edge: &Edge, target: Vec<(u16, Protocol)>) -> Vec<(u16, Protocol)> {
    match &edge.spec {
        EdgeSpec::Traffic(t) => match t.port {
            Some(p) if p != 0 => vec![(
                p,
                if t.protocol == Protocol::Udp {
                    Protocol::Udp
                } else {
                    Protocol::Tcp
                },
            )],
            _ => target,
        },
        _ => target,
    }
}

/// Ingress rules keyed by a sort key so the output is stable and duplicates merge.
type Rules<T> = BTreeMap<String, T>;

/// The allow policy of one unit.
pub(crate) fn unit_policy(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> NetworkPolicy {
    let g = &plan.g;
    let mine = own_ports(u);
    let mut ingress: Rules<NetworkPolicyIngressRule> = BTreeMap::new();
    let mut egress: Rules<NetworkPolicyEgressRule> = BTreeMap::new();

    // Who may call this unit.
    let mut from_ingress_ns: Vec<String> = Vec::new();
    for (e, s) in g.incoming(u.idx) {
        let edge = g.edge(e);
        if !(is_use(edge.kind()) || edge.kind() == EdgeKind::GeoRoute) {
            continue;
        }
        let ports = edge_ports(edge, mine.clone());
        if let Some(ctl) = cp.ingress.iter().find(|c| c.idx == s) {
            from_ingress_ns.push(ctl.namespace.clone());
        } else if let Some((sns, su)) = cp.unit(s) {
            let key = format!("1 {} {} {ports:?}", sns.name, su.name);
            ingress.insert(
                key,
                NetworkPolicyIngressRule {
                    from: Some(vec![pods_in(&sns.name, &su.name)]),
                    ports: ports_of(&ports),
                },
            );
        } else if g.scope(s).cluster != Some(cp.idx) {
            let from = subnet_cidr(g, s).map(|c| vec![cidr_peer(c)]);
            let key = format!("2 {from:?} {ports:?}");
            ingress.insert(
                key,
                NetworkPolicyIngressRule {
                    from,
                    ports: ports_of(&ports),
                },
            );
        }
        // Other in-cluster senders (mesh, monitoring) have no pods we know labels of.
    }
    if let Some(w) = u.workload() {
        if w.exposure == Exposure::External && !mine.is_empty() {
            if let Some(ctl) = cp.ingress_for(g, u.idx) {
                from_ingress_ns.push(ctl.namespace.clone());
            }
        }
    }
    from_ingress_ns.sort();
    from_ingress_ns.dedup();
    for n in from_ingress_ns {
        ingress.insert(
            format!("0 {n}"),
            NetworkPolicyIngressRule {
                from: Some(vec![NetworkPolicyPeer {
                    namespace_selector: Some(ns_selector(&n)),
                    ..Default::default()
                }]),
                ports: ports_of(&mine),
            },
        );
    }
    if let Body::Store(s) = &u.body {
        if s.replicas > 0 {
            ingress.insert(
                "0 self".into(),
                NetworkPolicyIngressRule {
                    from: Some(vec![pods_in(&ns.name, &u.name)]),
                    ports: ports_of(&mine),
                },
            );
        }
    }

    // What this unit calls.
    for (e, t) in g.outgoing(u.idx) {
        let edge = g.edge(e);
        if !is_use(edge.kind()) {
            continue;
        }
        if let Some((tns, tu)) = cp.unit(t) {
            if tu.idx == u.idx {
                continue;
            }
            let ports = edge_ports(edge, own_ports(tu));
            let key = format!("1 {} {} {ports:?}", tns.name, tu.name);
            egress.insert(
                key,
                NetworkPolicyEgressRule {
                    to: Some(vec![pods_in(&tns.name, &tu.name)]),
                    ports: ports_of(&ports),
                },
            );
        } else if g.scope(t).cluster != Some(cp.idx) || engines::store(&g.node(t).spec).is_some() {
            let default: Vec<(u16, Protocol)> = engines::default_port(g, t)
                .map(|p| vec![(p, Protocol::Tcp)])
                .unwrap_or_default();
            let ports = edge_ports(edge, default);
            if ports.is_empty() {
                continue; // no port known: allowing everything would defeat the policy
            }
            let to = subnet_cidr(g, t).map(|c| vec![cidr_peer(c)]);
            let key = format!("2 {to:?} {ports:?}");
            egress.insert(
                key,
                NetworkPolicyEgressRule {
                    to,
                    ports: ports_of(&ports),
                },
            );
        }
    }

    let ingress: Vec<NetworkPolicyIngressRule> = ingress.into_values().collect();
    let egress: Vec<NetworkPolicyEgressRule> = egress.into_values().collect();
    policy(
        plan,
        &ns.name,
        &format!("{}-traffic", u.name),
        NetworkPolicySpec {
            pod_selector: Some(match_labels(WORKLOAD, &u.name)),
            policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
            ingress: (!ingress.is_empty()).then_some(ingress),
            egress: (!egress.is_empty()).then_some(egress),
        },
    )
}
