//! Kubernetes export: one Kustomize tree per Kubernetes cluster (DESIGN.md §4, §8).
//!
//! ```text
//! <cluster>/base/kustomization.yaml            resources: one folder per namespace
//! <cluster>/base/<ns>/kustomization.yaml       resources: the files below that exist
//! <cluster>/base/<ns>/namespace.yaml           Namespace
//! <cluster>/base/<ns>/configmaps.yaml          ConfigMap per workload (plain env + store settings)
//! <cluster>/base/<ns>/services.yaml            Service per workload / store (headless for
//!                                              StatefulSets), ExternalName per outside store
//! <cluster>/base/<ns>/deployments.yaml         Deployment per stateless workload
//! <cluster>/base/<ns>/statefulsets.yaml        StatefulSet per stateful workload / self-hosted store
//! <cluster>/base/<ns>/jobs.yaml                Job per job workload
//! <cluster>/base/<ns>/ingresses.yaml           Ingress (TLS) per external workload
//! <cluster>/base/<ns>/autoscalers.yaml         HorizontalPodAutoscaler (autoscaling/v2)
//! <cluster>/base/<ns>/disruption-budgets.yaml  PodDisruptionBudget (policy/v1)
//! <cluster>/base/<ns>/network-policies.yaml    NetworkPolicy: default deny, DNS, then the edges
//! <cluster>/base/<ns>/canaries.yaml            Flagger Canary (custom resource, kept apart)
//! <cluster>/overlays/<env>/kustomization.yaml  base + images + patches of that environment
//! <cluster>/overlays/<env>/patches/*.yaml      one patch per object that differs
//! <cluster>/overlays/<env>/autoscalers.yaml    HPAs that exist only in that environment
//! ```
//!
//! One resource kind per file, documents sorted by name, no timestamps: the same design gives
//! byte-identical output. Secrets are never written: a secret reference becomes a
//! `secretKeyRef` into a Secret named after the secret store node, and each workload lists the
//! Secrets it expects in the `infracanvas.io/required-secrets` annotation.

mod flagger;
mod network;
mod objects;
mod overlay;
pub(crate) mod plan;
mod traffic;

#[cfg(test)]
mod network_tests;
#[cfg(test)]
mod tests;

use serde::Serialize;

use super::yaml::{to_yaml, to_yaml_docs};
use super::ExportFile;
use crate::model::{Design, Kind};
use plan::{Body, ClusterPlan, DesignPlan};

/// Custom-resource kinds the export writes, which schema validation must skip.
pub const CUSTOM_KINDS: &[&str] = &["Canary"];

/// One Kustomize tree per Kubernetes cluster: `<cluster>/base/…`, `<cluster>/overlays/<env>/…`.
pub fn export(design: &Design) -> Vec<ExportFile> {
    let plan = DesignPlan::new(design);
    let mut files = Vec::new();
    for (idx, name) in plan.clusters(Kind::KubernetesCluster) {
        let cp = ClusterPlan::new(&plan, idx, name);
        export_cluster(&plan, &cp, &mut files);
    }
    files
}

/// The traffic each Kubernetes cluster's pods must be allowed, resolved from the drawing
/// (`traffic.rs`), as JSON: `{"clusters": [{"cluster", "environments", "network_policies",
/// "flows": [{"from", "to", "ports": ["5432/TCP"], "why"}]}]}`. A peer is
/// `{"namespace", "unit"}` (our pods), `{"namespace", "ours": true}` (all of them in the
/// namespace), `{"namespace", "addon", "labels", "by_labels"}` (pods of an add-on's chart) or
/// `{"cidr"}`. `scripts/check-connectivity.sh` compares network-config-analyzer's map of every
/// built overlay with it.
pub fn connectivity(design: &Design) -> serde_json::Value {
    let plan = DesignPlan::new(design);
    let clusters: Vec<serde_json::Value> = plan
        .clusters(Kind::KubernetesCluster)
        .into_iter()
        .map(|(idx, name)| {
            let cp = ClusterPlan::new(&plan, idx, name);
            let envs: Vec<String> = plan.environments(idx).into_iter().map(|(_, f)| f).collect();
            serde_json::json!({
                "cluster": cp.name,
                "environments": envs,
                "network_policies": cp.network_policies,
                "flows": traffic::flows_json(&traffic::flows(&plan, &cp)),
            })
        })
        .collect();
    serde_json::json!({ "clusters": clusters })
}

