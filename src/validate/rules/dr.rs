//! Disaster recovery: replicas in other regions, replication within the stated RPO (seed 003).

use crate::model::{DesignGraph, EdgeKind, EdgeSpec, NodeSpec, ReplicationMode, ReplicationProps};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{eid, label, nid};

pub const SAME_REGION_REPLICA: Rule = Rule {
    id: "IC-DR-001",
    family: Family::DisasterRecovery,
    severity: Severity::Warning,
    title: "A replica lives in another region than its primary",
    check: same_region_replica,
};

pub const RPO_EXCEEDED: Rule = Rule {
    id: "IC-DR-002",
    family: Family::DisasterRecovery,
    severity: Severity::Error,
    title: "Asynchronous replication meets the design's RPO",
    check: rpo_exceeded,
};

pub const RPO_UNSTATED: Rule = Rule {
    id: "IC-DR-003",
    family: Family::DisasterRecovery,
    severity: Severity::Warning,
    title: "Asynchronous replication states its RPO when the design has one",
    check: rpo_unstated,
};

pub const NO_CROSS_REGION_REPLICA: Rule = Rule {
    id: "IC-DR-004",
    family: Family::DisasterRecovery,
    severity: Severity::Warning,
    title: "Production databases replicate to another region when the design states recovery objectives",
    check: no_cross_region_replica,
};

/// Replication edges with both ends, as (edge, from, to, props).
fn replications<'g, 'a>(
    g: &'g DesignGraph<'a>,
) -> impl Iterator<Item = (usize, usize, usize, &'a ReplicationProps)> + 'g {
    g.design
        .edges
        .iter()
        .enumerate()
        .filter_map(move |(e, edge)| {
            let EdgeSpec::Replication(props) = &edge.spec else {
                return None;
            };
            let (a, b) = g.edge_ends(e)?;
            Some((e, a, b, props))
        })
}

fn same_region_replica(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, a, b, _) in replications(g) {
        let (Some(ra), Some(rb)) = (g.scope(a).region, g.scope(b).region) else {
            continue;
        };
        if ra == rb {
            out.push(SAME_REGION_REPLICA.diagnostic(
                format!(
                    "{} replicates to {} in the same region {}, which does not survive losing the region",
                    label(g, a),
                    label(g, b),
                    label(g, ra)
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                "Place the replica in another region (multi-AZ already covers a zone).",
            ));
        }
    }
    out
}

fn rpo_exceeded(g: &DesignGraph) -> Vec<Diagnostic> {
    let Some(objective) = g.design.objectives.rpo_minutes else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (e, a, b, props) in replications(g) {
        let Some(rpo) = props.rpo_minutes else {
            continue;
        };
        if props.mode == ReplicationMode::Async && rpo > objective {
            out.push(RPO_EXCEEDED.diagnostic(
                format!(
                    "Asynchronous replication from {} to {} can lose {rpo} minutes of data; the design promises an RPO of {objective} minutes",
                    label(g, a),
                    label(g, b)
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                format!("Replicate more often (RPO ≤ {objective} minutes) or synchronously."),
            ));
        }
    }
    out
}

fn rpo_unstated(g: &DesignGraph) -> Vec<Diagnostic> {
    let Some(objective) = g.design.objectives.rpo_minutes else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (e, a, b, props) in replications(g) {
        if props.mode == ReplicationMode::Async && props.rpo_minutes.is_none() {
            out.push(RPO_UNSTATED.diagnostic(
                format!(
                    "Asynchronous replication from {} to {} states no RPO, while the design promises {objective} minutes",
                    label(g, a),
                    label(g, b)
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                "State the replication's RPO in minutes.",
            ));
        }
    }
    out
}

fn no_cross_region_replica(g: &DesignGraph) -> Vec<Diagnostic> {
    let objectives = &g.design.objectives;
    if objectives.rpo_minutes.is_none() && objectives.rto_minutes.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for i in 0..g.len() {
        if !matches!(g.node(i).spec, NodeSpec::Database(_)) || !g.is_production(i) {
            continue;
        }
        let region = g.scope(i).region;
        let elsewhere = g
            .outgoing_of(i, EdgeKind::Replication)
            .chain(g.incoming_of(i, EdgeKind::Replication))
            .any(|(_, other)| {
                let theirs = g.scope(other).region;
                theirs.is_some() && theirs != region
            });
        if !elsewhere {
            out.push(NO_CROSS_REGION_REPLICA.diagnostic(
                format!(
                    "The production database {} has no replica in another region, though the design states recovery objectives",
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Add a database in another region and a replication edge to it.",
            ));
        }
    }
    out
}
