//! A small design that exercises every part of the Kubernetes and Swarm exports: Cyrillic
//! names, three environments with per-environment overrides, canary / A/B / recreate
//! strategies, a self-hosted database as a StatefulSet, a managed database outside the
//! cluster, secret references, a service mesh, a job, and a Swarm cluster. Used by the golden
//! tests and by `examples/export_dir.rs`.

use std::collections::BTreeMap;

use crate::model::*;

fn workload(f: impl FnOnce(&mut WorkloadProps)) -> NodeSpec {
    let mut w = WorkloadProps {
        tag: "1.0.0".into(),
        ports: vec![Port {
            name: "http".into(),
            port: 8080,
            protocol: Protocol::Http,
        }],
        replicas: 2,
        resources: Resources {
            cpu_request: "100m".into(),
            cpu_limit: "500m".into(),
            memory_request: "128Mi".into(),
            memory_limit: "256Mi".into(),
        },
        liveness: Some(Probe {
            path: "/healthz".into(),
            port: 0,
        }),
        readiness: Some(Probe {
            path: "/ready".into(),
            port: 0,
        }),
        ..Default::default()
    };
    f(&mut w);
    NodeSpec::Workload(w)
}

fn traffic(protocol: Protocol, port: Option<u16>) -> EdgeSpec {
    EdgeSpec::Traffic(TrafficProps { protocol, port })
}

fn access() -> EdgeSpec {
    EdgeSpec::Access(AccessProps::default())
}

