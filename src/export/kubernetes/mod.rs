//! Kubernetes export: one Kustomize tree per Kubernetes cluster, with a README.md that installs
//! the add-ons it relies on (pinned charts and manifests, see `addons`) and lists what an
//! operator must still do by hand.
//!
//! ```text
//! <cluster>/README.md                          add-on installs in order, manual steps, apply
//! <cluster>/base/kustomization.yaml            resources: one folder per namespace
//! <cluster>/base/<ns>/kustomization.yaml       resources: the files below that exist
//! <cluster>/base/<ns>/namespace.yaml           Namespace
//! <cluster>/base/<ns>/configmaps.yaml          ConfigMap per workload (plain env + store settings)
//! <cluster>/base/<ns>/services.yaml            Service per workload / store (headless for
//!                                              StatefulSets), ExternalName per outside store
//! <cluster>/base/<ns>/deployments.yaml         Deployment per stateless workload
//! <cluster>/base/<ns>/statefulsets.yaml        StatefulSet per stateful workload / self-hosted
//!                                              store (one pod; see `postgres` for replicas)
//! <cluster>/base/<ns>/postgres-clusters.yaml   CloudNativePG Cluster per replicated PostgreSQL
//! <cluster>/base/<ns>/jobs.yaml                Job per job workload
//! <cluster>/base/<ns>/ingresses.yaml           Ingress (TLS) per external workload
//! <cluster>/base/<ns>/autoscalers.yaml         HorizontalPodAutoscaler (autoscaling/v2)
//! <cluster>/base/<ns>/disruption-budgets.yaml  PodDisruptionBudget (policy/v1)
//! <cluster>/base/<ns>/network-policies.yaml    NetworkPolicy: default deny, DNS, then the edges
//! <cluster>/base/<ns>/canaries.yaml            Flagger Canary
//! <cluster>/base/<ns>/issuers.yaml             cert-manager Issuer (ACME) of the namespace
//! <cluster>/base/<ns>/certificates.yaml        cert-manager Certificate per Ingress `<name>-tls`
//! <cluster>/base/<ns>/peer-authentications.yaml  Istio PeerAuthentication (STRICT mTLS)
//! <cluster>/base/<ns>/destination-rules.yaml   Istio DestinationRule (circuit breaking)
//! <cluster>/base/<ns>/pod-monitors.yaml        prometheus-operator PodMonitor per workload
//! <cluster>/base/<ns>/service-accounts.yaml    ServiceAccounts the SecretStores authenticate as
//! <cluster>/base/<ns>/secret-stores.yaml       external-secrets SecretStore per drawn store
//! <cluster>/base/<ns>/external-secrets.yaml    ExternalSecret per Secret the pods reference
//! <cluster>/base/<ns>/password-generators.yaml external-secrets Password for store credentials
//! <cluster>/overlays/<env>/kustomization.yaml  base + images + patches of that environment
//! <cluster>/overlays/<env>/patches/*.yaml      one patch per object that differs
//! <cluster>/overlays/<env>/autoscalers.yaml    HPAs that exist only in that environment
//! ```
//!
//! One resource kind per file, documents sorted by name, no timestamps: the same design gives
//! byte-identical output. Secrets are never written: a secret reference becomes a
//! `secretKeyRef` into a Secret named after the secret store node, which an `ExternalSecret`
//! makes from that store (see `secrets`); each workload lists the Secrets it expects in the
//! `infracanvas.io/required-secrets` annotation.

mod addons;
mod flagger;
pub mod helm;
mod mesh;
mod monitoring;
mod network;
mod objects;
mod overlay;
pub(crate) mod plan;
mod postgres;
mod secrets;
mod tls;
mod traffic;

#[cfg(test)]
mod deploy_tests;
#[cfg(test)]
mod network_tests;
#[cfg(test)]
mod tests;

use serde::Serialize;

use super::yaml::{to_yaml, to_yaml_docs};
use super::ExportFile;
use crate::model::{Design, Kind};
use plan::{Body, ClusterPlan, DesignPlan};

/// Custom-resource kinds the export writes: Kubernetes' own schema does not know them, so
/// `scripts/check-k8s.sh` validates them with their projects' schemas instead (and Canary and
/// Cluster, which no registry package describes, are checked field by field in Rust tests).
pub const CUSTOM_KINDS: &[&str] = &[
    "Canary",
    "Certificate",
    "Cluster",
    "DestinationRule",
    "ExternalSecret",
    "Issuer",
    "Password",
    "PeerAuthentication",
    "PodMonitor",
    "SecretStore",
];

/// Whether a drawn workload is an add-on (cert-manager, Flagger, …) that the export installs
/// from its chart instead of writing it as a Deployment.
pub fn is_addon(w: &crate::model::WorkloadProps) -> bool {
    addons::drawn(w).is_some()
}

/// One Kustomize tree per Kubernetes cluster: `<cluster>/base/…`, `<cluster>/overlays/<env>/…`.
pub fn export(design: &Design) -> Vec<ExportFile> {
    let plan = DesignPlan::new(design);
    let mut files = Vec::new();
    for (idx, name) in plan.clusters(Kind::KubernetesCluster) {
        let cp = ClusterPlan::new(&plan, idx, name);
        export_cluster(&plan, &cp, &mut files, &mut Vec::new());
    }
    files
}

