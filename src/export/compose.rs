//! Docker Swarm / Compose export (seed 004): one `<cluster>/docker-stack.yml` per Swarm
//! cluster, and the same for any single cluster (Kubernetes included) on request.
//!
//! * services: each workload (and each self-hosted database, cache or queue in the cluster)
//!   with its pinned image, `deploy.replicas` (autoscaling has no Swarm equivalent: the
//!   autoscaling minimum is used), resources as limits / reservations, `update_config` with
//!   `start-first` for rolling, canary, blue-green and A/B, `stop-first` for recreate, and a
//!   healthcheck from the readiness (else liveness) probe;
//! * networks: `internal` (overlay, `internal: true`) for every service; `external` (overlay)
//!   in addition for services exposed externally or fed by an entry point (balancer, ingress,
//!   geo router, CDN, WAF). Ports are published only for externally exposed services;
//! * secrets: every secret reference becomes an external Swarm secret `<store>_<key>`
//!   (created beforehand with `docker secret create`), mounted into the service, and the
//!   variable `<NAME>_FILE=/run/secrets/<secret>` replaces the variable itself; no value is
//!   ever written;
//! * connection settings `<STORE>_HOST/_PORT/_ENGINE` for the stores a service uses.

use std::collections::BTreeMap;

use serde::Serialize;

use super::engines::{self, env_key, env_prefix, split_image, Store};
use super::kubernetes::plan::external_host;
use super::yaml::to_yaml;
use super::ExportFile;
use crate::model::names::{kube_name_or, unique_kube_names};
use crate::model::*;

#[derive(Debug, Serialize)]
struct Stack {
    services: BTreeMap<String, Service>,
    networks: BTreeMap<String, Network>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    volumes: BTreeMap<String, NamedVolume>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    secrets: BTreeMap<String, ExternalSecret>,
}

#[derive(Debug, Serialize)]
struct Service {
    image: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    environment: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    secrets: Vec<SecretRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ports: Vec<PortSpec>,
    networks: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    volumes: Vec<Mount>,
    read_only: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cap_drop: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    healthcheck: Option<Healthcheck>,
    deploy: Deploy,
}

#[derive(Debug, Serialize)]
struct SecretRef {
    source: String,
    target: String,
}

#[derive(Debug, Serialize)]
struct PortSpec {
    target: u16,
    published: u16,
    protocol: &'static str,
    mode: &'static str,
}

#[derive(Debug, Serialize)]
struct Mount {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    target: String,
}

#[derive(Debug, Serialize)]
struct Healthcheck {
    test: Vec<String>,
    interval: &'static str,
    timeout: &'static str,
    retries: u32,
    start_period: &'static str,
}

#[derive(Debug, Serialize)]
struct Deploy {
    mode: &'static str,
    replicas: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    resources: Option<DeployResources>,
    #[serde(skip_serializing_if = "Option::is_none")]
    update_config: Option<UpdateConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rollback_config: Option<UpdateConfig>,
    restart_policy: RestartPolicy,
}

#[derive(Debug, Serialize)]
struct DeployResources {
    #[serde(skip_serializing_if = "Option::is_none")]
    limits: Option<Amounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reservations: Option<Amounts>,
}

#[derive(Debug, Serialize)]
struct Amounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    cpus: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    memory: Option<String>,
}

