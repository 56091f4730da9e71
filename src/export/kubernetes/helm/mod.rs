//! Helm export: one chart per Kubernetes cluster, made from the very objects the Kustomize base
//! is written from (`super::export_cluster` hands them over as JSON), so the two never drift.
//!
//! ```text
//! <cluster>/Chart.yaml            apiVersion v2, name = the cluster's folder name
//! <cluster>/values.yaml           the design's base values (`environment: ""`, no label)
//! <cluster>/values-<env>.yaml     what that environment changes (the overlay's patches)
//! <cluster>/values.schema.json    generated from the model: types, minimums, enums, required
//! <cluster>/README.md             install per environment, add-ons first (their pinned charts)
//! <cluster>/templates/_helpers.tpl    the labels every object carries
//! <cluster>/templates/NOTES.txt
//! <cluster>/templates/<ns>/<file>     the base files, one template per file
//! ```
//!
//! What values change is what the Kustomize overlays patch (`overlay.rs`), per workload under
//! `workloads.<key>` (the workload's name, or `<namespace>-<name>` when two namespaces share
//! it): `image` (repository, tag), `replicas` (a Job's parallelism and completions),
//! `resources`, `autoscaling` (enabled, bounds, metrics: the HorizontalPodAutoscaler exists
//! only while enabled, and the count is left to it), `ingress.host` (rule, TLS and the
//! Certificate's DNS name), `canary` (Flagger's analysis settings and the nginx load test that
//! names the host). Probes and the Deployment strategy are exposed too, the same in every
//! environment. `environment` becomes the `infracanvas.io/environment` label the overlays add.
//!
//! Names are not templated from the release: every object keeps the design's name and
//! namespace, because the Services' DNS names, the NetworkPolicies' selectors, the Certificates'
//! secrets, the Canaries' targets and the other workloads' settings all name them. The chart
//! creates its namespaces, so it is installed once per cluster (per kube context); a second
//! copy of a design goes to another cluster. `app.kubernetes.io/instance` carries the release.
//!
//! The add-ons (cert-manager, Flagger, Istio, …) are not dependencies: they are cluster-wide
//! singletons with CRDs, installed once into their own namespaces and shared by every chart, and
//! Helm neither upgrades a dependency's CRDs nor installs into more than one namespace. The
//! README lists their pinned install commands (the same as the Kustomize README's).

mod schema;
mod template;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::plan::{Body, ClusterPlan, DesignPlan, NsPlan, Unit};
use super::{objects, overlay, tls, BaseObject};
use crate::export::yaml::to_yaml;
use crate::export::ExportFile;
use crate::model::{Design, Kind, WorkloadProps};
use template::{go_string, Slots};

/// The version every exported chart starts at.
pub const CHART_VERSION: &str = "0.1.0";

/// One chart per Kubernetes cluster: `<cluster>/Chart.yaml`, `values*.yaml`, `templates/…`.
pub fn export(design: &Design) -> Vec<ExportFile> {
    let plan = DesignPlan::new(design);
    let mut files = Vec::new();
    for (idx, name) in plan.clusters(Kind::KubernetesCluster) {
        let cp = ClusterPlan::new(&plan, idx, name);
        let mut kustomize = Vec::new();
        let mut objects = Vec::new();
        super::export_cluster(&plan, &cp, &mut kustomize, &mut objects);
        let readme = kustomize
            .iter()
            .find(|f| f.path == format!("{}/README.md", cp.name))
            .map(|f| f.contents.as_str())
            .unwrap_or("");
        chart(&plan, &cp, objects, readme, &mut files);
    }
    files
}

/// A workload whose settings values carry.
struct Tuned<'p, 'a> {
    key: String,
    ns: &'p NsPlan<'a>,
    u: &'p Unit<'a>,
    w: &'a WorkloadProps,
}

impl Tuned<'_, '_> {
    /// The template expression of this workload's values.
    fn expr(&self) -> String {
        format!("(index .Values.workloads {})", go_string(&self.key))
    }

