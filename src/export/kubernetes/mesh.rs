//! Istio objects for the namespaces the design puts in an Istio mesh (sidecar injection on):
//! a namespace-wide `PeerAuthentication` that requires mutual TLS (when the mesh node keeps
//! mTLS on), and per Service a `DestinationRule` with a connection pool and outlier detection,
//! i.e. circuit breaking. Flagger targets get the same traffic policy through their Canary
//! (`spec.service.trafficPolicy`), because Flagger writes the DestinationRules of the
//! `-primary` and `-canary` Services itself.
//!
//! Pod Security: injected pods get Istio's sidecar and, without the CNI plugin, an init
//! container with NET_ADMIN and NET_RAW, which neither `restricted` nor `baseline` admits. The
//! export therefore installs Istio with its CNI plugin (see the cluster's README) and labels
//! injected namespaces the way Istio documents and tests it: enforce `baseline`, and warn and
//! audit against `restricted`, which our own containers still meet. Enforcing `restricted`
//! would make admission of every pod depend on how a given Istio release writes the sidecar.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::objects::{labels, meta};
use super::plan::{ClusterPlan, DesignPlan, NsPlan, Unit};
use crate::model::NodeSpec;

/// The cluster's mesh is Istio.
pub(crate) fn is_istio(cp: &ClusterPlan<'_>) -> bool {
    cp.mesh.as_deref().is_some_and(|m| m.contains("istio"))
}

/// Pods of this namespace get an Istio sidecar.
pub(crate) fn istio_injected(cp: &ClusterPlan<'_>, ns: &NsPlan<'_>) -> bool {
    ns.mesh_injection && is_istio(cp)
}

/// The Pod Security Admission labels of one of our namespaces: (mode, level).
pub(crate) fn pod_security_levels(
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
) -> Vec<(&'static str, &'static str)> {
    if istio_injected(cp, ns) {
        vec![
            ("audit", "restricted"),
            ("enforce", "baseline"),
            ("warn", "restricted"),
        ]
    } else {
        vec![("enforce", "restricted")]
    }
}