#[derive(Debug, Serialize)]
struct UpdateConfig {
    parallelism: u32,
    order: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_action: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct RestartPolicy {
    condition: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_attempts: Option<u32>,
}

#[derive(Debug, Serialize)]
struct Network {
    driver: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    internal: bool,
}

#[derive(Debug, Serialize)]
struct NamedVolume {}

#[derive(Debug, Serialize)]
struct ExternalSecret {
    external: bool,
}

/// Folder names of every cluster, Kubernetes and Swarm alike, so the two exports agree.
fn cluster_folders(design: &Design) -> BTreeMap<&str, String> {
    unique_kube_names(
        design
            .nodes
            .iter()
            .filter(|n| n.kind().is_cluster())
            .map(|n| (n.id.as_str(), n.name.as_str())),
    )
}

/// One `<cluster>/docker-stack.yml` per Swarm cluster, sorted by path.
pub fn export(design: &Design) -> Vec<ExportFile> {
    // The graph and the design-wide names are made once, not once per cluster: the export
    // stays linear in the design's size however many clusters it has.
    let shared = Shared::new(design);
    let mut files: Vec<ExportFile> = design
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::SwarmCluster)
        .filter_map(|n| shared.stack(&n.id))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The stack of one cluster, Swarm or Kubernetes (its namespaces flattened into one stack);
/// `None` when `cluster_id` names no cluster.
pub fn export_cluster(design: &Design, cluster_id: &str) -> Option<ExportFile> {
    Shared::new(design).stack(cluster_id)
}

/// What every cluster's stack reads of the whole design.
struct Shared<'a> {
    g: DesignGraph<'a>,
    folders: BTreeMap<&'a str, String>,
    secret_stores: BTreeMap<&'a str, String>,
}

impl<'a> Shared<'a> {
    fn new(design: &'a Design) -> Self {
        Shared {
            g: DesignGraph::new(design),
            folders: cluster_folders(design),
            secret_stores: unique_kube_names(
                design
                    .nodes
                    .iter()
                    .filter(|n| n.kind() == Kind::SecretStore)
                    .map(|n| (n.id.as_str(), n.name.as_str())),
            ),
        }
    }

    fn stack(&self, cluster_id: &str) -> Option<ExportFile> {
        let Shared {
            g,
            folders,
            secret_stores,
        } = self;
        let cluster = g.index_of(cluster_id)?;
        if !g.kind(cluster).is_cluster() {
            return None;
        }
        let folder = folders.get(cluster_id).cloned()?;
        stack_file(g, cluster, folder, secret_stores)
    }
}

fn stack_file(
    g: &DesignGraph<'_>,
    cluster: usize,
    folder: String,
    secret_stores: &BTreeMap<&str, String>,
) -> Option<ExportFile> {
    // Services of the stack: workloads and self-hosted stores, directly in the cluster or in
    // its namespaces.
    let mut members: Vec<usize> = Vec::new();
    for i in g.descendants(cluster) {
        let parent_ok = g
            .parent(i)
            .is_some_and(|p| p == cluster || g.kind(p) == Kind::Namespace);
        if !parent_ok {
            continue;
        }
        match &g.node(i).spec {
            NodeSpec::Workload(_) => members.push(i),
            spec => {
                if engines::store(spec).is_some_and(|s| !s.managed) {
                    members.push(i);
                }
            }
        }
    }
    let names = unique_kube_names(
        members
            .iter()
            .map(|&i| (g.node(i).id.as_str(), g.node(i).name.as_str())),
    );
    let name_of = |i: usize| names.get(g.node(i).id.as_str()).cloned();

    let mut stack = Stack {
        services: BTreeMap::new(),
        networks: BTreeMap::new(),
        volumes: BTreeMap::new(),
        secrets: BTreeMap::new(),
    };
    let mut any_external = false;
    for &i in &members {
        let node = g.node(i);
        let Some(name) = name_of(i) else { continue };
        let service = match &node.spec {
            NodeSpec::Workload(w) => {
                let fed_by_entry = g.incoming(i).any(|(e, s)| {
                    matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute)
                        && g.kind(s).is_entry_point()
                });
                let external = w.exposure == Exposure::External || fed_by_entry;
                any_external |= external;
                workload_service(
                    g,
                    i,
                    &name,
                    w,
                    external,
                    secret_stores,
                    &name_of,
                    &mut stack.secrets,
                )
            }
            spec => {
                let Some(store) = engines::store(spec) else {
                    continue;
                };
                let volume = format!("{name}-data");
                stack.volumes.insert(volume.clone(), NamedVolume {});
                store_service(&name, store, volume, &mut stack.secrets)
            }
        };
        stack.services.insert(name, service);
    }
    stack.networks.insert(
        "internal".into(),
        Network {
            driver: "overlay",
            internal: true,
        },
    );
    if any_external {
        stack.networks.insert(
            "external".into(),
            Network {
                driver: "overlay",
                internal: false,
            },
        );
    }
    Some(ExportFile::new(
        format!("{folder}/docker-stack.yml"),
        to_yaml(&stack),
    ))
}

