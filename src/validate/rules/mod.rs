//! The rule catalogue, one module per family of DESIGN.md §3.
//!
//! Each rule is a `const` [`Rule`] next to its function, so the id, severity and title live in
//! one place; [`RULES`] lists them in catalogue order. Every rule is linear (or n·log n) in the
//! size of the design: indexes come from [`DesignGraph`], and reachability is a BFS bounded by a
//! visited set.

use crate::model::{DesignGraph, Kind, NodeSpec};

use super::Rule;

mod availability;
mod dr;
mod network;
mod operations;
mod residency;
mod security;
mod structure;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

/// Every rule, in catalogue order.
pub static RULES: &[Rule] = &[
    structure::PARENT_KIND,
    structure::MISSING_PARENT,
    structure::DANGLING_EDGE,
    structure::EDGE_KIND,
    structure::DUPLICATE_NAME,
    structure::KUBE_NAME_CLASH,
    structure::KUBE_NAME,
    structure::EMPTY_CLUSTER,
    structure::UNKNOWN_ENVIRONMENT,
    network::USERS_BYPASS_ENTRY,
    network::STORE_EXPOSED,
    network::PUBLIC_LB_PRIVATE_SUBNET,
    network::CROSS_PROVIDER_WITHOUT_VPN,
    network::EXTERNAL_UNREACHABLE,
    network::INTERNAL_EXPOSED,
    network::PUBLISHED_PORT_CLASH,
    network::NO_PUBLIC_SUBNET,
    network::VPN_WITHOUT_PRODUCT,
    residency::PERSONAL_DATA_ABROAD,
    residency::REPLICATION_ABROAD,
    residency::UNKNOWN_JURISDICTION,
    residency::GEO_ROUTER_PLAIN_LINKS,
    availability::SINGLE_ZONE_CLUSTER,
    availability::SINGLE_REPLICA,
    availability::BAD_AUTOSCALING,
    availability::NO_TARGETS,
    availability::FAILOVER_WITHOUT_HEALTH_CHECK,
    availability::FAILOVER_STANDBY,
    availability::SINGLE_AZ_DATABASE,
    availability::REPLICAS_WITHOUT_OPERATOR,
    dr::SAME_REGION_REPLICA,
    dr::RPO_EXCEEDED,
    dr::RPO_UNSTATED,
    dr::NO_CROSS_REGION_REPLICA,
    security::PLAIN_SECRET,
    security::BAD_SECRET_STORE,
    security::NO_TLS,
    security::NO_WAF,
    security::MESH_WITHOUT_MTLS,
    security::NO_NETWORK_POLICIES,
    security::PUBLIC_PERSONAL_BUCKET,
    operations::NO_MONITORING,
    operations::NO_LOGGING,
    operations::NO_PROBES,
    operations::NO_LIMITS,
    operations::CANARY_WITHOUT_ROUTER,
    operations::AB_WITHOUT_HEADER_ROUTER,
    operations::UNPINNED_IMAGE,
];

/// How messages name a node: its name in backquotes, or its kind and id when it has no name.
pub(crate) fn label(g: &DesignGraph, i: usize) -> String {
    let node = g.node(i);
    if node.name.trim().is_empty() {
        format!(
            "unnamed {} `{}`",
            node.kind().label().to_lowercase(),
            node.id
        )
    } else {
        format!("`{}`", node.name)
    }
}

/// The id of node `i`, as a diagnostic target.
pub(crate) fn nid(g: &DesignGraph, i: usize) -> String {
    g.node(i).id.clone()
}

/// The id of edge `e`, as a diagnostic target.
pub(crate) fn eid(g: &DesignGraph, e: usize) -> String {
    g.edge(e).id.clone()
}

/// "a", "a or b", "a, b or c".
pub(crate) fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// "a", "a and b", "a, b and c".
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A name for an environment in messages: its id, or "production" for the implicit one of a
/// design without environments.
pub(crate) fn env_label(env: &str) -> String {
    if env.is_empty() {
        "production".to_string()
    } else {
        format!("environment `{env}`")
    }
}

/// Entry points that face the internet: public (not client-side) balancers, ingress
/// controllers, CDNs, WAFs and geo routers.
pub(crate) fn is_public_entry(g: &DesignGraph, i: usize) -> bool {
    match &g.node(i).spec {
        NodeSpec::LoadBalancer(lb) => lb.public && !lb.client_side,
        spec => matches!(
            spec.kind(),
            Kind::IngressController | Kind::Cdn | Kind::Waf | Kind::GeoRouter
        ),
    }
}

/// The workload kinds that run continuously (replicas, probes): stateless and stateful.
pub(crate) fn is_long_running(props: &crate::model::WorkloadProps) -> bool {
    props.workload_type != crate::model::WorkloadType::Job
}
