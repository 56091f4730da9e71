//! A self-hosted PostgreSQL drawn with more than one replica: a CloudNativePG `Cluster`
//! (postgresql.cnpg.io/v1). The operator runs one primary and streaming standbys, fails over,
//! and makes the Services `<name>-rw` (primary), `<name>-ro` and `<name>-r`, and its own
//! PodDisruptionBudget. Copies of the `postgres` image behind one Service would instead be
//! independent primaries, each with part of the data.
//!
//! Our pod labels reach the instance pods through `spec.inheritedMetadata.labels`, so the
//! NetworkPolicies that select `infracanvas.io/workload` keep matching them.
//!
//! No registry package ships CloudNativePG's CRD schema, so `tests::fields_exist_in_the_api`
//! checks every field written here against the CloudNativePG v1 API reference.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceRequirements, TopologySpreadConstraint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::objects::{self, labels, meta, PART_OF, WORKLOAD};
use super::plan::{Body, ClusterPlan, DesignPlan, NsPlan, Unit};
use crate::export::engines::pinned_version;
use crate::model::Resources;

/// CloudNativePG's operand images (PostgreSQL plus the tools the operator needs), tagged by
/// full PostgreSQL version.
pub(crate) const IMAGE: &str = "ghcr.io/cloudnative-pg/postgresql";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Cluster {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: ClusterSpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClusterSpec {
    pub instances: u32,
    pub image_name: String,
    /// Restart the primary without waiting for an operator's confirmation during updates.
    pub primary_update_strategy: &'static str,
    pub storage: Storage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    pub inherited_metadata: InheritedMetadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Storage {
    pub size: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct InheritedMetadata {
    pub labels: BTreeMap<String, String>,
}

/// The number of instances when the unit is a replicated self-hosted PostgreSQL; `None` for
/// every other unit (which keeps its single-pod StatefulSet). A store's drawn `replicas` counts
/// the members beyond the primary (the inspector's "Replicas beyond the primary"), so one
/// replica already makes a two-instance cluster.
pub(crate) fn instances(u: &Unit<'_>) -> Option<u32> {
    match &u.body {
        Body::Store(s) if s.engine.name == "postgresql" && s.replicas >= 1 => {
            Some(s.replicas.saturating_add(1))
        }
        _ => None,
    }
}

/// The Service clients use: CloudNativePG's read-write Service, or the unit's own.
pub(crate) fn service_name(u: &Unit<'_>) -> String {
    if instances(u).is_some() {
        format!("{}-rw", u.name)
    } else {
        u.name.clone()
    }
}

pub(crate) fn cluster(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<Cluster> {
    let n = instances(u)?;
    let Body::Store(s) = &u.body else {
        return None;
    };
    // Only labels the operator does not set itself (it writes `app.kubernetes.io/*` of its
    // own on instance pods).
    let pod_labels = BTreeMap::from([
        (WORKLOAD.to_string(), u.name.clone()),
        (PART_OF.to_string(), plan.part_of.clone()),
    ]);
    let mut metadata = meta(&u.name, &ns.name, labels(&u.name, &plan.part_of));
    metadata.annotations = Some(BTreeMap::from([(
        "infracanvas.io/node-id".to_string(),
        u.node.id.clone(),
    )]));
    Some(Cluster {
        api_version: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata,
        spec: ClusterSpec {
            instances: n,
            image_name: format!("{IMAGE}:{}", pinned_version(&s.engine, s.version)),
            primary_update_strategy: "unsupervised",
            storage: Storage {
                size: "10Gi".into(),
            },
            // The same modest defaults as a single store; tuned in overlays.
            resources: objects::resources(&Resources {
                cpu_request: "250m".into(),
                cpu_limit: "1".into(),
                memory_request: "512Mi".into(),
                memory_limit: "1Gi".into(),
            }),
            inherited_metadata: InheritedMetadata { labels: pod_labels },
            // Instances of a StatefulSet-like set: no pod-template-hash.
            topology_spread_constraints: objects::spread(plan, cp, &u.name, false),
        },
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::export::kubernetes::export;
    use crate::export::test_support::{field_paths, parse_docs};
    use crate::model::*;

    /// Fields of `Cluster` in the CloudNativePG v1 API reference
    /// (cloudnative-pg.io/documentation/current/cloudnative-pg.v1/#postgresql-cnpg-io-v1-ClusterSpec):
    /// the ones this export writes, with the path they live at. Kubernetes core types
    /// (ResourceRequirements, TopologySpreadConstraint) are checked by their own schema.
    const API: &[&str] = &[
        "apiVersion",
        "kind",
        "metadata",
        "spec",
        "spec.instances",
        "spec.imageName",
        "spec.primaryUpdateStrategy",
        "spec.storage",
        "spec.storage.size",
        "spec.resources",
        "spec.inheritedMetadata",
        "spec.inheritedMetadata.labels",
        "spec.topologySpreadConstraints",
    ];
    /// Below these paths the values are Kubernetes core types or free-form maps.
    const OPAQUE: &[&str] = &[
        "metadata",
        "spec.resources",
        "spec.inheritedMetadata.labels",
        "spec.topologySpreadConstraints",
    ];

    /// The site-builder template draws a self-hosted PostgreSQL with two replicas beyond the primary.
    fn clusters() -> Vec<Value> {
        let design = crate::templates::template("site-builder").expect("template");
        export(&design)
            .iter()
            .filter(|f| f.path.ends_with("/postgres-clusters.yaml"))
            .flat_map(parse_docs)
            .collect()
    }

    #[test]
    fn fields_exist_in_the_api() {
        let docs = clusters();
        assert!(!docs.is_empty());
        for d in &docs {
            for path in field_paths(d, OPAQUE) {
                assert!(
                    API.contains(&path.as_str()),
                    "{path} is not a Cluster field"
                );
            }
            assert_eq!(d["spec"]["primaryUpdateStrategy"], "unsupervised");
        }
    }

    #[test]
    fn replicated_postgres_is_one_cluster_with_the_drawn_instances() {
        let docs = clusters();
        // Prod draws two replicas beyond the primary, staging one.
        let of_node = |id: &str| {
            docs.iter()
                .find(|d| d["metadata"]["annotations"]["infracanvas.io/node-id"] == id)
                .unwrap_or_else(|| panic!("no Cluster for {id}"))
        };
        assert_eq!(docs.len(), 2);
        let c = of_node("postgres");
        assert_eq!(c["spec"]["instances"], 3, "the primary and two replicas");
        assert_eq!(of_node("staging-postgres")["spec"]["instances"], 2);
        assert_eq!(
            c["spec"]["imageName"], "ghcr.io/cloudnative-pg/postgresql:16.9",
            "pinned full version"
        );
        assert_eq!(
            c["spec"]["inheritedMetadata"]["labels"]["infracanvas.io/workload"],
            c["metadata"]["name"]
        );
        // Prod spans three zones.
        assert_eq!(
            c["spec"]["topologySpreadConstraints"][0]["topologyKey"],
            "topology.kubernetes.io/zone"
        );
    }

    #[test]
    fn clients_connect_to_the_read_write_service_and_no_statefulset_remains() {
        let mut design = crate::export::sample::design();
        let mut found = false;
        for n in &mut design.nodes {
            if let NodeSpec::Database(p) = &mut n.spec {
                if !p.managed {
                    p.replicas = 3;
                    found = true;
                }
            }
        }
        assert!(found, "the sample draws a self-hosted database");
        let files = export(&design);
        let all: Vec<Value> = files
            .iter()
            .filter(|f| f.path.ends_with(".yaml"))
            .flat_map(parse_docs)
            .collect();
        let cluster = all
            .iter()
            .find(|d| d["kind"] == "Cluster")
            .expect("Cluster");
        let name = cluster["metadata"]["name"].as_str().unwrap();
        assert_eq!(
            cluster["spec"]["instances"], 4,
            "the primary and three replicas"
        );
        assert!(!all
            .iter()
            .any(|d| d["kind"] == "StatefulSet" && d["metadata"]["name"] == name));
        assert!(!all
            .iter()
            .any(|d| d["kind"] == "Service" && d["metadata"]["name"] == name));
        assert!(!all
            .iter()
            .any(|d| d["kind"] == "PodDisruptionBudget" && d["metadata"]["name"] == name));
        let rw = format!("{name}-rw");
        assert!(
            all.iter().any(|d| d["kind"] == "ConfigMap"
                && d["data"]
                    .as_object()
                    .is_some_and(|m| m.values().any(|v| v.as_str() == Some(rw.as_str())))),
            "a ConfigMap points at {rw}"
        );
    }
}