#[allow(clippy::too_many_arguments)]
fn workload_service(
    g: &DesignGraph<'_>,
    i: usize,
    name: &str,
    w: &WorkloadProps,
    external: bool,
    secret_stores: &BTreeMap<&str, String>,
    name_of: &dyn Fn(usize) -> Option<String>,
    secrets: &mut BTreeMap<String, ExternalSecret>,
) -> Service {
    let mut environment = BTreeMap::new();
    for (e, t) in g.outgoing(i) {
        if !matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::Access) {
            continue;
        }
        let Some(store) = engines::store(&g.node(t).spec) else {
            continue;
        };
        let (prefix, host) = match name_of(t) {
            Some(n) => (env_prefix(&n), n),
            None => (
                env_prefix(&kube_name_or(&g.node(t).name, &g.node(t).id)),
                external_host(g, t),
            ),
        };
        environment.insert(format!("{prefix}_HOST"), host);
        let port = engines::client(g, t, &store).port;
        environment.insert(format!("{prefix}_PORT"), port.to_string());
        environment.insert(format!("{prefix}_ENGINE"), store.engine.name.to_string());
    }
    let mut refs: Vec<SecretRef> = Vec::new();
    for v in &w.env {
        let key = env_key(&v.name);
        match &v.value {
            EnvValue::Plain(value) => {
                environment.insert(key, value.clone());
            }
            EnvValue::Secret {
                store,
                key: secret_key,
            } => {
                let store_name = secret_stores
                    .get(store.as_str())
                    .cloned()
                    .unwrap_or_else(|| kube_name_or(store, "secrets"));
                let secret = swarm_secret_name(&store_name, secret_key);
                environment.remove(&key);
                environment.insert(format!("{key}_FILE"), format!("/run/secrets/{secret}"));
                if !refs.iter().any(|r| r.source == secret) {
                    refs.push(SecretRef {
                        source: secret.clone(),
                        target: secret.clone(),
                    });
                }
                secrets.insert(secret, ExternalSecret { external: true });
            }
        }
    }
    refs.sort_by(|a, b| a.source.cmp(&b.source));
    // Plain variables named like a secret reference must not carry a value beside it.
    for v in &w.env {
        if matches!(v.value, EnvValue::Secret { .. }) {
            environment.remove(&env_key(&v.name));
        }
    }

    let job = w.workload_type == WorkloadType::Job;
    let ports = if w.exposure == Exposure::External && !job {
        let mut seen = Vec::new();
        w.ports
            .iter()
            .filter(|p| {
                p.port != 0 && !seen.contains(&(p.port, p.protocol)) && {
                    seen.push((p.port, p.protocol));
                    true
                }
            })
            .map(|p| PortSpec {
                target: p.port,
                published: p.port,
                protocol: if p.protocol == Protocol::Udp {
                    "udp"
                } else {
                    "tcp"
                },
                mode: "ingress",
            })
            .collect()
    } else {
        Vec::new()
    };
    let probe = w.readiness.as_ref().or(w.liveness.as_ref());
    let healthcheck = probe.and_then(|p| {
        let port = if p.port != 0 {
            p.port
        } else {
            w.ports.first()?.port
        };
        let cmd = if p.path.trim().is_empty() {
            format!("nc -z 127.0.0.1 {port} || exit 1")
        } else {
            let path = if p.path.starts_with('/') {
                p.path.clone()
            } else {
                format!("/{}", p.path)
            };
            format!("wget -q -O /dev/null http://127.0.0.1:{port}{path} || exit 1")
        };
        Some(Healthcheck {
            test: vec!["CMD-SHELL".into(), cmd],
            interval: "10s",
            timeout: "3s",
            retries: 3,
            start_period: "10s",
        })
    });
    let order = if w.strategy == Strategy::Recreate {
        "stop-first"
    } else {
        "start-first"
    };
    let replicas = match &w.autoscaling {
        Some(a) if !job => a.min.max(1),
        _ => w.replicas,
    };
    let mut networks = vec!["internal".to_string()];
    if external {
        networks.insert(0, "external".into());
    }
    Service {
        image: split_image(&w.image, &w.tag, name).2,
        environment,
        secrets: refs,
        ports,
        networks,
        volumes: vec![Mount {
            kind: "tmpfs",
            source: None,
            target: "/tmp".into(),
        }],
        read_only: true,
        cap_drop: vec!["ALL"],
        healthcheck,
        deploy: Deploy {
            mode: if job { "replicated-job" } else { "replicated" },
            replicas,
            resources: deploy_resources(&w.resources),
            update_config: (!job).then_some(UpdateConfig {
                parallelism: 1,
                order,
                failure_action: Some("rollback"),
                delay: Some("10s"),
            }),
            rollback_config: (!job).then_some(UpdateConfig {
                parallelism: 1,
                order,
                failure_action: None,
                delay: None,
            }),
            restart_policy: RestartPolicy {
                condition: "on-failure",
                max_attempts: job.then_some(3),
            },
        },
    }
}

