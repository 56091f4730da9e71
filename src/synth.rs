//! Generated designs of a given size with realistic nesting, for benchmarks, the browser
//! harness and tests: providers ⟶ regions ⟶ subnets ⟶ clusters ⟶ namespaces ⟶ workloads, with
//! data stores, entry points, monitoring and edges in plausible ratios. Deterministic.

use crate::model::layout::auto_layout;
use crate::model::*;

/// A design of about `nodes` nodes (exactly `nodes` when `nodes >= 16`).
pub fn design_of_size(nodes: usize) -> Design {
    let mut b = Synth::default();
    b.design.name = format!("Generated design, {nodes} nodes");
    b.design.environments = vec![
        Environment {
            id: "dev".into(),
            name: "Development".into(),
            production: false,
        },
        Environment {
            id: "prod".into(),
            name: "Production".into(),
            production: true,
        },
    ];
    let users = b.add(
        None,
        "Users",
        NodeSpec::UserGroup(UserGroupProps {
            country: "DE".into(),
            ..Default::default()
        }),
    );
    let router = b.add(None, "Geo router", NodeSpec::default_for(Kind::GeoRouter));
    b.edge(
        &users,
        &router,
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Https,
            port: Some(443),
        }),
    );
    // Each provider block holds about 200 nodes; blocks repeat until the size is reached.
    let mut block = 0;
    while b.design.nodes.len() < nodes {
        b.provider_block(block, nodes, &router);
        block += 1;
    }
    b.design.nodes.truncate(nodes.max(2));
    let ids: std::collections::HashSet<&str> =
        b.design.nodes.iter().map(|n| n.id.as_str()).collect();
    b.design
        .edges
        .retain(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()));
    b.design.layout = auto_layout(&b.design);
    b.design
}

#[derive(Default)]
struct Synth {
    design: Design,
}

impl Synth {
    fn add(&mut self, parent: Option<&str>, name: &str, spec: NodeSpec) -> String {
        let id = format!("n{}", self.design.nodes.len() + 1);
        let mut node = Node::new(id.clone(), name, spec);
        node.parent = parent.map(str::to_string);
        self.design.nodes.push(node);
        id
    }

    fn edge(&mut self, from: &str, to: &str, spec: EdgeSpec) {
        let id = format!("e{}", self.design.edges.len() + 1);
        self.design.edges.push(Edge::new(id, from, to, spec));
    }

    fn full(&self, limit: usize) -> bool {
        self.design.nodes.len() >= limit
    }

