//! Availability: zones, replicas, autoscaling, routing targets and failover (seed 003).

use std::collections::{HashMap, HashSet};

use crate::model::{
    Autoscaling, DatabaseEngine, DesignGraph, EdgeKind, EdgeSpec, FailoverRole, Kind, NodeSpec,
    RoutingPolicy,
};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{and_list, env_label, is_long_running, label, nid};

pub const SINGLE_ZONE_CLUSTER: Rule = Rule {
    id: "IC-AVL-001",
    family: Family::Availability,
    severity: Severity::Warning,
    title: "Production clusters span two or more zones",
    check: single_zone_cluster,
};

pub const SINGLE_REPLICA: Rule = Rule {
    id: "IC-AVL-002",
    family: Family::Availability,
    severity: Severity::Warning,
    title: "Production workloads run two or more replicas",
    check: single_replica,
};

pub const BAD_AUTOSCALING: Rule = Rule {
    id: "IC-AVL-003",
    family: Family::Availability,
    severity: Severity::Error,
    title: "Autoscaling bounds are consistent",
    check: bad_autoscaling,
};

pub const NO_TARGETS: Rule = Rule {
    id: "IC-AVL-004",
    family: Family::Availability,
    severity: Severity::Error,
    title: "Balancers, ingress controllers and geo routers have targets",
    check: no_targets,
};

pub const FAILOVER_WITHOUT_HEALTH_CHECK: Rule = Rule {
    id: "IC-AVL-005",
    family: Family::Availability,
    severity: Severity::Error,
    title: "Failover routing has a health check",
    check: failover_without_health_check,
};

pub const FAILOVER_STANDBY: Rule = Rule {
    id: "IC-AVL-006",
    family: Family::Availability,
    severity: Severity::Error,
    title: "Failover routing has a primary and a standby in another region",
    check: failover_standby,
};

pub const SINGLE_AZ_DATABASE: Rule = Rule {
    id: "IC-AVL-007",
    family: Family::Availability,
    severity: Severity::Warning,
    title: "Production managed databases are multi-AZ",
    check: single_az_database,
};

pub const REPLICAS_WITHOUT_OPERATOR: Rule = Rule {
    id: "IC-AVL-008",
    family: Family::Availability,
    severity: Severity::Warning,
    title: "Replicated self-hosted stores have an operator that keeps one primary",
    check: replicas_without_operator,
};

fn single_zone_cluster(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some((_, zones)) = g.node(i).spec.cluster_placement() else {
            continue;
        };
        let distinct: HashSet<&str> = zones
            .iter()
            .map(|z| z.trim())
            .filter(|z| !z.is_empty())
            .collect();
        if distinct.len() < 2 && g.is_production(i) {
            out.push(SINGLE_ZONE_CLUSTER.diagnostic(
                format!(
                    "The production cluster {} spans {} availability zone{}",
                    label(g, i),
                    distinct.len(),
                    if distinct.len() == 1 { "" } else { "s" }
                ),
                vec![nid(g, i)],
                "List two or more zones for its nodes, so losing one zone does not stop it.",
            ));
        }
    }
    out
}

fn single_replica(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        if !is_long_running(w) {
            continue;
        }
        for &env in g.production_environments_of(i) {
            let (count, what) = match w.autoscaling_in(env) {
                Some(a) => (a.min, "autoscales from"),
                None => (w.replicas_in(env), "runs"),
            };
            if count < 2 {
                out.push(SINGLE_REPLICA.diagnostic(
                    format!(
                        "{} {what} {count} replica{} in {}",
                        label(g, i),
                        if count == 1 { "" } else { "s" },
                        env_label(env)
                    ),
                    vec![nid(g, i)],
                    "Run at least 2 replicas (or an autoscaling minimum of 2) so one failure or rollout does not stop it.",
                ));
            }
        }
    }
    out
}

fn autoscaling_problems(a: &Autoscaling) -> Vec<String> {
    let mut problems = Vec::new();
    if a.min == 0 {
        problems.push("the minimum is 0".to_string());
    }
    if a.max == 0 {
        problems.push("the maximum is 0".to_string());
    }
    if a.min > a.max {
        problems.push(format!(
            "the minimum {} exceeds the maximum {}",
            a.min, a.max
        ));
    }
    if !(1..=100).contains(&a.target_cpu) {
        problems.push(format!(
            "the CPU target {}% is not between 1 and 100",
            a.target_cpu
        ));
    }
    problems
}

fn bad_autoscaling(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        let base = w.autoscaling.as_ref().map(|a| (String::new(), a));
        let overrides = w.overrides.iter().filter_map(|(env, o)| {
            o.autoscaling
                .as_ref()
                .map(|a| (format!(" in environment `{env}`"), a))
        });
        for (place, a) in base.into_iter().chain(overrides) {
            let problems = autoscaling_problems(a);
            if !problems.is_empty() {
                out.push(BAD_AUTOSCALING.diagnostic(
                    format!(
                        "The autoscaling of {}{place} is inconsistent: {}",
                        label(g, i),
                        and_list(&problems)
                    ),
                    vec![nid(g, i)],
                    "Set 1 ≤ minimum ≤ maximum and a CPU target between 1 and 100 percent.",
                ));
            }
        }
    }
    out
}

