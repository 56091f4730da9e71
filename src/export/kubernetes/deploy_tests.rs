//! What a cluster would do with the export, checked on the templates and the sample design:
//! stores run as one pod (or as an operator's cluster), data below the mount point, managed
//! stores never as pods, add-ons from pinned charts instead of hand-written Deployments, pods
//! spread over zones and run as numeric users, engine images pinned to a patch release.

use serde_json::Value;

use super::export;
use crate::export::test_support::parse_docs;
use crate::export::ExportFile;
use crate::model::*;

fn templates() -> Vec<(String, Design)> {
    crate::templates::TEMPLATES
        .iter()
        .map(|t| {
            (
                t.slug.to_string(),
                crate::templates::template(t.slug).expect("template"),
            )
        })
        .collect()
}

fn yaml_docs(files: &[ExportFile], filter: impl Fn(&str) -> bool) -> Vec<(String, Value)> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".yaml") && filter(&f.path))
        .flat_map(|f| parse_docs(f).into_iter().map(move |d| (f.path.clone(), d)))
        .collect()
}

fn node_id(d: &Value) -> Option<&str> {
    d["metadata"]["annotations"]["infracanvas.io/node-id"].as_str()
}

#[test]
fn stores_run_one_pod_whatever_is_drawn() {
    let mut design = crate::export::sample::design();
    let mut stores = Vec::new();
    for n in &mut design.nodes {
        match &mut n.spec {
            NodeSpec::Cache(p) if !p.managed => {
                p.replicas = 3;
                stores.push(n.id.clone());
            }
            NodeSpec::Database(p) if !p.managed => {
                p.replicas = 1;
                stores.push(n.id.clone());
            }
            _ => {}
        }
    }
    assert_eq!(stores.len(), 2);
    let mut designs = templates();
    designs.push(("sample".into(), design));
    for (slug, design) in designs {
        let files = export(&design);
        let docs = yaml_docs(&files, |_| true);
        for (path, d) in &docs {
            let Some(id) = node_id(d) else { continue };
            let Some(store) = design
                .node(id)
                .and_then(|n| crate::export::engines::store(&n.spec))
            else {
                continue;
            };
            if d["kind"] == "StatefulSet" {
                assert_eq!(d["spec"]["replicas"], 1, "{slug} {path}: {id} runs one pod");
            }
            if d["kind"] == "Cluster" {
                // `replicas` counts the members beyond the primary: a replicated PostgreSQL
                // is one cluster of that many standbys and its primary, never N independent pods.
                assert!(store.replicas >= 1);
                assert_eq!(d["spec"]["instances"], store.replicas + 1, "{slug}: {id}");
            }
        }
        // Neither budgets nor overlay patches nor autoscalers change a store's pod count.
        let store_names: Vec<String> = docs
            .iter()
            .filter(|(_, d)| d["kind"] == "StatefulSet" || d["kind"] == "Cluster")
            .filter(|(_, d)| {
                node_id(d)
                    .and_then(|id| design.node(id))
                    .is_some_and(|n| crate::export::engines::store(&n.spec).is_some())
            })
            .map(|(_, d)| d["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        for (path, d) in &docs {
            let name = d["metadata"]["name"].as_str().unwrap_or_default();
            if !store_names.iter().any(|s| s == name) {
                continue;
            }
            assert_ne!(d["kind"], "PodDisruptionBudget", "{slug} {path}");
            assert_ne!(d["kind"], "HorizontalPodAutoscaler", "{slug} {path}");
            assert!(
                !(path.contains("/patches/") && d["spec"]["replicas"].is_number()),
                "{slug} {path}: an overlay scales store {name}"
            );
        }
    }
}

#[test]
fn postgres_data_lives_below_the_mount_point() {
    // A PostgreSQL without replicas stays our own single-pod StatefulSet.
    let mut design = crate::export::sample::design();
    for n in &mut design.nodes {
        if let NodeSpec::Database(p) = &mut n.spec {
            p.replicas = 0;
        }
    }
    let files = export(&design);
    let mut seen = 0;
    for (_, d) in yaml_docs(&files, |p| p.ends_with("/statefulsets.yaml")) {
        let c = &d["spec"]["template"]["spec"]["containers"][0];
        if !c["image"].as_str().unwrap().starts_with("postgres:") {
            continue;
        }
        seen += 1;
        let mount = c["volumeMounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == "data")
            .unwrap()["mountPath"]
            .as_str()
            .unwrap()
            .to_string();
        // The image's PGDATA (no variable overrides it).
        let pgdata = "/var/lib/postgresql/data";
        assert!(c["env"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| e["name"] != "PGDATA"));
        assert_ne!(pgdata, mount, "initdb refuses the mount point (lost+found)");
        assert!(
            pgdata.starts_with(&format!("{mount}/")),
            "{pgdata} below {mount}"
        );
    }
    assert_eq!(seen, 1);
}

#[test]
fn a_managed_store_is_never_a_pod() {
    for (slug, design) in templates() {
        let managed: Vec<&str> = design
            .nodes
            .iter()
            .filter(|n| crate::export::engines::store(&n.spec).is_some_and(|s| s.managed))
            .map(|n| n.id.as_str())
            .collect();
        for (path, d) in yaml_docs(&export(&design), |_| true) {
            if let Some(id) = node_id(&d) {
                if managed.contains(&id) {
                    assert!(
                        d["kind"] == "Service" && d["spec"]["type"] == "ExternalName",
                        "{slug} {path}: managed {id} as {}",
                        d["kind"]
                    );
                }
            }
        }
    }
}

#[test]
fn addons_come_from_pinned_charts_not_hand_written_deployments() {
    for (slug, design) in templates() {
        let files = export(&design);
        for (path, d) in yaml_docs(&files, |_| true) {
            if let Some(cs) = d["spec"]["template"]["spec"]["containers"].as_array() {
                for c in cs {
                    let image = c["image"].as_str().unwrap_or_default();
                    for addon in [
                        "jetstack/cert-manager",
                        "fluxcd/flagger",
                        "ingress-nginx",
                        "istio/",
                    ] {
                        assert!(!image.contains(addon), "{slug} {path}: {image}");
                    }
                }
            }
        }
        for f in files.iter().filter(|f| f.path.ends_with("README.md")) {
            for line in f.contents.lines() {
                if line.starts_with("helm upgrade --install") {
                    assert!(line.contains(" --version "), "{slug}: unpinned {line}");
                }
                if line.starts_with("kubectl apply") && line.contains("https://") {
                    assert!(line.contains("/releases/"), "{slug}: unpinned {line}");
                }
            }
        }
    }
    // site-builder draws cert-manager as a workload; its README installs the chart instead.
    let design = crate::templates::template("site-builder").expect("template");
    let readme: String = export(&design)
        .iter()
        .filter(|f| f.path.ends_with("README.md"))
        .map(|f| f.contents.clone())
        .collect();
    assert!(readme.contains("helm upgrade --install cert-manager jetstack/cert-manager"));
    assert!(readme.contains("helm upgrade --install istio-cni istio/cni"));
    assert!(readme.contains("## 2. Before `kubectl apply`, by hand"));
}

#[test]
fn multi_zone_pods_spread_and_every_pod_runs_as_a_numeric_user() {
    let design = crate::templates::template("site-builder").expect("template");
    let files = export(&design);
    let mut spread = 0;
    for (path, d) in yaml_docs(&files, |p| p.contains("/base/")) {
        if !matches!(
            d["kind"].as_str(),
            Some("Deployment" | "StatefulSet" | "Job")
        ) {
            continue;
        }
        let pod = &d["spec"]["template"]["spec"];
        assert!(pod["securityContext"]["runAsUser"].is_i64(), "{path}");
        assert!(pod["securityContext"]["runAsGroup"].is_i64(), "{path}");
        if d["kind"] == "Job" {
            continue;
        }
        let keys: Vec<&str> = pod["topologySpreadConstraints"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["topologyKey"].as_str()).collect())
            .unwrap_or_default();
        // The prod cluster spans three zones, dev one.
        if path.starts_with("klaster-prodakshn/") {
            assert_eq!(
                keys,
                ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
                "{path}"
            );
            spread += 1;
        } else if path.starts_with("klaster-razrabotki/") {
            assert!(keys.is_empty(), "{path}: one zone, nothing to spread over");
        }
    }
    assert!(spread > 0);
}

#[test]
fn engine_images_carry_a_patch_release() {
    for (slug, design) in templates() {
        for (path, d) in yaml_docs(&export(&design), |p| p.ends_with("/statefulsets.yaml")) {
            let Some(id) = node_id(&d) else { continue };
            let Some(store) = design
                .node(id)
                .and_then(|n| crate::export::engines::store(&n.spec))
            else {
                continue;
            };
            let image = d["spec"]["template"]["spec"]["containers"][0]["image"]
                .as_str()
                .unwrap();
            let tag = image.rsplit_once(':').unwrap().1;
            let dots = tag.matches('.').count();
            let wanted = if store.engine.name == "postgresql" {
                1
            } else {
                2
            };
            assert!(dots >= wanted, "{slug} {path}: floating {image}");
        }
    }
}
