//! Node and edge kinds, and what the model allows between them.
//!
//! Every kind declares its palette group, the parents it may sit under and the edges it takes;
//! the editor's palette, the structure rules and the exports all read these tables, so a new kind
//! is added here once.

use serde::{Deserialize, Serialize};

/// What a node is. The typed properties of each kind live in [`super::NodeSpec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
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
}

/// Palette groups, in the order the palette shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Providers,
    Network,
    Compute,
    Data,
    Operations,
    External,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::Providers,
        Group::Network,
        Group::Compute,
        Group::Data,
        Group::Operations,
        Group::External,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Group::Providers => "Providers",
            Group::Network => "Network",
            Group::Compute => "Compute",
            Group::Data => "Data",
            Group::Operations => "Operations",
            Group::External => "External",
        }
    }
}

/// Where a node may sit: at the top of the design or under a node of one of these kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Top,
    Kind(Kind),
}

use Kind as K;

const AT_TOP: &[Option<Kind>] = &[None];
const NETWORK_PLACES: &[Option<Kind>] = &[Some(K::Region), Some(K::Zone), Some(K::Subnet)];
const OPERATIONS_PLACES: &[Option<Kind>] = &[
    None,
    Some(K::Provider),
    Some(K::Region),
    Some(K::Zone),
    Some(K::Subnet),
    Some(K::KubernetesCluster),
    Some(K::Namespace),
    Some(K::SwarmCluster),
];
const STORE_PLACES: &[Option<Kind>] = &[
    Some(K::Region),
    Some(K::Zone),
    Some(K::Subnet),
    Some(K::Namespace),
    Some(K::SwarmCluster),
];
const GLOBAL_PLACES: &[Option<Kind>] = &[None, Some(K::Provider)];
const PROVIDER_PLACES: &[Option<Kind>] = &[Some(K::Provider), Some(K::Region)];

impl Kind {
    pub const ALL: [Kind; 29] = [
        K::Provider,
        K::Region,
        K::Zone,
        K::Subnet,
        K::KubernetesCluster,
        K::SwarmCluster,
        K::Namespace,
        K::Workload,
        K::Database,
        K::Cache,
        K::Queue,
        K::ObjectStorage,
        K::ContainerRegistry,
        K::LoadBalancer,
        K::IngressController,
        K::ServiceMesh,
        K::GeoRouter,
        K::Cdn,
        K::Waf,
        K::VpnGateway,
        K::Monitoring,
        K::Logging,
        K::Tracing,
        K::SecretStore,
        K::ConfigStore,
        K::SecurityService,
        K::CiCd,
        K::UserGroup,
        K::ExternalSystem,
    ];

    /// The snake_case name used in the design file (`"kubernetes_cluster"`).
    pub fn as_str(self) -> &'static str {
        match self {
            K::Provider => "provider",
            K::Region => "region",
            K::Zone => "zone",
            K::Subnet => "subnet",
            K::KubernetesCluster => "kubernetes_cluster",
            K::SwarmCluster => "swarm_cluster",
            K::Namespace => "namespace",
            K::Workload => "workload",
            K::Database => "database",
            K::Cache => "cache",
            K::Queue => "queue",
            K::ObjectStorage => "object_storage",
            K::ContainerRegistry => "container_registry",
            K::LoadBalancer => "load_balancer",
            K::IngressController => "ingress_controller",
            K::ServiceMesh => "service_mesh",
            K::GeoRouter => "geo_router",
            K::Cdn => "cdn",
            K::Waf => "waf",
            K::VpnGateway => "vpn_gateway",
            K::Monitoring => "monitoring",
            K::Logging => "logging",
            K::Tracing => "tracing",
            K::SecretStore => "secret_store",
            K::ConfigStore => "config_store",
            K::SecurityService => "security_service",
            K::CiCd => "ci_cd",
            K::UserGroup => "user_group",
            K::ExternalSystem => "external_system",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A human label for the palette and messages.
    pub fn label(self) -> &'static str {
        match self {
            K::Provider => "Cloud provider",
            K::Region => "Region",
            K::Zone => "Availability zone",
            K::Subnet => "Subnet",
            K::KubernetesCluster => "Kubernetes cluster",
            K::SwarmCluster => "Swarm cluster",
            K::Namespace => "Namespace",
            K::Workload => "Workload",
            K::Database => "Database",
            K::Cache => "Cache",
            K::Queue => "Message queue",
            K::ObjectStorage => "Object storage",
            K::ContainerRegistry => "Container registry",
            K::LoadBalancer => "Load balancer",
            K::IngressController => "Ingress controller",
            K::ServiceMesh => "Service mesh",
            K::GeoRouter => "Geo / DNS router",
            K::Cdn => "CDN",
            K::Waf => "WAF",
            K::VpnGateway => "VPN gateway",
            K::Monitoring => "Monitoring",
            K::Logging => "Logging",
            K::Tracing => "Tracing",
            K::SecretStore => "Secret store",
            K::ConfigStore => "Config store",
            K::SecurityService => "Security service",
            K::CiCd => "CI/CD",
            K::UserGroup => "User group",
            K::ExternalSystem => "External system",
        }
    }

