//! Docker Compose files (a project, or a base file with overrides) read into one Swarm/Compose
//! cluster.
//!
//! Each service becomes a workload, or a data store, balancer or operations tool when its image
//! is a stock one. Ports (short and long syntax) and `expose` give the ports, published ports
//! the exposure; `deploy` gives replicas and resources, `healthcheck` an HTTP or TCP probe;
//! `depends_on`, `links` and environment values that name another service give the links.
//! Password-like environment values and URLs with a password become references to the
//! project's secret store, their values dropped; `*_FILE=/run/secrets/…` variables become
//! references too. Networks, named volumes, profiles and `build:` are reported.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::build::Builder;
use super::images::{self, Role};
use super::refs::references;
use super::secrets::{is_secret, key_for};
use super::yaml::{self, at, entries, items, scalar, str_at};
use super::{ImportError, Imported, NoteKind, Source};
use crate::model::*;

/// Where the project's secret references point.
const SECRET_STORE: &str = "secrets";

/// Imports Compose files as one project; later files override earlier ones (as `docker compose
/// -f a.yml -f b.yml` does: mappings merge key by key, anything else is replaced).
/// `name` is used when the files set no `name:`.
pub fn import(sources: &[Source], name: &str) -> Result<Imported, ImportError> {
    let mut b = Builder::new(name);
    let mut project = Map::new();
    let mut services: BTreeMap<String, (Map<String, Value>, String, usize)> = BTreeMap::new();
    let mut texts: BTreeMap<String, &str> = BTreeMap::new();
    for s in sources {
        texts.insert(s.path.clone(), &s.text);
        let docs = yaml::documents(s, &mut b.notes);
        if docs.len() > 1 {
            b.note(
                NoteKind::NotMapped,
                &s.path,
                docs[1].line,
                "",
                "a Compose file has one document; the others were left out",
            );
        }
        let Some(doc) = docs.into_iter().next() else {
            continue;
        };
        let Value::Object(top) = doc.value else {
            b.note(
                NoteKind::Unreadable,
                &s.path,
                doc.line,
                "",
                "not a Compose file (not a mapping)",
            );
            continue;
        };
        if top.get("services").is_none() {
            b.note(
                NoteKind::Unreadable,
                &s.path,
                doc.line,
                "",
                "not a Compose file (no `services`)",
            );
        }
        for (key, value) in top {
            if key == "services" {
                let lines = service_lines(&s.text, doc.line);
                for (svc, def) in entries(Some(&value)) {
                    let line = lines.get(svc).copied().unwrap_or(doc.line);
                    let Value::Object(def) = def.clone() else {
                        b.note(
                            NoteKind::Unreadable,
                            &s.path,
                            line,
                            &format!("service {svc}"),
                            "not a mapping",
                        );
                        continue;
                    };
                    let entry = services
                        .entry(svc.clone())
                        .or_insert_with(|| (Map::new(), s.path.clone(), line));
                    merge(&mut entry.0, def);
                }
            } else if let Some(Value::Object(existing)) = project.get_mut(&key) {
                if let Value::Object(more) = value {
                    existing.extend(more);
                }
            } else {
                project.insert(key, value);
            }
        }
    }
    let first = sources.first().map(|s| s.path.clone()).unwrap_or_default();
    let name = project
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string();
    let name = if name.trim().is_empty() {
        "compose".to_string()
    } else {
        name
    };
    b.design.name = name.clone();
    let cluster = b.node(
        "swarm",
        &name,
        None,
        NodeSpec::SwarmCluster(SwarmProps::default()),
    );
    let mut reader = Reader {
        b,
        cluster,
        nodes: BTreeMap::new(),
        secret_stores: BTreeMap::new(),
        first,
        traefik: Vec::new(),
    };
    for (svc, (def, file, line)) in &services {
        reader.service(svc, def, file, *line);
    }
    for (svc, (def, file, line)) in &services {
        reader.links(svc, def, file, *line);
    }
    reader.project(&project, &services);
    reader.b.finish("no services found in the Compose files")
}

