//! Exposure and network: entry points, stores kept off the internet, private subnets, VPN
//! between providers, external vs internal workloads.

use std::collections::HashSet;

use crate::export::compose::published_ports;
use crate::model::{Cloud, DesignGraph, EdgeKind, EdgeSpec, Exposure, Kind, NodeSpec, Visibility};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{and_list, eid, is_public_entry, label, nid};

pub const USERS_BYPASS_ENTRY: Rule = Rule {
    id: "IC-NET-001",
    family: Family::Network,
    severity: Severity::Error,
    title: "Users enter through a balancer, ingress, CDN, WAF or geo router",
    check: users_bypass_entry,
};

pub const STORE_EXPOSED: Rule = Rule {
    id: "IC-NET-002",
    family: Family::Network,
    severity: Severity::Error,
    title: "No database, cache or queue is reachable from the internet",
    check: store_exposed,
};

pub const PUBLIC_LB_PRIVATE_SUBNET: Rule = Rule {
    id: "IC-NET-003",
    family: Family::Network,
    severity: Severity::Warning,
    title: "Public balancers sit in public subnets",
    check: public_lb_private_subnet,
};

pub const CROSS_PROVIDER_WITHOUT_VPN: Rule = Rule {
    id: "IC-NET-004",
    family: Family::Network,
    severity: Severity::Error,
    title: "Traffic between two providers goes through a VPN tunnel",
    check: cross_provider_without_vpn,
};

pub const EXTERNAL_UNREACHABLE: Rule = Rule {
    id: "IC-NET-005",
    family: Family::Network,
    severity: Severity::Warning,
    title: "External workloads are reached through an entry point",
    check: external_unreachable,
};

pub const INTERNAL_EXPOSED: Rule = Rule {
    id: "IC-NET-006",
    family: Family::Network,
    severity: Severity::Warning,
    title: "Internal workloads receive no traffic from public entry points",
    check: internal_exposed,
};

pub const PUBLISHED_PORT_CLASH: Rule = Rule {
    id: "IC-NET-007",
    family: Family::Network,
    severity: Severity::Warning,
    title: "Services of one Swarm stack publish distinct ports",
    check: published_port_clash,
};

pub const NO_PUBLIC_SUBNET: Rule = Rule {
    id: "IC-NET-008",
    family: Family::Network,
    severity: Severity::Warning,
    title: "Internet-facing entry points in AWS have a public subnet in their region",
    check: no_public_subnet,
};

pub const VPN_WITHOUT_PRODUCT: Rule = Rule {
    id: "IC-NET-009",
    family: Family::Network,
    severity: Severity::Warning,
    title: "VPN tunnels name their product",
    check: vpn_without_product,
};

fn users_bypass_entry(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        let Some((a, b)) = g.edge_ends(e) else {
            continue;
        };
        if edge.kind() != EdgeKind::Traffic || g.kind(a) != Kind::UserGroup {
            continue;
        }
        if !g.kind(b).is_entry_point() {
            out.push(USERS_BYPASS_ENTRY.diagnostic(
                format!(
                    "Users {} send traffic straight to {} ({}), which is not an entry point",
                    label(g, a),
                    label(g, b),
                    g.kind(b).label()
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                "Route users through a load balancer, ingress controller, CDN, WAF or geo router.",
            ));
        }
    }
    out
}

fn store_exposed(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if !matches!(g.kind(i), Kind::Database | Kind::Cache | Kind::Queue) {
            continue;
        }
        let kind = g.kind(i).label().to_lowercase();
        let hint = "Keep it in a private subnet without a public endpoint, and reach it only from workloads.";
        if g.node(i).spec.store_facts().is_some_and(|f| f.public) {
            out.push(STORE_EXPOSED.diagnostic(
                format!("The {kind} {} has a public endpoint", label(g, i)),
                vec![nid(g, i)],
                hint,
            ));
        }
        if g.in_public_subnet(i) {
            let subnet = g.scope(i).subnet.unwrap_or(i);
            out.push(STORE_EXPOSED.diagnostic(
                format!(
                    "The {kind} {} sits in the public subnet {}",
                    label(g, i),
                    label(g, subnet)
                ),
                vec![nid(g, i), nid(g, subnet)],
                hint,
            ));
        }
        for (e, from) in g.incoming_of(i, EdgeKind::Traffic) {
            let exposed = matches!(g.kind(from), Kind::UserGroup | Kind::ExternalSystem)
                || is_public_entry(g, from);
            if exposed {
                out.push(STORE_EXPOSED.diagnostic(
                    format!(
                        "The {kind} {} receives traffic directly from {} ({})",
                        label(g, i),
                        label(g, from),
                        g.kind(from).label()
                    ),
                    vec![nid(g, i), nid(g, from), eid(g, e)],
                    hint,
                ));
            }
        }
    }
    out
}

