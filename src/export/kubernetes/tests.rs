//! Kubernetes export tests: counts of objects per kind, YAML that parses back, secrets only as
//! references, deterministic output, overlays per environment. The golden test lives in
//! `export::golden_tests`.

use std::collections::BTreeMap;

use proptest::prelude::{any, proptest, ProptestConfig};
use serde_json::Value;

use super::export;
use crate::export::test_support::{
    parse_docs, random_design, walk_strings, PLAIN_SENTINEL, SECRET_KEY_PREFIX,
};
use crate::export::ExportFile;
use crate::model::names::is_kube_name;
use crate::model::*;
use crate::synth::design_of_size;

/// Kinds counted in one cluster's base, from the design itself.
fn expected(design: &Design, cluster: usize) -> BTreeMap<&'static str, usize> {
    let g = DesignGraph::new(design);
    let mut m: BTreeMap<&'static str, usize> = BTreeMap::new();
    for i in 0..g.len() {
        if g.scope(i).cluster != Some(cluster) {
            continue;
        }
        let in_ns = g.parent(i).is_some_and(|p| g.kind(p) == Kind::Namespace);
        match &g.node(i).spec {
            NodeSpec::Namespace(_) if g.parent(i) == Some(cluster) => {
                *m.entry("Namespace").or_default() += 1
            }
            NodeSpec::Workload(w) if in_ns && super::addons::drawn(w).is_none() => {
                let has_ports = w.ports.iter().any(|p| p.port != 0);
                match w.workload_type {
                    WorkloadType::Stateless => *m.entry("Deployment").or_default() += 1,
                    WorkloadType::Stateful => *m.entry("StatefulSet").or_default() += 1,
                    WorkloadType::Job => *m.entry("Job").or_default() += 1,
                }
                if w.workload_type != WorkloadType::Job {
                    if w.autoscaling.is_some() {
                        *m.entry("HorizontalPodAutoscaler").or_default() += 1;
                    }
                    if w.exposure == Exposure::External && has_ports {
                        *m.entry("Ingress").or_default() += 1;
                    }
                    let progressive = w.workload_type == WorkloadType::Stateless
                        && matches!(
                            w.strategy,
                            Strategy::Canary { .. }
                                | Strategy::BlueGreen
                                | Strategy::AbTesting { .. }
                        );
                    if progressive && has_ports {
                        *m.entry("Canary").or_default() += 1;
                    }
                }
            }
            spec if in_ns && crate::export::engines::store(spec).is_some_and(|s| !s.managed) => {
                // A PostgreSQL with replicas beyond its primary is a CloudNativePG Cluster, every other
                // store one pod.
                let s = crate::export::engines::store(spec).unwrap();
                if s.engine.name == "postgresql" && s.replicas >= 1 {
                    *m.entry("Cluster").or_default() += 1;
                } else {
                    *m.entry("StatefulSet").or_default() += 1;
                }
            }
            _ => {}
        }
    }
    m
}

fn cluster_folder(design: &Design, id: &str) -> String {
    crate::model::names::unique_kube_names(
        design
            .nodes
            .iter()
            .filter(|n| n.kind() == Kind::KubernetesCluster)
            .map(|n| (n.id.as_str(), n.name.as_str())),
    )[id]
        .clone()
}