/// The label naming the drawn node a service comes from (written by the Compose export).
const NODE_LABEL: &str = "infracanvas.node";

/// A service label, from `deploy.labels` (Swarm) or `labels`, as a mapping or a `KEY=VALUE`
/// list.
fn label(def: &Map<String, Value>, key: &str) -> Option<String> {
    let deploy = def.get("deploy").and_then(|d| d.get("labels"));
    [deploy, def.get("labels")]
        .into_iter()
        .flatten()
        .find_map(|labels| match labels {
            Value::Object(m) => m.get(key).and_then(scalar),
            Value::Array(list) => list.iter().filter_map(scalar).find_map(|e| {
                let (k, v) = e.split_once('=')?;
                (k == key).then(|| v.to_string())
            }),
            _ => None,
        })
}

/// Every label of a service whose key starts with `prefix`, as (key, value).
fn labels_with(def: &Map<String, Value>, prefix: &str) -> Vec<(String, String)> {
    let deploy = def.get("deploy").and_then(|d| d.get("labels"));
    let mut out = Vec::new();
    for labels in [deploy, def.get("labels")].into_iter().flatten() {
        match labels {
            Value::Object(m) => out.extend(
                m.iter()
                    .filter(|(k, _)| k.starts_with(prefix))
                    .filter_map(|(k, v)| Some((k.clone(), scalar(v)?))),
            ),
            Value::Array(list) => out.extend(list.iter().filter_map(scalar).filter_map(|e| {
                let (k, v) = e.split_once('=')?;
                k.starts_with(prefix)
                    .then(|| (k.to_string(), v.to_string()))
            })),
            _ => {}
        }
    }
    out
}

/// How Traefik routes to a service its labels enable: (port, host of a `Host(…)` rule).
fn traefik_route(def: &Map<String, Value>) -> Option<(Option<u16>, Option<String>)> {
    if !label(def, "traefik.enable").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return None;
    }
    let labels = labels_with(def, "traefik.http.");
    let port = labels.iter().find_map(|(k, v)| {
        k.ends_with(".loadbalancer.server.port")
            .then(|| v.trim().parse::<u16>().ok())
            .flatten()
    });
    let host = labels.iter().find_map(|(k, v)| {
        if !(k.starts_with("traefik.http.routers.") && k.ends_with(".rule")) {
            return None;
        }
        let rest = v.split("Host(").nth(1)?;
        let host = rest.trim_start_matches(['`', '"', '\'']);
        let end = host.find(['`', '"', '\'', ')', ','])?;
        let host = host[..end].trim();
        (!host.is_empty()).then(|| host.to_string())
    });
    Some((port, host))
}

/// Merges an override into a service definition: mappings key by key, other values replaced.
fn merge(base: &mut Map<String, Value>, over: Map<String, Value>) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(b)), Value::Object(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

struct Reader {
    b: Builder,
    cluster: NodeId,
    /// Service name → node.
    nodes: BTreeMap<String, NodeId>,
    secret_stores: BTreeMap<String, NodeId>,
    first: String,
    /// Traefik services: (service, the network its provider reads labels on).
    traefik: Vec<(String, String)>,
}

/// `0.5` → `500m`, `2` → `2`: Compose CPUs as a Kubernetes quantity.
fn cpus(value: &Value) -> String {
    let text = scalar(value).unwrap_or_default();
    match text.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n.fract() != 0.0 => format!("{}m", (n * 1000.0).round() as u64),
        Ok(n) if n > 0.0 => format!("{}", n as u64),
        _ => text,
    }
}

