//! Docker Swarm / Compose export (seed 004): one `<cluster>/docker-stack.yml` per Swarm
//! cluster, with a `README.md` of what to do before `docker stack deploy`, and the same stack
//! for any single cluster (Kubernetes included) on request.
//!
//! Every drawn node inside the cluster that runs is a service of the stack ([`stack_plan`]):
//!
//! * each workload with its pinned image, `deploy.replicas` (autoscaling has no Swarm
//!   equivalent: the autoscaling minimum is used), resources as limits / reservations,
//!   `update_config` with `start-first` for rolling, canary, blue-green and A/B, `stop-first`
//!   for recreate, and a healthcheck from the readiness (else liveness) probe;
//! * each self-hosted database, cache or queue: one replica (N copies of one image would be N
//!   primaries; rule IC-AVL-008 says so while drawing), a named volume, and a placement
//!   constraint on a node label (`node.labels.<service>-data == true`) so the task never moves
//!   away from its node-local volume;
//! * each entry point (a balancer or ingress controller drawn in the cluster) runs as Traefik
//!   with its Swarm provider: it publishes 80 (and 443 with TLS, certificates from Let's
//!   Encrypt), and the services it has links to are routed through it by their
//!   `deploy.labels` (`Host(...)` rule, the linked port) instead of publishing ports;
//! * monitoring, logging, tracing and config stores run as their product's pinned image
//!   (Prometheus, Grafana, Alertmanager, Loki, Jaeger, Consul; an unknown product runs as its
//!   kind's default and the README says so), data kept like a store's.
//!
//! Secret stores, meshes, CI/CD and security services are not services: secret references
//! become external Swarm secrets `<store>_<key>` (created beforehand with `docker secret
//! create`), mounted into the service, and `<NAME>_FILE=/run/secrets/<secret>` replaces the
//! variable itself; no value is ever written.
//!
//! Networks: `internal` (overlay, `internal: true`) for every service; `external` (overlay,
//! named `<cluster>-external` so Traefik finds it) in addition for services exposed externally
//! or fed by an entry point. Ports are published by the entry points and by external services
//! no entry point routes; two claims of one port get distinct ports, deterministically
//! ([`published_ports`]; rule IC-NET-007 reports which port each got). Connection settings
//! `<STORE>_HOST/_PORT/_ENGINE` go to the services that use a store.

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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    command: Vec<String>,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cap_add: Vec<&'static str>,
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
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    read_only: bool,
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
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    placement: Option<Placement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resources: Option<DeployResources>,
    #[serde(skip_serializing_if = "Option::is_none")]
    update_config: Option<UpdateConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rollback_config: Option<UpdateConfig>,
    restart_policy: RestartPolicy,
}

