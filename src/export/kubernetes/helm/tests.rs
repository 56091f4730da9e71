//! Helm export tests: one chart per Kustomize tree with the files Helm expects, the same objects
//! as the base, values per environment that carry what the overlays patch, a schema from the
//! model, and design strings that never become template code. Rendering, linting and the
//! equality with `kubectl kustomize` are checked by helm itself (`scripts/check-helm.sh`).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::{any, proptest, ProptestConfig};
use serde_json::Value;

use super::export;
use crate::export::kubernetes;
use crate::export::test_support::{parse_docs, random_design};
use crate::export::ExportFile;
use crate::model::*;

fn file<'f>(files: &'f [ExportFile], path: &str) -> &'f ExportFile {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} among {:?}", paths(files)))
}

fn paths(files: &[ExportFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

fn yaml(f: &ExportFile) -> Value {
    parse_docs(f).into_iter().next().unwrap_or(Value::Null)
}

/// Every `{{` of a template file opens one of the actions the export writes; anything else
/// would be design text running as template code.
fn only_our_actions(text: &str) -> Result<(), String> {
    const OURS: [&str; 6] = [
        "{{ \"{{\" }}",
        "{{ toJson ",
        "{{- if ",
        "{{- else }}",
        "{{- end }}",
        "{{- include \"infracanvas.labels\" . | nindent ",
    ];
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i..];
        let Some(o) = OURS.iter().find(|o| rest.starts_with(**o)) else {
            return Err(format!(
                "unexpected action: {}",
                &rest[..rest.len().min(60)]
            ));
        };
        rest = &rest[o.len()..];
    }
    Ok(())
}

/// Checks the chart layout against the Kustomize tree of the same design.
fn check_design(design: &Design) {
    let k8s = kubernetes::export(design);
    let helm = export(design);
    let clusters: BTreeSet<&str> = k8s
        .iter()
        .filter_map(|f| f.path.strip_suffix("/base/kustomization.yaml"))
        .collect();
    let charts: BTreeSet<&str> = helm
        .iter()
        .filter_map(|f| f.path.strip_suffix("/Chart.yaml"))
        .collect();
    assert_eq!(clusters, charts, "one chart per Kustomize tree");
    for c in charts {
        let chart = yaml(file(&helm, &format!("{c}/Chart.yaml")));
        assert_eq!(chart["apiVersion"], "v2");
        assert_eq!(chart["name"], c);
        for f in ["README.md", "templates/_helpers.tpl", "templates/NOTES.txt"] {
            assert!(!file(&helm, &format!("{c}/{f}")).contents.is_empty());
        }
        // A values file per overlay, each naming its environment.
        let overlays: BTreeSet<&str> = k8s
            .iter()
            .filter_map(|f| f.path.strip_prefix(&format!("{c}/overlays/")))
            .filter_map(|p| p.strip_suffix("/kustomization.yaml"))
            .collect();
        let values: BTreeSet<&str> = helm
            .iter()
            .filter_map(|f| f.path.strip_prefix(&format!("{c}/values-")))
            .filter_map(|p| p.strip_suffix(".yaml"))
            .collect();
        assert_eq!(overlays, values);
        for env in &values {
            let v = yaml(file(&helm, &format!("{c}/values-{env}.yaml")));
            assert_eq!(v["environment"], *env);
        }
        let base = yaml(file(&helm, &format!("{c}/values.yaml")));
        assert_eq!(base["environment"], "");
        let schema: Value =
            serde_json::from_str(&file(&helm, &format!("{c}/values.schema.json")).contents)
                .expect("the schema is JSON");
        let workloads = base["workloads"].as_object().cloned().unwrap_or_default();
        let props = &schema["properties"]["workloads"]["properties"];
        for (key, w) in &workloads {
            assert!(props[key].is_object(), "{key} has a schema");
            let min = props[key]["properties"]["replicas"]["minimum"]
                .as_i64()
                .unwrap();
            assert!(
                min <= w["replicas"].as_i64().unwrap(),
                "{key}: its own value passes"
            );
        }
        // The templates hold the base's objects, one template per base file.
        let base_files: BTreeSet<String> = k8s
            .iter()
            .filter_map(|f| f.path.strip_prefix(&format!("{c}/base/")))
            .filter(|p| p.contains('/') && !p.ends_with("kustomization.yaml"))
            .map(str::to_string)
            .collect();
        let templates: BTreeSet<String> = helm
            .iter()
            .filter_map(|f| f.path.strip_prefix(&format!("{c}/templates/")))
            .filter(|p| p.contains('/'))
            .map(str::to_string)
            .collect();
        assert!(
            base_files.is_subset(&templates),
            "{c}: every base file is a template"
        );
        for t in helm
            .iter()
            .filter(|f| f.path.starts_with(&format!("{c}/templates/")) && f.path.ends_with(".yaml"))
        {
            only_our_actions(&t.contents).unwrap_or_else(|e| panic!("{}: {e}", t.path));
        }
    }
}