    fn provider_block(&mut self, block: usize, limit: usize, router: &str) {
        let provider = self.add(
            None,
            &format!("Cloud {block}"),
            NodeSpec::Provider(ProviderProps { cloud: Cloud::Aws }),
        );
        let region = self.add(
            Some(&provider),
            &format!("region-{block}"),
            NodeSpec::Region(RegionProps {
                code: format!("eu-central-{block}"),
                jurisdiction: "EU".into(),
            }),
        );
        let public = self.add(
            Some(&region),
            "public",
            NodeSpec::Subnet(SubnetProps {
                visibility: Visibility::Public,
                cidr: "10.0.0.0/24".into(),
            }),
        );
        let private = self.add(
            Some(&region),
            "private",
            NodeSpec::Subnet(SubnetProps::default()),
        );
        let lb = self.add(
            Some(&public),
            "ALB",
            NodeSpec::default_for(Kind::LoadBalancer),
        );
        self.edge(router, &lb, EdgeSpec::GeoRoute(GeoRouteProps::default()));
        let monitoring = self.add(
            Some(&region),
            "Prometheus",
            NodeSpec::Monitoring(ProductProps {
                product: "Prometheus".into(),
            }),
        );
        let vault = self.add(
            Some(&region),
            "Vault",
            NodeSpec::SecretStore(ProductProps {
                product: "Vault".into(),
            }),
        );
        let cluster = self.add(
            Some(&private),
            &format!("cluster-{block}"),
            NodeSpec::KubernetesCluster(ClusterProps {
                zones: vec!["a".into(), "b".into()],
                ..Default::default()
            }),
        );
        self.edge(&monitoring, &cluster, EdgeSpec::Observes(NoProps {}));
        let ingress = self.add(
            Some(&cluster),
            "ingress",
            NodeSpec::default_for(Kind::IngressController),
        );
        self.edge(
            &lb,
            &ingress,
            EdgeSpec::Traffic(TrafficProps {
                protocol: Protocol::Https,
                port: Some(443),
            }),
        );
        let db = self.add(
            Some(&private),
            "orders-db",
            NodeSpec::Database(DatabaseProps {
                multi_az: true,
                personal_data: true,
                ..Default::default()
            }),
        );
        let cache = self.add(Some(&private), "cache", NodeSpec::default_for(Kind::Cache));
        for ns_i in 0..12 {
            if self.full(limit) {
                return;
            }
            let ns = self.add(
                Some(&cluster),
                &format!("team-{ns_i}"),
                NodeSpec::default_for(Kind::Namespace),
            );
            let mut previous: Option<String> = None;
            for w_i in 0..15 {
                if self.full(limit) {
                    return;
                }
                let workload = self.add(
                    Some(&ns),
                    &format!("service-{ns_i}-{w_i}"),
                    NodeSpec::Workload(sample_workload(&vault, w_i)),
                );
                if w_i == 0 {
                    self.edge(
                        &ingress,
                        &workload,
                        EdgeSpec::Traffic(TrafficProps::default()),
                    );
                }
                if let Some(prev) = &previous {
                    self.edge(
                        prev,
                        &workload,
                        EdgeSpec::Traffic(TrafficProps {
                            protocol: Protocol::Grpc,
                            port: Some(9090),
                        }),
                    );
                }
                if w_i % 5 == 0 {
                    self.edge(&workload, &db, EdgeSpec::Access(AccessProps::default()));
                } else if w_i % 5 == 1 {
                    self.edge(
                        &workload,
                        &cache,
                        EdgeSpec::Traffic(TrafficProps {
                            protocol: Protocol::Tcp,
                            port: Some(6379),
                        }),
                    );
                }
                previous = Some(workload);
            }
        }
    }
}

fn sample_workload(vault: &str, i: usize) -> WorkloadProps {
    let probe = Probe {
        path: "/healthz".into(),
        port: 8080,
    };
    WorkloadProps {
        image: format!("registry.example.com/service-{i}"),
        tag: "1.0.0".into(),
        ports: vec![Port {
            name: "http".into(),
            port: 8080,
            protocol: Protocol::Http,
        }],
        replicas: 2 + (i % 3) as u32,
        resources: Resources {
            cpu_request: "100m".into(),
            cpu_limit: "500m".into(),
            memory_request: "128Mi".into(),
            memory_limit: "256Mi".into(),
        },
        autoscaling: i.is_multiple_of(4).then_some(Autoscaling {
            min: 2,
            max: 10,
            target_cpu: 70,
        }),
        liveness: Some(probe.clone()),
        readiness: Some(probe),
        env: vec![
            EnvVar {
                name: "LOG_LEVEL".into(),
                value: EnvValue::Plain("info".into()),
            },
            EnvVar {
                name: "DB_PASSWORD".into(),
                value: EnvValue::Secret {
                    store: vault.into(),
                    key: "db/password".into(),
                },
            },
        ],
        exposure: if i == 0 {
            Exposure::External
        } else {
            Exposure::Internal
        },
        host: if i == 0 {
            "shop.example.com".into()
        } else {
            String::new()
        },
        ..Default::default()
    }
}

/// Names and labels that break naive exporters, one per awkward character class.
pub const AWKWARD_NAMES: &[&str] = &[
    "Сосисочная",
    "\"quoted\" name",
    "[brackets] (parens) {braces}",
    "{{ moustache }} and ${template}",
    "hash # semi ; pipe | colon: x",
    "line one\nline two\r\nline three",
    "</script><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "`code` **bold** _em_",
    "&amp; & #quot; #35; ﬂ°°60¶ß",
    "%%{init: {\"theme\": \"dark\"}}%%",
    "style: #35; fill:#f00;",
    "fa:fa-car $$x^2$$",
    "A --> B -.-> C ==> D",
    "end",
    "\u{200F}שלום\u{202E}abc\u{202C}",
    "tab\there\u{0}\u{7}bell",
    "literal <br/> tag and fab:fa-car",
];

