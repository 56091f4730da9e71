//! Kubernetes manifests (files, folders, multi-document streams, `List` kinds, `kubectl
//! kustomize` output) read into one Kubernetes cluster with a namespace box per namespace.
//!
//! Workload objects (Deployment, StatefulSet, DaemonSet, Job, CronJob, bare Pods) become
//! workloads, or data stores, balancers and operations tools when their image is a stock one.
//! Services give DNS names, protocols and exposure (`LoadBalancer`, `NodePort`); Ingresses give
//! an ingress controller per class, hosts and exposure; NetworkPolicies, Ingress backends and
//! environment values that name a Service give the links. HorizontalPodAutoscalers and Flagger
//! Canaries fill autoscaling and the rollout strategy. Secrets become secret store nodes and
//! their values are never read into the design.
//!
//! A folder exported by Infracanvas (a Kustomize tree) is read through its
//! `kustomization.yaml` files: the bases they list are read; an overlay's own files (patches,
//! environment-only objects) are reported, since environments are not inferred.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::build::{node_id, Builder};
use super::images::{self, Role};
use super::refs::references;
use super::secrets::{is_secret, key_for};
use super::yaml::{self, at, entries, items, scalar, str_at};
use super::{ImportError, Imported, NoteKind, Source};
use crate::model::*;

/// One Kubernetes object with where it was found.
#[derive(Debug, Clone)]
struct Obj {
    kind: String,
    name: String,
    ns: String,
    value: Value,
    file: String,
    line: usize,
}

impl Obj {
    fn label(&self) -> String {
        format!("{} {}/{}", self.kind, self.ns, self.name)
    }
}

/// A workload object read into a node.
#[derive(Debug, Clone)]
struct Unit {
    node: NodeId,
    ns: String,
    kind: String,
    name: String,
    labels: BTreeMap<String, String>,
    file: String,
    line: usize,
}

/// Imports manifests as one Kubernetes cluster called `name`.
pub fn import(sources: &[Source], name: &str) -> Result<Imported, ImportError> {
    let name = if name.trim().is_empty() {
        "cluster"
    } else {
        name.trim()
    };
    let mut b = Builder::new(name);
    let (selected, overlays) = select(sources, &mut b);
    let objects = read_objects(&selected, &mut b);
    let mut reader = Reader::new(b, name, objects);
    // A tree exported by Infracanvas names the drawn cluster in its README's title.
    if let Some(title) = exported_title(sources) {
        if let Some(n) = reader.b.design.node_mut("cluster") {
            n.name = title;
        }
    }
    // A Kustomize tree's overlays are the environments the cluster is deployed to.
    let mut envs: Vec<String> = overlays.iter().map(|o| o.env.clone()).collect();
    envs.sort();
    envs.dedup();
    for env in &envs {
        reader.b.design.environments.push(Environment {
            id: node_id(env),
            name: env.clone(),
            production: env == "prod" || env == "production",
        });
    }
    if let [only] = envs.as_slice() {
        if let Some(NodeSpec::KubernetesCluster(c)) = reader.b.spec_mut("cluster") {
            c.environment = node_id(only);
        }
    }
    reader.overlays = overlays;
    reader.sources = sources
        .iter()
        .map(|s| (normalise(&s.path), s.clone()))
        .collect();
    reader.run()
}

/// The cluster's name from the top README of a tree the Kubernetes export wrote (`# Name —
/// Kubernetes export`).
fn exported_title(sources: &[Source]) -> Option<String> {
    sources
        .iter()
        .filter(|s| s.path.rsplit('/').next() == Some("README.md"))
        .min_by_key(|s| s.path.matches('/').count())
        .and_then(|s| {
            let first = s.text.lines().next()?;
            let title = first
                .strip_prefix("# ")?
                .strip_suffix(" — Kubernetes export")?;
            let title = title.trim();
            (!title.is_empty() && title.chars().count() <= crate::model::limits::MAX_TEXT_CHARS)
                .then(|| title.to_string())
        })
}