/// `512M` → `512Mi`: Compose byte sizes are binary (Docker reads `M` as MiB).
fn memory(value: &Value) -> String {
    let text = scalar(value).unwrap_or_default();
    let t = text.trim();
    let digits = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    match unit {
        "" => number.to_string(),
        "k" => format!("{number}Ki"),
        "m" => format!("{number}Mi"),
        "g" => format!("{number}Gi"),
        "t" => format!("{number}Ti"),
        _ => text,
    }
}

/// One port entry: (container port, published?, UDP?).
fn port_entry(entry: &Value) -> Option<(u16, bool, bool)> {
    match entry {
        Value::Object(_) => {
            let target = entry
                .get("target")
                .and_then(|v| scalar(v)?.parse::<u16>().ok())?;
            let local = str_at(entry, &["host_ip"]).is_some_and(is_loopback);
            let published = entry.get("published").is_some() && !local;
            let udp = str_at(entry, &["protocol"]).is_some_and(|p| p.eq_ignore_ascii_case("udp"));
            Some((target, published, udp))
        }
        v => {
            let text = scalar(v)?;
            let (spec, proto) = text.split_once('/').unwrap_or((&text, "tcp"));
            let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
            let container = parts[0].split('-').next()?.parse::<u16>().ok()?;
            // `127.0.0.1:8080:80` publishes to the host alone, not to the network.
            let local = parts.get(2).is_some_and(|ip| is_loopback(ip));
            Some((
                container,
                parts.len() > 1 && !local,
                proto.eq_ignore_ascii_case("udp"),
            ))
        }
    }
}

/// The line of every key of `services:` (at that mapping's indentation: the same name deeper
/// down, under `depends_on:`, is not a service), in one pass over the text.
fn service_lines(text: &str, from: usize) -> BTreeMap<String, usize> {
    let services = yaml::line_of_key(text, from, "services");
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let lines = text.lines().enumerate().skip(services);
    let mut indent = None;
    let mut found = BTreeMap::new();
    for (i, l) in lines {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let here = indent_of(l);
        let want = *indent.get_or_insert(here);
        if here < want {
            break;
        }
        if here == want {
            let key = t
                .split(':')
                .next()
                .unwrap_or_default()
                .trim_matches(['"', '\'']);
            found.entry(key.to_string()).or_insert(i + 1);
        }
    }
    found
}

fn is_loopback(ip: &str) -> bool {
    let ip = ip.trim_matches(['[', ']']);
    ip.starts_with("127.") || ip == "::1" || ip == "localhost"
}

/// An HTTP probe from a healthcheck that fetches a local URL (`curl -f
/// http://localhost:8080/health`, `wget -q -O- http://127.0.0.1/ready`).
fn probe(test: &Value) -> Option<Probe> {
    let text = match test {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(scalar)
            .collect::<Vec<_>>()
            .join(" "),
        _ => return None,
    };
    let url = text.split_whitespace().find_map(|t| {
        t.strip_prefix("http://")
            .or_else(|| t.strip_prefix("https://"))
    })?;
    let (authority, path) = url.split_once('/').map_or((url, ""), |(a, p)| (a, p));
    let (host, port) = authority
        .split_once(':')
        .map_or((authority, "80"), |(h, p)| (h, p));
    if !matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]") {
        return None;
    }
    let path: String = path
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '\'' && *c != '"')
        .collect();
    Some(Probe {
        path: format!("/{path}"),
        port: port.parse().ok()?,
    })
}