    fn has_autoscaling(&self, envs: &[(String, String)]) -> bool {
        !self.u.is_job()
            && (self.w.autoscaling.is_some()
                || envs.iter().any(|(e, _)| self.w.autoscaling_in(e).is_some()))
    }
}

/// What the base objects hold for a workload, which the values start from.
#[derive(Default)]
struct BaseFacts {
    image_lifted: bool,
    resources: Option<Value>,
    probes: Map<String, Value>,
    strategy: Option<Value>,
    replicas: Option<i64>,
    host: Option<String>,
    canary: Map<String, Value>,
    load_test: Option<String>,
}

const PROBES: [(&str, &str); 3] = [
    ("livenessProbe", "liveness"),
    ("readinessProbe", "readiness"),
    ("startupProbe", "startup"),
];
/// Flagger analysis settings a team tunes (scalars of `spec.analysis`).
const CANARY_KEYS: [&str; 6] = [
    "interval",
    "iterations",
    "maxWeight",
    "stepWeight",
    "threshold",
    "primaryReadyThreshold",
];

fn meta_of(v: &Value) -> (&str, &str, &str) {
    (
        v["kind"].as_str().unwrap_or(""),
        v["metadata"]["namespace"].as_str().unwrap_or(""),
        v["metadata"]["name"].as_str().unwrap_or(""),
    )
}

fn chart(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    mut objects: Vec<BaseObject>,
    kustomize_readme: &str,
    files: &mut Vec<ExportFile>,
) {
    let envs = plan.environments(cp.idx);
    let dir = &cp.name;
    let tuned = tuned(cp);
    let mut slots = Slots::new(objects.iter().map(|(_, v)| v));
    let mut facts: Vec<BaseFacts> = tuned.iter().map(|_| BaseFacts::default()).collect();
    let mut conds: Vec<Option<String>> = vec![None; objects.len()];

    // Autoscalers that only some environments have: made as the overlay makes them.
    for t in &tuned {
        if t.w.autoscaling.is_none() && t.has_autoscaling(&envs) {
            if let Some(a) = envs.iter().find_map(|(e, _)| t.w.autoscaling_in(e)) {
                let hpa = objects::autoscaler(plan, t.ns, t.u, a);
                let v = serde_json::to_value(hpa).unwrap_or(Value::Null);
                objects.push((format!("{}/autoscalers.yaml", t.ns.name), v));
                conds.push(None);
            }
        }
    }

    for (i, (_, v)) in objects.iter_mut().enumerate() {
        let (kind, ns, name) = meta_of(v);
        let (kind, ns, name) = (kind.to_string(), ns.to_string(), name.to_string());
        if let Some(ti) = tuned
            .iter()
            .position(|t| t.ns.name == ns && t.u.name == name)
        {
            let t = &tuned[ti];
            let f = &mut facts[ti];
            match kind.as_str() {
                "Deployment" | "StatefulSet" | "Job" => {
                    lift_workload(t, f, v, &kind, &envs, &mut slots)
                }
                "HorizontalPodAutoscaler" => {
                    let e = t.expr();
                    let spec = &mut v["spec"];
                    spec["minReplicas"] = slots.value(format!("{e}.autoscaling.minReplicas"));
                    spec["maxReplicas"] = slots.value(format!("{e}.autoscaling.maxReplicas"));
                    spec["metrics"] = slots.value(format!("{e}.autoscaling.metrics"));
                    conds[i] = Some(format!("{e}.autoscaling.enabled"));
                }
                "Ingress" => lift_ingress(t, f, v, &mut slots),
                "Certificate" if f.host.is_some() || v["spec"]["dnsNames"].is_array() => {
                    v["spec"]["dnsNames"] =
                        slots.value(format!("(list {}.ingress.host)", t.expr()));
                }
                "Canary" => lift_canary(plan, cp, t, f, v, &mut slots),
                _ => {}
            }
        }
        // Helm's labels replace our `managed-by`; the environment label comes with them.
        if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            let labels = meta
                .entry("labels")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(l) = labels.as_object_mut() {
                l.remove(objects::MANAGED_BY);
                l.insert(slots.labels(), Value::String(String::new()));
            }
        }
    }
    // A Certificate exists only beside its workload's Ingress (`export_cluster`), so its DNS
    // names follow `ingress.host`, whichever of the two is lifted first.

    // Chart.yaml and README.md first, then the values, then the templates: the order of the
    // export drawer's file tree.
    let folders: Vec<String> = envs.iter().map(|(_, f)| f.clone()).collect();
    files.push(ExportFile::new(
        format!("{dir}/Chart.yaml"),
        chart_yaml(plan, cp),
    ));
    files.push(ExportFile::new(
        format!("{dir}/README.md"),
        readme(cp, &folders, kustomize_readme),
    ));

    // Values: the base, then what each environment changes.
    let base: BTreeMap<String, Value> = tuned
        .iter()
        .zip(&facts)
        .map(|(t, f)| (t.key.clone(), workload_values(plan, cp, t, f, None, &envs)))
        .collect();
    let mut all = vec![base.clone()];
    files.push(ExportFile::new(
        format!("{dir}/values.yaml"),
        values_file(
            "The design's base values. Install with one values-<env>.yaml on top.",
            "",
            &base,
        ),
    ));
    for (env, folder) in &envs {
        let there: BTreeMap<String, Value> = tuned
            .iter()
            .zip(&facts)
            .map(|(t, f)| {
                (
                    t.key.clone(),
                    workload_values(plan, cp, t, f, Some((env, folder)), &envs),
                )
            })
            .collect();
        let changed = changes(&base, &there);
        all.push(there);
        files.push(ExportFile::new(
            format!("{dir}/values-{folder}.yaml"),
            values_file(
                &format!("Environment {folder}: what it changes from values.yaml."),
                folder,
                &changed,
            ),
        ));
    }
    files.push(ExportFile::new(
        format!("{dir}/values.schema.json"),
        schema::schema(&folders, &all) + "\n",
    ));
    // Templates: the helpers and notes, then one per base file, objects in the base's order.
    files.push(ExportFile::new(
        format!("{dir}/templates/_helpers.tpl"),
        HELPERS,
    ));
    files.push(ExportFile::new(format!("{dir}/templates/NOTES.txt"), NOTES));
    let mut by_file: BTreeMap<&str, String> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for ((file, v), cond) in objects.iter().zip(&conds) {
        if !by_file.contains_key(file.as_str()) {
            order.push(file);
        }
        by_file
            .entry(file)
            .or_default()
            .push_str(&slots.render(v, cond.as_deref()));
    }
    for file in order {
        files.push(ExportFile::new(
            format!("{dir}/templates/{file}"),
            by_file.remove(file).unwrap_or_default(),
        ));
    }
}