fn public_lb_private_subnet(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let NodeSpec::LoadBalancer(lb) = &g.node(i).spec else {
            continue;
        };
        if lb.public && !lb.client_side && g.in_private_subnet(i) {
            let subnet = g.scope(i).subnet.unwrap_or(i);
            out.push(PUBLIC_LB_PRIVATE_SUBNET.diagnostic(
                format!(
                    "The public load balancer {} sits in the private subnet {}",
                    label(g, i),
                    label(g, subnet)
                ),
                vec![nid(g, i), nid(g, subnet)],
                "Move it to a public subnet, or mark it internal (not public).",
            ));
        }
    }
    out
}

fn cross_provider_without_vpn(g: &DesignGraph) -> Vec<Diagnostic> {
    // Provider pairs joined by a VPN tunnel between gateways of each.
    let mut linked: HashSet<(usize, usize)> = HashSet::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        if edge.kind() != EdgeKind::Vpn {
            continue;
        }
        let Some((a, b)) = g.edge_ends(e) else {
            continue;
        };
        if g.kind(a) != Kind::VpnGateway || g.kind(b) != Kind::VpnGateway {
            continue;
        }
        if let (Some(pa), Some(pb)) = (g.provider_of(a), g.provider_of(b)) {
            linked.insert((pa.min(pb), pa.max(pb)));
        }
    }
    let mut out = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        if !matches!(edge.kind(), EdgeKind::Traffic | EdgeKind::Access) {
            continue;
        }
        let Some((a, b)) = g.edge_ends(e) else {
            continue;
        };
        if g.kind(a) == Kind::GeoRouter {
            continue; // a global router answers DNS for every provider
        }
        let (Some(pa), Some(pb)) = (g.provider_of(a), g.provider_of(b)) else {
            continue;
        };
        if pa != pb && !linked.contains(&(pa.min(pb), pa.max(pb))) {
            out.push(CROSS_PROVIDER_WITHOUT_VPN.diagnostic(
                format!(
                    "{} in {} talks to {} in {}, but no VPN tunnel links the two providers",
                    label(g, a),
                    label(g, pa),
                    label(g, b),
                    label(g, pb)
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                format!(
                    "Add a VPN gateway in each of {} and {} and join them with a VPN edge.",
                    label(g, pa),
                    label(g, pb)
                ),
            ));
        }
    }
    out
}

fn workload_exposure(g: &DesignGraph, i: usize) -> Option<Exposure> {
    g.node(i).spec.workload().map(|w| w.exposure)
}

/// Edges that carry user requests towards a node.
fn inbound_routes<'g>(g: &'g DesignGraph, i: usize) -> impl Iterator<Item = (usize, usize)> + 'g {
    g.incoming(i)
        .filter(|(e, _)| matches!(g.edge(*e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute))
}

fn external_unreachable(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if workload_exposure(g, i) != Some(Exposure::External) {
            continue;
        }
        if !inbound_routes(g, i).any(|(_, from)| g.kind(from).is_entry_point()) {
            out.push(EXTERNAL_UNREACHABLE.diagnostic(
                format!(
                    "The external workload {} is not reached by any load balancer, ingress, CDN, WAF or geo router",
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Draw a traffic edge to it from an entry point, or make it internal.",
            ));
        }
    }
    out
}

fn internal_exposed(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if workload_exposure(g, i) != Some(Exposure::Internal) {
            continue;
        }
        for (e, from) in inbound_routes(g, i) {
            if is_public_entry(g, from) {
                out.push(INTERNAL_EXPOSED.diagnostic(
                    format!(
                        "The internal workload {} receives traffic from the public entry point {} ({})",
                        label(g, i),
                        label(g, from),
                        g.kind(from).label()
                    ),
                    vec![nid(g, i), nid(g, from), eid(g, e)],
                    "Mark the workload external if it serves users, or route it through an internal balancer.",
                ));
            }
        }
    }
    out
}

