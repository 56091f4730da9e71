//! What goes where: each Kubernetes cluster's namespaces, the workloads and self-hosted stores
//! they run, the managed stores they reach, the ingress controllers, and the Kubernetes name of
//! everything. Computed once per export; the object builders only read it.

use std::collections::{BTreeMap, HashMap};

use crate::export::engines::{self, Store};
use crate::model::names::{kube_name_or, unique_kube_names};
use crate::model::*;

pub(crate) struct DesignPlan<'a> {
    pub g: DesignGraph<'a>,
    /// The `app.kubernetes.io/part-of` value: the design name made Kubernetes-safe.
    pub part_of: String,
    /// Kubernetes name of each secret store node (the Secret its references point at).
    pub secret_stores: BTreeMap<&'a str, String>,
}

impl<'a> DesignPlan<'a> {
    pub fn new(design: &'a Design) -> Self {
        let secret_stores = unique_kube_names(
            design
                .nodes
                .iter()
                .filter(|n| n.kind() == Kind::SecretStore)
                .map(|n| (n.id.as_str(), n.name.as_str())),
        );
        DesignPlan {
            g: DesignGraph::new(design),
            part_of: kube_name_or(&design.name, "design"),
            secret_stores,
        }
    }

    /// The Secret name for references into secret store `id` (a dangling id still gets a name).
    pub fn secret_name(&self, id: &str) -> String {
        self.secret_stores
            .get(id)
            .cloned()
            .unwrap_or_else(|| kube_name_or(id, "secrets"))
    }

    /// Clusters of `kind`, with unique folder names, sorted by name.
    pub fn clusters(&self, kind: Kind) -> Vec<(usize, String)> {
        let design = self.g.design;
        let names = unique_kube_names(
            design
                .nodes
                .iter()
                .filter(|n| n.kind() == kind)
                .map(|n| (n.id.as_str(), n.name.as_str())),
        );
        let mut out: Vec<(usize, String)> = names
            .into_iter()
            .filter_map(|(id, name)| Some((self.g.index_of(id)?, name)))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    }

    /// The environments a cluster's overlays are made for: (environment id, folder name).
    pub fn environments(&self, cluster: usize) -> Vec<(String, String)> {
        let design = self.g.design;
        let bound = self
            .g
            .node(cluster)
            .spec
            .cluster_placement()
            .map(|(e, _)| e)
            .unwrap_or("");
        let ids: Vec<&str> = if !bound.is_empty() {
            vec![bound]
        } else if design.environments.is_empty() {
            vec!["prod"]
        } else {
            design.environments.iter().map(|e| e.id.as_str()).collect()
        };
        let names = unique_kube_names(ids.iter().map(|id| (*id, *id)));
        let mut out: Vec<(String, String)> = names
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

/// One workload or self-hosted store inside a namespace.
pub(crate) struct Unit<'a> {
    pub idx: usize,
    pub node: &'a Node,
    pub name: String,
    pub body: Body<'a>,
}

pub(crate) enum Body<'a> {
    Workload(&'a WorkloadProps),
    /// A Database, Cache or Queue drawn inside the namespace and not managed: a StatefulSet.
    Store(Store<'a>),
}

impl Unit<'_> {
    /// (port, protocol name, service port name) of each port the unit listens on.
    pub fn ports(&self) -> Vec<(u16, Protocol, String)> {
        match &self.body {
            Body::Workload(w) => {
                let mut out: Vec<(u16, Protocol, String)> = Vec::new();
                for p in &w.ports {
                    if p.port == 0
                        || out
                            .iter()
                            .any(|(q, pr, _)| *q == p.port && *pr == p.protocol)
                    {
                        continue;
                    }
                    let name = port_name(&p.name, p.protocol, p.port, &out);
                    out.push((p.port, p.protocol, name));
                }
                out
            }
            Body::Store(s) => vec![(
                s.engine.port,
                Protocol::Tcp,
                s.engine.name.chars().take(15).collect(),
            )],
        }
    }

    pub fn is_job(&self) -> bool {
        matches!(&self.body, Body::Workload(w) if w.workload_type == WorkloadType::Job)
    }

    /// Runs as a StatefulSet.
    pub fn is_stateful(&self) -> bool {
        match &self.body {
            Body::Workload(w) => w.workload_type == WorkloadType::Stateful,
            Body::Store(_) => true,
        }
    }

    pub fn workload(&self) -> Option<&WorkloadProps> {
        match &self.body {
            Body::Workload(w) => Some(w),
            Body::Store(_) => None,
        }
    }

    /// Rolled out by Flagger (canary, blue-green, A/B): a stateless workload with such a strategy.
    pub fn progressive(&self) -> bool {
        match &self.body {
            Body::Workload(w) => {
                w.workload_type == WorkloadType::Stateless
                    && matches!(
                        w.strategy,
                        Strategy::Canary { .. } | Strategy::BlueGreen | Strategy::AbTesting { .. }
                    )
            }
            Body::Store(_) => false,
        }
    }
}

/// An IANA service name (≤ 15 characters, lowercase letters, digits, single dashes, a letter
/// somewhere), unique among `taken`.
fn port_name(
    wanted: &str,
    protocol: Protocol,
    port: u16,
    taken: &[(u16, Protocol, String)],
) -> String {
    let clean = |s: &str| -> String {
        let k = kube_name_or(s, "");
        let mut k: String = k
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        k.truncate(15);
        while k.ends_with('-') {
            k.pop();
        }
        k
    };
    let mut name = clean(wanted);
    if name.is_empty() || !name.bytes().any(|b| b.is_ascii_lowercase()) || name == "unnamed" {
        name = clean(&format!("{}-{port}", protocol.as_str()));
    }
    if taken.iter().any(|(_, _, n)| *n == name) {
        name = clean(&format!("{}-{port}", protocol.as_str()));
        if taken.iter().any(|(_, _, n)| *n == name) {
            name = clean(&format!("p{port}-{}", taken.len()));
        }
    }
    name
}

/// A store outside the cluster that workloads of a namespace use: an ExternalName Service.
pub(crate) struct External {
    pub idx: usize,
    pub name: String,
    pub host: String,
    pub store: Store<'static>,
}

pub(crate) struct NsPlan<'a> {
    pub idx: usize,
    pub name: String,
    pub mesh_injection: bool,
    /// Holds infrastructure installed by its own chart (ingress controller, mesh, monitoring):
    /// no namespace-wide default deny, which would cut those pods off.
    pub infra: bool,
    pub units: Vec<Unit<'a>>,
    pub externals: Vec<External>,
}