#[derive(Debug, Serialize)]
struct Placement {
    constraints: Vec<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
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

/// One `<cluster>/docker-stack.yml` and `<cluster>/README.md` per Swarm cluster, sorted by
/// path.
pub fn export(design: &Design) -> Vec<ExportFile> {
    // The graph and the design-wide names are made once, not once per cluster: the export
    // stays linear in the design's size however many clusters it has.
    let shared = Shared::new(design);
    let mut files: Vec<ExportFile> = design
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::SwarmCluster)
        .filter_map(|n| shared.stack(&n.id))
        .flat_map(|(stack, readme)| [stack, readme])
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The stack of one cluster, Swarm or Kubernetes (its namespaces flattened into one stack);
/// `None` when `cluster_id` names no cluster.
pub fn export_cluster(design: &Design, cluster_id: &str) -> Option<ExportFile> {
    Shared::new(design)
        .stack(cluster_id)
        .map(|(stack, _)| stack)
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

    fn stack(&self, cluster_id: &str) -> Option<(ExportFile, ExportFile)> {
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

/// What a member of a stack is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Workload,
    /// A self-hosted database, cache or queue.
    Store,
    /// A balancer or ingress controller: Traefik.
    Entry,
    /// Monitoring, logging, tracing or a config store, run as a product's image.
    AddOn(&'static AddOn),
}

/// A service of the stack: the node it comes from, its service name and what it is.
#[derive(Debug, Clone)]
struct Member {
    node: usize,
    name: String,
    role: Role,
}

/// A port a service of a Swarm stack publishes: the one it asks for and the one it gets
/// (another service of the stack may hold the one it asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub node: usize,
    pub target: u16,
    pub wanted: u16,
    pub published: u16,
    pub protocol: Protocol,
}

/// The stack of one cluster: its members and the ports they publish.
struct StackPlan {
    members: Vec<Member>,
    /// Per member position: the entry point (member position) that routes it, if any.
    routed_by: Vec<Option<usize>>,
    ports: Vec<Published>,
}

/// An image the stack runs for monitoring, logging, tracing or configuration.
#[derive(Debug, PartialEq, Eq)]
struct AddOn {
    /// The kind of node it runs.
    kind: Kind,
    /// The word that names the product (`prometheus`).
    product: &'static str,
    image: &'static str,
    port: u16,
    /// Where it keeps data, on a named volume; `None` keeps nothing.
    data: Option<&'static str>,
    command: &'static [&'static str],
    health: Option<&'static str>,
    /// Whether the image starts as root to fix ownership (no read-only root, no dropped caps).
    root_entrypoint: bool,
}

const PROMETHEUS: AddOn = AddOn {
    kind: Kind::Monitoring,
    product: "prometheus",
    image: "prom/prometheus:v3.2.1",
    port: 9090,
    data: Some("/prometheus"),
    command: &[],
    health: Some("wget -q -O /dev/null http://127.0.0.1:9090/-/ready"),
    root_entrypoint: false,
};
const LOKI: AddOn = AddOn {
    kind: Kind::Logging,
    product: "loki",
    image: "grafana/loki:3.4.2",
    port: 3100,
    data: Some("/loki"),
    command: &["-config.file=/etc/loki/local-config.yaml"],
    health: None,
    root_entrypoint: false,
};
const JAEGER: AddOn = AddOn {
    kind: Kind::Tracing,
    product: "jaeger",
    image: "jaegertracing/all-in-one:1.66.0",
    port: 16686,
    data: None,
    command: &[],
    health: None,
    root_entrypoint: false,
};
const CONSUL: AddOn = AddOn {
    kind: Kind::ConfigStore,
    product: "consul",
    image: "hashicorp/consul:1.20.5",
    port: 8500,
    data: Some("/consul/data"),
    command: &[
        "agent",
        "-server",
        "-bootstrap-expect=1",
        "-ui",
        "-client=0.0.0.0",
        "-data-dir=/consul/data",
    ],
    health: None,
    root_entrypoint: true,
};
/// Products recognised by a word of their name among those of the node's kind, the first that
/// matches winning (`Prometheus and Grafana` runs Prometheus).
const ADD_ONS: &[AddOn] = &[
    PROMETHEUS,
    AddOn {
        kind: Kind::Monitoring,
        product: "grafana",
        image: "grafana/grafana:11.5.2",
        port: 3000,
        data: Some("/var/lib/grafana"),
        command: &[],
        health: Some("wget -q -O /dev/null http://127.0.0.1:3000/api/health"),
        root_entrypoint: false,
    },
    AddOn {
        kind: Kind::Monitoring,
        product: "alertmanager",
        image: "prom/alertmanager:v0.28.1",
        port: 9093,
        data: Some("/alertmanager"),
        command: &[
            "--config.file=/etc/alertmanager/alertmanager.yml",
            "--storage.path=/alertmanager",
        ],
        health: Some("wget -q -O /dev/null http://127.0.0.1:9093/-/ready"),
        root_entrypoint: false,
    },
    LOKI,
    JAEGER,
    CONSUL,
];

/// The image that runs a monitoring, logging, tracing or config node: its product's, else its
/// kind's default; `None` for kinds that are no service of a stack.
fn add_on(spec: &NodeSpec) -> Option<&'static AddOn> {
    let default = match spec.kind() {
        Kind::Monitoring => &PROMETHEUS,
        Kind::Logging => &LOKI,
        Kind::Tracing => &JAEGER,
        Kind::ConfigStore => &CONSUL,
        _ => return None,
    };
    let product = spec.product().to_lowercase();
    Some(
        ADD_ONS
            .iter()
            .find(|a| a.kind == default.kind && product.contains(a.product))
            .unwrap_or(default),
    )
}

/// Whether an add-on runs its drawn product (rather than its kind's default).
fn runs_drawn_product(spec: &NodeSpec, a: &AddOn) -> bool {
    spec.product().to_lowercase().contains(a.product)
}