/// A self-hosted store: one replica (Swarm replicas of a database are not a cluster), a named
/// volume, the admin password from an external secret through the image's `_FILE` variable.
fn store_service(
    name: &str,
    store: Store<'_>,
    volume: String,
    secrets: &mut BTreeMap<String, ExternalSecret>,
) -> Service {
    let mut environment = BTreeMap::new();
    let mut refs = Vec::new();
    if let Some(var) = store.engine.password_env {
        let secret = swarm_secret_name(name, "password");
        environment.insert(format!("{var}_FILE"), format!("/run/secrets/{secret}"));
        refs.push(SecretRef {
            source: secret.clone(),
            target: secret.clone(),
        });
        secrets.insert(secret, ExternalSecret { external: true });
    }
    let mut volumes = vec![Mount {
        kind: "volume",
        source: Some(volume),
        target: store.engine.data_path.into(),
    }];
    volumes.push(Mount {
        kind: "tmpfs",
        source: None,
        target: "/tmp".into(),
    });
    for path in store.engine.writable {
        volumes.push(Mount {
            kind: "tmpfs",
            source: None,
            target: (*path).into(),
        });
    }
    Service {
        image: store.image(),
        environment,
        secrets: refs,
        ports: Vec::new(),
        networks: vec!["internal".into()],
        volumes,
        read_only: store.engine.read_only_root,
        cap_drop: Vec::new(),
        healthcheck: store.engine.health_cmd.map(|cmd| Healthcheck {
            test: vec!["CMD-SHELL".into(), format!("{cmd} || exit 1")],
            interval: "10s",
            timeout: "3s",
            retries: 5,
            start_period: "30s",
        }),
        deploy: Deploy {
            mode: "replicated",
            replicas: 1,
            resources: deploy_resources(&Resources {
                cpu_request: "250m".into(),
                cpu_limit: "1".into(),
                memory_request: "512Mi".into(),
                memory_limit: "1Gi".into(),
            }),
            update_config: Some(UpdateConfig {
                parallelism: 1,
                order: "stop-first",
                failure_action: Some("rollback"),
                delay: Some("10s"),
            }),
            rollback_config: None,
            restart_policy: RestartPolicy {
                condition: "any",
                max_attempts: None,
            },
        },
    }
}

