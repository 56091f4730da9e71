//! One Kustomize overlay per environment: the base plus what `WorkloadProps::overrides` changes
//! there.
//!
//! * image tags: a kustomize `images:` entry per image name when every workload using that
//!   image runs the same tag in the environment; otherwise (two workloads share an image but
//!   not a tag) a patch setting the container image of the workloads that differ;
//! * replicas and resources: a strategic-merge patch of the Deployment / StatefulSet / Job
//!   (`replicas: null` removes the count where an autoscaler exists only in this environment);
//! * autoscaling bounds: a strategic-merge patch of the HorizontalPodAutoscaler, or a new
//!   autoscaler in the overlay's `autoscalers.yaml` when the base has none;
//! * hosts: a JSON 6902 patch of the Ingress rule and TLS hosts, the Certificate's DNS names
//!   and an nginx Canary's load-test host: the environment's own host, or `<env>.<host>`
//!   outside production, so that a test stand never takes the production name.
//!
//! Every object also gets the label `infracanvas.io/environment`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::plan::{Body, ClusterPlan, DesignPlan, NsPlan, Unit};
use super::Kustomization;
use super::{flagger, objects, tls};
use crate::export::engines::split_image;
use crate::export::yaml::{to_yaml, to_yaml_docs};
use crate::export::ExportFile;
use crate::model::*;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LabelSpec {
    pairs: BTreeMap<String, String>,
    include_selectors: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageSpec {
    name: String,
    new_tag: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PatchSpec {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<Target>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Target {
    #[serde(skip_serializing_if = "String::is_empty")]
    group: String,
    version: String,
    kind: String,
    name: String,
    namespace: String,
}

/// The image of a workload in an environment: (name, base tag, tag there). `None` for images
/// pinned by digest, whose tag cannot change.
pub(crate) fn image_in(
    u: &Unit<'_>,
    w: &WorkloadProps,
    env: &str,
) -> Option<(String, String, String)> {
    let (name, base_tag, _) = split_image(&w.image, &w.tag, &u.name);
    if base_tag.is_empty() {
        return None;
    }
    let env_tag = match w
        .overrides
        .get(env)
        .and_then(|o| o.tag.as_deref())
        .map(str::trim)
    {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => base_tag.clone(),
    };
    Some((name, base_tag, env_tag))
}

/// Writes the overlay of environment `env` and returns the public hosts it serves.
pub(crate) fn overlay(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    env: &str,
    dir: &str,
    folder: &str,
    files: &mut Vec<ExportFile>,
) -> Vec<String> {
    let workloads = || {
        cp.namespaces
            .iter()
            .flat_map(|ns| ns.units.iter().map(move |u| (ns, u)))
            .filter_map(|(ns, u)| match &u.body {
                Body::Workload(w) => Some((ns, u, *w)),
                Body::Store(_) => None,
            })
    };

    // Image tags: which image names one `images:` entry can carry.
    let mut by_image: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (_, u, w) in workloads() {
        if let Some((name, base, there)) = image_in(u, w, env) {
            by_image.entry(name).or_default().push((base, there));
        }
    }
    let mut images = Vec::new();
    let mut conflicting = Vec::new();
    for (name, tags) in &by_image {
        if tags.iter().all(|(b, t)| b == t) {
            continue;
        }
        if tags.iter().all(|(_, t)| *t == tags[0].1) {
            images.push(ImageSpec {
                name: name.clone(),
                new_tag: tags[0].1.clone(),
            });
        } else {
            conflicting.push(name.clone());
        }
    }

    let mut patches = Vec::new();
    let mut extra_hpas = Vec::new();
    let mut hosts = Vec::new();
    for (ns, u, w) in workloads() {
        let o = w.overrides.get(env);
        let image = image_in(u, w, env)
            .filter(|(name, base, there)| conflicting.contains(name) && base != there)
            .map(|(name, _, there)| format!("{name}:{there}"));
        let resources = o
            .and_then(|o| o.resources.as_ref())
            .and_then(objects::resources);
        let env_hpa = if u.is_job() {
            None
        } else {
            w.autoscaling_in(env)
        };

        // The workload itself.
        let mut spec = serde_json::Map::new();
        if u.is_job() {
            if let Some(r) = o.and_then(|o| o.replicas) {
                let n = objects::clamp(r.max(1));
                spec.insert("parallelism".into(), json!(n));
                spec.insert("completions".into(), json!(n));
            }
        } else if env_hpa.is_some() {
            if w.autoscaling.is_none() {
                spec.insert("replicas".into(), Value::Null);
            }
        } else if let Some(r) = o.and_then(|o| o.replicas) {
            spec.insert("replicas".into(), json!(objects::clamp(r)));
        }
        if image.is_some() || resources.is_some() {
            let mut c = serde_json::Map::new();
            c.insert("name".into(), json!(u.name));
            if let Some(i) = image {
                c.insert("image".into(), json!(i));
            }
            if let Some(r) = resources {
                c.insert(
                    "resources".into(),
                    serde_json::to_value(r).unwrap_or(Value::Null),
                );
            }
            spec.insert(
                "template".into(),
                json!({ "spec": { "containers": [Value::Object(c)] } }),
            );
        }
        if !spec.is_empty() {
            let (api, kind) = if u.is_job() {
                ("batch/v1", "Job")
            } else {
                ("apps/v1", objects::target_kind(u))
            };
            let doc = json!({
                "apiVersion": api,
                "kind": kind,
                "metadata": { "name": u.name, "namespace": ns.name },
                "spec": Value::Object(spec),
            });
            push_patch(
                files,
                &mut patches,
                dir,
                ns,
                u,
                &kind.to_lowercase(),
                &doc,
                None,
            );
        }

        // The autoscaler.
        if let Some(a) = env_hpa {
            match (&w.autoscaling, o.and_then(|o| o.autoscaling.as_ref())) {
                (Some(_), Some(over)) => {
                    let s = objects::hpa_spec(u, over);
                    let doc = json!({
                        "apiVersion": "autoscaling/v2",
                        "kind": "HorizontalPodAutoscaler",
                        "metadata": { "name": u.name, "namespace": ns.name },
                        "spec": {
                            "minReplicas": s.min_replicas,
                            "maxReplicas": s.max_replicas,
                            "metrics": serde_json::to_value(&s.metrics).unwrap_or(Value::Null),
                        },
                    });
                    push_patch(files, &mut patches, dir, ns, u, "hpa", &doc, None);
                }
                (None, _) => extra_hpas.push(objects::autoscaler(plan, ns, u, a)),
                (Some(_), None) => {}
            }
        }

        // The public host: the environment's own, or `<env>.<host>` outside production.
        if let Some(host) = tls::host_in(plan.g.design, w, env, folder) {
            if objects::ingress(plan, cp, ns, u).is_some() {
                let doc = json!([
                    { "op": "add", "path": "/spec/rules/0/host", "value": host },
                    { "op": "add", "path": "/spec/tls/0/hosts", "value": [host] },
                ]);
                push_patch(
                    files,
                    &mut patches,
                    dir,
                    ns,
                    u,
                    "ingress",
                    &doc,
                    Some(target("networking.k8s.io", "Ingress", ns, u)),
                );
                hosts.push(host.clone());
            }
            if tls::certificate(plan, cp, ns, u).is_some() {
                let doc = json!([
                    { "op": "replace", "path": "/spec/dnsNames", "value": [host] },
                ]);
                push_patch(
                    files,
                    &mut patches,
                    dir,
                    ns,
                    u,
                    "certificate",
                    &doc,
                    Some(target("cert-manager.io", "Certificate", ns, u)),
                );
            }
            // Flagger's load test through ingress-nginx names the host.
            if let Some(cmd) = nginx_load_command(plan, cp, ns, u, &host) {
                let doc = json!([{
                    "op": "replace",
                    "path": "/spec/analysis/webhooks/0/metadata/cmd",
                    "value": cmd,
                }]);
                push_patch(
                    files,
                    &mut patches,
                    dir,
                    ns,
                    u,
                    "canary",
                    &doc,
                    Some(target("flagger.app", "Canary", ns, u)),
                );
            }
        } else if let Some(ing) = objects::ingress(plan, cp, ns, u) {
            if let Some(h) = ing
                .spec
                .and_then(|s| s.rules)
                .and_then(|r| r.first().and_then(|r| r.host.clone()))
            {
                hosts.push(h);
            }
        }
    }

    let mut resources = vec!["../../base".to_string()];
    if !extra_hpas.is_empty() {
        extra_hpas.sort_by(|a, b| {
            (&a.metadata.namespace, &a.metadata.name)
                .cmp(&(&b.metadata.namespace, &b.metadata.name))
        });
        files.push(ExportFile::new(
            format!("{dir}/autoscalers.yaml"),
            to_yaml_docs(&extra_hpas),
        ));
        resources.push("autoscalers.yaml".into());
    }
    let mut k = Kustomization::new(resources);
    k.labels = vec![LabelSpec {
        pairs: BTreeMap::from([("infracanvas.io/environment".to_string(), folder.to_string())]),
        include_selectors: false,
    }];
    k.images = images;
    k.patches = patches;
    files.push(ExportFile::new(
        format!("{dir}/kustomization.yaml"),
        to_yaml(&k),
    ));
    hosts.sort();
    hosts.dedup();
    hosts
}

/// The command of Flagger's load test through ingress-nginx, which names the public host:
/// `None` unless the unit is a Canary routed by nginx.
pub(crate) fn nginx_load_command(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    host: &str,
) -> Option<String> {
    let c = flagger::canary(plan, cp, ns, u)?;
    if c.spec.provider != "nginx" {
        return None;
    }

    let ctl = cp.ingress_for(&plan.g, u.idx);
    let header = c.spec.analysis.matches.first().and_then(|m| {
        let (h, v) = m.headers.iter().next()?;
        let v = v.exact.clone()?;
        Some(if h == "cookie" {
            ("Cookie".to_string(), format!("{v}=always"))
        } else {
            (h.clone(), v)
        })
    });
    let cmd = flagger::load_command(
        "nginx",
        &ns.name,
        &u.name,
        c.spec.service.port,
        Some(host),
        ctl,
        header,
    );
    Some(cmd)
}

fn target(group: &str, kind: &str, ns: &NsPlan<'_>, u: &Unit<'_>) -> Target {
    Target {
        group: group.into(),
        version: if group == "flagger.app" {
            "v1beta1"
        } else {
            "v1"
        }
        .into(),
        kind: kind.into(),
        name: u.name.clone(),
        namespace: ns.name.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
fn push_patch(
    files: &mut Vec<ExportFile>,
    patches: &mut Vec<PatchSpec>,
    dir: &str,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    what: &str,
    doc: &Value,
    target: Option<Target>,
) {
    let path = format!("patches/{}.{}.{what}.yaml", ns.name, u.name);
    files.push(ExportFile::new(format!("{dir}/{path}"), to_yaml(doc)));
    patches.push(PatchSpec { path, target });
}
