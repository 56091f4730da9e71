//! The design document: nodes in a containment tree, edges between them, environments, and a
//! layout kept apart from the semantics.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::kind::{EdgeKind, Kind};
use super::policy::{Settings, Waiver};
use super::props::*;

/// The design file format this build writes. Older versions migrate forward on load.
pub const FORMAT_VERSION: u32 = 1;

/// A node id: stable across edits, unique within a design, `[A-Za-z0-9_.-]{1,64}`.
pub type NodeId = String;
/// An edge id, with the same rules as node ids.
pub type EdgeId = String;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub objectives: Objectives,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<Environment>,
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layout: BTreeMap<NodeId, Rect>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub settings: Settings,
    /// Findings the team accepted on purpose (`validate::policy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

impl Default for Design {
    fn default() -> Self {
        Design::new("Untitled design")
    }
}

impl Design {
    pub fn new(name: impl Into<String>) -> Self {
        Design {
            version: FORMAT_VERSION,
            name: name.into(),
            description: String::new(),
            objectives: Objectives::default(),
            environments: Vec::new(),
            nodes: Vec::new(),
            edges: Vec::new(),
            layout: BTreeMap::new(),
            settings: Settings::default(),
            waivers: Vec::new(),
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| n.id == id)
    }

    pub fn edge(&self, id: &str) -> Option<&Edge> {
        self.edges.iter().find(|e| e.id == id)
    }

    pub fn environment(&self, id: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.id == id)
    }

    /// A node id not yet used, `prefix` followed by the lowest free number.
    pub fn fresh_node_id(&self, prefix: &str) -> NodeId {
        fresh_id(prefix, self.nodes.iter().map(|n| n.id.as_str()))
    }

    pub fn fresh_edge_id(&self, prefix: &str) -> EdgeId {
        fresh_id(prefix, self.edges.iter().map(|e| e.id.as_str()))
    }
}

fn fresh_id<'a>(prefix: &str, used: impl Iterator<Item = &'a str>) -> String {
    let next = used
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .map_or(1, |n| n + 1);
    format!("{prefix}{next}")
}

/// Recovery and service objectives the design promises (seed 003: RPO 15 min, RTO 1 h, 99.9 %).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Objectives {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpo_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto_minutes: Option<u32>,
    /// Availability objective in percent, e.g. 99.9.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slo_percent: Option<f64>,
    /// Peak load the design must carry, in transactions (requests) a minute (seed 003: 5,000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_per_minute: Option<u32>,
}

/// A stage the design is deployed to (dev, staging, prod, or the stands of seed 002).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Short id used in overlays and overrides, e.g. `prod`.
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub production: bool,
}

/// A node's box on the canvas, serialised as `[x, y, width, height]` to keep links short.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect(pub i32, pub i32, pub i32, pub i32);

impl Rect {
    pub fn x(&self) -> i32 {
        self.0
    }
    pub fn y(&self) -> i32 {
        self.1
    }
    pub fn w(&self) -> i32 {
        self.2
    }
    pub fn h(&self) -> i32 {
        self.3
    }
}

/// A component of the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "super::load::RawNode")]
pub struct Node {
    pub id: NodeId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<NodeId>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(flatten)]
    pub spec: NodeSpec,
}

impl Node {
    pub fn new(id: impl Into<NodeId>, name: impl Into<String>, spec: NodeSpec) -> Self {
        Node {
            id: id.into(),
            name: name.into(),
            parent: None,
            description: String::new(),
            spec,
        }
    }

    pub fn with_parent(mut self, parent: impl Into<NodeId>) -> Self {
        self.parent = Some(parent.into());
        self
    }

    pub fn kind(&self) -> Kind {
        self.spec.kind()
    }
}

/// A node's kind together with its typed properties. In JSON: `"kind": "…", "props": {…}`.
// Workloads carry most properties; boxing them would save a few hundred bytes a node at the
// cost of an indirection on every access, and designs stay within 20,000 nodes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "props", rename_all = "snake_case")]
pub enum NodeSpec {
    Provider(ProviderProps),
    Region(RegionProps),
    Zone(ZoneProps),
    Subnet(SubnetProps),
    KubernetesCluster(ClusterProps),
    SwarmCluster(SwarmProps),
    Namespace(NamespaceProps),
    Workload(WorkloadProps),
    Database(DatabaseProps),
    Cache(CacheProps),
    Queue(QueueProps),
    ObjectStorage(ObjectStorageProps),
    ContainerRegistry(ProductProps),
    LoadBalancer(LoadBalancerProps),
    IngressController(IngressProps),
    ServiceMesh(MeshProps),
    GeoRouter(GeoRouterProps),
    Cdn(ProductProps),
    Waf(ProductProps),
    VpnGateway(ProductProps),
    Monitoring(ProductProps),
    Logging(ProductProps),
    Tracing(ProductProps),
    SecretStore(ProductProps),
    ConfigStore(ProductProps),
    SecurityService(ProductProps),
    CiCd(ProductProps),
    UserGroup(UserGroupProps),
    ExternalSystem(ProductProps),
}