/// The stack's members: workloads, self-hosted stores, entry points and add-ons, directly in
/// the cluster or in its namespaces, in design order.
fn members_of(g: &DesignGraph<'_>, cluster: usize) -> Vec<(usize, Role)> {
    let mut members = Vec::new();
    for i in g.descendants(cluster) {
        let parent_ok = g
            .parent(i)
            .is_some_and(|p| p == cluster || g.kind(p) == Kind::Namespace);
        if !parent_ok {
            continue;
        }
        let spec = &g.node(i).spec;
        let role = match spec {
            NodeSpec::Workload(_) => Role::Workload,
            NodeSpec::LoadBalancer(lb) if !lb.client_side => Role::Entry,
            NodeSpec::IngressController(_) => Role::Entry,
            _ => {
                if engines::store(spec).is_some_and(|s| !s.managed) {
                    Role::Store
                } else if let Some(a) = add_on(spec) {
                    Role::AddOn(a)
                } else {
                    continue;
                }
            }
        };
        members.push((i, role));
    }
    members
}

fn stack_plan(g: &DesignGraph<'_>, cluster: usize) -> StackPlan {
    let found = members_of(g, cluster);
    let names = unique_kube_names(
        found
            .iter()
            .map(|&(i, _)| (g.node(i).id.as_str(), g.node(i).name.as_str())),
    );
    let members: Vec<Member> = found
        .into_iter()
        .filter_map(|(node, role)| {
            let name = names.get(g.node(node).id.as_str())?.clone();
            Some(Member { node, name, role })
        })
        .collect();
    let position = |node: usize| members.iter().position(|m| m.node == node);
    // An entry point of the stack with a link to a workload routes it (the first by name).
    let routed_by: Vec<Option<usize>> = members
        .iter()
        .map(|m| {
            if m.role != Role::Workload {
                return None;
            }
            g.incoming(m.node)
                .filter(|(e, _)| {
                    matches!(g.edge(*e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute)
                })
                .filter_map(|(_, s)| position(s))
                .filter(|&p| members[p].role == Role::Entry)
                .min_by(|&a, &b| members[a].name.cmp(&members[b].name))
        })
        .collect();
    // Claims in a fixed order: entry points, then the other services, each by name.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&p| (members[p].role != Role::Entry, members[p].name.clone()));
    let mut taken: Vec<(u16, Protocol)> = Vec::new();
    let mut ports = Vec::new();
    for p in order {
        for (target, protocol) in claims(g, &members[p], routed_by[p].is_some()) {
            let published = free_port(&taken, target, protocol);
            taken.push((published, protocol));
            ports.push(Published {
                node: members[p].node,
                target,
                wanted: target,
                published,
                protocol,
            });
        }
    }
    StackPlan {
        members,
        routed_by,
        ports,
    }
}

/// The ports a member asks to publish: an entry point its listeners (80, and 443 with TLS);
/// an external workload no entry point routes, its own ports (each once); nothing else.
fn claims(g: &DesignGraph<'_>, m: &Member, routed: bool) -> Vec<(u16, Protocol)> {
    match (&g.node(m.node).spec, m.role) {
        (spec, Role::Entry) => {
            let mut ports = vec![(80, Protocol::Tcp)];
            if entry_tls(spec) {
                ports.push((443, Protocol::Tcp));
            }
            ports
        }
        (NodeSpec::Workload(w), Role::Workload)
            if w.exposure == Exposure::External
                && w.workload_type != WorkloadType::Job
                && !routed =>
        {
            let mut seen = Vec::new();
            for p in &w.ports {
                let protocol = if p.protocol == Protocol::Udp {
                    Protocol::Udp
                } else {
                    Protocol::Tcp
                };
                if p.port != 0 && !seen.contains(&(p.port, protocol)) {
                    seen.push((p.port, protocol));
                }
            }
            seen
        }
        _ => Vec::new(),
    }
}

fn entry_tls(spec: &NodeSpec) -> bool {
    match spec {
        NodeSpec::LoadBalancer(lb) => lb.tls,
        NodeSpec::IngressController(ing) => ing.tls,
        _ => false,
    }
}

/// `wanted` if no service holds it yet, else the next free port above it (then from 1024).
fn free_port(taken: &[(u16, Protocol)], wanted: u16, protocol: Protocol) -> u16 {
    let free = |p: u16| !taken.contains(&(p, protocol));
    if free(wanted) {
        return wanted;
    }
    (wanted.saturating_add(1)..=u16::MAX)
        .chain(1024..wanted)
        .find(|&p| free(p))
        .unwrap_or(wanted)
}

/// The ports the services of the stack of `cluster` publish, in claim order (entry points
/// first, then the others, by service name). Rule IC-NET-007 reports the ones moved.
pub fn published_ports(g: &DesignGraph<'_>, cluster: usize) -> Vec<Published> {
    stack_plan(g, cluster).ports
}

/// The stack of `cluster` and its README.
fn stack_file(
    g: &DesignGraph<'_>,
    cluster: usize,
    folder: String,
    secret_stores: &BTreeMap<&str, String>,
) -> Option<(ExportFile, ExportFile)> {
    let plan = stack_plan(g, cluster);
    let names: BTreeMap<usize, String> = plan
        .members
        .iter()
        .map(|m| (m.node, m.name.clone()))
        .collect();
    let name_of = |i: usize| names.get(&i).cloned();
    let env = g
        .node(cluster)
        .spec
        .cluster_placement()
        .map_or("", |(env, _)| env);
    let external_net = format!("{folder}-external");

    let mut stack = Stack {
        services: BTreeMap::new(),
        networks: BTreeMap::new(),
        volumes: BTreeMap::new(),
        secrets: BTreeMap::new(),
    };
    let mut any_external = false;
    for (pos, m) in plan.members.iter().enumerate() {
        let i = m.node;
        let node = g.node(i);
        let ports: Vec<PortSpec> = plan
            .ports
            .iter()
            .filter(|p| p.node == i)
            .map(|p| PortSpec {
                target: p.target,
                published: p.published,
                protocol: if p.protocol == Protocol::Udp {
                    "udp"
                } else {
                    "tcp"
                },
                mode: "ingress",
            })
            .collect();
        let service = match (&node.spec, m.role) {
            (NodeSpec::Workload(w), _) => {
                let fed_by_entry = g.incoming(i).any(|(e, s)| {
                    matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute)
                        && g.kind(s).is_entry_point()
                });
                let external = w.exposure == Exposure::External || fed_by_entry;
                any_external |= external;
                let mut service = workload_service(
                    g,
                    i,
                    &m.name,
                    w,
                    external,
                    secret_stores,
                    &name_of,
                    &mut stack.secrets,
                );
                service.ports = ports;
                if let Some(entry) = plan.routed_by[pos] {
                    let entry = &plan.members[entry];
                    service.deploy.labels =
                        traefik_labels(g, entry.node, i, &m.name, w, env, &external_net);
                }
                service
            }
            (spec, Role::Entry) => {
                any_external = true;
                let volume = format!("{}-acme", m.name);
                stack.volumes.insert(volume.clone(), NamedVolume {});
                let mut service = traefik_service(&m.name, entry_tls(spec), &external_net, volume);
                service.ports = ports;
                service
            }
            (_, Role::AddOn(a)) => {
                let volume = a.data.map(|_| {
                    let v = format!("{}-data", m.name);
                    stack.volumes.insert(v.clone(), NamedVolume {});
                    v
                });
                add_on_service(&m.name, a, volume)
            }
            (spec, _) => {
                let Some(store) = engines::store(spec) else {
                    continue;
                };
                let volume = format!("{}-data", m.name);
                stack.volumes.insert(volume.clone(), NamedVolume {});
                store_service(&m.name, store, volume, &mut stack.secrets)
            }
        };
        let mut service = service;
        // Which drawn node the service is: `docker service ls --filter label=…` finds it, and
        // the stack check compares the stack with the drawing.
        service
            .deploy
            .labels
            .insert(NODE_LABEL.into(), node.id.clone());
        stack.services.insert(m.name.clone(), service);
    }
    stack.networks.insert(
        "internal".into(),
        Network {
            name: None,
            driver: "overlay",
            internal: true,
        },
    );
    if any_external {
        stack.networks.insert(
            "external".into(),
            Network {
                name: Some(external_net),
                driver: "overlay",
                internal: false,
            },
        );
    }
    let readme = readme(g, cluster, &folder, &plan, &stack);
    Some((
        ExportFile::new(format!("{folder}/docker-stack.yml"), to_yaml(&stack)),
        ExportFile::new(format!("{folder}/README.md"), readme),
    ))
}

