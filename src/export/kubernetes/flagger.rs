//! Flagger `Canary` objects (flagger.app/v1beta1) for progressive rollouts: canary (traffic
//! steps), blue-green (iterations, then a switch) and A/B testing (iterations with header
//! matches, one per feature flag). A custom resource: typed here, kept in its own file
//! (`canaries.yaml`) so that schema validation can skip exactly this kind.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::objects::{labels, meta};
use super::plan::{ClusterPlan, DesignPlan, NsPlan, Unit};
use crate::model::*;

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

/// The Canary for a Flagger-managed unit. The traffic router follows the design: the mesh when
/// the namespace has sidecar injection, the ingress controller for an external workload,
/// otherwise Flagger's plain `kubernetes` provider (blue-green only; the rules warn).
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
    let external = w.exposure == Exposure::External;
    let ingress = external.then(|| cp.ingress_for(&plan.g, u.idx)).flatten();
    let (provider, ingress_ref) = match (&cp.mesh, ns.mesh_injection, ingress) {
        (Some(m), true, _) if m.contains("linkerd") => ("linkerd".to_string(), None),
        (Some(_), true, _) => ("istio".to_string(), None),
        (_, _, Some(ctl)) => (
            if ctl.class.contains("nginx") {
                "nginx".to_string()
            } else {
                ctl.class.clone()
            },
            Some(Ref {
                api_version: "networking.k8s.io/v1",
                kind: "Ingress",
                name: u.name.clone(),
            }),
        ),
        _ => ("kubernetes".to_string(), None),
    };
    let a = &w.analysis;
    // Flagger reads `0m` as no interval at all; the inspector refuses it, a file might not.
    let interval = format!("{}m", a.interval_minutes.max(1));
    let (max_weight, step_weight, iterations, matches) = match &w.strategy {
        Strategy::Canary {
            step_weight,
            max_weight,
        } => {
            let step = (*step_weight).clamp(1, 100);
            (
                Some((*max_weight).clamp(step, 100)),
                Some(step),
                None,
                Vec::new(),
            )
        }
        Strategy::AbTesting { flags, headers } => {
            (None, None, Some(a.iterations), ab_matches(flags, headers))
        }
        _ => (None, None, Some(a.iterations), Vec::new()),
    };
    let autoscaler_ref = w.autoscaling.is_some().then(|| Ref {
        api_version: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        name: u.name.clone(),
    });
    Some(Canary {
        api_version: "flagger.app/v1beta1",
        kind: "Canary",
        metadata: meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
        spec: CanarySpec {
            provider,
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
                        threshold_range: BTreeMap::from([("min", u32::from(a.min_success_percent))]),
                        interval: interval.clone(),
                    },
                    Metric {
                        name: "request-duration",
                        threshold_range: BTreeMap::from([("max", a.max_latency_ms)]),
                        interval,
                    },
                ],
            },
        },
    })
}

/// The requests an A/B test sends to the new version: one match per feature flag (its
/// `x-feature-<flag>: on` header) and per header rule; with neither, a `canary=always` cookie.
fn ab_matches(flags: &[String], headers: &[HeaderMatch]) -> Vec<Match> {
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
        Some(exact(name, h.value.chars().filter(|c| !c.is_control()).collect()))
    }));
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