fn published_port_clash(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in (0..g.len()).filter(|&c| g.kind(c) == Kind::SwarmCluster) {
        let ports = published_ports(g, c);
        for moved in ports.iter().filter(|p| p.published != p.wanted) {
            let holder = ports
                .iter()
                .find(|p| p.published == moved.wanted && p.protocol == moved.protocol);
            let (message, mut targets) = match holder {
                Some(h) => (
                    format!(
                        "{} and {} both publish port {} in the stack of the Swarm cluster {}, which a stack refuses: {} keeps {}, {} is published on {}",
                        label(g, h.node),
                        label(g, moved.node),
                        moved.wanted,
                        label(g, c),
                        label(g, h.node),
                        h.published,
                        label(g, moved.node),
                        moved.published
                    ),
                    vec![nid(g, moved.node), nid(g, h.node)],
                ),
                None => (
                    format!(
                        "{} cannot publish port {} in the stack of the Swarm cluster {}: it is published on {}",
                        label(g, moved.node),
                        moved.wanted,
                        label(g, c),
                        moved.published
                    ),
                    vec![nid(g, moved.node)],
                ),
            };
            targets.push(nid(g, c));
            out.push(PUBLISHED_PORT_CLASH.diagnostic(
                message,
                targets,
                "Draw a balancer (Traefik) in the cluster with traffic links to both, so it routes them by host on one port, or give the services distinct ports.",
            ));
        }
    }
    out
}

/// Entry points that must be reachable from the internet: public cloud balancers outside any
/// cluster, and balancers or ingress controllers in a cluster that users, a geo router, a CDN
/// or a WAF send to directly.
fn faces_internet(g: &DesignGraph, i: usize) -> bool {
    match &g.node(i).spec {
        NodeSpec::LoadBalancer(lb) if g.scope(i).cluster.is_none() => lb.public && !lb.client_side,
        NodeSpec::LoadBalancer(lb) if lb.client_side => false,
        NodeSpec::LoadBalancer(_) | NodeSpec::IngressController(_) => {
            g.incoming(i).any(|(e, s)| {
                matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute)
                    && matches!(
                        g.kind(s),
                        Kind::UserGroup
                            | Kind::GeoRouter
                            | Kind::Cdn
                            | Kind::Waf
                            | Kind::ExternalSystem
                    )
            })
        }
        _ => false,
    }
}

fn no_public_subnet(g: &DesignGraph) -> Vec<Diagnostic> {
    // Regions with a public subnet, marked in one pass.
    let mut has_public = vec![false; g.len()];
    for s in 0..g.len() {
        if let NodeSpec::Subnet(p) = &g.node(s).spec {
            if let (Visibility::Public, Some(r)) = (p.visibility, g.scope(s).region) {
                has_public[r] = true;
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..g.len() {
        let scope = g.scope(i);
        let (Some(r), Some(p)) = (scope.region, scope.provider) else {
            continue;
        };
        // AWS routes to the internet only from subnets with a route to an internet gateway;
        // an internet-facing balancer placed elsewhere is unreachable.
        let aws = matches!(&g.node(p).spec, NodeSpec::Provider(pp) if pp.cloud == Cloud::Aws);
        if !aws || has_public[r] || !faces_internet(g, i) {
            continue;
        }
        out.push(NO_PUBLIC_SUBNET.diagnostic(
            format!(
                "The internet-facing {} {} is in {}, which has no public subnet: its balancer would sit in private subnets, and without an internet gateway no user reaches it (nor does anything there reach the internet)",
                g.kind(i).label().to_lowercase(),
                label(g, i),
                label(g, r)
            ),
            vec![nid(g, i), nid(g, r)],
            "Draw a public subnet in the region (the export gives it an internet gateway and NAT, and puts internet-facing balancers there).",
        ));
    }
    out
}

fn vpn_without_product(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        let EdgeSpec::Vpn(p) = &edge.spec else {
            continue;
        };
        if !p.product.trim().is_empty() {
            continue;
        }
        let Some((a, b)) = g.edge_ends(e) else {
            continue;
        };
        let mut named: Vec<String> = [a, b]
            .iter()
            .map(|&x| g.node(x).spec.product().trim())
            .filter(|p| !p.is_empty())
            .map(|p| format!("`{p}`"))
            .collect();
        named.dedup();
        let hint = if named.is_empty() {
            "Name the tunnel's product (OpenVPN, WireGuard, IPsec): the exports open its ports and make its resources, and cannot guess them.".to_string()
        } else {
            format!(
                "Name the tunnel's product (the gateways say {}): the exports open its ports and make its resources, and cannot guess them.",
                and_list(&named)
            )
        };
        out.push(VPN_WITHOUT_PRODUCT.diagnostic(
            format!(
                "The VPN tunnel between {} and {} names no product, so its protocol and ports are unknown",
                label(g, a),
                label(g, b)
            ),
            vec![eid(g, e), nid(g, a), nid(g, b)],
            hint,
        ));
    }
    out
}
