//! A small builder that keeps the template files readable: nodes by readable id, edges with
//! automatic ids (`e1`, `e2`, …), and short constructors for the typed properties.

use crate::model::layout::fill_missing;
use crate::model::*;

/// Builds one design; [`Builder::finish`] fills the layout.
pub struct Builder {
    design: Design,
}

/// A node just added, to set its parent and description.
pub struct NodeRef<'a>(&'a mut Node);

impl NodeRef<'_> {
    pub fn child_of(self, parent: &str) -> Self {
        self.0.parent = Some(parent.to_string());
        self
    }

    pub fn describe(self, text: &str) -> Self {
        self.0.description = text.to_string();
        self
    }
}

/// An edge just added, to set its label.
pub struct EdgeRef<'a>(&'a mut Edge);

impl EdgeRef<'_> {
    pub fn label(self, text: &str) -> Self {
        self.0.label = text.to_string();
        self
    }
}

impl Builder {
    pub fn new(name: &str) -> Self {
        Builder {
            design: Design::new(name),
        }
    }

    pub fn description(&mut self, text: &str) -> &mut Self {
        self.design.description = text.to_string();
        self
    }

    pub fn objectives(
        &mut self,
        rpo_minutes: u32,
        rto_minutes: u32,
        slo_percent: f64,
    ) -> &mut Self {
        self.design.objectives = Objectives {
            rpo_minutes: Some(rpo_minutes),
            rto_minutes: Some(rto_minutes),
            slo_percent: Some(slo_percent),
            throughput_per_minute: self.design.objectives.throughput_per_minute,
        };
        self
    }

    /// The peak load the design must carry, in transactions a minute.
    pub fn throughput(&mut self, per_minute: u32) -> &mut Self {
        self.design.objectives.throughput_per_minute = Some(per_minute);
        self
    }

    pub fn env(&mut self, id: &str, name: &str, production: bool) -> &mut Self {
        self.design.environments.push(Environment {
            id: id.to_string(),
            name: name.to_string(),
            production,
        });
        self
    }

    pub fn node(&mut self, id: &str, name: &str, spec: impl Into<NodeSpec>) -> NodeRef<'_> {
        self.design.nodes.push(Node::new(id, name, spec.into()));
        NodeRef(self.design.nodes.last_mut().expect("just pushed"))
    }

    /// Adds a node inside `parent`.
    pub fn add(
        &mut self,
        parent: &str,
        id: &str,
        name: &str,
        spec: impl Into<NodeSpec>,
    ) -> NodeRef<'_> {
        self.node(id, name, spec).child_of(parent)
    }

    fn edge(&mut self, from: &str, to: &str, spec: EdgeSpec) -> EdgeRef<'_> {
        let id = format!("e{}", self.design.edges.len() + 1);
        self.design.edges.push(Edge::new(id, from, to, spec));
        EdgeRef(self.design.edges.last_mut().expect("just pushed"))
    }

    pub fn traffic(&mut self, from: &str, to: &str, protocol: Protocol, port: u16) -> EdgeRef<'_> {
        self.edge(
            from,
            to,
            EdgeSpec::Traffic(TrafficProps {
                protocol,
                port: Some(port),
            }),
        )
    }

    /// A route of a geo router for users of `countries` (empty: the default route).
    pub fn geo_route(&mut self, from: &str, to: &str, countries: &[&str]) -> EdgeRef<'_> {
        self.edge(
            from,
            to,
            EdgeSpec::GeoRoute(GeoRouteProps {
                countries: countries.iter().map(|c| c.to_string()).collect(),
                failover: None,
            }),
        )
    }

    /// A failover route of a DNS router: the primary or the standby target.
    pub fn failover(&mut self, from: &str, to: &str, role: FailoverRole) -> EdgeRef<'_> {
        self.edge(
            from,
            to,
            EdgeSpec::GeoRoute(GeoRouteProps {
                countries: Vec::new(),
                failover: Some(role),
            }),
        )
    }

    pub fn replication(
        &mut self,
        from: &str,
        to: &str,
        mode: ReplicationMode,
        rpo_minutes: Option<u32>,
    ) -> EdgeRef<'_> {
        self.edge(
            from,
            to,
            EdgeSpec::Replication(ReplicationProps { mode, rpo_minutes }),
        )
    }

    pub fn vpn(&mut self, from: &str, to: &str, product: &str) -> EdgeRef<'_> {
        self.edge(
            from,
            to,
            EdgeSpec::Vpn(ProductProps {
                product: product.into(),
            }),
        )
    }

    pub fn access(&mut self, from: &str, to: &str, mode: AccessMode) -> EdgeRef<'_> {
        self.edge(from, to, EdgeSpec::Access(AccessProps { mode }))
    }

    pub fn observes(&mut self, from: &str, to: &str) -> EdgeRef<'_> {
        self.edge(from, to, EdgeSpec::Observes(NoProps {}))
    }

    pub fn depends_on(&mut self, from: &str, to: &str) -> EdgeRef<'_> {
        self.edge(from, to, EdgeSpec::DependsOn(NoProps {}))
    }

    /// Accepts the findings of `rule` on `targets` on purpose, for `reason` (see `validate::policy`).
    pub fn waive(&mut self, rule: &str, targets: &[&str], reason: &str) -> &mut Self {
        self.design.waivers.push(Waiver {
            rule: rule.to_string(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            reason: reason.to_string(),
            expires: None,
        });
        self
    }

    /// The design with every node placed by the automatic layout.
    pub fn finish(self) -> Design {
        let mut design = self.design;
        fill_missing(&mut design);
        design
    }
}

