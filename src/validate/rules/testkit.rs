//! A tiny builder for test designs, and a clean design every rule passes.

use crate::model::*;
use crate::validate::{Diagnostic, Rule};

pub fn design(nodes: Vec<Node>, edges: Vec<Edge>) -> Design {
    let mut d = Design::new("test");
    d.nodes = nodes;
    d.edges = edges;
    d
}

/// A node of `kind` with default properties, named after its id.
pub fn node(id: &str, kind: Kind) -> Node {
    Node::new(id, id, NodeSpec::default_for(kind))
}

/// A node of `kind` with default properties under `parent`.
pub fn child(id: &str, kind: Kind, parent: &str) -> Node {
    node(id, kind).with_parent(parent)
}

pub fn with_spec(id: &str, spec: NodeSpec) -> Node {
    Node::new(id, id, spec)
}

pub fn edge(id: &str, from: &str, to: &str, kind: EdgeKind) -> Edge {
    Edge::new(id, from, to, EdgeSpec::default_for(kind))
}

pub fn traffic(id: &str, from: &str, to: &str) -> Edge {
    edge(id, from, to, EdgeKind::Traffic)
}

/// A workload that passes every workload rule.
pub fn good_workload() -> WorkloadProps {
    let probe = Probe {
        path: "/healthz".into(),
        port: 8080,
    };
    WorkloadProps {
        image: "registry.example.com/shop/api".into(),
        tag: "1.4.2".into(),
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
        liveness: Some(probe.clone()),
        readiness: Some(probe),
        exposure: Exposure::External,
        env: vec![EnvVar {
            name: "DB_PASSWORD".into(),
            value: EnvValue::Secret {
                store: "vault".into(),
                key: "shop/db".into(),
            },
        }],
        ..Default::default()
    }
}

/// A small, complete design that no rule flags: EU users through a WAF, a public balancer and
/// an ingress to an external workload in a two-zone cluster, writing to a multi-AZ database in
/// the EU; monitoring, logging and a secret store.
pub fn clean() -> Design {
    let mut d = design(
        vec![
            with_spec(
                "aws",
                NodeSpec::Provider(ProviderProps { cloud: Cloud::Aws }),
            ),
            with_spec(
                "eu",
                NodeSpec::Region(RegionProps {
                    code: "eu-central-1".into(),
                    jurisdiction: "EU".into(),
                }),
            )
            .with_parent("aws"),
            with_spec(
                "public",
                NodeSpec::Subnet(SubnetProps {
                    visibility: Visibility::Public,
                    cidr: String::new(),
                }),
            )
            .with_parent("eu"),
            child("private", Kind::Subnet, "eu"),
            child("waf", Kind::Waf, "public"),
            child("alb", Kind::LoadBalancer, "public"),
            with_spec(
                "eks",
                NodeSpec::KubernetesCluster(ClusterProps {
                    zones: vec!["eu-central-1a".into(), "eu-central-1b".into()],
                    ..Default::default()
                }),
            )
            .with_parent("private"),
            child("shop", Kind::Namespace, "eks"),
            child("nginx", Kind::IngressController, "eks"),
            child("prometheus", Kind::Monitoring, "eks"),
            child("loki", Kind::Logging, "eks"),
            with_spec("api", NodeSpec::Workload(good_workload())).with_parent("shop"),
            with_spec(
                "orders",
                NodeSpec::Database(DatabaseProps {
                    multi_az: true,
                    personal_data: true,
                    ..Default::default()
                }),
            )
            .with_parent("private"),
            child("vault", Kind::SecretStore, "eu"),
            with_spec(
                "customers",
                NodeSpec::UserGroup(UserGroupProps {
                    country: "DE".into(),
                    ..Default::default()
                }),
            ),
        ],
        vec![
            traffic("e-users", "customers", "waf"),
            traffic("e-waf", "waf", "alb"),
            traffic("e-alb", "alb", "nginx"),
            traffic("e-ing", "nginx", "api"),
            edge("e-db", "api", "orders", EdgeKind::Access),
        ],
    );
    d.environments = vec![
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
    d
}

/// Runs one rule.
pub fn check(rule: &Rule, d: &Design) -> Vec<Diagnostic> {
    (rule.check)(&DesignGraph::new(d))
}

/// The targets of each diagnostic one rule reports, checking each carries the rule's id and
/// severity and says something.
pub fn fired(rule: &Rule, d: &Design) -> Vec<Vec<String>> {
    check(rule, d)
        .into_iter()
        .map(|diag| {
            assert_eq!(diag.rule, rule.id);
            assert!(
                !diag.message.is_empty() && !diag.hint.is_empty(),
                "{diag:?}"
            );
            diag.targets
        })
        .collect()
}

/// `["a", "b"]` as owned target ids.
pub fn ids(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn node_mut<'d>(d: &'d mut Design, id: &str) -> &'d mut Node {
    d.node_mut(id).unwrap_or_else(|| panic!("no node {id}"))
}

pub fn edge_mut<'d>(d: &'d mut Design, id: &str) -> &'d mut Edge {
    d.edges
        .iter_mut()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no edge {id}"))
}

/// The typed properties of a node: `props!(d, "api", Workload)` is `&mut WorkloadProps`.
macro_rules! props {
    ($d:expr, $id:expr, $variant:ident) => {
        match &mut $crate::validate::rules::testkit::node_mut($d, $id).spec {
            $crate::model::NodeSpec::$variant(p) => p,
            other => panic!("{} is a {:?}", $id, other.kind()),
        }
    };
}

/// The typed properties of an edge: `edge_props!(d, "e1", Replication)`.
macro_rules! edge_props {
    ($d:expr, $id:expr, $variant:ident) => {
        match &mut $crate::validate::rules::testkit::edge_mut($d, $id).spec {
            $crate::model::EdgeSpec::$variant(p) => p,
            other => panic!("{} is a {:?}", $id, other.kind()),
        }
    };
}

pub(crate) use edge_props;
pub(crate) use props;
