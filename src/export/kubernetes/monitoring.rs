//! Scraping by the Prometheus drawn in a cluster (kube-prometheus-stack, see the README): a
//! prometheus-operator `PodMonitor` per workload with a port, selecting its pods by
//! `infracanvas.io/workload` (which Flagger's primary pods keep) and scraping `/metrics` on
//! its first port. The label `release: kube-prometheus-stack` is what the chart's Prometheus
//! selects monitors by. In an Istio namespace with STRICT mTLS a Prometheus outside the mesh
//! cannot reach the application's port; it scrapes the sidecar's own endpoint instead
//! (`http-envoy-prom`, port 15090, `/stats/prometheus`: the mesh's request metrics).

use std::collections::BTreeMap;

use serde_json::json;

use super::objects::{labels, meta, WORKLOAD};
use super::plan::{ClusterPlan, DesignPlan, NsPlan, Unit};
use super::secrets::Resource;
use crate::model::*;

/// The Helm release the README installs kube-prometheus-stack as.
pub(crate) const RELEASE: &str = "kube-prometheus-stack";

pub(crate) fn pod_monitor(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<Resource> {
    if ns.infra || u.is_job() || u.workload().is_none() {
        return None;
    }
    super::addons::drawn_prometheus(plan, cp)?;
    let (_, protocol, port) = u.ports().into_iter().next()?;
    let (port, path, scheme) = if super::mesh::istio_injected(cp, ns) {
        ("http-envoy-prom".to_string(), "/stats/prometheus", "http")
    } else if protocol == Protocol::Https {
        (port, "/metrics", "https")
    } else {
        (port, "/metrics", "http")
    };
    let mut l = labels(&u.name, &plan.part_of);
    l.insert("release".into(), RELEASE.into());
    Some(Resource {
        api_version: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: meta(&u.name, &ns.name, l),
        spec: json!({
            "selector": { "matchLabels": BTreeMap::from([(WORKLOAD, u.name.as_str())]) },
            "podMetricsEndpoints": [{
                "port": port,
                "path": path,
                "interval": "30s",
                "scheme": scheme,
            }],
        }),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::export::kubernetes::export;
    use crate::export::test_support::parse_docs;

    #[test]
    fn a_drawn_prometheus_scrapes_every_workload_with_a_port() {
        // microservices-platform draws Prometheus in its Kubernetes cluster; multicloud-shop
        // draws none there.
        let design = crate::templates::template("microservices-platform").expect("template");
        let files = export(&design);
        let docs: Vec<Value> = files
            .iter()
            .filter(|f| f.path.contains("/base/") && f.path.ends_with(".yaml"))
            .flat_map(parse_docs)
            .collect();
        let monitors: Vec<&Value> = docs.iter().filter(|d| d["kind"] == "PodMonitor").collect();
        let deployments = docs.iter().filter(|d| d["kind"] == "Deployment").count();
        assert_eq!(monitors.len(), deployments);
        for m in monitors {
            assert_eq!(m["metadata"]["labels"]["release"], "kube-prometheus-stack");
            let name = &m["metadata"]["name"];
            assert_eq!(m["spec"]["selector"]["matchLabels"]["infracanvas.io/workload"], *name);
        }
        let shop = crate::templates::template("multicloud-shop").expect("template");
        assert!(!export(&shop)
            .iter()
            .any(|f| f.path.ends_with("/pod-monitors.yaml")));
    }
}