#[test]
fn every_template_exports_a_chart_per_kustomize_tree() {
    for t in crate::templates::TEMPLATES {
        let design = crate::templates::template(t.slug).expect("template");
        check_design(&design);
    }
    check_design(&crate::export::sample::design());
    check_design(&crate::synth::hostile_design());
}

#[test]
fn a_design_without_a_kubernetes_cluster_has_no_chart() {
    assert!(export(&Design::new("empty")).is_empty());
}

#[test]
fn export_is_deterministic() {
    let d = crate::export::sample::design();
    assert_eq!(export(&d), export(&d));
}

#[test]
fn values_per_environment_carry_what_the_overlays_patch() {
    let files = export(&crate::export::sample::design());
    let v = |name: &str| yaml(file(&files, &format!("osnovnoy-klaster/{name}")));
    let base = v("values.yaml");
    let front = &base["workloads"]["vitrina"];
    assert_eq!(
        front["image"]["repository"],
        "registry.example.com/furniture/storefront"
    );
    assert_eq!(front["ingress"]["host"], "shop.example.com");
    assert_eq!(front["autoscaling"]["enabled"], true);
    assert_eq!(front["autoscaling"]["minReplicas"], 2);
    // dev: the tag, the host and the autoscaler's bounds.
    let dev = &v("values-dev.yaml")["workloads"]["vitrina"];
    assert_eq!(dev["image"]["tag"], "1.1.0-rc.1");
    assert_eq!(dev["ingress"]["host"], "dev.shop.example.com");
    assert_eq!(dev["autoscaling"]["maxReplicas"], 2);
    // prod: bounds and resources, but the host is the base's.
    let prod = &v("values-prod.yaml")["workloads"]["vitrina"];
    assert_eq!(prod["autoscaling"]["minReplicas"], 4);
    assert_eq!(prod["resources"]["limits"]["cpu"], "1");
    assert!(prod.get("ingress").is_none(), "{prod}");
    // Every environment-only key is one the schema knows.
    let schema: Value =
        serde_json::from_str(&file(&files, "osnovnoy-klaster/values.schema.json").contents)
            .unwrap();
    let w = &schema["properties"]["workloads"]["properties"]["vitrina"];
    for k in prod.as_object().unwrap().keys() {
        assert!(w["properties"][k].is_object(), "{k}");
    }
    assert_eq!(
        schema["properties"]["environment"]["enum"],
        serde_json::json!(["", "dev", "prod", "staging"])
    );
}

#[test]
fn the_schema_asks_at_least_the_designs_replicas_and_allows_its_own_zero() {
    let mut d = crate::export::sample::design();
    // dev scales `katalog` to zero: the schema must let the design's own values through.
    for n in &mut d.nodes {
        if n.id == "catalog" {
            if let NodeSpec::Workload(w) = &mut n.spec {
                w.overrides.entry("dev".into()).or_default().replicas = Some(0);
            }
        }
    }
    let files = export(&d);
    let schema: Value =
        serde_json::from_str(&file(&files, "osnovnoy-klaster/values.schema.json").contents)
            .unwrap();
    let props = &schema["properties"]["workloads"]["properties"];
    assert_eq!(props["katalog"]["properties"]["replicas"]["minimum"], 0);
    assert_eq!(props["vitrina"]["properties"]["replicas"]["minimum"], 1);
    assert_eq!(
        props["vitrina"]["properties"]["replicas"]["type"],
        "integer"
    );
    let required = props["vitrina"]["required"].as_array().unwrap();
    for k in ["replicas", "image", "autoscaling", "ingress"] {
        assert!(required.contains(&Value::from(k)), "{k} required");
    }
    assert_eq!(props["vitrina"]["additionalProperties"], false);
    let dev = yaml(file(&files, "osnovnoy-klaster/values-dev.yaml"));
    assert_eq!(dev["workloads"]["katalog"]["replicas"], 0);
}