/// Every check that holds for any design.
/// Every check that holds for any design.
fn check_design(design: &Design) {
    let files = export(design);
    assert_eq!(files, export(design), "deterministic");
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), files.len(), "unique paths");

    // One README per cluster; every other file, kustomizations and patches included, is YAML;
    // read each once.
    let parsed: Vec<(&ExportFile, Vec<Value>)> = files
        .iter()
        .filter(|f| !f.path.ends_with("/README.md"))
        .map(|f| (f, parse_docs(f)))
        .collect();
    for (f, docs) in &parsed {
        assert!(!docs.is_empty(), "{} is empty", f.path);
    }
    let docs_of = |prefix: &str| -> Vec<(String, Value)> {
        parsed
            .iter()
            .filter(|(f, _)| {
                f.path.starts_with(prefix)
                    && !f.path.ends_with("kustomization.yaml")
                    && !f.path.contains("/patches/")
            })
            .flat_map(|(f, docs)| docs.iter().map(move |d| (f.path.clone(), d.clone())))
            .collect()
    };

    for (ci, node) in design
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind() == Kind::KubernetesCluster)
    {
        let folder = cluster_folder(design, &node.id);
        let base = docs_of(&format!("{folder}/base/"));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (path, d) in &base {
            let kind = d["kind"].as_str().unwrap_or_default().to_string();
            // Custom kinds only in their own files, and all of them listed in CUSTOM_KINDS.
            if super::CUSTOM_KINDS.contains(&kind.as_str()) {
                assert!(
                    [
                        "/canaries.yaml",
                        "/postgres-clusters.yaml",
                        "/issuers.yaml",
                        "/certificates.yaml",
                        "/peer-authentications.yaml",
                        "/destination-rules.yaml",
                        "/secret-stores.yaml",
                        "/external-secrets.yaml",
                        "/password-generators.yaml",
                        "/pod-monitors.yaml",
                    ]
                    .iter()
                    .any(|f| path.ends_with(f)),
                    "{path}: {kind}"
                );
            } else {
                assert!(
                    d["apiVersion"]
                        .as_str()
                        .is_some_and(|v| !v.contains('.') || v.contains("k8s.io")),
                    "{path}: custom kind {kind} missing from CUSTOM_KINDS"
                );
            }
            assert_ne!(kind, "Secret", "no Secret objects");
            let name = d["metadata"]["name"].as_str().unwrap_or_default();
            assert!(
                !name.is_empty() && name.len() <= 253,
                "{path}: name {name:?}"
            );
            for (k, v) in d["metadata"]["labels"].as_object().into_iter().flatten() {
                let v = v.as_str().unwrap_or_default();
                assert!(v.len() <= 63, "{path}: label {k}={v}");
            }
            if kind != "Namespace" {
                let ns = d["metadata"]["namespace"].as_str().unwrap_or_default();
                assert!(is_kube_name(ns), "{path}: namespace {ns:?}");
                assert!(
                    path.starts_with(&format!("{folder}/base/{ns}/")),
                    "{path} holds an object of {ns}"
                );
            }
            if matches!(kind.as_str(), "Deployment" | "StatefulSet" | "Job") {
                assert!(is_kube_name(name), "{path}: {name}");
                let pod = &d["spec"]["template"]["spec"];
                assert_eq!(pod["securityContext"]["runAsNonRoot"], Value::Bool(true));
                for c in pod["containers"].as_array().unwrap() {
                    let sc = &c["securityContext"];
                    assert_eq!(sc["allowPrivilegeEscalation"], Value::Bool(false), "{path}");
                    assert_eq!(sc["capabilities"]["drop"][0], "ALL");
                    assert_eq!(sc["seccompProfile"]["type"], "RuntimeDefault");
                    let image = c["image"].as_str().unwrap();
                    assert!(
                        image.contains(':') || image.contains('@'),
                        "{path}: unpinned {image}"
                    );
                }
            }
            *counts.entry(kind).or_default() += 1;
        }
        for (kind, n) in expected(design, ci) {
            assert_eq!(
                counts.get(kind).copied().unwrap_or(0),
                n,
                "{folder}: {kind}"
            );
        }
        // Overlays: one per environment of the cluster.
        let envs: Vec<String> = match &node.spec {
            NodeSpec::KubernetesCluster(c) if !c.environment.is_empty() => {
                vec![c.environment.clone()]
            }
            _ if design.environments.is_empty() => vec!["prod".into()],
            _ => design.environments.iter().map(|e| e.id.clone()).collect(),
        };
        let overlays = files
            .iter()
            .filter(|f| {
                f.path.starts_with(&format!("{folder}/overlays/"))
                    && f.path.ends_with("/kustomization.yaml")
            })
            .count();
        assert_eq!(overlays, envs.len(), "{folder}: overlays");
    }

    // Secrets: the keys of secret references appear only as `secretKeyRef.key`; the plain
    // sentinel only as ConfigMap data.
    for (f, docs) in &parsed {
        for d in docs {
            walk_strings(d, &mut Vec::new(), &mut |path, s| {
                if s.contains(SECRET_KEY_PREFIX) {
                    assert!(
                        path.ends_with(&["secretKeyRef".to_string(), "key".to_string()]),
                        "{}: secret key at {path:?}",
                        f.path
                    );
                }
                if s.contains(PLAIN_SENTINEL) {
                    assert_eq!(
                        d["kind"], "ConfigMap",
                        "{}: plain value at {path:?}",
                        f.path
                    );
                }
            });
        }
    }
}

