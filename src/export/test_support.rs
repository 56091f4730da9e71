//! Helpers shared by the export tests: YAML read-back, a walk over every string, and random
//! small designs with sentinel secret keys and plain values.

use serde_json::Value;

use super::ExportFile;
use crate::model::*;

/// Every secret key in `random_design` starts with this; it must only ever appear as a
/// reference (`secretKeyRef.key`, a Swarm secret name).
pub(crate) const SECRET_KEY_PREFIX: &str = "sentinel-secret-key";
/// A plain value under a secret-looking name: it must land only in configuration.
pub(crate) const PLAIN_SENTINEL: &str = "PLAIN-SENTINEL-VALUE";

/// The YAML documents of a file, read back with serde-saphyr.
pub(crate) fn parse_docs(f: &ExportFile) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(&f.contents)
        .unwrap_or_else(|e| panic!("{} does not parse as YAML: {e}\n{}", f.path, f.contents))
        .into_iter()
        .filter(|v| !v.is_null())
        .collect()
}

/// Every field path in `v` (`spec.analysis.interval`; items of a list share their list's path),
/// not descending below the paths in `opaque` (types checked by their own schema). Used to hold
/// the custom objects we write to the fields their API reference lists.
pub(crate) fn field_paths(v: &Value, opaque: &[&str]) -> Vec<String> {
    fn walk(v: &Value, prefix: &str, opaque: &[&str], out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.push(p.clone());
                    if !opaque.contains(&p.as_str()) {
                        walk(child, &p, opaque, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, prefix, opaque, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", opaque, &mut out);
    out
}

/// Calls `f(path, string)` for every string (keys included) in `v`.
pub(crate) fn walk_strings(v: &Value, path: &mut Vec<String>, f: &mut dyn FnMut(&[String], &str)) {
    match v {
        Value::String(s) => f(path, s),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                walk_strings(x, path, f);
                path.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                f(path, k);
                path.push(k.clone());
                walk_strings(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A tiny deterministic generator (SplitMix64) so a proptest seed gives one design.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const NAMES: &[&str] = &[
    "API",
    "api",
    "Сервис заказов",
    "web",
    "worker",
    "🚀",
    "Кэш",
    "a very long name that will certainly be cut because it exceeds sixty three characters",
    "db",
];

/// A random small design: one or two Kubernetes clusters and maybe a Swarm cluster, a few
/// namespaces, workloads of every type and strategy, stores inside and outside, secret
/// references, environments with overrides, and random edges between them.
pub(crate) fn random_design(seed: u64) -> Design {
    let mut r = Rng(seed);
    let mut d = Design::new(NAMES[r.below(NAMES.len())]);
    let env_ids: Vec<&str> = match r.below(3) {
        0 => vec![],
        1 => vec!["prod"],
        _ => vec!["dev", "ИФТ", "prod"],
    };
    d.environments = env_ids
        .iter()
        .map(|id| Environment {
            id: id.to_string(),
            name: String::new(),
            production: *id == "prod",
        })
        .collect();
    let mut n = 0usize;
    let mut add = |d: &mut Design, name: &str, parent: Option<&str>, spec: NodeSpec| -> String {
        n += 1;
        let id = format!("n{n}");
        let mut node = Node::new(id.clone(), name, spec);
        node.parent = parent.map(str::to_string);
        d.nodes.push(node);
        id
    };
    let provider = add(
        &mut d,
        "Cloud",
        None,
        NodeSpec::Provider(ProviderProps {
            cloud: Cloud::Yandex,
        }),
    );
    let region = add(
        &mut d,
        "ru-central1",
        Some(&provider),
        NodeSpec::Region(RegionProps::default()),
    );
    let cidr = if r.chance(50) { "10.1.0.0/16" } else { "" };
    let subnet = add(
        &mut d,
        "private",
        Some(&region),
        NodeSpec::Subnet(SubnetProps {
            visibility: Visibility::Private,
            cidr: cidr.into(),
        }),
    );
    let vault = add(
        &mut d,
        "Vault",
        Some(&region),
        NodeSpec::SecretStore(ProductProps::default()),
    );
    let managed_db = add(
        &mut d,
        NAMES[r.below(NAMES.len())],
        Some(&subnet),
        NodeSpec::Database(DatabaseProps::default()),
    );
    let lb = add(
        &mut d,
        "LB",
        Some(&subnet),
        NodeSpec::default_for(Kind::LoadBalancer),
    );
    let mut targets = vec![managed_db.clone()];
    let mut workloads = Vec::new();
    let mut ingresses = Vec::new();
    let clusters = 1 + r.below(2);
    for c in 0..clusters {
        let env = if r.chance(20) && !env_ids.is_empty() {
            env_ids[r.below(env_ids.len())].to_string()
        } else {
            String::new()
        };
        let cluster = add(
            &mut d,
            NAMES[r.below(NAMES.len())],
            Some(&subnet),
            NodeSpec::KubernetesCluster(ClusterProps {
                environment: env,
                network_policies: r.chance(85),
                ..Default::default()
            }),
        );
        if r.chance(70) {
            let parent = if r.chance(50) {
                cluster.clone()
            } else {
                add(
                    &mut d,
                    "ingress-nginx",
                    Some(&cluster),
                    NodeSpec::default_for(Kind::Namespace),
                )
            };
            ingresses.push(add(
                &mut d,
                "NGINX",
                Some(&parent),
                NodeSpec::default_for(Kind::IngressController),
            ));
        }
        if r.chance(30) {
            add(
                &mut d,
                "Istio",
                Some(&cluster),
                NodeSpec::ServiceMesh(MeshProps {
                    product: "Istio".into(),
                    mtls: true,
                }),
            );
        }
        for _ in 0..1 + r.below(3) {
            let ns = add(
                &mut d,
                NAMES[r.below(NAMES.len())],
                Some(&cluster),
                NodeSpec::Namespace(NamespaceProps {
                    mesh_injection: r.chance(30),
                }),
            );
            for _ in 0..r.below(5) {
                if r.chance(20) {
                    let store = match r.below(3) {
                        0 => NodeSpec::Database(DatabaseProps {
                            managed: r.chance(20),
                            replicas: r.below(3) as u32,
                            engine: [
                                DatabaseEngine::Postgresql,
                                DatabaseEngine::Mysql,
                                DatabaseEngine::Mongodb,
                            ][r.below(3)],
                            ..Default::default()
                        }),
                        1 => NodeSpec::Cache(CacheProps {
                            managed: false,
                            ..Default::default()
                        }),
                        _ => NodeSpec::Queue(QueueProps {
                            managed: false,
                            engine: [QueueEngine::Kafka, QueueEngine::Rabbitmq, QueueEngine::Nats]
                                [r.below(3)],
                            ..Default::default()
                        }),
                    };
                    targets.push(add(&mut d, NAMES[r.below(NAMES.len())], Some(&ns), store));
                    continue;
                }
                let w = random_workload(&mut r, &vault, &env_ids, c);
                let id = add(
                    &mut d,
                    NAMES[r.below(NAMES.len())],
                    Some(&ns),
                    NodeSpec::Workload(w),
                );
                workloads.push(id.clone());
                targets.push(id);
            }
        }
    }
    if r.chance(50) {
        let swarm = add(
            &mut d,
            "Swarm",
            Some(&subnet),
            NodeSpec::SwarmCluster(SwarmProps::default()),
        );
        for _ in 0..r.below(4) {
            let w = random_workload(&mut r, &vault, &env_ids, 9);
            let id = add(
                &mut d,
                NAMES[r.below(NAMES.len())],
                Some(&swarm),
                NodeSpec::Workload(w),
            );
            workloads.push(id.clone());
            targets.push(id);
        }
        if r.chance(50) {
            targets.push(add(
                &mut d,
                "queue",
                Some(&swarm),
                NodeSpec::Queue(QueueProps {
                    managed: false,
                    ..Default::default()
                }),
            ));
        }
    }
    let mut e = 0;
    let mut edge = |d: &mut Design, from: &str, to: &str, spec: EdgeSpec| {
        e += 1;
        d.edges.push(Edge::new(format!("e{e}"), from, to, spec));
    };
    for w in &workloads {
        for _ in 0..r.below(3) {
            let t = targets[r.below(targets.len())].clone();
            let spec = if r.chance(50) {
                EdgeSpec::Access(AccessProps::default())
            } else {
                EdgeSpec::Traffic(TrafficProps {
                    protocol: [Protocol::Http, Protocol::Grpc, Protocol::Tcp, Protocol::Udp]
                        [r.below(4)],
                    port: r.chance(50).then(|| 1000 + r.below(9000) as u16),
                })
            };
            edge(&mut d, w, &t, spec);
        }
        if r.chance(30) && !ingresses.is_empty() {
            let i = ingresses[r.below(ingresses.len())].clone();
            edge(&mut d, &i, w, EdgeSpec::Traffic(TrafficProps::default()));
        }
        if r.chance(15) {
            edge(
                &mut d,
                &lb,
                w,
                EdgeSpec::Traffic(TrafficProps {
                    protocol: Protocol::Https,
                    port: Some(443),
                }),
            );
        }
    }
    d
}

fn random_workload(r: &mut Rng, vault: &str, envs: &[&str], salt: usize) -> WorkloadProps {
    let workload_type = [
        WorkloadType::Stateless,
        WorkloadType::Stateless,
        WorkloadType::Stateful,
        WorkloadType::Job,
    ][r.below(4)];
    let strategy = match r.below(5) {
        0 => Strategy::Rolling,
        1 => Strategy::Recreate,
        2 => Strategy::BlueGreen,
        3 => Strategy::Canary {
            step_weight: r.below(60) as u8,
            max_weight: r.below(120) as u8,
        },
        _ => Strategy::AbTesting {
            flags: if r.chance(50) {
                vec!["Новая корзина".into(), "x".into()]
            } else {
                vec![]
            },
            headers: if r.chance(30) {
                vec![HeaderMatch {
                    header: "X-Beta\n\"".into(),
                    value: "on: \"yes\"".into(),
                }]
            } else {
                vec![]
            },
        },
    };
    let ports = (0..r.below(3))
        .map(|i| Port {
            name: ["http", "", "metrics", "grpc"][r.below(4)].into(),
            port: [8080, 9090, 0, 53, 8080][r.below(5)] + i as u16,
            protocol: [
                Protocol::Http,
                Protocol::Grpc,
                Protocol::Udp,
                Protocol::Https,
            ][r.below(4)],
        })
        .collect();
    let mut overrides = std::collections::BTreeMap::new();
    for env in envs {
        if r.chance(50) {
            overrides.insert(
                env.to_string(),
                WorkloadOverride {
                    replicas: r.chance(50).then(|| r.below(5) as u32),
                    tag: r.chance(40).then(|| format!("2.{}", r.below(3))),
                    host: r.chance(40).then(|| format!("{env}.example.com")),
                    autoscaling: r.chance(30).then(|| Autoscaling {
                        min: r.below(3) as u32,
                        max: r.below(8) as u32,
                        target_cpu: 70,
                    }),
                    resources: r.chance(30).then(|| Resources {
                        cpu_limit: "2".into(),
                        memory_limit: "1Gi".into(),
                        ..Default::default()
                    }),
                },
            );
        }
    }
    WorkloadProps {
        workload_type,
        image: if r.chance(90) {
            ["registry.example.com/app", "nginx", "ghcr.io/x/y:3.1"][r.below(3)].into()
        } else {
            String::new()
        },
        tag: if r.chance(90) {
            "1.0".into()
        } else {
            String::new()
        },
        ports,
        replicas: r.below(4) as u32,
        resources: if r.chance(70) {
            Resources {
                cpu_request: "100m".into(),
                cpu_limit: "500m".into(),
                memory_request: "64Mi".into(),
                memory_limit: "128Mi".into(),
            }
        } else {
            Resources::default()
        },
        autoscaling: r.chance(30).then(|| Autoscaling {
            min: r.below(4) as u32,
            max: r.below(10) as u32,
            target_cpu: r.below(101) as u8,
        }),
        liveness: r.chance(60).then(|| Probe {
            path: if r.chance(50) {
                "/healthz".into()
            } else {
                String::new()
            },
            port: 0,
        }),
        readiness: r.chance(60).then(|| Probe {
            path: "ready".into(),
            port: 0,
        }),
        env: vec![
            EnvVar {
                name: "API_TOKEN_HINT".into(),
                value: EnvValue::Plain(PLAIN_SENTINEL.into()),
            },
            EnvVar {
                name: "DB_PASSWORD".into(),
                value: EnvValue::Secret {
                    store: vault.into(),
                    key: format!("{SECRET_KEY_PREFIX}-{salt}"),
                },
            },
            EnvVar {
                name: "api key".into(),
                value: EnvValue::Secret {
                    store: if r.chance(80) {
                        vault.into()
                    } else {
                        "missing-store".into()
                    },
                    key: format!("{SECRET_KEY_PREFIX}/nested/{}", r.below(3)),
                },
            },
        ],
        exposure: if r.chance(40) {
            Exposure::External
        } else {
            Exposure::Internal
        },
        host: if r.chance(50) {
            "app.example.com".into()
        } else {
            String::new()
        },
        strategy,
        analysis: if r.chance(30) {
            RolloutAnalysis {
                interval_minutes: r.below(3) as u32,
                threshold: 1 + r.below(9) as u32,
                iterations: 1 + r.below(20) as u32,
                min_success_percent: 90 + r.below(10) as u8,
                max_latency_ms: 100 + r.below(2000) as u32,
            }
        } else {
            RolloutAnalysis::default()
        },
        personal_data: false,
        overrides,
    }
}