/// A Swarm secret name: `[a-z0-9_.-]`, from the store and the key (`vault_db_password`).
fn swarm_secret_name(store: &str, key: &str) -> String {
    let raw = format!("{store}_{key}");
    let mut s: String = raw
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.truncate(64);
    s
}

fn deploy_resources(r: &Resources) -> Option<DeployResources> {
    let amounts = |cpu: &str, mem: &str| {
        let a = Amounts {
            cpus: cpus(cpu),
            memory: memory(mem),
        };
        (a.cpus.is_some() || a.memory.is_some()).then_some(a)
    };
    let limits = amounts(&r.cpu_limit, &r.memory_limit);
    let reservations = amounts(&r.cpu_request, &r.memory_request);
    (limits.is_some() || reservations.is_some()).then_some(DeployResources {
        limits,
        reservations,
    })
}

/// Kubernetes CPU (`500m`, `2`, `0.5`) → Compose `cpus` (`0.5`, `2`).
fn cpus(q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    if let Some(milli) = q.strip_suffix('m') {
        let m: f64 = milli.parse().ok()?;
        return Some(trim_float(m / 1000.0));
    }
    let v: f64 = q.parse().ok()?;
    Some(trim_float(v))
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Kubernetes memory (`256Mi`, `1Gi`, `500M`, `1000000`) → Compose (`256M`, `1G`, bytes).
fn memory(q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    for (suffix, unit) in [("Ki", "K"), ("Mi", "M"), ("Gi", "G"), ("Ti", "T")] {
        if let Some(n) = q.strip_suffix(suffix) {
            return n.parse::<u64>().ok().map(|n| format!("{n}{unit}"));
        }
    }
    for (suffix, factor) in [("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)] {
        if let Some(n) = q.strip_suffix(suffix) {
            return n
                .parse::<f64>()
                .ok()
                .map(|n| format!("{}", (n * factor).round() as u64));
        }
    }
    q.parse::<f64>()
        .ok()
        .map(|n| format!("{}", n.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_convert() {
        assert_eq!(cpus("500m").as_deref(), Some("0.5"));
        assert_eq!(cpus("2").as_deref(), Some("2"));
        assert_eq!(cpus("1.25").as_deref(), Some("1.25"));
        assert_eq!(memory("256Mi").as_deref(), Some("256M"));
        assert_eq!(memory("1Gi").as_deref(), Some("1G"));
        assert_eq!(memory("500M").as_deref(), Some("500000000"));
        assert_eq!(cpus("lots"), None);
    }

    #[test]
    fn secret_names_are_swarm_safe() {
        assert_eq!(
            swarm_secret_name("vault", "db/password"),
            "vault_db_password"
        );
    }
}

#[cfg(test)]
mod export_tests {
    use proptest::prelude::{any, proptest, ProptestConfig};
    use serde_json::Value;

    use super::*;
    use crate::export::test_support::{
        parse_docs, random_design, walk_strings, PLAIN_SENTINEL, SECRET_KEY_PREFIX,
    };

    /// Services expected in the stack of cluster `c`: workloads and self-hosted stores.
    fn expected_services(design: &Design, c: &str) -> usize {
        let g = DesignGraph::new(design);
        let c = g.index_of(c).unwrap();
        g.descendants(c)
            .into_iter()
            .filter(|&i| {
                g.parent(i)
                    .is_some_and(|p| p == c || g.kind(p) == Kind::Namespace)
            })
            .filter(|&i| match &g.node(i).spec {
                NodeSpec::Workload(_) => true,
                spec => engines::store(spec).is_some_and(|s| !s.managed),
            })
            .count()
    }

    fn check(design: &Design) {
        let mut files = export(design);
        assert_eq!(files, export(design), "deterministic");
        for n in design
            .nodes
            .iter()
            .filter(|n| n.kind() == Kind::KubernetesCluster)
        {
            files.extend(export_cluster(design, &n.id));
        }
        let clusters: Vec<&Node> = design
            .nodes
            .iter()
            .filter(|n| n.kind().is_cluster())
            .collect();
        assert_eq!(files.len(), clusters.len());
        let folders = cluster_folders(design);
        for n in clusters {
            let f = files
                .iter()
                .find(|f| f.path == format!("{}/docker-stack.yml", folders[n.id.as_str()]))
                .unwrap();
            let docs = parse_docs(f);
            assert_eq!(docs.len(), 1);
            let stack = &docs[0];
            let services = stack["services"].as_object().map_or(0, |s| s.len());
            assert_eq!(services, expected_services(design, &n.id), "{}", f.path);
            for (name, s) in stack["services"].as_object().into_iter().flatten() {
                // Published ports only on the external network.
                if s.get("ports").is_some() {
                    assert!(
                        s["networks"]
                            .as_array()
                            .unwrap()
                            .contains(&Value::from("external")),
                        "{name}"
                    );
                }
                for (k, v) in s["environment"].as_object().into_iter().flatten() {
                    if k.ends_with("_FILE") {
                        assert!(v.as_str().unwrap().starts_with("/run/secrets/"));
                    }
                }
                for r in s["secrets"].as_array().into_iter().flatten() {
                    let src = r["source"].as_str().unwrap();
                    assert_eq!(
                        stack["secrets"][src]["external"],
                        Value::Bool(true),
                        "{name}: {src}"
                    );
                }
            }
            walk_strings(stack, &mut Vec::new(), &mut |path, s| {
                if s.contains(SECRET_KEY_PREFIX) {
                    let last = path.last().map(String::as_str);
                    let ok = matches!(last, Some("source" | "target"))
                        || path.len() == 1 && path[0] == "secrets"
                        || s.starts_with("/run/secrets/");
                    assert!(ok, "{}: secret key at {path:?}: {s}", f.path);
                }
                if s == PLAIN_SENTINEL {
                    assert_eq!(
                        path.get(2).map(String::as_str),
                        Some("environment"),
                        "{path:?}"
                    );
                }
            });
        }
    }

    #[test]
    fn sample_stacks() {
        let design = crate::export::sample::design();
        check(&design);
        let f = export(&design).pop().unwrap();
        let stack = &parse_docs(&f)[0];
        assert_eq!(f.path, "swarm-malogo-ofisa/docker-stack.yml");
        assert_eq!(stack["networks"]["internal"]["internal"], Value::Bool(true));
        assert_eq!(stack["services"]["web"]["ports"][0]["published"], 8080);
        assert!(stack["services"]["api"].get("ports").is_none());
        assert_eq!(
            stack["services"]["api"]["deploy"]["update_config"]["order"],
            "stop-first"
        );
        assert_eq!(
            stack["services"]["web"]["deploy"]["update_config"]["order"],
            "start-first"
        );
        assert_eq!(
            stack["services"]["api"]["environment"]["DB_PASSWORD_FILE"],
            "/run/secrets/vault_db_password"
        );
        assert!(stack["services"]["api"]["environment"]
            .get("DB_PASSWORD")
            .is_none());
        assert_eq!(
            stack["secrets"]["vault_db_password"]["external"],
            Value::Bool(true)
        );
        assert!(export_cluster(&design, "storefront").is_none());
        assert!(export_cluster(&design, "nope").is_none());
    }

    #[test]
    fn synth_stacks() {
        for n in [16, 300] {
            let design = crate::synth::design_of_size(n);
            check(&design);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn random_designs_give_valid_stacks(seed in any::<u64>()) {
            check(&random_design(seed));
        }
    }
}
