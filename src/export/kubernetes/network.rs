//! NetworkPolicies: deny everything in a namespace, then allow exactly the flows the drawing
//! resolves to (`traffic.rs`: drawn edges through transparent hops, the ingress controller to
//! exposed workloads, monitoring scrapes, replication, DNS, the mesh control plane).
//!
//! * `default-deny`: every pod of the namespace, ingress and egress (not in namespaces that hold
//!   infrastructure installed by its own chart, such as an ingress controller; there the
//!   policies below select only the exported pods, and a namespace holding only such
//!   infrastructure gets no policy at all).
//! * `allow-dns`, `allow-mesh`: the namespace-wide flows (DNS in `kube-system`; with sidecar
//!   injection, the mesh control plane).
//! * `<unit>-traffic`, one per workload or store, selecting its pods by `infracanvas.io/workload`:
//!   an ingress rule per flow into the unit, an egress rule per flow out of it. Pods are
//!   selected by namespace and workload label; add-on pods by namespace (and their chart's
//!   labels where known); addresses outside the cluster by `ipBlock` (the subnet's CIDR, else
//!   `0.0.0.0/0` on the flow's ports only), never by an empty peer, which would also admit
//!   every pod of the cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::objects::{labels, match_labels, meta, WORKLOAD};
use super::plan::{DesignPlan, NsPlan, Unit};
use super::traffic::{Flow, Peer, Reason, Transport};

const NS_LABEL: &str = "kubernetes.io/metadata.name";

fn ns_selector(ns: &str) -> LabelSelector {
    match_labels(NS_LABEL, ns)
}

fn port(p: u16, protocol: Transport) -> NetworkPolicyPort {
    NetworkPolicyPort {
        port: Some(IntOrString::Int(p.into())),
        protocol: Some(protocol.as_str().to_string()),
        ..Default::default()
    }
}

fn ports_of(list: &[(u16, Transport)]) -> Option<Vec<NetworkPolicyPort>> {
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

/// The namespace-wide policies: default deny, then the flows from all of the namespace's pods.
pub(crate) fn namespace_policies(
    plan: &DesignPlan<'_>,
    ns: &NsPlan<'_>,
    flows: &[Flow],
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
    let ours = Peer::Ours(ns.name.clone());
    for (reason, name) in [
        (Reason::Dns, "allow-dns"),
        (Reason::MeshControl, "allow-mesh"),
    ] {
        for f in flows
            .iter()
            .filter(|f| f.from == ours && f.reason == reason)
        {
            out.push(policy(
                plan,
                &ns.name,
                name,
                NetworkPolicySpec {
                    pod_selector: all(),
                    policy_types: Some(vec!["Egress".into()]),
                    egress: Some(vec![NetworkPolicyEgressRule {
                        to: Some(vec![peer(&f.to)]),
                        ports: ports_of(&f.ports),
                    }]),
                    ..Default::default()
                },
            ));
        }
    }
    out
}

/// The policy peer of a flow's end.
fn peer(p: &Peer) -> NetworkPolicyPeer {
    match p {
        Peer::Unit { ns, name } => pods_in(ns, name),
        Peer::Ours(ns) => NetworkPolicyPeer {
            namespace_selector: Some(ns_selector(ns)),
            pod_selector: Some(LabelSelector {
                match_expressions: Some(vec![LabelSelectorRequirement {
                    key: WORKLOAD.to_string(),
                    operator: "Exists".to_string(),
                    values: None,
                }]),
                ..Default::default()
            }),
            ..Default::default()
        },
        Peer::Addon {
            ns,
            labels,
            by_labels,
            ..
        } => NetworkPolicyPeer {
            namespace_selector: Some(ns_selector(ns)),
            pod_selector: by_labels.then(|| LabelSelector {
                match_labels: Some(labels.clone()),
                ..Default::default()
            }),
            ..Default::default()
        },
        Peer::Cidr(c) => cidr_peer(c.clone()),
    }
}

/// A rule's peer and ports.
type RuleKey<'f> = (&'f Peer, &'f [(u16, Transport)]);

/// The allow policy of one unit: a rule per flow into it, a rule per flow out of it.
pub(crate) fn unit_policy(
    plan: &DesignPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    flows: &[Flow],
) -> NetworkPolicy {
    let me = Peer::Unit {
        ns: ns.name.clone(),
        name: u.name.clone(),
    };
    // Keyed by (peer, ports) so duplicates from different reasons merge and the order is stable.
    let mut ingress: BTreeMap<RuleKey<'_>, NetworkPolicyIngressRule> = BTreeMap::new();
    let mut egress: BTreeMap<RuleKey<'_>, NetworkPolicyEgressRule> = BTreeMap::new();
    for f in flows {
        if f.to == me {
            ingress
                .entry((&f.from, &f.ports))
                .or_insert_with(|| NetworkPolicyIngressRule {
                    from: Some(vec![peer(&f.from)]),
                    ports: ports_of(&f.ports),
                });
        }
        if f.from == me {
            egress
                .entry((&f.to, &f.ports))
                .or_insert_with(|| NetworkPolicyEgressRule {
                    to: Some(vec![peer(&f.to)]),
                    ports: ports_of(&f.ports),
                });
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