/// One base object as written: `<namespace folder>/<file>` (e.g. `shop/deployments.yaml`) and
/// the object as JSON. The Helm chart is made from these, so it never drifts from the base.
pub(crate) type BaseObject = (String, serde_json::Value);

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

/// Adds `<dir>/<file>` with `docs` when there are any, records the file name, and keeps each
/// document as JSON in `objects` under `<namespace>/<file>`.
fn push_docs<T: Serialize>(
    files: &mut Vec<ExportFile>,
    (listed, objects, ns): (&mut Vec<String>, &mut Vec<BaseObject>, &str),
    dir: &str,
    file: &str,
    docs: &[T],
) {
    if docs.is_empty() {
        return;
    }
    for d in docs {
        // Plain data with string keys always converts; Null would only mark a bug in our types.
        let v = serde_json::to_value(d).unwrap_or(serde_json::Value::Null);
        objects.push((format!("{ns}/{file}"), v));
    }
    files.push(ExportFile::new(format!("{dir}/{file}"), to_yaml_docs(docs)));
    listed.push(file.to_string());
}

fn export_cluster(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    files: &mut Vec<ExportFile>,
    objects: &mut Vec<BaseObject>,
) {
    let envs = plan.environments(cp.idx);
    let base = format!("{}/base", cp.name);
    let flows = traffic::flows(plan, cp);
    let mut ns_dirs = Vec::new();
    let mut uses = addons::Uses::default();
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
        let mut clusters = Vec::new();
        let mut certificates = Vec::new();
        let mut rules = Vec::new();
        let mut monitors = Vec::new();
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
                _ => match postgres::cluster(plan, cp, ns, u) {
                    Some(c) => clusters.push(c),
                    None => stateful_sets.push(objects::stateful_set(plan, cp, ns, u)),
                },
            }
            if let Some(ing) = objects::ingress(plan, cp, ns, u) {
                match tls::certificate(plan, cp, ns, u) {
                    Some(c) => certificates.push(c),
                    None => uses.hostless.push(format!("{}/{}", ns.name, u.name)),
                }
                ingresses.push(ing);
            }
            rules.extend(mesh::destination_rule(plan, cp, ns, u));
            monitors.extend(monitoring::pod_monitor(plan, cp, ns, u));
            if let (Some(w), false) = (u.workload(), u.is_job()) {
                if let Some(a) = &w.autoscaling {
                    autoscalers.push(objects::autoscaler(plan, ns, u, a));
                }
            }
            budgets.extend(objects::disruption_budget(plan, ns, u, &envs));
            if cp.network_policies {
                policies.push(network::unit_policy(plan, ns, u, &flows));
            }
            if let Some(c) = flagger::canary(plan, cp, ns, u) {
                uses.canary_providers.insert(c.spec.provider.clone());
                canaries.push(c);
            }
            uses.degraded.extend(flagger::degraded(plan, cp, ns, u));
        }
        for x in &ns.externals {
            services.push(objects::external_service(plan, ns, x));
            uses.external_names
                .push((format!("{}/{}", ns.name, x.name), x.host.clone()));
        }
        let issuers: Vec<tls::Issuer> = tls::issuer(plan, cp, ns).into_iter().collect();
        let peers: Vec<mesh::PeerAuthentication> = mesh::peer_authentication(plan, cp, ns)
            .into_iter()
            .collect();
        let (accounts, stores, external_secrets, generators) = secrets::objects(plan, ns);
        uses.certificates += certificates.len();
        uses.external_secrets += external_secrets.len();
        uses.postgres_clusters += clusters.len();
        uses.peer_authentications += peers.len();
        uses.destination_rules += rules.len();
        services.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "namespace.yaml",
            &[objects::namespace(plan, cp, ns)],
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "configmaps.yaml",
            &config_maps,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "services.yaml",
            &services,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "deployments.yaml",
            &deployments,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "statefulsets.yaml",
            &stateful_sets,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "jobs.yaml",
            &jobs,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "ingresses.yaml",
            &ingresses,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "autoscalers.yaml",
            &autoscalers,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "disruption-budgets.yaml",
            &budgets,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "network-policies.yaml",
            &policies,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "canaries.yaml",
            &canaries,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "postgres-clusters.yaml",
            &clusters,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "issuers.yaml",
            &issuers,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "certificates.yaml",
            &certificates,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "peer-authentications.yaml",
            &peers,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "destination-rules.yaml",
            &rules,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "pod-monitors.yaml",
            &monitors,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "service-accounts.yaml",
            &accounts,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "secret-stores.yaml",
            &stores,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "external-secrets.yaml",
            &external_secrets,
        );
        push_docs(
            files,
            (&mut listed, &mut *objects, &ns.name),
            &dir,
            "password-generators.yaml",
            &generators,
        );
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
        let hosts = overlay::overlay(
            plan,
            cp,
            env,
            &format!("{}/overlays/{folder}", cp.name),
            folder,
            files,
        );
        uses.hosts.push((folder.clone(), hosts));
    }
    files.push(ExportFile::new(
        format!("{}/README.md", cp.name),
        addons::readme(plan, cp, &envs, &uses),
    ));
}
