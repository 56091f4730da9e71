//! Sizes that differ per environment: the nodes of each managed Kubernetes cluster, worked out
//! from the replicas and autoscaling bounds its workloads ask for in that environment.

use hcl::expr::{Expression, ObjectKey};

use super::hcl::{call, object};
use super::module::{ty, Module, Variable};
use super::plan::{safe, Plan};
use crate::model::*;

/// Pods a node is taken to hold: a starting figure for general-purpose nodes of 2 vCPU and
/// 8 GiB with requests of a quarter CPU; the sizes are variables, to be tuned per workspace.
pub const PODS_PER_NODE: u32 = 8;

/// Node counts of one cluster in one environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeCounts {
    pub min: u32,
    pub desired: u32,
    pub max: u32,
}

/// The design's environments as tfvars file names (safe names), in design order.
pub fn environments(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in &plan.g.design.environments {
        let id = safe(&e.id, "env");
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The design's environment ids paired with their safe names; a cluster bound to one
/// environment is sized for that one in every file.
fn env_id_for<'d>(plan: &'d Plan, cluster: usize, env: &'d str) -> &'d str {
    match plan.g.node(cluster).spec.cluster_placement() {
        Some((bound, _)) if !bound.is_empty() => bound,
        _ => plan
            .g
            .design
            .environments
            .iter()
            .find(|e| safe(&e.id, "env") == env)
            .map_or(env, |e| e.id.as_str()),
    }
}

/// One node per zone at least; enough nodes for the replicas, and for the autoscaling maxima:
/// the maximum holds every workload at its autoscaler's top at once, and at least as many
/// nodes as the largest autoscaler's top (replicas spread one to a node, so an HPA scaled to
/// 6 needs 6 nodes to place them all), so the cluster autoscaler can follow the HPAs.
pub fn node_counts(plan: &Plan, cluster: usize, env: &str) -> NodeCounts {
    let env = env_id_for(plan, cluster, env);
    let zones = plan
        .g
        .node(cluster)
        .spec
        .cluster_placement()
        .map_or(0, |(_, z)| z.len())
        .max(1) as u32;
    let (mut pods, mut peak, mut widest) = (0u32, 0u32, 0u32);
    for i in plan.g.descendants(cluster) {
        if let NodeSpec::Workload(w) = &plan.g.node(i).spec {
            let replicas = w.replicas_in(env);
            pods = pods.saturating_add(replicas);
            let top = w
                .autoscaling_in(env)
                .map_or(replicas, |a| a.max.max(replicas));
            peak = peak.saturating_add(top);
            widest = widest.max(top);
        }
    }
    let desired = zones.max(pods.div_ceil(PODS_PER_NODE));
    NodeCounts {
        min: zones,
        desired,
        max: desired.max(peak.div_ceil(PODS_PER_NODE)).max(widest),
    }
}

/// The environment (its tfvars name) a cluster serves alone, when the design has several:
/// the cluster's resources then exist only in that environment's workspace.
pub fn bound_environment(plan: &Plan, cluster: usize) -> Option<String> {
    let (bound, _) = plan.g.node(cluster).spec.cluster_placement()?;
    let envs = &plan.g.design.environments;
    (!bound.is_empty() && envs.len() > 1 && envs.iter().any(|e| e.id == bound))
        .then(|| safe(bound, "env"))
}

/// Whether this workspace makes the resources of `clusters` (bound ones only): true in the
/// workspace whose `var.environment` is every bound cluster's environment; `None` when none of
/// them is bound (always made).
pub fn environment_condition(plan: &Plan, clusters: &[usize]) -> Option<Expression> {
    let mut envs: Vec<String> = clusters
        .iter()
        .filter_map(|&c| bound_environment(plan, c))
        .collect();
    envs.sort();
    envs.dedup();
    let mut cond: Option<Expression> = None;
    for env in envs {
        let eq = Expression::from(hcl::expr::BinaryOp::new(
            super::hcl::var("environment"),
            hcl::expr::BinaryOperator::Eq,
            Expression::from(env),
        ));
        cond = Some(match cond {
            None => eq,
            Some(c) => Expression::from(hcl::expr::BinaryOp::new(
                c,
                hcl::expr::BinaryOperator::And,
                eq,
            )),
        });
    }
    cond
}

/// `count = <condition> ? 1 : 0` for [`environment_condition`].
pub fn environment_count(plan: &Plan, clusters: &[usize]) -> Option<Expression> {
    environment_condition(plan, clusters).map(|c| {
        Expression::from(hcl::expr::Conditional::new(
            c,
            Expression::from(1),
            Expression::from(0),
        ))
    })
}

/// Whether the cluster runs production in `env`: its own environment's flag when it is bound to
/// one, otherwise `env`'s.
pub fn production_for(plan: &Plan, cluster: usize, env: &str) -> bool {
    match plan.g.node(cluster).spec.cluster_placement() {
        Some((bound, _)) if !bound.is_empty() => plan
            .g
            .design
            .environments
            .iter()
            .any(|e| e.id == bound && e.production),
        _ => is_production(plan, env),
    }
}

/// Whether `env` (a safe name, or `""` for the defaults) is a production environment.
pub fn is_production(plan: &Plan, env: &str) -> bool {
    let envs = &plan.g.design.environments;
    envs.is_empty()
        || envs
            .iter()
            .any(|e| e.production && (env.is_empty() || safe(&e.id, "env") == env))
}

/// `var.node_groups`, one entry per cluster (keyed by its label): `fields` gives the node
/// shape for a production flag, then `min_size`, `desired_size` and `max_size` follow. The
/// default is sized for the default environment, each environment file for its own.
pub fn node_groups_variable(
    m: &mut Module,
    plan: &Plan,
    clusters: &[(usize, String)],
    fields: &[(&'static str, &'static str)],
    shape: impl Fn(bool) -> Vec<Expression>,
    what: &str,
) {
    if clusters.is_empty() {
        return;
    }
    let per_env = |env: &str| -> Expression {
        Expression::Object(
            clusters
                .iter()
                .map(|(c, label)| {
                    let n = node_counts(plan, *c, env);
                    let mut entry: Vec<(&str, Expression)> = fields
                        .iter()
                        .map(|(f, _)| *f)
                        .zip(shape(production_for(plan, *c, env)))
                        .collect();
                    entry.push(("min_size", n.min.into()));
                    entry.push(("desired_size", n.desired.into()));
                    entry.push(("max_size", n.max.into()));
                    (
                        ObjectKey::Expression(Expression::String(label.clone())),
                        object(entry),
                    )
                })
                .collect(),
        )
    };
    let mut types: Vec<(&str, Expression)> = fields.iter().map(|(f, t)| (*f, ty(t))).collect();
    for f in ["min_size", "desired_size", "max_size"] {
        types.push((f, ty("number")));
    }
    m.variable(
        "node_groups",
        Variable {
            ty: call("map", vec![call("object", vec![object(types)])]),
            description: format!(
                "Node group per {what} cluster: node shape and counts (sized at {PODS_PER_NODE} pods a node from the drawn replicas and autoscaling maxima)"
            ),
            default: Some(per_env(&plan.default_environment())),
            sensitive: false,
        },
    );
    for env in environments(plan) {
        let value = per_env(&env);
        m.env_value(&env, "node_groups", value);
    }
}