macro_rules! spec_table {
    ($($variant:ident),* $(,)?) => {
        impl NodeSpec {
            pub fn kind(&self) -> Kind {
                match self { $(NodeSpec::$variant(_) => Kind::$variant,)* }
            }

            /// The spec of a new node of `kind`, every property at its default.
            pub fn default_for(kind: Kind) -> NodeSpec {
                match kind { $(Kind::$variant => NodeSpec::$variant(Default::default()),)* }
            }

            /// Reads the properties of a node of `kind` from JSON text (absent means all
            /// defaults). The error is serde's; [`explain_props`](Self::explain_props) names
            /// the field (the page's first-load bundle leaves that parser out: see
            /// `load::load_design_brief`).
            pub fn from_props(kind: Kind, props: Option<&serde_json::value::RawValue>) -> Result<NodeSpec, String> {
                let text = props_text(props);
                match kind {
                    $(Kind::$variant => serde_json::from_str(text)
                        .map(NodeSpec::$variant)
                        .map_err(|e| without_position(&e.to_string())),)*
                }
            }

            /// Why [`from_props`](Self::from_props) refuses these properties, naming the
            /// field (`replicas: invalid type…`); empty when it does not.
            pub fn explain_props(kind: Kind, props: Option<&serde_json::value::RawValue>) -> String {
                let mut de = serde_json::Deserializer::from_str(props_text(props));
                match kind {
                    $(Kind::$variant => serde_path_to_error::deserialize(&mut de).map(NodeSpec::$variant).err(),)*
                }
                .map_or_else(String::new, describe_path_error)
            }
        }
    };
}

spec_table!(
    Provider,
    Region,
    Zone,
    Subnet,
    KubernetesCluster,
    SwarmCluster,
    Namespace,
    Workload,
    Database,
    Cache,
    Queue,
    ObjectStorage,
    ContainerRegistry,
    LoadBalancer,
    IngressController,
    ServiceMesh,
    GeoRouter,
    Cdn,
    Waf,
    VpnGateway,
    Monitoring,
    Logging,
    Tracing,
    SecretStore,
    ConfigStore,
    SecurityService,
    CiCd,
    UserGroup,
    ExternalSystem,
);

/// serde's message without its position (a position in the props text would mislead).
fn without_position(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The JSON text of `props`; absent or `null` is an empty object (all defaults).
fn props_text(props: Option<&serde_json::value::RawValue>) -> &str {
    match props.map(|p| p.get()) {
        None | Some("null") => "{}",
        Some(text) => text,
    }
}

pub(crate) fn describe_path_error(e: serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    // Positions inside the props text would mislead: the loader reports the path instead.
    let message = e.into_inner().to_string();
    let message = message.split(" at line ").next().unwrap_or_default();
    if path == "." || path.is_empty() {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }
}

impl NodeSpec {
    pub fn workload(&self) -> Option<&WorkloadProps> {
        match self {
            NodeSpec::Workload(w) => Some(w),
            _ => None,
        }
    }

    /// The cluster settings shared by Kubernetes and Swarm clusters: environment and zones.
    pub fn cluster_placement(&self) -> Option<(&str, &[String])> {
        match self {
            NodeSpec::KubernetesCluster(c) => Some((&c.environment, &c.zones)),
            NodeSpec::SwarmCluster(c) => Some((&c.environment, &c.zones)),
            _ => None,
        }
    }

    /// Residency and exposure facts of a data store, whatever its kind.
    pub fn store_facts(&self) -> Option<StoreFacts<'_>> {
        match self {
            NodeSpec::Database(p) => Some(StoreFacts::of(p)),
            NodeSpec::Cache(p) => Some(StoreFacts::of(p)),
            NodeSpec::Queue(p) => Some(StoreFacts::of(p)),
            NodeSpec::ObjectStorage(p) => Some(StoreFacts {
                jurisdiction: &p.jurisdiction,
                personal_data: p.personal_data,
                public: false,
                multi_az: true,
            }),
            _ => None,
        }
    }

    /// The product name where the kind has one (`Vault`, `Prometheus`…), else empty.
    pub fn product(&self) -> &str {
        match self {
            NodeSpec::ContainerRegistry(p)
            | NodeSpec::Cdn(p)
            | NodeSpec::Waf(p)
            | NodeSpec::VpnGateway(p)
            | NodeSpec::Monitoring(p)
            | NodeSpec::Logging(p)
            | NodeSpec::Tracing(p)
            | NodeSpec::SecretStore(p)
            | NodeSpec::ConfigStore(p)
            | NodeSpec::SecurityService(p)
            | NodeSpec::CiCd(p)
            | NodeSpec::ExternalSystem(p) => &p.product,
            NodeSpec::ObjectStorage(p) => &p.product,
            NodeSpec::LoadBalancer(p) => &p.product,
            NodeSpec::ServiceMesh(p) => &p.product,
            NodeSpec::GeoRouter(p) => &p.product,
            _ => "",
        }
    }
}