/// What an operator does before `docker stack deploy`, from what the stack needs.
fn readme(
    g: &DesignGraph<'_>,
    cluster: usize,
    folder: &str,
    plan: &StackPlan,
    stack: &Stack,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Stack `{folder}`\n\nThe Swarm stack of the cluster {}, exported by Infracanvas. \
         Deploy it from a manager node with\n\n    docker stack deploy -c docker-stack.yml {folder}\n\n\
         once the steps below are done.",
        quote_md(&g.node(cluster).name)
    );
    let mut step = 0;
    let mut heading = |out: &mut String, title: &str| {
        step += 1;
        let _ = writeln!(out, "\n## {step}. {title}\n");
    };
    if !stack.secrets.is_empty() {
        heading(&mut out, "Create the secrets");
        let _ = writeln!(
            out,
            "Every secret is external: create each from its value in the secret store the \
             design names (the stack never holds a value).\n"
        );
        for name in stack.secrets.keys() {
            let _ = writeln!(
                out,
                "    printf '%s' \"$VALUE\" | docker secret create {name} -"
            );
        }
    }
    let pinned: Vec<&String> = plan
        .members
        .iter()
        .filter(|m| {
            stack
                .services
                .get(&m.name)
                .is_some_and(|s| s.deploy.placement.is_some())
        })
        .map(|m| &m.name)
        .collect();
    if !pinned.is_empty() {
        heading(&mut out, "Label the nodes that keep data");
        let traefik = plan.members.iter().any(|m| m.role == Role::Entry);
        let _ = writeln!(
            out,
            "A named volume lives on one node; each service below runs only on the node \
             labelled for it, so it never starts again on an empty volume elsewhere. Choose \
             the node{} and label it:\n",
            if traefik {
                " (a manager for Traefik, which reads the Swarm through the manager's Docker \
                 socket)"
            } else {
                ""
            }
        );
        for name in pinned {
            let _ = writeln!(
                out,
                "    docker node update --label-add {}=true NODE",
                data_label(name)
            );
        }
    }
    let entries: Vec<&Member> = plan
        .members
        .iter()
        .filter(|m| m.role == Role::Entry)
        .collect();
    if !entries.is_empty() {
        heading(&mut out, "Point DNS at the Swarm");
        let _ = writeln!(
            out,
            "Traefik publishes its ports in ingress mode on every node: point each host \
             below at the nodes (or at a cloud balancer in front of them). With TLS, Let's \
             Encrypt issues each host's certificate on the first request (TLS-ALPN challenge \
             on port 443, which must be reachable from the internet).\n"
        );
        for (pos, m) in plan.members.iter().enumerate() {
            let Some(entry) = plan.routed_by[pos] else {
                continue;
            };
            let rule = stack
                .services
                .get(&m.name)
                .and_then(|s| {
                    s.deploy
                        .labels
                        .get(&format!("traefik.http.routers.{}.rule", m.name))
                })
                .cloned()
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- `{}`: `` {rule} `` through `{}`",
                m.name, plan.members[entry].name
            );
        }
    }
    heading(&mut out, "Published ports");
    if plan.ports.is_empty() {
        let _ = writeln!(out, "None: nothing in the stack is reachable from outside.");
    }
    for p in &plan.ports {
        let name = plan
            .members
            .iter()
            .find(|m| m.node == p.node)
            .map_or("", |m| m.name.as_str());
        let proto = if p.protocol == Protocol::Udp {
            "udp"
        } else {
            "tcp"
        };
        if p.published == p.wanted {
            let _ = writeln!(out, "- {}/{proto}: `{name}`", p.published);
        } else {
            let _ = writeln!(
                out,
                "- {}/{proto}: `{name}` (it asks for {}, which another service publishes; rule IC-NET-007)",
                p.published, p.wanted
            );
        }
    }
    let defaults: Vec<String> = plan
        .members
        .iter()
        .filter_map(|m| match m.role {
            Role::AddOn(a) if !runs_drawn_product(&g.node(m.node).spec, a) => Some(format!(
                "- `{}` is drawn as {} but runs `{}`, its kind's default: the export knows no image for that product.",
                m.name,
                quote_md(g.node(m.node).spec.product()),
                a.image
            )),
            _ => None,
        })
        .collect();
    let prometheus = plan
        .members
        .iter()
        .any(|m| matches!(m.role, Role::AddOn(a) if a.product == "prometheus"));
    if !defaults.is_empty() || prometheus {
        heading(&mut out, "Configure the add-ons");
        for line in defaults {
            let _ = writeln!(out, "{line}");
        }
        if prometheus {
            let _ = writeln!(
                out,
                "- Prometheus starts with its image's configuration, which scrapes only \
                 itself: give it a scrape configuration (a Swarm config mounted at \
                 `/etc/prometheus/prometheus.yml`, with `dockerswarm_sd_configs`) for the \
                 services it watches."
            );
        }
    }
    out
}

