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
        Environment { id: "dev".into(), name: "Development".into(), production: false },
        Environment { id: "prod".into(), name: "Production".into(), production: true },
    ];
    let users = b.add(None, "Users", NodeSpec::UserGroup(UserGroupProps { country: "DE".into(), ..Default::default() }));
    let router = b.add(None, "Geo router", NodeSpec::default_for(Kind::GeoRouter));
    b.edge(&users, &router, EdgeSpec::Traffic(TrafficProps { protocol: Protocol::Https, port: Some(443) }));
    // Each provider block holds about 200 nodes; blocks repeat until the size is reached.
    let mut block = 0;
    while b.design.nodes.len() < nodes {
        b.provider_block(block, nodes, &router);
        block += 1;
    }
    b.design.nodes.truncate(nodes.max(2));
    let ids: std::collections::HashSet<&str> = b.design.nodes.iter().map(|n| n.id.as_str()).collect();
    b.design.edges.retain(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()));
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
        let provider = self.add(None, &format!("Cloud {block}"), NodeSpec::Provider(ProviderProps { cloud: Cloud::Aws }));
        let region = self.add(
            Some(&provider),
            &format!("region-{block}"),
            NodeSpec::Region(RegionProps { code: format!("eu-central-{block}"), jurisdiction: "EU".into() }),
        );
        let public = self.add(Some(&region), "public", NodeSpec::Subnet(SubnetProps { visibility: Visibility::Public, cidr: "10.0.0.0/24".into() }));
        let private = self.add(Some(&region), "private", NodeSpec::Subnet(SubnetProps::default()));
        let lb = self.add(Some(&public), "ALB", NodeSpec::default_for(Kind::LoadBalancer));
        self.edge(router, &lb, EdgeSpec::GeoRoute(GeoRouteProps::default()));
        let monitoring = self.add(Some(&region), "Prometheus", NodeSpec::Monitoring(ProductProps { product: "Prometheus".into() }));
        let vault = self.add(Some(&region), "Vault", NodeSpec::SecretStore(ProductProps { product: "Vault".into() }));
        let cluster = self.add(
            Some(&private),
            &format!("cluster-{block}"),
            NodeSpec::KubernetesCluster(ClusterProps { zones: vec!["a".into(), "b".into()], ..Default::default() }),
        );
        self.edge(&monitoring, &cluster, EdgeSpec::Observes(NoProps {}));
        let ingress = self.add(Some(&cluster), "ingress", NodeSpec::default_for(Kind::IngressController));
        self.edge(&lb, &ingress, EdgeSpec::Traffic(TrafficProps { protocol: Protocol::Https, port: Some(443) }));
        let db = self.add(
            Some(&private),
            "orders-db",
            NodeSpec::Database(DatabaseProps { multi_az: true, personal_data: true, ..Default::default() }),
        );
        let cache = self.add(Some(&private), "cache", NodeSpec::default_for(Kind::Cache));
        for ns_i in 0..12 {
            if self.full(limit) {
                return;
            }
            let ns = self.add(Some(&cluster), &format!("team-{ns_i}"), NodeSpec::default_for(Kind::Namespace));
            let mut previous: Option<String> = None;
            for w_i in 0..15 {
                if self.full(limit) {
                    return;
                }
                let workload = self.add(Some(&ns), &format!("service-{ns_i}-{w_i}"), NodeSpec::Workload(sample_workload(&vault, w_i)));
                if w_i == 0 {
                    self.edge(&ingress, &workload, EdgeSpec::Traffic(TrafficProps::default()));
                }
                if let Some(prev) = &previous {
                    self.edge(prev, &workload, EdgeSpec::Traffic(TrafficProps { protocol: Protocol::Grpc, port: Some(9090) }));
                }
                if w_i % 5 == 0 {
                    self.edge(&workload, &db, EdgeSpec::Access(AccessProps::default()));
                } else if w_i % 5 == 1 {
                    self.edge(&workload, &cache, EdgeSpec::Traffic(TrafficProps { protocol: Protocol::Tcp, port: Some(6379) }));
                }
                previous = Some(workload);
            }
        }
    }
}

fn sample_workload(vault: &str, i: usize) -> WorkloadProps {
    let probe = Probe { path: "/healthz".into(), port: 8080 };
    WorkloadProps {
        image: format!("registry.example.com/service-{i}"),
        tag: "1.0.0".into(),
        ports: vec![Port { name: "http".into(), port: 8080, protocol: Protocol::Http }],
        replicas: 2 + (i % 3) as u32,
        resources: Resources {
            cpu_request: "100m".into(),
            cpu_limit: "500m".into(),
            memory_request: "128Mi".into(),
            memory_limit: "256Mi".into(),
        },
        autoscaling: (i % 4 == 0).then(|| Autoscaling { min: 2, max: 10, target_cpu: 70 }),
        liveness: Some(probe.clone()),
        readiness: Some(probe),
        env: vec![
            EnvVar { name: "LOG_LEVEL".into(), value: EnvValue::Plain("info".into()) },
            EnvVar { name: "DB_PASSWORD".into(), value: EnvValue::Secret { store: vault.into(), key: "db/password".into() } },
        ],
        exposure: if i == 0 { Exposure::External } else { Exposure::Internal },
        host: if i == 0 { "shop.example.com".into() } else { String::new() },
        ..Default::default()
    }
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