pub(crate) struct IngressCtl {
    pub idx: usize,
    pub class: String,
    pub namespace: String,
}

pub(crate) struct ClusterPlan<'a> {
    pub idx: usize,
    pub name: String,
    pub namespaces: Vec<NsPlan<'a>>,
    pub ingress: Vec<IngressCtl>,
    /// The mesh product in lower case when the cluster has a service mesh.
    pub mesh: Option<String>,
    /// Where each unit of this cluster lives: node index → (namespace position, unit position).
    pub located: HashMap<usize, (usize, usize)>,
    pub network_policies: bool,
}

/// Traffic or access edges count as "uses".
pub(crate) fn is_use(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::Traffic | EdgeKind::Access)
}

impl<'a> ClusterPlan<'a> {
    pub fn new(dp: &DesignPlan<'a>, idx: usize, name: String) -> Self {
        let g = &dp.g;
        let mut ns_nodes: Vec<usize> = g
            .children(idx)
            .iter()
            .copied()
            .filter(|&c| g.kind(c) == Kind::Namespace)
            .collect();
        let ns_names = unique_kube_names(
            ns_nodes
                .iter()
                .map(|&i| (g.node(i).id.as_str(), g.node(i).name.as_str())),
        );
        ns_nodes.sort_by(|a, b| {
            ns_names[g.node(*a).id.as_str()].cmp(&ns_names[g.node(*b).id.as_str()])
        });
        let in_cluster = |i: usize| g.scope(i).cluster == Some(idx);

        let mut ingress: Vec<IngressCtl> = g
            .descendants(idx)
            .into_iter()
            .filter(|&i| g.kind(i) == Kind::IngressController)
            .map(|i| {
                let class = match &g.node(i).spec {
                    NodeSpec::IngressController(p) if !p.class.trim().is_empty() => {
                        kube_name_or(&p.class, "nginx")
                    }
                    _ => kube_name_or(&g.node(i).name, "nginx"),
                };
                let namespace = match g.scope(i).namespace {
                    Some(ns) => ns_names[g.node(ns).id.as_str()].clone(),
                    None => format!("ingress-{class}"),
                };
                IngressCtl {
                    idx: i,
                    class,
                    namespace,
                }
            })
            .collect();
        ingress.sort_by(|a, b| {
            (&a.class, &a.namespace, &g.node(a.idx).id).cmp(&(
                &b.class,
                &b.namespace,
                &g.node(b.idx).id,
            ))
        });

        let mesh = g
            .descendants(idx)
            .into_iter()
            .find(|&i| g.kind(i) == Kind::ServiceMesh)
            .map(|i| g.node(i).spec.product().to_lowercase());

        let mut namespaces = Vec::new();
        for &ns in &ns_nodes {
            let node = g.node(ns);
            let children = g.children(ns);
            let mut members: Vec<(usize, Body<'a>)> = Vec::new();
            let mut infra = false;
            for &c in children {
                let n = g.node(c);
                match &n.spec {
                    // An add-on drawn as a workload is installed from its chart (README).
                    NodeSpec::Workload(w) if super::addons::drawn(w).is_some() => infra = true,
                    NodeSpec::Workload(w) => members.push((c, Body::Workload(w))),
                    spec => match engines::store(spec) {
                        Some(s) if !s.managed => members.push((c, Body::Store(s))),
                        _ => {
                            infra |= matches!(
                                n.kind(),
                                Kind::IngressController
                                    | Kind::ServiceMesh
                                    | Kind::Monitoring
                                    | Kind::Logging
                                    | Kind::Tracing
                                    | Kind::SecretStore
                                    | Kind::ConfigStore
                                    | Kind::SecurityService
                                    | Kind::CiCd
                            )
                        }
                    },
                }
            }
            // Stores the namespace's workloads use that this cluster does not run itself.
            let mut externals: Vec<usize> = Vec::new();
            for &(w, _) in members
                .iter()
                .filter(|(_, b)| matches!(b, Body::Workload(_)))
            {
                for (e, t) in g.outgoing(w) {
                    if !is_use(g.edge(e).kind()) || externals.contains(&t) {
                        continue;
                    }
                    let Some(store) = engines::store(&g.node(t).spec) else {
                        continue;
                    };
                    let runs_here =
                        in_cluster(t) && !store.managed && g.scope(t).namespace.is_some();
                    if !runs_here {
                        externals.push(t);
                    }
                }
            }
            let names = unique_kube_names(
                members
                    .iter()
                    .map(|(i, _)| *i)
                    .chain(externals.iter().copied())
                    .map(|i| (g.node(i).id.as_str(), g.node(i).name.as_str())),
            );
            let mut units: Vec<Unit<'a>> = members
                .into_iter()
                .map(|(i, body)| Unit {
                    idx: i,
                    node: g.node(i),
                    name: names[g.node(i).id.as_str()].clone(),
                    body,
                })
                .collect();
            units.sort_by(|a, b| a.name.cmp(&b.name));
            let mut ext: Vec<External> = externals
                .into_iter()
                .filter_map(|i| {
                    let store = engines::store(&g.node(i).spec)?;
                    let name = names[g.node(i).id.as_str()].clone();
                    Some(External {
                        idx: i,
                        host: external_host(g, i),
                        name,
                        store: Store {
                            version: "",
                            ..store_static(store)
                        },
                    })
                })
                .collect();
            ext.sort_by(|a, b| a.name.cmp(&b.name));
            let mesh_injection = matches!(&node.spec, NodeSpec::Namespace(p) if p.mesh_injection);
            namespaces.push(NsPlan {
                idx: ns,
                name: ns_names[node.id.as_str()].clone(),
                mesh_injection,
                infra,
                units,
                externals: ext,
            });
        }
        let mut located = HashMap::new();
        for (n, ns) in namespaces.iter().enumerate() {
            for (u, unit) in ns.units.iter().enumerate() {
                located.insert(unit.idx, (n, u));
            }
        }
        let network_policies = match &g.node(idx).spec {
            NodeSpec::KubernetesCluster(c) => c.network_policies,
            _ => true,
        };
        ClusterPlan {
            idx,
            name,
            namespaces,
            ingress,
            mesh,
            located,
            network_policies,
        }
    }

    pub fn unit(&self, idx: usize) -> Option<(&NsPlan<'a>, &Unit<'a>)> {
        let (n, u) = *self.located.get(&idx)?;
        let ns = &self.namespaces[n];
        Some((ns, &ns.units[u]))
    }

    /// The ingress controller that serves an external workload: the one with a drawn edge to
    /// it, else the cluster's first.
    pub fn ingress_for(&self, g: &DesignGraph<'_>, unit: usize) -> Option<&IngressCtl> {
        g.incoming(unit)
            .filter(|(e, _)| matches!(g.edge(*e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute))
            .find_map(|(_, s)| self.ingress.iter().find(|c| c.idx == s))
            .or_else(|| self.ingress.first())
    }
}

/// A `Store` with the engine only (the version is not needed for an ExternalName).
fn store_static(s: Store<'_>) -> Store<'static> {
    Store {
        engine: s.engine,
        version: "",
        managed: s.managed,
        replicas: s.replicas,
    }
}

/// The DNS name a managed store is reached at. The model has no host field, so it is derived
/// from the store and its provider: `<store>.<provider>.internal`.
pub(crate) fn external_host(g: &DesignGraph<'_>, i: usize) -> String {
    let store = kube_name_or(&g.node(i).name, &g.node(i).id);
    let provider = g
        .provider_of(i)
        .map(|p| {
            let node = g.node(p);
            match &node.spec {
                NodeSpec::Provider(pp) if pp.cloud != Cloud::Other => {
                    kube_name_or(pp.cloud.label(), "cloud")
                }
                _ => kube_name_or(&node.name, "cloud"),
            }
        })
        .unwrap_or_else(|| "external".into());
    format!("{store}.{provider}.internal")
}

/// The CIDR of the subnet enclosing node `i`, when the design gives one.
pub(crate) fn subnet_cidr(g: &DesignGraph<'_>, i: usize) -> Option<String> {
    let s = g.scope(i).subnet?;
    match &g.node(s).spec {
        NodeSpec::Subnet(p) if valid_cidr(p.cidr.trim()) => Some(p.cidr.trim().to_string()),
        _ => None,
    }
}

/// An IPv4 or IPv6 CIDR, checked well enough that the policy is accepted.
fn valid_cidr(s: &str) -> bool {
    let Some((addr, len)) = s.split_once('/') else {
        return false;
    };
    let Ok(len) = len.parse::<u8>() else {
        return false;
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => len <= 32,
        Ok(std::net::IpAddr::V6(_)) => len <= 128,
        Err(_) => false,
    }
}
