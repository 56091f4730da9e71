//! Flagger `Canary` objects (flagger.app/v1beta1) for progressive rollouts: canary (traffic
//! steps), blue-green (iterations, then a switch) and A/B testing (iterations with header
//! matches, one per feature flag).
//!
//! The provider must be able to do what the strategy says: Istio (meshed namespace) does all
//! three; ingress-nginx (an external workload) does weights and A/B on one header or cookie;
//! Flagger's plain `kubernetes` provider only switches Services, i.e. blue-green. A canary or
//! A/B test that only `kubernetes` could route is written as blue-green and the README says so
//! (the validation rules warn while drawing). Every Canary names its metrics server (the
//! Prometheus installed with Flagger) and drives traffic through Flagger's load tester during
//! the analysis, without which the request metrics stay empty and every analysis fails.
//!
//! No registry package ships Flagger's CRD schema: `tests::fields_exist_in_the_v1beta1_api`
//! checks every field written here against the Canary v1beta1 API reference.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::addons;
use super::mesh::{self, TrafficPolicy};
use super::objects::{labels, meta};
use super::plan::{ClusterPlan, DesignPlan, IngressCtl, NsPlan, Unit};
use crate::model::*;

/// Flagger's Prometheus (installed by its chart with `prometheus.install=true`), which
/// scrapes the ingress controller and the Istio sidecars the built-in metrics read.
pub(crate) fn metrics_server() -> String {
    format!(
        "http://flagger-prometheus.{}:9090",
        addons::FLAGGER_NAMESPACE
    )
}

