//! Typed properties of each node kind.
//!
//! Every field has a default and defaults are not written out, so a design file (and a share
//! link) carries only what the user set.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::NodeId;

pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn is_true(value: &bool) -> bool {
    *value
}

fn one() -> u32 {
    1
}

fn is_one(value: &u32) -> bool {
    *value == 1
}

/// Properties for kinds that carry nothing beyond their name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoProps {}

/// Properties for kinds described by the product that implements them (Prometheus, Vault, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProductProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub product: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    Aws,
    Yandex,
    Gcp,
    Azure,
    OnPrem,
    #[default]
    Other,
}

impl Cloud {
    pub const ALL: [Cloud; 6] = [
        Cloud::Aws,
        Cloud::Yandex,
        Cloud::Gcp,
        Cloud::Azure,
        Cloud::OnPrem,
        Cloud::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Cloud::Aws => "AWS",
            Cloud::Yandex => "Yandex Cloud",
            Cloud::Gcp => "Google Cloud",
            Cloud::Azure => "Azure",
            Cloud::OnPrem => "On-premises",
            Cloud::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderProps {
    #[serde(skip_serializing_if = "is_default")]
    pub cloud: Cloud,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionProps {
    /// The provider's code, e.g. `eu-central-1` or `ru-central1`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// The legal jurisdiction of data stored here: an ISO country code or `EU`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jurisdiction: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZoneProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub code: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    #[default]
    Private,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubnetProps {
    #[serde(skip_serializing_if = "is_default")]
    pub visibility: Visibility,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cidr: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterProps {
    /// The environment this cluster serves; empty means every environment of the design.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub environment: String,
    /// Availability zones the cluster's nodes run in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// A provider-managed control plane (EKS, Yandex Managed Kubernetes…).
    #[serde(skip_serializing_if = "is_true")]
    pub managed: bool,
    /// Export default-deny network policies (Kubernetes) or split networks (Swarm).
    #[serde(skip_serializing_if = "is_true")]
    pub network_policies: bool,
}

impl Default for ClusterProps {
    fn default() -> Self {
        ClusterProps {
            environment: String::new(),
            zones: Vec::new(),
            version: String::new(),
            managed: true,
            network_policies: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadType {
    #[default]
    Stateless,
    Stateful,
    Job,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    #[default]
    Http,
    Https,
    Grpc,
    Tcp,
    Udp,
}

impl Protocol {
    pub const ALL: [Protocol; 5] = [
        Protocol::Http,
        Protocol::Https,
        Protocol::Grpc,
        Protocol::Tcp,
        Protocol::Udp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Grpc => "grpc",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Port {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub port: u16,
    #[serde(skip_serializing_if = "is_default")]
    pub protocol: Protocol,
}

/// Kubernetes resource quantities as written in manifests (`250m`, `512Mi`); empty is unset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Resources {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cpu_request: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cpu_limit: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub memory_request: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub memory_limit: String,
}

impl Resources {
    pub fn has_limits(&self) -> bool {
        !self.cpu_limit.is_empty() && !self.memory_limit.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Autoscaling {
    pub min: u32,
    pub max: u32,
    /// Target average CPU utilisation in percent.
    pub target_cpu: u8,
}

/// A health probe: an HTTP GET of `path` when a path is given, a TCP check otherwise.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Probe {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    pub port: u16,
}

/// An environment variable's value: plain configuration, or a reference to a secret held in a
/// secret store node. The model has no place for a secret's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum EnvValue {
    Plain(String),
    Secret { store: NodeId, key: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    #[default]
    Internal,
    External,
}

/// How a new version rolls out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Strategy {
    #[default]
    Rolling,
    Recreate,
    BlueGreen,
    /// Progressive traffic shifting (Flagger): `step_weight` percent per step up to `max_weight`.
    Canary {
        step_weight: u8,
        max_weight: u8,
    },
    /// A/B by feature flags (users see the new version when a flag is on) or by request
    /// headers matching a value (`x-beta: on`); with neither, by a `canary=always` cookie.
    AbTesting {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        headers: Vec<HeaderMatch>,
    },
}

/// A request header and the exact value that routes a request to the new version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderMatch {
    pub header: String,
    pub value: String,
}

/// How a progressive rollout (canary, blue-green, A/B) judges the new version: every
/// `interval_minutes` it checks the request success rate and latency, gives up after
/// `threshold` failed checks, and (blue-green, A/B) promotes after `iterations` good ones.
/// The defaults are Flagger's documented example values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RolloutAnalysis {
    #[serde(skip_serializing_if = "is_analysis_interval")]
    pub interval_minutes: u32,
    #[serde(skip_serializing_if = "is_analysis_threshold")]
    pub threshold: u32,
    #[serde(skip_serializing_if = "is_analysis_iterations")]
    pub iterations: u32,
    /// Lowest acceptable share of successful requests, in percent.
    #[serde(skip_serializing_if = "is_analysis_success")]
    pub min_success_percent: u8,
    /// Highest acceptable request duration (99th percentile), in milliseconds.
    #[serde(skip_serializing_if = "is_analysis_latency")]
    pub max_latency_ms: u32,
}

impl RolloutAnalysis {
    pub const DEFAULT: RolloutAnalysis = RolloutAnalysis {
        interval_minutes: 1,
        threshold: 5,
        iterations: 10,
        min_success_percent: 99,
        max_latency_ms: 500,
    };
}

impl Default for RolloutAnalysis {
    fn default() -> Self {
        RolloutAnalysis::DEFAULT
    }
}

fn is_analysis_interval(v: &u32) -> bool {
    *v == RolloutAnalysis::DEFAULT.interval_minutes
}
fn is_analysis_threshold(v: &u32) -> bool {
    *v == RolloutAnalysis::DEFAULT.threshold
}
fn is_analysis_iterations(v: &u32) -> bool {
    *v == RolloutAnalysis::DEFAULT.iterations
}
fn is_analysis_success(v: &u8) -> bool {
    *v == RolloutAnalysis::DEFAULT.min_success_percent
}
fn is_analysis_latency(v: &u32) -> bool {
    *v == RolloutAnalysis::DEFAULT.max_latency_ms
}

impl Strategy {
    pub fn label(&self) -> &'static str {
        match self {
            Strategy::Rolling => "rolling",
            Strategy::Recreate => "recreate",
            Strategy::BlueGreen => "blue-green",
            Strategy::Canary { .. } => "canary",
            Strategy::AbTesting { .. } => "A/B testing",
        }
    }
}

/// What differs for a workload in one environment; unset fields keep the base value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadOverride {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<Autoscaling>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadProps {
    #[serde(skip_serializing_if = "is_default")]
    pub workload_type: WorkloadType,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tag: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Port>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub replicas: u32,
    #[serde(skip_serializing_if = "is_default")]
    pub resources: Resources,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<Autoscaling>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveness: Option<Probe>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Probe>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(skip_serializing_if = "is_default")]
    pub exposure: Exposure,
    /// The public host name of an external workload (`shop.example.com`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub host: String,
    #[serde(skip_serializing_if = "is_default")]
    pub strategy: Strategy,
    /// How a progressive strategy judges the new version (unused by rolling and recreate).
    #[serde(skip_serializing_if = "is_default")]
    pub analysis: RolloutAnalysis,
    /// The workload processes personal data.
    #[serde(skip_serializing_if = "is_default")]
    pub personal_data: bool,
    /// Per-environment differences, keyed by environment id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub overrides: BTreeMap<String, WorkloadOverride>,
}

impl Default for WorkloadProps {
    fn default() -> Self {
        WorkloadProps {
            workload_type: WorkloadType::default(),
            image: String::new(),
            tag: String::new(),
            ports: Vec::new(),
            replicas: 1,
            resources: Resources::default(),
            autoscaling: None,
            liveness: None,
            readiness: None,
            env: Vec::new(),
            exposure: Exposure::default(),
            host: String::new(),
            strategy: Strategy::default(),
            analysis: RolloutAnalysis::default(),
            personal_data: false,
            overrides: BTreeMap::new(),
        }
    }
}

impl WorkloadProps {
    /// Replicas in environment `env`, with the environment's override applied.
    pub fn replicas_in(&self, env: &str) -> u32 {
        self.overrides
            .get(env)
            .and_then(|o| o.replicas)
            .unwrap_or(self.replicas)
    }

    pub fn autoscaling_in(&self, env: &str) -> Option<&Autoscaling> {
        self.overrides
            .get(env)
            .and_then(|o| o.autoscaling.as_ref())
            .or(self.autoscaling.as_ref())
    }

    pub fn resources_in(&self, env: &str) -> &Resources {
        self.overrides
            .get(env)
            .and_then(|o| o.resources.as_ref())
            .unwrap_or(&self.resources)
    }

    pub fn tag_in(&self, env: &str) -> &str {
        self.overrides
            .get(env)
            .and_then(|o| o.tag.as_deref())
            .unwrap_or(&self.tag)
    }

    pub fn host_in(&self, env: &str) -> &str {
        self.overrides
            .get(env)
            .and_then(|o| o.host.as_deref())
            .unwrap_or(&self.host)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseEngine {
    #[default]
    Postgresql,
    Mysql,
    Mongodb,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheEngine {
    #[default]
    Redis,
    Memcached,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueEngine {
    #[default]
    Kafka,
    Rabbitmq,
    Nats,
}

/// Properties shared by databases, caches and queues; `E` is the kind's engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    default,
    deny_unknown_fields,
    bound(
        serialize = "E: Serialize + Default + PartialEq",
        deserialize = "E: Deserialize<'de> + Default"
    )
)]
pub struct StoreProps<E> {
    #[serde(skip_serializing_if = "is_default")]
    pub engine: E,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// A provider-managed service (RDS, Yandex Managed PostgreSQL); otherwise self-hosted.
    #[serde(skip_serializing_if = "is_true")]
    pub managed: bool,
    #[serde(skip_serializing_if = "is_default")]
    pub multi_az: bool,
    #[serde(skip_serializing_if = "is_true")]
    pub backups: bool,
    /// Read replicas or cluster members beyond the primary.
    #[serde(skip_serializing_if = "is_default")]
    pub replicas: u32,
    /// Overrides the region's jurisdiction when the data is held elsewhere by contract.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jurisdiction: String,
    #[serde(skip_serializing_if = "is_default")]
    pub personal_data: bool,
    /// Reachable from the internet (a public endpoint).
    #[serde(skip_serializing_if = "is_default")]
    pub public: bool,
}

impl<E: Default> Default for StoreProps<E> {
    fn default() -> Self {
        StoreProps {
            engine: E::default(),
            version: String::new(),
            managed: true,
            multi_az: false,
            backups: true,
            replicas: 0,
            jurisdiction: String::new(),
            personal_data: false,
            public: false,
        }
    }
}

pub type DatabaseProps = StoreProps<DatabaseEngine>;
pub type CacheProps = StoreProps<CacheEngine>;
pub type QueueProps = StoreProps<QueueEngine>;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ObjectStorageProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub product: String,
    /// Objects readable by anyone on the internet (static assets behind a CDN, say).
    #[serde(skip_serializing_if = "is_default")]
    pub public_read: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jurisdiction: String,
    #[serde(skip_serializing_if = "is_default")]
    pub personal_data: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    L4,
    #[default]
    L7,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoadBalancerProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub product: String,
    #[serde(skip_serializing_if = "is_default")]
    pub layer: Layer,
    /// Faces the internet.
    #[serde(skip_serializing_if = "is_true")]
    pub public: bool,
    #[serde(skip_serializing_if = "is_true")]
    pub tls: bool,
    /// A balancer embedded in the client library rather than a network hop (seed 002).
    #[serde(skip_serializing_if = "is_default")]
    pub client_side: bool,
}

impl Default for LoadBalancerProps {
    fn default() -> Self {
        LoadBalancerProps {
            product: String::new(),
            layer: Layer::L7,
            public: true,
            tls: true,
            client_side: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngressProps {
    /// The IngressClass name, e.g. `nginx`.
    pub class: String,
    #[serde(skip_serializing_if = "is_true")]
    pub tls: bool,
}

impl Default for IngressProps {
    fn default() -> Self {
        IngressProps {
            class: "nginx".into(),
            tls: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeshProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub product: String,
    #[serde(skip_serializing_if = "is_true")]
    pub mtls: bool,
}

impl Default for MeshProps {
    fn default() -> Self {
        MeshProps {
            product: String::new(),
            mtls: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingPolicy {
    /// By the user's country.
    #[default]
    Geo,
    /// Primary and standby with health checks.
    Failover,
    Weighted,
    Latency,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeoRouterProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub product: String,
    #[serde(skip_serializing_if = "is_default")]
    pub policy: RoutingPolicy,
    #[serde(skip_serializing_if = "is_true")]
    pub health_check: bool,
}

impl Default for GeoRouterProps {
    fn default() -> Self {
        GeoRouterProps {
            product: String::new(),
            policy: RoutingPolicy::Geo,
            health_check: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UserGroupProps {
    /// ISO country code of the users (`RU`, `DE`) or `EU`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub country: String,
    /// The users' requests carry personal data.
    #[serde(skip_serializing_if = "is_true")]
    pub personal_data: bool,
    /// Staff rather than customers.
    #[serde(skip_serializing_if = "is_default")]
    pub staff: bool,
}

impl Default for UserGroupProps {
    fn default() -> Self {
        UserGroupProps {
            country: String::new(),
            personal_data: true,
            staff: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NamespaceProps {
    /// Sidecar injection by the cluster's service mesh.
    #[serde(skip_serializing_if = "is_default")]
    pub mesh_injection: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SwarmProps {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub environment: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default = "one")]
    pub managers: u32,
    pub workers: u32,
}

impl Default for SwarmProps {
    fn default() -> Self {
        SwarmProps {
            environment: String::new(),
            zones: Vec::new(),
            managers: 1,
            workers: 0,
        }
    }
}