/// The service label naming the drawn node a service comes from.
const NODE_LABEL: &str = "infracanvas.node";

/// A design's text in a README: one line in backquotes, without the characters that would end
/// the quote or the line.
fn quote_md(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() || c == '`' { ' ' } else { c })
        .collect();
    format!("`{}`", clean.trim())
}

/// The node label that pins a service with node-local data to one node.
fn data_label(service: &str) -> String {
    format!("{service}-data")
}

fn pinned_to_its_data(service: &str) -> Option<Placement> {
    Some(Placement {
        constraints: vec![format!("node.labels.{} == true", data_label(service))],
    })
}

/// A host usable in a Traefik rule: a DNS name, lower-cased; anything else is dropped.
fn rule_host(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    ok.then_some(host)
}

/// Traefik's Swarm-provider labels for a service routed through `entry`: by host (else by a
/// path prefix of the service's name) on the entry's HTTPS listener with a Let's Encrypt
/// certificate (plain HTTP without TLS), to the port the link names (else the first).
fn traefik_labels(
    g: &DesignGraph<'_>,
    entry: usize,
    i: usize,
    name: &str,
    w: &WorkloadProps,
    env: &str,
    network: &str,
) -> BTreeMap<String, String> {
    let linked_port = g
        .incoming(i)
        .filter(|&(_, s)| s == entry)
        .find_map(|(e, _)| match &g.edge(e).spec {
            EdgeSpec::Traffic(t) => t.port.filter(|p| w.ports.iter().any(|wp| wp.port == *p)),
            _ => None,
        });
    let port = linked_port
        .or_else(|| w.ports.first().map(|p| p.port))
        .unwrap_or(80);
    let rule = match rule_host(w.host_in(env)) {
        Some(host) => format!("Host(`{host}`)"),
        None => format!("PathPrefix(`/{name}`)"),
    };
    let router = format!("traefik.http.routers.{name}");
    let mut labels = BTreeMap::from([
        ("traefik.enable".to_string(), "true".to_string()),
        ("traefik.swarm.network".to_string(), network.to_string()),
        (format!("{router}.rule"), rule),
        (
            format!("traefik.http.services.{name}.loadbalancer.server.port"),
            port.to_string(),
        ),
    ]);
    if entry_tls(&g.node(entry).spec) {
        labels.insert(format!("{router}.entrypoints"), "websecure".into());
        labels.insert(format!("{router}.tls"), "true".into());
        labels.insert(format!("{router}.tls.certresolver"), "letsencrypt".into());
    } else {
        labels.insert(format!("{router}.entrypoints"), "web".into());
    }
    labels
}