/// The workloads of the cluster with their values keys: the name, or `<namespace>-<name>`
/// when another namespace has a workload of that name.
fn tuned<'p, 'a>(cp: &'p ClusterPlan<'a>) -> Vec<Tuned<'p, 'a>> {
    let all: Vec<(&NsPlan, &Unit, &WorkloadProps)> = cp
        .namespaces
        .iter()
        .flat_map(|ns| ns.units.iter().map(move |u| (ns, u)))
        .filter_map(|(ns, u)| match &u.body {
            Body::Workload(w) => Some((ns, u, *w)),
            Body::Store(_) => None,
        })
        .collect();
    let mut taken = BTreeSet::new();
    all.iter()
        .map(|(ns, u, w)| {
            let shared = all.iter().filter(|(_, o, _)| o.name == u.name).count() > 1;
            let mut key = if shared {
                format!("{}-{}", ns.name, u.name)
            } else {
                u.name.clone()
            };
            let mut n = 2;
            while taken.contains(&key) {
                key = format!("{}-{}-{n}", ns.name, u.name);
                n += 1;
            }
            taken.insert(key.clone());
            Tuned { key, ns, u, w }
        })
        .collect()
}

fn container_of<'v>(v: &'v mut Value, name: &str) -> Option<&'v mut Map<String, Value>> {
    v["spec"]["template"]["spec"]["containers"]
        .as_array_mut()?
        .iter_mut()
        .filter_map(Value::as_object_mut)
        .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
}