/// A small design whose ids, names and labels hold every awkward character an exporter must
/// survive (see [`AWKWARD_NAMES`]), plus edges to missing nodes, to containers and to itself.
/// Names and ids are not loader-valid on purpose: exports take any `Design`.
pub fn hostile_design() -> Design {
    let mut b = Synth::default();
    b.design.name = "Hostile <design> \"end\"".into();
    let named = |b: &mut Synth, parent: Option<&str>, id: &str, name: &str, spec: NodeSpec| {
        let mut node = Node::new(id, name, spec);
        node.parent = parent.map(str::to_string);
        b.design.nodes.push(node);
        id.to_string()
    };
    let users = named(
        &mut b,
        None,
        "end",
        AWKWARD_NAMES[1],
        NodeSpec::UserGroup(UserGroupProps {
            country: "RU<b>".into(),
            ..Default::default()
        }),
    );
    let router = named(
        &mut b,
        None,
        "graph",
        AWKWARD_NAMES[3],
        NodeSpec::default_for(Kind::GeoRouter),
    );
    let provider = named(
        &mut b,
        None,
        "subgraph",
        AWKWARD_NAMES[0],
        NodeSpec::Provider(ProviderProps {
            cloud: Cloud::Yandex,
        }),
    );
    let region = named(
        &mut b,
        Some(&provider),
        "style",
        AWKWARD_NAMES[4],
        NodeSpec::Region(RegionProps {
            code: "ru-central1 \"a\"".into(),
            jurisdiction: "RU".into(),
        }),
    );
    let zone = named(
        &mut b,
        Some(&region),
        "class",
        AWKWARD_NAMES[5],
        NodeSpec::default_for(Kind::Zone),
    );
    let subnet = named(
        &mut b,
        Some(&zone),
        "click",
        AWKWARD_NAMES[2],
        NodeSpec::Subnet(SubnetProps {
            visibility: Visibility::Public,
            cidr: "10.0.0.0/24".into(),
        }),
    );
    let cluster = named(
        &mut b,
        Some(&subnet),
        "default",
        AWKWARD_NAMES[15],
        NodeSpec::default_for(Kind::KubernetesCluster),
    );
    let ns = named(
        &mut b,
        Some(&cluster),
        "1-namespace.x",
        AWKWARD_NAMES[6],
        NodeSpec::default_for(Kind::Namespace),
    );
    let mut workloads = Vec::new();
    for (i, name) in AWKWARD_NAMES.iter().enumerate().skip(7) {
        let kind = match i % 3 {
            0 => WorkloadType::Stateless,
            1 => WorkloadType::Stateful,
            _ => WorkloadType::Job,
        };
        let spec = NodeSpec::Workload(WorkloadProps {
            workload_type: kind,
            ..Default::default()
        });
        workloads.push(named(
            &mut b,
            Some(&ns),
            &format!("w {i} \"x\""),
            name,
            spec,
        ));
    }
    let long: String = "Д\"<#;".chars().cycle().take(10_000).collect();
    let db = named(
        &mut b,
        Some(&subnet),
        "db-<1>",
        &long,
        NodeSpec::default_for(Kind::Database),
    );
    let db2 = named(
        &mut b,
        Some(&zone),
        "db2",
        "replica ; DR",
        NodeSpec::default_for(Kind::Database),
    );
    let empty = named(
        &mut b,
        Some(&region),
        "empty",
        "",
        NodeSpec::default_for(Kind::Namespace),
    );
    let vpn_a = named(
        &mut b,
        Some(&region),
        "vpn.a",
        "VPN | a",
        NodeSpec::VpnGateway(ProductProps {
            product: "Open\"VPN\"".into(),
        }),
    );
    let vpn_b = named(
        &mut b,
        Some(&zone),
        "vpn.b",
        "VPN #b",
        NodeSpec::default_for(Kind::VpnGateway),
    );
    let monitoring = named(
        &mut b,
        None,
        "monitoring",
        "   ",
        NodeSpec::Monitoring(ProductProps {
            product: "<Prometheus>".into(),
        }),
    );
    let external = named(
        &mut b,
        None,
        "ext",
        "Active Directory; NFS",
        NodeSpec::ExternalSystem(ProductProps {
            product: "AD".into(),
        }),
    );
    let traffic = |port| {
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Https,
            port,
        })
    };
    let edges: Vec<(String, String, EdgeSpec, &str)> = vec![
        (
            users.clone(),
            router.clone(),
            traffic(Some(443)),
            AWKWARD_NAMES[0],
        ),
        (
            router.clone(),
            workloads[0].clone(),
            EdgeSpec::GeoRoute(GeoRouteProps {
                countries: vec!["RU".into(), "<BY>".into()],
                failover: Some(FailoverRole::Primary),
            }),
            AWKWARD_NAMES[1],
        ),
        (
            workloads[0].clone(),
            db.clone(),
            EdgeSpec::Access(AccessProps {
                mode: AccessMode::Write,
            }),
            AWKWARD_NAMES[4],
        ),
        (
            db.clone(),
            db2.clone(),
            EdgeSpec::Replication(ReplicationProps {
                mode: ReplicationMode::Async,
                rpo_minutes: Some(15),
            }),
            AWKWARD_NAMES[5],
        ),
        (
            vpn_a.clone(),
            vpn_b.clone(),
            EdgeSpec::Vpn(ProductProps {
                product: "WireGuard|x".into(),
            }),
            AWKWARD_NAMES[6],
        ),
        (
            monitoring.clone(),
            cluster.clone(),
            EdgeSpec::Observes(NoProps {}),
            AWKWARD_NAMES[7],
        ),
        (
            workloads[1].clone(),
            external.clone(),
            EdgeSpec::DependsOn(NoProps {}),
            AWKWARD_NAMES[9],
        ),
        (
            workloads[2].clone(),
            workloads[3].clone(),
            traffic(None),
            AWKWARD_NAMES[10],
        ),
        (
            workloads[3].clone(),
            workloads[4].clone(),
            traffic(Some(8443)),
            AWKWARD_NAMES[11],
        ),
        (
            workloads[4].clone(),
            workloads[5].clone(),
            traffic(Some(1)),
            AWKWARD_NAMES[12],
        ),
        (
            workloads[5].clone(),
            workloads[6].clone(),
            traffic(Some(2)),
            AWKWARD_NAMES[13],
        ),
        (
            workloads[6].clone(),
            workloads[7].clone(),
            traffic(Some(3)),
            AWKWARD_NAMES[14],
        ),
        (
            workloads[7].clone(),
            workloads[8].clone(),
            traffic(Some(4)),
            AWKWARD_NAMES[16],
        ),
        (
            workloads[8].clone(),
            workloads[8].clone(),
            traffic(Some(5)),
            AWKWARD_NAMES[17],
        ),
        (
            workloads[9].clone(),
            db.clone(),
            EdgeSpec::Access(AccessProps::default()),
            &long,
        ),
        (
            monitoring.clone(),
            empty.clone(),
            EdgeSpec::Observes(NoProps {}),
            "",
        ),
        (
            users.clone(),
            "missing \"node\"".into(),
            traffic(Some(80)),
            "to nowhere",
        ),
    ];
    for (from, to, spec, label) in edges {
        let id = format!("e{}", b.design.edges.len() + 1);
        let mut edge = Edge::new(id, from, to, spec);
        edge.label = label.to_string();
        b.design.edges.push(edge);
    }
    b.design
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_exact_and_designs_load() {
        for n in [16, 100, 1000] {
            let d = design_of_size(n);
            assert_eq!(d.nodes.len(), n);
            let back = load_design(&to_json_compact(&d)).expect("generated designs load");
            assert_eq!(back, d);
        }
    }
}