/// Traefik v3 as the stack's entry point: the Swarm provider reads the routed services'
/// labels through the manager's Docker socket (so it runs on a manager), listens on 80 and,
/// with TLS, on 443 with HTTP redirected there and certificates from Let's Encrypt (TLS-ALPN
/// challenge), kept on a volume on the node labelled for it.
fn traefik_service(name: &str, tls: bool, network: &str, acme: String) -> Service {
    let mut command: Vec<String> = [
        "--providers.swarm.endpoint=unix:///var/run/docker.sock",
        "--providers.swarm.exposedByDefault=false",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    command.push(format!("--providers.swarm.network={network}"));
    command.push("--entrypoints.web.address=:80".into());
    command.push("--ping=true".into());
    if tls {
        command.extend(
            [
                "--entrypoints.websecure.address=:443",
                "--entrypoints.web.http.redirections.entrypoint.to=websecure",
                "--entrypoints.web.http.redirections.entrypoint.scheme=https",
                "--certificatesresolvers.letsencrypt.acme.tlschallenge=true",
                "--certificatesresolvers.letsencrypt.acme.storage=/letsencrypt/acme.json",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
    }
    Service {
        image: TRAEFIK_IMAGE.into(),
        command,
        environment: BTreeMap::new(),
        secrets: Vec::new(),
        ports: Vec::new(),
        networks: vec!["external".into()],
        volumes: vec![
            Mount {
                kind: "bind",
                source: Some("/var/run/docker.sock".into()),
                target: "/var/run/docker.sock".into(),
                read_only: true,
            },
            Mount {
                kind: "volume",
                source: Some(acme),
                target: "/letsencrypt".into(),
                read_only: false,
            },
        ],
        read_only: true,
        cap_drop: vec!["ALL"],
        // Traefik binds 80 and 443.
        cap_add: vec!["NET_BIND_SERVICE"],
        healthcheck: Some(Healthcheck {
            test: vec![
                "CMD".into(),
                "traefik".into(),
                "healthcheck".into(),
                "--ping".into(),
            ],
            interval: "10s",
            timeout: "3s",
            retries: 3,
            start_period: "10s",
        }),
        deploy: Deploy {
            mode: "replicated",
            // One instance: the ACME storage is a file on one node's volume.
            replicas: 1,
            labels: BTreeMap::new(),
            placement: Some(Placement {
                constraints: vec![
                    "node.role == manager".into(),
                    format!("node.labels.{} == true", data_label(name)),
                ],
            }),
            resources: deploy_resources(&Resources {
                cpu_request: "100m".into(),
                cpu_limit: "1".into(),
                memory_request: "64Mi".into(),
                memory_limit: "256Mi".into(),
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

const TRAEFIK_IMAGE: &str = "traefik:v3.3.5";

/// A monitoring, logging, tracing or config service: its pinned image, one replica (each keeps
/// its own data), pinned to its node when it keeps data.
fn add_on_service(name: &str, a: &AddOn, volume: Option<String>) -> Service {
    let mut volumes = Vec::new();
    let placement = match (volume, a.data) {
        (Some(source), Some(target)) => {
            volumes.push(Mount {
                kind: "volume",
                source: Some(source),
                target: target.into(),
                read_only: false,
            });
            pinned_to_its_data(name)
        }
        _ => None,
    };
    volumes.push(Mount {
        kind: "tmpfs",
        source: None,
        target: "/tmp".into(),
        read_only: false,
    });
    Service {
        image: a.image.into(),
        command: a.command.iter().map(|c| c.to_string()).collect(),
        environment: BTreeMap::new(),
        secrets: Vec::new(),
        ports: Vec::new(),
        networks: vec!["internal".into()],
        volumes,
        read_only: !a.root_entrypoint,
        cap_drop: if a.root_entrypoint {
            Vec::new()
        } else {
            vec!["ALL"]
        },
        cap_add: Vec::new(),
        healthcheck: a.health.map(|cmd| Healthcheck {
            test: vec!["CMD-SHELL".into(), format!("{cmd} || exit 1")],
            interval: "10s",
            timeout: "3s",
            retries: 5,
            start_period: "30s",
        }),
        deploy: Deploy {
            mode: "replicated",
            replicas: 1,
            labels: BTreeMap::new(),
            placement,
            resources: deploy_resources(&Resources {
                cpu_request: "100m".into(),
                cpu_limit: "1".into(),
                memory_request: "256Mi".into(),
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
        command: Vec::new(),
        environment,
        secrets: refs,
        // The stack plan publishes ports (see `stack_plan`).
        ports: Vec::new(),
        networks,
        volumes: vec![Mount {
            kind: "tmpfs",
            source: None,
            target: "/tmp".into(),
            read_only: false,
        }],
        read_only: true,
        cap_drop: vec!["ALL"],
        cap_add: Vec::new(),
        healthcheck,
        deploy: Deploy {
            mode: if job { "replicated-job" } else { "replicated" },
            replicas,
            labels: BTreeMap::new(),
            placement: None,
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
/// volume on the node labelled for it (a local volume does not follow a task that moves), the
/// admin password from an external secret through the image's `_FILE` variable.
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
        read_only: false,
    }];
    volumes.push(Mount {
        kind: "tmpfs",
        source: None,
        target: "/tmp".into(),
        read_only: false,
    });
    for path in store.engine.writable {
        volumes.push(Mount {
            kind: "tmpfs",
            source: None,
            target: (*path).into(),
            read_only: false,
        });
    }
    Service {
        image: store.image(),
        command: Vec::new(),
        environment,
        secrets: refs,
        ports: Vec::new(),
        networks: vec!["internal".into()],
        volumes,
        read_only: store.engine.read_only_root,
        cap_drop: Vec::new(),
        cap_add: Vec::new(),
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
            labels: BTreeMap::new(),
            placement: pinned_to_its_data(name),
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
                NodeSpec::Workload(_) | NodeSpec::IngressController(_) => true,
                NodeSpec::LoadBalancer(lb) => !lb.client_side,
                spec => {
                    engines::store(spec).is_some_and(|s| !s.managed)
                        || matches!(
                            spec.kind(),
                            Kind::Monitoring | Kind::Logging | Kind::Tracing | Kind::ConfigStore
                        )
                }
            })
            .count()
    }

    fn check(design: &Design) {
        let mut files = export(design);
        assert_eq!(files, export(design), "deterministic");
        // Each stack comes with its README.
        let readmes = files
            .iter()
            .filter(|f| f.path.ends_with("/README.md"))
            .count();
        files.retain(|f| f.path.ends_with("/docker-stack.yml"));
        assert_eq!(readmes, files.len());
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
            // `docker stack deploy` refuses two services publishing one port.
            let mut published = std::collections::HashSet::new();
            for (name, s) in stack["services"].as_object().into_iter().flatten() {
                for p in s["ports"].as_array().into_iter().flatten() {
                    let key = (
                        p["published"].as_u64(),
                        p["protocol"].as_str().map(str::to_string),
                    );
                    assert!(
                        published.insert(key.clone()),
                        "{}: {name} publishes {key:?} again",
                        f.path
                    );
                }
                // A service with node-local data never moves and runs once.
                if s["volumes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|v| v["type"] == "volume")
                {
                    assert_eq!(s["deploy"]["replicas"], 1, "{name}");
                    let constraints = s["deploy"]["placement"]["constraints"].as_array().unwrap();
                    assert!(
                        constraints
                            .iter()
                            .any(|c| c.as_str().unwrap().starts_with("node.labels.")),
                        "{name}"
                    );
                }
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

    /// Seed 004's Swarm (finding 10 of issue 18): frontend and api-gateway both serve 8080;
    /// the drawn Traefik routes both by host, so neither publishes it; Traefik, Prometheus and
    /// Loki are services; PostgreSQL stays on its labelled node.
    #[test]
    fn the_seed_004_swarm_runs_what_is_drawn() {
        let design = crate::templates::template("microservices-platform").unwrap();
        check(&design);
        let files = export(&design);
        let f = files
            .iter()
            .find(|f| f.path.ends_with("/docker-stack.yml"))
            .unwrap();
        let stack = &parse_docs(f)[0];
        let services = &stack["services"];
        for name in ["frontend", "api-gateway"] {
            assert!(services[name].get("ports").is_none(), "{name}");
            let labels = &services[name]["deploy"]["labels"];
            assert_eq!(labels["traefik.enable"], "true", "{name}");
            assert_eq!(
                labels[format!("traefik.http.services.{name}.loadbalancer.server.port")],
                "8080"
            );
            assert_eq!(
                labels["traefik.swarm.network"],
                stack["networks"]["external"]["name"]
            );
        }
        assert_eq!(
            services["frontend"]["deploy"]["labels"]["traefik.http.routers.frontend.rule"],
            "Host(`www.platform.example`)"
        );
        let published: Vec<u64> = services["traefik"]["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["published"].as_u64().unwrap())
            .collect();
        assert_eq!(published, [80, 443]);
        assert!(services["traefik"]["image"]
            .as_str()
            .unwrap()
            .starts_with("traefik:v3"));
        assert_eq!(services["prometheus"]["image"], "prom/prometheus:v3.2.1");
        assert_eq!(services["loki"]["image"], "grafana/loki:3.4.2");
        assert_eq!(
            services["postgres"]["deploy"]["placement"]["constraints"][0],
            "node.labels.postgres-data == true"
        );
        assert_eq!(services["postgres"]["deploy"]["replicas"], 1);
        let readme = files
            .iter()
            .find(|f| f.path.ends_with("/README.md"))
            .unwrap();
        assert!(readme
            .contents
            .contains("docker node update --label-add postgres-data=true NODE"));
        assert!(readme
            .contents
            .contains("docker secret create postgres_password -"));
        // The rule agrees: nothing clashes.
        let g = DesignGraph::new(&design);
        let swarm = g.index_of("swarm").unwrap();
        assert!(published_ports(&g, swarm)
            .iter()
            .all(|p| p.published == p.wanted));
    }

    /// Without an entry point, two services asking for one port get distinct ones: the first by
    /// name keeps it, the next takes the next free port.
    #[test]
    fn clashing_ports_are_published_apart() {
        let mut design = crate::templates::template("microservices-platform").unwrap();
        design.nodes.retain(|n| n.id != "swarm-traefik");
        design
            .edges
            .retain(|e| e.from != "swarm-traefik" && e.to != "swarm-traefik");
        let f = export(&design)
            .into_iter()
            .find(|f| f.path.ends_with("/docker-stack.yml"))
            .unwrap();
        let stack = &parse_docs(&f)[0];
        assert_eq!(
            stack["services"]["api-gateway"]["ports"][0]["published"],
            8080
        );
        assert_eq!(stack["services"]["frontend"]["ports"][0]["published"], 8081);
        assert_eq!(stack["services"]["frontend"]["ports"][0]["target"], 8080);
        check(&design);
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