fn no_targets(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let routes = match &g.node(i).spec {
            NodeSpec::LoadBalancer(lb) => !lb.client_side,
            spec => matches!(spec.kind(), Kind::IngressController | Kind::GeoRouter),
        };
        if !routes {
            continue;
        }
        let has_target = g
            .outgoing(i)
            .any(|(e, _)| matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute));
        if !has_target {
            out.push(NO_TARGETS.diagnostic(
                format!(
                    "The {} {} sends traffic nowhere",
                    g.kind(i).label().to_lowercase(),
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Draw traffic (or geo route) edges from it to the components it serves.",
            ));
        }
    }
    out
}

fn failover_router(g: &DesignGraph, i: usize) -> Option<bool> {
    match &g.node(i).spec {
        NodeSpec::GeoRouter(r) if r.policy == RoutingPolicy::Failover => Some(r.health_check),
        _ => None,
    }
}

fn failover_without_health_check(g: &DesignGraph) -> Vec<Diagnostic> {
    (0..g.len())
        .filter(|&i| failover_router(g, i) == Some(false))
        .map(|i| {
            FAILOVER_WITHOUT_HEALTH_CHECK.diagnostic(
                format!(
                    "The failover router {} has no health check, so it never fails over",
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Turn on its health check.",
            )
        })
        .collect()
}

fn failover_standby(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if failover_router(g, i).is_none() {
            continue;
        }
        let mut primaries = Vec::new();
        let mut standbys = Vec::new();
        for (e, t) in g.outgoing_of(i, EdgeKind::GeoRoute) {
            if let EdgeSpec::GeoRoute(route) = &g.edge(e).spec {
                match route.failover {
                    Some(FailoverRole::Primary) => primaries.push(t),
                    Some(FailoverRole::Standby) => standbys.push(t),
                    None => {}
                }
            }
        }
        let mut missing = Vec::new();
        if primaries.is_empty() {
            missing.push("primary".to_string());
        }
        if standbys.is_empty() {
            missing.push("standby".to_string());
        }
        if !missing.is_empty() {
            out.push(FAILOVER_STANDBY.diagnostic(
                format!(
                    "The failover router {} has no {} route",
                    label(g, i),
                    and_list(&missing).replace(" and ", " or ")
                ),
                vec![nid(g, i)],
                "Give it one geo route marked primary and one marked standby, to targets in different regions.",
            ));
            continue;
        }
        let mut primary_in: HashMap<usize, usize> = HashMap::new();
        for &p in &primaries {
            if let Some(region) = g.scope(p).region {
                primary_in.entry(region).or_insert(p);
            }
        }
        for &s in &standbys {
            let Some(region) = g.scope(s).region else {
                continue;
            };
            if let Some(&primary) = primary_in.get(&region) {
                out.push(FAILOVER_STANDBY.diagnostic(
                    format!(
                        "The standby {} of the failover router {} is in the same region {} as the primary {}",
                        label(g, s),
                        label(g, i),
                        label(g, region),
                        label(g, primary)
                    ),
                    vec![nid(g, i), nid(g, s), nid(g, primary)],
                    "Put the standby in another region, so losing the primary's region does not take both.",
                ));
            }
        }
    }
    out
}

fn single_az_database(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let NodeSpec::Database(db) = &g.node(i).spec else {
            continue;
        };
        if db.managed && !db.multi_az && g.is_production(i) {
            out.push(SINGLE_AZ_DATABASE.diagnostic(
                format!(
                    "The production database {} runs in a single availability zone",
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Turn on multi-AZ, so losing one zone does not lose the database.",
            ));
        }
    }
    out
}

/// Whether the exports run a replicated self-hosted store as a real replicated topology: only
/// PostgreSQL in Kubernetes has one (a CloudNativePG `Cluster`, which elects the primary and
/// streams to the replicas). Elsewhere N copies of one image would be N independent primaries
/// whose data splits, so the exports run one instance.
fn has_operator(g: &DesignGraph, i: usize) -> bool {
    let in_swarm = g
        .scope(i)
        .cluster
        .is_some_and(|c| g.kind(c) == Kind::SwarmCluster);
    matches!(&g.node(i).spec, NodeSpec::Database(db) if db.engine == DatabaseEngine::Postgresql)
        && !in_swarm
}

fn replicas_without_operator(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let (managed, replicas, engine) = match &g.node(i).spec {
            NodeSpec::Database(p) => (p.managed, p.replicas, engine_label(&p.engine)),
            NodeSpec::Cache(p) => (p.managed, p.replicas, engine_label(&p.engine)),
            NodeSpec::Queue(p) => (p.managed, p.replicas, engine_label(&p.engine)),
            _ => continue,
        };
        if managed || replicas == 0 || has_operator(g, i) {
            continue;
        }
        let place = match g.scope(i).cluster {
            Some(c) if g.kind(c) == Kind::SwarmCluster => {
                format!("in the Swarm cluster {}", label(g, c))
            }
            _ => "self-hosted".to_string(),
        };
        out.push(REPLICAS_WITHOUT_OPERATOR.diagnostic(
            format!(
                "The {engine} {} is drawn with {} instances {place}, but no operator keeps them one primary with replicas: it is exported as one instance (copies of one image would each be a primary, and the data would split between them)",
                label(g, i),
                replicas.saturating_add(1)
            ),
            vec![nid(g, i)],
            "Set replicas to 0 to draw what is exported, or use the provider's managed service, which replicates for you (in Kubernetes, PostgreSQL runs replicated through CloudNativePG).",
        ));
    }
    out
}

/// The engine's name as users write it, from its serde name (`postgresql`, `redis`…).
fn engine_label<E: serde::Serialize>(engine: &E) -> String {
    serde_json::to_value(engine)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "store".to_string())
}