#[test]
fn synth_designs_export_every_object() {
    for n in [16, 60, 300] {
        let design = design_of_size(n);
        check_design(&design);
        // All synth workloads are stateless: one Deployment and one Service each.
        let workloads = design
            .nodes
            .iter()
            .filter(|n| n.kind() == Kind::Workload)
            .count();
        let files = export(&design);
        let deployments: usize = files
            .iter()
            .filter(|f| f.path.ends_with("/deployments.yaml"))
            .map(|f| parse_docs(f).len())
            .sum();
        assert_eq!(deployments, workloads, "n = {n}");
    }
}

#[test]
fn synth_300_counts() {
    let files = export(&design_of_size(300));
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for f in files
        .iter()
        .filter(|f| f.path.contains("/base/") && !f.path.ends_with("kustomization.yaml"))
    {
        for d in parse_docs(f) {
            *kinds
                .entry(d["kind"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let get = |k: &str| kinds.get(k).copied().unwrap_or(0);
    let design = design_of_size(300);
    let count = |kind: Kind| design.nodes.iter().filter(|n| n.kind() == kind).count();
    assert_eq!(get("Deployment"), count(Kind::Workload));
    assert_eq!(get("Namespace"), count(Kind::Namespace));
    assert_eq!(get("Secret"), 0);
    eprintln!("synth 300 base objects: {kinds:?}, files: {}", files.len());
}

#[test]
fn sample_design_objects() {
    let design = crate::export::sample::design();
    check_design(&design);
    let files = export(&design);
    let file = |p: &str| {
        files
            .iter()
            .find(|f| f.path == p)
            .unwrap_or_else(|| panic!("{p} missing"))
    };
    // The self-hosted database, drawn with one replica beyond its primary, is a two-instance
    // CloudNativePG Cluster (the operator makes its -rw/-ro Services, so none of ours); the
    // managed one an ExternalName Service with a derived host.
    let pg = parse_docs(file("osnovnoy-klaster/base/magazin/postgres-clusters.yaml"));
    assert!(pg.iter().any(|d| d["metadata"]["name"] == "katalog-bd"
        && d["spec"]["instances"] == 2
        && d["spec"]["imageName"] == "ghcr.io/cloudnative-pg/postgresql:16.9"));
    let svcs = parse_docs(file("osnovnoy-klaster/base/magazin/services.yaml"));
    let svc = |n: &str| {
        svcs.iter()
            .find(|d| d["metadata"]["name"] == n)
            .unwrap()
            .clone()
    };
    assert!(svcs.iter().all(|d| d["metadata"]["name"] != "katalog-bd"));
    assert_eq!(svc("orders-db")["spec"]["type"], "ExternalName");
    assert_eq!(
        svc("orders-db")["spec"]["externalName"],
        "orders-db.aws.internal"
    );
    // Flagger makes the canary target's Services.
    assert!(svcs.iter().all(|d| d["metadata"]["name"] != "vitrina"));
    let canary = &parse_docs(file("osnovnoy-klaster/base/magazin/canaries.yaml"))[0];
    assert_eq!(canary["spec"]["provider"], "nginx");
    assert_eq!(canary["spec"]["analysis"]["stepWeight"], 10);
    let ab = &parse_docs(file("osnovnoy-klaster/base/sotrudniki/canaries.yaml"))[0];
    assert_eq!(ab["spec"]["provider"], "istio");
    assert_eq!(
        ab["spec"]["analysis"]["match"][0]["headers"]["x-feature-new-checkout"]["exact"],
        "on"
    );
    // Ingress with TLS and the controller's class.
    let ing = &parse_docs(file("osnovnoy-klaster/base/magazin/ingresses.yaml"))[0];
    assert_eq!(ing["spec"]["ingressClassName"], "nginx");
    assert_eq!(ing["spec"]["tls"][0]["hosts"][0], "shop.example.com");
    // Network policy: ingress from the controller's namespace, egress to the managed DB's
    // subnet, DNS for everyone.
    let pols = parse_docs(file("osnovnoy-klaster/base/magazin/network-policies.yaml"));
    let vitrina = pols
        .iter()
        .find(|d| d["metadata"]["name"] == "vitrina-traffic")
        .unwrap();
    let text = serde_json::to_string(vitrina).unwrap();
    assert!(
        text.contains(r#""kubernetes.io/metadata.name":"ingress""#),
        "{text}"
    );
    assert!(text.contains(r#""cidr":"10.0.2.0/24""#), "{text}");
    assert!(pols.iter().any(|d| d["metadata"]["name"] == "allow-dns"));
    // The ingress namespace holds only the controller: no policy there.
    assert!(!files
        .iter()
        .any(|f| f.path == "osnovnoy-klaster/base/ingress/network-policies.yaml"));
    // Overlays: dev changes the image tag through `images:` and the host through JSON 6902.
    let dev = &parse_docs(file("osnovnoy-klaster/overlays/dev/kustomization.yaml"))[0];
    assert_eq!(dev["images"][0]["newTag"], "1.1.0-rc.1");
    assert!(dev["patches"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["target"]["kind"] == "Ingress"));
    let prod = &parse_docs(file(
        "osnovnoy-klaster/overlays/prod/patches/magazin.katalog.deployment.yaml",
    ))[0];
    assert_eq!(prod["spec"]["replicas"], 3);
}

#[test]
fn shared_image_with_different_tags_is_patched_per_workload() {
    let mut design = crate::export::sample::design();
    // Two workloads share one image; dev moves only one of them.
    for n in &mut design.nodes {
        if let NodeSpec::Workload(w) = &mut n.spec {
            if n.id == "catalog" || n.id == "orders" {
                w.image = "registry.example.com/furniture/shared".into();
            }
        }
    }
    let files = export(&design);
    let dev = files
        .iter()
        .find(|f| f.path == "osnovnoy-klaster/overlays/dev/kustomization.yaml")
        .unwrap();
    let dev = &parse_docs(dev)[0];
    assert!(dev["images"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["name"] != "registry.example.com/furniture/shared"));
    let patch = files
        .iter()
        .find(|f| f.path == "osnovnoy-klaster/overlays/dev/patches/magazin.katalog.deployment.yaml")
        .unwrap();
    assert!(
        patch
            .contents
            .contains("registry.example.com/furniture/shared:1.1.0-rc.1"),
        "{}",
        patch.contents
    );
}

#[test]
fn cluster_bound_to_an_environment_gets_one_overlay_and_no_environments_means_prod() {
    let mut design = crate::export::sample::design();
    if let Some(NodeSpec::KubernetesCluster(c)) = design.node_mut("k8s").map(|n| &mut n.spec) {
        c.environment = "staging".into();
    }
    let overlays = |files: &[ExportFile]| -> Vec<String> {
        let mut v: Vec<String> = files
            .iter()
            .filter(|f| f.path.contains("/overlays/") && f.path.ends_with("/kustomization.yaml"))
            .map(|f| f.path.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        overlays(&export(&design)),
        ["osnovnoy-klaster/overlays/staging/kustomization.yaml"]
    );
    let mut design = crate::export::sample::design();
    design.environments.clear();
    assert_eq!(
        overlays(&export(&design)),
        ["osnovnoy-klaster/overlays/prod/kustomization.yaml"]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_designs_export_valid_trees(seed in any::<u64>()) {
        check_design(&random_design(seed));
    }
}