fn lift_workload(
    t: &Tuned<'_, '_>,
    f: &mut BaseFacts,
    v: &mut Value,
    kind: &str,
    envs: &[(String, String)],
    slots: &mut Slots,
) {
    let e = t.expr();
    if let Some(c) = container_of(v, &t.u.name) {
        if let Some((name, tag, _)) = overlay::image_in(t.u, t.w, "") {
            if c.get("image").and_then(Value::as_str) == Some(&format!("{name}:{tag}")) {
                f.image_lifted = true;
                c.insert(
                    "image".into(),
                    slots.value(format!(
                        "(printf \"%s:%s\" {e}.image.repository {e}.image.tag)"
                    )),
                );
            }
        }
        f.resources = c.get("resources").cloned();
        c.insert(
            "resources".into(),
            slots.optional(format!("(get {e} \"resources\")")),
        );
        for (field, key) in PROBES {
            if let Some(p) = c.get(field) {
                f.probes.insert(key.into(), p.clone());
            }
            c.insert(
                field.into(),
                slots.optional(format!("(get {e}.probes {})", go_string(key))),
            );
        }
    }
    let spec = &mut v["spec"];
    f.replicas = spec["replicas"]
        .as_i64()
        .or_else(|| spec["parallelism"].as_i64());
    if kind == "Job" {
        spec["parallelism"] = slots.value(format!("{e}.replicas"));
        spec["completions"] = slots.value(format!("{e}.replicas"));
        return;
    }
    spec["replicas"] = if t.has_autoscaling(envs) {
        slots.when(
            format!("(not {e}.autoscaling.enabled)"),
            format!("{e}.replicas"),
        )
    } else {
        slots.value(format!("{e}.replicas"))
    };
    if kind == "Deployment" {
        f.strategy = spec.get("strategy").cloned();
        if f.strategy.is_some() {
            spec["strategy"] = slots.value(format!("{e}.strategy"));
        }
    }
}

fn lift_ingress(t: &Tuned<'_, '_>, f: &mut BaseFacts, v: &mut Value, slots: &mut Slots) {
    let e = t.expr();
    let Some(rule) = v["spec"]["rules"].get_mut(0).and_then(Value::as_object_mut) else {
        return;
    };
    f.host = Some(
        rule.get("host")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    );
    let host = format!("{e}.ingress.host");
    rule.insert("host".into(), slots.optional(host.clone()));
    if let Some(tls) = v["spec"]["tls"].get_mut(0).and_then(Value::as_object_mut) {
        tls.insert(
            "hosts".into(),
            slots.when(host.clone(), format!("(list {host})")),
        );
    }
}

fn lift_canary(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    t: &Tuned<'_, '_>,
    f: &mut BaseFacts,
    v: &mut Value,
    slots: &mut Slots,
) {
    let e = t.expr();
    let Some(analysis) = v["spec"]["analysis"].as_object_mut() else {
        return;
    };
    for key in CANARY_KEYS {
        if let Some(x) = analysis.get(key).filter(|x| x.is_string() || x.is_number()) {
            f.canary.insert(key.into(), x.clone());
            analysis.insert(key.into(), slots.value(format!("{e}.canary.{key}")));
        }
    }
    if overlay::nginx_load_command(plan, cp, t.ns, t.u, "").is_some() {
        if let Some(cmd) = analysis
            .get_mut("webhooks")
            .and_then(|w| w.get_mut(0))
            .and_then(|w| w.get_mut("metadata"))
            .and_then(Value::as_object_mut)
            .filter(|m| m.get("cmd").is_some_and(Value::is_string))
        {
            f.load_test = cmd.get("cmd").and_then(Value::as_str).map(str::to_string);
            cmd.insert(
                "cmd".into(),
                slots.value(format!("{e}.canary.loadTestCommand")),
            );
        }
    }
}