/// What the rules need to know about any data store.
#[derive(Debug, Clone, Copy)]
pub struct StoreFacts<'a> {
    pub jurisdiction: &'a str,
    pub personal_data: bool,
    pub public: bool,
    pub multi_az: bool,
}

impl<'a> StoreFacts<'a> {
    fn of<E>(p: &'a StoreProps<E>) -> Self {
        StoreFacts {
            jurisdiction: &p.jurisdiction,
            personal_data: p.personal_data,
            public: p.public,
            multi_az: p.multi_az,
        }
    }
}

/// A link between two nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "super::load::RawEdge")]
pub struct Edge {
    pub id: EdgeId,
    pub from: NodeId,
    pub to: NodeId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(flatten)]
    pub spec: EdgeSpec,
}

impl Edge {
    pub fn new(
        id: impl Into<EdgeId>,
        from: impl Into<NodeId>,
        to: impl Into<NodeId>,
        spec: EdgeSpec,
    ) -> Self {
        Edge {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            label: String::new(),
            spec,
        }
    }

    pub fn kind(&self) -> EdgeKind {
        self.spec.kind()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicationMode {
    Sync,
    #[default]
    Async,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessMode {
    Read,
    Write,
    #[default]
    ReadWrite,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailoverRole {
    #[default]
    Primary,
    Standby,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrafficProps {
    #[serde(skip_serializing_if = "is_default")]
    pub protocol: Protocol,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccessProps {
    #[serde(skip_serializing_if = "is_default")]
    pub mode: AccessMode,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplicationProps {
    #[serde(skip_serializing_if = "is_default")]
    pub mode: ReplicationMode,
    /// The most data, in minutes, that failing over to the replica can lose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpo_minutes: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeoRouteProps {
    /// Countries (ISO codes or `EU`) routed along this edge; empty is the default route.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// For failover routing: the primary or the standby target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failover: Option<FailoverRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "props", rename_all = "snake_case")]
pub enum EdgeSpec {
    Traffic(TrafficProps),
    Access(AccessProps),
    Replication(ReplicationProps),
    Vpn(ProductProps),
    GeoRoute(GeoRouteProps),
    Observes(NoProps),
    DependsOn(NoProps),
}

macro_rules! edge_spec_table {
    ($($variant:ident),* $(,)?) => {
        impl EdgeSpec {
            pub fn kind(&self) -> EdgeKind {
                match self { $(EdgeSpec::$variant(_) => EdgeKind::$variant,)* }
            }

            pub fn default_for(kind: EdgeKind) -> EdgeSpec {
                match kind { $(EdgeKind::$variant => EdgeSpec::$variant(Default::default()),)* }
            }

            /// Reads the properties of an edge of `kind` from JSON text (absent means all
            /// defaults). The error is serde's; [`explain_props`](Self::explain_props) names
            /// the field (the page's first-load bundle leaves that parser out: see
            /// `load::load_design_brief`).
            pub fn from_props(kind: EdgeKind, props: Option<&serde_json::value::RawValue>) -> Result<EdgeSpec, String> {
                let text = props_text(props);
                match kind {
                    $(EdgeKind::$variant => serde_json::from_str(text)
                        .map(EdgeSpec::$variant)
                        .map_err(|e| without_position(&e.to_string())),)*
                }
            }

            /// Why [`from_props`](Self::from_props) refuses these properties, naming the
            /// field (`replicas: invalid type…`); empty when it does not.
            pub fn explain_props(kind: EdgeKind, props: Option<&serde_json::value::RawValue>) -> String {
                let mut de = serde_json::Deserializer::from_str(props_text(props));
                match kind {
                    $(EdgeKind::$variant => serde_path_to_error::deserialize(&mut de).map(EdgeSpec::$variant).err(),)*
                }
                .map_or_else(String::new, describe_path_error)
            }
        }
    };
}

edge_spec_table!(
    Traffic,
    Access,
    Replication,
    Vpn,
    GeoRoute,
    Observes,
    DependsOn
);