// ---------------------------------------------------------------------------------------------
// Property constructors.

pub fn provider(cloud: Cloud) -> NodeSpec {
    NodeSpec::Provider(ProviderProps { cloud })
}

pub fn region(code: &str, jurisdiction: &str) -> NodeSpec {
    NodeSpec::Region(RegionProps {
        code: code.into(),
        jurisdiction: jurisdiction.into(),
    })
}

pub fn subnet(visibility: Visibility, cidr: &str) -> NodeSpec {
    NodeSpec::Subnet(SubnetProps {
        visibility,
        cidr: cidr.into(),
    })
}

/// A Kubernetes cluster serving `environment` (empty: every environment) across `zones`.
pub fn k8s(environment: &str, zones: &[&str], version: &str) -> ClusterProps {
    ClusterProps {
        environment: environment.into(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        version: version.into(),
        ..ClusterProps::default()
    }
}

impl From<ClusterProps> for NodeSpec {
    fn from(p: ClusterProps) -> Self {
        NodeSpec::KubernetesCluster(p)
    }
}

pub fn swarm(zones: &[&str], managers: u32, workers: u32) -> NodeSpec {
    NodeSpec::SwarmCluster(SwarmProps {
        environment: String::new(),
        zones: zones.iter().map(|z| z.to_string()).collect(),
        managers,
        workers,
    })
}

pub fn namespace() -> NodeSpec {
    NodeSpec::Namespace(NamespaceProps::default())
}

/// A namespace whose pods get the mesh sidecar.
pub fn meshed_namespace() -> NodeSpec {
    NodeSpec::Namespace(NamespaceProps {
        mesh_injection: true,
    })
}

/// A kind described by its product (monitoring, secret store, CI/CD…).
pub fn product(kind: Kind, name: &str) -> NodeSpec {
    let p = ProductProps {
        product: name.into(),
    };
    match kind {
        Kind::ContainerRegistry => NodeSpec::ContainerRegistry(p),
        Kind::Cdn => NodeSpec::Cdn(p),
        Kind::Waf => NodeSpec::Waf(p),
        Kind::VpnGateway => NodeSpec::VpnGateway(p),
        Kind::Monitoring => NodeSpec::Monitoring(p),
        Kind::Logging => NodeSpec::Logging(p),
        Kind::Tracing => NodeSpec::Tracing(p),
        Kind::SecretStore => NodeSpec::SecretStore(p),
        Kind::ConfigStore => NodeSpec::ConfigStore(p),
        Kind::SecurityService => NodeSpec::SecurityService(p),
        Kind::CiCd => NodeSpec::CiCd(p),
        Kind::ExternalSystem => NodeSpec::ExternalSystem(p),
        other => panic!("{other:?} is not described by a product"),
    }
}

pub fn object_storage(product: &str) -> NodeSpec {
    NodeSpec::ObjectStorage(ObjectStorageProps {
        product: product.into(),
        ..ObjectStorageProps::default()
    })
}

/// Object storage holding personal data (backups, say) under `jurisdiction`.
pub fn personal_object_storage(product: &str, jurisdiction: &str) -> NodeSpec {
    NodeSpec::ObjectStorage(ObjectStorageProps {
        product: product.into(),
        public_read: false,
        jurisdiction: jurisdiction.into(),
        personal_data: true,
    })
}

pub fn lb(product: &str, layer: Layer) -> LoadBalancerProps {
    LoadBalancerProps {
        product: product.into(),
        layer,
        ..LoadBalancerProps::default()
    }
}

impl From<LoadBalancerProps> for NodeSpec {
    fn from(p: LoadBalancerProps) -> Self {
        NodeSpec::LoadBalancer(p)
    }
}

pub fn ingress(class: &str) -> NodeSpec {
    NodeSpec::IngressController(IngressProps {
        class: class.into(),
        tls: true,
    })
}

pub fn mesh(product: &str) -> NodeSpec {
    NodeSpec::ServiceMesh(MeshProps {
        product: product.into(),
        mtls: true,
    })
}

pub fn router(product: &str, policy: RoutingPolicy) -> NodeSpec {
    NodeSpec::GeoRouter(GeoRouterProps {
        product: product.into(),
        policy,
        health_check: true,
    })
}

/// Customers from `country` (empty: anywhere); their requests carry personal data.
pub fn users(country: &str) -> NodeSpec {
    NodeSpec::UserGroup(UserGroupProps {
        country: country.into(),
        ..UserGroupProps::default()
    })
}

pub fn staff(country: &str) -> NodeSpec {
    NodeSpec::UserGroup(UserGroupProps {
        country: country.into(),
        personal_data: true,
        staff: true,
    })
}

/// A database, cache or queue; chain the setters, then pass it to [`Builder::node`].
pub struct Store<E>(pub StoreProps<E>);

pub fn db(engine: DatabaseEngine, version: &str) -> Store<DatabaseEngine> {
    Store::new(engine, version)
}

pub fn cache(engine: CacheEngine, version: &str) -> Store<CacheEngine> {
    Store::new(engine, version)
}

pub fn queue(engine: QueueEngine, version: &str) -> Store<QueueEngine> {
    Store::new(engine, version)
}

impl<E: Default> Store<E> {
    fn new(engine: E, version: &str) -> Self {
        Store(StoreProps {
            engine,
            version: version.into(),
            ..StoreProps::default()
        })
    }

    /// Run by the team (a StatefulSet, a VM) rather than the provider.
    pub fn self_hosted(mut self) -> Self {
        self.0.managed = false;
        self
    }

    pub fn multi_az(mut self) -> Self {
        self.0.multi_az = true;
        self
    }

    pub fn replicas(mut self, n: u32) -> Self {
        self.0.replicas = n;
        self
    }

    pub fn personal_data(mut self) -> Self {
        self.0.personal_data = true;
        self
    }

    pub fn jurisdiction(mut self, j: &str) -> Self {
        self.0.jurisdiction = j.into();
        self
    }
}

impl From<Store<DatabaseEngine>> for NodeSpec {
    fn from(s: Store<DatabaseEngine>) -> Self {
        NodeSpec::Database(s.0)
    }
}

impl From<Store<CacheEngine>> for NodeSpec {
    fn from(s: Store<CacheEngine>) -> Self {
        NodeSpec::Cache(s.0)
    }
}

impl From<Store<QueueEngine>> for NodeSpec {
    fn from(s: Store<QueueEngine>) -> Self {
        NodeSpec::Queue(s.0)
    }
}

/// A workload; chain the setters, then pass it to [`Builder::node`].
pub struct Svc(pub WorkloadProps);

/// A production-ready stateless service: `image:tag` serving HTTP on `port`, two replicas,
/// requests and limits, liveness `/healthz` and readiness `/ready` probes.
pub fn svc(image: &str, tag: &str, port: u16) -> Svc {
    Svc(WorkloadProps {
        image: image.into(),
        tag: tag.into(),
        ports: vec![Port {
            name: "http".into(),
            port,
            protocol: Protocol::Http,
        }],
        replicas: 2,
        resources: Resources {
            cpu_request: "100m".into(),
            cpu_limit: "500m".into(),
            memory_request: "128Mi".into(),
            memory_limit: "512Mi".into(),
        },
        liveness: Some(Probe {
            path: "/healthz".into(),
            port,
        }),
        readiness: Some(Probe {
            path: "/ready".into(),
            port,
        }),
        ..WorkloadProps::default()
    })
}

impl Svc {
    pub fn replicas(mut self, n: u32) -> Self {
        self.0.replicas = n;
        self
    }

    pub fn stateful(mut self) -> Self {
        self.0.workload_type = WorkloadType::Stateful;
        self
    }

    /// Replaces the single port with one of another protocol (probes become TCP checks).
    pub fn port(mut self, name: &str, port: u16, protocol: Protocol) -> Self {
        self.0.ports = vec![Port {
            name: name.into(),
            port,
            protocol,
        }];
        if protocol != Protocol::Http {
            self.0.liveness = Some(Probe {
                path: String::new(),
                port,
            });
            self.0.readiness = Some(Probe {
                path: String::new(),
                port,
            });
        }
        self
    }

    pub fn resources(
        mut self,
        cpu_request: &str,
        cpu_limit: &str,
        mem_request: &str,
        mem_limit: &str,
    ) -> Self {
        self.0.resources = Resources {
            cpu_request: cpu_request.into(),
            cpu_limit: cpu_limit.into(),
            memory_request: mem_request.into(),
            memory_limit: mem_limit.into(),
        };
        self
    }

    pub fn autoscale(mut self, min: u32, max: u32, target_cpu: u8) -> Self {
        self.0.autoscaling = Some(Autoscaling {
            min,
            max,
            target_cpu,
        });
        self
    }

    /// Reachable from outside the system at `host`.
    pub fn external(mut self, host: &str) -> Self {
        self.0.exposure = Exposure::External;
        self.0.host = host.into();
        self
    }

    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.0.strategy = strategy;
        self
    }

    pub fn canary(self, step_weight: u8, max_weight: u8) -> Self {
        self.strategy(Strategy::Canary {
            step_weight,
            max_weight,
        })
    }

    pub fn ab(self, flags: &[&str]) -> Self {
        self.strategy(Strategy::AbTesting {
            flags: flags.iter().map(|f| f.to_string()).collect(),
            headers: Vec::new(),
        })
    }

    pub fn personal_data(mut self) -> Self {
        self.0.personal_data = true;
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.0.env.push(EnvVar {
            name: name.into(),
            value: EnvValue::Plain(value.into()),
        });
        self
    }

    /// An environment variable whose value is the secret `key` of secret store `store`.
    pub fn secret(mut self, name: &str, store: &str, key: &str) -> Self {
        self.0.env.push(EnvVar {
            name: name.into(),
            value: EnvValue::Secret {
                store: store.into(),
                key: key.into(),
            },
        });
        self
    }

    fn override_mut(&mut self, env: &str) -> &mut WorkloadOverride {
        self.0.overrides.entry(env.to_string()).or_default()
    }

    pub fn replicas_in(mut self, env: &str, n: u32) -> Self {
        self.override_mut(env).replicas = Some(n);
        self
    }

    pub fn tag_in(mut self, env: &str, tag: &str) -> Self {
        self.override_mut(env).tag = Some(tag.into());
        self
    }

    pub fn host_in(mut self, env: &str, host: &str) -> Self {
        self.override_mut(env).host = Some(host.into());
        self
    }

    pub fn autoscale_in(mut self, env: &str, min: u32, max: u32, target_cpu: u8) -> Self {
        self.override_mut(env).autoscaling = Some(Autoscaling {
            min,
            max,
            target_cpu,
        });
        self
    }
}

impl From<Svc> for NodeSpec {
    fn from(s: Svc) -> Self {
        NodeSpec::Workload(s.0)
    }
}