/// Strategic merge of maps, as Kustomize applies a patch: `patch` wins, maps merge.
fn merge(base: &Value, patch: &Value) -> Value {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            let mut out = b.clone();
            for (k, pv) in p {
                let merged = match b.get(k) {
                    Some(bv) => merge(bv, pv),
                    None => pv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        _ => patch.clone(),
    }
}

/// A workload's values in environment `env` (`None`: the base), computed as `overlay.rs`
/// computes its patches.
fn workload_values(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    t: &Tuned<'_, '_>,
    f: &BaseFacts,
    env: Option<(&String, &String)>,
    envs: &[(String, String)],
) -> Value {
    let w = t.w;
    let o = env.and_then(|(e, _)| w.overrides.get(e));
    let mut m = Map::new();
    if f.image_lifted {
        if let Some((name, base_tag, there)) = overlay::image_in(t.u, w, env.map_or("", |e| e.0)) {
            let tag = if env.is_some() { there } else { base_tag };
            m.insert("image".into(), json!({ "repository": name, "tag": tag }));
        }
    }
    let replicas = match o.and_then(|o| o.replicas) {
        Some(r) if t.u.is_job() => i64::from(objects::clamp(r.max(1))),
        Some(r) => i64::from(objects::clamp(r)),
        None if t.u.is_job() => i64::from(objects::clamp(w.replicas.max(1))),
        None => f
            .replicas
            .unwrap_or_else(|| i64::from(objects::clamp(w.replicas))),
    };
    m.insert("replicas".into(), json!(replicas));
    let patch = o
        .and_then(|o| o.resources.as_ref())
        .and_then(objects::resources)
        .and_then(|r| serde_json::to_value(r).ok());
    let resources = match (&f.resources, patch) {
        (Some(b), Some(p)) => Some(merge(b, &p)),
        (b, p) => p.or_else(|| b.clone()),
    };
    if let Some(r) = resources {
        m.insert("resources".into(), r);
    }
    m.insert("probes".into(), Value::Object(f.probes.clone()));
    if let Some(s) = &f.strategy {
        m.insert("strategy".into(), s.clone());
    }
    if t.has_autoscaling(envs) {
        let here = match env {
            Some((e, _)) => w.autoscaling_in(e),
            None => w.autoscaling.as_ref(),
        };
        let shape = here
            .or(w.autoscaling.as_ref())
            .or_else(|| envs.iter().find_map(|(e, _)| w.autoscaling_in(e)));
        if let Some(a) = shape {
            let s = objects::hpa_spec(t.u, a);
            m.insert(
                "autoscaling".into(),
                json!({
                    "enabled": here.is_some(),
                    "minReplicas": s.min_replicas,
                    "maxReplicas": s.max_replicas,
                    "metrics": serde_json::to_value(&s.metrics).unwrap_or(Value::Null),
                }),
            );
        }
    }
    let env_host = env.and_then(|(e, folder)| tls::host_in(plan.g.design, w, e, folder));
    if let Some(base_host) = &f.host {
        let host = env_host.clone().unwrap_or_else(|| base_host.clone());
        m.insert("ingress".into(), json!({ "host": host }));
    }
    let mut canary = f.canary.clone();
    if let Some(base_cmd) = &f.load_test {
        let cmd = env_host
            .as_deref()
            .and_then(|h| overlay::nginx_load_command(plan, cp, t.ns, t.u, h))
            .unwrap_or_else(|| base_cmd.clone());
        canary.insert("loadTestCommand".into(), json!(cmd));
    }
    if !canary.is_empty() {
        m.insert("canary".into(), Value::Object(canary));
    }
    Value::Object(m)
}

/// The keys of each workload whose value differs from the base (whole values: Helm merges
/// maps key by key, but a team reads an environment's file best when a changed setting is
/// written out whole).
fn changes(
    base: &BTreeMap<String, Value>,
    there: &BTreeMap<String, Value>,
) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (key, v) in there {
        let (Some(b), Some(m)) = (base.get(key).and_then(Value::as_object), v.as_object()) else {
            continue;
        };
        let diff: Map<String, Value> = m
            .iter()
            .filter(|(k, x)| b.get(*k) != Some(*x))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        if !diff.is_empty() {
            out.insert(key.clone(), Value::Object(diff));
        }
    }
    out
}

#[derive(Serialize)]
struct ValuesFile<'a> {
    environment: &'a str,
    workloads: &'a BTreeMap<String, Value>,
}