/// Whether the drawn mesh keeps mutual TLS on (the default).
fn mtls(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> bool {
    plan.g
        .descendants(cp.idx)
        .into_iter()
        .find_map(|i| match &plan.g.node(i).spec {
            NodeSpec::ServiceMesh(m) => Some(m.mtls),
            _ => None,
        })
        .unwrap_or(true)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PeerAuthentication {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: PeerAuthenticationSpec,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeerAuthenticationSpec {
    pub mtls: Mtls,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Mtls {
    pub mode: &'static str,
}

/// `STRICT` mutual TLS for every workload of an injected namespace.
pub(crate) fn peer_authentication(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
) -> Option<PeerAuthentication> {
    if !istio_injected(cp, ns) || !mtls(plan, cp) {
        return None;
    }
    Some(PeerAuthentication {
        api_version: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: meta("default", &ns.name, labels("default", &plan.part_of)),
        spec: PeerAuthenticationSpec {
            mtls: Mtls { mode: "STRICT" },
        },
    })
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DestinationRule {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: DestinationRuleSpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DestinationRuleSpec {
    pub host: String,
    pub traffic_policy: TrafficPolicy,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TrafficPolicy {
    pub connection_pool: ConnectionPool,
    pub outlier_detection: OutlierDetection,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<Tls>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConnectionPool {
    pub tcp: TcpPool,
    pub http: HttpPool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TcpPool {
    pub max_connections: u32,
    pub connect_timeout: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HttpPool {
    pub http1_max_pending_requests: u32,
    pub http2_max_requests: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OutlierDetection {
    #[serde(rename = "consecutive5xxErrors")]
    pub consecutive_5xx_errors: u32,
    pub interval: &'static str,
    pub base_ejection_time: &'static str,
    pub max_ejection_percent: u32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Tls {
    pub mode: &'static str,
}

/// Circuit breaking: bounded connections and queues, and a host that answers five 5xx in a
/// row leaves the pool for 30 s (at most half of the pool at once).
pub(crate) fn traffic_policy(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> TrafficPolicy {
    TrafficPolicy {
        connection_pool: ConnectionPool {
            tcp: TcpPool {
                max_connections: 1024,
                connect_timeout: "5s",
            },
            http: HttpPool {
                http1_max_pending_requests: 1024,
                http2_max_requests: 1024,
            },
        },
        outlier_detection: OutlierDetection {
            consecutive_5xx_errors: 5,
            interval: "10s",
            base_ejection_time: "30s",
            max_ejection_percent: 50,
        },
        tls: mtls(plan, cp).then_some(Tls {
            mode: "ISTIO_MUTUAL",
        }),
    }
}

/// The DestinationRule of a meshed unit's Service. `None` outside an Istio mesh, for units
/// without a Service, and for Flagger targets (their Canary carries the policy).
pub(crate) fn destination_rule(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<DestinationRule> {
    if !istio_injected(cp, ns) || u.progressive() {
        return None;
    }
    super::objects::service(plan, ns, u)?;
    Some(DestinationRule {
        api_version: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: ObjectMeta {
            annotations: Some(BTreeMap::from([(
                "infracanvas.io/node-id".to_string(),
                u.node.id.clone(),
            )])),
            ..meta(&u.name, &ns.name, labels(&u.name, &plan.part_of))
        },
        spec: DestinationRuleSpec {
            host: format!("{}.{}.svc.cluster.local", u.name, ns.name),
            traffic_policy: traffic_policy(plan, cp),
        },
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::export::kubernetes::export;
    use crate::export::test_support::parse_docs;

    fn site_builder() -> Vec<(String, Vec<Value>)> {
        let design = crate::templates::template("site-builder").expect("template");
        export(&design)
            .into_iter()
            .filter(|f| f.path.ends_with(".yaml"))
            .map(|f| (f.path.clone(), parse_docs(&f)))
            .collect()
    }

    #[test]
    fn meshed_namespaces_require_mtls_and_break_circuits() {
        let files = site_builder();
        let docs = |suffix: &str| -> Vec<Value> {
            files
                .iter()
                .filter(|(p, _)| p.ends_with(suffix))
                .flat_map(|(_, d)| d.clone())
                .collect()
        };
        let peer = docs("/peer-authentications.yaml");
        // Prod's frontend and backend namespaces are injected.
        assert_eq!(peer.len(), 2, "{peer:?}");
        assert!(peer.iter().all(|p| p["spec"]["mtls"]["mode"] == "STRICT"));
        let rules = docs("/destination-rules.yaml");
        // API gateway, auth, other services, frontend.
        assert_eq!(rules.len(), 4);
        for r in &rules {
            let od = &r["spec"]["trafficPolicy"]["outlierDetection"];
            assert_eq!(od["consecutive5xxErrors"], 5);
            assert!(
                r["spec"]["trafficPolicy"]["connectionPool"]["tcp"]["maxConnections"].is_number()
            );
            let host = r["spec"]["host"].as_str().unwrap();
            assert!(host.ends_with(".svc.cluster.local"), "{host}");
        }
    }

    #[test]
    fn injected_namespaces_enforce_baseline_and_warn_restricted() {
        let files = site_builder();
        for (path, docs) in files.iter().filter(|(p, _)| p.ends_with("/namespace.yaml")) {
            let l = &docs[0]["metadata"]["labels"];
            if l["istio-injection"] == "enabled" {
                assert_eq!(
                    l["pod-security.kubernetes.io/enforce"], "baseline",
                    "{path}"
                );
                assert_eq!(l["pod-security.kubernetes.io/warn"], "restricted", "{path}");
            } else if l.get("pod-security.kubernetes.io/enforce").is_some() {
                assert_eq!(
                    l["pod-security.kubernetes.io/enforce"], "restricted",
                    "{path}"
                );
            }
        }
    }
}