/// A `kustomization.yaml`.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Kustomization {
    api_version: &'static str,
    kind: &'static str,
    resources: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<overlay::LabelSpec>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    images: Vec<overlay::ImageSpec>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    patches: Vec<overlay::PatchSpec>,
}

impl Kustomization {
    pub(crate) fn new(resources: Vec<String>) -> Self {
        Kustomization {
            api_version: "kustomize.config.k8s.io/v1beta1",
            kind: "Kustomization",
            resources,
            ..Default::default()
        }
    }
}

/// Adds `<dir>/<file>` with `docs` when there are any, and records the file name.
fn push_docs<T: Serialize>(
    files: &mut Vec<ExportFile>,
    listed: &mut Vec<String>,
    dir: &str,
    file: &str,
    docs: &[T],
) {
    if docs.is_empty() {
        return;
    }
    files.push(ExportFile::new(format!("{dir}/{file}"), to_yaml_docs(docs)));
    listed.push(file.to_string());
}

fn export_cluster(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>, files: &mut Vec<ExportFile>) {
    let envs = plan.environments(cp.idx);
    let base = format!("{}/base", cp.name);
    let flows = traffic::flows(plan, cp);
    let mut ns_dirs = Vec::new();
    for ns in &cp.namespaces {
        let dir = format!("{base}/{}", ns.name);
        let mut listed = Vec::new();
        let mut config_maps = Vec::new();
        let mut services = Vec::new();
        let mut deployments = Vec::new();
        let mut stateful_sets = Vec::new();
        let mut jobs = Vec::new();
        let mut ingresses = Vec::new();
        let mut autoscalers = Vec::new();
        let mut budgets = Vec::new();
        let mut policies = Vec::new();
        let mut canaries = Vec::new();
        if cp.network_policies {
            policies.extend(network::namespace_policies(plan, ns, &flows));
        }
        for u in &ns.units {
            config_maps.extend(objects::config_map(plan, cp, ns, u));
            services.extend(objects::service(plan, ns, u));
            match &u.body {
                Body::Workload(w) if u.is_job() => jobs.push(objects::job(plan, cp, ns, u, w)),
                Body::Workload(w) if !u.is_stateful() => {
                    deployments.push(objects::deployment(plan, cp, ns, u, w))
                }
                _ => stateful_sets.push(objects::stateful_set(plan, cp, ns, u)),
            }
            ingresses.extend(objects::ingress(plan, cp, ns, u));
            if let (Some(w), false) = (u.workload(), u.is_job()) {
                if let Some(a) = &w.autoscaling {
                    autoscalers.push(objects::autoscaler(plan, ns, u, a));
                }
            }
            budgets.extend(objects::disruption_budget(plan, ns, u, &envs));
            if cp.network_policies {
                policies.push(network::unit_policy(plan, ns, u, &flows));
            }
            canaries.extend(flagger::canary(plan, cp, ns, u));
        }
        for x in &ns.externals {
            services.push(objects::external_service(plan, ns, x));
        }
        services.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        push_docs(
            files,
            &mut listed,
            &dir,
            "namespace.yaml",
            &[objects::namespace(plan, cp, ns)],
        );
        push_docs(files, &mut listed, &dir, "configmaps.yaml", &config_maps);
        push_docs(files, &mut listed, &dir, "services.yaml", &services);
        push_docs(files, &mut listed, &dir, "deployments.yaml", &deployments);
        push_docs(
            files,
            &mut listed,
            &dir,
            "statefulsets.yaml",
            &stateful_sets,
        );
        push_docs(files, &mut listed, &dir, "jobs.yaml", &jobs);
        push_docs(files, &mut listed, &dir, "ingresses.yaml", &ingresses);
        push_docs(files, &mut listed, &dir, "autoscalers.yaml", &autoscalers);
        push_docs(
            files,
            &mut listed,
            &dir,
            "disruption-budgets.yaml",
            &budgets,
        );
        push_docs(files, &mut listed, &dir, "network-policies.yaml", &policies);
        push_docs(files, &mut listed, &dir, "canaries.yaml", &canaries);
        files.push(ExportFile::new(
            format!("{dir}/kustomization.yaml"),
            to_yaml(&Kustomization::new(listed)),
        ));
        ns_dirs.push(ns.name.clone());
    }
    files.push(ExportFile::new(
        format!("{base}/kustomization.yaml"),
        to_yaml(&Kustomization::new(ns_dirs)),
    ));
    for (env, folder) in &envs {
        overlay::overlay(
            plan,
            cp,
            env,
            &format!("{}/overlays/{folder}", cp.name),
            folder,
            files,
        );
    }
}