#[test]
fn design_text_is_printed_never_run() {
    let mut d = crate::export::sample::design();
    let code = "{{ .Release.Name }} {{- fail \"x\" }} }}{{";
    for n in &mut d.nodes {
        if let NodeSpec::Workload(w) = &mut n.spec {
            w.env.push(EnvVar {
                name: "GREETING".into(),
                value: EnvValue::Plain(code.into()),
            });
        }
    }
    let files = export(&d);
    let maps = file(&files, "osnovnoy-klaster/templates/magazin/configmaps.yaml");
    only_our_actions(&maps.contents).unwrap();
    assert!(maps
        .contents
        .contains(r#"{{ "{{" }} .Release.Name }} {{ "{{" }}- fail"#));
}

#[test]
fn helm_labels_replace_the_exports_managed_by_on_every_object() {
    let files = export(&crate::templates::template("furniture-canary").unwrap());
    let mut objects = 0;
    for f in files
        .iter()
        .filter(|f| f.path.contains("/templates/") && f.path.ends_with(".yaml"))
    {
        for doc in f
            .contents
            .split("\n---\n")
            .filter(|d| d.contains("\nkind: "))
        {
            objects += 1;
            // The object's own labels: `metadata:` → `  labels:` → the lines under it.
            let lines: Vec<&str> = doc.lines().collect();
            let meta = lines
                .iter()
                .position(|l| *l == "metadata:")
                .unwrap_or(lines.len());
            let start = lines[meta..]
                .iter()
                .take_while(|l| **l == "metadata:" || l.starts_with(' ') || l.starts_with("{{"))
                .position(|l| *l == "  labels:")
                .map_or(lines.len(), |p| meta + p + 1);
            let own = lines[start.min(lines.len())..]
                .iter()
                .take_while(|l| l.starts_with("    ") || l.starts_with("{{"))
                .copied()
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                own.contains("include \"infracanvas.labels\""),
                "{}: {doc}",
                f.path
            );
            assert!(
                !own.contains("managed-by: infracanvas"),
                "{}: {doc}",
                f.path
            );
        }
    }
    assert!(objects > 50, "{objects}");
    let helpers = file(&files, "server-1/templates/_helpers.tpl");
    for l in [
        "app.kubernetes.io/managed-by",
        "helm.sh/chart",
        "app.kubernetes.io/instance",
    ] {
        assert!(helpers.contents.contains(l), "{l}");
    }
}

#[test]
fn the_readme_installs_the_addons_with_the_kustomize_readmes_pinned_commands() {
    let d = crate::templates::template("furniture-canary").unwrap();
    let k = kubernetes::export(&d);
    let h = export(&d);
    let kr = &file(&k, "server-1/README.md").contents;
    let hr = &file(&h, "server-1/README.md").contents;
    let pinned: Vec<&str> = kr
        .lines()
        .filter(|l| l.starts_with("helm upgrade --install") && l.contains("--version"))
        .collect();
    assert!(!pinned.is_empty());
    for l in pinned {
        assert!(hr.contains(l), "{l}");
    }
    let values: BTreeMap<&str, ()> = h
        .iter()
        .filter_map(|f| f.path.strip_prefix("server-1/values-"))
        .map(|p| (p, ()))
        .collect();
    for v in values.keys() {
        assert!(hr.contains(&format!("-f values-{v}")), "{v}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn random_designs_export_charts(seed in any::<u64>()) {
        check_design(&random_design(seed));
    }
}