    /// Products and other words people search the palette with (draw.io and Cloudcraft users
    /// type "postgres" or "s3", not "database"), besides the label and the kind's id.
    pub fn search_terms(self) -> &'static str {
        match self {
            K::Provider => "cloud aws amazon yandex gcp google azure on-premises datacenter облако",
            K::Region => "region location регион",
            K::Zone => "availability zone az datacenter зона",
            K::Subnet => "subnet vpc network cidr public private подсеть",
            K::KubernetesCluster => "kubernetes k8s eks gke aks cluster кластер",
            K::SwarmCluster => "docker swarm cluster",
            K::Namespace => "namespace",
            K::Workload => {
                "workload service deployment statefulset job container pod app microservice сервис"
            }
            K::Database => "database db postgres postgresql mysql mongodb rds sql база",
            K::Cache => "cache redis memcached elasticache кэш",
            K::Queue => "queue kafka msk rabbitmq broker очередь",
            K::ObjectStorage => "object storage s3 bucket blob хранилище",
            K::ContainerRegistry => "container registry ecr docker images реестр",
            K::LoadBalancer => "load balancer alb nlb elb haproxy traefik балансировщик",
            K::IngressController => "ingress nginx controller",
            K::ServiceMesh => "service mesh istio linkerd consul",
            K::GeoRouter => "geo dns router route53 failover балансировщик-роутер",
            K::Cdn => "cdn cloudfront edge",
            K::Waf => "waf firewall shield",
            K::VpnGateway => "vpn gateway openvpn wireguard tunnel",
            K::Monitoring => "monitoring prometheus grafana cloudwatch alertmanager мониторинг",
            K::Logging => "logging logs elk loki fluent elasticsearch kibana",
            K::Tracing => "tracing jaeger zipkin opentelemetry",
            K::SecretStore => "secret store vault kms secrets",
            K::ConfigStore => "config store consul etcd configuration",
            K::SecurityService => "security iam guardduty security hub acm certificate",
            K::CiCd => "ci cd pipeline gitlab github jenkins terraform helm ansible",
            K::UserGroup => "user group users customers clients staff пользователи",
            K::ExternalSystem => "external system active directory nfs third-party api",
        }
    }

    /// Whether the palette shows this kind for `query`: every word of it starts a word of the
    /// label, the id or the search terms (case-insensitive). An empty query shows everything.
    pub fn matches_search(self, query: &str) -> bool {
        let haystack = format!(
            "{} {} {}",
            self.label(),
            self.as_str().replace('_', " "),
            self.search_terms()
        )
        .to_lowercase();
        let words: Vec<&str> = haystack
            .split(|c: char| c.is_whitespace() || c == '/' || c == '-')
            .collect();
        query
            .to_lowercase()
            .split_whitespace()
            .all(|q| words.iter().any(|w| w.starts_with(q)) || haystack.contains(q) && q.len() > 3)
    }

    pub fn group(self) -> Group {
        match self {
            K::Provider | K::Region | K::Zone | K::Subnet => Group::Providers,
            K::LoadBalancer
            | K::IngressController
            | K::ServiceMesh
            | K::GeoRouter
            | K::Cdn
            | K::Waf
            | K::VpnGateway => Group::Network,
            K::KubernetesCluster
            | K::SwarmCluster
            | K::Namespace
            | K::Workload
            | K::ContainerRegistry => Group::Compute,
            K::Database | K::Cache | K::Queue | K::ObjectStorage => Group::Data,
            K::Monitoring
            | K::Logging
            | K::Tracing
            | K::SecretStore
            | K::ConfigStore
            | K::SecurityService
            | K::CiCd => Group::Operations,
            K::UserGroup | K::ExternalSystem => Group::External,
        }
    }

    /// Containers are drawn as boxes holding their children.
    pub fn is_container(self) -> bool {
        matches!(
            self,
            K::Provider
                | K::Region
                | K::Zone
                | K::Subnet
                | K::KubernetesCluster
                | K::SwarmCluster
                | K::Namespace
        )
    }

    pub fn is_cluster(self) -> bool {
        matches!(self, K::KubernetesCluster | K::SwarmCluster)
    }

    /// Stateful stores whose exposure, residency and replication the rules watch.
    pub fn is_data_store(self) -> bool {
        matches!(self, K::Database | K::Cache | K::Queue | K::ObjectStorage)
    }

    /// Entry points that may legitimately receive traffic from the internet.
    pub fn is_entry_point(self) -> bool {
        matches!(
            self,
            K::LoadBalancer | K::IngressController | K::GeoRouter | K::Cdn | K::Waf
        )
    }

    /// The parents this kind may have; `None` stands for the top of the design.
    pub fn allowed_parents(self) -> &'static [Option<Kind>] {
        match self {
            K::Provider | K::UserGroup => AT_TOP,
            K::Region => &[Some(K::Provider)],
            K::Zone => &[Some(K::Region)],
            K::Subnet => &[Some(K::Region), Some(K::Zone)],
            K::KubernetesCluster | K::SwarmCluster => &[
                Some(K::Provider),
                Some(K::Region),
                Some(K::Zone),
                Some(K::Subnet),
            ],
            K::Namespace => &[Some(K::KubernetesCluster)],
            K::Workload => &[Some(K::Namespace), Some(K::SwarmCluster)],
            K::Database | K::Cache | K::Queue => STORE_PLACES,
            K::ObjectStorage | K::ContainerRegistry => PROVIDER_PLACES,
            K::LoadBalancer => &[
                Some(K::Provider),
                Some(K::Region),
                Some(K::Zone),
                Some(K::Subnet),
                Some(K::Namespace),
                Some(K::SwarmCluster),
            ],
            K::IngressController => &[Some(K::KubernetesCluster), Some(K::Namespace)],
            K::ServiceMesh => &[Some(K::KubernetesCluster), Some(K::Namespace)],
            K::GeoRouter | K::Cdn => GLOBAL_PLACES,
            K::Waf => &[None, Some(K::Provider), Some(K::Region), Some(K::Subnet)],
            K::VpnGateway => NETWORK_PLACES,
            K::Monitoring
            | K::Logging
            | K::Tracing
            | K::SecretStore
            | K::ConfigStore
            | K::SecurityService
            | K::CiCd => OPERATIONS_PLACES,
            K::ExternalSystem => &[
                None,
                Some(K::Provider),
                Some(K::Region),
                Some(K::Zone),
                Some(K::Subnet),
            ],
        }
    }

    pub fn may_have_parent(self, parent: Option<Kind>) -> bool {
        self.allowed_parents().contains(&parent)
    }

    /// Kinds that send network traffic (the source end of a traffic edge).
    pub fn sends_traffic(self) -> bool {
        matches!(
            self,
            K::UserGroup
                | K::LoadBalancer
                | K::IngressController
                | K::GeoRouter
                | K::Cdn
                | K::Waf
                | K::Workload
                | K::ExternalSystem
                | K::ServiceMesh
                | K::Monitoring
                | K::Logging
                | K::CiCd
        )
    }

    /// Kinds that accept network traffic (the target end of a traffic edge).
    pub fn receives_traffic(self) -> bool {
        matches!(
            self,
            K::LoadBalancer
                | K::IngressController
                | K::GeoRouter
                | K::Cdn
                | K::Waf
                | K::Workload
                | K::Database
                | K::Cache
                | K::Queue
                | K::ObjectStorage
                | K::ContainerRegistry
                | K::ExternalSystem
                | K::SecretStore
                | K::ConfigStore
                | K::Monitoring
                | K::Logging
                | K::Tracing
                | K::ServiceMesh
        )
    }

    /// Whether an edge of `edge` kind may run from a node of this kind to one of `to`.
    pub fn accepts_edge(self, edge: EdgeKind, to: Kind) -> bool {
        match edge {
            EdgeKind::Traffic => self.sends_traffic() && to.receives_traffic(),
            EdgeKind::Access => {
                matches!(self, K::Workload | K::ExternalSystem | K::CiCd)
                    && (to.is_data_store()
                        || matches!(
                            to,
                            K::ContainerRegistry
                                | K::SecretStore
                                | K::ConfigStore
                                | K::ExternalSystem
                        ))
            }
            EdgeKind::Replication => self == to && self.is_data_store(),
            EdgeKind::Vpn => self == K::VpnGateway && to == K::VpnGateway,
            EdgeKind::GeoRoute => {
                matches!(self, K::GeoRouter | K::LoadBalancer)
                    && matches!(
                        to,
                        K::LoadBalancer
                            | K::IngressController
                            | K::Cdn
                            | K::Waf
                            | K::Workload
                            | K::GeoRouter
                    )
            }
            EdgeKind::Observes => {
                matches!(
                    self,
                    K::Monitoring | K::Logging | K::Tracing | K::SecurityService
                )
            }
            EdgeKind::DependsOn => true,
        }
    }

    /// The edge kinds that may run from this kind to `to`, most specific first.
    pub fn edge_kinds_to(self, to: Kind) -> Vec<EdgeKind> {
        EdgeKind::ALL
            .into_iter()
            .filter(|e| self.accepts_edge(*e, to))
            .collect()
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What an edge is. The typed properties live in [`super::EdgeSpec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Network traffic with a protocol and port.
    Traffic,
    /// A workload reads or writes a store.
    Access,
    /// Data replication between two stores of one kind.
    Replication,
    /// A VPN tunnel between two gateways.
    Vpn,
    /// A geo or failover route of a DNS router.
    GeoRoute,
    /// Monitoring, logging, tracing or security watching a node.
    Observes,
    /// A plain dependency.
    DependsOn,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 7] = [
        EdgeKind::Traffic,
        EdgeKind::Access,
        EdgeKind::Replication,
        EdgeKind::Vpn,
        EdgeKind::GeoRoute,
        EdgeKind::Observes,
        EdgeKind::DependsOn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Traffic => "traffic",
            EdgeKind::Access => "access",
            EdgeKind::Replication => "replication",
            EdgeKind::Vpn => "vpn",
            EdgeKind::GeoRoute => "geo_route",
            EdgeKind::Observes => "observes",
            EdgeKind::DependsOn => "depends_on",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Traffic => "Traffic",
            EdgeKind::Access => "Reads / writes",
            EdgeKind::Replication => "Replication",
            EdgeKind::Vpn => "VPN tunnel",
            EdgeKind::GeoRoute => "Geo route",
            EdgeKind::Observes => "Observes",
            EdgeKind::DependsOn => "Depends on",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_search_finds_kinds_by_label_id_and_product() {
        let found = |q: &str| -> Vec<Kind> {
            Kind::ALL
                .into_iter()
                .filter(|k| k.matches_search(q))
                .collect()
        };
        assert_eq!(found("").len(), Kind::ALL.len());
        assert_eq!(found("postgres"), [Kind::Database]);
        assert_eq!(found("Redis"), [Kind::Cache]);
        assert_eq!(found("s3"), [Kind::ObjectStorage]);
        assert_eq!(found("k8s"), [Kind::KubernetesCluster]);
        assert_eq!(found("load bal"), [Kind::LoadBalancer]);
        assert_eq!(found("geo"), [Kind::GeoRouter]);
        assert!(found("cluster").contains(&Kind::SwarmCluster));
        assert!(found("cluster").contains(&Kind::KubernetesCluster));
        assert_eq!(found("очередь"), [Kind::Queue]);
        assert!(found("zzz").is_empty());
        assert!(found("mesh istio").contains(&Kind::ServiceMesh));
        assert!(
            !found("mesh redis").contains(&Kind::ServiceMesh),
            "every word must match"
        );
    }

    #[test]
    fn names_round_trip_and_every_kind_has_a_place() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.as_str()), Some(k));
            assert!(!k.allowed_parents().is_empty(), "{k:?}");
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
    }

    #[test]
    fn containment_follows_the_tree() {
        assert!(Kind::Region.may_have_parent(Some(Kind::Provider)));
        assert!(!Kind::Region.may_have_parent(None));
        assert!(Kind::Workload.may_have_parent(Some(Kind::Namespace)));
        assert!(!Kind::Workload.may_have_parent(Some(Kind::Region)));
        assert!(Kind::UserGroup.may_have_parent(None));
    }

    #[test]
    fn edges_follow_kinds() {
        assert!(Kind::Database.accepts_edge(EdgeKind::Replication, Kind::Database));
        assert!(!Kind::Database.accepts_edge(EdgeKind::Replication, Kind::Cache));
        assert!(Kind::UserGroup.accepts_edge(EdgeKind::Traffic, Kind::LoadBalancer));
        assert!(!Kind::Database.accepts_edge(EdgeKind::Traffic, Kind::Workload));
        assert_eq!(
            Kind::VpnGateway.edge_kinds_to(Kind::VpnGateway),
            vec![EdgeKind::Vpn, EdgeKind::DependsOn]
        );
    }
}