/// Flagger's load tester (chart `flagger/loadtester`).
pub(crate) fn load_tester() -> String {
    format!("http://flagger-loadtester.{}/", addons::LOADTESTER_NAMESPACE)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Canary {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: CanarySpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CanarySpec {
    pub provider: String,
    pub metrics_server: String,
    pub target_ref: Ref,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_ref: Option<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaler_ref: Option<Ref>,
    pub progress_deadline_seconds: u32,
    pub service: CanaryService,
    pub analysis: Analysis,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Ref {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CanaryService {
    pub port: u16,
    pub target_port: u16,
    /// Copied by Flagger into the DestinationRules it makes (Istio only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_policy: Option<TrafficPolicy>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Analysis {
    pub interval: String,
    pub threshold: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_weight: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_weight: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<u32>,
    #[serde(rename = "match", skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<Match>,
    pub metrics: Vec<Metric>,
    pub webhooks: Vec<Webhook>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Webhook {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub url: String,
    pub timeout: &'static str,
    pub metadata: BTreeMap<&'static str, String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Match {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, StringMatch>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StringMatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metric {
    pub name: &'static str,
    pub threshold_range: BTreeMap<&'static str, u32>,
    pub interval: String,
}

/// The traffic router Flagger uses for a unit: (provider, the Ingress it rewrites).
fn router<'c>(
    plan: &DesignPlan<'_>,
    cp: &'c ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> (String, Option<&'c IngressCtl>) {
    let external = u
        .workload()
        .is_some_and(|w| w.exposure == Exposure::External);
    let ingress = external.then(|| cp.ingress_for(&plan.g, u.idx)).flatten();
    match (&cp.mesh, ns.mesh_injection, ingress) {
        (Some(m), true, _) if m.contains("linkerd") => ("linkerd".to_string(), None),
        (Some(_), true, _) => ("istio".to_string(), None),
        (_, _, Some(ctl)) if ctl.class.contains("nginx") => ("nginx".to_string(), Some(ctl)),
        _ => ("kubernetes".to_string(), None),
    }
}

/// What the provider cannot do of the drawn strategy, for the README: `None` when it can.
pub(crate) fn degraded(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<String> {
    let w = u.workload()?;
    if !u.progressive() || u.ports().is_empty() {
        return None;
    }
    let (provider, _) = router(plan, cp, ns, u);
    let what = match (&w.strategy, provider.as_str()) {
        (Strategy::Canary { .. }, "kubernetes") => "a canary (traffic steps)",
        (Strategy::AbTesting { .. }, "kubernetes" | "linkerd") => "an A/B test (header routing)",
        (Strategy::AbTesting { flags, headers }, "nginx") if flags.len() + headers.len() > 1 => {
            return Some(format!(
                "`{}/{}`: ingress-nginx routes an A/B test by one header or cookie; only the first match is used.",
                ns.name, u.name
            ))
        }
        _ => return None,
    };
    Some(format!(
        "`{}/{}`: {what} needs Istio or ingress-nginx in front of it; only Flagger's `kubernetes` provider can route it here, so it is written as blue-green.",
        ns.name, u.name
    ))
}

/// The `hey` command the load tester runs during the analysis. Through the ingress controller
/// for `nginx` (its metrics are the ones read), else at the canary Service (or at the apex
/// Service for an Istio A/B test, whose header routing lives there).
pub(crate) fn load_command(
    provider: &str,
    ns: &str,
    name: &str,
    port: u16,
    host: Option<&str>,
    controller: Option<&IngressCtl>,
    header: Option<(String, String)>,
) -> String {
    let mut cmd = String::from("hey -z 1m -q 10 -c 2");
    if let Some((h, v)) = &header {
        cmd.push_str(&format!(" -H '{h}: {v}'"));
    }
    match (provider, controller, host) {
        ("nginx", Some(ctl), Some(host)) => {
            cmd.push_str(&format!(
                " -host {host} http://{}.{}/",
                addons::ingress_controller_service(&ctl.class),
                ctl.namespace
            ));
        }
        ("istio", _, _) if header.is_some() => {
            cmd.push_str(&format!(" http://{name}.{ns}:{port}/"));
        }
        _ => cmd.push_str(&format!(" http://{name}-canary.{ns}:{port}/")),
    }
    cmd
}

/// The Canary for a Flagger-managed unit. The traffic router follows the design: the mesh when
/// the namespace has sidecar injection, the ingress controller for an external workload,
/// otherwise Flagger's plain `kubernetes` provider (blue-green only).
pub(crate) fn canary(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<Canary> {
    let w = u.workload()?;
    if !u.progressive() {
        return None;
    }
    let (port, _, _) = u.ports().into_iter().next()?;
    let (provider, controller) = router(plan, cp, ns, u);
    let ingress_ref = controller.map(|_| Ref {
        api_version: "networking.k8s.io/v1",
        kind: "Ingress",
        name: u.name.clone(),
    });
    let a = &w.analysis;
    // Flagger reads `0m` as no interval at all; the inspector refuses it, a file might not.
    let interval = format!("{}m", a.interval_minutes.max(1));
    let weighted = matches!(provider.as_str(), "istio" | "linkerd" | "nginx");
    let header_routing = matches!(provider.as_str(), "istio" | "nginx");
    let (max_weight, step_weight, iterations, matches) = match &w.strategy {
        Strategy::Canary {
            step_weight,
            max_weight,
        } if weighted => {
            let step = (*step_weight).clamp(1, 100);
            (
                Some((*max_weight).clamp(step, 100)),
                Some(step),
                None,
                Vec::new(),
            )
        }
        Strategy::AbTesting { flags, headers } if header_routing => {
            let mut m = ab_matches(flags, headers, provider == "nginx");
            if provider == "nginx" {
                m.truncate(1);
            }
            (None, None, Some(a.iterations), m)
        }
        _ => (None, None, Some(a.iterations), Vec::new()),
    };
    let autoscaler_ref = w.autoscaling.is_some().then(|| Ref {
        api_version: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        name: u.name.clone(),
    });
    let header = matches.first().and_then(|m| {
        let (h, v) = m.headers.iter().next()?;
        let v = v.exact.clone()?;
        Some(if h == "cookie" {
            ("Cookie".to_string(), format!("{v}=always"))
        } else {
            (h.clone(), v)
        })
    });
    let host = w.host.trim();
    let cmd = load_command(
        &provider,
        &ns.name,
        &u.name,
        port,
        (!host.is_empty()).then_some(host),
        controller,
        header,
    );
    let traffic_policy = (provider == "istio").then(|| mesh::traffic_policy(plan, cp));
    Some(Canary {
        api_version: "flagger.app/v1beta1",
        kind: "Canary",
        metadata: meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
        spec: CanarySpec {
            provider,
            metrics_server: metrics_server(),
            target_ref: Ref {
                api_version: "apps/v1",
                kind: "Deployment",
                name: u.name.clone(),
            },
            ingress_ref,
            autoscaler_ref,
            progress_deadline_seconds: 600,
            service: CanaryService {
                port,
                target_port: port,
                traffic_policy,
            },
            analysis: Analysis {
                interval: interval.clone(),
                threshold: a.threshold,
                max_weight,
                step_weight,
                iterations,
                matches,
                metrics: vec![
                    Metric {
                        name: "request-success-rate",
                        threshold_range: BTreeMap::from([(
                            "min",
                            u32::from(a.min_success_percent),
                        )]),
                        interval: interval.clone(),
                    },
                    Metric {
                        name: "request-duration",
                        threshold_range: BTreeMap::from([("max", a.max_latency_ms)]),
                        interval,
                    },
                ],
                webhooks: vec![Webhook {
                    name: "load-test",
                    type_: "rollout",
                    url: load_tester(),
                    timeout: "5s",
                    metadata: BTreeMap::from([("type", "cmd".to_string()), ("cmd", cmd)]),
                }],
            },
        },
    })
}

/// The requests an A/B test sends to the new version: one match per feature flag (its
/// `x-feature-<flag>: on` header) and per header rule; with neither, a `canary=always` cookie
/// (ingress-nginx matches the cookie by name: `exact: canary`).
fn ab_matches(flags: &[String], headers: &[HeaderMatch], nginx: bool) -> Vec<Match> {
    let exact = |header: String, value: String| Match {
        headers: BTreeMap::from([(
            header,
            StringMatch {
                exact: Some(value),
                regex: None,
            },
        )]),
    };
    let mut flags: Vec<String> = flags
        .iter()
        .map(|f| crate::model::names::kube_name_or(f, "flag"))
        .collect();
    flags.sort();
    flags.dedup();
    let mut out: Vec<Match> = flags
        .into_iter()
        .map(|f| exact(format!("x-feature-{f}"), "on".into()))
        .collect();
    out.extend(headers.iter().filter_map(|h| {
        let name = crate::model::names::header_name(&h.header)?;
        Some(exact(
            name,
            h.value.chars().filter(|c| !c.is_control()).collect(),
        ))
    }));
    if out.is_empty() && nginx {
        out.push(exact("cookie".into(), "canary".into()));
    }
    if out.is_empty() {
        out.push(Match {
            headers: BTreeMap::from([(
                "cookie".to_string(),
                StringMatch {
                    exact: None,
                    regex: Some("^(.*?;)?(canary=always)(;.*)?$".into()),
                },
            )]),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::export::kubernetes::export;
    use crate::export::test_support::{field_paths, parse_docs};
    use crate::model::Design;

    /// Canary fields in Flagger's v1beta1 API reference (docs.flagger.app, "Canary" custom
    /// resource; `pkg/apis/flagger/v1beta1/canary.go`): every path this export may write.
    /// Istio's TrafficPolicy under `service.trafficPolicy` is Istio's type, checked by the Istio
    /// validator on the DestinationRules that carry the same policy.
    const API: &[&str] = &[
        "apiVersion",
        "kind",
        "metadata",
        "spec",
        "spec.provider",
        "spec.metricsServer",
        "spec.targetRef",
        "spec.targetRef.apiVersion",
        "spec.targetRef.kind",
        "spec.targetRef.name",
        "spec.ingressRef",
        "spec.ingressRef.apiVersion",
        "spec.ingressRef.kind",
        "spec.ingressRef.name",
        "spec.autoscalerRef",
        "spec.autoscalerRef.apiVersion",
        "spec.autoscalerRef.kind",
        "spec.autoscalerRef.name",
        "spec.progressDeadlineSeconds",
        "spec.service",
        "spec.service.port",
        "spec.service.targetPort",
        "spec.service.trafficPolicy",
        "spec.analysis",
        "spec.analysis.interval",
        "spec.analysis.threshold",
        "spec.analysis.maxWeight",
        "spec.analysis.stepWeight",
        "spec.analysis.iterations",
        "spec.analysis.match",
        "spec.analysis.match.headers",
        "spec.analysis.metrics",
        "spec.analysis.metrics.name",
        "spec.analysis.metrics.interval",
        "spec.analysis.metrics.thresholdRange",
        "spec.analysis.metrics.thresholdRange.min",
        "spec.analysis.metrics.thresholdRange.max",
        "spec.analysis.webhooks",
        "spec.analysis.webhooks.name",
        "spec.analysis.webhooks.type",
        "spec.analysis.webhooks.url",
        "spec.analysis.webhooks.timeout",
        "spec.analysis.webhooks.metadata",
    ];
    /// Free-form maps or foreign types below these paths.
    const OPAQUE: &[&str] = &[
        "metadata",
        "spec.service.trafficPolicy",
        "spec.analysis.match.headers",
        "spec.analysis.webhooks.metadata",
    ];
    /// Built-in Flagger providers (v1beta1 `provider`) and webhook types.
    const PROVIDERS: &[&str] = &["istio", "linkerd", "nginx", "kubernetes"];
    const HOOKS: &[&str] = &[
        "rollout",
        "pre-rollout",
        "post-rollout",
        "confirm-rollout",
        "confirm-promotion",
        "event",
        "rollback",
    ];

    fn canaries(design: &Design) -> Vec<Value> {
        export(design)
            .iter()
            .filter(|f| f.path.ends_with("/canaries.yaml"))
            .flat_map(parse_docs)
            .collect()
    }

    fn all_designs() -> Vec<Design> {
        let mut v = vec![crate::export::sample::design()];
        for t in crate::templates::TEMPLATES {
            v.push(crate::templates::template(t.slug).expect("template"));
        }
        v
    }

    #[test]
    fn fields_exist_in_the_v1beta1_api() {
        let mut seen = 0;
        for design in all_designs() {
            for c in canaries(&design) {
                seen += 1;
                for path in field_paths(&c, OPAQUE) {
                    assert!(
                        API.contains(&path.as_str()),
                        "{path} is not a Canary v1beta1 field"
                    );
                }
                assert!(PROVIDERS.contains(&c["spec"]["provider"].as_str().unwrap()));
                for h in c["spec"]["analysis"]["webhooks"].as_array().unwrap() {
                    assert!(HOOKS.contains(&h["type"].as_str().unwrap()));
                }
            }
        }
        assert!(seen > 0);
    }

    /// The provider can do what the strategy says: header matches and weights only with a
    /// router that honours them; every analysis has metrics from a named server and a load.
    #[test]
    fn providers_can_do_the_strategy() {
        for design in all_designs() {
            for c in canaries(&design) {
                let spec = &c["spec"];
                let provider = spec["provider"].as_str().unwrap();
                let a = &spec["analysis"];
                if provider == "kubernetes" {
                    assert!(a["match"].is_null(), "kubernetes cannot match headers: {c}");
                    assert!(
                        a["stepWeight"].is_null(),
                        "kubernetes cannot shift weights: {c}"
                    );
                    assert!(a["iterations"].is_number());
                }
                if provider == "nginx" {
                    assert!(!spec["ingressRef"].is_null());
                    assert!(a["match"].as_array().map_or(0, Vec::len) <= 1);
                }
                assert_eq!(
                    spec["metricsServer"],
                    "http://flagger-prometheus.flagger-system:9090"
                );
                let hook = &a["webhooks"][0];
                assert_eq!(hook["url"], "http://flagger-loadtester.flagger-loadtester/");
                assert!(hook["metadata"]["cmd"]
                    .as_str()
                    .unwrap()
                    .starts_with("hey "));
            }
        }
    }

    #[test]
    fn ab_test_without_a_header_router_becomes_blue_green() {
        // furniture-canary's staff web app is an internal A/B test with no mesh.
        let design = crate::templates::template("furniture-canary").expect("template");
        let ab = canaries(&design)
            .into_iter()
            .find(|c| c["metadata"]["name"] == "web-prilozheniya-sotrudnikov")
            .expect("staff web canary");
        assert_eq!(ab["spec"]["provider"], "kubernetes");
        assert!(ab["spec"]["analysis"]["match"].is_null());
        let readme: String = export(&design)
            .iter()
            .filter(|f| f.path.ends_with("README.md"))
            .map(|f| f.contents.clone())
            .collect();
        assert!(
            readme.contains("web-prilozheniya-sotrudnikov`: an A/B test"),
            "{readme}"
        );
    }
}