fn values_file(comment: &str, environment: &str, workloads: &BTreeMap<String, Value>) -> String {
    format!(
        "# {comment}\n# Checked by values.schema.json.\n{}",
        to_yaml(&ValuesFile {
            environment,
            workloads,
        })
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChartYaml {
    api_version: &'static str,
    name: String,
    description: String,
    #[serde(rename = "type")]
    type_: &'static str,
    version: &'static str,
    keywords: Vec<&'static str>,
}

fn chart_yaml(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> String {
    let node = plan.g.node(cp.idx);
    to_yaml(&ChartYaml {
        api_version: "v2",
        name: cp.name.clone(),
        description: format!(
            "Kubernetes cluster {} of the design {}, exported by Infracanvas",
            node.name.replace(['\n', '\r'], " "),
            plan.g.design.name.replace(['\n', '\r'], " ")
        ),
        type_: "application",
        version: CHART_VERSION,
        keywords: vec!["infracanvas"],
    })
}

/// The chart's README: install per environment, and the add-ons and manual steps of the
/// Kustomize README (the same pinned commands, see `addons.rs`).
fn readme(cp: &ClusterPlan<'_>, folders: &[String], kustomize_readme: &str) -> String {
    let name = &cp.name;
    let mut s = format!(
        "# Helm chart `{name}`\n\n\
         Made by Infracanvas from the same objects as the Kustomize export of this cluster: \
         `helm template -f values-<env>.yaml` renders what `kubectl kustomize overlays/<env>` \
         builds, plus Helm's own labels (`app.kubernetes.io/managed-by: Helm`, \
         `helm.sh/chart`, `app.kubernetes.io/instance`).\n\n\
         * `values.yaml`: the design's base values per workload (`workloads.<name>`: image, \
         replicas, resources, probes, strategy, autoscaling, ingress host, canary analysis);\n\
         * `values-<env>.yaml`: what an environment changes; `environment` labels every object;\n\
         * `values.schema.json`: Helm refuses a value the design cannot run with (for example \
         `--set workloads.<name>.replicas=0`).\n\n\
         Object names are the design's, not the release's: Services, NetworkPolicies, \
         Certificates and Canaries name one another, and the chart creates its namespaces. \
         Install it once per cluster.\n\n\
         The add-ons below are not dependencies of this chart: each is cluster-wide (CRDs, \
         webhooks, controllers in their own namespaces), shared by every chart of the \
         cluster, and Helm neither upgrades a dependency's CRDs nor installs a dependency \
         into another namespace. Install them first, with the pinned commands below.\n\n"
    );
    if let (Some(a), Some(b)) = (
        kustomize_readme.find("## 1. Install the add-ons"),
        kustomize_readme.find("## 3. Apply"),
    ) {
        s.push_str(&kustomize_readme[a..b].replace(
            "## 2. Before `kubectl apply`, by hand",
            "## 2. Before `helm install`, by hand",
        ));
    }
    s.push_str("## 3. Install\n\n```sh\n");
    for f in folders {
        s.push_str(&format!(
            "helm upgrade --install {name} . -f values-{f}.yaml --namespace default\n"
        ));
    }
    s.push_str(
        "```\n\nOne environment per cluster: pick the line of the environment this cluster runs.\n",
    );
    s
}

const HELPERS: &str = r#"{{/*
Labels on every object: Helm's conventions, and the environment the overlays label with.
*/}}
{{- define "infracanvas.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
{{- with .Values.environment }}
infracanvas.io/environment: {{ . | quote }}
{{- end }}
{{- end }}
"#;

const NOTES: &str = r#"{{ .Chart.Name }} is installed as release {{ .Release.Name }}{{ with .Values.environment }} (environment {{ . }}){{ end }}.
{{- range $key, $w := .Values.workloads }}
{{- if hasKey $w "ingress" }}
{{- with $w.ingress.host }}
  {{ $key }}: https://{{ . }}
{{- end }}
{{- end }}
{{- end }}

The add-ons this chart relies on (their CRDs and controllers) are listed in README.md.
"#;