impl Reader {
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
                product: "Docker secrets".into(),
            }),
        );
        self.secret_stores.insert(name.to_string(), id.clone());
        id
    }

    fn service(&mut self, svc: &str, def: &Map<String, Value>, file: &str, line: usize) {
        let object = format!("service {svc}");
        let def_v = Value::Object(def.clone());
        let image = match def.get("image").and_then(Value::as_str) {
            Some(i) => i.to_string(),
            None => {
                if def.contains_key("build") {
                    self.b.note(
                        NoteKind::NotMapped,
                        file,
                        line,
                        &object,
                        "built from source (`build:`); the image is named after the service",
                    );
                } else {
                    self.b.note(
                        NoteKind::NotMapped,
                        file,
                        line,
                        &object,
                        "no image; named after the service",
                    );
                }
                svc.to_string()
            }
        };
        let (image_name, tag) = images::split(&image);
        let replicas = at(&def_v, &["deploy", "replicas"])
            .or_else(|| def.get("scale"))
            .and_then(Value::as_u64)
            .map_or(1, |n| n.min(u64::from(u32::MAX)) as u32);
        let mut ports: Vec<Port> = Vec::new();
        let mut published = false;
        for p in items(def.get("ports")) {
            match port_entry(p) {
                Some((port, public, udp)) => {
                    published |= public;
                    if !ports.iter().any(|q| q.port == port) {
                        ports.push(Port {
                            name: String::new(),
                            port,
                            protocol: if udp { Protocol::Udp } else { Protocol::Http },
                        });
                    }
                }
                None => self.b.note(
                    NoteKind::NotMapped,
                    file,
                    line,
                    &object,
                    "a port entry that could not be read",
                ),
            }
        }
        for p in items(def.get("expose")) {
            if let Some(port) = scalar(p).and_then(|t| t.split('/').next()?.parse::<u16>().ok()) {
                if !ports.iter().any(|q| q.port == port) {
                    ports.push(Port {
                        name: String::new(),
                        port,
                        protocol: Protocol::Http,
                    });
                }
            }
        }
        let cluster = self.cluster.clone();
        let spec = match images::recognise(&image_name, &tag) {
            Role::Component(mut spec) => {
                match &mut spec {
                    NodeSpec::Database(p) => {
                        (p.replicas, p.public) = (replicas.saturating_sub(1), published)
                    }
                    NodeSpec::Cache(p) => {
                        (p.replicas, p.public) = (replicas.saturating_sub(1), published)
                    }
                    NodeSpec::Queue(p) => {
                        (p.replicas, p.public) = (replicas.saturating_sub(1), published)
                    }
                    _ => {}
                }
                self.store_env(def, file, line, &object);
                spec
            }
            Role::Balancer(product) | Role::Ingress(product) => {
                self.store_env(def, file, line, &object);
                if product == "Traefik" {
                    // The network its Swarm (or Docker) provider reads labels on.
                    let network = items(def.get("command"))
                        .filter_map(scalar)
                        .chain(def.get("command").and_then(scalar))
                        .flat_map(|c| {
                            c.split_whitespace()
                                .filter_map(|a| {
                                    a.strip_prefix("--providers.swarm.network=")
                                        .or_else(|| a.strip_prefix("--providers.docker.network="))
                                        .map(str::to_string)
                                })
                                .collect::<Vec<_>>()
                        })
                        .next()
                        .unwrap_or_default();
                    self.traefik.push((svc.to_string(), network));
                }
                NodeSpec::LoadBalancer(LoadBalancerProps {
                    product: product.into(),
                    public: published,
                    tls: ports.iter().any(|p| p.port == 443),
                    ..Default::default()
                })
            }
            Role::Workload => {
                let mut w = WorkloadProps {
                    image: image_name,
                    tag,
                    ports,
                    replicas: replicas.max(1),
                    ..WorkloadProps::default()
                };
                if published {
                    w.exposure = Exposure::External;
                }
                // Routed from outside by Traefik's labels: external, on the routed port, at
                // the rule's host.
                if let Some((port, host)) = traefik_route(def) {
                    w.exposure = Exposure::External;
                    if let Some(port) = port.filter(|p| !w.ports.iter().any(|q| q.port == *p)) {
                        w.ports.push(Port {
                            name: String::new(),
                            port,
                            protocol: Protocol::Http,
                        });
                    }
                    if let Some(host) = host {
                        w.host = host;
                    }
                }
                let limits = at(&def_v, &["deploy", "resources", "limits"]);
                let reservations = at(&def_v, &["deploy", "resources", "reservations"]);
                w.resources = Resources {
                    cpu_limit: limits
                        .and_then(|l| l.get("cpus"))
                        .map(cpus)
                        .unwrap_or_default(),
                    memory_limit: limits
                        .and_then(|l| l.get("memory"))
                        .map(memory)
                        .unwrap_or_default(),
                    cpu_request: reservations
                        .and_then(|l| l.get("cpus"))
                        .map(cpus)
                        .unwrap_or_default(),
                    memory_request: reservations
                        .and_then(|l| l.get("memory"))
                        .map(memory)
                        .unwrap_or_default(),
                };
                if let Some(test) = at(&def_v, &["healthcheck", "test"]) {
                    match probe(test) {
                        Some(p) => w.readiness = Some(p),
                        None if str_at(&def_v, &["healthcheck", "disable"]).is_none() && !matches!(test, Value::Array(a) if a.first().and_then(Value::as_str) == Some("NONE")) => {
                            self.b.note(NoteKind::NotMapped, file, line, &object, "healthcheck: a command that fetches no local URL has no place in the design (HTTP and TCP probes do)")
                        }
                        None => {}
                    }
                }
                if at(&def_v, &["deploy", "update_config", "order"]).and_then(Value::as_str)
                    == Some("stop-first")
                {
                    w.strategy = Strategy::Recreate;
                }
                if items(def.get("volumes")).any(|v| match v {
                    Value::String(s) => {
                        s.split(':')
                            .next()
                            .is_some_and(|src| !src.starts_with(['.', '/', '~', '$']))
                            && s.contains(':')
                    }
                    v => str_at(v, &["type"]) == Some("volume"),
                }) {
                    w.workload_type = WorkloadType::Stateful;
                }
                self.env(&mut w, svc, def, file, line, &object);
                NodeSpec::Workload(w)
            }
        };
        // A stack exported by Infracanvas names the drawn node of each service.
        let preferred = label(def, NODE_LABEL).unwrap_or_else(|| svc.to_string());
        let id = self.b.node(&preferred, svc, Some(&cluster), spec);
        self.nodes.insert(svc.to_string(), id);
        if let Some(profiles) = def.get("profiles").and_then(Value::as_array) {
            let names: Vec<String> = profiles.iter().filter_map(scalar).collect();
            self.b.note(
                NoteKind::NotMapped,
                file,
                line,
                &object,
                format!(
                    "only in profile(s) {}; the design draws it always",
                    names.join(", ")
                ),
            );
        }
        if def.contains_key("env_file") {
            self.b.note(
                NoteKind::NotMapped,
                file,
                line,
                &object,
                "env_file is not read (its values may be secrets)",
            );
        }
    }

    /// The environment of a service, as (name, value) pairs; a list entry without `=` has no
    /// value (taken from the shell).
    fn environment(def: &Map<String, Value>) -> Vec<(String, Option<String>)> {
        match def.get("environment") {
            Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect(),
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(scalar)
                .map(|e| match e.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (e, None),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A store's or balancer's own settings are not kept (the export writes its own); any
    /// secret among them is reported as dropped.
    fn store_env(&mut self, def: &Map<String, Value>, file: &str, line: usize, object: &str) {
        for (name, value) in Self::environment(def) {
            if let Some(value) = value {
                if is_secret(&name, &value) && !value.is_empty() {
                    self.b.note(NoteKind::SecretDropped, file, line, object, format!("{name}: the value was dropped; the export takes the store's password from a secret"));
                }
            }
        }
    }

    fn env(
        &mut self,
        w: &mut WorkloadProps,
        svc: &str,
        def: &Map<String, Value>,
        file: &str,
        line: usize,
        object: &str,
    ) {
        for (name, value) in Self::environment(def) {
            let Some(value) = value else {
                self.b.note(
                    NoteKind::NotMapped,
                    file,
                    line,
                    object,
                    format!("{name}: taken from the shell; no value to keep"),
                );
                continue;
            };
            if let Some(secret) = name
                .strip_suffix("_FILE")
                .filter(|_| value.starts_with("/run/secrets/"))
            {
                let file_name = &value["/run/secrets/".len()..];
                // The Compose export names secrets `<store>_<key>`.
                let (store, key) = file_name
                    .split_once('_')
                    .unwrap_or((SECRET_STORE, file_name));
                let store = self.secret_store(store);
                w.env.push(EnvVar {
                    name: secret.into(),
                    value: EnvValue::Secret {
                        store,
                        key: key.into(),
                    },
                });
            } else if is_secret(&name, &value) {
                let store = self.secret_store(SECRET_STORE);
                if !value.is_empty() {
                    self.b.note(NoteKind::SecretDropped, file, line, object, format!("{name}: the value was dropped; it refers to secret store `{SECRET_STORE}` instead"));
                }
                let key = key_for(svc, &name);
                w.env.push(EnvVar {
                    name,
                    value: EnvValue::Secret { store, key },
                });
            } else {
                w.env.push(EnvVar {
                    name,
                    value: EnvValue::Plain(value),
                });
            }
        }
    }

    fn links(&mut self, svc: &str, def: &Map<String, Value>, file: &str, line: usize) {
        let Some(from) = self.nodes.get(svc).cloned() else {
            return;
        };
        let object = format!("service {svc}");
        let mut named: Vec<(String, Option<u16>)> = Vec::new();
        match def.get("depends_on") {
            Some(Value::Array(list)) => {
                named.extend(list.iter().filter_map(scalar).map(|s| (s, None)))
            }
            Some(Value::Object(m)) => named.extend(m.keys().map(|s| (s.clone(), None))),
            _ => {}
        }
        for l in items(def.get("links")).filter_map(scalar) {
            named.push((l.split(':').next().unwrap_or_default().to_string(), None));
        }
        // Traefik routes to the services its labels enable (the one on the same network).
        if let Some((port, _)) = traefik_route(def) {
            let network = label(def, "traefik.swarm.network")
                .or_else(|| label(def, "traefik.docker.network"))
                .unwrap_or_default();
            let entry = self
                .traefik
                .iter()
                .find(|(_, n)| !n.is_empty() && *n == network)
                .or(self.traefik.first())
                .and_then(|(entry, _)| self.nodes.get(entry).cloned());
            match entry {
                Some(entry) => {
                    let port = port.or_else(|| match self.b.design.node(&from).map(|n| &n.spec) {
                        Some(NodeSpec::Workload(w)) => w.ports.first().map(|p| p.port),
                        _ => None,
                    });
                    self.b.link(&entry, &from, port, None);
                }
                None => self.b.note(
                    NoteKind::Unresolved,
                    file,
                    line,
                    &object,
                    "routed by Traefik labels, but no Traefik service is in the files",
                ),
            }
        }
        // Every variable's value, secret ones included: a password in a URL does not hide the
        // host it names (only the host is kept).
        let env: Vec<(String, String)> = if matches!(self.b.kind(&from), Some(Kind::Workload)) {
            Self::environment(def)
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect()
        } else {
            Vec::new()
        };
        let mut drop = BTreeSet::new();
        for (name, value) in &env {
            // A secret's value is read only for the host of a URL it holds, and a host that
            // resolves to nothing is not reported: the report never quotes part of a secret.
            let secret = is_secret(name, value);
            if secret && !value.contains("://") {
                continue;
            }
            for r in references(name, value) {
                let host = r.host.split('.').next().unwrap_or_default();
                if r.host.contains('.') && !self.nodes.contains_key(&r.host) {
                    // A dotted name is outside the project (`api.stripe.com`).
                    continue;
                }
                match self.nodes.get(host) {
                    Some(to) => {
                        let to = to.clone();
                        if self.b.kind(&to).is_some_and(Kind::is_data_store) {
                            let prefix = host.to_ascii_uppercase().replace(['-', '.'], "_");
                            if *name == format!("{prefix}_HOST") {
                                drop.extend([
                                    format!("{prefix}_HOST"),
                                    format!("{prefix}_PORT"),
                                    format!("{prefix}_ENGINE"),
                                ]);
                            }
                        }
                        named.push((host.to_string(), r.port));
                    }
                    None if secret => {}
                    None => self.b.note(
                        NoteKind::Unresolved,
                        file,
                        line,
                        &object,
                        format!(
                            "{name} names `{}`, which no service in the files is called",
                            r.host
                        ),
                    ),
                }
            }
        }
        for (to, port) in named {
            match self.nodes.get(&to).cloned() {
                Some(target) => {
                    let port =
                        port.or_else(|| match self.b.design.node(&target).map(|n| &n.spec) {
                            Some(NodeSpec::Workload(w)) => w.ports.first().map(|p| p.port),
                            _ => None,
                        });
                    self.b.link(&from, &target, port, None)
                }
                None => self.b.note(
                    NoteKind::Unresolved,
                    file,
                    line,
                    &object,
                    format!("depends on `{to}`, which is not a service in the files"),
                ),
            }
        }
        if !drop.is_empty() {
            if let Some(w) = self.b.workload_mut(&from) {
                w.env.retain(|v| !drop.contains(&v.name));
            }
        }
    }

    fn project(
        &mut self,
        project: &Map<String, Value>,
        services: &BTreeMap<String, (Map<String, Value>, String, usize)>,
    ) {
        let file = self.first.clone();
        for (key, value) in project {
            match key.as_str() {
                "name" | "version" | "services" => {}
                "networks" => {
                    let names: Vec<&String> = entries(Some(value)).map(|(k, _)| k).collect();
                    if !names.is_empty() {
                        self.b.note(NoteKind::NotMapped, &file, 0, "networks", format!("{} network(s) not drawn; the export splits internal and external networks itself", names.len()));
                    }
                }
                "volumes" => {
                    for (volume, _) in entries(Some(value)) {
                        let users: Vec<&String> = services
                            .iter()
                            .filter(|(_, (d, _, _))| {
                                items(d.get("volumes")).any(|v| {
                                    scalar(v).is_some_and(|s| s.starts_with(&format!("{volume}:")))
                                        || str_at(v, &["source"]) == Some(volume)
                                })
                            })
                            .map(|(s, _)| s)
                            .collect();
                        let message = match users.as_slice() {
                            [] => "named volume used by no service".to_string(),
                            users => format!(
                                "named volume kept as the state of {}",
                                users
                                    .iter()
                                    .map(|s| s.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        self.b.note(
                            NoteKind::NotMapped,
                            &file,
                            0,
                            &format!("volume {volume}"),
                            message,
                        );
                    }
                }
                "secrets" => {
                    self.secret_store(SECRET_STORE);
                    self.b.note(NoteKind::NotMapped, &file, 0, "secrets", format!("secret files are not read; the design refers to secret store `{SECRET_STORE}`"));
                }
                k if k.starts_with("x-") => {}
                k => self
                    .b
                    .note(NoteKind::NotMapped, &file, 0, k, "top-level key not mapped"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_part_of_a_secret_reaches_the_report() {
        let text = "services:\n  a:\n    image: x\n    environment:\n      API_TOKEN: tok3n:4242\n      DB_URL: postgres://u:p4ss@nowhere-host:5432/x\n";
        let out = import(&[Source::new("c.yaml", text)], "p").unwrap();
        let all = format!(
            "{:?}{}",
            out.notes,
            crate::model::to_json_pretty(&out.design)
        );
        assert!(
            !all.contains("tok3n") && !all.contains("p4ss") && !all.contains("nowhere-host"),
            "{all}"
        );
    }

    #[test]
    fn a_service_is_found_at_its_own_line() {
        let text = "name: x\nservices:\n  app:\n    depends_on:\n      db:\n        condition: x\n  db:\n    image: postgres\n";
        let lines = service_lines(text, 1);
        assert_eq!((lines["db"], lines["app"]), (7, 3));
    }

    #[test]
    fn sizes_and_cpus_become_quantities() {
        assert_eq!(cpus(&Value::from("0.5")), "500m");
        assert_eq!(cpus(&Value::from(2)), "2");
        assert_eq!(memory(&Value::from("512M")), "512Mi");
        assert_eq!(memory(&Value::from("1gb")), "1Gi");
    }

    #[test]
    fn ports_of_both_syntaxes() {
        assert_eq!(port_entry(&Value::from("8080:80")), Some((80, true, false)));
        assert_eq!(
            port_entry(&Value::from("127.0.0.1:5353:53/udp")),
            Some((53, false, true))
        );
        assert_eq!(
            port_entry(&Value::from("0.0.0.0:5353:53/udp")),
            Some((53, true, true))
        );
        assert_eq!(port_entry(&Value::from(3000)), Some((3000, false, false)));
        assert_eq!(
            port_entry(&Value::from("9000-9001")),
            Some((9000, false, false))
        );
        let long: Value =
            serde_json::json!({"target": 443, "published": "8443", "protocol": "tcp"});
        assert_eq!(port_entry(&long), Some((443, true, false)));
    }

    #[test]
    fn healthchecks_that_fetch_a_local_url_are_probes() {
        let p = probe(&serde_json::json!([
            "CMD",
            "curl",
            "-f",
            "http://localhost:8080/healthz"
        ]))
        .unwrap();
        assert_eq!((p.path.as_str(), p.port), ("/healthz", 8080));
        let p = probe(&Value::from(
            "wget -q -O /dev/null http://127.0.0.1:8080/ready || exit 1",
        ))
        .unwrap();
        assert_eq!(p.path, "/ready");
        assert!(probe(&Value::from("pg_isready")).is_none());
    }

    #[test]
    fn traefik_labels_route_from_the_traefik_service_and_name_the_node() {
        let text = "services:\n  proxy:\n    image: traefik:v3.3\n    command: [--providers.swarm.network=edge, --entrypoints.websecure.address=:443]\n    ports: ['443:443']\n  shop:\n    image: acme/shop:2\n    deploy:\n      labels:\n        infracanvas.node: web-shop\n        traefik.enable: 'true'\n        traefik.swarm.network: edge\n        traefik.http.routers.shop.rule: Host(`shop.example.com`) && PathPrefix(`/`)\n        traefik.http.services.shop.loadbalancer.server.port: '8080'\n  quiet:\n    image: acme/quiet:1\n    labels: [traefik.enable=false]\n";
        let out = import(&[Source::new("c.yaml", text)], "p").unwrap();
        let d = &out.design;
        let shop = d.nodes.iter().find(|n| n.name == "shop").unwrap();
        assert_eq!(shop.id, "web-shop");
        let w = shop.spec.workload().unwrap();
        assert_eq!(w.exposure, Exposure::External);
        assert_eq!(w.host, "shop.example.com");
        assert!(w.ports.iter().any(|p| p.port == 8080));
        let proxy = d.nodes.iter().find(|n| n.name == "proxy").unwrap();
        let e = d
            .edges
            .iter()
            .find(|e| e.from == proxy.id && e.to == shop.id)
            .expect("a link from Traefik to the routed service");
        assert!(matches!(&e.spec, EdgeSpec::Traffic(t) if t.port == Some(8080)));
        let quiet = d.nodes.iter().find(|n| n.name == "quiet").unwrap();
        assert!(!d.edges.iter().any(|e| e.to == quiet.id));
        assert_eq!(quiet.spec.workload().unwrap().exposure, Exposure::Internal);
    }
}