fn is_kustomization(path: &str) -> bool {
    matches!(
        path.rsplit('/').next().unwrap_or(path),
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir/rel` with `.` and `..` resolved.
fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect()
    };
    let absolute = rel.starts_with('/') || dir.starts_with('/');
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

fn normalise(path: &str) -> String {
    join("", path)
}

/// An environment's overlay of a Kustomize tree: its folder name, its kustomization and its
/// own files (patches, environment-only objects).
#[derive(Debug, Clone)]
struct Overlay {
    env: String,
    dir: String,
    kustomization: Value,
}

/// Whether a kustomization folder is an environment's overlay (`…/overlays/<env>`).
fn overlay_env(dir: &str) -> Option<String> {
    let (parent, env) = dir.rsplit_once('/').unwrap_or(("", dir));
    (parent == "overlays" || parent.ends_with("/overlays")).then(|| env.to_string())
}

/// The sources to read: all of them, or, where `kustomization.yaml` files are among them,
/// what those list. An environment's overlay (`overlays/<env>/`) is not read into the base:
/// its bases are, and its images, patches and own objects become that environment's
/// overrides ([`Reader::overlays`]).
fn select<'a>(sources: &'a [Source], b: &mut Builder) -> (Vec<&'a Source>, Vec<Overlay>) {
    let by_path: HashMap<String, &Source> =
        sources.iter().map(|s| (normalise(&s.path), s)).collect();
    let mut overlays = Vec::new();
    let kusts: Vec<(String, Vec<String>)> = sources
        .iter()
        .filter(|s| is_kustomization(&s.path))
        .map(|s| {
            let dir = dir_of(&normalise(&s.path)).to_string();
            let mut notes = Vec::new();
            let docs = yaml::documents(s, &mut notes);
            b.notes.extend(notes);
            let doc = docs.into_iter().next().map(|d| d.value).unwrap_or_default();
            let mut resources: Vec<String> = Vec::new();
            for r in items(doc.get("resources")).chain(items(doc.get("bases"))) {
                if let Some(r) = r.as_str() {
                    if r.contains("://") || r.starts_with("github.com/") {
                        b.note(NoteKind::NotMapped, &s.path, 0, r, "remote resource not read");
                    } else {
                        resources.push(join(&dir, r));
                    }
                }
            }
            match overlay_env(&dir) {
                Some(env) => overlays.push(Overlay { env, dir: dir.clone(), kustomization: doc }),
                None => {
                    let unapplied = ["patches", "patchesStrategicMerge", "patchesJson6902", "images", "replicas", "configMapGenerator", "secretGenerator", "helmCharts", "components"]
                        .iter()
                        .any(|k| doc.get(*k).is_some());
                    if unapplied {
                        b.note(
                            NoteKind::NotMapped,
                            &s.path,
                            0,
                            "Kustomization",
                            "patches, images, generators and components are not applied; import the output of `kubectl kustomize` to see them",
                        );
                    }
                }
            }
            (dir, resources)
        })
        .collect();
    if kusts.is_empty() {
        return (sources.iter().collect(), overlays);
    }
    let kust_dirs: BTreeSet<&str> = kusts.iter().map(|(d, _)| d.as_str()).collect();
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    let mut visited: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = kusts.iter().map(|(d, _)| d.clone()).collect();
    while let Some(dir) = stack.pop() {
        if !visited.insert(dir.clone()) {
            continue;
        }
        let own = overlay_env(&dir).is_none();
        let Some((_, resources)) = kusts.iter().find(|(d, _)| *d == dir) else {
            continue;
        };
        for r in resources {
            if kust_dirs.contains(r.as_str()) {
                stack.push(r.clone());
            } else if by_path.contains_key(r) {
                if own {
                    chosen.insert(r.clone());
                }
            } else {
                b.note(
                    NoteKind::NotMapped,
                    &format!("{dir}/kustomization.yaml"),
                    0,
                    r,
                    "listed resource not among the files",
                );
            }
        }
    }
    let in_kust_tree = |p: &str| {
        kust_dirs
            .iter()
            .any(|d| d.is_empty() || p.starts_with(&format!("{d}/")))
    };
    let selected = sources
        .iter()
        .filter(|s| {
            let p = normalise(&s.path);
            !is_kustomization(&p) && (chosen.contains(&p) || !in_kust_tree(&p))
        })
        .collect();
    (selected, overlays)
}

/// Every object of the sources, `List`s unpacked, duplicates reported and dropped.
fn read_objects(sources: &[&Source], b: &mut Builder) -> Vec<Obj> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for s in sources {
        let docs = yaml::documents(s, &mut b.notes);
        let lines = yaml::Lines::new(&s.text);
        for d in docs {
            let mut values = vec![d.value];
            let mut depth = 0;
            // Items of a List are found in order: each search starts after the previous one.
            let mut cursor = d.line;
            while let Some(value) = values.pop() {
                let kind = str_at(&value, &["kind"]).unwrap_or_default().to_string();
                if kind.ends_with("List") && value.get("items").is_some_and(Value::is_array) {
                    depth += 1;
                    if depth < 1000 {
                        if let Some(Value::Array(list)) = value.get("items") {
                            values.extend(list.iter().rev().cloned());
                        }
                    }
                    continue;
                }
                if kind.is_empty() || !value.is_object() {
                    b.note(
                        NoteKind::NotMapped,
                        &s.path,
                        d.line,
                        "",
                        "not a Kubernetes object (no `kind`)",
                    );
                    continue;
                }
                let name = str_at(&value, &["metadata", "name"])
                    .unwrap_or_default()
                    .to_string();
                let ns = str_at(&value, &["metadata", "namespace"])
                    .unwrap_or("default")
                    .to_string();
                let at_kind = lines.find(cursor, &format!("kind: {kind}"));
                let line = if name.is_empty() {
                    at_kind
                } else {
                    lines.find(at_kind, &format!("name: {name}"))
                };
                cursor = line.max(cursor) + 1;
                if !seen.insert((kind.clone(), ns.clone(), name.clone())) {
                    b.note(
                        NoteKind::NotMapped,
                        &s.path,
                        line,
                        &format!("{kind} {ns}/{name}"),
                        "duplicate of an object read before; left out",
                    );
                    continue;
                }
                out.push(Obj {
                    kind,
                    name,
                    ns,
                    value,
                    file: s.path.clone(),
                    line,
                });
            }
        }
    }
    out
}

fn labels_of(value: Option<&Value>) -> BTreeMap<String, String> {
    entries(value)
        .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
        .collect()
}

fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A label selector's `matchLabels` (and `matchExpressions` with `In` of one value).
fn selector_of(value: Option<&Value>) -> BTreeMap<String, String> {
    let mut sel = labels_of(value.and_then(|v| v.get("matchLabels")));
    for e in items(value.and_then(|v| v.get("matchExpressions"))) {
        let values: Vec<&Value> = items(e.get("values")).collect();
        if str_at(e, &["operator"]) == Some("In") && values.len() == 1 {
            if let (Some(k), Some(v)) = (str_at(e, &["key"]), scalar(values[0])) {
                sel.insert(k.to_string(), v);
            }
        }
    }
    sel
}

fn port_number(value: Option<&Value>) -> Option<u16> {
    value
        .and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
}

fn protocol_hint(name: &str, app_protocol: &str, l4: &str) -> Option<Protocol> {
    let hint = if app_protocol.is_empty() {
        name
    } else {
        app_protocol
    };
    let hint = hint.to_ascii_lowercase();
    if l4.eq_ignore_ascii_case("UDP") {
        Some(Protocol::Udp)
    } else if hint.starts_with("grpc") || hint.contains("h2c") {
        Some(Protocol::Grpc)
    } else if hint.starts_with("https") || hint.starts_with("tls") {
        Some(Protocol::Https)
    } else if hint.starts_with("http") {
        Some(Protocol::Http)
    } else if hint.starts_with("tcp")
        || hint.starts_with("redis")
        || hint.starts_with("postgres")
        || hint.starts_with("mysql")
    {
        Some(Protocol::Tcp)
    } else {
        None
    }
}

/// `1m` → 1, `30s` → 1, `2h` → 120: Flagger's interval in whole minutes.
fn minutes(text: &str) -> Option<u32> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let n: u32 = number.parse().ok()?;
    Some(match unit {
        "s" => n.div_ceil(60).max(1),
        "m" => n,
        "h" => n.saturating_mul(60),
        _ => return None,
    })
}

struct Reader {
    b: Builder,
    cluster: NodeId,
    objects: Vec<Obj>,
    namespaces: BTreeMap<String, NodeId>,
    units: Vec<Unit>,
    /// (namespace, Service name) → the nodes it selects.
    services: BTreeMap<(String, String), Vec<NodeId>>,
    secret_stores: BTreeMap<String, NodeId>,
    config_maps: BTreeMap<(String, String), BTreeMap<String, String>>,
    secrets: BTreeMap<(String, String), Vec<String>>,
    used_config_maps: BTreeSet<(String, String)>,
    mapped: BTreeSet<usize>,
    /// Provider name → the region box its managed stores sit in.
    regions: BTreeMap<String, NodeId>,
    /// The node each outside system (`ExternalName` Service) was read into, by its id: the
    /// same store is named in every namespace that uses it.
    outside_nodes: BTreeMap<String, NodeId>,
    /// Namespaces an Ingress-exposed workload admits traffic from as a whole: where the
    /// ingress controller runs.
    ingress_namespaces: BTreeSet<String>,
    /// (workload, port, CIDR) of egress rules to address blocks: where a managed store is.
    address_blocks: Vec<(NodeId, u16, String)>,
    overlays: Vec<Overlay>,
    /// Every source by normalised path, for the overlays' patches.
    sources: BTreeMap<String, Source>,
}

impl Reader {
    fn new(mut b: Builder, name: &str, objects: Vec<Obj>) -> Self {
        let cluster = b.node(
            "cluster",
            name,
            None,
            NodeSpec::KubernetesCluster(ClusterProps::default()),
        );
        Reader {
            b,
            cluster,
            objects,
            namespaces: BTreeMap::new(),
            units: Vec::new(),
            services: BTreeMap::new(),
            secret_stores: BTreeMap::new(),
            config_maps: BTreeMap::new(),
            secrets: BTreeMap::new(),
            used_config_maps: BTreeSet::new(),
            mapped: BTreeSet::new(),
            regions: BTreeMap::new(),
            outside_nodes: BTreeMap::new(),
            ingress_namespaces: BTreeSet::new(),
            address_blocks: Vec::new(),
            overlays: Vec::new(),
            sources: BTreeMap::new(),
        }
    }

    fn run(mut self) -> Result<Imported, ImportError> {
        self.namespaces();
        self.data();
        for i in 0..self.objects.len() {
            self.workload(i);
            self.postgres_cluster(i);
            self.external_secret(i);
        }
        for i in 0..self.objects.len() {
            match self.objects[i].kind.as_str() {
                "Service" => self.service(i),
                "HorizontalPodAutoscaler" => self.autoscaler(i),
                "Canary" => self.canary(i),
                "PodDisruptionBudget" => {
                    // The design derives disruption budgets from replicas.
                    self.mapped.insert(i);
                }
                _ => {}
            }
        }
        for i in 0..self.objects.len() {
            match self.objects[i].kind.as_str() {
                "Ingress" => self.ingress(i),
                "NetworkPolicy" => self.network_policy(i),
                _ => {}
            }
        }
        self.env_links();
        self.overlays();
        self.place_ingress_controllers();
        self.place_managed_stores();
        self.report_rest();
        // The application the objects say they are part of names the design (the export
        // writes the design's name there).
        let part_of: BTreeSet<&str> = self
            .objects
            .iter()
            .filter_map(|o| {
                str_at(
                    &o.value,
                    &["metadata", "labels", "app.kubernetes.io/part-of"],
                )
            })
            .collect();
        if let [only] = part_of.into_iter().collect::<Vec<_>>().as_slice() {
            self.b.design.name = only.to_string();
        }
        self.b
            .finish("no workload, data store or Service found in the manifests")
    }

    fn namespace_node(&mut self, ns: &str) -> NodeId {
        self.namespace_node_with(ns, None)
    }

    fn namespace_node_with(&mut self, ns: &str, preferred: Option<&str>) -> NodeId {
        if let Some(id) = self.namespaces.get(ns) {
            return id.clone();
        }
        let cluster = self.cluster.clone();
        let preferred = preferred.map_or_else(|| format!("ns-{ns}"), str::to_string);
        let id = self.b.node(
            &preferred,
            ns,
            Some(&cluster),
            NodeSpec::Namespace(NamespaceProps::default()),
        );
        self.namespaces.insert(ns.to_string(), id.clone());
        id
    }

    fn namespaces(&mut self) {
        for i in 0..self.objects.len() {
            if self.objects[i].kind == "Namespace" {
                let o = &self.objects[i];
                let name = o.name.clone();
                let injection =
                    str_at(&o.value, &["metadata", "labels", "istio-injection"]) == Some("enabled");
                let preferred = str_at(
                    &o.value,
                    &["metadata", "annotations", "infracanvas.io/node-id"],
                )
                .map(str::to_string);
                let id = self.namespace_node_with(&name, preferred.as_deref());
                if let Some(NodeSpec::Namespace(p)) = self.b.spec_mut(&id) {
                    p.mesh_injection = injection;
                }
                self.mapped.insert(i);
            }
        }
    }

    /// ConfigMaps and Secrets: their keys (and a ConfigMap's values) for the workloads that
    /// read them. A Secret's values are never read.
    fn data(&mut self) {
        for i in 0..self.objects.len() {
            let o = &self.objects[i];
            let key = (o.ns.clone(), o.name.clone());
            match o.kind.as_str() {
                "ConfigMap" => {
                    let data = entries(o.value.get("data"))
                        .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
                        .collect();
                    self.config_maps.insert(key, data);
                }
                "Secret" => {
                    let keys: Vec<String> = entries(o.value.get("data"))
                        .chain(entries(o.value.get("stringData")))
                        .map(|(k, _)| k.clone())
                        .collect();
                    let (file, line, label) = (o.file.clone(), o.line, o.label());
                    if !keys.is_empty() {
                        self.b.note(
                            NoteKind::SecretDropped,
                            &file,
                            line,
                            &label,
                            format!("{} value(s) dropped; workloads that read it refer to a secret store of that name", keys.len()),
                        );
                    }
                    self.secrets.insert(key, keys);
                    self.mapped.insert(i);
                }
                _ => {}
            }
        }
    }

    fn secret_store(&mut self, name: &str) -> NodeId {
        if let Some(id) = self.secret_stores.get(name) {
            return id.clone();
        }
        let cluster = self.cluster.clone();
        let id = self.b.node(
            name,
            name,
            Some(&cluster),
            NodeSpec::SecretStore(ProductProps {
                product: "Kubernetes Secret".into(),
            }),
        );
        self.secret_stores.insert(name.to_string(), id.clone());
        id
    }

    fn workload(&mut self, i: usize) {
        let o = self.objects[i].clone();
        let template = match o.kind.as_str() {
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job" => at(&o.value, &["spec", "template"]),
            "CronJob" => at(&o.value, &["spec", "jobTemplate", "spec", "template"]),
            "Pod" => Some(&o.value),
            _ => return,
        };
        self.mapped.insert(i);
        // Pods and ReplicaSets a controller owns (as `kubectl get -o yaml` lists them) are
        // that controller's.
        if matches!(o.kind.as_str(), "Pod" | "ReplicaSet")
            && at(&o.value, &["metadata", "ownerReferences"]).is_some()
        {
            return;
        }
        let Some(template) = template else {
            self.b.note(
                NoteKind::NotMapped,
                &o.file,
                o.line,
                &o.label(),
                "no pod template",
            );
            return;
        };
        let labels = labels_of(at(template, &["metadata", "labels"]));
        let pod = template.get("spec").cloned().unwrap_or_default();
        let containers: Vec<&Value> = items(pod.get("containers")).collect();
        let Some(main) = containers.first().copied() else {
            self.b.note(
                NoteKind::NotMapped,
                &o.file,
                o.line,
                &o.label(),
                "no container",
            );
            return;
        };
        for extra in containers.iter().skip(1) {
            let name = str_at(extra, &["name"]).unwrap_or("?");
            self.b.note(NoteKind::NotMapped, &o.file, o.line, &o.label(), format!("container `{name}` (a sidecar) is not drawn; the first container is the workload"));
        }
        let image = str_at(main, &["image"]).unwrap_or_default();
        let (image_name, tag) = images::split(image);
        let replicas = at(&o.value, &["spec", "replicas"])
            .and_then(Value::as_u64)
            .map_or(1, |n| n.min(u64::from(u32::MAX)) as u32);
        let ns_node = self.namespace_node(&o.ns);
        let preferred = str_at(
            &o.value,
            &["metadata", "annotations", "infracanvas.io/node-id"],
        )
        .map_or_else(|| format!("{}-{}", o.ns, o.name), str::to_string);
        let spec = match images::recognise(&image_name, &tag) {
            Role::Component(mut spec) => {
                match &mut spec {
                    NodeSpec::Database(p) => p.replicas = replicas.saturating_sub(1),
                    NodeSpec::Cache(p) => p.replicas = replicas.saturating_sub(1),
                    NodeSpec::Queue(p) => p.replicas = replicas.saturating_sub(1),
                    _ => {}
                }
                spec
            }
            Role::Balancer(product) => NodeSpec::LoadBalancer(LoadBalancerProps {
                product: product.into(),
                public: false,
                tls: false,
                ..Default::default()
            }),
            Role::Ingress(class) => NodeSpec::IngressController(IngressProps {
                class: class.into(),
                tls: false,
            }),
            Role::Workload => {
                NodeSpec::Workload(self.workload_props(&o, main, &pod, image_name, tag, replicas))
            }
        };
        let node = self.b.node(&preferred, &o.name, Some(&ns_node), spec);
        if o.kind == "DaemonSet" {
            self.b.note(
                NoteKind::NotMapped,
                &o.file,
                o.line,
                &o.label(),
                "runs one pod per node; the design keeps one replica",
            );
        }
        self.units.push(Unit {
            node,
            ns: o.ns.clone(),
            kind: o.kind.clone(),
            name: o.name.clone(),
            labels,
            file: o.file.clone(),
            line: o.line,
        });
    }

    fn workload_props(
        &mut self,
        o: &Obj,
        c: &Value,
        pod: &Value,
        image: String,
        tag: String,
        replicas: u32,
    ) -> WorkloadProps {
        let mut w = WorkloadProps {
            workload_type: match o.kind.as_str() {
                "StatefulSet" => WorkloadType::Stateful,
                "Job" | "CronJob" => WorkloadType::Job,
                _ => WorkloadType::Stateless,
            },
            image,
            tag,
            replicas: replicas.max(1),
            ..WorkloadProps::default()
        };
        if o.kind == "Deployment"
            && str_at(&o.value, &["spec", "strategy", "type"]) == Some("Recreate")
        {
            w.strategy = Strategy::Recreate;
        }
        for p in items(c.get("ports")) {
            let Some(port) = port_number(p.get("containerPort")) else {
                continue;
            };
            let name = str_at(p, &["name"]).unwrap_or_default().to_string();
            let protocol = protocol_hint(&name, "", str_at(p, &["protocol"]).unwrap_or("TCP"))
                .unwrap_or_default();
            if !w.ports.iter().any(|q| q.port == port) {
                w.ports.push(Port {
                    name,
                    port,
                    protocol,
                });
            }
        }
        let q = |path: &[&str]| {
            at(c, &["resources"])
                .and_then(|r| at(r, path))
                .and_then(scalar)
                .unwrap_or_default()
        };
        w.resources = Resources {
            cpu_request: q(&["requests", "cpu"]),
            cpu_limit: q(&["limits", "cpu"]),
            memory_request: q(&["requests", "memory"]),
            memory_limit: q(&["limits", "memory"]),
        };
        w.liveness = self.probe(o, c, "livenessProbe");
        w.readiness = self.probe(o, c, "readinessProbe");
        let owner = o.name.clone();
        for e in items(c.get("env")) {
            let Some(name) = str_at(e, &["name"]) else {
                continue;
            };
            if let Some(v) = e.get("value") {
                let value = scalar(v).unwrap_or_default();
                self.push_env(&mut w, o, &owner, name, value);
            } else if let Some(r) = at(e, &["valueFrom", "secretKeyRef"]) {
                let (Some(secret), Some(key)) = (str_at(r, &["name"]), str_at(r, &["key"])) else {
                    continue;
                };
                let store = self.secret_store(secret);
                w.env.push(EnvVar {
                    name: name.into(),
                    value: EnvValue::Secret {
                        store,
                        key: key.into(),
                    },
                });
            } else if let Some(r) = at(e, &["valueFrom", "configMapKeyRef"]) {
                let (Some(map), Some(key)) = (str_at(r, &["name"]), str_at(r, &["key"])) else {
                    continue;
                };
                let id = (o.ns.clone(), map.to_string());
                match self.config_maps.get(&id).and_then(|m| m.get(key)).cloned() {
                    Some(value) => {
                        self.used_config_maps.insert(id);
                        self.push_env(&mut w, o, &owner, name, value);
                    }
                    None => self.b.note(
                        NoteKind::Unresolved,
                        &o.file,
                        o.line,
                        &o.label(),
                        format!(
                            "{name} reads ConfigMap `{map}` key `{key}`, which is not in the files"
                        ),
                    ),
                }
            } else {
                self.b.note(NoteKind::NotMapped, &o.file, o.line, &o.label(), format!("{name}: a value from the pod's fields or resources has no place in the design"));
            }
        }
        for from in items(c.get("envFrom")) {
            if let Some(map) = str_at(from, &["configMapRef", "name"]) {
                let id = (o.ns.clone(), map.to_string());
                match self.config_maps.get(&id).cloned() {
                    Some(data) => {
                        self.used_config_maps.insert(id);
                        for (k, v) in data {
                            self.push_env(&mut w, o, &owner, &k, v);
                        }
                    }
                    None => self.b.note(
                        NoteKind::Unresolved,
                        &o.file,
                        o.line,
                        &o.label(),
                        format!("reads ConfigMap `{map}`, which is not in the files"),
                    ),
                }
            } else if let Some(secret) = str_at(from, &["secretRef", "name"]) {
                match self.secrets.get(&(o.ns.clone(), secret.to_string())).cloned() {
                    Some(keys) => {
                        let store = self.secret_store(secret);
                        for k in keys {
                            w.env.push(EnvVar { name: k.clone(), value: EnvValue::Secret { store: store.clone(), key: k } });
                        }
                    }
                    None => self.b.note(NoteKind::Unresolved, &o.file, o.line, &o.label(), format!("reads every key of Secret `{secret}`, which is not in the files; add the references by hand")),
                }
            }
        }
        let _ = pod;
        w
    }

    /// A plain variable, or a reference to the cluster's secret store when it holds a secret.
    fn push_env(&mut self, w: &mut WorkloadProps, o: &Obj, owner: &str, name: &str, value: String) {
        if w.env.iter().any(|v| v.name == name) {
            return;
        }
        if is_secret(name, &value) {
            let store = self.secret_store("secrets");
            self.b.note(NoteKind::SecretDropped, &o.file, o.line, &o.label(), format!("{name}: the value written in the manifest was dropped; it refers to secret store `secrets` instead"));
            w.env.push(EnvVar {
                name: name.into(),
                value: EnvValue::Secret {
                    store,
                    key: key_for(owner, name),
                },
            });
        } else {
            w.env.push(EnvVar {
                name: name.into(),
                value: EnvValue::Plain(value),
            });
        }
    }

    fn probe(&mut self, o: &Obj, c: &Value, field: &str) -> Option<Probe> {
        let p = c.get(field)?;
        let named = |port: &Value| -> Option<u16> {
            port_number(Some(port)).or_else(|| {
                let name = port.as_str()?;
                items(c.get("ports"))
                    .find(|q| str_at(q, &["name"]) == Some(name))
                    .and_then(|q| port_number(q.get("containerPort")))
            })
        };
        if let Some(g) = p.get("httpGet") {
            return Some(Probe {
                path: str_at(g, &["path"]).unwrap_or("/").to_string(),
                port: g.get("port").and_then(named).unwrap_or(0),
            });
        }
        if let Some(port) = at(p, &["tcpSocket", "port"]).or_else(|| at(p, &["grpc", "port"])) {
            return Some(Probe {
                path: String::new(),
                port: named(port).unwrap_or(0),
            });
        }
        self.b.note(
            NoteKind::NotMapped,
            &o.file,
            o.line,
            &o.label(),
            format!("{field}: a command probe has no place in the design (HTTP and TCP probes do)"),
        );
        None
    }

    /// A CloudNativePG `Cluster`: a self-hosted PostgreSQL with its instances, reached at the
    /// `<name>-rw`, `-ro` and `-r` Services the operator makes.
    fn postgres_cluster(&mut self, i: usize) {
        let o = self.objects[i].clone();
        let api = str_at(&o.value, &["apiVersion"]).unwrap_or_default();
        if o.kind != "Cluster" || !api.starts_with("postgresql.cnpg.io/") {
            return;
        }
        self.mapped.insert(i);
        let instances = at(&o.value, &["spec", "instances"])
            .and_then(Value::as_u64)
            .map_or(1, |n| n.min(u64::from(u32::MAX)) as u32);
        let image = str_at(&o.value, &["spec", "imageName"]).unwrap_or_default();
        let version = images::version(&images::split(image).1);
        let ns_node = self.namespace_node(&o.ns);
        let preferred = str_at(
            &o.value,
            &["metadata", "annotations", "infracanvas.io/node-id"],
        )
        .map_or_else(|| format!("{}-{}", o.ns, o.name), str::to_string);
        let spec = NodeSpec::Database(StoreProps {
            engine: DatabaseEngine::Postgresql,
            version,
            managed: false,
            replicas: instances.saturating_sub(1),
            ..StoreProps::default()
        });
        let node = self.b.node(&preferred, &o.name, Some(&ns_node), spec);
        for suffix in ["rw", "ro", "r"] {
            self.services.insert(
                (o.ns.clone(), format!("{}-{suffix}", o.name)),
                vec![node.clone()],
            );
        }
        let labels = BTreeMap::from([("cnpg.io/cluster".to_string(), o.name.clone())]);
        self.units.push(Unit {
            node,
            ns: o.ns.clone(),
            kind: o.kind.clone(),
            name: o.name.clone(),
            labels,
            file: o.file.clone(),
            line: o.line,
        });
    }

    /// An external-secrets `ExternalSecret`: the Secret it makes is a secret store reference
    /// like any other; the values stay in the external store.
    fn external_secret(&mut self, i: usize) {
        let o = self.objects[i].clone();
        let api = str_at(&o.value, &["apiVersion"]).unwrap_or_default();
        if o.kind != "ExternalSecret" || !api.starts_with("external-secrets.io/") {
            return;
        }
        self.mapped.insert(i);
        let target = str_at(&o.value, &["spec", "target", "name"])
            .unwrap_or(&o.name)
            .to_string();
        let keys: Vec<String> = items(at(&o.value, &["spec", "data"]))
            .filter_map(|d| str_at(d, &["secretKey"]).map(str::to_string))
            .collect();
        self.secrets.entry((o.ns.clone(), target)).or_insert(keys);
    }

    fn units_in(&self, ns: &str, selector: &BTreeMap<String, String>) -> Vec<NodeId> {
        self.units
            .iter()
            .filter(|u| u.ns == ns && selects(selector, &u.labels))
            .map(|u| u.node.clone())
            .collect()
    }

    fn service(&mut self, i: usize) {
        let o = self.objects[i].clone();
        self.mapped.insert(i);
        let spec = o.value.get("spec").cloned().unwrap_or_default();
        let kind = str_at(&spec, &["type"]).unwrap_or("ClusterIP");
        if kind == "ExternalName" {
            let id = self.outside(&o, &spec);
            self.services
                .insert((o.ns.clone(), o.name.clone()), vec![id]);
            return;
        }
        let selector = labels_of(spec.get("selector"));
        if selector.is_empty() {
            self.b.note(
                NoteKind::NotMapped,
                &o.file,
                o.line,
                &o.label(),
                "no selector: its endpoints are outside the files",
            );
            return;
        }
        let targets = self.units_in(&o.ns, &selector);
        if targets.is_empty() {
            self.b.note(
                NoteKind::Unresolved,
                &o.file,
                o.line,
                &o.label(),
                "selects no workload in the files",
            );
        }
        let external = matches!(kind, "LoadBalancer" | "NodePort");
        for t in &targets {
            for p in items(spec.get("ports")) {
                let hint = protocol_hint(
                    str_at(p, &["name"]).unwrap_or_default(),
                    str_at(p, &["appProtocol"]).unwrap_or_default(),
                    str_at(p, &["protocol"]).unwrap_or("TCP"),
                );
                let target_port = p.get("targetPort").or_else(|| p.get("port"));
                if let (Some(w), Some(protocol)) = (self.b.workload_mut(t), hint) {
                    for wp in &mut w.ports {
                        let hit = match target_port {
                            Some(Value::String(name)) => wp.name == *name,
                            v => port_number(v) == Some(wp.port),
                        };
                        if hit {
                            wp.protocol = protocol;
                        }
                    }
                }
            }
            if external {
                self.expose(t, "");
            }
        }
        self.services
            .insert((o.ns.clone(), o.name.clone()), targets);
    }

    /// An `ExternalName` Service: a provider's managed store when it says which engine (the
    /// export writes `infracanvas.io/engine` and `<store>.<provider>.internal`), placed in a
    /// region of that provider; any other outside system at the top of the design.
    fn outside(&mut self, o: &Obj, spec: &Value) -> NodeId {
        let host = str_at(spec, &["externalName"])
            .unwrap_or_default()
            .to_string();
        let preferred = str_at(
            &o.value,
            &["metadata", "annotations", "infracanvas.io/node-id"],
        )
        .map_or_else(|| format!("{}-{}", o.ns, o.name), str::to_string);
        let engine = str_at(
            &o.value,
            &["metadata", "annotations", "infracanvas.io/engine"],
        )
        .unwrap_or_default();
        // The engine name the export wrote, read as a stock image of that name would be, but
        // reached outside the cluster: a provider's managed service.
        let store = match images::recognise(engine, "") {
            Role::Component(NodeSpec::Database(p)) => {
                Some(NodeSpec::Database(StoreProps { managed: true, ..p }))
            }
            Role::Component(NodeSpec::Cache(p)) => {
                Some(NodeSpec::Cache(StoreProps { managed: true, ..p }))
            }
            Role::Component(NodeSpec::Queue(p)) => {
                Some(NodeSpec::Queue(StoreProps { managed: true, ..p }))
            }
            _ => None,
        };
        if let Some(id) = self.outside_nodes.get(&preferred) {
            return id.clone();
        }
        let Some(store) = store else {
            let id = self.b.node(
                &preferred,
                &o.name,
                None,
                NodeSpec::ExternalSystem(ProductProps { product: host }),
            );
            self.outside_nodes.insert(preferred, id.clone());
            return id;
        };
        let provider_name = host
            .strip_suffix(".internal")
            .and_then(|h| h.split_once('.'))
            .map_or("external", |(_, p)| p)
            .to_string();
        let region = match self.regions.get(&provider_name) {
            Some(r) => r.clone(),
            None => {
                let cloud = Cloud::ALL
                    .into_iter()
                    .find(|c| {
                        crate::model::names::kube_name_or(c.label(), "cloud") == provider_name
                    })
                    .unwrap_or(Cloud::Other);
                let provider = self.b.node(
                    &provider_name,
                    &provider_name,
                    None,
                    NodeSpec::Provider(ProviderProps { cloud }),
                );
                let region = self.b.node(
                    &format!("{provider_name}-region"),
                    "region",
                    Some(&provider),
                    NodeSpec::Region(RegionProps::default()),
                );
                self.regions.insert(provider_name, region.clone());
                region
            }
        };
        let id = self.b.node(&preferred, &o.name, Some(&region), store);
        self.outside_nodes.insert(preferred, id.clone());
        id
    }

    /// Marks a node as reached from outside the cluster.
    fn expose(&mut self, id: &str, host: &str) {
        match self.b.spec_mut(id) {
            Some(NodeSpec::Workload(w)) => {
                w.exposure = Exposure::External;
                if w.host.is_empty() {
                    w.host = host.to_string();
                }
            }
            Some(NodeSpec::LoadBalancer(p)) => p.public = true,
            Some(NodeSpec::Database(p)) => p.public = true,
            Some(NodeSpec::Cache(p)) => p.public = true,
            Some(NodeSpec::Queue(p)) => p.public = true,
            _ => {}
        }
    }

    fn unit_named(&self, ns: &str, kind: &str, name: &str) -> Option<NodeId> {
        self.units
            .iter()
            .find(|u| u.ns == ns && u.name == name && (kind.is_empty() || u.kind == kind))
            .map(|u| u.node.clone())
    }

    fn autoscaler(&mut self, i: usize) {
        let o = self.objects[i].clone();
        self.mapped.insert(i);
        let spec = o.value.get("spec").cloned().unwrap_or_default();
        let kind = str_at(&spec, &["scaleTargetRef", "kind"]).unwrap_or_default();
        let name = str_at(&spec, &["scaleTargetRef", "name"]).unwrap_or_default();
        let Some(target) = self.unit_named(&o.ns, kind, name) else {
            self.b.note(
                NoteKind::Unresolved,
                &o.file,
                o.line,
                &o.label(),
                format!("scales {kind} `{name}`, which is not in the files"),
            );
            return;
        };
        let cpu = items(spec.get("metrics"))
            .find(|m| str_at(m, &["resource", "name"]) == Some("cpu"))
            .and_then(|m| at(m, &["resource", "target", "averageUtilization"]))
            .or_else(|| spec.get("targetCPUUtilizationPercentage"))
            .and_then(Value::as_u64)
            .map_or(80, |n| n.min(100) as u8);
        let min = spec
            .get("minReplicas")
            .and_then(Value::as_u64)
            .map_or(1, |n| n.min(u64::from(u32::MAX)) as u32);
        let max = spec
            .get("maxReplicas")
            .and_then(Value::as_u64)
            .map_or(min, |n| n.min(u64::from(u32::MAX)) as u32);
        match self.b.workload_mut(&target) {
            Some(w) => {
                w.autoscaling = Some(Autoscaling {
                    min,
                    max,
                    target_cpu: cpu,
                })
            }
            None => self.b.note(
                NoteKind::NotMapped,
                &o.file,
                o.line,
                &o.label(),
                "autoscales a data store or balancer; the design scales only workloads",
            ),
        }
    }

    /// A Flagger Canary: the rollout strategy of the workload it targets.
    fn canary(&mut self, i: usize) {
        let o = self.objects[i].clone();
        if !str_at(&o.value, &["apiVersion"])
            .unwrap_or_default()
            .starts_with("flagger.app/")
        {
            return;
        }
        self.mapped.insert(i);
        let name = str_at(&o.value, &["spec", "targetRef", "name"]).unwrap_or_default();
        let Some(target) = self.unit_named(&o.ns, "", name) else {
            self.b.note(
                NoteKind::Unresolved,
                &o.file,
                o.line,
                &o.label(),
                format!("targets `{name}`, which is not in the files"),
            );
            return;
        };
        let a = at(&o.value, &["spec", "analysis"])
            .cloned()
            .unwrap_or_default();
        let num = |key: &str| a.get(key).and_then(Value::as_u64);
        let mut analysis = RolloutAnalysis::default();
        if let Some(m) = str_at(&a, &["interval"]).and_then(minutes) {
            analysis.interval_minutes = m;
        }
        if let Some(n) = num("threshold") {
            analysis.threshold = n.min(u64::from(u32::MAX)) as u32;
        }
        if let Some(n) = num("iterations") {
            analysis.iterations = n.min(u64::from(u32::MAX)) as u32;
        }
        for m in items(a.get("metrics")) {
            match str_at(m, &["name"]) {
                Some("request-success-rate") => {
                    if let Some(v) = at(m, &["thresholdRange", "min"]).and_then(Value::as_f64) {
                        analysis.min_success_percent = v.clamp(0.0, 100.0) as u8;
                    }
                }
                Some("request-duration") => {
                    if let Some(v) = at(m, &["thresholdRange", "max"]).and_then(Value::as_f64) {
                        analysis.max_latency_ms = v.clamp(0.0, f64::from(u32::MAX)) as u32;
                    }
                }
                _ => {}
            }
        }
        let strategy = if let Some(step) = num("stepWeight") {
            Strategy::Canary {
                step_weight: step.min(100) as u8,
                max_weight: num("maxWeight").unwrap_or(50).min(100) as u8,
            }
        } else if a.get("match").is_some() {
            let mut flags = Vec::new();
            let mut headers = Vec::new();
            for m in items(a.get("match")) {
                for (header, rule) in entries(m.get("headers")) {
                    let Some(value) = str_at(rule, &["exact"]) else {
                        continue;
                    };
                    match header.strip_prefix("x-feature-") {
                        Some(flag) if value == "on" => flags.push(flag.to_string()),
                        _ => headers.push(HeaderMatch {
                            header: header.clone(),
                            value: value.into(),
                        }),
                    }
                }
            }
            Strategy::AbTesting { flags, headers }
        } else if self.objects.iter().any(|d| {
            d.kind == "Deployment"
                && d.ns == o.ns
                && d.name == name
                && str_at(
                    &d.value,
                    &["metadata", "annotations", "infracanvas.io/strategy"],
                ) == Some("A/B testing")
        }) {
            // Drawn as A/B testing, written as blue-green because the cluster's provider
            // cannot route by header (the export's annotation says what was drawn).
            Strategy::AbTesting {
                flags: Vec::new(),
                headers: Vec::new(),
            }
        } else {
            Strategy::BlueGreen
        };
        if let Some(w) = self.b.workload_mut(&target) {
            w.strategy = strategy;
            w.analysis = analysis;
        }
    }

    fn ingress(&mut self, i: usize) {
        let o = self.objects[i].clone();
        self.mapped.insert(i);
        let spec = o.value.get("spec").cloned().unwrap_or_default();
        let class = str_at(&spec, &["ingressClassName"])
            .or_else(|| {
                str_at(
                    &o.value,
                    &["metadata", "annotations", "kubernetes.io/ingress.class"],
                )
            })
            .unwrap_or("nginx")
            .to_string();
        let tls = items(spec.get("tls")).next().is_some();
        let controller = self.ingress_controller(&class);
        if tls {
            if let Some(NodeSpec::IngressController(p)) = self.b.spec_mut(&controller) {
                p.tls = true;
            }
        }
        let mut backends: Vec<(String, Option<Value>, String)> = Vec::new();
        let backend = |b: &Value| -> Option<(String, Option<Value>)> {
            let name = str_at(b, &["service", "name"]).or_else(|| str_at(b, &["serviceName"]))?;
            let port = at(b, &["service", "port", "number"])
                .or_else(|| at(b, &["service", "port", "name"]))
                .or_else(|| b.get("servicePort"))
                .cloned();
            Some((name.to_string(), port))
        };
        if let Some((n, p)) = spec
            .get("defaultBackend")
            .or_else(|| spec.get("backend"))
            .and_then(backend)
        {
            backends.push((n, p, String::new()));
        }
        for rule in items(spec.get("rules")) {
            let host = str_at(rule, &["host"]).unwrap_or_default().to_string();
            for path in items(at(rule, &["http", "paths"])) {
                if let Some((n, p)) = path.get("backend").and_then(backend) {
                    backends.push((n, p, host.clone()));
                }
            }
        }
        for (service, port, host) in backends {
            // Flagger makes the Service of the workload it rolls out, named after it.
            let by_name = || self.unit_named(&o.ns, "", &service).map(|u| vec![u]);
            let Some(targets) = self
                .services
                .get(&(o.ns.clone(), service.clone()))
                .cloned()
                .or_else(by_name)
            else {
                self.b.note(
                    NoteKind::Unresolved,
                    &o.file,
                    o.line,
                    &o.label(),
                    format!("routes to Service `{service}`, which is not in the files"),
                );
                continue;
            };
            for t in targets {
                self.expose(&t, &host);
                self.b.link(
                    &controller,
                    &t,
                    port.as_ref().and_then(|p| port_number(Some(p))),
                    None,
                );
            }
        }
    }

    /// Each overlay's differences as the environment's overrides: image tags (`images:`),
    /// replicas, resources and image of a workload patch, an autoscaler patch, an Ingress host
    /// patch, and autoscalers the environment alone has.
    fn overlays(&mut self) {
        for o in self.overlays.clone() {
            let env = node_id(&o.env);
            let file = format!("{}/kustomization.yaml", o.dir);
            for image in items(o.kustomization.get("images")) {
                let (Some(name), Some(tag)) = (
                    str_at(image, &["name"]),
                    image.get("newTag").and_then(scalar),
                ) else {
                    continue;
                };
                for u in self.units.clone() {
                    if let Some(w) = self.b.workload_mut(&u.node) {
                        if w.image == name && w.tag != tag {
                            w.overrides.entry(env.clone()).or_default().tag = Some(tag.clone());
                        }
                    }
                }
            }
            let mut own: Vec<String> = items(o.kustomization.get("resources"))
                .filter_map(Value::as_str)
                .map(|r| join(&o.dir, r))
                .filter(|r| self.sources.contains_key(r))
                .collect();
            for p in items(o.kustomization.get("patches")) {
                let Some(path) = str_at(p, &["path"]) else {
                    self.b.note(
                        NoteKind::NotMapped,
                        &file,
                        0,
                        "patch",
                        "an inline patch is not read",
                    );
                    continue;
                };
                let path = join(&o.dir, path);
                let Some(source) = self.sources.get(&path).cloned() else {
                    self.b.note(
                        NoteKind::NotMapped,
                        &file,
                        0,
                        &path,
                        "patch not among the files",
                    );
                    continue;
                };
                let docs = yaml::documents(&source, &mut self.b.notes);
                for d in docs {
                    match p.get("target") {
                        Some(target) => self.json_patch(&env, target, &d.value, &path, d.line),
                        None => self.merge_patch(&env, &d.value, &path, d.line),
                    }
                }
            }
            own.sort();
            for path in own {
                let Some(source) = self.sources.get(&path).cloned() else {
                    continue;
                };
                for d in yaml::documents(&source, &mut self.b.notes) {
                    if str_at(&d.value, &["kind"]) == Some("HorizontalPodAutoscaler") {
                        self.merge_patch(&env, &d.value, &path, d.line);
                    } else {
                        self.b.note(
                            NoteKind::NotMapped,
                            &path,
                            d.line,
                            str_at(&d.value, &["kind"]).unwrap_or_default(),
                            "an object only one environment has is not read into the design",
                        );
                    }
                }
            }
        }
    }

    /// A strategic-merge patch of a workload or its autoscaler.
    fn merge_patch(&mut self, env: &str, doc: &Value, file: &str, line: usize) {
        let kind = str_at(doc, &["kind"]).unwrap_or_default();
        let name = str_at(doc, &["metadata", "name"]).unwrap_or_default();
        let ns = str_at(doc, &["metadata", "namespace"]).unwrap_or("default");
        let target_kind = if kind == "HorizontalPodAutoscaler" {
            ""
        } else {
            kind
        };
        let Some(node) = self.unit_named(ns, target_kind, name) else {
            self.b.note(
                NoteKind::Unresolved,
                file,
                line,
                &format!("{kind} {ns}/{name}"),
                "patches an object that is not in the files",
            );
            return;
        };
        let spec = doc.get("spec").cloned().unwrap_or_default();
        let Some(w) = self.b.workload_mut(&node) else {
            return;
        };
        let o = w.overrides.entry(env.to_string()).or_default();
        if kind == "HorizontalPodAutoscaler" {
            let min = spec
                .get("minReplicas")
                .and_then(Value::as_u64)
                .map_or(1, |n| n.min(u64::from(u32::MAX)) as u32);
            let max = spec
                .get("maxReplicas")
                .and_then(Value::as_u64)
                .map_or(min, |n| n.min(u64::from(u32::MAX)) as u32);
            let cpu = items(spec.get("metrics"))
                .find_map(|m| {
                    at(m, &["resource", "target", "averageUtilization"]).and_then(Value::as_u64)
                })
                .map_or(80, |n| n.min(100) as u8);
            o.autoscaling = Some(Autoscaling {
                min,
                max,
                target_cpu: cpu,
            });
            return;
        }
        if let Some(n) = spec
            .get("replicas")
            .or_else(|| spec.get("parallelism"))
            .and_then(Value::as_u64)
        {
            o.replicas = Some(n.min(u64::from(u32::MAX)) as u32);
        }
        let first = items(at(&spec, &["template", "spec", "containers"]))
            .next()
            .cloned();
        if let Some(c) = first {
            if let Some(image) = str_at(&c, &["image"]) {
                o.tag = Some(images::split(image).1);
            }
            if let Some(r) = c.get("resources") {
                let q = |path: &[&str]| at(r, path).and_then(scalar).unwrap_or_default();
                o.resources = Some(Resources {
                    cpu_request: q(&["requests", "cpu"]),
                    cpu_limit: q(&["limits", "cpu"]),
                    memory_request: q(&["requests", "memory"]),
                    memory_limit: q(&["limits", "memory"]),
                });
            }
        }
    }

    /// A JSON patch with a target: an Ingress's host in one environment.
    fn json_patch(&mut self, env: &str, target: &Value, ops: &Value, file: &str, line: usize) {
        let name = str_at(target, &["name"]).unwrap_or_default();
        let ns = str_at(target, &["namespace"]).unwrap_or("default");
        let host = items(Some(ops))
            .find(|op| str_at(op, &["path"]) == Some("/spec/rules/0/host"))
            .and_then(|op| str_at(op, &["value"]));
        let (Some(host), Some("Ingress")) = (host, str_at(target, &["kind"])) else {
            self.b.note(
                NoteKind::NotMapped,
                file,
                line,
                name,
                "a JSON patch other than an Ingress host is not read",
            );
            return;
        };
        // The Ingress is named after its workload.
        if let Some(node) = self.unit_named(ns, "", name) {
            if let Some(w) = self.b.workload_mut(&node) {
                w.overrides.entry(env.to_string()).or_default().host = Some(host.to_string());
            }
        }
    }

    /// Ingress controllers into the namespace the exposed workloads admit traffic from, when
    /// there is exactly one such namespace and it holds no workload of the files.
    fn place_ingress_controllers(&mut self) {
        let candidates: Vec<&String> = self
            .ingress_namespaces
            .iter()
            .filter(|n| !self.units.iter().any(|u| &u.ns == *n))
            .collect();
        let [ns] = candidates.as_slice() else { return };
        let ns = (*ns).clone();
        let controllers: Vec<NodeId> = self
            .b
            .design
            .nodes
            .iter()
            .filter(|n| {
                n.kind() == Kind::IngressController
                    && n.parent.as_deref() == Some(self.cluster.as_str())
            })
            .map(|n| n.id.clone())
            .collect();
        for id in controllers {
            let class = match self.b.spec_mut(&id) {
                Some(NodeSpec::IngressController(p)) => p.class.clone(),
                _ => continue,
            };
            // The export's own place for a controller outside any namespace.
            if ns == format!("ingress-{class}") {
                continue;
            }
            let parent = self.namespace_node(&ns);
            if let Some(node) = self.b.design.node_mut(&id) {
                node.parent = Some(parent);
            }
        }
    }

    /// Managed stores into a subnet of the address block their clients' egress rules name.
    fn place_managed_stores(&mut self) {
        let mut subnets: BTreeMap<(NodeId, String), NodeId> = BTreeMap::new();
        for (source, port, cidr) in self.address_blocks.clone() {
            let targets: Vec<NodeId> = self
                .b
                .design
                .edges
                .iter()
                .filter(|e| e.from == source)
                .map(|e| e.to.clone())
                .collect();
            for t in targets {
                let Some(node) = self.b.design.node(&t) else {
                    continue;
                };
                let Some(region) = node
                    .parent
                    .clone()
                    .filter(|p| self.regions.values().any(|r| r == p))
                else {
                    continue;
                };
                if images::store_port(&node.spec) != Some(port) {
                    continue;
                }
                let subnet = match subnets.get(&(region.clone(), cidr.clone())) {
                    Some(s) => s.clone(),
                    None => {
                        let s = self.b.node(
                            &format!("subnet-{cidr}"),
                            &cidr,
                            Some(&region),
                            NodeSpec::Subnet(SubnetProps {
                                visibility: Visibility::Private,
                                cidr: cidr.clone(),
                            }),
                        );
                        subnets.insert((region.clone(), cidr.clone()), s.clone());
                        s
                    }
                };
                if let Some(node) = self.b.design.node_mut(&t) {
                    node.parent = Some(subnet);
                }
            }
        }
    }

    fn ingress_controller(&mut self, class: &str) -> NodeId {
        let id = node_id(&format!("ingress-{class}"));
        if self.b.kind(&id) == Some(Kind::IngressController) {
            return id;
        }
        let cluster = self.cluster.clone();
        self.b.node(
            &id,
            &format!("{class} ingress"),
            Some(&cluster),
            NodeSpec::IngressController(IngressProps {
                class: class.into(),
                tls: false,
            }),
        )
    }

    /// The units a NetworkPolicy peer selects, seen from namespace `ns`; none for peers that
    /// are address blocks or whole namespaces (DNS, monitoring), which are not links.
    fn peers(&self, ns: &str, peer: &Value) -> Vec<NodeId> {
        let Some(pods) = peer.get("podSelector") else {
            return Vec::new();
        };
        let selector = selector_of(Some(pods));
        let peer_ns = match peer.get("namespaceSelector") {
            None => Some(ns.to_string()),
            Some(sel) => selector_of(Some(sel))
                .get("kubernetes.io/metadata.name")
                .cloned(),
        };
        match peer_ns {
            Some(pns) => self.units_in(&pns, &selector),
            None => self
                .units
                .iter()
                .filter(|u| selects(&selector, &u.labels))
                .map(|u| u.node.clone())
                .collect(),
        }
    }

    fn network_policy(&mut self, i: usize) {
        let o = self.objects[i].clone();
        self.mapped.insert(i);
        let spec = o.value.get("spec").cloned().unwrap_or_default();
        let selected = self.units_in(&o.ns, &selector_of(spec.get("podSelector")));
        let port_of =
            |rule: &Value| items(rule.get("ports")).find_map(|p| port_number(p.get("port")));
        for rule in items(spec.get("ingress")) {
            let port = port_of(rule);
            for peer in items(rule.get("from")) {
                if peer.get("podSelector").is_none() {
                    if let Some(n) = selector_of(peer.get("namespaceSelector"))
                        .get("kubernetes.io/metadata.name")
                    {
                        self.ingress_namespaces.insert(n.clone());
                    }
                }
                for source in self.peers(&o.ns, peer) {
                    for target in &selected {
                        self.b.link(&source, target, port, None);
                    }
                }
            }
        }
        for rule in items(spec.get("egress")) {
            let port = port_of(rule);
            for peer in items(rule.get("to")) {
                if let (Some(cidr), Some(port)) = (str_at(peer, &["ipBlock", "cidr"]), port) {
                    for source in &selected {
                        self.address_blocks
                            .push((source.clone(), port, cidr.to_string()));
                    }
                }
                for target in self.peers(&o.ns, peer) {
                    for source in &selected {
                        self.b.link(source, &target, port, None);
                    }
                }
            }
        }
    }

    /// What a host names, seen from namespace `ns`: `svc`, `svc.ns`, `svc.ns.svc`,
    /// `svc.ns.svc.cluster.local`. `None` for a host outside the cluster.
    fn resolve(&self, ns: &str, host: &str) -> Option<Vec<NodeId>> {
        let short = host.strip_suffix(".cluster.local").unwrap_or(host);
        let in_cluster = short.ends_with(".svc");
        let short = short.strip_suffix(".svc").unwrap_or(short);
        let parts: Vec<&str> = short.split('.').collect();
        let service = |ns: &str, name: &str| {
            self.services
                .get(&(ns.to_string(), name.to_string()))
                .cloned()
        };
        let found = match parts.as_slice() {
            // `pod.service` and `pod.service.ns.svc`: a pod of a headless Service.
            [_, svc] if service(ns, svc).is_some() && service(svc, parts[0]).is_none() => {
                service(ns, svc)
            }
            [_, svc, n] if in_cluster => service(n, svc),
            [svc] => self
                .services
                .get(&(ns.to_string(), svc.to_string()))
                .cloned()
                .or_else(|| {
                    let mut all = self.services.iter().filter(|((_, s), _)| s == svc);
                    match (all.next(), all.next()) {
                        (Some((_, t)), None) => Some(t.clone()),
                        _ => None,
                    }
                }),
            [svc, n] => self
                .services
                .get(&(n.to_string(), svc.to_string()))
                .cloned(),
            _ => return None,
        };
        Some(found.unwrap_or_default())
    }

    /// Links from environment values that name a Service (`REDIS_ADDR=redis-cart:6379`); the
    /// connection settings the Kubernetes export writes for a store (`<STORE>_HOST/_PORT/
    /// _ENGINE`) become the link alone, since the export writes them again from it.
    fn env_links(&mut self) {
        for u in self.units.clone() {
            let Some(NodeSpec::Workload(w)) = self.b.design.node(&u.node).map(|n| n.spec.clone())
            else {
                continue;
            };
            let label = format!("{} {}/{}", u.kind, u.ns, u.name);
            let mut drop = BTreeSet::new();
            for v in &w.env {
                let EnvValue::Plain(value) = &v.value else {
                    continue;
                };
                for r in references(&v.name, value) {
                    match self.resolve(&u.ns, &r.host) {
                        None => {}
                        Some(targets) if targets.is_empty() => {
                            self.b.note(
                                NoteKind::Unresolved,
                                &u.file,
                                u.line,
                                &label,
                                format!(
                                    "{} names `{}`, which no Service in the files is called",
                                    v.name, r.host
                                ),
                            );
                        }
                        Some(targets) => {
                            for t in &targets {
                                self.b.link(&u.node, t, r.port, None);
                                let store = self.b.kind(t).is_some_and(Kind::is_data_store);
                                let prefix = r
                                    .host
                                    .split('.')
                                    .next()
                                    .unwrap_or_default()
                                    .to_ascii_uppercase()
                                    .replace('-', "_");
                                if store && v.name == format!("{prefix}_HOST") {
                                    drop.extend([
                                        format!("{prefix}_HOST"),
                                        format!("{prefix}_PORT"),
                                        format!("{prefix}_ENGINE"),
                                    ]);
                                }
                            }
                        }
                    }
                }
            }
            if !drop.is_empty() {
                if let Some(w) = self.b.workload_mut(&u.node) {
                    w.env.retain(|v| !drop.contains(&v.name));
                }
            }
        }
    }

    fn report_rest(&mut self) {
        for (i, o) in self.objects.iter().enumerate() {
            let used = o.kind == "ConfigMap"
                && self
                    .used_config_maps
                    .contains(&(o.ns.clone(), o.name.clone()));
            if self.mapped.contains(&i) || used {
                continue;
            }
            let why = match o.kind.as_str() {
                "ConfigMap" => "no workload in the files reads it".to_string(),
                "ServiceAccount" | "Role" | "RoleBinding" | "ClusterRole"
                | "ClusterRoleBinding" => "access control is not part of the design".to_string(),
                "PersistentVolumeClaim" | "PersistentVolume" | "StorageClass" => {
                    "storage is implied by stateful workloads and stores".to_string()
                }
                "CustomResourceDefinition" => {
                    "custom resource definitions are not part of the design".to_string()
                }
                kind => format!("the design has no place for a {kind}"),
            };
            let (file, line, label) = (o.file.clone(), o.line, o.label());
            self.b.note(NoteKind::NotMapped, &file, line, &label, why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_and_normalise() {
        assert_eq!(join("a/overlays/prod", "../../base"), "a/base");
        assert_eq!(join("", "./x.yaml"), "x.yaml");
        assert_eq!(join("/t/k", "../b"), "/t/b");
    }

    #[test]
    fn intervals_are_minutes() {
        assert_eq!(minutes("1m"), Some(1));
        assert_eq!(minutes("30s"), Some(1));
        assert_eq!(minutes("2h"), Some(120));
        assert_eq!(minutes("x"), None);
    }

    #[test]
    fn a_list_is_unpacked_and_a_service_links_its_pods() {
        let text = r#"
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api, namespace: shop}
  spec:
    replicas: 3
    template:
      metadata: {labels: {app: api}}
      spec:
        containers:
        - name: api
          image: shop/api:1.0
          ports: [{containerPort: 9000}]
          env: [{name: DB, value: "postgres://db:5432/shop"}, {name: NOPE_ADDR, value: "nope:1"}]
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: db, namespace: shop}
  spec:
    replicas: 2
    template:
      metadata: {labels: {app: db}}
      spec: {containers: [{name: db, image: "postgres:16"}]}
- apiVersion: v1
  kind: Service
  metadata: {name: db, namespace: shop}
  spec: {selector: {app: db}, ports: [{port: 5432}]}
- apiVersion: v1
  kind: Service
  metadata: {name: api, namespace: shop}
  spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 80, targetPort: 9000, appProtocol: grpc}]}
"#;
        let out = import(&[Source::new("all.yaml", text)], "c").unwrap();
        let d = &out.design;
        let api = d.nodes.iter().find(|n| n.name == "api").unwrap();
        let w = api.spec.workload().unwrap();
        assert_eq!(
            (w.replicas, w.exposure, w.ports[0].protocol),
            (3, Exposure::External, Protocol::Grpc)
        );
        let db = d.nodes.iter().find(|n| n.name == "db").unwrap();
        let NodeSpec::Database(p) = &db.spec else {
            panic!("{:?}", db.spec)
        };
        assert_eq!(
            (p.version.as_str(), p.replicas, p.managed),
            ("16", 1, false)
        );
        assert_eq!(d.edges.len(), 1);
        assert_eq!(
            (d.edges[0].from.as_str(), d.edges[0].to.as_str()),
            (api.id.as_str(), db.id.as_str())
        );
        assert!(
            out.notes
                .iter()
                .any(|n| n.kind == NoteKind::Unresolved && n.message.contains("`nope`")),
            "{:?}",
            out.notes
        );
        assert_eq!(d.node(api.parent.as_deref().unwrap()).unwrap().name, "shop");
    }

    #[test]
    fn a_cloudnativepg_cluster_is_a_postgres_reached_at_its_rw_service() {
        let text = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec: {instances: 3, imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4'}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: db}\nspec: {template: {spec: {containers: [{image: api, env: [{name: DB, value: 'postgres://pg-rw:5432/app'}]}]}}}\n";
        let out = import(&[Source::new("x.yaml", text)], "c").unwrap();
        let pg = out.design.nodes.iter().find(|n| n.name == "pg").unwrap();
        let NodeSpec::Database(p) = &pg.spec else {
            panic!()
        };
        assert_eq!((p.version.as_str(), p.replicas), ("16.4", 2));
        assert_eq!(out.design.edges.len(), 1);
        assert_eq!(out.design.edges[0].to, pg.id);
    }

    #[test]
    fn nothing_to_import_is_an_error() {
        let e = import(
            &[Source::new(
                "x.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n",
            )],
            "c",
        )
        .unwrap_err();
        assert!(e.message.contains("no workload"));
        assert_eq!(e.notes.len(), 1);
    }
}