/// The sample design. Its secret references use the keys `db/password`, `payments/api-key`
/// and `queue/password`; no value of a secret exists anywhere in it.
pub fn design() -> Design {
    let mut d = Design::new("Мебельная фабрика");
    d.environments = vec![
        Environment {
            id: "dev".into(),
            name: "Development".into(),
            production: false,
        },
        Environment {
            id: "staging".into(),
            name: "Staging".into(),
            production: false,
        },
        Environment {
            id: "prod".into(),
            name: "Production".into(),
            production: true,
        },
    ];
    let mut nodes = Vec::new();
    let mut add = |id: &str, name: &str, parent: Option<&str>, spec: NodeSpec| {
        let mut n = Node::new(id, name, spec);
        n.parent = parent.map(str::to_string);
        nodes.push(n);
    };
    add(
        "users",
        "Покупатели",
        None,
        NodeSpec::UserGroup(UserGroupProps {
            country: "RU".into(),
            ..Default::default()
        }),
    );
    add(
        "aws",
        "AWS",
        None,
        NodeSpec::Provider(ProviderProps { cloud: Cloud::Aws }),
    );
    add(
        "region",
        "eu-central-1",
        Some("aws"),
        NodeSpec::Region(RegionProps {
            code: "eu-central-1".into(),
            jurisdiction: "EU".into(),
        }),
    );
    add(
        "public",
        "public",
        Some("region"),
        NodeSpec::Subnet(SubnetProps {
            visibility: Visibility::Public,
            cidr: "10.0.0.0/24".into(),
        }),
    );
    add(
        "private",
        "private",
        Some("region"),
        NodeSpec::Subnet(SubnetProps {
            visibility: Visibility::Private,
            cidr: "10.0.1.0/24".into(),
        }),
    );
    add(
        "data",
        "data",
        Some("region"),
        NodeSpec::Subnet(SubnetProps {
            visibility: Visibility::Private,
            cidr: "10.0.2.0/24".into(),
        }),
    );
    add(
        "lb",
        "ALB",
        Some("public"),
        NodeSpec::default_for(Kind::LoadBalancer),
    );
    add(
        "vault",
        "Vault",
        Some("region"),
        NodeSpec::SecretStore(ProductProps {
            product: "Vault".into(),
        }),
    );
    add(
        "orders-db",
        "Orders DB",
        Some("data"),
        NodeSpec::Database(DatabaseProps {
            version: "16".into(),
            multi_az: true,
            personal_data: true,
            ..Default::default()
        }),
    );
    add(
        "media",
        "Media",
        Some("region"),
        NodeSpec::ObjectStorage(ObjectStorageProps {
            product: "S3".into(),
            ..Default::default()
        }),
    );
    add(
        "payments",
        "Payment gateway",
        None,
        NodeSpec::ExternalSystem(ProductProps {
            product: "Payments API".into(),
        }),
    );

    add(
        "k8s",
        "Основной кластер",
        Some("private"),
        NodeSpec::KubernetesCluster(ClusterProps {
            zones: vec!["a".into(), "b".into()],
            ..Default::default()
        }),
    );
    add(
        "mesh",
        "Istio",
        Some("k8s"),
        NodeSpec::ServiceMesh(MeshProps {
            product: "Istio".into(),
            mtls: true,
        }),
    );
    add(
        "ns-ingress",
        "ingress",
        Some("k8s"),
        NodeSpec::default_for(Kind::Namespace),
    );
    add(
        "ingress",
        "NGINX",
        Some("ns-ingress"),
        NodeSpec::IngressController(IngressProps {
            class: "nginx".into(),
            tls: true,
        }),
    );
    add(
        "ns-shop",
        "Магазин",
        Some("k8s"),
        NodeSpec::default_for(Kind::Namespace),
    );
    add(
        "storefront",
        "Витрина",
        Some("ns-shop"),
        workload(|w| {
            w.image = "registry.example.com/furniture/storefront".into();
            w.exposure = Exposure::External;
            w.host = "shop.example.com".into();
            w.strategy = Strategy::Canary {
                step_weight: 10,
                max_weight: 50,
            };
            w.analysis = RolloutAnalysis {
                interval_minutes: 2,
                max_latency_ms: 300,
                ..RolloutAnalysis::DEFAULT
            };
            w.autoscaling = Some(Autoscaling {
                min: 2,
                max: 6,
                target_cpu: 70,
            });
            w.personal_data = true;
            w.env = vec![
                EnvVar {
                    name: "LOG_LEVEL".into(),
                    value: EnvValue::Plain("info".into()),
                },
                EnvVar {
                    name: "FEATURE_FLAGS".into(),
                    value: EnvValue::Plain("new-checkout".into()),
                },
                EnvVar {
                    name: "DB_PASSWORD".into(),
                    value: EnvValue::Secret {
                        store: "vault".into(),
                        key: "db/password".into(),
                    },
                },
                EnvVar {
                    name: "PAYMENTS_API_KEY".into(),
                    value: EnvValue::Secret {
                        store: "vault".into(),
                        key: "payments/api-key".into(),
                    },
                },
            ];
            w.overrides = BTreeMap::from([
                (
                    "dev".into(),
                    WorkloadOverride {
                        tag: Some("1.1.0-rc.1".into()),
                        host: Some("dev.shop.example.com".into()),
                        autoscaling: Some(Autoscaling {
                            min: 1,
                            max: 2,
                            target_cpu: 80,
                        }),
                        ..Default::default()
                    },
                ),
                (
                    "staging".into(),
                    WorkloadOverride {
                        host: Some("staging.shop.example.com".into()),
                        ..Default::default()
                    },
                ),
                (
                    "prod".into(),
                    WorkloadOverride {
                        autoscaling: Some(Autoscaling {
                            min: 4,
                            max: 20,
                            target_cpu: 60,
                        }),
                        resources: Some(Resources {
                            cpu_request: "250m".into(),
                            cpu_limit: "1".into(),
                            memory_request: "256Mi".into(),
                            memory_limit: "512Mi".into(),
                        }),
                        ..Default::default()
                    },
                ),
            ]);
        }),
    );
    add(
        "catalog",
        "Каталог",
        Some("ns-shop"),
        workload(|w| {
            w.image = "registry.example.com/furniture/catalog".into();
            w.ports = vec![Port {
                name: "grpc".into(),
                port: 9090,
                protocol: Protocol::Grpc,
            }];
            w.liveness = Some(Probe {
                path: String::new(),
                port: 9090,
            });
            w.readiness = Some(Probe {
                path: String::new(),
                port: 9090,
            });
            w.env = vec![EnvVar {
                name: "CACHE_TTL".into(),
                value: EnvValue::Plain("300".into()),
            }];
            w.overrides = BTreeMap::from([
                (
                    "dev".into(),
                    WorkloadOverride {
                        replicas: Some(1),
                        tag: Some("1.1.0-rc.1".into()),
                        ..Default::default()
                    },
                ),
                (
                    "prod".into(),
                    WorkloadOverride {
                        replicas: Some(3),
                        ..Default::default()
                    },
                ),
            ]);
        }),
    );
    add(
        "catalog-db",
        "Каталог БД",
        Some("ns-shop"),
        NodeSpec::Database(DatabaseProps {
            engine: DatabaseEngine::Postgresql,
            version: "16".into(),
            managed: false,
            replicas: 1,
            ..Default::default()
        }),
    );
    add(
        "cache",
        "Кэш",
        Some("ns-shop"),
        NodeSpec::Cache(CacheProps {
            managed: false,
            ..Default::default()
        }),
    );
    add(
        "orders",
        "Заказы",
        Some("ns-shop"),
        workload(|w| {
            w.workload_type = WorkloadType::Stateful;
            w.image = "registry.example.com/furniture/orders".into();
            w.replicas = 3;
            w.env = vec![EnvVar {
                name: "DB_PASSWORD".into(),
                value: EnvValue::Secret {
                    store: "vault".into(),
                    key: "db/password".into(),
                },
            }];
        }),
    );
    add(
        "reindex",
        "Переиндексация",
        Some("ns-shop"),
        workload(|w| {
            w.workload_type = WorkloadType::Job;
            w.image = "registry.example.com/furniture/reindex".into();
            w.ports = Vec::new();
            w.liveness = None;
            w.readiness = None;
            w.replicas = 1;
            w.overrides = BTreeMap::from([(
                "prod".into(),
                WorkloadOverride {
                    replicas: Some(2),
                    ..Default::default()
                },
            )]);
        }),
    );
    add(
        "ns-staff",
        "Сотрудники",
        Some("k8s"),
        NodeSpec::Namespace(NamespaceProps {
            mesh_injection: true,
        }),
    );
    add(
        "staff-api",
        "Staff API",
        Some("ns-staff"),
        workload(|w| {
            w.image = "registry.example.com/furniture/staff-api".into();
            w.strategy = Strategy::AbTesting {
                flags: vec!["new-checkout".into()],
                headers: vec![HeaderMatch {
                    header: "x-staff-beta".into(),
                    value: "on".into(),
                }],
            };
            w.env = vec![EnvVar {
                name: "DB_PASSWORD".into(),
                value: EnvValue::Secret {
                    store: "vault".into(),
                    key: "db/password".into(),
                },
            }];
        }),
    );
    add(
        "staff-web",
        "Staff web",
        Some("ns-staff"),
        workload(|w| {
            w.image = "registry.example.com/furniture/staff-web".into();
            w.exposure = Exposure::External;
            w.host = "staff.example.com".into();
            w.strategy = Strategy::Recreate;
            w.replicas = 1;
        }),
    );

    add(
        "swarm",
        "Swarm малого офиса",
        Some("private"),
        NodeSpec::SwarmCluster(SwarmProps {
            managers: 3,
            workers: 2,
            ..Default::default()
        }),
    );
    add(
        "web",
        "Web",
        Some("swarm"),
        workload(|w| {
            w.image = "registry.example.com/office/web".into();
            w.exposure = Exposure::External;
            w.host = "office.example.com".into();
            w.env = vec![EnvVar {
                name: "API_URL".into(),
                value: EnvValue::Plain("http://api:8080".into()),
            }];
        }),
    );
    add(
        "api",
        "API",
        Some("swarm"),
        workload(|w| {
            w.image = "registry.example.com/office/api".into();
            w.strategy = Strategy::Recreate;
            w.liveness = Some(Probe {
                path: String::new(),
                port: 8080,
            });
            w.env = vec![
                EnvVar {
                    name: "QUEUE_PASSWORD".into(),
                    value: EnvValue::Secret {
                        store: "vault".into(),
                        key: "queue/password".into(),
                    },
                },
                EnvVar {
                    name: "DB_PASSWORD".into(),
                    value: EnvValue::Secret {
                        store: "vault".into(),
                        key: "db/password".into(),
                    },
                },
            ];
        }),
    );
    add(
        "queue",
        "Очередь",
        Some("swarm"),
        NodeSpec::Queue(QueueProps {
            engine: QueueEngine::Rabbitmq,
            managed: false,
            ..Default::default()
        }),
    );
    d.nodes = nodes;

    let edges = [
        ("users", "lb", traffic(Protocol::Https, Some(443))),
        ("lb", "ingress", traffic(Protocol::Https, Some(443))),
        ("ingress", "storefront", traffic(Protocol::Http, None)),
        ("ingress", "staff-web", traffic(Protocol::Http, None)),
        ("storefront", "catalog", traffic(Protocol::Grpc, Some(9090))),
        ("storefront", "cache", traffic(Protocol::Tcp, Some(6379))),
        ("storefront", "orders-db", access()),
        ("storefront", "media", access()),
        (
            "storefront",
            "payments",
            traffic(Protocol::Https, Some(443)),
        ),
        ("catalog", "catalog-db", access()),
        ("orders", "orders-db", access()),
        ("reindex", "catalog-db", access()),
        ("staff-web", "staff-api", traffic(Protocol::Http, None)),
        ("staff-api", "orders-db", access()),
        ("staff-api", "orders", traffic(Protocol::Http, Some(8080))),
        ("lb", "web", traffic(Protocol::Https, Some(443))),
        ("web", "api", traffic(Protocol::Http, Some(8080))),
        ("api", "queue", access()),
        ("api", "orders-db", access()),
    ];
    d.edges = edges
        .into_iter()
        .enumerate()
        .map(|(i, (from, to, spec))| Edge::new(format!("e{}", i + 1), from, to, spec))
        .collect();
    d
}
